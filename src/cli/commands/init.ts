import type { Command } from 'commander';
import { initWorkspace } from '../../app/init.js';
import { writeErr } from '../output.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a study workspace: coding.yaml, codebooks/, corpus/, annotations/, reports/')
    .argument('[dir]', 'folder of the new workspace', '.')
    .option('--name <name>', 'short name of the study (default: the folder name)')
    .addHelpText('after', '\nExample:\n  coding init my-study && cd my-study && coding import ~/texts/')
    .action(async (dir: string, options: { name?: string }) => {
      const result = await initWorkspace({ cwd: process.cwd(), dir, name: options.name });
      writeErr(`created a workspace in ${result.root}\n`);
      for (const item of result.created) writeErr(`  ${item}\n`);
      writeErr('next: coding import PATH…   (documents into the corpus)\n');
    });
}
