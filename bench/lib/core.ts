/**
 * Triptych's core pointed at a running fleet the way an admin configures it
 * (triptych.yaml naming kubeconfig contexts), for the bench's children.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCore, type CoreApp } from '../../src/core/app';
import type { MirrorOptions } from '../../src/core/kube/site-mirror';
import type { FleetFiles } from './control';
import { readSnapshot } from '../../src/shared/contract/snapshot';
import type { SiteSnapshot } from '../../src/shared/contract/triptych';

export async function coreOnFleet(dir: string, mirror?: MirrorOptions): Promise<CoreApp> {
  const info = JSON.parse(await readFile(path.join(dir, 'fleet.json'), 'utf8')) as FleetFiles;
  const home = await mkdtemp(path.join(os.tmpdir(), 'triptych-bench-'));
  const config = path.join(home, 'triptych.yaml');
  await writeFile(config, `sites:\n${info.sites.map((s) => `  - { id: ${s.name}, name: ${s.name}, context: ${s.contexts.viewer} }`).join('\n')}\n`);
  return startCore({ env: { HOME: home, TRIPTYCH_CONFIG: config, KUBECONFIG: path.join(dir, 'kubeconfig') }, home, platform: process.platform, dataDir: home, mirror });
}

/** Resolves when every site is live (all reflectors synced and watching). */
export function allLive(core: CoreApp): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if ((core.impl.sites.status() as { state: string }[]).every((s) => s.state === 'live')) {
        off();
        resolve();
      }
    };
    const off = core.bus.tap(() => check());
    check();
  });
}

/** A site's whole snapshot, all pages joined, as the renderer reads it. */
export function wholeSnapshot(core: CoreApp, site: string): Promise<SiteSnapshot> {
  return readSnapshot(async (token) => core.impl.sites.snapshot(site, token) as SiteSnapshot);
}
