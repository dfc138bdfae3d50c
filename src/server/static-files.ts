/**
 * Serves the built renderer. Paths are resolved inside the root only (no
 * traversal), and every response carries the same strict CSP as the
 * Electron window.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';


const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export async function serveStatic(root: string, urlPath: string, res: ServerResponse, policy: string): Promise<void> {
  const headers = {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    res.writeHead(400, headers).end('bad path');
    return;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const full = path.resolve(root, `.${rel}`);
  if (!full.startsWith(path.resolve(root) + path.sep)) {
    res.writeHead(404, headers).end('not found');
    return;
  }
  try {
    if (!(await stat(full)).isFile()) throw new Error('not a file');
    const body = await readFile(full);
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(full)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(body);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
  }
}
