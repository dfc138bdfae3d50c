/**
 * The alerts client and watcher against a real Alertmanager (Debian's
 * prometheus-alertmanager, started on loopback over TLS by
 * test-alertmanager.ts): alerts and silences are posted to it through its
 * API, as Prometheus and amtool would, and read back through the client.
 *
 * Failure cases use real servers too: a closed port, an auth proxy in front
 * of the Alertmanager (as deployments put oauth2-proxy or an ingress there),
 * and a web server that is not Alertmanager. Nothing is mocked.
 *
 * Skipped, saying why, only when the package is missing and cannot be
 * installed (not root, no apt).
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Timers } from '../vault/timers';
import { AlertmanagerClient } from './client';
import { AlertmanagerError } from './errors';
import { MAX_VALUE_CHARS, type Alert } from './normalize';
import { alertmanagerMissing, freePort, startAlertmanager, type TestAlertmanager } from './test-alertmanager';
import { AlertWatcher, type AlertChange, type AlertWatchStatus } from './watcher';

let missing: string | undefined;
let am: TestAlertmanager;
let dir: string;

beforeAll(async () => {
  missing = alertmanagerMissing();
  if (missing) return;
  am = await startAlertmanager();
  // Reported so that a slow CI machine shows up in the log, not only as a timeout.
  console.warn(`Alertmanager ready in ${am.startupMs} ms at ${am.url}`);
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-alerts-test-'));
}, 600_000);

afterAll(async () => {
  await am?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A client for the test Alertmanager, trusting its CA. */
const client = (extra: { timeoutMs?: number } = {}) => new AlertmanagerClient({ url: am.url, caCert: am.caFile }, extra);
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

/** Expects `p` to reject with an AlertmanagerError of `kind` whose message matches `message`. */
async function failsWith(p: Promise<unknown>, kind: AlertmanagerError['kind'], message: RegExp): Promise<AlertmanagerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AlertmanagerError);
  const e = err as AlertmanagerError;
  expect({ kind: e.kind, message: e.message }).toEqual({ kind, message: expect.stringMatching(message) });
  return e;
}

