import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { KObject } from '../types';
import { EXEC_SUBPROTOCOLS, negotiateProtocol, runExecSession } from './exec';

const POD: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'shop-api-7d9c8b6f4-x2k9q', namespace: 'shop', uid: 'c0ffee00-0000-4000-8000-000000000001', creationTimestamp: '2025-01-10T08:00:00Z' },
  spec: {
    containers: [
      { name: 'app', image: 'registry.example/shop-api:1.4.2-alpine', env: [{ name: 'LOG_LEVEL', value: 'debug' }] },
      { name: 'deb', image: 'python:3.12-slim' },
    ],
  },
  status: { phase: 'Running', podIP: '10.244.7.12', startTime: '2025-01-10T08:00:05Z' },
};

/** Abort controllers by pod name in the query, so a test can delete "its" pod. */
const gone = new Map<string, AbortController>();
let wss: WebSocketServer;
let base: string;

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => negotiateProtocol([...offered]) ?? false });
  await once(wss, 'listening');
  base = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (ws, req) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const key = q.get('session') ?? '';
    const ctl = new AbortController();
    gone.set(key, ctl);
    runExecSession(ws, {
      protocol: ws.protocol,
      command: q.getAll('command'),
      stdin: q.get('stdin') === 'true',
      stdout: q.get('stdout') !== 'false',
      stderr: q.get('stderr') !== 'false',
      tty: q.get('tty') === 'true',
      pod: POD,
      container: q.get('container') ?? 'app',
      podGone: ctl.signal,
      now: () => Date.parse('2025-02-03T04:05:06Z'),
    });
  });
});

