/**
 * A real Alertmanager for tests: Debian's prometheus-alertmanager, started
 * on 127.0.0.1 with a free port, TLS from a throwaway CA, clustering off,
 * its data in a temporary folder, and a configuration whose only receiver
 * sends nowhere. Tests post alerts and silences to it through its API, as
 * Prometheus and amtool would.
 *
 * The package is installed by scripts/system-packages.mjs when missing (as
 * root); `alertmanagerMissing()` says why a test must be skipped otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generateFleetTls } from '../../emulator/tls';

/** Where Debian's package puts the binary. */
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Installs the package (as root) when missing; the reason a test must be skipped, or undefined when it is there. */
export function alertmanagerMissing(): string | undefined {
  if (process.platform !== 'linux') return 'the Alertmanager integration test uses the Debian package, so it runs on Linux only';
  if (existsSync(ALERTMANAGER_BIN)) return undefined;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/system-packages.mjs'), 'alertmanager'], { encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0 && existsSync(ALERTMANAGER_BIN)) return undefined;
  return `prometheus-alertmanager is not installed and could not be installed here (${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}); run: sudo apt-get install prometheus-alertmanager`;
}

/** An alert as `POST /api/v2/alerts` takes it (postableAlert). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** A running test Alertmanager. */
export interface TestAlertmanager {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** PEM file of the CA that signed its certificate. */
  caFile: string;
  caCert: string;
  /** The folder holding its data, config and the CA (removed by close). */
  dir: string;
  /** Milliseconds from spawn to `/-/ready` answering 200. */
  startupMs: number;
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** Creates a silence; its id. */
  postSilence(matchers: { name: string; value: string; isRegex?: boolean; isEqual?: boolean }[], opts?: { comment?: string; createdBy?: string; minutes?: number }): Promise<string>;
  /** Any API request, for assertions the client does not cover. */
  request(method: string, apiPath: string, body?: unknown): Promise<{ status: number; text: string }>;
  /** Kills the process and removes its folder. */
  close(): Promise<void>;
}

/** A port that was free a moment ago (the kernel picks it; Alertmanager binds it right after). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const CONFIG = `# Every alert goes to a receiver with no integrations: nothing is sent anywhere.
route:
  receiver: 'null'
  group_wait: 0s
receivers:
  - name: 'null'
`;

/** Starts Alertmanager and waits until it reports ready. */
export async function startAlertmanager(opts: { readyTimeoutMs?: number } = {}): Promise<TestAlertmanager> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-alertmanager-'));
  const tls = await generateFleetTls();
  const files = { config: path.join(dir, 'alertmanager.yml'), web: path.join(dir, 'web.yml'), ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server-key.pem') };
  await Promise.all([
    writeFile(files.config, CONFIG),
    writeFile(files.web, `tls_server_config:\n  cert_file: ${files.cert}\n  key_file: ${files.key}\n`),
    writeFile(files.ca, tls.caCert),
    writeFile(files.cert, tls.cert),
    writeFile(files.key, tls.key, { mode: 0o600 }),
  ]);
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${files.config}`,
      `--web.config.file=${files.web}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An empty address turns gossip off: a lone instance must not look for peers on the network.
      '--cluster.listen-address=',
      `--storage.path=${path.join(dir, 'data')}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  // Should the test run end without reaching afterAll (a crash, a timeout), the process must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', killOnExit);
      resolve(code);
    }),
  );

  const agent = new https.Agent({ ca: tls.caCert, keepAlive: false });
  const request = (method: string, apiPath: string, body?: unknown): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(`${url}${apiPath}`, { method, agent, headers: payload ? { 'content-type': 'application/json' } : {}, signal: AbortSignal.timeout(10_000) }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(payload);
    });

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killed);
    }
    agent.destroy();
    await rm(dir, { recursive: true, force: true });
  };

  // Readiness: /-/ready answers 200 once the configuration is loaded. Poll it, and stop at once if the process dies.
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  let died: number | null | undefined;
  void exited.then((code) => (died = code));
  for (;;) {
    if (died !== undefined) {
      await close();
      throw new Error(`Alertmanager exited (code ${died}) before becoming ready: ${stderr.trim() || 'no output'}`);
    }
    const ok = await request('GET', '/-/ready').then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`Alertmanager did not become ready within ${opts.readyTimeoutMs ?? 30_000} ms: ${stderr.trim() || 'no output'}`);
    }
    // The readiness signal is the HTTP answer itself; this only spaces the probes.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const startupMs = Math.round(performance.now() - started);

  const expect2xx = (what: string, r: { status: number; text: string }) => {
    if (r.status < 200 || r.status >= 300) throw new Error(`${what} failed (${r.status}): ${r.text}`);
    return r;
  };
  return {
    url,
    caFile: files.ca,
    caCert: tls.caCert,
    dir,
    startupMs,
    request,
    async postAlerts(alerts) {
      expect2xx('POST /api/v2/alerts', await request('POST', '/api/v2/alerts', alerts));
    },
    async postSilence(matchers, o = {}) {
      const now = Date.now();
      const body = {
        matchers: matchers.map((m) => ({ isRegex: false, isEqual: true, ...m })),
        startsAt: new Date(now - 1000).toISOString(),
        endsAt: new Date(now + (o.minutes ?? 60) * 60_000).toISOString(),
        createdBy: o.createdBy ?? 'triptych-test',
        comment: o.comment ?? 'silenced by the alerts integration test',
      };
      const r = expect2xx('POST /api/v2/silences', await request('POST', '/api/v2/silences', body));
      return (JSON.parse(r.text) as { silenceID: string }).silenceID;
    },
    close,
  };
}
