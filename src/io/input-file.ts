/**
 * Input files are read whole: a named pipe (FIFO), a device or a socket given as one would be read
 * forever (or block until a writer appears), so they are refused. `-` is the way to read stdin.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import { InputError } from '../errors.js';

function kindOf(stat: Stats): string | undefined {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return undefined;
}

/** @throws InputError when `stat` is not a regular file or a folder */
export function refuseSpecialFile(stat: Stats, shownAs: string): void {
  const kind = kindOf(stat);
  if (kind === undefined) return;
  throw new InputError(`this is ${kind}, not a file`, {
    location: { file: shownAs },
    hint: 'save the data to a file and give its path; where a command reads standard input, pipe it in with - instead.',
  });
}

/** Refuse a FIFO, device or socket given as an input file; a missing file is left to the reader to report. */
export async function checkInputFile(file: string, shownAs: string): Promise<void> {
  let stat: Stats;
  try {
    stat = await fs.stat(file);
  } catch {
    return;
  }
  refuseSpecialFile(stat, shownAs);
}
