/**
 * Log tails in the console: one service followed in all three sites at
 * once, filtered, paused and resumed, through a site outage; one pod
 * followed through a restart of its container.
 */
import { expect, loaded, test } from './fixtures';
import { readSnapshot } from '../src/shared/contract/snapshot';
import type { SiteSnapshot } from '../src/shared/contract/triptych';

test.describe('log tails', () => {
  test('a service tailed in three sites: lines from each, filter, pause/resume, a site outage marked', async ({ app, triptych }) => {
    await loaded(app);
    const snaps = await Promise.all(triptych.core.sites.map((s) => readSnapshot(async (t) => triptych.core.impl.sites.snapshot(s.id, t) as SiteSnapshot)));
    // A Deployment running in every site (the same service runs everywhere).
    const w = snaps[0]!.items.workloads.find((x) => x.kind === 'Deployment' && x.ready > 0 && snaps.every((s) => s.items.workloads.some((y) => y.kind === 'Deployment' && y.namespace === x.namespace && y.name === x.name && y.ready > 0)))!;
    await app.keyboard.press('Control+K');
    await app.getByTestId('palette-input').fill(`fra: ${w.name}`);
    await app.locator('[data-testid="palette-result"][data-kind="workload"]').first().click();
    await expect(app.getByTestId('workload-detail')).toBeVisible();
    await app.getByTestId('tail-logs').click();
    const dock = app.getByTestId('log-dock');
    await expect(dock).toHaveAttribute('data-stream', 'running');
    const rows = dock.locator('.xterm-rows');
    // The terminal shows its last rows only: collect what has been on screen over time.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          for (const site of ['fra', 'ams', 'dub']) if ((await rows.innerText()).includes(`${site} ${w.name}-`)) seen.add(site);
          return seen.size;
        },
        { timeout: 20_000 },
      )
      .toBe(3);

    // Pause: lines keep arriving in the core and are counted as waiting.
    await dock.getByTestId('log-pause').click();
    await expect(dock.getByTestId('log-stats')).toHaveAttribute('data-paused', 'true');
    await expect.poll(async () => Number(await dock.getByTestId('log-stats').getAttribute('data-pending')), { timeout: 15_000 }).toBeGreaterThan(0);
    await dock.getByTestId('log-pause').click();
    await expect(dock.getByTestId('log-stats')).toHaveAttribute('data-paused', 'false');

    // A site outage mid-tail: the view says the stream broke and, once back, how long the gap was.
    const search = async (text: string): Promise<number> => {
      await dock.getByTestId('log-search').fill(text);
      await dock.getByTestId('log-search').press('Enter');
      return Number(/^(\d+)/.exec((await dock.getByTestId('log-search-result').innerText()) ?? '')?.[1] ?? 0);
    };
    await triptych.fault({ fault: 'site-outage', site: 'ams' });
    await expect.poll(() => search('log stream interrupted'), { timeout: 20_000 }).toBeGreaterThan(0);
    await triptych.fault({ fault: 'site-restore', site: 'ams' });
    await expect.poll(() => search('gap of'), { timeout: 30_000 }).toBeGreaterThan(0);
    // Search finds the service's lines in the scrollback.
    expect(await search(w.name)).toBeGreaterThan(0);

    // An include filter no line matches: the restarted tail reads lines and shows none of them.
    await dock.getByTestId('log-include').fill('^this-matches-nothing$');
    await dock.getByTestId('log-include').press('Enter');
    const stats = dock.getByTestId('log-stats');
    // The restarted tail reconnects to every container first: on a loaded machine that takes a while.
    await expect.poll(async () => Number(await stats.getAttribute('data-filtered')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect(stats).toHaveAttribute('data-delivered', '0');
    await app.screenshot({ path: test.info().outputPath('log-tail.png') });
  });

  test('a pod restart mid-tail: marked once, the new instance followed from its first line, no line twice', async ({ app, triptych }) => {
    await loaded(app);
    const site = 'dub';
    const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot(site, t) as SiteSnapshot);
    // A running single-container pod of a Deployment: every row of the view is then its one stream.
    const pod = snap.items.pods.find((p) => p.deployment && p.containers === 1 && p.readyContainers === 1 && p.status === 'Running' && !p.terminating)!;
    await app.keyboard.press('Control+K');
    await app.getByTestId('palette-input').fill(`${site}: ${pod.name}`);
    await app.locator('[data-testid="palette-result"][data-kind="pod"]').first().click();
    await app.getByTestId('tail-logs').click();
    const dock = app.getByTestId('log-dock');
    await expect(dock).toHaveAttribute('data-stream', 'running');
    const stats = dock.getByTestId('log-stats');
    // The tail shows the running instance's recent lines before the restart.
    await expect.poll(async () => Number(await stats.getAttribute('data-delivered')), { timeout: 20_000 }).toBeGreaterThan(0);

    await triptych.fault({ fault: 'container-restart', site, namespace: pod.namespace, pod: pod.name });

    // What the terminal shows, as log lines (their sequence numbers: every generated line
    // carries its index in its instance) and the restart marker between them. Rows are joined
    // without breaks so that a wrapped line reads whole; each line starts with its prefix.
    const screen = async (): Promise<{ before: number[]; after: number[]; markers: number } | undefined> => {
      const text = (await dock.locator('.xterm-rows').innerText()).split('\n').join('');
      const at = text.lastIndexOf('container restarted');
      if (at < 0) return undefined;
      const seqs = (s: string): number[] => s.split(`${site} ${pod.name}/`).slice(1).flatMap((l) => /(?:^|[\s{,])"?seq"?\s*[=:]\s*(\d+)/.exec(l)?.[1] ?? []).map(Number);
      return { before: seqs(text.slice(0, at)), after: seqs(text.slice(at)), markers: text.split('container restarted').length - 1 };
    };
    let shown: Awaited<ReturnType<typeof screen>>;
    // Lines keep arriving after the restart: the new instance's first lines, on screen below the marker.
    await expect.poll(async () => (shown = await screen())?.after.length ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const { before, after, markers } = shown!;
    expect(markers).toBe(1);
    // The new instance from its first line on, in order, none twice or left out.
    expect(after).toEqual(after.map((_, i) => i));
    // The old instance up to the restart: consecutive lines, none twice.
    expect(before.length).toBeGreaterThan(0);
    expect(before).toEqual(before.map((_, i) => before[0]! + i));

    // The scrollback says so once as well (search covers markers), and the view raised no false alarm.
    const search = async (text: string): Promise<string> => {
      await dock.getByTestId('log-search').fill(text);
      await dock.getByTestId('log-search').press('Enter');
      return dock.getByTestId('log-search-result').innerText();
    };
    expect(await search('container restarted')).toMatch(/^1 matching line in /);
    expect(await search('could not be read again')).toMatch(/^0 matching lines in /);
    await app.screenshot({ path: test.info().outputPath('log-restart.png') });
  });
});
