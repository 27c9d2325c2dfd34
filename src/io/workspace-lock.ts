/**
 * The workspace write lock: one command writes a workspace at a time. Every command that changes
 * a workspace's files takes `.coding.lock` at the workspace root first (the command line, pid,
 * host and start time inside), holds it until it ends, and only then reads what it will change,
 * so two writers run one after the other and neither loses what the other wrote. A second writer
 * waits a few seconds, then refuses, naming the command that holds the lock. Readers take no lock:
 * every file is replaced whole by a rename, so a reader sees the old file or the new one.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { InputError, UsageError } from '../errors.js';
import { removeStaleTemporaries } from './cleanup.js';
import { fileSystemError, isSystemError } from './fs-errors.js';
import { acquireLockFile, describeHolder, type HeldLockFile, lockTime, processExists } from './lock.js';
import { shown } from './workspace.js';

export const workspaceLockName = '.coding.lock';
export const workspaceLockFormatVersion = 1;

const workspaceLockSchema = z
  .object({
    format: z.literal('coding-workspace-lock'),
    version: z.literal(workspaceLockFormatVersion),
    command: z.string().describe('The command line that holds the lock'),
    pid: z.number().int().positive().describe('Its process id'),
    host: z.string().describe('The computer it runs on'),
    started: z.string().describe('When it took the lock (ISO 8601, UTC)'),
  })
  .strict();
export type WorkspaceLockInfo = z.infer<typeof workspaceLockSchema>;

/** Seconds a writer waits for another one to finish: `CODING_LOCK_WAIT` in the environment, else 5. */
export function lockWaitMs(): number {
  const configured = Number(process.env['CODING_LOCK_WAIT']);
  return Number.isFinite(configured) && configured >= 0 ? Math.min(configured, 3600) * 1000 : 5000;
}

export interface WorkspaceWriteLock {
  info: WorkspaceLockInfo;
  /** A stale lock that was taken over (its process no longer runs). */
  tookOver: WorkspaceLockInfo | undefined;
  /** Temporary files of killed commands that were removed, and their size. */
  staleTemporaries: { files: string[]; bytes: number };
  release(): Promise<void>;
}

interface Entry {
  held: HeldLockFile<WorkspaceLockInfo>;
  depth: number;
}
/** Locks this process holds, by workspace root: taking one again (a command inside a command) nests. */
const heldHere = new Map<string, Entry>();

/** A command line for the lock file and messages: `coding import --coder bob "my file.csv"`. */
export function describeCommand(argv: readonly string[]): string {
  const text = ['coding', ...argv]
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word)))
    .join(' ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * Take the write lock of the workspace at `root` for `command`, waiting up to `waitMs` for
 * another writer; then remove the temporary files that killed commands left in `folders`.
 *
 * @throws UsageError when another command keeps the workspace locked
 * @throws InputError when the workspace cannot be written (read-only, full, no permission)
 */
export async function lockWorkspace(
  root: string,
  command: string,
  options: { waitMs?: number; folders?: readonly string[]; isAlive?: (pid: number) => boolean } = {},
): Promise<WorkspaceWriteLock> {
  const key = path.resolve(root);
  const file = path.join(key, workspaceLockName);
  const isAlive = options.isAlive ?? processExists;
  const existing = heldHere.get(key);
  if (existing) {
    existing.depth++;
    return {
      info: existing.held.record,
      tookOver: undefined,
      staleTemporaries: { files: [], bytes: 0 },
      release: () => releaseEntry(key),
    };
  }
  const shownAs = workspaceLockName;
  const record: WorkspaceLockInfo = {
    format: 'coding-workspace-lock',
    version: workspaceLockFormatVersion,
    command,
    pid: process.pid,
    host: os.hostname(),
    started: lockTime(),
  };
  let held: HeldLockFile<WorkspaceLockInfo>;
  try {
    held = await acquireLockFile({
      file,
      record,
      waitMs: options.waitMs ?? lockWaitMs(),
      isAlive,
      parse: (text) => parseWorkspaceLock(text, file),
      refuse: (holder, where) =>
        new UsageError(
          `the workspace is being changed by another command: ${holder.command} (${describeHolder(holder)})`,
          {
            hint:
              where === 'another computer'
                ? `wait for it to finish, then run this command again. If it is not running any more (its computer crashed), delete ${shown(path.join(root, shownAs))}.`
                : `wait for it to finish, then run this command again (commands that only read can run meanwhile). If process ${holder.pid} is not running coding (the id was reused), delete ${shown(path.join(root, shownAs))}.`,
          },
        ),
    });
  } catch (error) {
    if (isSystemError(error)) throw workspaceNotWritable(error, root, command);
    throw error;
  }
  heldHere.set(key, { held, depth: 1 });
  const staleTemporaries = await removeStaleTemporaries([key, ...(options.folders ?? [])], isAlive);
  return { info: record, tookOver: held.tookOver, staleTemporaries, release: () => releaseEntry(key) };
}

async function releaseEntry(key: string): Promise<void> {
  const entry = heldHere.get(key);
  if (!entry) return;
  entry.depth--;
  if (entry.depth > 0) return;
  heldHere.delete(key);
  await entry.held.release();
}

/** Run `work` holding the workspace's write lock. */
export async function withWorkspaceLock<T>(
  root: string,
  command: string,
  work: (lock: WorkspaceWriteLock) => Promise<T>,
  options: { waitMs?: number; folders?: readonly string[] } = {},
): Promise<T> {
  const lock = await lockWorkspace(root, command, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

function parseWorkspaceLock(text: string, file: string): WorkspaceLockInfo {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = workspaceLockSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputError(
      'this file is not a workspace lock written by coding (or by another version of it)',
      {
        location: { file },
        hint: `if no coding command is changing this workspace, delete ${file} and run the command again.`,
      },
    );
  }
  return parsed.data;
}

function workspaceNotWritable(
  error: Parameters<typeof fileSystemError>[0],
  root: string,
  command: string,
): InputError {
  if (error.code === 'EROFS' || error.code === 'EACCES' || error.code === 'EPERM') {
    const why =
      error.code === 'EROFS'
        ? 'it is on a read-only file system (EROFS)'
        : `it is not writable (${error.code})`;
    return new InputError(`cannot change the workspace ${root}: ${why}`, {
      hint: `${command} writes to the workspace; copy the study to a writable folder to change it. Commands that only read work here, and coding reproduce -o DIR writes its reports elsewhere.`,
      cause: error,
    });
  }
  return fileSystemError(error, {
    file: path.join(root, workspaceLockName),
    action: 'cannot lock the workspace at',
  });
}
