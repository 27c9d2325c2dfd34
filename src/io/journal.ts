/**
 * The journal and the lock of a terminal coding session (`coding code`).
 *
 * `annotations/<coder>.journal` is append-only JSON lines: a header, then one line per decision
 * and one per screen (the unit on screen), each written with one write() and flushed to the disk
 * (fdatasync) before the next screen. It is the only file the tool appends to; it is folded into
 * `annotations/<coder>.csv` (atomically) and then rewritten atomically to its header and the
 * position, so a killed session loses at most the unit on screen.
 *
 * `annotations/<coder>.lock` says which process codes for the coder: it is created whole (written
 * to a temporary file, then hard-linked to its name, which fails when the name exists), so it is
 * never seen half-written.
 */

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { JournalRecord } from '../core/code-session.js';
import { type Finding, InputError, UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { withFile } from './fs-errors.js';
import {
  acquireLockFile,
  describeHolder,
  lockTime,
  processExists,
  readTextIfPresent,
  syncFolder,
} from './lock.js';

export const journalFormatVersion = 1;
export const lockFormatVersion = 1;

/** Where a coder's session files live. */
export function sessionFiles(annotationsFolder: string, coder: string): { journal: string; lock: string } {
  return {
    journal: path.join(annotationsFolder, `${coder}.journal`),
    lock: path.join(annotationsFolder, `${coder}.lock`),
  };
}

export const journalHeaderSchema = z
  .object({
    format: z.literal('coding-journal'),
    version: z.literal(journalFormatVersion),
    coder: z.string().describe('Whose decisions these are'),
    codebook_hash: z.string().describe('Content hash of the codebook the decisions were made with'),
  })
  .strict();
export type JournalHeader = z.infer<typeof journalHeaderSchema>;

const decisionLineSchema = z
  .object({
    unit: z.string().min(1).describe('Unit id'),
    codes: z.array(z.string().min(1)).describe('Code ids; empty: reviewed, no code applies'),
    memo: z.string().describe('The unit memo; empty: none'),
    time: z.string().describe('When the decision was made (ISO 8601, UTC)'),
  })
  .strict();

const positionLineSchema = z
  .object({
    at: z.string().min(1).nullable().describe('The unit on screen; null: the end of the list'),
    after: z
      .literal(true)
      .optional()
      .describe('Resume after this unit rather than at it (a folded journal that ended with a decision)'),
    time: z.string(),
  })
  .strict();

/** The text of a journal line (with its line end): keys in a fixed order. */
export function journalLine(
  entry:
    | { kind: 'decision'; unitId: string; codes: readonly string[]; memo: string; time: string }
    | { kind: 'at'; unitId: string | null; after?: boolean; time: string },
): string {
  if (entry.kind === 'at')
    return `${JSON.stringify({ at: entry.unitId, ...(entry.after ? { after: true } : {}), time: entry.time })}\n`;
  return `${JSON.stringify({ unit: entry.unitId, codes: entry.codes, memo: entry.memo, time: entry.time })}\n`;
}

export function journalHeaderLine(header: Omit<JournalHeader, 'format' | 'version'>): string {
  const full: JournalHeader = { format: 'coding-journal', version: journalFormatVersion, ...header };
  return `${JSON.stringify(full)}\n`;
}

export interface ReadJournal {
  header: JournalHeader | undefined;
  records: JournalRecord[];
  /** Lines that could not be read (a line cut off when a session was killed), ignored. */
  warnings: Finding[];
}

/**
 * Read a journal; undefined when there is none. A line that is not a complete entry (the last one,
 * cut off when the process was killed) is ignored with a warning; a journal of another format
 * version or another coder is refused.
 */
export async function readJournal(
  file: string,
  shownAs: string,
  coder: string,
): Promise<ReadJournal | undefined> {
  const text = await readTextIfPresent(file);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) lines.pop();
  const warnings: Finding[] = [];
  const records: JournalRecord[] = [];
  let header: JournalHeader | undefined;
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (content.trim() === '') continue;
    const cutOff = index === lines.length - 1 && !endsWithNewline;
    const ignore = (why: string): void => {
      warnings.push({
        code: 'JOURNAL_LINE_IGNORED',
        severity: 'warning',
        file: shownAs,
        line,
        message: cutOff
          ? `the last line was cut off (the session was killed while writing it) and is ignored: ${why}`
          : `this line is not a journal entry and is ignored: ${why}`,
      });
    };
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch {
      ignore('it is not complete JSON');
      continue;
    }
    if (data !== null && typeof data === 'object' && 'format' in data) {
      const version = (data as { version?: unknown }).version;
      if ((data as { format?: unknown }).format === 'coding-journal' && version !== journalFormatVersion) {
        throw new InputError(
          `unknown journal format version: expected ${journalFormatVersion}, received ${String(version)}`,
          {
            location: { file: shownAs, line },
            hint: 'this journal was written by another version of coding; fold it with that version (run coding code and quit), or move it away to start afresh.',
          },
        );
      }
      const parsed = journalHeaderSchema.safeParse(data);
      if (!parsed.success) {
        ignore(`a malformed header (${parsed.error.issues[0]?.message})`);
        continue;
      }
      if (parsed.data.coder !== coder) {
        throw new InputError(`this journal belongs to coder "${parsed.data.coder}", not "${coder}"`, {
          location: { file: shownAs, line },
          hint: `the file was renamed or copied; move it to annotations/${parsed.data.coder}.journal, or away.`,
        });
      }
      header = parsed.data;
      continue;
    }
    if (data !== null && typeof data === 'object' && 'at' in data) {
      const parsed = positionLineSchema.safeParse(data);
      if (!parsed.success) {
        ignore(parsed.error.issues[0]?.message ?? 'malformed');
        continue;
      }
      records.push({
        kind: 'at',
        unitId: parsed.data.at,
        ...(parsed.data.after ? { after: true } : {}),
        time: parsed.data.time,
        line,
      });
      continue;
    }
    const parsed = decisionLineSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      ignore(issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'malformed');
      continue;
    }
    records.push({
      kind: 'decision',
      unitId: parsed.data.unit,
      codes: parsed.data.codes,
      memo: parsed.data.memo,
      time: parsed.data.time,
      line,
    });
  }
  return { header, records, warnings };
}

