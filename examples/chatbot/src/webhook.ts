import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Bot } from './bot.js';

const MAX_BODY = 16 * 1024;

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `{ sessionId, text }` with non-empty strings of sane length, or the reason it is not. */
export function parseMessage(raw: string): { ok: true; sessionId: string; text: string } | { ok: false; error: string } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'Body is not valid JSON' };
  }
  const { sessionId, text } = (body ?? {}) as Record<string, unknown>;
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 200)
    return { ok: false, error: '`sessionId` must be a non-empty string (at most 200 characters)' };
  if (typeof text !== 'string' || text.length > 2000) return { ok: false, error: '`text` must be a string (at most 2000 characters)' };
  return { ok: true, sessionId, text };
}

/**
 * The assistant as a webhook for a chat platform: `POST /webhook` with `{ sessionId, text }` answers
 * `{ reply: { text, suggestions } }`. Bad input is a 400 with `{ error }`; a fault is a 500 without details.
 */
export function createWebhook(bot: Bot, log: (line: string) => void = console.error): Server {
  return createServer(async (req, res) => {
    try {
      if (req.url !== '/webhook') return send(res, 404, { error: 'Not found' });
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return send(res, 405, { error: 'Use POST' });
      }
      const raw = await readBody(req);
      if (raw === null) return send(res, 413, { error: 'Body too large' });
      const message = parseMessage(raw);
      if (!message.ok) return send(res, 400, { error: message.error });
      const reply = await bot.reply(message.sessionId, message.text);
      send(res, 200, { reply });
    } catch (error) {
      // The detail goes to the log, never to the caller.
      log(`webhook: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, { error: 'Internal error' });
      else res.end();
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { createBot } = await import('./bot.js');
  const { config } = await import('./config.js');
  const bot = createBot({ client: { endpoint: config.endpoint, apiKey: config.apiKey } });
  const server = createWebhook(bot);
  server.listen(config.port, () =>
    console.log(`dcrm assistant webhook: POST http://localhost:${config.port}/webhook { "sessionId", "text" }`),
  );
  const stop = () => server.close(() => void bot.close());
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
