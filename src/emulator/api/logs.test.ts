import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeletTimestamp, lineAt, lineIndexAt, linesBetween, parseSeq, retainedFromIndex, type LogSource } from '../sim/logs';
import { parseLogOptions, parseRfc3339, serveLogs } from './logs';

const START = Date.parse('2025-01-01T00:00:00Z');

/** Sources by name; `?src=` picks one. */
const SOURCES: Record<string, { current: LogSource; previous?: LogSource }> = {
  steady: { current: { seed: 's', podUid: 'u1', container: 'app', style: 'plain', startedAt: START, linesPerSecond: 2 } },
  fast: { current: { seed: 's', podUid: 'u2', container: 'app', style: 'json', startedAt: START, linesPerSecond: 20 } },
  restarted: {
    current: { seed: 's:1', podUid: 'u3', container: 'app', style: 'json', startedAt: START + 600_000, linesPerSecond: 1 },
    previous: { seed: 's:0', podUid: 'u3', container: 'app', style: 'json', startedAt: START, endedAt: START + 590_000, linesPerSecond: 1 },
  },
  ending: { current: { seed: 's', podUid: 'u4', container: 'app', style: 'plain', startedAt: START, endedAt: START + 62_000, linesPerSecond: 10 } },
  chatty: { current: { seed: 's', podUid: 'u5', container: 'app', style: 'json', startedAt: START, linesPerSecond: 200 } },
};

