/**
 * `coding serve`: the coding and adjudication pages in the browser, served from the study's own
 * files by node:http (a handful of routes; a framework would add more than it saves). Each coder
 * gets a `coding code` session (its lock, journal and folding) for as long as the server runs,
 * and a link with a token of their own; the adjudicator gets one more link.
 *
 * Routes, below `/s/TOKEN/`: `` the page, `style.css` and the scripts, `api/state` (GET) and
 * `api/command` (POST) for a coder, `api/adjudication` (GET) and `api/decide` (POST) for the
 * adjudicator. Nothing else is served.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { z } from 'zod';
import { CodingError, type Finding, UsageError } from '../../errors.js';
import { decisions } from '../../schema/adjudication.js';
import { openCodeSession } from '../code-session.js';
import type { FoldResult } from '../journal-fold.js';
import { openStudy } from '../study.js';
import { AdjudicationChannel } from './adjudication-channel.js';
import { asset, isAssetName, loadAssets } from './assets.js';
import { CoderChannel, pageCodebook, pageKeys } from './coder-channel.js';
import {
  hostChecker,
  isLoopback,
  isWildcard,
  mutationRefusal,
  newToken,
  RequestError,
  readJson,
  securityHeaders,
  send,
  sendJson,
  sendText,
  TokenTable,
} from './security.js';

export interface ServeOptions {
  cwd: string;
  workspace?: string | undefined;
  /** The coders to serve (default: `coders.names` of coding.yaml). */
  coders?: string[] | undefined;
  sample: boolean;
  uncoded: boolean;
  host: string;
  /** 0: a free port. */
  port: number;
  /** Who decides on the adjudication page. */
  by: string;
  /** Fold a coder's journal into their file after this long without a decision (default 2 s). */
  checkpointAfterMs?: number;
  now?: () => Date;
}

export interface ServeLink {
  /** A coder's name, or `adjudication`. */
  who: string;
  role: 'coder' | 'adjudicator';
  url: string;
}

export interface RunningServer {
  links: ServeLink[];
  /** What opening the sessions did that the user should know (locks taken over, journals folded). */
  notices: string[];
  warnings: Finding[];
  /** The host is not a loopback address: anyone who can reach it and has a link can code. */
  exposed: boolean;
  /** Stop answering, then end every coder's session (fold the journal, release the lock). */
  close(): Promise<Array<{ coder: string; result?: FoldResult; decisions?: number; error?: string }>>;
}

type Role = { kind: 'coder'; channel: CoderChannel } | { kind: 'adjudicator'; channel: AdjudicationChannel };

const codeSchema = z.string().min(1).max(1000);
const commandSchema = z
  .object({
    request: z.string().min(1).max(100),
    version: z.number().int(),
    command: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('toggle'), code: codeSchema }).strict(),
      z.object({ kind: z.literal('none') }).strict(),
      z.object({ kind: z.literal('next') }).strict(),
      z.object({ kind: z.literal('previous') }).strict(),
      z.object({ kind: z.literal('next-unreviewed') }).strict(),
      z.object({ kind: z.literal('goto'), unit: z.string().max(1000) }).strict(),
      z.object({ kind: z.literal('memo'), text: z.string().max(100_000) }).strict(),
    ]),
  })
  .strict();
const decideSchema = z
  .object({
    unit: z.string().min(1).max(1000),
    decision: z.enum(decisions),
    codes: z.array(codeSchema).max(10_000).optional(),
    rationale: z.string().max(100_000),
  })
  .strict();

/** Where a link points: the bound host, or for every interface this computer's first network address. */
function linkHost(host: string): string {
  if (!isWildcard(host)) return host.includes(':') ? `[${host}]` : host;
  for (const addresses of Object.values(os.networkInterfaces()))
    for (const address of addresses ?? [])
      if (!address.internal && address.family === 'IPv4') return address.address;
  return os.hostname();
}

