/**
 * The shift handover for the console: collected from the site mirrors'
 * caches, the maintenance Leases and the audit trail; stored as a ConfigMap
 * at every reachable site, so the next admin opens it from any workstation;
 * written to the audit trail.
 */
import { ContractError } from '../../shared/contract/rpc';
import type { HandoverReport } from '../../shared/handover';
import type { SiteAlerts } from '../../shared/alerts';
import type { SiteInfo } from '../../shared/model';
import type { AuditLog } from '../audit';
import { listMaintenance } from '../coordination';
import { collect, latest, saveAll, toHtml, toMarkdown, type HandoverSources, type NoteInput } from '../handover';
import type { KubeHttp } from '../kube/http';
import type { SiteMirror } from '../kube/site-mirror';

export interface HandoverServiceOptions {
  sites: readonly SiteInfo[];
  mirrors: ReadonlyMap<string, SiteMirror>;
  http(site: string): KubeHttp | undefined;
  audit: AuditLog;
  who(): string;
  /** A site's alerts as last polled (AlertService); absent: reports carry no alerts. */
  alerts?(site: string): SiteAlerts | undefined;
}

/** What saving a handover did at each site, in words for the UI. */
export interface HandoverResult {
  report: HandoverReport;
  /** Per site: where it was stored, or why not. */
  stored: { site: string; ok: boolean; detail: string }[];
}

export class HandoverService {
  /** Reports this console wrote or read, by id (for exports). */
  private readonly reports = new Map<string, HandoverReport>();

  constructor(private readonly o: HandoverServiceOptions) {}

  private sources(): HandoverSources {
    const m = (site: string): SiteMirror | undefined => this.o.mirrors.get(site);
    return {
      sites: () => this.o.sites.map((s) => ({ id: s.id, name: s.name })),
      reachable: (site) => m(site)?.getStatus().state === 'live',
      nodes: (site) => m(site)?.items('nodes') ?? [],
      pods: (site) => m(site)?.items('pods') ?? [],
      workloads: (site) => m(site)?.items('workloads') ?? [],
      events: (site) => m(site)?.items('events') ?? [],
      maintenance: async (site) => {
        const h = this.o.http(site);
        if (!h) throw new Error(`no client for ${site}`);
        return listMaintenance(h);
      },
      audit: (since) => this.o.audit.query({ from: since, limit: Number.MAX_SAFE_INTEGER }),
      alerts: (site) => this.o.alerts?.(site),
    };
  }

  /** The newest handover stored at any reachable site (they all hold the same ones), or null. */
  async latest(): Promise<HandoverReport | null> {
    let newest: HandoverReport | undefined;
    for (const site of this.o.sites) {
      const h = this.o.http(site.id);
      if (!h || this.o.mirrors.get(site.id)?.getStatus().state !== 'live') continue;
      const found = await latest(h).catch(() => undefined);
      if (found?.report && (!newest || found.report.createdAt > newest.createdAt)) newest = found.report;
    }
    if (newest) this.reports.set(newest.id, newest);
    return newest ?? null;
  }

  /**
   * Writes the handover: collected now, compared with the latest one, stored
   * at every reachable site and recorded in the audit trail.
   */
  async create(input: { notes?: NoteInput[]; close?: string[] } = {}): Promise<HandoverResult> {
    const previous = (await this.latest()) ?? undefined;
    const report = await collect(this.sources(), { by: this.o.who(), now: Date.now(), previous, notes: input.notes, close: input.close });
    const clients = new Map<string, KubeHttp>();
    for (const s of this.o.sites) {
      const h = this.o.http(s.id);
      if (h && this.o.mirrors.get(s.id)?.getStatus().state === 'live') clients.set(s.id, h);
    }
    const saved = await saveAll(clients, report);
    this.reports.set(saved.report.id, saved.report);
    const stored = this.o.sites.map((s) => {
      const r = saved.results.get(s.id);
      if (!r) return { site: s.id, ok: false, detail: 'not stored: the site is not reachable now' };
      return r.ok ? { site: s.id, ok: true, detail: `stored as ConfigMap triptych-system/${r.name}` } : { site: s.id, ok: false, detail: r.error };
    });
    for (const s of stored) {
      const r = saved.results.get(s.site);
      this.o.audit.append({
        who: report.by,
        verb: 'handover',
        site: s.site,
        // Named as stored (a second report in the same second is `<id>-2`).
        object: { kind: 'ConfigMap', namespace: 'triptych-system', name: r?.ok ? r.name : report.id },
        result: s.ok ? 'ok' : 'failed',
        detail: s.detail,
      });
    }
    return { report: saved.report, stored };
  }

  /** A report this console knows, as Markdown (a ticket) or printable HTML (PDF). */
  export(id: string, format: 'markdown' | 'html'): string {
    const r = this.reports.get(id);
    if (!r) throw new ContractError('not-found', `no handover "${id}" here: open the latest handover first`);
    return format === 'markdown' ? toMarkdown(r) : toHtml(r);
  }
}
