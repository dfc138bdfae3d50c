/**
 * Scopes as Lease names: readable when the scope maps one-to-one, with a
 * hash when it does not (so two scopes never share a Lease), always a valid
 * name; and MicroTime as the API writes it.
 */
import { describe, expect, it } from 'vitest';
import { maintenanceLeaseName, scopeLabel } from './lease-name';
import { microTime, parseMicroTime } from './micro-time';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('maintenanceLeaseName', () => {
  it('writes a kind/id scope as a plain name, without regard to case', () => {
    expect(maintenanceLeaseName('rack/B-07')).toBe('triptych-maintenance-rack-b-07');
    expect(maintenanceLeaseName(' rack/b-07 ')).toBe('triptych-maintenance-rack-b-07');
    expect(maintenanceLeaseName('site/fra')).toBe('triptych-maintenance-site-fra');
  });

  it('adds a hash when the name could not tell scopes apart', () => {
    const names = ['node/w1.fra.example', 'node/w1-fra-example', 'workload/shop/web', 'workload/shop-web', 'rack/b--07', 'rack/b-07', 'rack/ü-1', 'rack/u-1'].map(maintenanceLeaseName);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toMatch(/^triptych-maintenance-node-w1-fra-example-[0-9a-f]{8}$/);
    expect(names[1]).toBe('triptych-maintenance-node-w1-fra-example');
    for (const n of names) expect(n).toMatch(DNS_SUBDOMAIN);
  });

  it('keeps long scopes within a valid name', () => {
    const n = maintenanceLeaseName(`namespace/${'x'.repeat(400)}`);
    expect(n.length).toBeLessThanOrEqual(253);
    expect(n).toMatch(DNS_SUBDOMAIN);
    expect(maintenanceLeaseName('rack/---')).toMatch(/^triptych-maintenance-rack-[0-9a-f]{8}$/);
    expect(() => maintenanceLeaseName('  ')).toThrow(/scope is required/);
  });

  it('says the scope in words', () => {
    expect(scopeLabel('rack/B-07')).toBe('rack B-07');
    expect(scopeLabel('workload/shop/web')).toBe('workload shop/web');
  });
});

describe('MicroTime', () => {
  it('has six fractional digits and reads back', () => {
    const ms = Date.parse('2026-11-28T08:30:00.123Z');
    expect(microTime(ms)).toBe('2026-11-28T08:30:00.123000Z');
    expect(parseMicroTime(microTime(ms))).toBe(ms);
    expect(parseMicroTime('2026-11-28T08:30:00Z')).toBe(Date.parse('2026-11-28T08:30:00Z'));
    expect(parseMicroTime('2026-11-28T10:30:00.5+02:00')).toBe(Date.parse('2026-11-28T08:30:00.500Z'));
    expect(parseMicroTime('yesterday')).toBeNaN();
  });
});
