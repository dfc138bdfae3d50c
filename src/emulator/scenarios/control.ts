/**
 * The fleet's control endpoint: HTTPS on 127.0.0.1 with its own bearer token
 * (never a cluster token), for trainers, tests and the CLI to inject faults
 * and start scenarios while the fleet runs.
 *
 *   GET  /v1/status              sites, listening state, current scenario
 *   GET  /v1/faults              the fault catalogue
 *   POST /v1/faults              {"fault":"rack-power-loss","site":"fra","rack":"B-07"}
 *   GET  /v1/scenarios           the shipped scenarios (briefing, goals, steps)
 *   POST /v1/scenarios/<name>    start a scenario (ends the current one)
 *   GET  /v1/scenarios/current   the run playing or last ended: target, goals (met, metAt,
 *                                detail), steps (applied at, ok, result); null before any
 *   POST /v1/scenarios/advance   play the run's next pending step now
 *   DELETE /v1/scenarios         end the current run; it stays readable for the debrief
 *   POST|GET|DELETE /v1/replay   play a recording into a site, its progress, stop it (replay/control.ts)
 *   GET  /v1/churn               the load generators running, with counts
 *   POST /v1/churn               {"rate":1000,"site":"fra","replaceShare":0.1}; rate 0 stops
 *   POST /v1/churn/journal       hands over (and clears) the restart journals, for latency figures
 *   GET  /v1/vault/issued        every token and lease id the training Vault issued (training
 *                                secrets, not real ones), for secret-hygiene tests to search for
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { FAULTS, FaultError, type FaultInjector, type FaultSpec } from './faults';
import { loadScenarios, SCENARIO_DIR, type Scenario } from './scenario';
import { ScenarioRun } from './runner';
import { ReplayManager } from '../replay/control';

export interface ControlOptions {
  tls: { key: string; cert: string };
  token: string;
  port?: number;
  scenarioDir?: string;
  log?: (line: string) => void;
}

export class ControlServer {
  private server: https.Server | undefined;
  private port = 0;
  run: ScenarioRun | undefined;
  /** Replays of recordings into a site (`/v1/replay`, see replay/control.ts); the fleet gives it the sites. */
  readonly replays = new ReplayManager();

  constructor(
    private readonly faults: FaultInjector,
    private readonly opts: ControlOptions,
  ) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = https.createServer({ key: this.opts.tls.key, cert: this.opts.tls.cert }, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    this.run?.stop();
    this.replays.stop();
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  async scenarios(): Promise<Scenario[]> {
    return loadScenarios(this.opts.scenarioDir ?? SCENARIO_DIR);
  }

  /** Starts a scenario by name; used by the CLI's --scenario as well. */
  async startScenario(name: string): Promise<ScenarioRun> {
    const all = await this.scenarios();
    const sc = all.find((s) => s.name === name);
    if (!sc) throw new FaultError(`unknown scenario "${name}"; shipped scenarios: ${all.map((s) => s.name).join(', ')}`);
    this.run?.stop();
    this.run = new ScenarioRun(sc, this.faults, this.faults.world(), Date.now, this.opts.log);
    return this.run;
  }

  private authorized(req: IncomingMessage): boolean {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const a = Buffer.from(m[1] as string);
    const b = Buffer.from(this.opts.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (code: number, body: unknown): void => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    try {
      if (!this.authorized(req)) return send(401, { error: 'a control token is required (Authorization: Bearer <fleet.json control.token>)' });
      const url = new URL(req.url ?? '/', 'https://localhost');
      const p = url.pathname.replace(/\/+$/, '');
      if (req.method === 'GET' && p === '/v1/status') return send(200, this.faults.status(this.run));
      if (req.method === 'GET' && p === '/v1/faults') return send(200, FAULTS);
      if (req.method === 'POST' && p === '/v1/faults') {
        const body = await readJson(req);
        if (!body || typeof body !== 'object' || typeof (body as { fault?: unknown }).fault !== 'string') {
          return send(400, { error: 'body must be JSON like {"fault":"rack-power-loss","site":"fra","rack":"B-07"}' });
        }
        return send(200, { result: await this.faults.apply(body as FaultSpec) });
      }
      if (req.method === 'GET' && p === '/v1/scenarios') {
        return send(200, (await this.scenarios()).map((s) => ({ name: s.name, title: s.title, summary: s.summary, briefing: s.briefing, goals: s.goals.map((g) => ({ id: g.id, text: g.text })), steps: s.timeline.length })));
      }
      if (req.method === 'GET' && p === '/v1/scenarios/current') return send(200, { run: this.run?.status() ?? null });
      if (req.method === 'POST' && p === '/v1/scenarios/advance') {
        if (!this.run) throw new FaultError('no scenario has been started; start one with POST /v1/scenarios/<name>');
        const step = await this.run.advance();
        return send(200, { step, run: this.run.status() });
      }
      const m = /^\/v1\/scenarios\/([a-z0-9-]+)$/.exec(p);
      if (req.method === 'POST' && m) return send(200, { run: (await this.startScenario(m[1] as string)).status() });
      if (req.method === 'DELETE' && p === '/v1/scenarios') {
        this.run?.stop();
        return send(200, { stopped: this.run?.scenario.name ?? null, run: this.run?.status() ?? null });
      }
      if (req.method === 'GET' && p === '/v1/vault/issued') return send(200, { secrets: this.faults.vaultIssued() });
      if (req.method === 'GET' && p === '/v1/churn') return send(200, this.faults.churnStatus());
      if (req.method === 'POST' && p === '/v1/churn') {
        const body = (await readJson(req)) as { rate?: unknown; site?: unknown; replaceShare?: unknown } | null;
        if (!body || typeof body.rate !== 'number' || (body.site !== undefined && typeof body.site !== 'string') || (body.replaceShare !== undefined && typeof body.replaceShare !== 'number')) {
          return send(400, { error: 'body must be JSON like {"rate":1000,"site":"fra","replaceShare":0.1} (site and replaceShare optional)' });
        }
        return send(200, this.faults.churn(body as { rate: number; site?: string; replaceShare?: number }));
      }
      if (req.method === 'POST' && p === '/v1/churn/journal') return send(200, this.faults.drainChurnJournal());
      if (await this.replays.handle(req.method ?? '', p, () => readJson(req), send)) return;
      send(404, { error: `no such control endpoint: ${req.method ?? ''} ${p}` });
    } catch (e) {
      send(e instanceof FaultError || e instanceof SyntaxError ? 400 : 500, { error: (e as Error).message });
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 65536) throw new FaultError('body too large');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new FaultError('body is not valid JSON');
  }
}
