/**
 * Secret hygiene: after the console has signed in to the training Vault,
 * run on Vault-issued site credentials, had one of them refused (401) and
 * re-fetched, opened a shell (audited), signed out and in again, no token
 * or lease id the Vault issued is in the console's files, its output or
 * the page. (Every worker also ends with this check; see fixtures.ts.)
 */
import { readFile } from 'node:fs/promises';
import type { SiteSnapshot } from '../src/shared/contract/triptych';
import { expect, loaded, test } from './fixtures';
import { issuedSecrets } from './hygiene';

test('no issued token or lease id in the data dir, config, output or page', async ({ app, triptych }) => {
  await app.goto(triptych.host.operatorUrl);
  await loaded(app);
  const vault = triptych.core.impl.vault;
  const fetchedAt = async (site: string): Promise<number> => (await vault.status())?.sites.find((c) => c.site === site)?.fetchedAt ?? 0;
  const before = await fetchedAt('ams');
  // A 401 at one site: the console fetches new credentials from Vault.
  await triptych.fault({ fault: 'credentials-expire', site: 'ams', inSeconds: 0 });
  await triptych.fault({ fault: 'watch-expiry-storm', site: 'ams' });
  await expect.poll(() => fetchedAt('ams'), { timeout: 20_000 }).toBeGreaterThan(before);
  // A shell session writes the audit log.
  const snap = (await triptych.core.impl.sites.snapshot('fra')) as SiteSnapshot;
  const pod = snap.items.pods.find((p) => p.status === 'Running')!;
  const detail = await triptych.core.impl.pods.detail('fra', pod.namespace, pod.name);
  await triptych.core.impl.exec.start({ site: 'fra', namespace: pod.namespace, pod: pod.name, container: detail.containers[0]!.name, command: ['sh', '-c', 'exit 0'], cols: 80, rows: 24 });
  await expect.poll(async () => (await readFile(triptych.auditFile, 'utf8').catch(() => '')).includes('"outcome":"exited"'), { timeout: 20_000 }).toBe(true);
  await vault.signOut();
  await vault.signInPassword({ method: 'userpass', username: 'operator', password: 'training' });
  await expect.poll(async () => (await vault.status())?.sites.every((c) => c.state === 'ok'), { timeout: 20_000 }).toBe(true);

  // The check can fail: the Vault did issue secrets (two sign-ins, three sites twice, one re-fetch).
  const t = triptych.core.training!;
  expect((await issuedSecrets(t)).length).toBeGreaterThanOrEqual(2 + 2 * (3 * 2) + 2);
  expect(await triptych.secretLeaks()).toEqual([]);
  const page = await app.content();
  expect((await issuedSecrets(t)).filter((s) => page.includes(s))).toEqual([]);
});
