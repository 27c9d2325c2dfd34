/**
 * A local HTTP server that speaks the OpenAI chat-completions protocol and answers from a script,
 * for the LLM coder's tests: no model behind it, only the protocol.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    temperature: number;
    seed: number;
    response_format: {
      type: string;
      json_schema?: { schema: { properties: { codes: { items: { enum: string[] } } } } };
    };
  };
  /** The unit's text, taken out of the user message. */
  unit: string;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; content?: string; raw?: string }
  | 'hang';

export interface ChatServer {
  /** Base URL, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** The unit's text in a user message made by the prompt template. */
export function unitOf(user: string): string {
  const match = /The unit to code:\n"""\n([\s\S]*?)\n"""/.exec(user);
  return match ? match[1]! : '';
}

/** A chat-completions body whose content is `content`. */
export function completion(content: string, model = 'served-model:7b'): string {
  return JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107 },
  });
}

export async function startChatServer(
  script: (request: SeenRequest, index: number) => Reply | Promise<Reply>,
): Promise<ChatServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SeenRequest['body'];
      const seen: SeenRequest = {
        path: request.url ?? '',
        authorization: request.headers.authorization,
        body,
        unit: unitOf(body.messages.find((message) => message.role === 'user')?.content ?? ''),
      };
      requests.push(seen);
      const reply = await script(seen, requests.length - 1);
      if (reply === 'hang') return;
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      response.end(reply.raw ?? (reply.content === undefined ? '' : completion(reply.content)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