async function openChannels(
  options: ServeOptions,
  coders: readonly string[],
): Promise<{ channels: CoderChannel[]; notices: string[]; warnings: Finding[] }> {
  const channels: CoderChannel[] = [];
  const notices: string[] = [];
  const warnings: Finding[] = [];
  try {
    for (const coder of coders) {
      const opened = await openCodeSession({
        cwd: options.cwd,
        workspace: options.workspace,
        coder,
        sample: options.sample,
        uncoded: options.uncoded,
        ...(options.now ? { now: options.now } : {}),
      });
      channels.push(new CoderChannel(opened, { checkpointAfterMs: options.checkpointAfterMs ?? 2000 }));
      notices.push(...opened.notices.map((notice) => `${coder}: ${notice}`));
      warnings.push(...opened.warnings);
    }
  } catch (error) {
    // Another session holds a coder's lock, say: the sessions opened so far end as they began.
    for (const channel of channels) await channel.close().catch(() => {});
    throw error;
  }
  return { channels, notices, warnings };
}

interface Routes {
  tokens: TokenTable<Role>;
  channels: readonly CoderChannel[];
  /** Whether a Host header names this server (set once it listens, and knows its port). */
  allowedHost: (header: string | undefined) => boolean;
}

/** Answer one request: the Host, the token, then the route of its role. */
async function route(routes: Routes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!routes.allowedHost(request.headers.host)) {
    sendText(response, 403, 'refused: this server answers only requests addressed to it by its own name');
    return;
  }
  const path = new URL(request.url ?? '/', 'http://server').pathname;
  if (path === '/favicon.ico') {
    // Browsers ask for it unbidden: nothing to send, and no error in the page's console.
    response.writeHead(204, securityHeaders).end();
    return;
  }
  const match = /^\/s\/([A-Za-z0-9_-]{1,100})\/(.*)$/.exec(path);
  if (match === null) {
    sendText(response, 404, 'not found: open one of the links that coding serve printed');
    return;
  }
  const role = routes.tokens.find(match[1]!);
  if (role === undefined) {
    sendText(
      response,
      403,
      'refused: this link is not valid (any more). coding serve prints new links each time it starts: open the one it printed for you.',
    );
    return;
  }
  const method = request.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD')
    return answerGet(routes, role, match[2]!, response, method === 'HEAD');
  if (method !== 'POST') {
    response.setHeader('Allow', 'GET, HEAD, POST');
    sendText(response, 405, `method ${method} is not allowed`);
    return;
  }
  const refusal = mutationRefusal(request);
  if (refusal !== undefined) {
    sendText(response, 403, `refused: ${refusal}`);
    return;
  }
  return answerPost(role, match[2]!, await readJson(request), response);
}

/** The page of the role, its assets, and the state of its session. */
async function answerGet(
  routes: Routes,
  role: Role,
  rest: string,
  response: ServerResponse,
  head: boolean,
): Promise<void> {
  if (rest === '') {
    const page = await asset(role.kind === 'coder' ? 'code.html' : 'adjudicate.html');
    send(response, 200, page.type, page.body, head);
  } else if (isAssetName(rest) && !rest.endsWith('.html')) {
    const file = await asset(rest);
    send(response, 200, file.type, file.body, head);
  } else if (rest === 'api/state' && role.kind === 'coder') {
    const { channel } = role;
    sendJson(response, 200, {
      state: channel.state(),
      codebook: pageCodebook(channel.opened.study.codebook, channel.opened.keys),
      keys: pageKeys(channel.opened.study.codebook, channel.opened.keys),
    });
  } else if (rest === 'api/adjudication' && role.kind === 'adjudicator') {
    // The coders' latest decisions first, so that the disagreements are the current ones.
    await Promise.all(routes.channels.map((channel) => channel.checkpoint()));
    sendJson(response, 200, await role.channel.state());
  } else sendText(response, 404, 'not found');
}

