/** The request rules of `coding serve`, as pure functions: tokens, Host headers, posts that change something. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  hostChecker,
  isLoopback,
  isWildcard,
  mutationRefusal,
  newToken,
  TokenTable,
} from '../../src/app/serve/security.js';

const requestWith = (headers: Record<string, string>): IncomingMessage =>
  ({ headers: { host: '127.0.0.1:8080', ...headers } }) as unknown as IncomingMessage;

describe('tokens', () => {
  it('are 32 random bytes in base64url, never the same twice', () => {
    const tokens = Array.from({ length: 200 }, newToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(200);
  });

  it('find only their own holder: not a prefix, not a longer string, not one character off', () => {
    const table = new TokenTable<string>();
    const ana = newToken();
    const ben = newToken();
    table.add(ana, 'ana');
    table.add(ben, 'ben');
    expect(table.find(ana)).toBe('ana');
    expect(table.find(ben)).toBe('ben');
    expect(table.find(ana.slice(0, -1))).toBeUndefined();
    expect(table.find(`${ana}x`)).toBeUndefined();
    expect(table.find(`${ana.slice(0, -1)}${ana.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(table.find('')).toBeUndefined();
  });
});

describe('hosts', () => {
  it('knows loopback and wildcard addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.10', '::', 'example.org'])
      expect(isLoopback(host), host).toBe(false);
    expect(isWildcard('0.0.0.0')).toBe(true);
    expect(isWildcard('::')).toBe(true);
    expect(isWildcard('127.0.0.1')).toBe(false);
  });

  it('answers only Host headers naming this server on its port (no DNS rebinding)', () => {
    const allowed = hostChecker('127.0.0.1', 8080);
    for (const host of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080'])
      expect(allowed(host), host).toBe(true);
    for (const host of [undefined, '', 'evil.example:8080', '127.0.0.1:8081', '127.0.0.1', 'evil.example'])
      expect(allowed(host), String(host)).toBe(false);
    const bound = hostChecker('192.168.1.10', 9000);
    expect(bound('192.168.1.10:9000')).toBe(true);
    expect(bound('evil.example:9000')).toBe(false);
    expect(hostChecker('::1', 9000)('[::1]:9000')).toBe(true);
    // On every interface the name cannot be known: any Host passes, the tokens still guard.
    expect(hostChecker('0.0.0.0', 9000)('anything:1')).toBe(true);
  });
});

describe('requests that change something', () => {
  const page = { 'x-coding-request': '1', 'content-type': 'application/json' };

  it("pass with the page's header, JSON, and the page's own origin (or none)", () => {
    expect(mutationRefusal(requestWith(page))).toBeUndefined();
    expect(
      mutationRefusal(
        requestWith({ ...page, origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }),
      ),
    ).toBeUndefined();
    expect(
      mutationRefusal(requestWith({ ...page, 'content-type': 'application/json; charset=utf-8' })),
    ).toBeUndefined();
  });

  it('are refused without the header, as a form, or from another origin', () => {
    expect(mutationRefusal(requestWith({ 'content-type': 'application/json' }))).toContain(
      'header is missing',
    );
    expect(mutationRefusal(requestWith({ ...page, 'x-coding-request': '0' }))).toContain('header is missing');
    expect(
      mutationRefusal(requestWith({ ...page, 'content-type': 'application/x-www-form-urlencoded' })),
    ).toBe('the body must be JSON');
    expect(mutationRefusal(requestWith({ ...page, 'content-type': 'text/plain' }))).toBe(
      'the body must be JSON',
    );
    expect(mutationRefusal(requestWith({ ...page, origin: 'http://evil.example' }))).toContain(
      'another origin',
    );
    expect(mutationRefusal(requestWith({ ...page, origin: 'http://127.0.0.1:8081' }))).toContain(
      'another origin',
    );
    expect(mutationRefusal(requestWith({ ...page, origin: 'null' }))).toContain('another origin');
    expect(mutationRefusal(requestWith({ ...page, 'sec-fetch-site': 'cross-site' }))).toBe(
      'a cross-site request is refused',
    );
    expect(mutationRefusal(requestWith({ ...page, 'sec-fetch-site': 'same-site' }))).toBe(
      'a same-site request is refused',
    );
  });
});
