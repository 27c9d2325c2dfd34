/** The LLM coder's pure parts: the prompt, the check of an answer, the cache key, the backoff; and its cache file. */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { backoffDelay, parseRetryAfter } from '../../../src/core/autocode/llm-backoff.js';
import {
  cacheKey,
  checkAnswer,
  promptTemplateHash,
  responseFormat,
  systemMessage,
  userMessage,
} from '../../../src/core/autocode/llm-prompt.js';
import { buildCodebookModel } from '../../../src/core/codebook.js';
import { createRandom } from '../../../src/core/random.js';
import { InputError } from '../../../src/errors.js';
import { type CacheEntry, LlmCacheWriter, readLlmCache } from '../../../src/io/llm-cache.js';
import { chatCompletionsUrl, sendChat } from '../../../src/io/llm-http.js';
import { codebookSchema } from '../../../src/schema/codebook.js';
import { fixtureCodebook } from '../../fixtures/study.js';
import { temporaryFolder } from '../../helpers.js';

const codebook = buildCodebookModel(
  codebookSchema.parse(
    parse(
      fixtureCodebook.replace(
        '        definition: Taxes on imports.\n',
        '        definition: Taxes on imports.\n        include: Duties and levies.\n        exclude: Quotas.\n        examples: ["We reject tariffs."]\n',
      ),
    ),
  ),
);

