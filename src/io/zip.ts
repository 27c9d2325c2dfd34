/**
 * ZIP archives for REFI-QDA projects, read safely and written deterministically.
 *
 * Reading: the central directory is read first, from the end of the file, without reading the
 * rest; every entry name is checked (no absolute paths, no `..`), and only the entries asked for
 * are read and inflated, each refused when its declared size is over the limits and stopped as soon
 * as it inflates to more than it declared (a ZIP bomb lies about its size). `fflate` inflates (pure
 * JavaScript, streaming).
 *
 * Writing: entries sorted by name, DEFLATE level 6, every timestamp 1980-01-01 12:00 (the DOS
 * date in a ZIP header is local time; building it from local fields makes it the same in every
 * time zone), so the same study gives byte-identical archives.
 */
import fs from 'node:fs/promises';
import { Inflate, zipSync } from 'fflate';
import { InputError } from '../errors.js';
import { checkInputFile } from './input-file.js';

// ---------------------------------------------------------------------------------------------
// Limits

export interface QdpxLimits {
  /** Largest uncompressed size of one entry that is read (project.qde, a plain text). */
  entryBytes: number;
  /** Largest uncompressed size of all entries read together. */
  totalBytes: number;
  /** Most entries an archive may list. */
  entries: number;
}

export const defaultQdpxLimits: QdpxLimits = {
  entryBytes: 256 * 1024 * 1024,
  totalBytes: 1024 * 1024 * 1024,
  entries: 200_000,
};