describe('AlertmanagerClient against a real Alertmanager', () => {
  it('lists alerts normalized, hostile label and annotation values kept as inert text', async (ctx) => {
    if (missing) ctx.skip(missing);
    const long = 'x'.repeat(200_000);
    await am.postAlerts([
      {
        labels: { alertname: 'NodeDiskPressure', severity: 'warning', node: 'fra-b07-n3', test: 'list' },
        annotations: {
          summary: 'Disk nearly full on fra-b07-n3',
          description: 'Root filesystem at 93 %.\nDrain the node before it evicts.',
          // A rule that quotes a failed request, credentials included.
          message: 'probe failed: Authorization: Bearer hvs.CAESIJ0ttQuotedFromAProbe1234 rejected',
        },
        generatorURL: 'http://prometheus.example.com/graph?g0.expr=up',
      },
      {
        labels: {
          alertname: '<script>alert(1)</script>',
          severity: 'critical',
          ansi: '\u001b[31mRED\u001b[0m',
          long,
          test: 'list',
          // A label that JavaScript would take as the prototype if copied carelessly.
          ['__proto__']: 'polluted',
        },
        annotations: {
          summary: '<img src=x onerror="alert(1)">',
          description: 'title \u001b]0;pwned\u0007 then \u202eevil\u202c and a tab\there',
        },
        generatorURL: 'javascript:alert(1)',
      },
    ]);

    const { items, skipped } = await client().alerts({ filter: ['test="list"'] });
    expect(skipped).toBe(0);
    expect(items.map((a) => a.name).sort()).toEqual(['<script>alert(1)</script>', 'NodeDiskPressure']);

    const disk = items.find((a) => a.name === 'NodeDiskPressure') as Alert;
    expect(disk).toMatchObject({
      severity: 'warning',
      state: 'active',
      summary: 'Disk nearly full on fra-b07-n3',
      description: 'Root filesystem at 93 %.\nDrain the node before it evicts.',
      labels: { alertname: 'NodeDiskPressure', severity: 'warning', node: 'fra-b07-n3', test: 'list' },
      silencedBy: [],
      inhibitedBy: [],
      receivers: ['null'],
      generatorURL: 'http://prometheus.example.com/graph?g0.expr=up',
    });
    // A token quoted in an annotation never reaches a screen.
    expect(disk.annotations.message).toBe('probe failed: Authorization: Bearer [redacted] rejected');
    expect(disk.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(Date.parse(disk.startsAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(disk.endsAt)).toBeGreaterThan(Date.now());

    const hostile = items.find((a) => a.name.startsWith('<')) as Alert;
    // HTML stays text, byte for byte: escaping is the renderer's job (React text nodes), and the text is evidence.
    expect(hostile.summary).toBe('<img src=x onerror="alert(1)">');
    expect(hostile.severity).toBe('critical');
    // Terminal escapes and bidi overrides are made visible instead of acted on.
    expect(hostile.labels.ansi).toBe('\uFFFD[31mRED\uFFFD[0m');
    expect(hostile.description).toBe('title \uFFFD]0;pwned\uFFFD then \uFFFDevil\uFFFD and a tab\there');
    // 200,000 characters are cut to a bounded length, visibly.
    expect(hostile.labels.long?.length).toBeLessThanOrEqual(MAX_VALUE_CHARS);
    expect(hostile.labels.long?.endsWith('…')).toBe(true);
    // A javascript: URL is not kept as a link.
    expect(hostile.generatorURL).toBeUndefined();
    // __proto__ is an ordinary label; the object's prototype is untouched.
    expect(Object.getPrototypeOf(hostile.labels)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(hostile.labels, '__proto__')?.value).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('marks a silenced alert suppressed with the silence id, lists the silence read-only, and filters by state', async (ctx) => {
    if (missing) ctx.skip(missing);
    await am.postAlerts([
      { labels: { alertname: 'KubePodCrashLooping', severity: 'warning', pod: 'api-7f9c', test: 'silence' }, annotations: { summary: 'api-7f9c restarts' } },
      { labels: { alertname: 'KubeNodeNotReady', severity: 'critical', node: 'fra-a01-n1', test: 'silence' } },
    ]);
    const silenceId = await am.postSilence([{ name: 'alertname', value: 'KubePodCrashLooping' }, { name: 'test', value: 'silence' }], { comment: 'rollback under way <b>', createdBy: 'ops@example.com' });

    const c = client();
    const { items } = await c.alerts({ filter: ['test="silence"'] });
    const crash = items.find((a) => a.name === 'KubePodCrashLooping');
    const node = items.find((a) => a.name === 'KubeNodeNotReady');
    expect(crash).toMatchObject({ state: 'suppressed', silencedBy: [silenceId], inhibitedBy: [] });
    expect(node).toMatchObject({ state: 'active', silencedBy: [] });
    expect(node).not.toHaveProperty('summary');

    const firing = await c.alerts({ filter: ['test="silence"'], silenced: false });
    expect(firing.items.map((a) => a.name)).toEqual(['KubeNodeNotReady']);

    const { items: silences, skipped } = await c.silences(['test="silence"']);
    expect(skipped).toBe(0);
    expect(silences).toEqual([
      expect.objectContaining({
        id: silenceId,
        state: 'active',
        createdBy: 'ops@example.com',
        comment: 'rollback under way <b>',
        matchers: [
          { name: 'alertname', value: 'KubePodCrashLooping', isRegex: false, isEqual: true },
          { name: 'test', value: 'silence', isRegex: false, isEqual: true },
        ],
      }),
    ]);
  });

  it('drops an alert once it is resolved (endsAt in the past)', async (ctx) => {
    if (missing) ctx.skip(missing);
    const labels = { alertname: 'EtcdHighFsyncDuration', test: 'resolve' };
    await am.postAlerts([{ labels }]);
    const c = client();
    expect((await c.alerts({ filter: ['test="resolve"'] })).items.map((a) => a.name)).toEqual(['EtcdHighFsyncDuration']);
    await am.postAlerts([{ labels, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    expect((await c.alerts({ filter: ['test="resolve"'] })).items).toEqual([]);
  });

  it('reports version and cluster state, and none of Alertmanager\'s configuration', async (ctx) => {
    if (missing) ctx.skip(missing);
    const status = await client().status();
    expect(status).toMatchObject({ version: expect.stringMatching(/^0\.\d+\.\d+/), clusterStatus: 'disabled', peers: [] });
    // /api/v2/status carries the whole alertmanager.yml (receiver passwords included): it must not come along.
    expect(JSON.stringify(status)).not.toMatch(/receiver|route|smtp/);
  });

  it('says to set caCert when the certificate is not trusted', async (ctx) => {
    if (missing) ctx.skip(missing);
    const c = new AlertmanagerClient({ url: am.url });
    await failsWith(c.alerts(), 'tls', /^The TLS certificate of Alertmanager at https:\/\/127\.0\.0\.1:\d+ is not trusted \(.+\): set caCert under the site's alertmanager/);
    c.close();
    const wrongCa = path.join(dir, 'missing-ca.pem');
    await failsWith(new AlertmanagerClient({ url: am.url, caCert: wrongCa }).alerts(), 'config', /^Cannot read caCert .*missing-ca\.pem for Alertmanager at .* \(ENOENT\): fix the path/);
  });
});

describe('AlertmanagerClient behind an auth proxy', () => {
  let proxy: http.Server;
  let proxyUrl: string;
  const TOKEN = 'am-reader-token-0f3c9';

  beforeAll(async () => {
    if (missing) return;
    const upstream = new https.Agent({ ca: am.caCert });
    // What oauth2-proxy or an ingress with auth does: check the Authorization header, then pass the request on.
    proxy = http.createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const basicOk = auth === `Basic ${Buffer.from('reader:s3cret pass').toString('base64')}`;
      if (auth === 'Bearer read-only-elsewhere') return void res.writeHead(403).end('forbidden');
      if (auth !== `Bearer ${TOKEN}` && !basicOk) return void res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized');
      const up = https.request(`${am.url}${req.url ?? '/'}`, { method: req.method, agent: upstream, headers: { accept: 'application/json' } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  });
  afterAll(() => {
    proxy?.closeAllConnections();
    proxy?.close();
  });

  const secretFile = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text, { mode: 0o600 });
    return file;
  };

  it('sends the token from bearerTokenFile or the password from basicAuth.passwordFile', async (ctx) => {
    if (missing) ctx.skip(missing);
    await am.postAlerts([{ labels: { alertname: 'ProxiedAlert', test: 'proxy' } }]);
    const bearer = new AlertmanagerClient({ url: proxyUrl, bearerTokenFile: await secretFile('token', `${TOKEN}\n`) });
    expect((await bearer.alerts({ filter: ['test="proxy"'] })).items.map((a) => a.name)).toEqual(['ProxiedAlert']);
    const basic = new AlertmanagerClient({ url: proxyUrl, basicAuth: { username: 'reader', passwordFile: await secretFile('password', 's3cret pass\n') } });
    expect((await basic.alerts({ filter: ['test="proxy"'] })).items.map((a) => a.name)).toEqual(['ProxiedAlert']);
  });

  it('explains 401 with and without credentials, 403, and an unreadable token file', async (ctx) => {
    if (missing) ctx.skip(missing);
    await failsWith(new AlertmanagerClient({ url: proxyUrl }).alerts(), 'unauthorized', /answered 401 Unauthorized for \/api\/v2\/alerts: it wants credentials: add bearerTokenFile or basicAuth/);
    const wrong = new AlertmanagerClient({ url: proxyUrl, bearerTokenFile: await secretFile('wrong-token', 'not-the-token') });
    const e = await failsWith(wrong.alerts(), 'unauthorized', /the credentials were refused: check the token in bearerTokenFile/);
    expect(e.message).not.toContain('not-the-token');
    await failsWith(new AlertmanagerClient({ url: proxyUrl, bearerTokenFile: await secretFile('other-token', 'read-only-elsewhere') }).alerts(), 'forbidden', /403 Forbidden .* not allowed to read alerts/);
    await failsWith(new AlertmanagerClient({ url: proxyUrl, bearerTokenFile: path.join(dir, 'no-such-token') }).alerts(), 'config', /^Cannot read bearerTokenFile .*no-such-token .*\(ENOENT\)/);
    await failsWith(new AlertmanagerClient({ url: proxyUrl, bearerTokenFile: await secretFile('empty-token', '\n') }).alerts(), 'config', /bearerTokenFile .* is empty/);
  });
});

describe('AlertmanagerClient against things that are not Alertmanager', () => {
  let server: http.Server;
  let base: string;
  let goodAlert: unknown;

  beforeAll(async () => {
    if (missing) return;
    await am.postAlerts([{ labels: { alertname: 'Template', test: 'template' } }]);
    goodAlert = (JSON.parse((await am.request('GET', '/api/v2/alerts?filter=test%3D%22template%22')).text) as unknown[])[0];
    // A web server whose first path segment picks what it does wrong.
    server = http.createServer((req, res) => {
      const kind = (req.url ?? '').split('/')[1];
      const json = (body: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      switch (kind) {
        case 'html':
          return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>');
        case 'prometheus':
          return void json('{"status":"success","data":[]}');
        case 'truncated':
          return void json('[{"labels":{"alertname":"Cut');
        case 'mixed':
          return void json(JSON.stringify([goodAlert, null, 42, { labels: { alertname: 'NoStatus' } }, { ...(goodAlert as object), fingerprint: '<x>' }, { ...(goodAlert as object), startsAt: 'yesterday' }]));
        case 'huge':
          return void json(`[${'"x",'.repeat(1000)}"x"]`);
        case 'redirect':
          return void res.writeHead(302, { location: 'https://sso.example.com/login?rd=/api/v2/alerts' }).end();
        case 'broken':
          return void res.writeHead(500).end('oops');
        case 'slow':
          return; // Never answers.
        default:
          return void res.writeHead(404).end('404 page not found');
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  const at = (kind: string, opts = {}) => new AlertmanagerClient({ url: `${base}/${kind}` }, opts);

  it('gives a clear error for each way a server can fail to be Alertmanager', async (ctx) => {
    if (missing) ctx.skip(missing);
    await failsWith(at('html').alerts(), 'not-alertmanager', /answered \/api\/v2\/alerts with 'text\/html' \(not JSON\): is the site's alertmanager url really Alertmanager/);
    await failsWith(at('prometheus').alerts(), 'not-alertmanager', /answered \/api\/v2\/alerts with object, not a list/);
    await failsWith(at('truncated').alerts(), 'invalid-response', /sent malformed JSON for \/api\/v2\/alerts/);
    await failsWith(at('elsewhere').alerts(), 'not-alertmanager', /has no \/api\/v2\/alerts \(404\): is this Alertmanager's base URL\?/);
    await failsWith(at('redirect').alerts(), 'not-alertmanager', /redirected \/api\/v2\/alerts to https:\/\/sso\.example\.com\/login.* \(302\): point the site's alertmanager url at Alertmanager itself/);
    await failsWith(at('broken').alerts(), 'server-error', /failed on \/api\/v2\/alerts \(500\); Triptych will try again/);
    await failsWith(at('huge', { maxResponseBytes: 1024 }).alerts(), 'too-large', /sent more than 1 KiB for \/huge\/api\/v2\/alerts: narrow it with a filter/);
    await failsWith(at('slow', { timeoutMs: 200 }).alerts(), 'timeout', /did not answer in time/);
    await failsWith(at('prometheus').status(), 'not-alertmanager', /answered \/api\/v2\/status with an object without versionInfo/);
  });

  it('skips malformed entries and counts them', async (ctx) => {
    if (missing) ctx.skip(missing);
    const { items, skipped } = await at('mixed').alerts();
    expect(items.map((a) => a.name)).toEqual(['Template']);
    expect(skipped).toBe(5);
  });

  it('says when nothing listens at the url', async (ctx) => {
    if (missing) ctx.skip(missing);
    const port = await freePort();
    await failsWith(new AlertmanagerClient({ url: `http://127.0.0.1:${port}` }).alerts(), 'unreachable', new RegExp(`^Cannot reach Alertmanager at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): check the site's alertmanager url`));
  });
});

describe('AlertWatcher against a real Alertmanager', () => {
  /** The next `change` event. */
  const nextChange = (w: AlertWatcher) => once(w, 'change').then(([c]) => c as AlertChange);

  it('reports added, updated (silenced) and resolved alerts as Alertmanager changes', async (ctx) => {
    if (missing) ctx.skip(missing);
    // A short interval: each change below shows up within a poll or two, and the test waits on the events, not on time.
    const w = new AlertWatcher({ site: 'fra', source: client(), intervalMs: 100, query: { filter: ['test="watch"'] } });
    const firstStatus = once(w, 'status');
    w.start();
    expect((await firstStatus)[0]).toMatchObject({ state: 'ok', stale: false, failures: 0 });
    try {
      let change = nextChange(w);
      await am.postAlerts([{ labels: { alertname: 'KubeAPIDown', severity: 'critical', test: 'watch' }, annotations: { summary: 'API server unreachable' } }]);
      let c = await change;
      expect(c.site).toBe('fra');
      expect(c.added.map((a) => [a.name, a.state, a.summary])).toEqual([['KubeAPIDown', 'active', 'API server unreachable']]);
      expect(c.resolved).toEqual([]);
      expect(w.alerts.map((a) => a.name)).toEqual(['KubeAPIDown']);

      change = nextChange(w);
      const silenceId = await am.postSilence([{ name: 'alertname', value: 'KubeAPIDown' }]);
      c = await change;
      expect(c.updated.map((a) => [a.name, a.state, a.silencedBy])).toEqual([['KubeAPIDown', 'suppressed', [silenceId]]]);
      expect(c.added).toEqual([]);

      change = nextChange(w);
      await am.postAlerts([{ labels: { alertname: 'KubeAPIDown', severity: 'critical', test: 'watch' }, endsAt: new Date(Date.now() - 1000).toISOString() }]);
      c = await change;
      expect(c.resolved.map((a) => a.name)).toEqual(['KubeAPIDown']);
      expect(c.alerts).toEqual([]);
      expect(w.alerts).toEqual([]);
    } finally {
      w.stop();
    }
  });

  it('keeps the last alerts (stale) when Alertmanager becomes unreachable, backs off, and recovers', async (ctx) => {
    if (missing) ctx.skip(missing);
    await am.postAlerts([{ labels: { alertname: 'NodeFilesystemFull', test: 'outage' }, endsAt: minutesFromNow(30) }]);
    // A TCP relay to the Alertmanager that the test can cut: an outage without stopping the shared Alertmanager.
    const relay = await startRelay(new URL(am.url).port);
    // Real timers, but every delay the watcher asks for is recorded and shortened to 10 ms so that the backoff runs now.
    const delays: number[] = [];
    let onDelay: (() => void) | undefined;
    const timers: Timers = {
      now: () => Date.now(),
      setTimeout(fn, ms) {
        delays.push(ms);
        onDelay?.();
        return setTimeout(fn, 10);
      },
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    };
    const source = new AlertmanagerClient({ url: `https://127.0.0.1:${relay.port}`, caCert: am.caFile }, { timeoutMs: 2000 });
    const w = new AlertWatcher({ site: 'ams', source, intervalMs: 1000, maxBackoffMs: 8000, timers, random: () => 0.5, query: { filter: ['test="outage"'] } });
    const statuses: AlertWatchStatus[] = [];
    const resolvedEvents: AlertChange[] = [];
    w.on('status', (s) => statuses.push(s));
    w.on('change', (c) => c.resolved.length > 0 && resolvedEvents.push(c));
    try {
      // The first poll is done once it has scheduled the next one.
      const scheduled = new Promise<void>((resolve) => (onDelay = resolve));
      w.start();
      await scheduled;
      expect(w.alerts.map((a) => a.name)).toEqual(['NodeFilesystemFull']);

      await relay.cut();
      delays.length = 0;
      // Five failed polls in a row, then look at what the watcher did.
      await new Promise<void>((resolve) => (onDelay = () => delays.length >= 5 && resolve()));
      onDelay = undefined;
      expect(delays.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 8000]);
      expect(w.status).toMatchObject({ state: 'unreachable', stale: true, failures: expect.any(Number), message: expect.stringMatching(/^Cannot reach Alertmanager at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/) });
      expect(w.alerts.map((a) => a.name)).toEqual(['NodeFilesystemFull']);
      expect(resolvedEvents).toEqual([]);

      const ok = new Promise<AlertWatchStatus>((resolve) => w.on('status', (s) => s.state === 'ok' && resolve(s)));
      relay.restore();
      expect(await ok).toMatchObject({ state: 'ok', stale: false, failures: 0 });
      expect(statuses.map((s) => s.state)).toEqual(['ok', 'unreachable', 'ok']);
      expect(resolvedEvents).toEqual([]);
    } finally {
      w.stop();
      source.close();
      await relay.close();
    }
  });
});

/** A TCP relay on a fixed port to the Alertmanager; `cut` closes it (connections refused), `restore` listens again. */
async function startRelay(targetPort: string) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    const up = net.connect(Number(targetPort), '127.0.0.1');
    for (const x of [s, up]) {
      sockets.add(x);
      x.on('close', () => sockets.delete(x));
      x.on('error', () => x.destroy());
    }
    s.pipe(up).pipe(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
    restore() {
      server.listen(port, '127.0.0.1');
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    },
  };
}
