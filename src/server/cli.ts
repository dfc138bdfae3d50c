/**
 * `npm run web [-- --listen ADDR]`: the console in a browser. Serves the built
 * renderer (out/renderer) and the contract on 127.0.0.1 by default; with
 * --listen 0.0.0.0:8080 a war-room screen elsewhere can open it. Prints the
 * viewer URL (read-only) and, separately, the operator URL.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCore } from '../core/app';
import { TRAINING_PASSWORD } from '../core/vault';
import { triptych } from '../shared/contract/triptych';
import { startBrowserHost } from './host';

function dataDir(env: NodeJS.ProcessEnv, home: string): string {
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Triptych');
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Triptych');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'triptych');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { listen: { type: 'string' }, 'static-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('Usage: npm run web [-- --listen HOST:PORT]\nServes the console to browsers. Default 127.0.0.1 on a free port.');
    return;
  }
  const staticDir = path.resolve(values['static-dir'] ?? path.join(import.meta.dirname, '../../out/renderer'));
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    console.error(`The console is not built yet (${staticDir}/index.html is missing): run "npm run build" first.`);
    process.exit(2);
  }
  const home = os.homedir();
  const core = await startCore({ env: process.env, home, platform: process.platform, dataDir: dataDir(process.env, home) });
  const host = await startBrowserHost({ listen: values.listen, staticDir, contract: triptych, impl: core.impl, bus: core.bus, release: core.release });
  for (const w of core.warnings) console.warn(`warning: ${w}`);
  const lines = [
    `Triptych is serving ${core.sites.length} site(s)${core.mode === 'training' ? ' of the training fleet' : ''}: ${core.sites.map((s) => s.name).join(', ')}`,
    `  open (read-only):  ${host.viewerUrl}`,
    `  operator:          ${host.operatorUrl}`,
    `  war-room screen:   ${host.warRoomUrl}`,
  ];
  if (core.mode === 'training') lines.push(`  Vault sign-in:     operator / ${TRAINING_PASSWORD} (the training fleet's Vault issues the sites' credentials)`);
  if (core.training?.kubeconfigPath) lines.push(`  kubectl:           KUBECONFIG=${core.training.kubeconfigPath} kubectl --context fra get nodes`);
  console.log(lines.join('\n'));
  const stop = async (): Promise<void> => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
