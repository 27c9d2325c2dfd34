/**
 * `coding autocode --method llm` against a local server that speaks the chat-completions protocol
 * and answers from a script (no model): malformed JSON, a code the codebook lacks, 429, 500 and a
 * hang past --timeout are retried; every answer is cached, so running again asks nothing and
 * `coding reproduce` codes again from the cache; the key is sent only in the header.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureStudy } from '../fixtures/study.js';
import { bundledCodeIds, cliPath, copyBundledStudy, runCli, snapshot, temporaryFolder } from '../helpers.js';
import { type ChatServer, type Reply, type SeenRequest, startChatServer } from './llm-server.js';

const key = 'sk-test-5ecret-never-written';

/** The scripted "model": a few words decide the codes. */
function scriptedCodes(unit: string): string[] {
  const codes: string[] = [];
  if (/tariff|arancel/i.test(unit)) codes.push('trade.tariffs');
  if (/fentanyl|cartel|drug/i.test(unit)) codes.push('security.drugs');
  return codes;
}

function good(request: SeenRequest): Reply {
  const codes = scriptedCodes(request.unit);
  // A "sampling" model: with another seed it also sees praise wherever Mexico is named.
  if (request.body.seed === 20260130 && /Mexico/.test(request.unit)) codes.push('rhetoric.praise');
  return { content: JSON.stringify({ codes }) };
}

/**
 * Krippendorff's nominal α for two coders who coded the same items, each item present (1) or
 * absent (0): α = 1 − (n − 1)·d / (n₀·n₁), with n = 2 × items pairable values, d the items where
 * the coders differ and n₀, n₁ the counts of each value (the coincidence-matrix form of
 * Krippendorff 2011, "Computing Krippendorff's alpha-reliability", with o₀₁ = o₁₀ = d).
 */
function binaryAlpha(first: readonly number[], second: readonly number[]): number {
  const n = 2 * first.length;
  let ones = 0;
  let differ = 0;
  first.forEach((value, index) => {
    ones += value + second[index]!;
    if (value !== second[index]) differ++;
  });
  return 1 - ((n - 1) * differ) / ((n - ones) * ones);
}

/** Unit id → codes, from a stored annotation file. */
async function codesByUnit(file: string): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  for (const line of (await fs.readFile(file, 'utf8')).trim().split('\n').slice(1)) {
    const [unit, code] = line.split(',');
    if (!result.has(unit!)) result.set(unit!, new Set());
    if (code) result.get(unit!)!.add(code);
  }
  return result;
}

let study: string;
let server: ChatServer;

/** `coding autocode` as the bundled study's LLM coder `llm` runs it against the test server. */
function llmArguments(): string[] {
  return [
    'autocode',
    '--method',
    'llm',
    '--as',
    'llm',
    '--endpoint',
    server.url,
    '--model',
    'test-model',
    '--timeout',
    '1',
    '--format',
    'json',
  ];
}

let first: { code: number; stdout: string; stderr: string };
/** The units whose first request got a bad answer, in order: malformed, unknown code, 429, 500, hang. */
const troubled: string[] = [];

