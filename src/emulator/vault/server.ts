/**
 * HTTP(S) front end of the training Vault: routes Vault API paths to
 * `VaultCore` and speaks Vault's wire format (response envelope,
 * `{"errors":[...]}` with Vault's status codes).
 *
 * Order of checks per request, as in Vault: sealed → 503 (except health and
 * seal-status); unknown path → 404; wrong method → 405; malformed body → 400;
 * bad token → 403; policy refusal → 403. One deliberate simplification: an
 * unknown path is 404 even without a token (Vault would first say 403).
 *
 * Standby: a Vault standby forwards requests to the active node, so here it
 * only changes what `sys/health` and `sys/leader` report.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Role, TokenRegistry } from '../auth';
import type { Rng } from '../rng';
import { VAULT_VERSION, VaultCore } from './core';
import type { VaultUser } from './core';
import { VaultError } from './errors';
import { parseJsonObject, readBody, requestToken, sendJson } from './http';
import { KvDeletedError } from './kv';
import type { LeaseInfo } from './kubernetes-engine';
import type { Capability } from './policy';
import type { VaultToken } from './tokens';

/** Options of `startVault`. TTLs are in seconds. */
export interface VaultOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 0 (any free port). */
  port?: number;
  /** PEM key and certificate; plain HTTP when absent. */
  tls?: { key: string; cert: string };
  /** Clock in epoch ms; all TTLs are measured against it. */
  now: () => number;
  /** Forked into private streams (ids, tokens, credentials), so unrelated requests (health checks, KV reads) cannot shift the tokens a seed yields. */
  rng: Rng;
  /** Where minted site tokens go; shared with the site API servers. */
  registry: TokenRegistry;
  /** Site names; each gets a `kubernetes-<site>` mount. */
  sites: string[];
  /** Userpass accounts; default admin/operator/viewer, password `training`, role = name. */
  users?: { name: string; password: string; role: Role }[];
  /** Root token id; random `hvs.` token by default. */
  rootToken?: string;
  /** TTL of login tokens; default 3600. */
  defaultTokenTtl?: number;
  /** Max TTL of login tokens, counted from login; default 28800. */
  maxTokenTtl?: number;
  /** Lease of Kubernetes credentials when the request names no ttl; default 900. */
  credsTtl?: number;
  /** Longest Kubernetes credential lease (the roles' token_max_ttl); default 3600. */
  credsMaxTtl?: number;
  /** KV v2 secrets seeded under `secret/`: path → data. */
  kv?: Record<string, Record<string, unknown>>;
}

/** A running training Vault. */
export interface VaultEmulator {
  /** Base URL, e.g. `http://127.0.0.1:38211` (API paths start with `/v1/`). */
  url: string;
  port: number;
  rootToken: string;
  /** Seals: every path but sys/health and sys/seal-status answers 503. State is kept. */
  seal(): void;
  unseal(): void;
  /** Makes this node report standby (429 from sys/health unless `standbyok`). */
  setStandby(b: boolean): void;
  /** Current seal and HA state. */
  status(): { sealed: boolean; standby: boolean };
  /** Applies expiries now (also done before each request). */
  sweep(): void;
  /** Live Kubernetes credential leases. */
  leases(): LeaseInfo[];
  /** Every user token, site token and lease id ever issued, live or not. */
  issued(): string[];
  close(): Promise<void>;
}

const DEFAULT_USERS: VaultUser[] = [
  { name: 'admin', password: 'training', role: 'admin' },
  { name: 'operator', password: 'training', role: 'operator' },
  { name: 'viewer', password: 'training', role: 'viewer' },
];

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

interface Ctx {
  core: VaultCore;
  method: Method;
  /** Request path after `/v1/`, decoded. */
  path: string;
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Authenticates the request token and checks `capability` on `policyPath`. */
  auth(policyPath: string, capability: Capability): VaultToken;
}

interface Reply {
  status: number;
  body?: unknown;
  headOnly?: boolean;
}

interface Route {
  match(path: string, core: VaultCore): string[] | undefined;
  /** Served while sealed (only the status endpoints). */
  whileSealed?: boolean;
  methods: Partial<Record<Method, (c: Ctx) => Reply>>;
}

