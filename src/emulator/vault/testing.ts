/**
 * Test harness for the Vault emulator: a started server on a fake clock, a
 * fresh registry, and a small HTTP helper that never throws on status codes.
 */
import { TokenRegistry } from '../auth';
import { Rng } from '../rng';
import { startVault } from './server';
import type { VaultEmulator, VaultOptions } from './server';

/** Start of every fake clock: 2025-01-01T00:00:00Z. */
export const T0 = Date.UTC(2025, 0, 1);

/** One HTTP exchange as the tests see it. */
export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when empty or not JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience
}

/** A started Vault with its fake clock and registry. */
export interface TestVault {
  vault: VaultEmulator;
  registry: TokenRegistry;
  clock: { now: () => number; advance(seconds: number): void; set(ms: number): void };
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<CallResult>;
  /** Logs in through userpass and returns the client token. */
  login(user: string, password?: string): Promise<string>;
}

/** Starts a Vault emulator for a test, with sites `a`, `b`, `c` unless overridden. */
export async function startTestVault(overrides: Partial<VaultOptions> = {}): Promise<TestVault> {
  let t = T0;
  const clock = {
    now: () => t,
    advance(seconds: number) {
      t += seconds * 1000;
    },
    set(ms: number) {
      t = ms;
    },
  };
  const registry = overrides.registry ?? new TokenRegistry();
  const vault = await startVault({
    now: clock.now,
    rng: new Rng('vault-test'),
    registry,
    sites: ['a', 'b', 'c'],
    ...overrides,
  });
  const call: TestVault['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers['X-Vault-Token'] = opts.token;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(`${vault.url}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  const login = async (user: string, password = 'training'): Promise<string> => {
    const res = await call('POST', `/v1/auth/userpass/login/${user}`, { body: { password } });
    if (res.status !== 200) throw new Error(`login ${user} failed: ${res.status} ${res.text}`);
    return res.json.auth.client_token as string;
  };
  return { vault, registry, clock, call, login };
}
