/**
 * Lock files: who holds a resource (a workspace, a coder's session), as a small JSON file with the
 * holder's pid, host and start time. A lock is created whole (written to a temporary file, then
 * hard-linked to its name, which fails when the name exists), so it is never seen half-written.
 * A lock of a process that no longer runs on this computer is stale and taken over; a lock held
 * by a running process (or by any process on another computer, which cannot be checked) is waited
 * for, up to a limit, and then refused.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { forgetTemporary, registerRelease, registerTemporary, temporaryPrefix } from './cleanup.js';

/** What every lock file records of its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the lock was taken (ISO 8601, UTC, whole seconds). */
  started: string;
}

/** Whether a process with this id runs on this computer (one of another user counts as running). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockFileOptions<T extends LockHolder> {
  file: string;
  /** What to write: the holder's record. */
  record: T;
  /** Read a lock file's text; undefined when it is not a lock of this kind (the caller decides what to say). */
  parse(text: string): T;
  /** The error when the lock stays held by another process after waiting. */
  refuse(held: T, where: 'this computer' | 'another computer'): Error;
  /** How long to wait for a lock held by a running process (milliseconds; 0: refuse at once). */
  waitMs?: number;
  isAlive?: (pid: number) => boolean;
  host?: string;
}

export interface HeldLockFile<T extends LockHolder> {
  record: T;
  /** The stale lock that was taken over (its process no longer runs), if any. */
  tookOver: T | undefined;
  release(): Promise<void>;
  /** For `process.on('exit')`, where only synchronous calls run. */
  releaseSync(): void;
}

function sameHolder(left: LockHolder, right: LockHolder): boolean {
  return left.pid === right.pid && left.host === right.host && left.started === right.started;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A file's text, or undefined when there is no such file (a lock or journal not there is normal). */
export async function readTextIfPresent(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readHolder<T extends LockHolder>(
  file: string,
  parse: (text: string) => T,
): Promise<T | undefined> {
  const text = await readTextIfPresent(file);
  return text === undefined ? undefined : parse(text);
}

/** Make a new directory entry durable, so a file created just before a crash is still there after it. */
export async function syncFolder(folder: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(folder, 'r');
    await handle.sync();
  } catch {
    // Some systems cannot fsync a folder; the file's own fsync still holds its content.
  } finally {
    await handle?.close();
  }
}

/**
 * Take a lock file. It is released by `release()`, or when the process ends (exit, SIGINT, SIGTERM).
 *
 * @throws the `refuse` error when another process holds it; a file system error when the folder cannot be written
 */
export async function acquireLockFile<T extends LockHolder>(
  options: LockFileOptions<T>,
): Promise<HeldLockFile<T>> {
  const { file, record } = options;
  const host = options.host ?? os.hostname();
  const isAlive = options.isAlive ?? processExists;
  const deadline = Date.now() + (options.waitMs ?? 0);
  const folder = path.dirname(file);
  const temporary = path.join(
    folder,
    `${temporaryPrefix}${path.basename(file)}-${record.pid}-${randomBytes(4).toString('hex')}`,
  );
  let tookOver: T | undefined;
  registerTemporary(temporary);
  try {
    await fs.writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
    for (let pause = 25; ; pause = Math.min(pause * 2, 250)) {
      try {
        await fs.link(temporary, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = await readHolder(file, options.parse);
      if (held === undefined) continue; // released meanwhile
      const elsewhere = held.host !== host;
      if (elsewhere || isAlive(held.pid)) {
        if (Date.now() >= deadline)
          throw options.refuse(held, elsewhere ? 'another computer' : 'this computer');
        await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
        continue;
      }
      // Stale: remove it only if it is still the same lock (another process may have taken it over first).
      const again = await readHolder(file, options.parse).catch(() => undefined);
      if (again && sameHolder(again, held)) {
        await fs.rm(file, { force: true });
        tookOver = held;
      }
    }
  } finally {
    await fs.rm(temporary, { force: true });
    forgetTemporary(temporary);
  }
  await syncFolder(folder);
  let released = false;
  const ours = (content: string): boolean => {
    try {
      const parsed = JSON.parse(content) as LockHolder;
      return sameHolder(parsed, { ...record, host });
    } catch {
      return false;
    }
  };
  const releaseSync = (): void => {
    if (released) return;
    released = true;
    try {
      if (ours(readFileSync(file, 'utf8'))) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  const unregister = registerRelease(releaseSync);
  return {
    record,
    tookOver,
    async release() {
      if (released) return;
      released = true;
      unregister();
      const content = await fs.readFile(file, 'utf8').catch(() => '');
      if (ours(content)) await fs.rm(file, { force: true });
    },
    releaseSync() {
      unregister();
      releaseSync();
    },
  };
}

/** `2026-05-01T10:00:00Z`: the time a lock was taken, to the second. */
export function lockTime(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host}, since ${holder.started}`;
}
