/**
 * Request and response plumbing for the Vault emulator: bounded body reading,
 * JSON parsing with Vault's error wording, and JSON replies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { VaultError, badRequest } from './errors';

/** Largest request body accepted; far above anything the Vault API needs here. */
export const MAX_BODY_BYTES = 1 << 20;

/** Raw request body, or a flag that it exceeded `limit` (the excess is drained, not kept). */
export interface BodyRead {
  text: string;
  tooLarge: boolean;
}

/**
 * Reads the whole body. Past `limit` the rest is drained and dropped, so the
 * connection stays usable and memory stays bounded.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge });
    });
    req.on('error', reject);
    // A client that hangs up mid-body may get neither 'end' nor 'error'; settle anyway.
    req.on('close', () => {
      if (!ended) reject(new Error('request aborted'));
    });
  });
}

/**
 * Parses a request body as Vault does: empty means no parameters; anything
 * else must be a JSON object, or the answer is 400 "failed to parse JSON input".
 */
export function parseJsonObject(read: BodyRead): Record<string, unknown> {
  if (read.tooLarge) throw new VaultError(413, ['failed to parse JSON input: http: request body too large']);
  if (read.text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (err) {
    throw badRequest(`failed to parse JSON input: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('failed to parse JSON input: request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Writes a JSON reply (or only the status line and headers for HEAD / 204). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  opts: { headOnly?: boolean; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...opts.headers };
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = `${JSON.stringify(body)}\n`;
  headers['Content-Type'] = 'application/json';
  if (opts.headOnly) {
    res.writeHead(status, headers).end();
    return;
  }
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(status, headers).end(text);
}

/** The client token of a request: `X-Vault-Token`, else `Authorization: Bearer`. */
export function requestToken(req: IncomingMessage): string | undefined {
  const header = req.headers['x-vault-token'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct) return direct.trim();
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m?.[1];
}