/** Replace the journal, atomically, by its header and the position (after its decisions were folded). */
export async function rewriteJournal(
  file: string,
  header: Omit<JournalHeader, 'format' | 'version'>,
  position: { unitId: string | null; after?: boolean; time: string } | undefined,
): Promise<void> {
  let text = journalHeaderLine(header);
  if (position) text += journalLine({ kind: 'at', ...position });
  await writeFileAtomic(file, text);
}

/**
 * Write all of `text` at the end of a file opened for appending and flush it to the disk; on any
 * failure, truncate the file back to `sizeBefore` (no half entry stays) and rethrow.
 */
async function writeWhole(handle: fs.FileHandle, text: string, sizeBefore: number): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      if (bytesWritten <= 0)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
          syscall: 'write',
        });
      offset += bytesWritten;
    }
    await handle.datasync();
  } catch (error) {
    await handle.truncate(sizeBefore).catch(() => {});
    await handle.datasync().catch(() => {});
    throw error;
  }
}

/** Appends lines to a journal, each on the disk before `append` returns. */
export class JournalWriter {
  private constructor(
    private readonly handle: fs.FileHandle,
    /** The file did not end with a line end (a cut-off line): start the first append on a new line. */
    private needsNewline: boolean,
  ) {}

  /** Open a journal for appending, writing its header first when it is new or empty. */
  static async open(file: string, header: Omit<JournalHeader, 'format' | 'version'>): Promise<JournalWriter> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const handle = await fs.open(file, 'a+');
    try {
      const { size } = await handle.stat();
      let needsNewline = false;
      if (size === 0) {
        await writeWhole(handle, journalHeaderLine(header), 0);
        await syncFolder(path.dirname(file));
      } else {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        needsNewline = last[0] !== 0x0a;
      }
      return new JournalWriter(handle, needsNewline);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Append one entry: every byte written (checked), then fdatasync. If any of it fails (a full
   * disk), the part written is cut off again, so the journal holds whole entries only, and the
   * error is thrown: the entry is not saved.
   */
  async append(text: string): Promise<void> {
    const { size } = await this.handle.stat();
    await writeWhole(this.handle, this.needsNewline ? `\n${text}` : text, size);
    this.needsNewline = false;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export const lockSchema = z
  .object({
    format: z.literal('coding-lock'),
    version: z.literal(lockFormatVersion),
    coder: z.string(),
    pid: z.number().int().positive().describe('Process id of the session'),
    host: z.string().describe('Host name of the computer it runs on'),
    started: z.string().describe('When the session started (ISO 8601, UTC)'),
  })
  .strict();
export type LockInfo = z.infer<typeof lockSchema>;

export { processExists };

export interface HeldLock {
  info: LockInfo;
  /** The stale lock that was taken over (its process no longer runs), if any. */
  tookOver: LockInfo | undefined;
  release(): Promise<void>;
  /** For `process.on('exit')`, where only synchronous calls run. */
  releaseSync(): void;
}

function parseLock(text: string, shownAs: string, coder: string): LockInfo {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = lockSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputError('this lock file was not written by coding code (or by another version of it)', {
      location: { file: shownAs },
      hint: `if no coding code session for "${coder}" is running, delete ${shownAs} and start again.`,
    });
  }
  return parsed.data;
}

/** The session lock of a coder as it is on disk now, if any (undefined: none, or not readable as one). */
export async function readSessionLock(
  file: string,
  shownAs: string,
  coder: string,
): Promise<LockInfo | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parseLock(text, shownAs, coder);
  } catch {
    return undefined;
  }
}

