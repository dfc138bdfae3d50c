/** Small HTTP helpers shared by the site API server's handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './status';

/** Bodies larger than this are refused, as the apiserver's 3 MiB request limit does. */
const MAX_BODY = 3 * 1024 * 1024;

/** The raw request body (protobuf bodies are binary, so no decoding here). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** Parses a JSON body; an empty body is `undefined`. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, code, JSON.stringify(body), headers);
}

export function sendRaw(res: ServerResponse, code: number, json: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
  res.end(json);
}

export function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  sendJson(res, e.code, e.toStatus(), e.headers);
}

/** Writes and waits for the socket to drain when its buffer is full. */
export function write(res: ServerResponse, chunk: string): Promise<void> | undefined {
  if (res.write(chunk)) return undefined;
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export type Representation = 'object' | 'table' | 'metadata';

/**
 * What the client asked for in Accept. kubectl asks for
 * `application/json;as=Table;v=v1;g=meta.k8s.io, …, application/json`.
 */
export function negotiate(accept: string | undefined): { as: Representation; tableVersion: string } {
  if (!accept) return { as: 'object', tableVersion: 'v1' };
  let jsonOk = false;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split('=').map((s) => s.trim()) as [string, string]));
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    const as = p.get('as');
    const g = p.get('g');
    const v = p.get('v') ?? 'v1';
    if (as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) return { as: 'table', tableVersion: v };
    if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io') return { as: 'metadata', tableVersion: v };
    if (!as) jsonOk = true;
  }
  if (!jsonOk && !/application\/json|\*\/\*|application\/\*/.test(accept) && !accept.includes('application/vnd.kubernetes.protobuf')) {
    throw new ApiError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  return { as: 'object', tableVersion: 'v1' };
}

/** `true`, `1` → true; the apiserver's bool query parsing. */
export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}

export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  return n;
}
