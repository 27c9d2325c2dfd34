/**
 * One request to an OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, llama.cpp's
 * server, vLLM…), with Node's own `fetch` and a timeout. The outcome is data: an answer, a
 * transient failure to retry (429, 5xx, timeout, network), a rejected `response_format`, or a
 * refusal that no retry will change (401, 404…). The API key goes only into the Authorization
 * header; every text taken from the server has it blanked out before it can reach a message.
 */
import { z } from 'zod';
import { parseRetryAfter } from '../core/autocode/llm-backoff.js';

/** `${endpoint}/chat/completions`, unless the endpoint already ends so. */
export function chatCompletionsUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
}

const bodySchema = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable().optional() }) })).min(1),
  usage: z
    .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
    .nullable()
    .optional(),
});

export type ChatOutcome =
  | {
      kind: 'answer';
      content: string;
      /** The model as the server names it (may differ from the one requested). */
      model: string | undefined;
      promptTokens: number;
      completionTokens: number;
    }
  | {
      kind: 'transient';
      reason: string;
      retryAfterMs?: number | undefined;
      /** The server could not be reached at all (refused, unknown host), as opposed to a slow or busy one. */
      unreachable?: boolean;
    }
  | { kind: 'invalid'; reason: string }
  | { kind: 'format-rejected'; reason: string }
  | { kind: 'refused'; status: number; reason: string };

export interface ChatRequest {
  url: string;
  body: unknown;
  apiKey?: string | undefined;
  timeoutMs: number;
}

/** The server's words, one line, short, with the key blanked out. */
function serverText(text: string, apiKey: string | undefined): string {
  let flat = text.replace(/\s+/g, ' ').trim();
  if (apiKey !== undefined && apiKey !== '') flat = flat.split(apiKey).join('[key]');
  return flat.length > 200 ? `${flat.slice(0, 197)}…` : flat;
}

/** Send one chat-completions request; never throws for what the server or network does. */
export async function sendChat(request: ChatRequest): Promise<ChatOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (request.apiKey !== undefined && request.apiKey !== '')
    headers['authorization'] = `Bearer ${request.apiKey}`;
  let status: number;
  let text: string;
  let retryAfter: string | null;
  let location: string | null = null;
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(request.body),
      signal: controller.signal,
      // Not followed: a redirect would carry the key to wherever it points.
      redirect: 'manual',
    });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    location = response.headers.get('location');
    text = await response.text();
  } catch (error) {
    const timedOut = controller.signal.aborted;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    return {
      kind: 'transient',
      unreachable: !timedOut,
      reason: timedOut
        ? `no answer within ${request.timeoutMs / 1000} s`
        : `the request failed (${serverText(cause || (error instanceof Error ? error.message : String(error)), request.apiKey)})`,
    };
  } finally {
    clearTimeout(timer);
  }
  if (status === 429 || status >= 500 || status === 408)
    return {
      kind: 'transient',
      reason: `HTTP ${status}${text.trim() === '' ? '' : `: ${serverText(text, request.apiKey)}`}`,
      retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
    };
  if (status === 400 && /response_format|json_schema/i.test(text))
    return { kind: 'format-rejected', reason: `HTTP 400: ${serverText(text, request.apiKey)}` };
  if (status >= 300 && status < 400)
    return {
      kind: 'refused',
      status,
      reason: `HTTP ${status}: the server redirects${location ? ` to ${serverText(location, request.apiKey)}` : ''}; redirects are not followed (they would carry the key): give that URL as --endpoint`,
    };
  if (status < 200 || status >= 300)
    return { kind: 'refused', status, reason: `HTTP ${status}: ${serverText(text, request.apiKey)}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      kind: 'invalid',
      reason: `the server's body is not JSON: "${serverText(text, request.apiKey)}"`,
    };
  }
  const body = bodySchema.safeParse(json);
  if (!body.success)
    return {
      kind: 'invalid',
      reason: `the server's body is not a chat completion (${body.error.issues[0]?.path.join('.') || 'body'}: ${body.error.issues[0]?.message})`,
    };
  const content = body.data.choices[0]!.message.content;
  if (typeof content !== 'string')
    return { kind: 'invalid', reason: 'the answer has no content (the model refused or was cut off)' };
  return {
    kind: 'answer',
    content,
    model: body.data.model,
    promptTokens: body.data.usage?.prompt_tokens ?? 0,
    completionTokens: body.data.usage?.completion_tokens ?? 0,
  };
}