afterAll(async () => {
  for (const c of wss.clients) c.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

interface Frame {
  channel: number;
  data: Buffer;
  binary: boolean;
}

/** A raw channel.k8s.io client: records every frame, can wait for output. */
class Client {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(query: Record<string, string | string[] | boolean>, protocols: string[] = ['v5.channel.k8s.io']) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
    this.ws = new WebSocket(`${base}/exec?${q}`, protocols);
    this.ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[], binary: boolean) => {
      const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
      this.frames.push({ channel: data[0] ?? -1, data: data.subarray(1), binary });
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  async open(): Promise<this> {
    if (this.ws.readyState !== WebSocket.OPEN) await once(this.ws, 'open');
    return this;
  }

  send(channel: number, data: string | Buffer = ''): void {
    this.ws.send(Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : data]));
  }

  text(channel: number): string {
    return Buffer.concat(this.frames.filter((f) => f.channel === channel).map((f) => f.data)).toString('utf8');
  }

  /** Resolves once channel's accumulated text satisfies test (or rejects after ms). */
  async waitFor(channel: number, test: (text: string) => boolean, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const t = this.text(channel);
      if (test(t)) return t;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out on channel ${channel}; have ${JSON.stringify(t)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The status frame(s) on channel 3, without the empty ready frame. */
  statuses(): string[] {
    return this.frames.filter((f) => f.channel === 3 && f.data.length > 0).map((f) => f.data.toString('utf8'));
  }
}

async function run(query: Record<string, string | string[] | boolean>, protocols?: string[]): Promise<Client & { close: { code: number } }> {
  const c = await new Client(query, protocols).open();
  const close = await c.closed;
  return Object.assign(c, { close });
}

describe('negotiateProtocol', () => {
  it('lists the channel protocols newest first', () => {
    expect(EXEC_SUBPROTOCOLS).toEqual(['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
  });

  it('picks the first of our preference order that was offered', () => {
    expect(negotiateProtocol(['v5.channel.k8s.io'])).toBe('v5.channel.k8s.io');
    expect(negotiateProtocol(['channel.k8s.io', 'v4.channel.k8s.io', 'v5.channel.k8s.io'])).toBe('v5.channel.k8s.io');
    expect(negotiateProtocol(['v2.channel.k8s.io', ' v3.channel.k8s.io'])).toBe('v3.channel.k8s.io');
    expect(negotiateProtocol(['base64.channel.k8s.io', 'SPDY/3.1'])).toBeUndefined();
    expect(negotiateProtocol([])).toBeUndefined();
  });
});

describe('runExecSession', () => {
  it('runs a command: ready frame, output, Success, normal close', async () => {
    const c = await run({ command: 'hostname' });
    expect(c.ws.protocol).toBe('v5.channel.k8s.io');
    // The first frame is the empty "ready" frame on stdout.
    expect(c.frames[0]).toMatchObject({ channel: 1, binary: true });
    expect(c.frames[0]?.data.length).toBe(0);
    expect(c.text(1)).toBe('shop-api-7d9c8b6f4-x2k9q\n');
    expect(c.text(2)).toBe('');
    expect(c.statuses()).toEqual(['{"metadata":{},"status":"Success"}']);
    // The status is the last frame before a 1000 close, so client-go reads EOF on every stream.
    expect(c.frames[c.frames.length - 1]?.channel).toBe(3);
    expect(c.close.code).toBe(1000);
    expect(c.frames.every((f) => f.binary)).toBe(true);
  });

  it('reports a non-zero exit code as client-go decodes it (v5 through the stream translator)', async () => {
    const c = await run({ command: ['sh', '-c', 'echo out; echo err >&2; exit 3'], container: 'app' });
    expect(c.text(1)).toBe('out\n');
    expect(c.text(2)).toBe('err\n');
    expect(c.statuses()).toEqual([
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: command terminated with exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    ]);
    expect(c.close.code).toBe(1000);
  });

  it('words the v4 exit status as containerd does', async () => {
    const c = await run({ command: ['sh', '-c', 'exit 42'] }, ['v4.channel.k8s.io']);
    expect(c.ws.protocol).toBe('v4.channel.k8s.io');
    const status = JSON.parse(c.statuses()[0] ?? '{}') as Record<string, unknown>;
    expect(status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 42], exit code 42',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '42' }] },
    });
  });

  it('speaks plain-text errors and no success status on v1–v3', async () => {
    for (const protocol of ['v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']) {
      const ok = await run({ command: 'true' }, [protocol]);
      expect(ok.ws.protocol).toBe(protocol);
      expect(ok.statuses()).toEqual([]);
      expect(ok.close.code).toBe(1000);
      const bad = await run({ command: ['sh', '-c', 'exit 3'] }, [protocol]);
      expect(bad.statuses()).toEqual(['command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3']);
    }
  });

  it('fails an unknown binary the way containerd/runc do, wrapped twice on v5', async () => {
    const c = await run({ command: ['foo', '--bar'] });
    expect(c.text(1)).toBe('');
    const status = JSON.parse(c.statuses()[0] ?? '{}') as { message: string; reason: string; code: number; details: { causes: { message: string }[] } };
    expect(status.reason).toBe('InternalError');
    expect(status.code).toBe(500);
    expect(status.message).toMatch(
      /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not found in \$PATH: unknown$/,
    );
    expect(status.details.causes[0]?.message).toBe(status.message.slice('Internal error occurred: '.length));
    expect(c.close.code).toBe(1000);

    const v4 = await run({ command: '/bin/bash' }, ['v4.channel.k8s.io']);
    const s4 = JSON.parse(v4.statuses()[0] ?? '{}') as { message: string };
    expect(s4.message).toMatch(/^Internal error occurred: error executing command in container: .*exec: "\/bin\/bash": stat \/bin\/bash: no such file or directory: unknown$/);
  });

  it('gives each exec its own container exec id', async () => {
    const a = await run({ command: 'nope' });
    const b = await run({ command: 'nope' });
    const id = (c: Client): string => /start exec "([0-9a-f]+)"/.exec((JSON.parse(c.statuses()[0] ?? '{}') as { message?: string }).message ?? '')?.[1] ?? '';
    expect(id(a)).toHaveLength(64);
    expect(id(a)).not.toBe(id(b));
  });

  it('pipes stdin to cat until the v5 CLOSE frame', async () => {
    const c = await new Client({ command: 'cat', stdin: true }).open();
    c.send(0, 'hi\n');
    await c.waitFor(1, (t) => t === 'hi\n');
    c.send(0, 'there\n');
    await c.waitFor(1, (t) => t === 'hi\nthere\n');
    c.ws.send(Buffer.from([255, 0]));
    const close = await c.closed;
    expect(close.code).toBe(1000);
    expect(c.statuses()).toEqual(['{"metadata":{},"status":"Success"}']);
  });

  it('ignores the CLOSE frame before v5 (it is just an unknown channel there)', async () => {
    const c = await new Client({ command: 'cat', stdin: true }, ['v4.channel.k8s.io']).open();
    c.send(0, 'x\n');
    await c.waitFor(1, (t) => t === 'x\n');
    c.ws.send(Buffer.from([255, 0]));
    c.send(0, 'still open\n');
    await c.waitFor(1, (t) => t === 'x\nstill open\n');
    c.ws.close(1000);
    expect((await c.closed).code).toBe(1000);
    expect(c.statuses()).toEqual([]);
  });

  it('runs an interactive tty shell: prompt, echo, backspace, resize, Ctrl-C, exit code', async () => {
    const c = await new Client({ command: 'sh', stdin: true, tty: true, stderr: false }).open();
    await c.waitFor(1, (t) => t.endsWith('/app # '));
    // Typed characters are echoed; backspace rubs out; Enter runs; output lines end in \r\n.
    c.send(0, 'hostnaz\x7fme\r');
    let out = await c.waitFor(1, (t) => t.split('/app # ').length === 3);
    expect(out).toBe('/app # hostnaz\b \bme\r\nshop-api-7d9c8b6f4-x2k9q\r\n/app # ');

    // A narrow terminal makes ls wrap into columns; a wide one fits on a line.
    c.send(4, '{"Width":24,"Height":10}\n');
    c.send(0, 'ls /\r');
    out = await c.waitFor(1, (t) => t.split('/app # ').length === 4);
    const narrow = out.split('/app # ')[2] ?? '';
    expect(narrow.split('\r\n').length).toBeGreaterThan(4);
    c.send(4, '{"width":200,"height":50}');
    c.send(0, 'ls /\r');
    out = await c.waitFor(1, (t) => t.split('/app # ').length === 5);
    expect(out.split('/app # ')[3]).toBe('ls /\r\napp   bin   dev   etc   home  lib   proc  root  sbin  sys   tmp   usr   var\r\n');

    // Ctrl-C interrupts a running command long before it would finish.
    const before = Date.now();
    c.send(0, 'sleep 30\r');
    await c.waitFor(1, (t) => t.endsWith('sleep 30\r\n'));
    c.send(0, '\x03');
    out = await c.waitFor(1, (t) => t.split('/app # ').length === 6);
    expect(out.endsWith('sleep 30\r\n^C\r\n/app # ')).toBe(true);
    expect(Date.now() - before).toBeLessThan(5000);

    // Ctrl-C at the prompt drops the line.
    c.send(0, 'echo never\x03');
    out = await c.waitFor(1, (t) => t.split('/app # ').length === 7);
    expect(out.endsWith('/app # echo never^C\r\n/app # ')).toBe(true);

    c.send(0, 'echo $?; exit 4\r');
    const close = await c.closed;
    expect(close.code).toBe(1000);
    expect(c.text(1).endsWith('echo $?; exit 4\r\n130\r\n')).toBe(true);
    expect(c.text(2)).toBe('');
    expect(JSON.parse(c.statuses()[0] ?? '{}')).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '4' }] } });
  });

  it('ends an interactive shell on Ctrl-D at an empty prompt, with the last status', async () => {
    const c = await new Client({ command: 'bash', container: 'deb', stdin: true, tty: true, stderr: false }).open();
    const prompt = 'root@shop-api-7d9c8b6f4-x2k9q:/app# ';
    await c.waitFor(1, (t) => t.endsWith(prompt));
    c.send(0, 'foo\r');
    await c.waitFor(1, (t) => t.endsWith(`bash: foo: command not found\r\n${prompt}`));
    c.send(0, 'echo ok\r');
    await c.waitFor(1, (t) => t.endsWith(`ok\r\n${prompt}`));
    c.send(0, 'x\x04'); // not on an empty line: ignored
    c.send(0, '\x7f\x04');
    expect((await c.closed).code).toBe(1000);
    expect(c.text(1).endsWith(`${prompt}x\b \bexit\r\n`)).toBe(true);
    expect(c.statuses()).toEqual(['{"metadata":{},"status":"Success"}']);
  });

  it('merges stderr into stdout with a tty', async () => {
    const c = await run({ command: ['sh', '-c', 'echo to-err >&2'], tty: true, stderr: true });
    expect(c.text(1)).toBe('to-err\r\n');
    expect(c.text(2)).toBe('');
  });

  it('drops streams the client did not ask for and sends the ready frame on the lowest one asked', async () => {
    const errOnly = await run({ command: ['sh', '-c', 'echo a; echo b >&2'], stdout: false });
    expect(errOnly.frames[0]?.channel).toBe(2);
    expect(errOnly.text(1)).toBe('');
    expect(errOnly.text(2)).toBe('b\n');
    const none = await run({ command: ['sh', '-c', 'echo a; echo b >&2'], stdout: false, stderr: false });
    expect(none.frames[0]).toMatchObject({ channel: 3 });
    expect(none.frames[0]?.data.length).toBe(0);
    expect(none.statuses()).toEqual(['{"metadata":{},"status":"Success"}']);
  });

  it('survives malformed frames', async () => {
    const c = await new Client({ command: 'cat', stdin: true, tty: true, stderr: false }).open();
    c.ws.send(Buffer.alloc(0)); // empty message
    c.send(7, 'unknown channel');
    c.send(3, 'client writing the error channel');
    c.send(4, '{"Width": "wide"}'); // bad resize: resize handling stops, the session goes on
    c.send(4, 'not json at all');
    c.ws.send(Buffer.from([255])); // CLOSE without a channel
    c.ws.send(Buffer.from([255, 0, 0])); // CLOSE with too many bytes
    c.ws.send('\u0000typed as a text frame\r', { binary: false });
    const out = await c.waitFor(1, (t) => t.includes('typed as a text frame\r\ntyped as a text frame\r\n'));
    expect(out).toContain('typed as a text frame');
    c.send(0, '\x04');
    expect((await c.closed).code).toBe(1000);
    expect(c.statuses()).toEqual(['{"metadata":{},"status":"Success"}']);
  });

  it('survives a protocol violation from the client (invalid UTF-8 in a text frame)', async () => {
    const c = await new Client({ command: ['sleep', '30'] }).open();
    c.ws.send(Buffer.from([0x00, 0xff, 0xfe, 0xfd]), { binary: false });
    const close = await c.closed;
    expect(close.code).toBe(1007);
    // The server is still there.
    const after = await run({ command: 'hostname' });
    expect(after.text(1)).toBe('shop-api-7d9c8b6f4-x2k9q\n');
  });

  it('ends the session with exit 137 when the pod goes away', async () => {
    const c = await new Client({ command: ['sleep', '30'], session: 'doomed' }).open();
    await c.waitFor(1, () => c.frames.length > 0);
    gone.get('doomed')?.abort();
    const close = await c.closed;
    expect(close.code).toBe(1000);
    expect(JSON.parse(c.statuses()[0] ?? '{}')).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '137' }] } });
  });

  it('kills the process when the client hangs up', async () => {
    const c = await new Client({ command: 'cat', stdin: true }).open();
    c.send(0, 'x\n');
    await c.waitFor(1, (t) => t === 'x\n');
    c.ws.terminate();
    await c.closed;
    // Nothing is sent to a dead socket and nothing throws; the server keeps serving.
    const after = await run({ command: 'true' });
    expect(after.close.code).toBe(1000);
  });
});
