import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { connect, EventBus, method, type Transport } from '../shared/contract/rpc';
import { startBrowserHost, type BrowserHost } from './host';

const contract = {
  demo: {
    echo: method<string>()(z.tuple([z.string().max(100)])),
    reset: method<boolean>()(z.tuple([]), { mutates: true }),
  },
};
type Events = { tick: { n: number } };

let host: BrowserHost;
let dir: string;
const bus = new EventBus<Events>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-host-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Triptych</title>');
  await writeFile(path.join(os.tmpdir(), 'outside-secret.txt'), 'secret');
  host = await startBrowserHost({ staticDir: dir, contract, bus, impl: { demo: { echo: (s) => s.toUpperCase(), reset: () => true } } });
});
afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

function open(token: string, origin = host.url): Promise<{ ws: WebSocket; transport: Transport }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`, { origin });
    ws.once('open', () =>
      resolve({
        ws,
        transport: {
          send: (m) => ws.send(JSON.stringify(m)),
          onMessage: (fn) => {
            const l = (d: Buffer): void => fn(JSON.parse(d.toString()) as unknown);
            ws.on('message', l);
            return () => ws.off('message', l);
          },
        },
      }),
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('browser host', () => {
  it('serves the renderer with a strict CSP and no path traversal', async () => {
    const res = await fetch(`${host.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect((await fetch(`${host.url}/../outside-secret.txt`)).status).toBe(404);
    expect((await fetch(`${host.url}/%2e%2e/outside-secret.txt`)).status).toBe(404);
  });

  it('a viewer token connects read-only: calls work, mutations are refused', async () => {
    const { ws, transport } = await open(host.tokens.viewer);
    const client = connect<typeof contract, Events>(contract, transport);
    await expect(client.api.demo.echo('hi')).resolves.toBe('HI');
    await expect(client.api.demo.reset()).rejects.toMatchObject({ code: 'forbidden' });
    const got = new Promise<number>((r) => client.on('tick', (p) => r(p.n)));
    bus.emit('tick', { n: 7 });
    expect(await got).toBe(7);
    ws.close();
  });

  it('an operator token may mutate', async () => {
    const { ws, transport } = await open(host.tokens.operator);
    await expect(connect<typeof contract, Events>(contract, transport).api.demo.reset()).resolves.toBe(true);
    ws.close();
  });

  it('refuses a wrong token (401) and a foreign origin (403)', async () => {
    await expect(open('nope')).rejects.toThrow('HTTP 401');
    await expect(open(host.tokens.operator, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('/warroom sends a console to the war-room screen with the viewer token, whichever token it came with', async () => {
    for (const token of [host.tokens.operator, host.tokens.viewer]) {
      const res = await fetch(`${host.url}/warroom?token=${encodeURIComponent(token)}&rotate=30`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const to = new URL(res.headers.get('location') ?? '', host.url);
      expect(to.pathname).toBe('/');
      expect(Object.fromEntries(to.searchParams)).toEqual({ view: 'warroom', token: host.tokens.viewer, rotate: '30' });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(host.warRoomUrl).toBe(`${host.url}/?view=warroom&token=${host.tokens.viewer}`);
    const refused = await fetch(`${host.url}/warroom?token=wrong`, { redirect: 'manual' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).not.toContain(host.tokens.viewer);
  });

  it('prints distinct fresh tokens for viewer and operator', () => {
    expect(host.tokens.viewer).not.toBe(host.tokens.operator);
    expect(host.tokens.viewer.length).toBeGreaterThanOrEqual(32);
    expect(host.viewerUrl).toBe(`${host.url}/?token=${host.tokens.viewer}`);
  });
});

describe('browser host under abuse', () => {
  it('survives a client that resets the connection during a refused upgrade', async () => {
    const net = await import('node:net');
    const { port } = new URL(host.url);
    for (let i = 0; i < 5; i++) {
      const s = net.connect(Number(port), '127.0.0.1');
      await new Promise<void>((r) => s.once('connect', () => r()));
      s.write(`GET /ws?token=bad HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${host.url}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      s.resetAndDestroy();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${host.url}/`)).status).toBe(200);
  });

  it('accepts its own page behind a TLS proxy (https Origin) and still refuses others', async () => {
    const { ws } = await open(host.tokens.viewer, host.url.replace('http:', 'https:'));
    ws.close();
    await expect(open(host.tokens.viewer, 'https://evil.example')).rejects.toThrow('HTTP 403');
  });
});
