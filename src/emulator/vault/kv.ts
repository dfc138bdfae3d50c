/**
 * The KV version 2 secrets engine mounted at `secret/`.
 *
 * Each write adds a version; reads return the latest (or `?version=N`) with
 * its metadata; a delete is a soft delete of the latest version (the data is
 * hidden, the version number stays). Like Vault's default, only the last 10
 * versions are kept. The functions return the `data` part of Vault's response
 * and throw `VaultError` for 4xx answers; the server adds the envelope.
 */
import { VaultError, badRequest, notFound } from './errors';

/** Versions kept per secret, Vault's default `max_versions`. */
export const KV_MAX_VERSIONS = 10;

interface KvVersion {
  data: Record<string, unknown>;
  createdTime: number;
  deletionTime: number | null;
  destroyed: boolean;
}

interface KvSecret {
  versions: Map<number, KvVersion>;
  currentVersion: number;
  createdTime: number;
  updatedTime: number;
}

/** The per-version metadata Vault returns next to the data and after a write. */
export interface KvVersionMetadata {
  created_time: string;
  custom_metadata: null;
  deletion_time: string;
  destroyed: boolean;
  version: number;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Trims slashes so `a/b`, `/a/b` and `a/b/` name the same secret. */
export function normalizeKvPath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** In-memory KV v2 store. */
export class KvStore {
  private readonly secrets = new Map<string, KvSecret>();

  /** Whether a secret exists at `path` (decides Vault's create-vs-update capability). */
  has(path: string): boolean {
    return this.secrets.has(normalizeKvPath(path));
  }

  /** `GET secret/data/<path>[?version=N]` → `{data, metadata}`. */
  read(path: string, version?: number): { data: Record<string, unknown>; metadata: KvVersionMetadata } {
    const key = normalizeKvPath(path);
    const secret = this.secrets.get(key);
    if (!secret || key === '') throw notFound();
    const n = version && version > 0 ? version : secret.currentVersion;
    const v = secret.versions.get(n);
    if (!v) throw notFound();
    const metadata = versionMetadata(n, v);
    if (v.deletionTime !== null || v.destroyed) {
      // Vault answers 404 but still says which version was deleted and when.
      throw new KvDeletedError({ data: null, metadata });
    }
    return { data: structuredClone(v.data), metadata };
  }

  /**
   * `POST/PUT secret/data/<path>` with `{data, options?: {cas}}`: writes a new
   * version. `cas: 0` means "only if absent"; another number must equal the
   * current version.
   */
  write(path: string, body: Record<string, unknown>, now: number): KvVersionMetadata {
    const key = normalizeKvPath(path);
    if (key === '') throw notFound();
    if (!isPlainObject(body.data)) throw badRequest('no data provided');
    const options = body.options;
    const secret = this.secrets.get(key);
    if (isPlainObject(options) && options.cas !== undefined) {
      const cas = options.cas;
      if (typeof cas !== 'number' || !Number.isInteger(cas) || cas < 0) {
        throw badRequest('invalid check-and-set parameter');
      }
      if (cas !== (secret?.currentVersion ?? 0)) {
        throw badRequest('check-and-set parameter did not match the current version');
      }
    }
    const entry: KvSecret = secret ?? { versions: new Map(), currentVersion: 0, createdTime: now, updatedTime: now };
    const n = entry.currentVersion + 1;
    const v: KvVersion = { data: structuredClone(body.data), createdTime: now, deletionTime: null, destroyed: false };
    entry.versions.set(n, v);
    entry.currentVersion = n;
    entry.updatedTime = now;
    for (const old of [...entry.versions.keys()]) {
      if (old <= n - KV_MAX_VERSIONS) entry.versions.delete(old);
    }
    this.secrets.set(key, entry);
    return versionMetadata(n, v);
  }

  /** `DELETE secret/data/<path>`: soft-deletes the latest version. Idempotent, like Vault. */
  softDelete(path: string, now: number): void {
    const secret = this.secrets.get(normalizeKvPath(path));
    const v = secret?.versions.get(secret.currentVersion);
    if (v && v.deletionTime === null) v.deletionTime = now;
  }

  /** `GET secret/metadata/<path>`. */
  metadata(path: string): Record<string, unknown> {
    const secret = this.secrets.get(normalizeKvPath(path));
    if (!secret) throw notFound();
    const versions: Record<string, unknown> = {};
    for (const [n, v] of secret.versions) {
      versions[String(n)] = {
        created_time: rfc3339(v.createdTime),
        deletion_time: v.deletionTime === null ? '' : rfc3339(v.deletionTime),
        destroyed: v.destroyed,
      };
    }
    return {
      cas_required: false,
      created_time: rfc3339(secret.createdTime),
      current_version: secret.currentVersion,
      custom_metadata: null,
      delete_version_after: '0s',
      max_versions: 0,
      oldest_version: Math.min(...secret.versions.keys()),
      updated_time: rfc3339(secret.updatedTime),
      versions,
    };
  }

  /** `DELETE secret/metadata/<path>`: removes the secret and every version. */
  destroyAll(path: string): void {
    this.secrets.delete(normalizeKvPath(path));
  }

  /**
   * `LIST secret/metadata/<prefix>/` (sent as `GET ?list=true`): the names
   * directly below the prefix, folders with a trailing `/`, sorted.
   */
  list(prefix: string): string[] {
    const p = normalizeKvPath(prefix);
    const base = p === '' ? '' : `${p}/`;
    const keys = new Set<string>();
    for (const key of this.secrets.keys()) {
      if (!key.startsWith(base)) continue;
      const rest = key.slice(base.length);
      const slash = rest.indexOf('/');
      keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    if (keys.size === 0) throw notFound();
    return [...keys].sort();
  }
}

/** 404 for a deleted version, carrying the body Vault sends with it. */
export class KvDeletedError extends VaultError {
  constructor(readonly body: { data: null; metadata: KvVersionMetadata }) {
    super(404, []);
  }
}

function versionMetadata(n: number, v: KvVersion): KvVersionMetadata {
  return {
    created_time: rfc3339(v.createdTime),
    custom_metadata: null,
    deletion_time: v.deletionTime === null ? '' : rfc3339(v.deletionTime),
    destroyed: v.destroyed,
    version: n,
  };
}