async function walk(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await fs.readdir(root, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  return files;
}

beforeAll(async () => {
  study = await temporaryFolder('coding-autocode-llm-');
  await copyBundledStudy(study);
  const seen = new Map<string, number>();
  server = await startChatServer((request) => {
    const times = (seen.get(request.unit) ?? 0) + 1;
    seen.set(request.unit, times);
    if (times === 1 && troubled.length < 5) {
      troubled.push(request.unit);
      switch (troubled.length) {
        case 1:
          return { content: '{"codes": ["trade.tariffs"' };
        case 2:
          return { content: '{"codes": ["trade.bogus"]}' };
        case 3:
          return { status: 429, headers: { 'retry-after': '0' }, raw: '{"error":{"message":"slow down"}}' };
        case 4:
          return { status: 500, raw: '{"error":{"message":"overloaded"}}' };
        default:
          return 'hang';
      }
    }
    return good(request);
  });
  first = await runCli(llmArguments(), { cwd: study, env: { OPENAI_API_KEY: key } });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('coding autocode --method llm', () => {
  it('codes every unit, retrying malformed JSON, unknown codes, 429, 500 and a timeout', async () => {
    expect(first.stderr).not.toContain('failed');
    expect(first.code).toBe(0);
    expect(troubled).toHaveLength(5);
    const result = JSON.parse(first.stdout);
    expect(result.calls).toBe(326 + 5);
    expect(result.cache_hits).toBe(0);
    expect(result.runs[0]).toMatchObject({ coder: 'llm', units: 326, coded_units: 326, failed_units: 0 });
    expect(server.requests).toHaveLength(326 + 5);
    // Every unit asked for once, and the five troubled ones twice.
    const counts = new Map<string, number>();
    for (const request of server.requests) counts.set(request.unit, (counts.get(request.unit) ?? 0) + 1);
    for (const unit of troubled) expect(counts.get(unit)).toBe(2);
    const csv = (await fs.readFile(path.join(study, 'annotations', 'llm.csv'), 'utf8')).trim().split('\n');
    expect(new Set(csv.slice(1).map((line) => line.split(',')[0])).size).toBe(326);
    expect(csv.some((line) => line.endsWith(',trade.tariffs,'))).toBe(true);
    expect(csv.every((line) => !line.includes('trade.bogus'))).toBe(true);
  });

  it('sends the codebook, the unit, the schema of the code ids, the seed, the temperature and the key', async () => {
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.authorization).toBe(`Bearer ${key}`);
    expect(request.body.model).toBe('test-model');
    expect(request.body.temperature).toBe(0);
    expect(request.body.seed).toBe(20260129);
    const codebook = await fs.readFile(path.join(study, 'codebooks', 'usmca-2026.yaml'), 'utf8');
    const system = request.body.messages[0]!.content;
    expect(system).toContain('trade.ntb: ');
    // A definition of the codebook, folded as YAML folds it, is in the system message.
    const definition = /definition: >-\n((?: {10}.*\n)+)/.exec(codebook)![1]!.trim().split(/\s+/).join(' ');
    expect(system).toContain(definition);
    expect(system).toMatch(/Exclude: /);
    expect(request.body.messages[1]!.content).toContain(request.unit);
    expect(request.unit.length).toBeGreaterThan(0);
    expect(request.body.response_format.type).toBe('json_schema');
    expect(request.body.response_format.json_schema!.schema.properties.codes.items.enum).toEqual([
      ...bundledCodeIds,
    ]);
  });

  it('caches every answer and records the provenance, never the key', async () => {
    const cache = (await fs.readFile(path.join(study, 'annotations', 'llm-cache.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    expect(cache).toHaveLength(326);
    const entry = JSON.parse(cache[0]!);
    expect(entry).toMatchObject({
      format: 'coding-llm-cache',
      version: 1,
      run: 1,
      server_model: 'served-model:7b',
    });
    const record = JSON.parse(
      await fs.readFile(path.join(study, 'annotations', 'llm.autocode.json'), 'utf8'),
    );
    expect(record).toMatchObject({
      format: 'coding-autocode',
      method: 'llm',
      model: 'test-model',
      server_models: ['served-model:7b'],
      endpoint_host: new URL(server.url).host,
      parameters: { temperature: 0, seed: 20260129, context: 0 },
      response_formats: ['json_schema'],
      coded_units: 326,
      failed_units: [],
      answers: { http_requests: 331, prompt_tokens: 32600, completion_tokens: 326 * 7 },
    });
    expect(record.prompt.template_hash).toMatch(/^[0-9a-f]{64}$/);
    for (const file of await walk(study)) expect(await fs.readFile(file, 'utf8')).not.toContain(key);
  });

  it('works with coding reliability against a human coder', async () => {
    const result = await runCli(['reliability', '--coders', 'coder1,llm', '--format', 'json'], {
      cwd: study,
    });
    expect(result.code).toBe(0);
    const tariffs = JSON.parse(result.stdout).codes.find(
      (row: { code: string }) => row.code === 'trade.tariffs',
    );
    expect(tariffs.kappa).toBeGreaterThan(0.3);
  });

  it('asks nothing when run again, and writes the same bytes', async () => {
    const before = await snapshot(path.join(study, 'annotations'));
    const asked = server.requests.length;
    const again = await runCli(llmArguments(), { cwd: study, env: { OPENAI_API_KEY: key } });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ calls: 0, cache_hits: 326 });
    expect(server.requests.length).toBe(asked);
    const after = await snapshot(path.join(study, 'annotations'));
    for (const name of ['llm.csv', 'llm.meta.json', 'llm.autocode.json', 'llm-cache.jsonl'])
      expect(after[name]).toBe(before[name]);
    // Offline, without --endpoint: the same files again (the record keeps the endpoint's host).
    const offline = await runCli(
      ['autocode', '--method', 'llm', '--as', 'llm', '--model', 'test-model', '--timeout', '1', '--offline'],
      { cwd: study },
    );
    expect(offline.code).toBe(0);
    const afterOffline = await snapshot(path.join(study, 'annotations'));
    for (const name of ['llm.csv', 'llm.meta.json', 'llm.autocode.json', 'llm-cache.jsonl'])
      expect(afterOffline[name]).toBe(before[name]);
    expect(server.requests.length).toBe(asked);
  });

  it('--dry-run prints the prompt and the requests needed, sending and writing nothing', async () => {
    const before = await snapshot(study);
    const asked = server.requests.length;
    const dry = await runCli(
      [
        'autocode',
        '--method',
        'llm',
        '--as',
        'other',
        '--endpoint',
        server.url,
        '--model',
        'test-model',
        '--runs',
        '2',
        '--dry-run',
      ],
      { cwd: study },
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('── system ──');
    expect(dry.stdout).toContain('The unit to code:');
    // Run 1 of "other" asks what "llm" asked (the same key), run 2 is new.
    expect(dry.stdout).toMatch(
      /326 units × 2 runs: 326 answers in the cache, 326 requests to make, about \d+ prompt tokens \(an estimate/,
    );
    expect(server.requests.length).toBe(asked);
    expect(await snapshot(study)).toEqual(before);
  });

  it('reproduce codes the LLM coder again from the cache, offline, and the report is byte-identical', async () => {
    const asked = server.requests.length;
    const dictionary = await runCli(['autocode', '--method', 'dictionary', '--as', 'dict'], { cwd: study });
    expect(dictionary.code).toBe(0);
    const one = await runCli(['reproduce', '-o', 'out1'], { cwd: study });
    expect(one.stdout).toMatch(
      /✓ autocode +dict \(dictionary\), llm \(llm\): coded again \(LLM coders from the cache\), identical/,
    );
    expect(one.stdout).not.toMatch(/✗ autocode/);
    const two = await runCli(['reproduce', '-o', 'out2'], { cwd: study });
    expect(two.code).toBe(one.code);
    expect(server.requests.length).toBe(asked);
    const html1 = await fs.readFile(path.join(study, 'out1', 'report.html'), 'utf8');
    const html2 = await fs.readFile(path.join(study, 'out2', 'report.html'), 'utf8');
    expect(html2).toBe(html1);
    expect(html1).toContain('id="machine-coders"');
    expect(html1).toContain('served-model:7b');
    expect(html1).toContain('Against coder1: 326 units, pooled κ');
    expect(html1).toContain('Run-to-run stability: not measured');
    // methods.md says what a reader needs to repeat the LLM coder, not how the connection was tuned.
    const methods = await fs.readFile(path.join(study, 'out1', 'methods.md'), 'utf8');
    expect(methods).toContain(
      'codes units with a large language model: the model requested as test-model (named served-model:7b by the server), served at 127.0.0.1',
    );
    expect(methods).toMatch(/Temperature 0, seed \d+; prompt template version \d+, SHA-256 [0-9a-f]{12}\./);
    expect(methods).toContain('(Gilardi, Alizadeh & Kubli 2023)');
    expect(methods).not.toMatch(/retries|timeout_seconds|concurrency/);
  });

  it('reproduce fails, naming the unit, when an answer is missing from the cache', async () => {
    const file = path.join(study, 'annotations', 'llm-cache.jsonl');
    const saved = await fs.readFile(file, 'utf8');
    const lines = saved.trim().split('\n');
    const removed = JSON.parse(lines[7]!).unit_id as string;
    await fs.writeFile(file, `${lines.filter((_, index) => index !== 7).join('\n')}\n`);
    const dictionaryFile = path.join(study, 'annotations', 'dict.csv');
    const dictionary = await fs.readFile(dictionaryFile, 'utf8');
    await fs.writeFile(dictionaryFile, dictionary.replace(',trade.tariffs,', ',trade.ntb,'));
    try {
      const result = await runCli(['reproduce', '-o', 'out3'], { cwd: study });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `LLM coder llm: 1 of 326 answers are missing from annotations/llm-cache.jsonl (the first: unit ${removed})`,
      );
      expect(result.stdout).toContain(
        'dict (dictionary): coded again, it gives a different annotations/dict.csv',
      );
      const offline = await runCli(
        ['autocode', '--method', 'llm', '--as', 'llm', '--model', 'test-model', '--offline'],
        { cwd: study },
      );
      expect(offline.code).toBe(2);
      expect(offline.stderr).toContain(
        `1 of 326 answers are not in annotations/llm-cache.jsonl (the first: unit ${removed}, run 1)`,
      );
    } finally {
      await fs.writeFile(file, saved);
      await fs.writeFile(dictionaryFile, dictionary);
    }
  });

  it('--runs 2 stores two coders, asks only for the new run, and the report shows their stability', async () => {
    const asked = server.requests.length;
    const runs = await runCli(
      [
        'autocode',
        '--method',
        'llm',
        '--as',
        'multi',
        '--endpoint',
        server.url,
        '--model',
        'test-model',
        '--runs',
        '2',
        '--format',
        'json',
      ],
      { cwd: study, env: { OPENAI_API_KEY: key } },
    );
    expect(runs.code).toBe(0);
    const result = JSON.parse(runs.stdout);
    expect(result.cache_hits).toBe(326);
    expect(result.calls).toBe(326);
    expect(result.runs.map((run: { coder: string; seed: number }) => [run.coder, run.seed])).toEqual([
      ['multi-r1', 20260129],
      ['multi-r2', 20260130],
    ]);
    // Run 2 adds praise where Mexico is named: its α is below 1, the others' 1 (or undefined: never coded).
    const first = await codesByUnit(path.join(study, 'annotations', 'multi-r1.csv'));
    const second = await codesByUnit(path.join(study, 'annotations', 'multi-r2.csv'));
    const codes = result.stability.codes.map((row: { code: string }) => row.code) as string[];
    const presence = (coder: Map<string, Set<string>>, only?: string) =>
      [...first.keys()].flatMap((unit) =>
        codes
          .filter((code) => only === undefined || code === only)
          .map((code) => (coder.get(unit)!.has(code) ? 1 : 0)),
      );
    const praise = result.stability.codes.find((row: { code: string }) => row.code === 'rhetoric.praise');
    expect(praise.alpha).toBeLessThan(0.9);
    expect(praise.alpha).toBeCloseTo(
      binaryAlpha(presence(first, 'rhetoric.praise'), presence(second, 'rhetoric.praise')),
      12,
    );
    expect(result.stability.alpha).toBeCloseTo(binaryAlpha(presence(first), presence(second)), 12);
    expect(
      result.stability.codes.find((row: { code: string }) => row.code === 'trade.tariffs').alpha,
    ).toBeCloseTo(1, 12);
    expect(server.requests.slice(asked).every((request) => request.body.seed === 20260130)).toBe(true);
    const report = await runCli(['report', '-o', 'out4'], { cwd: study });
    expect(report.code).toBe(0);
    const html = await fs.readFile(path.join(study, 'out4', 'report.html'), 'utf8');
    expect(html).toContain('Run-to-run stability of multi across its 2 runs (multi-r1, multi-r2)');
  });
});

describe('coding autocode --method llm on a small study', () => {
  let fixture: string;
  const llm = (url: string, ...more: string[]) => [
    'autocode',
    '--method',
    'llm',
    '--as',
    'bot',
    '--endpoint',
    url,
    '--model',
    'm',
    '--timeout',
    '1',
    ...more,
  ];
  const copy = async (): Promise<string> => {
    const folder = await temporaryFolder('coding-llm-small-');
    await fs.cp(fixture, folder, { recursive: true });
    return folder;
  };

  beforeAll(async () => {
    fixture = await fixtureStudy();
  }, 60_000);

  it('resumes a killed run from the cache without asking for an answered unit again', async () => {
    const workspace = await copy();
    let answered = 0;
    let child: ChildProcess | undefined;
    const slow = await startChatServer(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answered++;
      if (answered === 5) setTimeout(() => child?.kill('SIGKILL'), 20);
      return good(request);
    });
    try {
      child = spawn(process.execPath, [cliPath, ...llm(slow.url, '--concurrency', '1')], {
        cwd: workspace,
        env: { ...process.env, OPENAI_API_KEY: '' },
        stdio: 'ignore',
      });
      const signal = await new Promise((resolve) => child!.on('exit', (_code, killed) => resolve(killed)));
      expect(signal).toBe('SIGKILL');
    } finally {
      await slow.close();
    }
    const cacheFile = path.join(workspace, 'annotations', 'llm-cache.jsonl');
    const cached = (await fs.readFile(cacheFile, 'utf8'))
      .split('\n')
      .filter((line) => line.endsWith('}'))
      .map((line) => JSON.parse(line).unit_id as string);
    expect(cached.length).toBeGreaterThanOrEqual(3);
    expect(cached.length).toBeLessThan(12);
    // A torn last line, as a kill in the middle of a write leaves it.
    await fs.appendFile(cacheFile, '{"format":"coding-llm-cache","vers');
    const fast = await startChatServer(good);
    try {
      const resumed = await runCli(llm(fast.url, '--format', 'json'), {
        cwd: workspace,
        env: { OPENAI_API_KEY: '' },
      });
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toContain('the last line of the cache was torn');
      expect(JSON.parse(resumed.stdout)).toMatchObject({
        calls: 12 - cached.length,
        cache_hits: cached.length,
      });
      expect(fast.requests).toHaveLength(12 - cached.length);
      const askedAgain = fast.requests.map((request) => request.unit);
      expect(new Set(askedAgain).size).toBe(askedAgain.length);
      // No Authorization header without a key.
      expect(fast.requests.every((request) => request.authorization === undefined)).toBe(true);
      const lines = (await fs.readFile(cacheFile, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(12);
      for (const line of lines) JSON.parse(line);
    } finally {
      await fast.close();
    }
  }, 60_000);

  it('falls back to JSON mode when the server rejects json_schema, and records it', async () => {
    const workspace = await copy();
    const server = await startChatServer((request) =>
      request.body.response_format.type === 'json_schema'
        ? { status: 400, raw: '{"error":{"message":"response_format type json_schema is not supported"}}' }
        : good(request),
    );
    try {
      const result = await runCli(llm(server.url, '--context', '1'), { cwd: workspace });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('the server rejected the JSON schema response format');
      const record = JSON.parse(
        await fs.readFile(path.join(workspace, 'annotations', 'bot.autocode.json'), 'utf8'),
      );
      expect(record.response_formats).toEqual(['json_object']);
      expect(record.coded_units).toBe(12);
      const formats = server.requests.map((request) => request.body.response_format.type);
      expect(formats[0]).toBe('json_schema');
      expect(formats.filter((type) => type === 'json_object')).toHaveLength(12);
      // --context 1: the second sentence of a document comes with the first and the third.
      const second = server.requests.find((request) => request.unit === 'Tariffs stay on the table.')!;
      expect(second.body.messages[1]!.content).toContain(
        'Context before the unit (do not code):\n"""\nA great call on trade.\n"""',
      );
      expect(second.body.messages[1]!.content).toContain(
        'Context after the unit (do not code):\n"""\nThe rules on car parts must go.\n"""',
      );
    } finally {
      await server.close();
    }
  });

  it('leaves out a unit whose answers stay invalid, exits 1, and asks only for it when run again', async () => {
    const workspace = await copy();
    const stubborn = await startChatServer((request) =>
      request.unit === 'Markets rose.' ? { content: 'I think tariffs.' } : good(request),
    );
    try {
      const result = await runCli(llm(stubborn.url, '--retries', '1'), { cwd: workspace });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'failed: unit wire:4 (run 1): the answer is not JSON: "I think tariffs." (after 2 requests)',
      );
      expect(result.stderr).toContain('Run the same command again');
      expect(stubborn.requests.filter((request) => request.unit === 'Markets rose.')).toHaveLength(2);
      const csv = await fs.readFile(path.join(workspace, 'annotations', 'bot.csv'), 'utf8');
      expect(csv).not.toContain('wire:4');
      expect(csv).toContain('wire:3');
      const record = JSON.parse(
        await fs.readFile(path.join(workspace, 'annotations', 'bot.autocode.json'), 'utf8'),
      );
      expect(record.failed_units).toEqual(['wire:4']);
    } finally {
      await stubborn.close();
    }
    const fine = await startChatServer(good);
    try {
      // Another coder with the same settings asks only for the failed unit...
      const other = await runCli([...llm(fine.url), '--as', 'bot2'], { cwd: workspace });
      expect(other.code).toBe(0);
      expect(fine.requests.map((request) => request.unit)).toEqual(['Markets rose.']);
      // ...and reproduce still finds bot's annotations, which lack that unit, identical.
      const reproduced = await runCli(['reproduce', '-o', 'out'], { cwd: workspace });
      expect(reproduced.stdout).toMatch(/✓ autocode +bot \(llm\), bot2 \(llm\): coded again/);
      const again = await runCli(llm(fine.url), { cwd: workspace });
      expect(again.code).toBe(0);
      expect(fine.requests).toHaveLength(1);
      expect(await fs.readFile(path.join(workspace, 'annotations', 'bot.csv'), 'utf8')).toContain('wire:4,,');
    } finally {
      await fine.close();
    }
  });

  it('stops when the server cannot be reached, rather than failing every unit', async () => {
    const workspace = await copy();
    const gone = await startChatServer(good);
    await gone.close();
    const result = await runCli(llm(gone.url, '--retries', '1'), { cwd: workspace });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /the server at 127\.0\.0\.1:\d+ failed: it cannot be reached: the request failed \(.*ECONNREFUSED/,
    );
    expect(await fs.readdir(path.join(workspace, 'annotations'))).not.toContain('bot.csv');
  });

  it('stops on a refusal (401) with a message that does not show the key', async () => {
    const workspace = await copy();
    const server = await startChatServer((request) => ({
      status: 401,
      raw: JSON.stringify({ error: { message: `Incorrect API key provided: ${request.authorization}` } }),
    }));
    try {
      const result = await runCli(llm(server.url), { cwd: workspace, env: { LLM_KEY: key } });
      // --api-key-env defaults to OPENAI_API_KEY: this run sends no key at all.
      expect(result.code).toBe(2);
      expect(server.requests[0]!.authorization).toBeUndefined();
      const named = await runCli(llm(server.url, '--api-key-env', 'LLM_KEY'), {
        cwd: workspace,
        env: { LLM_KEY: key },
      });
      expect(named.code).toBe(2);
      expect(named.stderr).toContain('refused the request: HTTP 401');
      expect(named.stderr).toContain('[key]');
      expect(named.stderr).not.toContain(key);
      expect(server.requests.at(-1)!.authorization).toBe(`Bearer ${key}`);
      for (const file of await walk(workspace)) expect(await fs.readFile(file, 'utf8')).not.toContain(key);
    } finally {
      await server.close();
    }
  });
});
