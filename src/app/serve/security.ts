/**
 * The rules every request to `coding serve` passes: a random token per person (each link carries
 * its own), the Host header of this server (no DNS rebinding), and for requests that change
 * anything a header only the page's own scripts set, JSON, and no foreign Origin (no cross-site
 * form posts or fetches). Every answer carries a strict Content-Security-Policy.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';

/** The header the page sets on every request that changes something. */
export const requestHeader = 'x-coding-request';

/** A new token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens and whose they are; looked up in time independent of where a token differs. */
export class TokenTable<T> {
  private readonly entries: Array<{ token: Buffer; value: T }> = [];

  add(token: string, value: T): void {
    this.entries.push({ token: Buffer.from(token), value });
  }

  find(token: string): T | undefined {
    const given = Buffer.from(token);
    let found: T | undefined;
    for (const entry of this.entries)
      if (entry.token.length === given.length && timingSafeEqual(entry.token, given)) found = entry.value;
    return found;
  }
}

export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.replace(/^\[|\]$/g, '');
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  return bare === '::1';
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/**
 * Which Host headers this server answers: its loopback names and the host it was bound to, on its
 * port; anything when bound to every interface (the tokens still guard every request).
 */
export function hostChecker(boundHost: string, port: number): (header: string | undefined) => boolean {
  if (isWildcard(boundHost)) return (header) => header !== undefined && header !== '';
  const bound = net.isIPv6(boundHost) ? `[${boundHost}]` : boundHost;
  const allowed = new Set(
    ['127.0.0.1', 'localhost', '[::1]', bound].map((name) => `${name.toLowerCase()}:${port}`),
  );
  return (header) => header !== undefined && allowed.has(header.toLowerCase());
}

/**
 * Why a request that changes something is refused (undefined: it may go on): it must carry the
 * page's header and JSON, and come from this server's own origin when the browser says where from.
 */
export function mutationRefusal(request: IncomingMessage): string | undefined {
  if (request.headers[requestHeader] !== '1') return `the ${requestHeader} header is missing`;
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json(\s*;|$)/i.test(type)) return 'the body must be JSON';
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host}`)
    return `a request from another origin (${origin}) is refused`;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return `a ${site} request is refused`;
  return undefined;
}

export function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  head = false,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, {
    ...securityHeaders,
    'Content-Type': type,
    'Content-Length': String(bytes.length),
  });
  response.end(head ? undefined : bytes);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  send(response, status, 'text/plain; charset=utf-8', `${text}\n`);
}

/** The body of a request as JSON, at most `limit` bytes. */
export function readJson(request: IncomingMessage, limit = 256 * 1024): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new RequestError(413, `the request is larger than ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new RequestError(400, 'the body is not valid JSON'));
      }
    });
    request.on('error', reject);
  });
}

/** A request the server refuses, with the HTTP status to answer. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
