/**
 * Editing a resource as YAML, as `kubectl edit` does, with two guards of
 * its own: the server's dry run first (its answer, defaults and admission
 * included, is what the admin compares against), and the resourceVersion
 * read with the YAML, so an edit never overwrites a change made meanwhile.
 * Every applied edit is audited.
 */
import { stringify } from 'yaml';
import { ConfigError } from '../config';
import { parseYaml } from '../config/yaml';
import { ContractError } from '../../shared/contract/rpc';
import type { AuditLog } from '../audit';
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { objectPath, PlanError } from '../runbooks/engine';

/** The largest manifest accepted (Kubernetes' own request limit is 3 MiB; a hand-edited object is far smaller). */
export const MAX_EDIT_BYTES = 1024 * 1024;

export interface ObjectRefInput {
  kind: string;
  namespace?: string;
  name: string;
}

type KObject = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; resourceVersion?: string; managedFields?: unknown } & Record<string, unknown> } & Record<string, unknown>;

export class EditService {
  constructor(
    private readonly http: (site: string) => KubeHttp | undefined,
    private readonly audit: AuditLog,
    private readonly who: () => string,
  ) {}

  /** The object as YAML, without managedFields (noise nobody edits), and the resourceVersion it was read at. */
  async read(site: string, ref: ObjectRefInput): Promise<{ yaml: string; resourceVersion: string }> {
    const obj = await this.call(site, ref, (h, p) => h.getJson<KObject>(p));
    delete obj.metadata?.managedFields;
    return { yaml: stringify(obj, { lineWidth: 0 }), resourceVersion: obj.metadata?.resourceVersion ?? '' };
  }

  /**
   * Replaces the object with the edited YAML. `dryRun`: the server validates
   * and answers with what it would store, nothing changes. Refuses YAML that
   * names another object, and an object changed since `resourceVersion`.
   */
  async apply(site: string, ref: ObjectRefInput, text: string, o: { dryRun: boolean; resourceVersion: string }): Promise<{ yaml: string }> {
    const obj = parseEdit(text, ref);
    obj.metadata = { ...obj.metadata, resourceVersion: o.resourceVersion };
    let out: KObject;
    try {
      out = await this.call(site, ref, (h, p) => h.send<KObject>('PUT', p, { body: obj, query: o.dryRun ? { dryRun: 'All' } : {} }));
    } catch (e) {
      if (!o.dryRun) this.record(site, ref, e instanceof ContractError && e.code === 'forbidden' ? 'refused' : 'failed', (e as Error).message);
      throw e;
    }
    delete out.metadata?.managedFields;
    if (!o.dryRun) {
      try {
        this.record(site, ref, 'ok', `replaced from the YAML editor (now at resourceVersion ${out.metadata?.resourceVersion ?? '?'})`);
      } catch (e) {
        // The change happened: say so, rather than let it pass for a failed edit.
        throw new ContractError('unavailable', `the edit was applied, but the audit trail could not record it: ${(e as Error).message}`);
      }
    }
    return { yaml: stringify(out, { lineWidth: 0 }) };
  }

  private record(site: string, ref: ObjectRefInput, result: 'ok' | 'failed' | 'refused', detail: string): void {
    this.audit.append({ who: this.who(), verb: 'edit', site, object: { kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name }, result, detail });
  }

  /** One request on the object's path, with the server's refusals in contract terms. */
  private async call<T>(site: string, ref: ObjectRefInput, fn: (h: KubeHttp, path: string) => Promise<T>): Promise<T> {
    const h = this.http(site);
    if (!h) throw new ContractError('not-found', `no site "${site}"`);
    let p: string;
    try {
      p = objectPath(ref);
    } catch (e) {
      if (e instanceof PlanError) throw new ContractError('bad-request', e.message);
      throw e;
    }
    try {
      return await fn(h, p);
    } catch (e) {
      if (!(e instanceof KubeHttpError)) throw new ContractError('unavailable', (e as Error).message);
      const what = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} at ${site}`;
      if (e.status === 409) throw new ContractError('bad-request', `${what} was changed by someone else since you opened it: reload it, then make your edit again (${e.message})`);
      if (e.status === 404) throw new ContractError('not-found', `${what} no longer exists`);
      if (e.status === 401 || e.status === 403) throw new ContractError('forbidden', e.message);
      if (e.status === 400 || e.status === 422) throw new ContractError('bad-request', `the server refused the edit: ${e.message}`);
      throw new ContractError('unavailable', e.message);
    }
  }
}

/** The edited YAML as one object that still names `ref`; clear errors with line numbers otherwise. */
export function parseEdit(text: string, ref: ObjectRefInput): KObject {
  if (Buffer.byteLength(text) > MAX_EDIT_BYTES) throw new ContractError('bad-request', `the YAML is larger than ${MAX_EDIT_BYTES / 1024} KiB`);
  let obj: unknown;
  try {
    // The console's one safe YAML reader: core schema, no tags, alias bombs refused, duplicate keys found in linear time.
    obj = parseYaml(text, 'the edited object').value;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const first = e.issues[0];
    throw new ContractError('bad-request', first?.line ? `YAML line ${first.line}, column ${first.column}: ${first.message.replace(/^YAML: /, '')}` : first?.message ?? e.message);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new ContractError('bad-request', 'the YAML must be one object (a mapping with apiVersion, kind and metadata)');
  const o = obj as KObject;
  const same = o.kind === ref.kind && o.metadata?.name === ref.name && (o.metadata?.namespace ?? undefined) === (ref.namespace ?? undefined);
  if (!same) {
    throw new ContractError(
      'bad-request',
      `the YAML must keep naming ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} (kind, metadata.name and metadata.namespace cannot change here)`,
    );
  }
  return o;
}