/** Vault's response envelope around `data` / `auth`. */
function envelope(
  core: VaultCore,
  p: {
    data?: unknown;
    auth?: unknown;
    leaseId?: string;
    leaseDuration?: number;
    renewable?: boolean;
    warnings?: string[];
    mountType?: string;
  },
): Record<string, unknown> {
  return {
    request_id: core.requestId(),
    lease_id: p.leaseId ?? '',
    renewable: p.renewable ?? false,
    lease_duration: p.leaseDuration ?? 0,
    data: p.data ?? null,
    wrap_info: null,
    warnings: p.warnings && p.warnings.length > 0 ? p.warnings : null,
    auth: p.auth ?? null,
    mount_type: p.mountType ?? '',
  };
}

const exact =
  (literal: string) =>
  (path: string): string[] | undefined =>
    path === literal ? [] : undefined;

const pattern =
  (re: RegExp) =>
  (path: string): string[] | undefined => {
    const m = re.exec(path);
    return m ? m.slice(1).map((s) => s ?? '') : undefined;
  };

/** Go's strconv.Atoi, as Vault uses for the health status-code parameters. */
function parseCode(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  // Node cannot send codes outside 100–999, so those are a bad request here.
  return n >= 100 && n <= 999 ? n : undefined;
}

/**
 * Vault's bool parsing for health parameters (mapstructure weak decode):
 * Go's strconv.ParseBool spellings, and an empty value means false.
 */