function mebibytes(bytes: number): string {
  return bytes >= 1048576
    ? `${(bytes / 1048576).toFixed(bytes % 1048576 === 0 ? 0 : 1)} MiB`
    : `${bytes} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Reading the ZIP archive

export interface ZipEntry {
  /** The name as stored, with "/" separators. */
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  file: string;
  shownAs: string;
  entries: ZipEntry[];
  /** Entries by lower-case name, for the case-insensitive look-ups REFI-QDA files need. */
  byLowerName: Map<string, ZipEntry>;
  read(entry: ZipEntry): Promise<Uint8Array>;
  close(): Promise<void>;
}

const notAZipHint =
  'a .qdpx file is the ZIP archive a QDA program writes with "Export project (REFI-QDA)"; check that this is such a file.';

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as ZIP uses). */
export function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let index = 0; index < 256; index++) {
      let value = index;
      for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
      crcTable[index] = value >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let index = 0; index < data.length; index++)
    crc = crcTable[(crc ^ data[index]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Why an entry name is unsafe (an absolute path, a drive letter, or a `..` segment), or undefined.
 * Backslashes count as separators, as Windows tools write them.
 */
export function unsafeEntryName(name: string): string | undefined {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'a drive letter';
  if (path.split('/').some((segment) => segment === '..'))
    return 'a ".." segment that leaves the project folder';
  if (path.includes('\u0000')) return 'a NUL character';
  return undefined;
}

function decodeName(bytes: Uint8Array, utf8Flag: boolean): string {
  if (!utf8Flag) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return Buffer.from(bytes).toString('latin1');
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Open a ZIP archive and read its central directory (only the end of the file is read).

/** Reads `length` bytes at `position`, refusing a truncated file. */
type ReadAt = (position: number, length: number) => Promise<Buffer>;

function notZipError(shownAs: string, detail: string): InputError {
  return new InputError(`this is not a ZIP archive (${detail}), so it cannot be a REFI-QDA project`, {
    location: { file: shownAs },
    hint: notAZipHint,
  });
}

/**
 * Open a ZIP archive and read its central directory (only the end of the file is read).
 * @throws InputError for a missing file, a file that is not a ZIP archive, too many entries, or an
 *   entry whose name is an absolute path or climbs out of the archive with ".."
 */
export async function openZip(file: string, shownAs: string, limits: QdpxLimits): Promise<ZipArchive> {
  await checkInputFile(file, shownAs);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    throw new InputError('the file does not exist', {
      location: { file: shownAs },
      hint: 'check the path of the .qdpx file.',
    });
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory())
      throw new InputError('this is a folder, not a .qdpx file', { location: { file: shownAs } });
    const size = stat.size;
    const readAt: ReadAt = async (position, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead < length)
        throw new InputError('the archive is truncated', { location: { file: shownAs }, hint: notAZipHint });
      return buffer;
    };
    const { count, directorySize, directoryOffset } = await locateDirectory(readAt, size, shownAs);
    if (count > limits.entries) {
      throw new InputError(`the archive lists ${count} entries; more than ${limits.entries} are refused`, {
        location: { file: shownAs },
        hint: 'a REFI-QDA project holds project.qde and its sources; check that this is the file you meant.',
      });
    }
    if (directoryOffset + directorySize > size)
      throw notZipError(shownAs, 'its directory lies beyond the end of the file');
    const entries = parseDirectory(await readAt(directoryOffset, directorySize), count, shownAs);
    const byLowerName = new Map<string, ZipEntry>();
    for (const entry of entries)
      if (!byLowerName.has(entry.name.toLowerCase())) byLowerName.set(entry.name.toLowerCase(), entry);
    const read = entryReader(readAt, size, shownAs, limits);
    return { file, shownAs, entries, byLowerName, read, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The end-of-central-directory record (ZIP64 when the fields overflow): entry count, directory size and offset. */
async function locateDirectory(
  readAt: ReadAt,
  size: number,
  shownAs: string,
): Promise<{ count: number; directorySize: number; directoryOffset: number }> {
  const notZip = (detail: string): InputError => notZipError(shownAs, detail);
  if (size < 22) throw notZip('too short');
  const tailLength = Math.min(size, 22 + 65535 + 20);
  const tail = await readAt(size - tailLength, tailLength);
  let end = -1;
  for (let index = tail.length - 22; index >= 0; index--) {
    if (tail.readUInt32LE(index) === 0x06054b50) {
      end = index;
      break;
    }
  }
  if (end < 0) throw notZip('no end-of-directory record');
  let count = tail.readUInt16LE(end + 10);
  let directorySize = tail.readUInt32LE(end + 12);
  let directoryOffset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    // ZIP64: the locator sits just before the end record.
    if (end < 20 || tail.readUInt32LE(end - 20) !== 0x07064b50) throw notZip('a damaged ZIP64 directory');
    const recordOffset = Number(tail.readBigUInt64LE(end - 20 + 8));
    const record = await readAt(recordOffset, 56);
    if (record.readUInt32LE(0) !== 0x06064b50) throw notZip('a damaged ZIP64 directory');
    count = Number(record.readBigUInt64LE(32));
    directorySize = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  return { count, directorySize, directoryOffset };
}

/** The entries of the central directory, each name checked. */
function parseDirectory(directory: Buffer, count: number, shownAs: string): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== 0x02014b50)
      throw notZipError(shownAs, 'a damaged central directory');
    const flags = directory.readUInt16LE(offset + 8);
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const name = decodeName(directory.subarray(offset + 46, offset + 46 + nameLength), (flags & 0x800) !== 0);
    const sizes = zip64Sizes(directory, offset + 46 + nameLength, extraLength, {
      compressedSize: directory.readUInt32LE(offset + 20),
      uncompressedSize: directory.readUInt32LE(offset + 24),
      localHeaderOffset: directory.readUInt32LE(offset + 42),
    });
    entries.push({
      name: name.replace(/\\/g, '/'),
      method: directory.readUInt16LE(offset + 10),
      flags,
      crc: directory.readUInt32LE(offset + 16),
      ...sizes,
    });
    const unsafe = unsafeEntryName(name);
    if (unsafe !== undefined) {
      throw new InputError(
        `the archive holds an entry whose path has ${unsafe}: "${name}"; nothing was imported`,
        {
          location: { file: shownAs },
          hint: 'QDA programs never write such paths; the archive is damaged or was crafted to write outside its folder.',
        },
      );
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

interface EntrySizes {
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** The ZIP64 extra field: the 64-bit values, in this order, for the fields that are 0xFFFFFFFF. */
function zip64Sizes(directory: Buffer, start: number, length: number, sizes: EntrySizes): EntrySizes {
  const result = { ...sizes };
  let extra = start;
  const extraEnd = start + length;
  while (extra + 4 <= extraEnd) {
    const tag = directory.readUInt16LE(extra);
    const fieldLength = directory.readUInt16LE(extra + 2);
    if (tag === 0x0001) {
      let field = extra + 4;
      if (result.uncompressedSize === 0xffffffff) {
        result.uncompressedSize = Number(directory.readBigUInt64LE(field));
        field += 8;
      }
      if (result.compressedSize === 0xffffffff) {
        result.compressedSize = Number(directory.readBigUInt64LE(field));
        field += 8;
      }
      if (result.localHeaderOffset === 0xffffffff)
        result.localHeaderOffset = Number(directory.readBigUInt64LE(field));
    }
    extra += 4 + fieldLength;
  }
  return result;
}

/** Reads one entry: size limits first, then the data, inflated with a stop at the declared size, then size and CRC checked. */
function entryReader(
  readAt: ReadAt,
  size: number,
  shownAs: string,
  limits: QdpxLimits,
): (entry: ZipEntry) => Promise<Uint8Array> {
  let totalRead = 0;
  return async (entry) => {
    const where = { file: `${shownAs}:${entry.name}` };
    if (entry.uncompressedSize > limits.entryBytes || totalRead + entry.uncompressedSize > limits.totalBytes)
      throw new InputError(
        `this entry declares ${mebibytes(entry.uncompressedSize)} uncompressed; entries over ${mebibytes(limits.entryBytes)} (and ${mebibytes(limits.totalBytes)} in all) are refused, as a protection against ZIP bombs`,
        {
          location: where,
          hint: 'a project.qde or a plain text is far smaller; the archive is damaged or crafted.',
        },
      );
    if (entry.flags & 1) {
      throw new InputError('this entry is encrypted', {
        location: where,
        hint: 'export the project again without a password.',
      });
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new InputError(
        `this entry is compressed with method ${entry.method}, which cannot be read here (only stored and DEFLATE)`,
        {
          location: where,
          hint: 're-save the archive with a standard ZIP tool (DEFLATE), or export the project again.',
        },
      );
    }
    const header = await readAt(entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== 0x04034b50)
      throw notZipError(shownAs, `the entry ${entry.name} has no local header`);
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > size)
      throw notZipError(shownAs, `the entry ${entry.name} runs past the end of the file`);
    const compressed = await readAt(dataStart, entry.compressedSize);
    const data = entry.method === 0 ? compressed : inflate(compressed, entry.uncompressedSize, where);
    if (data.length !== entry.uncompressedSize || crc32(data) !== entry.crc) {
      throw new InputError('this entry is damaged: its size or checksum differs from the central directory', {
        location: where,
        hint: 'the archive is damaged; export the project again.',
      });
    }
    totalRead += data.length;
    return data;
  };
}

/** DEFLATE data inflated in steps, stopped as soon as it grows past `declared` bytes. */
function inflate(compressed: Buffer, declared: number, where: { file: string }): Uint8Array {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > declared)
      throw new InputError(
        `this entry inflates to more than the ${mebibytes(declared)} its central directory declares; stopped, as a protection against ZIP bombs`,
        { location: where, hint: 'the archive is damaged or crafted; export the project again.' },
      );
    chunks.push(chunk);
  });
  const step = 1 << 16;
  try {
    for (let position = 0; position < compressed.length; position += step)
      inflater.push(compressed.subarray(position, position + step), position + step >= compressed.length);
    if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`this entry cannot be inflated: ${(error as Error).message}`, {
      location: where,
      hint: 'the archive is damaged; export the project again.',
    });
  }
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A fixed time for every entry; see the module comment. */
const fixedTime = new Date(1980, 0, 1, 12, 0, 0);

/** A `.qdpx` archive: the entries sorted by name, fixed timestamps, DEFLATE level 6. */
export function zipProject(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const zippable: Record<string, [Uint8Array, { mtime: Date; level: 6; os: 0 }]> = {};
  for (const name of [...files.keys()].sort())
    zippable[name] = [files.get(name)!, { mtime: fixedTime, level: 6, os: 0 }];
  return zipSync(zippable);
}
