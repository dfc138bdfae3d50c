/**
 * The composition root shared by the Electron shell and the browser host:
 * resolve the sites (or start the training fleet), run a mirror per site and
 * serve them through the contract.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ContractError, EventBus, type Impl } from '../../shared/contract/rpc';
import type { TriptychContract, TriptychEvents } from '../../shared/contract/triptych';
import type { SiteInfo } from '../../shared/model';
import { ConfigError, resolveSites, trainingSites, type Env, type SiteVaultSource } from '../config';
import { SiteMirror, type MirrorOptions } from '../kube/site-mirror';
import os from 'node:os';
import path from 'node:path';
import type { KubeHttp } from '../kube/http';
import { AuditLog, EventMirror, execAuditSink } from '../audit';
import { openKeychain, type Keychain } from '../keychain';
import { resolveVaultSettings, trainingVault, TRAINING_PASSWORD, VaultError, type VaultSettings } from '../vault';
import { ExecService } from './exec-service';
import { LogService } from './log-service';
import { VaultService } from './vault-service';
import { EditService } from './edit-service';
import { HandoverService } from './handover-service';
import { RunbookService, shippedRunbooks } from './runbook-service';
import { configDir } from '../config';
import { AlertService } from './alert-service';
import type { AlertmanagerConfig } from '../alerts';
import { IncidentService } from './incident-service';
import { TrainingService } from './training-service';
import { RecordingService } from './recording-service';

export interface CoreOptions {
  env: Env;
  home: string;
  platform: NodeJS.Platform;
  /** Where the training fleet writes its kubeconfig (kept private, 0700). */
  dataDir: string;
  mirror?: MirrorOptions;
  /** Overrides for the training fleet (tests use small, fast fleets). */
  training?: { sites?: number; nodes?: number; podsPerNode?: number; seed?: string };
  /** Where the Vault token is kept; default the OS keychain, or memory with a warning when there is none. */
  keychain?: Keychain;
  /** Opens a URL in the system browser (OIDC sign-in); the Electron shell passes shell.openExternal. */
  openExternal?: (url: string) => Promise<void> | void;
  /** How often Vault's health is checked, ms (tests shorten it). */
  vaultHealthEveryMs?: number;
  /** The shipped runbooks' folder; default resources/runbooks beside the sources or the bundle. */
  runbookDir?: string;
  /** How often each site's Alertmanager is polled, ms (tests shorten it); default 30 s. */
  alertsEveryMs?: number;
}

export interface CoreApp {
  mode: 'configured' | 'training';
  sites: SiteInfo[];
  warnings: string[];
  bus: EventBus<TriptychEvents>;
  impl: Impl<TriptychContract>;
  /** Ends a stream whose connection went away (pass to serve() as `release`). */
  release(stream: string): void;
  /** The training fleet's control endpoint, in training mode (for trainers and tests). */
  training?: { controlUrl: string; controlToken: string; caCert: string; kubeconfigPath?: string };
  close(): Promise<void>;
}

