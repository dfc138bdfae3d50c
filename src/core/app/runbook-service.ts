/**
 * Runbooks, maintenance Leases and the audit trail for the console: the
 * shipped runbooks and the admin's own, the engine wired to the site
 * mirrors (its waits and guards read their caches), to one API client per
 * site with the site's credentials, to the coordination Leases and to the
 * hash-chained audit log; runs left unfinished by a crash are taken up once
 * every site is live again.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { Runbook, RunbookIssue, RunStatus } from '../../shared/runbooks';
import type { AuditLog } from '../audit';
import { acquireMaintenance, activeMaintenance, listMaintenance, type Maintenance } from '../coordination';
import type { KubeHttp } from '../kube/http';
import type { SiteMirror } from '../kube/site-mirror';
import { mirrorCache, PlanError, RunbookEngine, type EnginePlan } from '../runbooks/engine';
import { loadRunbooks, parseRunbook } from '../runbooks/format';

export interface RunbookServiceOptions {
  dataDir: string;
  /** Folders to load runbooks from, later ones overriding earlier ones by name (shipped, then the admin's). */
  runbookDirs: string[];
  mirrors: ReadonlyMap<string, SiteMirror>;
  siteName(site: string): string;
  http(site: string): KubeHttp | undefined;
  bus: EventBus<TriptychEvents>;
  audit: AuditLog;
  /** Who acts: the Vault identity when signed in, else user@host. */
  who(): string;
  /** Writes the handover for the `report` step. */
  report(run: RunStatus): Promise<string>;
}

/** A maintenance in progress at a site, as every console sees it. */
export type SiteMaintenance = Maintenance & { site: string };

/** The runbooks shipped with Triptych: resources/runbooks beside the sources, or beside the built bundle. */
export function shippedRunbooks(from = import.meta.dirname): string {
  const candidates = [path.resolve(from, '../../../resources/runbooks'), path.resolve(from, '../../resources/runbooks')];
  return candidates.find((d) => existsSync(d)) ?? (candidates[0] as string);
}

export class RunbookService {
  readonly engine: RunbookEngine;
  private loaded: Promise<{ runbooks: Runbook[]; issues: RunbookIssue[] }> | undefined;
  private readonly stopCache: () => void;
  private recovered = false;

  constructor(private readonly o: RunbookServiceOptions) {
    const cache = mirrorCache(o.mirrors.values(), o.bus);
    this.stopCache = () => cache.close();
    const http = (site: string): KubeHttp => {
      const h = o.http(site);
      if (!h) throw new ContractError('not-found', `no site "${site}"`);
      return h;
    };
    this.engine = new RunbookEngine({
      dataDir: o.dataDir,
      cache,
      http,
      audit: (r) => void o.audit.append(r),
      emit: (s) => o.bus.emit('runbook.status', s),
      acquireLease: async (r) => {
        // Lost to another console (it lapsed while we could not renew): stop changing things.
        const lease = await acquireMaintenance(http(r.site), r, { onLost: () => this.engine.abort(r.run, 'Triptych (the maintenance Lease was lost)') });
        return { release: async () => void (await lease.release()), abandon: () => lease.abandon() };
      },
      maintenanceAt: async (site) => activeMaintenance(await listMaintenance(http(site))),
      report: (_kind, run) => o.report(run),
      siteName: (s) => o.siteName(s),
    });
  }

  /** Every runbook, read again from disk (an admin may have just saved one), with the files that did not load. */
  async list(): Promise<{ runbooks: Runbook[]; issues: RunbookIssue[] }> {
    this.loaded = loadRunbooks(this.o.runbookDirs);
    return this.loaded;
  }

  /** The dry-run plan: a PlanError (bad parameters, an unknown object) is the admin's to fix. */
  async plan(name: string, params: Record<string, unknown>): Promise<EnginePlan> {
    const { runbooks } = await (this.loaded ?? this.list());
    const rb = runbooks.find((r) => r.name === name);
    if (!rb) throw new ContractError('not-found', `no runbook named "${name}" (known: ${runbooks.map((r) => r.name).join(', ')})`);
    try {
      return await this.engine.plan(rb, params);
    } catch (e) {
      if (e instanceof PlanError) throw new ContractError('bad-request', e.message);
      throw e;
    }
  }

  start(planId: string): RunStatus {
    try {
      const run = this.engine.start(planId, this.o.who());
      return this.engine.status(run) as RunStatus;
    } catch (e) {
      if (e instanceof PlanError) throw new ContractError('bad-request', e.message);
      throw e;
    }
  }

  /** confirm / pause / resume / abort a run, as the connection's admin. */
  steer(action: 'confirm' | 'pause' | 'resume' | 'abort', run: string): RunStatus {
    if (!this.engine.status(run)) throw new ContractError('not-found', `no run "${run}"`);
    this.engine[action](run, this.o.who());
    return this.engine.status(run) as RunStatus;
  }

  /** A runbook's file as text, for reading and editing (the editor validates it with the schema). */
  async source(name: string): Promise<{ file: string; text: string }> {
    const { runbooks } = await (this.loaded ?? this.list());
    const rb = runbooks.find((r) => r.name === name);
    if (!rb) throw new ContractError('not-found', `no runbook named "${name}"`);
    return { file: rb.source, text: await readFile(rb.source, 'utf8') };
  }

  /** What is wrong with a draft, located (nothing is saved or run). */
  validate(text: string): RunbookIssue[] {
    return parseRunbook(text, 'draft.yaml').issues;
  }

  /**
   * Saves a draft into the admin's runbook folder as `<metadata.name>.yaml`
   * (a shipped runbook of that name is then replaced by it). Refused while it
   * has errors: a runbook that does not load is never written.
   */
  async save(text: string): Promise<{ file: string; issues: RunbookIssue[] }> {
    const dir = this.o.runbookDirs.at(-1) as string;
    const parsed = parseRunbook(text, path.join(dir, 'draft.yaml'));
    if (!parsed.runbook) return { file: '', issues: parsed.issues };
    const file = path.join(dir, `${parsed.runbook.name}.yaml`);
    await mkdir(dir, { recursive: true });
    await writeFile(file, text);
    this.loaded = undefined;
    return { file, issues: [] };
  }

  runs(): RunStatus[] {
    return this.engine.list();
  }

  /** Maintenance in progress at every site (unreachable sites are left out, not an error). */
  async maintenance(): Promise<SiteMaintenance[]> {
    const all = await Promise.all(
      [...this.o.mirrors.keys()].map(async (site) => {
        const h = this.o.http(site);
        if (!h) return [];
        try {
          return activeMaintenance(await listMaintenance(h)).map((m) => ({ ...m, site }));
        } catch {
          return [];
        }
      }),
    );
    return all.flat();
  }

  /**
   * Takes up runs a crash left unfinished, once: after every site is live,
   * so a recovered run's next check does not fail on a site still connecting.
   */
  recoverWhenLive(): void {
    const tryRecover = (): void => {
      if (this.recovered || ![...this.o.mirrors.values()].every((m) => m.getStatus().state === 'live')) return;
      this.recovered = true;
      off();
      this.engine.recover((file, e) => console.error(`runbooks: the unfinished run in ${file} cannot be taken up: ${e.message}`));
    };
    const off = this.o.bus.tap((name) => {
      if (name === 'site.status') tryRecover();
    });
    tryRecover();
  }

  /** Runs still going stop as a crash would and are taken up at the next start; then the cache goes. */
  async close(): Promise<void> {
    await this.engine.shutdown();
    this.stopCache();
  }
}
