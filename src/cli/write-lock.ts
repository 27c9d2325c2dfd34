/**
 * The one place where commands take the workspace write lock: a hook that runs before the action
 * of every command declared with `writesWorkspace`, and a release when the command ends. What
 * taking the lock needs (the workspace settings, the lock file, chalk) is imported when a writing
 * command runs, not at start-up.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { WorkspaceWriteLock } from '../io/workspace-lock.js';
import { writeRuleOf } from './write-rule.js';

/** The workspace root a command will use, if there is one (the command itself reports a missing one). */
async function workspaceRootOf(flags: Record<string, unknown>, cwd: string): Promise<string | undefined> {
  const [{ exists }, { configFileName, findWorkspaceRoot }] = await Promise.all([
    import('../io/atomic.js'),
    import('../io/workspace.js'),
  ]);
  const given = flags['workspace'];
  if (typeof given === 'string') {
    const root = path.resolve(cwd, given);
    return (await exists(path.join(root, configFileName))) ? root : undefined;
  }
  return findWorkspaceRoot(cwd);
}

/** The folders where the tool writes (to clear of temporaries left by killed commands). */
async function writtenFolders(root: string): Promise<string[]> {
  const { loadWorkspaceAt } = await import('../io/workspace.js');
  const standard = ['corpus', 'annotations', 'annotations/.backup', 'reports', 'codebooks'].map((name) =>
    path.join(root, name),
  );
  try {
    const workspace = await loadWorkspaceAt(root);
    return [...standard, workspace.paths.corpus, path.dirname(workspace.paths.codebook)];
  } catch {
    return standard;
  }
}

function megabytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${bytes} bytes`;
}

/** Install the hook on the program; `release()` is called when the command has ended, however it ended. */
export function installWriteLock(program: Command): { release(): Promise<void> } {
  let held: WorkspaceWriteLock | undefined;
  program.hook('preAction', async (_program, action) => {
    const rule = writeRuleOf(action);
    if (rule === undefined) return;
    const flags = action.opts();
    const writes = rule(flags);
    if (writes === false) return;
    const cwd = process.cwd();
    const root = await workspaceRootOf(flags, cwd);
    if (root === undefined) return;
    if (writes !== true) {
      const relative = path.relative(root, path.resolve(cwd, writes.output));
      if (relative.startsWith('..') || path.isAbsolute(relative)) return;
    }
    const [{ default: chalk }, { shown }, { describeCommand, lockWorkspace }, { writeErr }] =
      await Promise.all([
        import('chalk'),
        import('../io/workspace.js'),
        import('../io/workspace-lock.js'),
        import('./output.js'),
      ]);
    held = await lockWorkspace(root, describeCommand(process.argv.slice(2)), {
      folders: await writtenFolders(root),
    });
    if (held.tookOver) {
      writeErr(
        `${chalk.cyan('note:')} took over ${shown(path.join(root, '.coding.lock'))}: ${held.tookOver.command} (process ${held.tookOver.pid}, since ${held.tookOver.started}) no longer runs\n`,
      );
    }
    const stale = held.staleTemporaries;
    if (stale.files.length > 0) {
      writeErr(
        `${chalk.cyan('note:')} removed ${stale.files.length} temporary file${stale.files.length === 1 ? '' : 's'} (${megabytes(stale.bytes)}) left by interrupted commands\n`,
      );
    }
  });
  return {
    async release() {
      const lock = held;
      held = undefined;
      await lock?.release();
    },
  };
}
