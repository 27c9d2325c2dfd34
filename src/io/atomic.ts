/**
 * Atomic file output: every file the tool writes goes to a temporary file in the same folder
 * first and is renamed over the target only when complete, so an interrupted or failed command
 * never leaves a half-written file, and a failed multi-file command leaves every file as it was.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';

function temporaryPathFor(target: string): string {
  const folder = path.dirname(target);
  return path.join(
    folder,
    `.coding-tmp-${path.basename(target)}-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** Write `content` to `target` atomically (temp file, fsync, rename), creating the folder if needed. */
export async function writeFileAtomic(target: string, content: string | Uint8Array): Promise<void> {
  const batch = new AtomicBatch();
  batch.add(target, content);
  await batch.commit();
}

/** A streamed file that appears at `target` only on `commit()`; `abort()` removes the temporary file. */
export class AtomicWriteStream {
  readonly temporaryPath: string;
  readonly stream: WriteStream;
  private done = false;
  /** Small writes are gathered here and handed to the stream about 1 MiB at a time. */
  private pending = '';

  constructor(readonly target: string) {
    this.temporaryPath = temporaryPathFor(target);
    this.stream = createWriteStream(this.temporaryPath, { encoding: 'utf8' });
  }

  /** Write text; it reaches the file in batches, and waits when the stream's buffer is full (memory stays bounded). */
  async write(chunk: string): Promise<void> {
    this.pending += chunk;
    if (this.pending.length >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (text !== '' && !this.stream.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error): void => {
          this.stream.off('drain', onDrain);
          reject(error);
        };
        const onDrain = (): void => {
          this.stream.off('error', onError);
          resolve();
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  /** Flush and close; the file stays at its temporary path until `rename()`. */
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    const handle = await fs.open(this.temporaryPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async rename(): Promise<void> {
    await fs.rename(this.temporaryPath, this.target);
    this.done = true;
  }

  async commit(): Promise<void> {
    await this.close();
    await this.rename();
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.pending = '';
    // Let pending writes finish (or fail) before the file is removed; errors no longer matter.
    this.stream.on('error', () => {});
    if (!this.stream.closed) {
      this.stream.end();
      await finished(this.stream).catch(() => {});
    }
    await fs.rm(this.temporaryPath, { force: true });
  }
}

/**
 * Several files written together: all are written to temporary files first, and renamed into
 * place only when every one was written. If writing any fails, none is renamed.
 */
export class AtomicBatch {
  private readonly pending: Array<{ target: string; content: string | Uint8Array }> = [];
  private readonly streams: AtomicWriteStream[] = [];

  add(target: string, content: string | Uint8Array): void {
    this.pending.push({ target, content });
  }

  /** A streamed member of the batch; it is renamed with the others on `commit()`. */
  async stream(target: string): Promise<AtomicWriteStream> {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const stream = new AtomicWriteStream(target);
    this.streams.push(stream);
    return stream;
  }

  /** Make an already open stream a member of the batch. */
  adopt(stream: AtomicWriteStream): void {
    this.streams.push(stream);
  }

  get size(): number {
    return this.pending.length + this.streams.length;
  }

  async commit(): Promise<void> {
    const written: string[] = [];
    try {
      for (const stream of this.streams) await stream.close();
      for (const { target, content } of this.pending) {
        await fs.mkdir(path.dirname(target), { recursive: true });
        const temporary = temporaryPathFor(target);
        written.push(temporary);
        const handle = await fs.open(temporary, 'w');
        try {
          await handle.writeFile(content);
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
    } catch (error) {
      await Promise.all(written.map((file) => fs.rm(file, { force: true })));
      await this.abort();
      throw error;
    }
    for (const stream of this.streams) await stream.rename();
    for (const [index, { target }] of this.pending.entries()) await fs.rename(written[index]!, target);
  }

  async abort(): Promise<void> {
    await Promise.all(this.streams.map((stream) => stream.abort()));
  }
}

/** Copy `file` into `backupFolder` under a name with the time, before it is replaced; returns the copy's path. */
export async function backupFile(
  file: string,
  backupFolder: string,
  now: Date = new Date(),
): Promise<string> {
  await fs.mkdir(backupFolder, { recursive: true });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const extension = path.extname(file);
  let candidate = path.join(backupFolder, `${path.basename(file, extension)}.${stamp}${extension}`);
  for (let counter = 2; await exists(candidate); counter++) {
    candidate = path.join(backupFolder, `${path.basename(file, extension)}.${stamp}-${counter}${extension}`);
  }
  await fs.copyFile(file, candidate);
  return candidate;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