export async function startCore(o: CoreOptions): Promise<CoreApp> {
  const resolved = await resolveSites({ env: o.env, home: o.home, platform: o.platform });
  let sites = resolved.sites;
  let kubeconfig: KubeConfig = resolved.kubeconfig;
  let stopFleet: (() => Promise<void>) | undefined;
  /** The training fleet's Alertmanager per site (none when sites are configured: triptych.yaml names theirs). */
  let trainingAlertmanagers = new Map<string, AlertmanagerConfig>();
  let training: CoreApp['training'];
  let vaultSetup: { settings: VaultSettings; sources: ReadonlyMap<string, SiteVaultSource> } | undefined;
  if (resolved.config) vaultSetup = await configuredVault(resolved.config, o.env);
  if (resolved.mode === 'training') {
    // Loaded only when needed: a configured console never carries the emulator's weight.
    const { Fleet } = await import('../../emulator/fleet');
    const fleet = await Fleet.start({ dir: `${o.dataDir}/training-fleet`, ...o.training });
    const t = trainingSites(fleet.info, fleet.kubeconfig());
    sites = t.sites;
    kubeconfig = t.kubeconfig;
    trainingAlertmanagers = t.alertmanagers;
    stopFleet = () => fleet.close();
    training = { controlUrl: fleet.info.control.address, controlToken: fleet.info.control.token, caCert: fleet.tls.caCert, kubeconfigPath: fleet.info.kubeconfig };
    // The training fleet's Vault issues the sites' credentials, so a new admin learns the real flow.
    vaultSetup = trainingVault(fleet.info, fleet.tls.caCert);
  }
  const bus = new EventBus<TriptychEvents>();
  const warnings = [...resolved.warnings];
  const mirrors = new Map<string, SiteMirror>();
  let vault: VaultService | undefined;
  if (vaultSetup) {
    const keychain = o.keychain ?? (await openKeychain({ platform: o.platform }));
    if (keychain.warning) warnings.push(keychain.warning);
    vault = new VaultService({
      ...vaultSetup,
      keychain,
      bus,
      env: o.env,
      home: o.home,
      openExternal: o.openExternal,
      trainingPassword: resolved.mode === 'training' ? TRAINING_PASSWORD : undefined,
      onSiteChange: (id) => {
        mirrors.get(id)?.credentialsChanged();
        // Shells run on the credentials they were opened with: withdrawn (signed out), they end too.
        if (vault?.bearer(id)?.token() === undefined) exec.closeSite(id);
      },
      healthEveryMs: o.vaultHealthEveryMs,
    });
  }
  for (const site of sites) {
    const m = new SiteMirror(site, kubeconfig, bus, resolved.inventories.get(site.id), { ...o.mirror, bearer: vault?.bearer(site.id) });
    mirrors.set(site.id, m);
    m.start();
  }
  // In the background: sites without Vault connect meanwhile; those with it show that they wait.
  const vaultStarted = vault?.start().catch(() => undefined);
  const needVault = (): VaultService => {
    if (!vault) throw new ContractError('bad-request', `No Vault is configured: add a vault: section to ${resolved.configFile} or set VAULT_ADDR (see docs/configuration.md).`);
    return vault;
  };
  const mirror = (id: string): SiteMirror => {
    const m = mirrors.get(id);
    if (!m) throw new ContractError('not-found', `no site "${id}" (sites: ${[...mirrors.keys()].join(', ')})`);
    return m;
  };
  const logs = new LogService(bus, (id) => {
    const m = mirrors.get(id);
    // Each followed container holds a connection while it runs.
    return m && (() => m.newHttp({ maxSockets: 256 }));
  });
  // Hash-chained (see core/audit); not the unchained audit.jsonl of earlier builds, whose lines verify() would call broken.
  const audit = new AuditLog(path.join(o.dataDir, 'audit', 'trail.jsonl'));
  /** One client per site for actions (shells, writes, Event mirroring), apart from the mirror's watches. */
  const actionHttp = new Map<string, KubeHttp>();
  const siteHttp = (id: string): KubeHttp | undefined => {
    const m = mirrors.get(id);
    if (!m) return undefined;
    let h = actionHttp.get(id);
    if (!h) actionHttp.set(id, (h = m.newHttp()));
    return h;
  };
  // Every audited action also shows on its object (kubectl describe), for admins at other consoles.
  const events = new EventMirror(siteHttp);
  audit.onAppend((e) => events.mirror(e));
  audit.onAppend((e) => bus.emit('audit.entry', e));
  // Who acts, for the audit trail and Leases: the Vault identity when signed in, else the OS account.
  const who = (): string => {
    const id = vault?.access.session.status().identity;
    return id ?? `${os.userInfo().username}@${os.hostname()}`;
  };
  const exec = new ExecService(bus, siteHttp, execAuditSink(audit), who);
  // `alerts` is built below; a handover reads it only when one is written, long after start.
  const handover = new HandoverService({ sites, mirrors, http: siteHttp, audit, who, alerts: (id) => alerts.list().find((a) => a.site === id) });
  const runbooks = new RunbookService({
    dataDir: o.dataDir,
    runbookDirs: [o.runbookDir ?? shippedRunbooks(), path.join(configDir(o.env, o.home, o.platform), 'runbooks')],
    mirrors,
    siteName: (id) => sites.find((s) => s.id === id)?.name ?? id,
    http: siteHttp,
    bus,
    audit,
    who,
    report: async () => (await handover.create()).report.id,
  });
  runbooks.recoverWhenLive();
  const edits = new EditService(siteHttp, audit, who);
  const control = training && { url: training.controlUrl, token: training.controlToken, caCert: training.caCert };
  const alertSites = sites.map((s) => ({ id: s.id, alertmanager: resolved.config?.sites.find((c) => c.id === s.id)?.alertmanager ?? trainingAlertmanagers.get(s.id) }));
  // The training fleet's Alertmanagers answer from memory in the same process: a short poll costs nothing
  // there, and a trainee sees a fault's alert in seconds rather than half a minute.
  const alerts = new AlertService({ sites: alertSites, bus, intervalMs: o.alertsEveryMs ?? (resolved.mode === 'training' ? 5_000 : undefined) });
  alerts.start();
  const incident = new IncidentService({ dataDir: o.dataDir, bus, who, audit });
  await incident.start();
  const trainer = new TrainingService({ control, bus, audit, who, dataDir: o.dataDir });
  const recordings = new RecordingService({ dataDir: o.dataDir, bus, http: (id) => mirrors.get(id)?.newHttp(), control });
  const impl: Impl<TriptychContract> = {
    sites: {
      list: () => sites,
      status: () => [...mirrors.values()].map((m) => m.getStatus()),
      snapshot: (id, token) => mirror(id).snapshot(token),
      reconnectCredentials: (id) => {
        mirror(id);
        return needVault().reconnect(id);
      },
    },
    vault: {
      status: () => vault?.overview() ?? null,
      signInPassword: (a) => needVault().signInPassword(a),
      signInToken: (token) => needVault().signInToken(token),
      signInOidc: (a) => needVault().signInOidc(a),
      cancelOidc: () => {
        needVault().cancelOidc();
        return null;
      },
      importCliToken: () => needVault().importCliToken(),
      signOut: () => needVault().signOut(),
    },
    nodes: { detail: (site, name) => mirror(site).nodeDetail(name) },
    pods: { detail: (site, ns, name) => mirror(site).podDetail(ns, name) },
    logs: {
      start: (spec) => logs.start(spec),
      ack: (stream, seq) => logs.ack(stream, seq),
      pause: (stream) => logs.pause(stream),
      resume: (stream) => logs.resume(stream),
      search: (stream, q) => logs.search(stream, q),
      export: (stream) => logs.export(stream),
      stop: (stream) => logs.stop(stream),
    },
    runbooks: {
      list: () => runbooks.list(),
      plan: (name, params) => runbooks.plan(name, params),
      start: (plan) => runbooks.start(plan),
      confirm: (run) => runbooks.steer('confirm', run),
      pause: (run) => runbooks.steer('pause', run),
      resume: (run) => runbooks.steer('resume', run),
      abort: (run) => runbooks.steer('abort', run),
      runs: () => runbooks.runs(),
      source: (name) => runbooks.source(name),
      validate: (text) => runbooks.validate(text),
      save: (text) => runbooks.save(text),
      maintenance: async () =>
        (await runbooks.maintenance()).map((m) => ({
          site: m.site,
          scope: m.scope,
          holder: m.holder,
          since: m.since,
          ...(m.runbook ? { runbook: m.runbook } : {}),
          ...(m.reason ? { reason: m.reason } : {}),
          ...(m.expiresAt ? { expiresAt: m.expiresAt } : {}),
        })),
    },
    resources: {
      yaml: (site, ref) => edits.read(site, ref),
      apply: (site, ref, text, opts) => edits.apply(site, ref, text, opts),
    },
    audit: {
      query: (q) => audit.query(q),
      export: (q, format) => audit.export(q, format),
      verify: () => audit.verify(),
    },
    handover: {
      latest: () => handover.latest(),
      create: (input) => handover.create(input),
      export: (id, format) => handover.export(id, format),
    },
    alerts: { list: () => alerts.list() },
    incident: {
      timeline: () => incident.timeline(),
      note: (input) => incident.note(input),
    },
    training: {
      status: () => trainer.status(),
      catalogue: () => trainer.catalogue(),
      start: (name) => trainer.start(name),
      advance: () => trainer.advance(),
      inject: (fault) => trainer.inject(fault),
      stop: () => trainer.stop(),
      debrief: () => trainer.debrief(),
    },
    recordings: {
      list: () => recordings.list(),
      start: (site, opts) => {
        mirror(site);
        return recordings.start(site, opts);
      },
      stop: (id) => recordings.stop(id),
      replay: (id, opts) => recordings.replay(id, opts),
    },
    exec: {
      start: (spec) => exec.start(spec),
      input: (stream, data) => exec.input(stream, data),
      resize: (stream, cols, rows) => exec.resize(stream, cols, rows),
      close: (stream) => exec.close(stream),
    },
  };
  return {
    mode: resolved.mode,
    sites,
    warnings,
    bus,
    impl,
    training,
    release: (stream) => {
      void logs.stop(stream);
      exec.close(stream);
    },
    async close() {
      // Runs first, while their sites' clients still work: they stop as a crash would, to resume at the next start.
      await runbooks.close();
      await Promise.all([recordings.close(), trainer.close(), alerts.close(), incident.close()]);
      exec.closeAll();
      await events.close();
      for (const h of actionHttp.values()) h.close();
      await logs.close();
      await Promise.all([...mirrors.values()].map((m) => m.stop()));
      // Leases are revoked before the fleet (and its Vault) goes.
      await vaultStarted;
      await vault?.close();
      await stopFleet?.();
    },
  };
}

/**
 * Vault from triptych.yaml (or VAULT_ADDR) when any site takes its
 * credentials from it; a site that does while no Vault is named is the
 * admin's mistake, reported like any other in the file.
 */
async function configuredVault(config: NonNullable<Awaited<ReturnType<typeof resolveSites>>['config']>, env: Env): Promise<{ settings: VaultSettings; sources: Map<string, SiteVaultSource> } | undefined> {
  const sources = new Map(config.sites.flatMap((s) => (s.vault ? [[s.id, s.vault] as const] : [])));
  let settings: VaultSettings | undefined;
  try {
    settings = await resolveVaultSettings(config.vault, env);
  } catch (err) {
    if (err instanceof VaultError) throw new ConfigError([{ file: config.file, message: err.message }]);
    throw err;
  }
  if (sources.size === 0) return settings && { settings, sources };
  if (!settings) {
    throw new ConfigError([{ file: config.file, message: `site(s) ${[...sources.keys()].join(', ')} take their credentials from Vault, but no Vault is named: add vault.address to this file or set VAULT_ADDR.` }]);
  }
  return { settings, sources };
}