/**
 * Take the lock of a coder's session. A lock held by a running process is refused; a lock of a
 * process that no longer runs on this computer is stale and taken over.
 *
 * @throws UsageError when another session for the coder is running (or may be, on another computer)
 */
export async function acquireLock(
  file: string,
  shownAs: string,
  coder: string,
  options: { now?: Date; isAlive?: (pid: number) => boolean; host?: string; pid?: number } = {},
): Promise<HeldLock> {
  const host = options.host ?? os.hostname();
  const info: LockInfo = {
    format: 'coding-lock',
    version: lockFormatVersion,
    coder,
    pid: options.pid ?? process.pid,
    host,
    started: lockTime(options.now),
  };
  let held: Awaited<ReturnType<typeof acquireLockFile<LockInfo>>>;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    held = await takeSessionLock();
  } catch (error) {
    throw withFile(error, shownAs, 'cannot take the session lock');
  }
  function takeSessionLock() {
    return acquireLockFile({
      file,
      record: info,
      host,
      ...(options.isAlive ? { isAlive: options.isAlive } : {}),
      parse: (text) => parseLock(text, shownAs, coder),
      refuse: (holder, where) =>
        new UsageError(`coder "${coder}" is coding in another session (${describeHolder(holder)})`, {
          hint:
            where === 'another computer'
              ? `finish that session first (q). If it is not running any more (its computer crashed), delete ${shownAs} and start again.`
              : `finish that session first (q), or code as another coder. If process ${holder.pid} is not coding (the id was reused), delete ${shownAs}.`,
        }),
    });
  }
  return {
    info,
    tookOver: held.tookOver,
    release: () => held.release(),
    releaseSync: () => held.releaseSync(),
  };
}

/**
 * Refuse to change a coder's annotations while a `coding code` session of that coder runs in
 * another process: its journal would be folded over the change when it ends.
 *
 * @throws UsageError naming the session
 */
export async function refuseWhileCoding(
  file: string,
  shownAs: string,
  coder: string,
  csvShownAs: string,
  options: { isAlive?: (pid: number) => boolean; host?: string } = {},
): Promise<void> {
  const held = await readSessionLock(file, shownAs, coder);
  if (held === undefined) return;
  const host = options.host ?? os.hostname();
  if (held.host === host && held.pid === process.pid) return; // this process's own session
  if (held.host === host && !(options.isAlive ?? processExists)(held.pid)) return; // stale: taken over at the next start
  throw new UsageError(
    `coder "${coder}" is coding in a coding code session (${describeHolder(held)}); ${csvShownAs} cannot be changed under it`,
    {
      hint:
        held.host === host
          ? `finish that session first (q), then run this command again. If process ${held.pid} is not coding (the id was reused), delete ${shownAs}.`
          : `finish that session first (q), then run this command again. If it is not running any more (its computer crashed), delete ${shownAs}.`,
    },
  );
}