function parseBool(value: string): boolean | undefined {
  if (value === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

function health(c: Ctx): Reply {
  const { core, query } = c;
  const headOnly = c.method === 'HEAD';
  const bad: Reply = { status: 400, body: { errors: [] }, headOnly };
  const flags: Record<string, boolean> = {};
  for (const name of ['standbyok', 'perfstandbyok']) {
    const raw = query.get(name);
    if (raw === null) continue;
    const b = parseBool(raw);
    if (b === undefined) return bad;
    flags[name] = b;
  }
  const codes: Record<string, number> = {
    activecode: 200,
    standbycode: 429,
    sealedcode: 503,
    uninitcode: 501,
    drsecondarycode: 472,
    performancestandbycode: 473,
  };
  for (const name of Object.keys(codes)) {
    const raw = query.get(name);
    if (raw === null) continue;
    const code = parseCode(raw);
    if (code === undefined) return bad;
    codes[name] = code;
  }
  let status = codes.activecode as number;
  if (core.sealed) status = codes.sealedcode as number;
  else if (core.standby && !flags.standbyok) status = codes.standbycode as number;

  const body: Record<string, unknown> = {
    initialized: true,
    sealed: core.sealed,
    // A sealed node is never the active one, so Vault reports it as standby too.
    standby: core.sealed || core.standby,
    performance_standby: false,
    replication_performance_mode: core.sealed ? 'unknown' : 'disabled',
    replication_dr_mode: core.sealed ? 'unknown' : 'disabled',
    server_time_utc: Math.floor(core.now() / 1000),
    version: VAULT_VERSION,
    enterprise: false,
    echo_duration_ms: 0,
    clock_skew_ms: 0,
    replication_primary_canary_age_ms: 0,
  };
  if (!core.sealed) {
    // Cluster identity is in the encrypted storage, so a sealed node cannot report it.
    body.cluster_name = core.clusterName;
    body.cluster_id = core.clusterId;
  }
  return { status, body, headOnly };
}

function sealStatus(c: Ctx): Reply {
  const { core } = c;
  const body: Record<string, unknown> = {
    type: 'shamir',
    initialized: true,
    sealed: core.sealed,
    t: 3,
    n: 5,
    progress: 0,
    nonce: '',
    version: VAULT_VERSION,
    build_date: '2025-03-04T17:00:00Z',
    migration: false,
    recovery_seal: false,
    storage_type: 'inmem',
    removed_from_cluster: false,
  };
  if (!core.sealed) {
    body.cluster_name = core.clusterName;
    body.cluster_id = core.clusterId;
  }
  return { status: 200, body };
}

function kvData(c: Ctx): Reply {
  const { core, method } = c;
  const secretPath = c.params[0] ?? '';
  const policyPath = `secret/data/${secretPath}`;
  const now = core.now();
  if (method === 'GET') {
    c.auth(policyPath, 'read');
    const raw = c.query.get('version');
    let version: number | undefined;
    if (raw !== null && raw !== '') {
      if (!/^\d+$/.test(raw)) throw new VaultError(400, [`invalid version: ${raw}`]);
      version = Number(raw);
    }
    return { status: 200, body: envelope(core, { data: core.kv.read(secretPath, version) }) };
  }
  if (method === 'DELETE') {
    c.auth(policyPath, 'delete');
    core.kv.softDelete(secretPath, now);
    return { status: 204 };
  }
  c.auth(policyPath, core.kv.has(secretPath) ? 'update' : 'create');
  return { status: 200, body: envelope(core, { data: core.kv.write(secretPath, c.body, now) }) };
}

function kvMetadata(c: Ctx): Reply {
  const { core } = c;
  const secretPath = c.params[0] ?? '';
  if (c.method === 'DELETE') {
    c.auth(`secret/metadata/${secretPath}`, 'delete');
    core.kv.destroyAll(secretPath);
    return { status: 204 };
  }
  const list = parseBool(c.query.get('list') ?? '') ?? false;
  if (list) {
    // LIST requests name a folder; Vault policies see it with its trailing slash.
    const folder = secretPath === '' || secretPath.endsWith('/') ? secretPath : `${secretPath}/`;
    c.auth(`secret/metadata/${folder}`, 'list');
    return { status: 200, body: envelope(core, { data: { keys: core.kv.list(folder) } }) };
  }
  c.auth(`secret/metadata/${secretPath}`, 'read');
  return { status: 200, body: envelope(core, { data: core.kv.metadata(secretPath) }) };
}

function kubeCreds(c: Ctx): Reply {
  const { core } = c;
  const [mount = '', role = ''] = c.params;
  const site = core.kube.siteOfMount(mount) as string;
  const token = c.auth(`${mount}/creds/${role}`, 'update');
  const creds = core.kube.issue(site, role, c.body, token, core.now());
  return {
    status: 200,
    body: envelope(core, {
      leaseId: creds.leaseId,
      leaseDuration: creds.leaseDuration,
      renewable: false,
      data: creds.data,
      warnings: creds.warnings,
      mountType: 'kubernetes',
    }),
  };
}

const write = (h: (c: Ctx) => Reply): Partial<Record<Method, (c: Ctx) => Reply>> => ({ POST: h, PUT: h });

const ROUTES: Route[] = [
  { match: exact('sys/health'), whileSealed: true, methods: { GET: health, HEAD: health } },
  { match: exact('sys/seal-status'), whileSealed: true, methods: { GET: sealStatus } },
  {
    match: exact('sys/leader'),
    methods: {
      GET: ({ core }) => ({
        status: 200,
        body: {
          ha_enabled: true,
          is_self: !core.standby,
          active_time: '0001-01-01T00:00:00Z',
          leader_address: core.standby ? '' : core.url,
          leader_cluster_address: '',
          performance_standby: false,
          performance_standby_last_remote_wal: 0,
        },
      }),
    },
  },
  {
    match: exact('auth/token/lookup-self'),
    methods: {
      GET: (c) => {
        const token = c.auth('auth/token/lookup-self', 'read');
        return { status: 200, body: envelope(c.core, { data: c.core.lookupSelf(token), mountType: 'token' }) };
      },
    },
  },
  {
    match: exact('auth/token/renew-self'),
    methods: write((c) => {
      const token = c.auth('auth/token/renew-self', 'update');
      const { auth, warnings } = c.core.renewSelf(token, c.body);
      return { status: 200, body: envelope(c.core, { auth, warnings, mountType: 'token' }) };
    }),
  },
  {
    match: exact('auth/token/revoke-self'),
    methods: write((c) => {
      c.core.revokeSelf(c.auth('auth/token/revoke-self', 'update'));
      return { status: 204 };
    }),
  },
  {
    match: pattern(/^auth\/userpass\/login\/([^/]+)$/),
    methods: write((c) => ({
      status: 200,
      body: envelope(c.core, { auth: c.core.login(c.params[0] ?? '', c.body), mountType: 'userpass' }),
    })),
  },
  { match: pattern(/^secret\/data\/(.*)$/), methods: { GET: kvData, ...write(kvData), DELETE: kvData } },
  { match: pattern(/^secret\/metadata\/(.*)$/), methods: { GET: kvMetadata, DELETE: kvMetadata } },
  {
    match: (path, core) => {
      const m = /^([^/]+)\/creds\/([^/]+)$/.exec(path);
      return m && core.kube.siteOfMount(m[1] as string) !== undefined ? [m[1] as string, m[2] as string] : undefined;
    },
    methods: write(kubeCreds),
  },
  {
    match: exact('sys/leases/lookup'),
    methods: write((c) => {
      c.auth('sys/leases/lookup', 'update');
      const data = c.core.leaseLookup(VaultCore.leaseIdOf(c.body, undefined));
      return { status: 200, body: envelope(c.core, { data }) };
    }),
  },
  {
    match: pattern(/^sys\/leases\/renew(?:\/(.+))?$/),
    methods: write((c) => {
      c.auth('sys/leases/renew', 'update');
      return c.core.leaseRenew(VaultCore.leaseIdOf(c.body, c.params[0] || undefined));
    }),
  },
  {
    match: pattern(/^sys\/leases\/revoke(?:\/(.+))?$/),
    methods: write((c) => {
      c.auth('sys/leases/revoke', 'update');
      c.core.leaseRevoke(VaultCore.leaseIdOf(c.body, c.params[0] || undefined));
      return { status: 204 };
    }),
  },
];

const METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];

async function handle(core: VaultCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const read = await readBody(req);
  const method = (req.method ?? 'GET').toUpperCase();
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://vault.invalid');
  } catch {
    throw new VaultError(400, ['invalid request URL']);
  }
  core.sweep();
  if (!url.pathname.startsWith('/v1/')) throw new VaultError(404, []);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice('/v1/'.length));
  } catch {
    throw new VaultError(400, ['invalid URL escape in request path']);
  }

  let route: Route | undefined;
  let params: string[] = [];
  for (const r of ROUTES) {
    const m = r.match(path, core);
    if (m) {
      route = r;
      params = m;
      break;
    }
  }
  if (core.sealed && !route?.whileSealed) throw new VaultError(503, ['Vault is sealed']);
  if (!route) throw new VaultError(404, []);
  const handler = METHODS.includes(method) ? route.methods[method as Method] : undefined;
  if (!handler) {
    const allow = Object.keys(route.methods).join(', ');
    sendJson(res, 405, { errors: ['unsupported operation'] }, { headers: { Allow: allow } });
    return;
  }
  const body = method === 'POST' || method === 'PUT' ? parseJsonObject(read) : {};
  const tokenId = requestToken(req);
  const ctx: Ctx = {
    core,
    method: method as Method,
    path,
    params,
    query: url.searchParams,
    body,
    auth(policyPath, capability) {
      const token = core.authenticate(tokenId);
      core.authorize(token, policyPath, capability);
      return token;
    },
  };
  const reply = handler(ctx);
  sendJson(res, reply.status, reply.body, { headOnly: reply.headOnly });
}

