/**
 * A folder of generated files with a manifest (the report), replaced so that a reader never sees
 * the manifest disagree with the files, whenever the writer is stopped: the new files are written
 * into a fresh folder beside it and switched in by renaming. The old folder is first moved aside,
 * so a kill between the two renames leaves no report rather than a mixed one, and the folder
 * moved aside is removed by the next command that writes the workspace.
 *
 * A folder that also holds files the report did not write (`-o` pointing at a folder in use) is
 * never moved: there the manifest is removed first and written last, so a folder without
 * `manifest.json` is an incomplete report.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtomicBatch } from './atomic.js';
import { forgetTemporary, registerTemporary, temporaryPrefix } from './cleanup.js';
import { withFile } from './fs-errors.js';
import { syncFolder } from './lock.js';

/** A file's content: text, bytes, or bytes in pieces (a large table, written without joining them). */
export type FolderContent = string | Uint8Array | readonly Uint8Array[];

export interface FolderFile {
  name: string;
  content: FolderContent;
}

/** The names of the files a manifest lists (`files[].name`); empty when there is none. */
async function namesInManifest(file: string): Promise<Set<string>> {
  try {
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as { files?: Array<{ name?: unknown }> };
    return new Set((data.files ?? []).map((entry) => String(entry.name)));
  } catch {
    return new Set();
  }
}

async function entriesOf(folder: string): Promise<string[] | undefined> {
  try {
    return await fs.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw withFile(error, folder, 'cannot read the folder');
  }
}

function siblingName(folder: string, what: string): string {
  return path.join(
    path.dirname(folder),
    `${temporaryPrefix}${path.basename(folder)}-${what}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

async function writeDurably(file: string, content: FolderContent): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    if (Array.isArray(content)) {
      for (const piece of content as readonly Uint8Array[])
        for (let offset = 0; offset < piece.length; )
          offset += (await handle.write(piece, offset, piece.length - offset)).bytesWritten;
    } else await handle.writeFile(content as string | Uint8Array);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replace `folder` by `files` plus `manifest` (written last).
 * @returns how it was replaced: `switched` (a fresh folder renamed in) or `in place`
 */
export async function replaceReportFolder(
  folder: string,
  files: readonly FolderFile[],
  manifest: FolderFile,
): Promise<'switched' | 'in place'> {
  const existing = await entriesOf(folder);
  const produced = new Set([...files.map((file) => file.name), manifest.name]);
  const previous = await namesInManifest(path.join(folder, manifest.name));
  const foreign = (existing ?? []).filter(
    (name) => !produced.has(name) && !previous.has(name) && !name.startsWith(temporaryPrefix),
  );
  if (foreign.length > 0) {
    await replaceInPlace(folder, files, manifest);
    return 'in place';
  }
  try {
    await fs.mkdir(path.dirname(folder), { recursive: true });
  } catch (error) {
    throw withFile(error, path.dirname(folder), 'cannot create the folder');
  }
  const staging = siblingName(folder, 'new');
  registerTemporary(staging);
  try {
    await fs.mkdir(staging);
    for (const file of [...files, manifest]) {
      try {
        await writeDurably(path.join(staging, file.name), file.content);
      } catch (error) {
        throw withFile(error, path.join(folder, file.name), 'cannot write');
      }
    }
    await syncFolder(staging);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    forgetTemporary(staging);
    throw withFile(error, folder, 'cannot write');
  }
  let old: string | undefined;
  try {
    if (existing !== undefined) {
      old = siblingName(folder, 'old');
      await fs.rename(folder, old);
    }
    await fs.rename(staging, folder);
  } catch (error) {
    // Put the old report back if it was moved aside.
    if (old !== undefined) await fs.rename(old, folder).catch(() => {});
    await fs.rm(staging, { recursive: true, force: true });
    forgetTemporary(staging);
    throw withFile(error, folder, 'cannot replace');
  }
  forgetTemporary(staging);
  await syncFolder(path.dirname(folder));
  if (old !== undefined) await fs.rm(old, { recursive: true, force: true }).catch(() => {});
  return 'switched';
}

async function replaceInPlace(
  folder: string,
  files: readonly FolderFile[],
  manifest: FolderFile,
): Promise<void> {
  const batch = new AtomicBatch();
  // The pieces are joined here only: this path is taken for a folder shared with other files.
  const joined = (content: FolderContent): string | Uint8Array =>
    Array.isArray(content)
      ? Buffer.concat(content as readonly Uint8Array[])
      : (content as string | Uint8Array);
  for (const file of files) batch.add(path.join(folder, file.name), joined(file.content));
  batch.add(path.join(folder, manifest.name), joined(manifest.content));
  await batch.commit({
    // Every new file is written by now; from here until the manifest is renamed last, the folder has none.
    beforeRename: async () => {
      try {
        await fs.rm(path.join(folder, manifest.name), { force: true });
        await syncFolder(folder);
      } catch (error) {
        throw withFile(error, path.join(folder, manifest.name), 'cannot replace');
      }
    },
  });
}