describe('the prompt', () => {
  it('gives every code with its definition, rules and examples, and the exclusive categories', () => {
    const system = systemMessage(codebook);
    expect(system).toContain(
      '- trade.tariffs: Tariffs\n  Definition: Taxes on imports.\n  Include: Duties and levies.\n  Exclude: Quotas.\n  Example: We reject tariffs.',
    );
    expect(system).toContain('Category tone: Tone (exclusive: at most one code of this category per unit)');
    expect(system).toContain('{"codes": []} means that no code applies');
  });

  it('marks the context and leaves it out when there is none', () => {
    expect(userMessage({ text: 'B.', before: [], after: [] })).toBe('The unit to code:\n"""\nB.\n"""');
    expect(userMessage({ text: 'B.', before: ['A.'], after: ['C.', 'D.'] })).toBe(
      'Context before the unit (do not code):\n"""\nA.\n"""\n\nThe unit to code:\n"""\nB.\n"""\n\nContext after the unit (do not code):\n"""\nC.\nD.\n"""',
    );
  });

  it('constrains the answer to the code ids with a strict schema, or asks for JSON mode', () => {
    expect(responseFormat(codebook, 'json_schema')).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'codes',
        strict: true,
        schema: {
          type: 'object',
          properties: {
            codes: {
              type: 'array',
              items: {
                type: 'string',
                enum: ['trade.ntb', 'trade.tariffs', 'tone.positive', 'tone.negative'],
              },
            },
          },
          required: ['codes'],
          additionalProperties: false,
        },
      },
    });
    expect(responseFormat(codebook, 'json_object')).toEqual({ type: 'json_object' });
    expect(promptTemplateHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('checking an answer', () => {
  it('accepts code ids in any order, drops duplicates, and accepts no code', () => {
    expect(checkAnswer('{"codes": ["tone.negative", "trade.ntb", "trade.ntb"]}', codebook)).toEqual({
      ok: true,
      codes: [0, 3],
    });
    expect(checkAnswer('{"codes": []}', codebook)).toEqual({ ok: true, codes: [] });
    expect(checkAnswer('```json\n{"codes": ["trade.tariffs"]}\n```', codebook)).toEqual({
      ok: true,
      codes: [1],
    });
  });

  it('refuses what is not JSON, not the shape, a code the codebook lacks, or two codes of an exclusive category', () => {
    expect(checkAnswer('{"codes": [', codebook)).toEqual({
      ok: false,
      problem: 'the answer is not JSON: "{"codes": ["',
    });
    expect(checkAnswer('{"code": "trade.ntb"}', codebook)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not {"codes"'),
    });
    expect(checkAnswer('{"codes": ["trade.ntb", "trade.quota"]}', codebook)).toEqual({
      ok: false,
      problem: 'the answer has codes the codebook does not: "trade.quota"',
    });
    expect(checkAnswer('{"codes": ["tone.positive", "tone.negative"]}', codebook)).toEqual({
      ok: false,
      problem: 'the answer has 2 codes of the exclusive category tone',
    });
  });

  it('keeps a grouping code (codable: false) out of the schema, marks it in the prompt, and refuses it', () => {
    const grouped = buildCodebookModel(
      codebookSchema.parse(
        parse(
          fixtureCodebook.replace(
            '        definition: Rules other than tariffs that hinder trade.\n',
            '        definition: Rules other than tariffs that hinder trade.\n        codable: false\n        codes:\n          - id: trade.ntb.rules\n            label: Rules of origin\n',
          ),
        ),
      ),
    );
    const schema = responseFormat(grouped, 'json_schema') as {
      json_schema: { schema: { properties: { codes: { items: { enum: string[] } } } } };
    };
    const allowed = schema.json_schema.schema.properties.codes.items.enum;
    expect(allowed).toContain('trade.ntb.rules');
    expect(allowed).not.toContain('trade.ntb');
    expect(systemMessage(grouped)).toContain(
      '- trade.ntb: Non-tariff barriers (a group of the codes below it: never give this id itself)',
    );
    expect(checkAnswer('{"codes": ["trade.ntb"]}', grouped)).toEqual({
      ok: false,
      problem: 'the answer gives "trade.ntb", a grouping code that is not given to units (codable: false)',
    });
    expect(checkAnswer('{"codes": ["trade.ntb.rules"]}', grouped)).toMatchObject({ ok: true });
  });
});

describe('the cache key', () => {
  const parts = {
    model: 'm',
    templateHash: promptTemplateHash,
    codebookHash: codebook.hash,
    unit: { text: 'A.', before: [], after: [] },
    run: 1,
    temperature: 0,
    seed: 1,
  };
  it('changes with each thing that decides an answer', () => {
    const base = cacheKey(parts);
    expect(cacheKey({ ...parts })).toBe(base);
    for (const changed of [
      { model: 'n' },
      { templateHash: 'x' },
      { codebookHash: 'y' },
      { unit: { text: 'A!', before: [], after: [] } },
      { unit: { text: 'A.', before: ['Z.'], after: [] } },
      { run: 2 },
      { temperature: 0.5 },
      { seed: 2 },
    ])
      expect(cacheKey({ ...parts, ...changed })).not.toBe(base);
  });
});

describe('backoff', () => {
  it('reads Retry-After as seconds or a date, capped at five minutes', () => {
    expect(parseRetryAfter('0', 0)).toBe(0);
    expect(parseRetryAfter('7', 0)).toBe(7000);
    expect(parseRetryAfter('86400', 0)).toBe(300_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });

  it('draws below a doubling ceiling, the same draws for the same seed, and obeys Retry-After', () => {
    const first = [0, 1, 2, 3, 10].map((retry) => backoffDelay(retry, createRandom(5)));
    const again = [0, 1, 2, 3, 10].map((retry) => backoffDelay(retry, createRandom(5)));
    expect(again).toEqual(first);
    [500, 1000, 2000, 4000, 30_000].forEach((ceiling, index) => {
      expect(first[index]).toBeGreaterThanOrEqual(0);
      expect(first[index]).toBeLessThan(ceiling);
    });
    expect(backoffDelay(3, createRandom(5), 1234)).toBe(1234);
  });
});

describe('the endpoint URL', () => {
  it('adds /chat/completions unless it is there', () => {
    expect(chatCompletionsUrl('http://localhost:11434/v1')).toBe(
      'http://localhost:11434/v1/chat/completions',
    );
    expect(chatCompletionsUrl('http://localhost:11434/v1/')).toBe(
      'http://localhost:11434/v1/chat/completions',
    );
    expect(chatCompletionsUrl('https://api.example/v1/chat/completions')).toBe(
      'https://api.example/v1/chat/completions',
    );
  });
});

describe('the cache file', () => {
  const entry = (key: string): CacheEntry => ({
    format: 'coding-llm-cache',
    version: 1,
    key,
    unit_id: `doc:${key}`,
    run: 1,
    request: {
      model: 'm',
      temperature: 0,
      seed: 1,
      response_format: 'json_schema',
      system_sha256: 's',
      user: 'u',
    },
    content: '{"codes": []}',
    server_model: null,
    prompt_tokens: 1,
    completion_tokens: 1,
    attempts: 1,
    date: '2026-11-30T00:00:00.000Z',
  });

  it('skips a torn last line, cuts it off before appending, and refuses a bad line in the middle', async () => {
    const folder = await temporaryFolder('coding-llm-cache-');
    const file = path.join(folder, 'llm-cache.jsonl');
    await fs.writeFile(file, `${JSON.stringify(entry('a'))}\n{"format":"coding-llm`);
    const read = await readLlmCache(file, 'llm-cache.jsonl');
    expect([...read.entries.keys()]).toEqual(['a']);
    expect(read.tornLine).toBe(true);
    const writer = await LlmCacheWriter.open(file);
    await writer.append(entry('b'));
    await writer.close();
    expect(await fs.readFile(file, 'utf8')).toBe(
      `${JSON.stringify(entry('a'))}\n${JSON.stringify(entry('b'))}\n`,
    );
    await fs.writeFile(file, `not json\n${JSON.stringify(entry('a'))}\n`);
    await expect(readLlmCache(file, 'llm-cache.jsonl')).rejects.toThrow(InputError);
    await expect(readLlmCache(path.join(folder, 'absent.jsonl'), 'absent')).resolves.toEqual({
      entries: new Map(),
      tornLine: false,
    });
  });
});

describe('one request', () => {
  it('does not follow a redirect (it would carry the key), and blanks the key out of what the server says', async () => {
    const seen: string[] = [];
    const server = http.createServer((request, response) => {
      seen.push(request.url ?? '');
      request.resume();
      request.on('end', () => {
        if (request.url === '/v1/chat/completions') {
          response.writeHead(307, { location: '/elsewhere/chat/completions' });
          response.end();
          return;
        }
        response.writeHead(403, { 'content-type': 'application/json' });
        response.end(`{"error": "you sent ${request.headers.authorization}"}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const redirected = await sendChat({
        url: `${base}/v1/chat/completions`,
        body: {},
        apiKey: 'k-123',
        timeoutMs: 5000,
      });
      expect(redirected).toMatchObject({ kind: 'refused', status: 307 });
      expect(seen).toEqual(['/v1/chat/completions']);
      const echoed = await sendChat({ url: `${base}/other`, body: {}, apiKey: 'k-123', timeoutMs: 5000 });
      expect(echoed).toEqual({
        kind: 'refused',
        status: 403,
        reason: 'HTTP 403: {"error": "you sent Bearer [key]"}',
      });
    } finally {
      server.close();
    }
  });
});