function respondError(core: VaultCore, res: ServerResponse, err: unknown): void {
  if (err instanceof KvDeletedError) {
    sendJson(res, 404, envelope(core, { data: err.body }));
  } else if (err instanceof VaultError) {
    sendJson(res, err.status, { errors: err.errors });
  } else {
    sendJson(res, 500, { errors: ['internal error'] });
  }
}

/** Starts a training Vault server and resolves once it is listening. */
export async function startVault(opts: VaultOptions): Promise<VaultEmulator> {
  for (const site of opts.sites) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(site)) throw new Error(`invalid site name for a Vault mount: ${site}`);
  }
  const core = new VaultCore({
    now: opts.now,
    rng: opts.rng,
    registry: opts.registry,
    sites: [...opts.sites],
    users: opts.users ?? DEFAULT_USERS,
    rootToken: opts.rootToken,
    defaultTokenTtl: opts.defaultTokenTtl ?? 3600,
    maxTokenTtl: opts.maxTokenTtl ?? 28_800,
    credsTtl: opts.credsTtl ?? 900,
    credsMaxTtl: opts.credsMaxTtl ?? 3600,
    kv: opts.kv ?? {},
  });

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(core, req, res).catch((err: unknown) => {
      // A client that hung up mid-body leaves nobody to answer.
      if (req.destroyed && !req.complete) return;
      respondError(core, res, err);
    });
  };
  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
    : createHttpServer(listener);

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  core.url = url;

  return {
    url,
    port,
    rootToken: core.rootToken,
    seal: () => {
      core.sealed = true;
    },
    unseal: () => {
      core.sealed = false;
    },
    setStandby: (b) => {
      core.standby = b;
    },
    status: () => ({ sealed: core.sealed, standby: core.standby }),
    sweep: () => core.sweep(),
    leases: () => core.kube.list(),
    issued: () => core.issued(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
