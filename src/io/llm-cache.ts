/**
 * The LLM coder's cache, `annotations/llm-cache.jsonl`: one JSON line per answered request,
 * appended and flushed to disk (fsync) as each answer arrives, because each one cost a request.
 * A run that is killed leaves at most a torn last line, which reading skips (and appending cuts
 * off); the run started again asks only for what the cache lacks, and `coding reproduce` codes
 * from it without the network. The API key is never part of a line.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';

export const llmCacheFormat = 'coding-llm-cache';
export const llmCacheVersion = 1;
export const llmCacheFileName = 'llm-cache.jsonl';

export const cacheEntrySchema = z.object({
  format: z.literal(llmCacheFormat),
  version: z.literal(llmCacheVersion),
  key: z
    .string()
    .describe('SHA-256 of model, template hash, codebook hash, unit and context, run, temperature, seed'),
  unit_id: z.string().describe('The unit the answer is for (for people; the key decides)'),
  run: z.number().int(),
  request: z
    .object({
      model: z.string(),
      temperature: z.number(),
      seed: z.number(),
      response_format: z.enum(['json_schema', 'json_object']),
      system_sha256: z
        .string()
        .describe('SHA-256 of the system message (the codebook; the same for every unit)'),
      user: z.string().describe('The user message: the unit and its context'),
    })
    .describe('What was sent, besides the system message'),
  content: z.string().describe("The answer's content, as the server sent it"),
  server_model: z.string().nullable().describe('The model as the server named it'),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  attempts: z.number().int().describe('HTTP requests this answer took (retries included)'),
  date: z.string().describe('When the answer arrived (ISO 8601, UTC)'),
});

export type CacheEntry = z.infer<typeof cacheEntrySchema>;

export interface CacheContents {
  entries: Map<string, CacheEntry>;
  /** A torn last line (a run killed while writing) was skipped. */
  tornLine: boolean;
}

/**
 * Read the cache; absent is empty. A last line without its newline that is not a complete entry is
 * a torn write and is skipped; any other unreadable line is an error naming it.
 */
export async function readLlmCache(file: string, shownAs: string): Promise<CacheContents> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: new Map(), tornLine: false };
    throw error;
  }
  const entries = new Map<string, CacheEntry>();
  const lines = text.split('\n');
  let tornLine = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const last = index === lines.length - 1;
    let entry: CacheEntry | undefined;
    try {
      const parsed = cacheEntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entry = parsed.data;
    } catch {
      entry = undefined;
    }
    if (entry === undefined) {
      if (last) {
        tornLine = true;
        continue;
      }
      throw new InputError(`line ${index + 1} of ${shownAs} is not an entry of the LLM coder's cache`, {
        location: { file: shownAs, line: index + 1 },
        hint: `restore ${shownAs} from version control, or delete that line (its unit is then asked again).`,
      });
    }
    entries.set(entry.key, entry);
  }
  return { entries, tornLine };
}

/** Appends entries to the cache, each flushed to disk before the next. */
export class LlmCacheWriter {
  private queue: Promise<void> = Promise.resolve();

  private constructor(private readonly handle: fs.FileHandle) {}

  /** Open for appending; a torn last line is cut off first, so the next entry starts a line. */
  static async open(file: string): Promise<LlmCacheWriter> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const handle = await fs.open(file, 'a');
    const data = await fs.readFile(file);
    if (data.length > 0 && data[data.length - 1] !== 0x0a) await handle.truncate(data.lastIndexOf(0x0a) + 1);
    return new LlmCacheWriter(handle);
  }

  append(entry: CacheEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    this.queue = this.queue.then(async () => {
      await this.handle.appendFile(line, 'utf8');
      await this.handle.sync();
    });
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.handle.close();
  }
}
