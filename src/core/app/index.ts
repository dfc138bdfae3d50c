/**
 * The composition root shared by the Electron shell and the browser host:
 * resolve the sites (or start the training fleet), run a mirror per site and
 * serve them through the contract.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { ContractError, EventBus, type Impl } from '../../shared/contract/rpc';
import type { TriptychContract, TriptychEvents } from '../../shared/contract/triptych';
import type { SiteInfo } from '../../shared/model';
import { resolveSites, trainingSites, type Env } from '../config';
import { SiteMirror, type MirrorOptions } from '../kube/site-mirror';
import os from 'node:os';
import path from 'node:path';
import type { KubeHttp } from '../kube/http';
import { JsonlAudit } from '../audit/jsonl';
import { ExecService } from './exec-service';
import { LogService } from './log-service';

export interface CoreOptions {
  env: Env;
  home: string;
  platform: NodeJS.Platform;
  /** Where the training fleet writes its kubeconfig (kept private, 0700). */
  dataDir: string;
  mirror?: MirrorOptions;
  /** Overrides for the training fleet (tests use small, fast fleets). */
  training?: { sites?: number; nodes?: number; podsPerNode?: number; seed?: string };
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
  let training: CoreApp['training'];
  if (resolved.mode === 'training') {
    // Loaded only when needed: a configured console never carries the emulator's weight.
    const { Fleet } = await import('../../emulator/fleet');
    const fleet = await Fleet.start({ dir: `${o.dataDir}/training-fleet`, ...o.training });
    const t = trainingSites(fleet.info, fleet.kubeconfig());
    sites = t.sites;
    kubeconfig = t.kubeconfig;
    stopFleet = () => fleet.close();
    training = { controlUrl: fleet.info.control.address, controlToken: fleet.info.control.token, caCert: fleet.tls.caCert, kubeconfigPath: fleet.info.kubeconfig };
  }
  const bus = new EventBus<TriptychEvents>();
  const mirrors = new Map<string, SiteMirror>();
  for (const site of sites) {
    const m = new SiteMirror(site, kubeconfig, bus, resolved.inventories.get(site.id), o.mirror);
    mirrors.set(site.id, m);
    m.start();
  }
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
  const audit = new JsonlAudit(path.join(o.dataDir, 'audit', 'audit.jsonl'));
  const execHttp = new Map<string, KubeHttp>();
  const exec = new ExecService(
    bus,
    (id) => {
      const m = mirrors.get(id);
      if (!m) return undefined;
      let h = execHttp.get(id);
      if (!h) execHttp.set(id, (h = m.newHttp()));
      return h;
    },
    (record, phase) => audit.append({ kind: 'exec', phase, ...record }),
    () => `${os.userInfo().username}@${os.hostname()}`,
  );
  const impl: Impl<TriptychContract> = {
    sites: {
      list: () => sites,
      status: () => [...mirrors.values()].map((m) => m.getStatus()),
      snapshot: (id, token) => mirror(id).snapshot(token),
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
    warnings: resolved.warnings,
    bus,
    impl,
    training,
    release: (stream) => {
      void logs.stop(stream);
      exec.close(stream);
    },
    async close() {
      exec.closeAll();
      for (const h of execHttp.values()) h.close();
      await logs.close();
      await Promise.all([...mirrors.values()].map((m) => m.stop()));
      await stopFleet?.();
    },
  };
}
