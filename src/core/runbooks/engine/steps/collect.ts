/**
 * collect: diagnostics of one object into `<dataDir>/collections/<run>/`:
 * the object as the API returns it (managed fields, last-applied copies and
 * literal environment values left out, as the console's detail views do),
 * its events, for a node the pods on it, and for a pod each container's log
 * (the last lines, or since a time). Folders are 0700 and files 0600: logs
 * hold whatever the applications print. Reads only, so a re-run rewrites the
 * same files.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { arr, rec, str } from '../../../../shared/json';
import { KubeHttpError, type KubeHttp } from '../../../kube/http';
import { describeRef, objectPath, refAt } from '../objects';
import { PlanError, type StepContext, type StepHandler } from '../types';

/** Most bytes kept of one container's log. */
const MAX_LOG_BYTES = 16 * 1024 * 1024;

/** A file or folder name from API names: only `[A-Za-z0-9._-]`, no leading dot, at most 120 characters. */
export function safeName(s: string): string {
  const out = s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, (m) => '_'.repeat(m.length)).slice(0, 120);
  return out || '_';
}

/** The folder a collect step writes to. */
export function collectionDir(dataDir: string, run: string, step: string, site: string, ref: { kind: string; namespace?: string; name: string }): string {
  const leaf = [step, site, ref.kind, ref.namespace ?? '', ref.name].filter(Boolean).map(safeName).join('_');
  return path.join(dataDir, 'collections', safeName(run), leaf);
}

function redact(o: Record<string, unknown>): Record<string, unknown> {
  const meta = rec(o.metadata);
  delete meta.managedFields;
  const ann = rec(meta.annotations);
  delete ann['kubectl.kubernetes.io/last-applied-configuration'];
  const spec = rec(o.spec);
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of arr(spec[key])) for (const e of arr(rec(c).env)) if (typeof rec(e).value === 'string') rec(e).value = `<redacted: ${str(rec(e).value).length} characters>`;
  }
  return o;
}

async function write(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
  // A file left by an earlier attempt keeps its mode on rewrite: set it again.
  await chmod(file, 0o600);
}

async function readLog(http: KubeHttp, p: string, query: Record<string, string | number>, signal: AbortSignal): Promise<string> {
  try {
    const res = await http.stream(p, query, signal);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res) {
      const b = c as Buffer;
      if (size + b.length > MAX_LOG_BYTES) {
        chunks.push(b.subarray(0, MAX_LOG_BYTES - size));
        res.destroy();
        return `${Buffer.concat(chunks).toString('utf8')}\n[cut at ${MAX_LOG_BYTES} bytes]\n`;
      }
      chunks.push(b);
      size += b.length;
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    return `[no log: ${(e as Error).message}]\n`;
  }
}

async function collectTo(ctx: StepContext, dir: string, ref: { kind: string; namespace?: string; name: string }, logs: boolean, since?: number): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (let d = dir; d.startsWith(path.join(ctx.deps.dataDir, 'collections')) && d !== ctx.deps.dataDir; d = path.dirname(d)) await chmod(d, 0o700);
  const files: string[] = [];
  const obj = redact(rec(await ctx.http.getJson(objectPath(ref), {}, ctx.signal)));
  await write(path.join(dir, 'object.json'), `${JSON.stringify(obj, null, 2)}\n`);
  files.push('object.json');
  const fieldSelector = `involvedObject.kind=${ref.kind},involvedObject.name=${ref.name}${ref.namespace ? `,involvedObject.namespace=${ref.namespace}` : ''}`;
  const events = rec(await ctx.http.getJson(ref.namespace ? `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events` : '/api/v1/events', { fieldSelector }, ctx.signal));
  await write(path.join(dir, 'events.json'), `${JSON.stringify(arr(events.items), null, 2)}\n`);
  files.push('events.json');
  if (ref.kind === 'Node') {
    const pods = rec(await ctx.http.getJson('/api/v1/pods', { fieldSelector: `spec.nodeName=${ref.name}` }, ctx.signal));
    const rows = arr(pods.items).map((p) => ({ namespace: str(rec(rec(p).metadata).namespace), name: str(rec(rec(p).metadata).name), phase: str(rec(rec(p).status).phase) }));
    await write(path.join(dir, 'pods.json'), `${JSON.stringify(rows, null, 2)}\n`);
    files.push('pods.json');
  }
  if (ref.kind === 'Pod' && logs) {
    const containers = arr(rec(obj.spec).containers).map((c) => str(rec(c).name)).filter(Boolean);
    const query: Record<string, string | number> = since !== undefined ? { sinceSeconds: Math.max(1, Math.ceil(since / 1000)) } : { tailLines: ctx.tuning.logTailLines };
    for (const c of containers) {
      const text = await readLog(ctx.http, `${objectPath(ref)}/log`, { ...query, container: c, timestamps: 'true' }, ctx.signal);
      const file = `log-${safeName(c)}.txt`;
      await write(path.join(dir, file), text);
      files.push(file);
    }
  }
  return files;
}

export const collect: StepHandler<'collect'> = {
  title: (s) => `Collect diagnostics of ${describeRef(s.of)}`,
  async preview(ctx, s) {
    try {
      await ctx.http.getJson(objectPath(s.of));
    } catch (e) {
      if (e instanceof KubeHttpError && e.status === 404) throw new PlanError(`${describeRef(s.of)} does not exist at ${ctx.siteName(ctx.site)}`);
      throw e;
    }
    const what = ['the object', 'its events', ...(s.of.kind === 'Node' ? ['the pods on it'] : []), ...(s.of.kind === 'Pod' && s.logs ? [s.since !== undefined ? `its logs of the last ${Math.round(s.since / 1000)} s` : `the last ${ctx.tuning.logTailLines} lines of its logs`] : [])];
    return { touches: [refAt(ctx.site, s.of.kind, s.of.name, s.of.namespace)], notes: [`saves ${what.join(', ')} to ${path.join(ctx.deps.dataDir, 'collections')}`], blockers: [] };
  },
  async run(ctx, s) {
    const dir = collectionDir(ctx.deps.dataDir, ctx.run, ctx.step.id, ctx.site, s.of);
    const files = await collectTo(ctx, dir, s.of, s.logs === true, s.since);
    return { message: `saved ${files.length} files to ${dir}`, data: { dir, files } };
  },
};