/** The site clock, moved by the tests (never sleeping for it). */
let now = START + 60_000;
const gone = new Map<string, AbortController>();
const served: Promise<void>[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.searchParams.get('src') ?? 'steady';
    const ctl = new AbortController();
    gone.set(url.searchParams.get('id') ?? name, ctl);
    served.push(
      serveLogs(req, res, {
        query: url.searchParams,
        sources: SOURCES[name] as { current: LogSource },
        podName: 'web-0',
        containerName: 'app',
        now: () => now,
        podGone: ctl.signal,
        sendError: (code, reason, message) => {
          res.writeHead(code, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
        },
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function get(query: string): Promise<{ status: number; type: string | null; body: string; bytes: number }> {
  const res = await fetch(`${base}/log?${query}`);
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), body: buf.toString('utf8'), bytes: buf.length };
}

function render(lines: { text: string }[]): string {
  return lines.map((l) => `${l.text}\n`).join('');
}

/** Lines written up to `at` (time <= at). */
function written(src: LogSource, at = now): ReturnType<typeof linesBetween> {
  return linesBetween(src, 0, at + 1);
}

/** A streaming GET: collects the body and can wait for it to satisfy a test. */
function follow(query: string) {
  const ctl = new AbortController();
  let body = '';
  let ended = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    const res = await fetch(`${base}/log?${query}`, { signal: ctl.signal });
    const reader = res.body?.getReader();
    const dec = new TextDecoder();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      body += dec.decode(chunk.value, { stream: true });
      wake?.();
    }
    ended = true;
    wake?.();
  })().catch(() => {
    ended = true;
    wake?.();
  });
  return {
    done,
    abort: () => ctl.abort(),
    get body() {
      return body;
    },
    get ended() {
      return ended;
    },
    async until(test: (body: string) => boolean, ms = 5000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!test(body)) {
        if (Date.now() > deadline) throw new Error(`timed out; body has ${body.split('\n').length - 1} lines, ended=${ended}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 25);
        });
      }
    },
  };
}

function seqs(body: string): number[] {
  return body.split('\n').filter(Boolean).map((l) => parseSeq(l) ?? -1);
}

describe('pods/log options', () => {
  it('decodes like the apiserver and validates PodLogOptions', () => {
    const q = (s: string) => parseLogOptions(new URLSearchParams(s), 'web-0');
    expect(q('follow=0&previous=false&timestamps')).toEqual({ ok: true, options: { follow: false, previous: false, timestamps: true } });
    expect(q('tailLines=abc')).toEqual({ ok: false, code: 400, reason: 'BadRequest', message: 'strconv.ParseInt: parsing "abc": invalid syntax' });
    expect(q('tailLines=-1')).toMatchObject({ ok: false, code: 422, reason: 'Invalid', message: 'PodLogOptions "web-0" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0' });
    expect(q('limitBytes=0')).toMatchObject({ code: 422, message: 'PodLogOptions "web-0" is invalid: limitBytes: Invalid value: 0: must be greater than 0' });
    expect(q('sinceSeconds=0')).toMatchObject({ code: 422, message: 'PodLogOptions "web-0" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0' });
    expect(q('sinceSeconds=5&sinceTime=2025-01-01T00:00:00Z')).toMatchObject({
      code: 422,
      message: 'PodLogOptions "web-0" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
    expect(q('sinceTime=yesterday')).toMatchObject({ code: 400, message: 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"' });
  });

  it('parses RFC3339 as Go does', () => {
    expect(parseRfc3339('2025-01-01T00:10:00Z')).toBe(START + 600_000);
    expect(parseRfc3339('2025-01-01T02:10:00.5+02:00')).toBe(START + 600_500);
    expect(parseRfc3339('2025-02-30T00:00:00Z')).toEqual({ error: 'parsing time "2025-02-30T00:00:00Z": day out of range' });
    expect(parseRfc3339('2025-01-01T00:00:00')).toEqual({ error: 'parsing time "2025-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"' });
  });
});

describe('GET pods/log', () => {
  it('returns everything written so far, as text/plain', async () => {
    now = START + 60_000;
    const r = await get('');
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain');
    expect(r.body).toBe(render(written(SOURCES.steady!.current)));
    expect(seqs(r.body)).toEqual(seqs(r.body).map((_, i) => i));
  });

  it('tailLines picks the last n lines; 0 gives none', async () => {
    now = START + 60_000;
    const all = written(SOURCES.steady!.current);
    expect((await get('tailLines=5')).body).toBe(render(all.slice(-5)));
    expect(await get('tailLines=0')).toMatchObject({ status: 200, body: '' });
    expect((await get('tailLines=100000')).body).toBe(render(all));
  });

  it('sinceSeconds and sinceTime drop older lines; sinceTime has whole-second precision', async () => {
    now = START + 60_000;
    const src = SOURCES.steady!.current;
    expect((await get('sinceSeconds=10')).body).toBe(render(linesBetween(src, now - 10_000, now + 1)));
    expect((await get('sinceTime=2025-01-01T00:00:30.900Z')).body).toBe(render(linesBetween(src, START + 30_000, now + 1)));
    // The tail is taken first, then filtered.
    const tailThenSince = written(src).slice(-40).filter((l) => l.time >= now - 5_000);
    expect((await get('tailLines=40&sinceSeconds=5')).body).toBe(render(tailThenSince));
  });

  it('rejects sinceSeconds with sinceTime, and bad values, with Status errors', async () => {
    const both = await get('sinceSeconds=10&sinceTime=2025-01-01T00:00:00Z');
    expect(both.status).toBe(422);
    expect(JSON.parse(both.body)).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    expect((await get('tailLines=x')).status).toBe(400);
    expect((await get('limitBytes=-3')).status).toBe(422);
  });

  it('prefixes kubelet timestamps', async () => {
    now = START + 20_000;
    const r = await get('timestamps=true&tailLines=3');
    const expected = written(SOURCES.steady!.current).slice(-3).map((l) => `${kubeletTimestamp(l)} ${l.text}\n`).join('');
    expect(r.body).toBe(expected);
    expect(r.body.split('\n')[0]).toMatch(/^2025-01-01T00:00:\d\d\.\d{9}Z /);
  });

  it('limitBytes cuts the stream mid-line, timestamps included', async () => {
    now = START + 60_000;
    const full = (await get('timestamps=true')).body;
    const r = await get('timestamps=true&limitBytes=100');
    expect(r.bytes).toBe(100);
    expect(r.body).toBe(Buffer.from(full).subarray(0, 100).toString('utf8'));
    expect((await get('limitBytes=1000000')).body).toBe(render(written(SOURCES.steady!.current)));
  });

  it('previous serves the last terminated instance, or fails when there is none', async () => {
    now = START + 700_000;
    const none = await get('previous=true');
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body)).toMatchObject({ reason: 'BadRequest', message: 'previous terminated container "app" in pod "web-0" not found' });
    const prev = await get('src=restarted&previous=true');
    const p = SOURCES.restarted!.previous!;
    expect(prev.body).toBe(render(linesBetween(p, 0, Infinity)));
    expect((await get('src=restarted')).body).toBe(render(written(SOURCES.restarted!.current)));
    // Following a previous instance ends right after its last line.
    const f = follow('src=restarted&previous=true&follow=true&tailLines=2');
    await f.done;
    expect(seqs(f.body)).toHaveLength(2);
  });

  it('serves only the current file of a rotated log', async () => {
    now = START + 86_400_000;
    const src = SOURCES.chatty!.current;
    const r = await get('src=chatty&limitBytes=4000');
    expect(seqs(r.body)[0]).toBe(retainedFromIndex(src, now));
    expect(seqs(r.body)[0]).toBeGreaterThan(0);
  });

  it('follow delivers new lines as the clock moves, without gaps, and ends when the pod goes', async () => {
    now = START + 30_000;
    const src = SOURCES.fast!.current;
    const f = follow('src=fast&id=follow-1&follow=true&tailLines=3');
    const first = lineIndexAt(src, now + 1);
    await f.until((b) => seqs(b).length === 3);
    expect(seqs(f.body)).toEqual([first - 3, first - 2, first - 1]);
    // Move the site clock on: the lines that became due arrive.
    now += 2_000;
    const due = lineIndexAt(src, now + 1);
    await f.until((b) => seqs(b).length === 3 + (due - first));
    now += 500;
    const due2 = lineIndexAt(src, now + 1);
    await f.until((b) => seqs(b).length === 3 + (due2 - first));
    expect(seqs(f.body)).toEqual(Array.from({ length: due2 - first + 3 }, (_, i) => first - 3 + i));
    expect(f.body).toBe(render(linesBetween(src, 0, now + 1).slice(first - 3)));
    expect(f.ended).toBe(false);
    gone.get('follow-1')?.abort();
    await f.done;
    expect(f.ended).toBe(true);
  });

  it('follow ends by itself when the container stops', async () => {
    const src = SOURCES.ending!.current;
    now = START + 60_000;
    const f = follow('src=ending&follow=true&sinceSeconds=2');
    await f.until((b) => seqs(b).length > 0);
    now = START + 120_000;
    await f.done;
    const last = linesBetween(src, 0, Infinity);
    expect(seqs(f.body)[seqs(f.body).length - 1]).toBe(last[last.length - 1]?.seq);
    expect(f.body).toBe(render(linesBetween(src, START + 58_000, Infinity)));
  });

  it('follow stops and cleans up when the client goes away', async () => {
    now = START + 30_000;
    const before = served.length;
    const f = follow('src=fast&id=leaver&follow=true&tailLines=1');
    await f.until((b) => seqs(b).length === 1);
    const handler = served[before];
    f.abort();
    await f.done;
    // serveLogs resolves although the pod is still there.
    await expect(handler).resolves.toBeUndefined();
    expect(gone.get('leaver')?.signal.aborted).toBe(false);
  });

  it('follow with limitBytes ends once the limit is reached', async () => {
    now = START + 30_000;
    const f = follow('src=fast&follow=true&tailLines=1&limitBytes=400');
    await f.until((b) => Buffer.byteLength(b) >= 200);
    now += 10_000;
    await f.done;
    expect(Buffer.byteLength(f.body)).toBe(400);
  });

  it('a lookup of line k agrees with what was served', async () => {
    now = START + 45_000;
    const r = await get('tailLines=1');
    const k = seqs(r.body)[0] as number;
    expect(r.body).toBe(`${lineAt(SOURCES.steady!.current, k)?.text}\n`);
  });
});
