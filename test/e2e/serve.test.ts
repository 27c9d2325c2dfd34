/**
 * `coding serve` over plain HTTP (no browser): what is refused (no token, another coder's token,
 * cross-origin and header-less posts, foreign Host headers, paths outside the assets), the
 * headers every answer carries, --sample and --uncoded, and a clean stop that releases the locks.
 * One server for the whole file.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText, runCli } from '../helpers.js';
import { type ServeProcess, serveStudy, startServe } from './serve-process.js';

let workspace: string;
let server: ServeProcess;

/** A raw request, so that Host, Origin and the body are exactly what the test says. */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-coding-request': '1', ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  workspace = await serveStudy();
  await writeSample(workspace);
  server = await startServe(workspace);
});

afterAll(async () => {
  await server?.stop();
  if (workspace) await fs.rm(workspace, { recursive: true, force: true });
});

/** A sample of four units, written as `coding sample` would. */
async function writeSample(folder: string): Promise<void> {
  const result = await runCli(['sample', '--size', '4', '--seed', '7'], { cwd: folder });
  if (result.code !== 0) throw new Error(`coding sample failed: ${result.stderr}`);
}

describe('coding serve over HTTP', () => {
  it('prints one link per coder of coding.yaml and one for adjudication, each with its own token', () => {
    expect([...server.links.keys()]).toEqual(['coder1', 'coder2', 'adjudication']);
    const tokens = [...server.links.values()].map((link) => /\/s\/([^/]+)\/$/.exec(link)![1]!);
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(path.join(workspace, 'annotations', 'coder1.lock'))).toBe(true);
  });

  it('serves the page, its assets and the state with a strict policy', async () => {
    const link = server.links.get('coder1')!;
    const page = await request(link);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const policy = page.headers['content-security-policy']!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    // No inline script: every script is a file.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const name of ['style.css', 'shared.js', 'code.js', 'adjudicate.js']) {
      const asset = await request(`${link}${name}`);
      expect(asset.status, name).toBe(200);
    }
    const state = JSON.parse((await request(`${link}api/state`)).body);
    expect(state.state.coder).toBe('coder1');
    expect(state.codebook.categories.map((category: { id: string }) => category.id)).toEqual([
      'trade',
      'tone',
    ]);
  });

  it('refuses requests without a valid token', async () => {
    const link = server.links.get('coder1')!;
    const token = /\/s\/([^/]+)\//.exec(link)![1]!;
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const url of [
      `${server.origin}/`,
      `${server.origin}/api/state`,
      `${server.origin}/s/${forged}/api/state`,
      `${server.origin}/s/${forged}/`,
      `${server.origin}/s//api/state`,
    ]) {
      const answer = await request(url);
      expect([403, 404], url).toContain(answer.status);
      expect(answer.body).not.toContain('codebook');
    }
    const command = { request: 'r-forged', version: 1, command: { kind: 'next' } };
    expect((await post(`${server.origin}/s/${forged}/api/command`, command)).status).toBe(403);
  });

  it("refuses a coder's token for another coder's or the adjudicator's data", async () => {
    const coder1 = server.links.get('coder1')!;
    // There is no URL naming a coder: a token only ever reaches its own session.
    const adjudication = await request(`${coder1}api/adjudication`);
    expect(adjudication.status).toBe(404);
    const decide = await post(`${coder1}api/decide`, { unit: 'call:1', decision: 'a', rationale: '' });
    expect(decide.status).toBe(404);
    const adjudicator = server.links.get('adjudication')!;
    expect((await request(`${adjudicator}api/state`)).status).toBe(404);
    const command = { request: 'r-adjudicator', version: 1, command: { kind: 'next' } };
    expect((await post(`${adjudicator}api/command`, command)).status).toBe(404);
  });

  it('refuses cross-origin and header-less posts, and foreign Host headers', async () => {
    const link = server.links.get('coder1')!;
    const before = await readText(workspace, 'annotations/coder1.journal');
    const command = { request: 'r-cross', version: 1, command: { kind: 'none' } };
    const refusals = [
      // A form post from another site: no custom header, not JSON.
      await request(`${link}api/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
        body: 'kind=none',
      }),
      await post(`${link}api/command`, command, { origin: 'https://evil.example' }),
      await post(`${link}api/command`, command, { 'sec-fetch-site': 'cross-site' }),
      await request(`${link}api/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(command),
      }),
      await request(`${link}api/command`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-coding-request': '1' },
        body: JSON.stringify(command),
      }),
      // DNS rebinding: the right token, sent to a name that is not this server's.
      await post(`${link}api/command`, command, { host: 'evil.example' }),
      await request(`${link}api/state`, { headers: { host: `evil.example:${new URL(link).port}` } }),
    ];
    for (const answer of refusals) expect(answer.status).toBe(403);
    expect(await readText(workspace, 'annotations/coder1.journal')).toBe(before);
    expect((await request(link, { method: 'DELETE' })).status).toBe(405);
    // The page's own request from its own origin passes.
    const own = await post(`${link}api/command`, command, {
      origin: server.origin,
      'sec-fetch-site': 'same-origin',
    });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body).state.draft.none).toBe(true);
  });

  it('serves no path outside its own assets', async () => {
    const link = server.links.get('coder1')!;
    for (const name of [
      '..%2f..%2fcoding.yaml',
      '%2e%2e/%2e%2e/coding.yaml',
      'annotations/coder1.csv',
      'code.ts',
      'assets.ts',
      'static/code.js',
      '....//coding.yaml',
      'code.html%00.js',
    ]) {
      const answer = await request(`${link}${name}`);
      expect(answer.status, name).toBe(404);
      expect(answer.body).not.toContain('version: 1');
    }
  });

  it('retries are answered once; a stale version is refused with the current state', async () => {
    const link = server.links.get('coder2')!;
    const state = JSON.parse((await request(`${link}api/state`)).body).state;
    const toggle = {
      request: 'retry-1',
      version: state.version,
      command: { kind: 'toggle', code: 'trade.ntb' },
    };
    const first = JSON.parse((await post(`${link}api/command`, toggle)).body);
    const again = JSON.parse((await post(`${link}api/command`, toggle)).body);
    expect(first.state.draft.codes).toEqual(['trade.ntb']);
    expect(again).toEqual(first); // the same answer; not toggled off
    const stale = { request: 'stale-1', version: state.version, command: { kind: 'next' } };
    const refused = JSON.parse((await post(`${link}api/command`, stale)).body);
    expect(refused.conflict).toBe(true);
    expect(refused.state.unit.id).toBe(state.unit.id);
    expect(refused.saved).toEqual([]);
  });

  it('--sample and --uncoded choose the units as coding code does', async () => {
    const sample = (await readText(workspace, 'annotations/sample.csv')).trim().split('\n').slice(1);
    const other = await serveStudy();
    try {
      await fs.cp(
        path.join(workspace, 'annotations', 'sample.csv'),
        path.join(other, 'annotations', 'sample.csv'),
      );
      await fs.cp(
        path.join(workspace, 'annotations', 'sample.meta.json'),
        path.join(other, 'annotations', 'sample.meta.json'),
      );
      // coder1 has reviewed call:1 before: --uncoded leaves it out.
      expect((await runCli(['code', '--coder', 'coder1'], { cwd: other, input: '0\nn\nq\n' })).code).toBe(0);
      const sampled = await startServe(other, ['--sample', '--coder', 'coder1']);
      try {
        const state = JSON.parse((await request(`${sampled.links.get('coder1')!}api/state`)).body).state;
        expect(state.progress.total).toBe(sample.length);
        expect(state.scope).toBe('the sample');
      } finally {
        await sampled.stop();
      }
      const uncoded = await startServe(other, ['--uncoded', '--coder', 'coder1']);
      try {
        const link = uncoded.links.get('coder1')!;
        const state = JSON.parse((await request(`${link}api/state`)).body).state;
        expect(state.progress.total).toBe(15);
        expect(state.scope).toBe('the corpus, not reviewed at start');
        const goto = { request: 'goto-1', version: state.version, command: { kind: 'goto', unit: 'call:1' } };
        const refused = JSON.parse((await post(`${link}api/command`, goto)).body);
        expect(refused.message.text).toBe(
          'unit call:1 was reviewed before this session began (leave out --uncoded to revisit it)',
        );
      } finally {
        await uncoded.stop();
      }
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });

  it('done when: both coders code the sample through their links, and coding reliability sees the codes while the server runs', async () => {
    const other = await serveStudy();
    try {
      await writeSample(other);
      const sample = (await readText(other, 'annotations/sample.csv')).trim().split('\n').slice(1);
      const running = await startServe(other, ['--sample']);
      try {
        // The commands the page sends: coder1 marks trade.ntb on every unit; coder2 on all but the first.
        for (const coder of ['coder1', 'coder2']) {
          const link = running.links.get(coder)!;
          let state = JSON.parse((await request(`${link}api/state`)).body).state;
          for (let index = 0; index < sample.length; index++) {
            const marks =
              coder === 'coder2' && index === 0
                ? [{ kind: 'none' }]
                : [{ kind: 'toggle', code: 'trade.ntb' }];
            for (const command of [...marks, { kind: 'next' }]) {
              const answer = JSON.parse(
                (
                  await post(`${link}api/command`, {
                    request: `${coder}-${index}-${command.kind}`,
                    version: state.version,
                    command,
                  })
                ).body,
              );
              state = answer.state;
            }
          }
          expect(state.progress.left).toBe(0);
        }
        // Folded into the coders' files once they pause, with the server still running.
        let reliability = await runCli(['reliability', '--format', 'json', '--bootstrap', '0'], {
          cwd: other,
        });
        for (
          let tries = 0;
          tries < 40 && JSON.parse(reliability.stdout || '{}').n_units !== sample.length;
          tries++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          reliability = await runCli(['reliability', '--format', 'json', '--bootstrap', '0'], { cwd: other });
        }
        expect(reliability.code, reliability.stderr).toBe(0);
        const report = JSON.parse(reliability.stdout);
        expect(report.n_units).toBe(sample.length);
        expect(JSON.stringify(report)).toContain('trade.ntb');
      } finally {
        await running.stop();
      }
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });

  it('--host other than loopback warns, and still needs the tokens', async () => {
    const other = await serveStudy();
    try {
      const exposed = await startServe(other, ['--host', '0.0.0.0', '--coder', 'coder1']);
      try {
        expect(exposed.stderr()).toContain(
          'warning: --host 0.0.0.0: the pages can be reached from other computers',
        );
        const port = new URL(exposed.origin).port;
        const state = `/s/${/\/s\/([^/]+)\//.exec(exposed.links.get('coder1')!)![1]}/api/state`;
        expect((await request(`http://127.0.0.1:${port}${state}`)).status).toBe(200);
        expect((await request(`http://127.0.0.1:${port}/s/${'x'.repeat(43)}/api/state`)).status).toBe(403);
      } finally {
        await exposed.stop();
      }
    } finally {
      await fs.rm(other, { recursive: true, force: true });
    }
  });

  it('refuses a second session for a coder it serves, and stops cleanly on SIGTERM', async () => {
    const second = await runCli(['code', '--coder', 'coder1'], { cwd: workspace, input: 'q\n' });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('coder "coder1" is coding in another session');
    const code = await server.stop('SIGTERM');
    expect(code).toBe(0);
    expect(server.stderr()).toContain('stopping (SIGTERM)');
    expect(existsSync(path.join(workspace, 'annotations', 'coder1.lock'))).toBe(false);
    expect(existsSync(path.join(workspace, 'annotations', 'coder2.lock'))).toBe(false);
    // The decision made above ("no code applies" on the first unit was only a draft) is not in the file.
    expect(existsSync(path.join(workspace, 'annotations', 'coder1.csv'))).toBe(false);
    expect(server.stderr()).toContain(
      'coder1: no decision in this session; annotations/coder1.csv is as it was',
    );
    expect(server.stderr()).not.toContain('coder1: every decision is in');
  });
});