/** A coder's command, or the adjudicator's decision. */
async function answerPost(role: Role, rest: string, body: unknown, response: ServerResponse): Promise<void> {
  if (rest === 'api/command' && role.kind === 'coder') {
    const parsed = commandSchema.safeParse(body);
    if (!parsed.success) throw new RequestError(400, 'the command is not one the page sends');
    sendJson(response, 200, await role.channel.command(parsed.data));
  } else if (rest === 'api/decide' && role.kind === 'adjudicator') {
    const parsed = decideSchema.safeParse(body);
    if (!parsed.success) throw new RequestError(400, 'the decision is not one the page sends');
    sendJson(response, 200, await role.channel.decide(parsed.data));
  } else sendText(response, 404, 'not found');
}

/** A request that failed: refused (4xx, with the reason for the page), or an internal error (500). */
function answerError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof RequestError) sendJson(response, error.status, { error: error.message });
  else if (error instanceof CodingError)
    sendJson(response, 409, { error: error.message, ...(error.hint ? { hint: error.hint } : {}) });
  else sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
}

/** Listen on the host and port; resolves with the port (a free one for 0). */
async function listen(server: http.Server, host: string, port: number): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${port} on ${host} is in use`, {
        hint: 'choose another with --port N, or leave --port out for a free one',
      });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES')
      throw new UsageError(`cannot listen on ${host}:${port} (${code})`, {
        hint: 'leave --host out to serve on this computer only (127.0.0.1)',
      });
    throw error;
  }
  return (server.address() as AddressInfo).port;
}

/** Stop answering, then end every coder's session, one after the other. */
async function closeAll(
  server: http.Server,
  channels: readonly CoderChannel[],
): ReturnType<RunningServer['close']> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  const results: Array<{ coder: string; result?: FoldResult; decisions?: number; error?: string }> = [];
  for (const channel of channels) {
    try {
      const result = await channel.close();
      results.push({ coder: channel.coder, result, decisions: channel.opened.decisionsMade });
    } catch (error) {
      results.push({ coder: channel.coder, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  await loadAssets();
  const study = await openStudy(options);
  const coders = options.coders ?? study.workspace.config.coders.names;
  if (coders.length === 0)
    throw new UsageError('no coders to serve: name them with --coder NAME', {
      hint: 'or list them in coding.yaml under coders: names: [ana, ben]',
    });
  const duplicate = coders.find((coder, index) => coders.indexOf(coder) !== index);
  if (duplicate !== undefined) throw new UsageError(`coder "${duplicate}" is named twice`);
  const { channels, notices, warnings } = await openChannels(options, coders);

  const tokens = new TokenTable<Role>();
  const tokenOf = new Map<CoderChannel, string>();
  for (const channel of channels) {
    const token = newToken();
    tokens.add(token, { kind: 'coder', channel });
    tokenOf.set(channel, token);
  }
  const adjudication = new AdjudicationChannel({
    workspaceRoot: study.workspace.root,
    by: options.by,
    ...(options.coders && options.coders.length === 2 ? { coders: options.coders } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const adjudicationToken = newToken();
  tokens.add(adjudicationToken, { kind: 'adjudicator', channel: adjudication });

  const routes: Routes = { tokens, channels, allowedHost: () => false };
  const server = http.createServer((request, response) => {
    route(routes, request, response).catch((error: unknown) => answerError(response, error));
  });
  let port: number;
  try {
    port = await listen(server, options.host, options.port);
  } catch (error) {
    for (const channel of channels) await channel.close().catch(() => {});
    throw error;
  }
  routes.allowedHost = hostChecker(options.host, port);
  const base = `http://${linkHost(options.host)}:${port}/s/`;
  const links: ServeLink[] = channels.map((channel) => ({
    who: channel.coder,
    role: 'coder',
    url: `${base}${tokenOf.get(channel)}/`,
  }));
  links.push({ who: 'adjudication', role: 'adjudicator', url: `${base}${adjudicationToken}/` });

  let closing: ReturnType<RunningServer['close']> | undefined;
  return {
    links,
    notices,
    warnings,
    exposed: !isLoopback(options.host),
    close() {
      closing ??= closeAll(server, channels);
      return closing;
    },
  };
}
