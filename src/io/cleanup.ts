/**
 * What a process leaves behind if it is stopped: temporary files (`.coding-tmp-*`) and lock files.
 * Each is registered while it exists; when the process exits, or is stopped by SIGINT, SIGTERM or
 * SIGHUP, the temporary files are removed and the locks released. Files left by a process that was
 * killed outright (`kill -9`, a power cut) carry its pid in their name and are removed by the
 * next command that writes the workspace (`removeStaleTemporaries`).
 */
import { readdirSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export const temporaryPrefix = '.coding-tmp-';

const temporaries = new Set<string>();
const releasers = new Set<() => void>();
let installed = false;

/** Remove every registered temporary file and release every registered lock, synchronously. */
function cleanUpNow(): void {
  for (const file of temporaries) {
    try {
      rmSync(file, { force: true, recursive: true });
    } catch {
      // Gone already, or cannot be removed: nothing more can be done while exiting.
    }
  }
  temporaries.clear();
  for (const release of releasers) {
    try {
      release();
    } catch {
      // As above.
    }
  }
  releasers.clear();
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function onSignal(signal: NodeJS.Signals): void {
  // A command with its own handler (coding code folds its journal first) ends the process itself;
  // the 'exit' handler then cleans up.
  if (process.listenerCount(signal) > 1) return;
  cleanUpNow();
  process.exit(128 + (signalNumbers[signal] ?? 1));
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

/** Remember a temporary file (or folder) to remove if the process ends before it is renamed or removed. */
export function registerTemporary(file: string): void {
  install();
  temporaries.add(file);
}

export function forgetTemporary(file: string): void {
  temporaries.delete(file);
}

/** Run `release` (synchronous) if the process ends while the lock is held. */
export function registerRelease(release: () => void): () => void {
  install();
  releasers.add(release);
  return () => releasers.delete(release);
}

/** The pid in a temporary file's name (`.coding-tmp-NAME-PID-HEX`), if it has one. */
export function temporaryOwner(name: string): number | undefined {
  if (!name.startsWith(temporaryPrefix)) return undefined;
  const match = /-(\d+)-[0-9a-f]{8}(?:\.[a-z]+)?$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * Remove the temporary files of processes that no longer run from the given folders (not
 * recursively). Only called by a process holding the workspace's write lock, so no live writer
 * of this workspace owns them; a temporary of a running process (another command writing an
 * output file there) is left alone.
 */
export async function removeStaleTemporaries(
  folders: readonly string[],
  isAlive: (pid: number) => boolean,
): Promise<{ files: string[]; bytes: number }> {
  const removed: string[] = [];
  let bytes = 0;
  for (const folder of new Set(folders)) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const owner = temporaryOwner(name);
      if (owner === undefined || owner === process.pid || isAlive(owner)) continue;
      const file = path.join(folder, name);
      try {
        const stat = await fs.lstat(file);
        bytes += stat.isFile() ? stat.size : 0;
        await fs.rm(file, { force: true, recursive: true });
        removed.push(file);
      } catch {
        // Removed meanwhile, or not removable: it is only a leftover.
      }
    }
  }
  return { files: removed, bytes };
}
