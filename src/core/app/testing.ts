/**
 * Test support (imported only by *.test.ts): the console's core on a small
 * training fleet of its own, signed in to the fleet's Vault as operator,
 * every site live — where the app-level tests start from.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../../emulator/testing/fleet-fixture';
import type { TriptychEvents } from '../../shared/contract/triptych';
import { MemoryKeychain } from '../keychain';
import { startCore, type CoreApp } from './index';

/** Starts it in a fresh HOME under the system's temp folder (the caller removes `home`); `tap` sees every event from the start. */
export async function startTrainingCore(seed: string, tap?: (name: keyof TriptychEvents, payload: unknown) => void): Promise<{ core: CoreApp; home: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), `triptych-${seed}-`));
  const core = await startCore({
    env: { HOME: home },
    home,
    platform: 'linux',
    dataDir: path.join(home, 'data'),
    mirror: { backoff: { initialMs: 50, maxMs: 300 }, probeEveryMs: 500 },
    training: { seed, nodes: 24, podsPerNode: 4 },
    keychain: new MemoryKeychain(),
  });
  if (tap) core.bus.tap((name, payload) => tap(name as keyof TriptychEvents, payload));
  await core.impl.vault.signInPassword({ method: 'userpass', username: 'operator', password: 'training' });
  await eventually(async () => ((await core.impl.sites.status()) as { state: string }[]).every((s) => s.state === 'live'), 'all sites live', 60_000);
  return { core, home };
}
