import { describe, expect, it } from 'vitest';
import { MemoryKeychain } from './keychain';
import { openKeychain, unavailableWarning } from './open';
import { OsKeychain, type KeyringBinding } from './os-keychain';

/** A binding that records how entries are made and keeps secrets in a Map. */
function fakeBinding(): { binding: KeyringBinding; options: unknown[]; store: Map<string, string> } {
  const options: unknown[] = [];
  const store = new Map<string, string>();
  const binding: KeyringBinding = {
    AsyncEntry: class {
      constructor(
        private readonly service: string,
        private readonly account: string,
        opts?: unknown,
      ) {
        options.push(opts);
      }
      async getPassword() {
        return store.get(`${this.service}/${this.account}`) ?? null;
      }
      async setPassword(p: string) {
        store.set(`${this.service}/${this.account}`, p);
      }
      async deletePassword() {
        return store.delete(`${this.service}/${this.account}`);
      }
    },
    findCredentialsAsync: async (service) => [...store].filter(([k]) => k.startsWith(`${service}/`)).map(([k, password]) => ({ account: k.slice(service.length + 1), password })),
  };
  return { binding, options, store };
}

describe('keychains', () => {
  it('MemoryKeychain: get, set, delete, accounts', async () => {
    const k = new MemoryKeychain();
    expect(k.kind).toBe('memory');
    expect(await k.get('a')).toBeUndefined();
    await k.set('a', 's1');
    expect(await k.get('a')).toBe('s1');
    expect(await k.accounts()).toEqual(['a']);
    expect(await k.delete('a')).toBe(true);
    expect(await k.delete('a')).toBe(false);
  });

  it("OsKeychain pins the Secret Service on Linux (no silent fallback to the kernel keyring) and files entries under 'triptych'", async () => {
    const { binding, options, store } = fakeBinding();
    const k = new OsKeychain(binding, 'linux');
    await k.set('https://vault:8200 userpass-alice', 'hvs.secret');
    expect([...store.keys()]).toEqual(['triptych/https://vault:8200 userpass-alice']);
    expect(options.at(-1)).toEqual({ linux: { store: 'secret-service' } });
    expect(await k.accounts()).toEqual(['https://vault:8200 userpass-alice']);
    expect(await k.get('https://vault:8200 userpass-alice')).toBe('hvs.secret');
    await new OsKeychain(binding, 'darwin').get('x');
    expect(options.at(-1)).toBeUndefined();
  });

  it('openKeychain: the OS keychain when it answers, else memory only with a warning that says what to do', async () => {
    const { binding } = fakeBinding();
    expect((await openKeychain({ platform: 'linux', load: async () => binding })).kind).toBe('os');
    const failing = { ...binding, AsyncEntry: class { constructor() { throw new Error('Platform failure: DBus error: Failed to connect to socket /nonexistent'); } } } as unknown as KeyringBinding;
    const k = await openKeychain({ platform: 'linux', load: async () => failing });
    expect(k.kind).toBe('memory');
    expect(k.warning).toBe(unavailableWarning('linux', new Error('Platform failure: DBus error: Failed to connect to socket /nonexistent')));
    expect(k.warning).toContain('No keychain is available (Platform failure: DBus error: Failed to connect to socket /nonexistent)');
    expect(k.warning).toContain('kept in memory only and is never written to disk');
    expect(k.warning).toContain('gnome-keyring or KWallet');
    const noBinary = await openKeychain({ platform: 'darwin', load: async () => Promise.reject(new Error('Cannot find native binding')) });
    expect(noBinary.kind).toBe('memory');
    expect(noBinary.warning).toContain('login keychain');
  });
});
