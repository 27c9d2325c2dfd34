/**
 * Which commands write the workspace. Kept apart from `common.ts` so that the write-lock hook that
 * `main.ts` installs loads nothing else at start-up.
 */
import type { Command } from 'commander';

/**
 * What a command writes, from its flags: `true` the workspace, `false` nothing (a dry run),
 * `{ output }` the file or folder given (which takes the workspace's lock when it lies inside it).
 */
export type WriteRule = (flags: Record<string, unknown>) => boolean | { output: string };

const writeRules = new WeakMap<Command, WriteRule>();

/**
 * Declare that a command changes the workspace: before its action runs, it takes the workspace
 * write lock (see `cli/write-lock.ts`), so that two writers never run at once.
 */
export function writesWorkspace(command: Command, rule: WriteRule = () => true): Command {
  writeRules.set(command, rule);
  return command;
}

export function writeRuleOf(command: Command): WriteRule | undefined {
  return writeRules.get(command);
}
