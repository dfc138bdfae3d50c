/**
 * The renewal schedule on its own, with a scripted renew-self and a manual
 * clock: when renewals happen, when the watcher gives up, and why.
 */
import { describe, expect, it } from 'vitest';
import { VaultError } from './errors';
import { ManualTimers } from './testing';
import { TokenWatcher, type Renewal, type WatcherEvent } from './token-watcher';

const T0 = 1_000_000;

function setup(o: { ttl: number; renewable?: boolean; random?: number; renew: (now: number) => Renewal | VaultError; increment?: number }) {
  const timers = new ManualTimers(T0);
  const events: (WatcherEvent & { at: number })[] = [];
  const calls: number[] = [];
  const w = new TokenWatcher({
    ttl: o.ttl,
    renewable: o.renewable ?? true,
    increment: o.increment,
    timers,
    random: () => o.random ?? 0.5,
    renew: async () => {
      calls.push(timers.now());
      const r = o.renew(timers.now());
      if (r instanceof VaultError) throw r;
      return r;
    },
    onEvent: (e) => events.push({ ...e, at: timers.now() }),
  });
  return { timers, events, calls, w };
}

describe('TokenWatcher: the LifetimeWatcher schedule', () => {
  it('grace is 10–20 % of the lease, random', () => {
    for (const [random, grace] of [
      [0, 360_000],
      [0.5, 540_000],
      [0.9999, 719_964],
    ] as const) {
      expect(setup({ ttl: 3600, random, renew: () => ({ ttl: 3600, renewable: true }) }).w.graceMs).toBe(grace);
    }
    // An increment smaller than the lease is the basis instead.
    expect(setup({ ttl: 3600, increment: 600, random: 0, renew: () => ({ ttl: 600, renewable: true }) }).w.graceMs).toBe(60_000);
  });

  it('renews at 2/3 of the lease plus 1/3 of the grace, each time, while renewals extend it', async () => {
    const { timers, events, calls, w } = setup({ ttl: 3600, renew: () => ({ ttl: 3600, renewable: true }) });
    w.start();
    // 2/3 × 3600 s + 540 s / 3 = 2580 s.
    expect(timers.due()).toEqual([T0 + 2_580_000]);
    await timers.advance(3 * 2_580_000);
    expect(calls).toEqual([T0 + 2_580_000, T0 + 5_160_000, T0 + 7_740_000]);
    expect(events.map((e) => e.type)).toEqual(['renewed', 'renewed', 'renewed']);
    expect(events[0]).toMatchObject({ type: 'renewed', ttl: 3600, expiresAt: T0 + 2_580_000 + 3_600_000 });
    // Every renewal came well before the token would have ended.
    for (const [i, at] of calls.entries()) expect(at).toBeLessThan((i === 0 ? T0 : calls[i - 1]!) + 3_600_000);
    w.stop();
    expect(timers.due()).toEqual([]);
  });

  it('reports expiring once the max TTL stops renewals from extending the token', async () => {
    // Max TTL 2 h from T0: renewals grant what is left of it.
    const maxEnd = T0 + 7_200_000;
    const { timers, events, w } = setup({ ttl: 3600, renew: (now) => ({ ttl: Math.min(3600, Math.floor((maxEnd - now) / 1000)), renewable: true }) });
    w.start();
    await timers.advance(7_200_000);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'expiring', reason: 'max-ttl', expiresAt: maxEnd });
    // Reported with time to sign in again: at least the grace before the end.
    expect(maxEnd - (last?.at ?? 0)).toBeGreaterThanOrEqual(w.graceMs);
    expect(timers.due()).toEqual([]);
  });

  it('a token that cannot be renewed: expiring right away, with its end', () => {
    const { events, calls, w } = setup({ ttl: 600, renewable: false, renew: () => ({ ttl: 0, renewable: false }) });
    w.start();
    expect(calls).toEqual([]);
    expect(events).toEqual([{ type: 'expiring', reason: 'not-renewable', expiresAt: T0 + 600_000, at: T0 }]);
  });

  it('a token that never expires (root): nothing to do', () => {
    const { timers, events, w } = setup({ ttl: 0, renew: () => ({ ttl: 0, renewable: false }) });
    w.start();
    expect(events).toEqual([]);
    expect(timers.due()).toEqual([]);
  });

  it('errors back off from 10 s, doubling to at most 5 min, and stop when the next try would come after the end', async () => {
    const sealed = new VaultError('sealed', 'Vault is sealed');
    const { timers, events, calls, w } = setup({ ttl: 3600, renew: () => sealed });
    w.start();
    await timers.advance(3_600_000);
    const gaps = calls.slice(1).map((c, i) => c - calls[i]!);
    // random 0.5 → exactly the interval: 10 s, 20 s, 40 s … capped at 5 min.
    expect(gaps.slice(0, 6)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000]);
    expect(Math.max(...gaps)).toBe(300_000);
    expect(events.slice(0, -1).every((e) => e.type === 'renew-failed')).toBe(true);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'gave-up', expiresAt: T0 + 3_600_000 });
    expect(calls.at(-1)).toBeLessThan(T0 + 3_600_000);
    expect(timers.due()).toEqual([]);
  });

  it('recovers when Vault answers again, and the backoff starts over', async () => {
    let down = true;
    const { timers, events, w } = setup({ ttl: 3600, renew: () => (down ? new VaultError('unreachable', 'no route') : { ttl: 3600, renewable: true }) });
    w.start();
    await timers.advance(2_580_000 + 10_000 + 20_000);
    down = false;
    await timers.advance(40_000);
    expect(events.map((e) => e.type)).toEqual(['renew-failed', 'renew-failed', 'renew-failed', 'renewed']);
  });

  it('a 403 (revoked or expired token) stops at once', async () => {
    const { timers, events, w } = setup({ ttl: 3600, renew: () => new VaultError('permission-denied', 'Vault no longer accepts your token') });
    w.start();
    await timers.advance(3_600_000);
    expect(events.map((e) => e.type)).toEqual(['revoked']);
    expect(timers.due()).toEqual([]);
  });
});
