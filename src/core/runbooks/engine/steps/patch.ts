/**
 * patch, label and annotate. Merge and strategic-merge patches set values,
 * so re-sending one after a crash changes nothing more; label and annotate
 * are merge patches of metadata (null removes a key). A JSON patch is only
 * as idempotent as its operations (`add` to `/-` appends again): the plan
 * says so when a runbook uses one.
 */
import { arr, rec } from '../../../../shared/json';
import { KubeHttpError } from '../../../kube/http';
import { describeRef, objectPath, refAt } from '../objects';
import { PlanError, type PlanContext, type StepHandler } from '../types';
import type { ObjectRefSpec } from '../../../../shared/runbooks';

const CONTENT_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

async function mustExist(ctx: PlanContext, ref: ObjectRefSpec): Promise<Record<string, unknown>> {
  try {
    return rec(await ctx.http.getJson(objectPath(ref)));
  } catch (e) {
    if (e instanceof KubeHttpError && e.status === 404) throw new PlanError(`${describeRef(ref)} does not exist at ${ctx.siteName(ctx.site)}`);
    throw e;
  }
}

export const patch: StepHandler<'patch'> = {
  title: (s) => `Patch ${describeRef(s.object)}`,
  async preview(ctx, s) {
    if (!(s.patchType in CONTENT_TYPES)) throw new PlanError(`unknown patch type ${String(s.patchType)} (merge, strategic or json)`);
    if (s.patchType === 'json' && !Array.isArray(s.patch)) throw new PlanError('a json patch is a list of operations');
    await mustExist(ctx, s.object);
    const notes = [`${s.patchType} patch: ${JSON.stringify(s.patch).slice(0, 300)}`];
    if (s.patchType === 'json' && arr(s.patch).some((op) => ['add', 'move', 'copy'].includes(String(rec(op).op)) && String(rec(op).path).endsWith('/-'))) {
      notes.push('this JSON patch appends to a list: were the run interrupted right after sending it, the re-run would append again');
    }
    return { touches: [refAt(ctx.site, s.object.kind, s.object.name, s.object.namespace)], notes, blockers: [] };
  },
  async run(ctx, s) {
    await ctx.http.send('PATCH', objectPath(s.object), { body: s.patch, contentType: CONTENT_TYPES[s.patchType], signal: ctx.signal });
    return { message: `patched ${describeRef(s.object)}`, data: { patchType: s.patchType } };
  },
};

export const labelOrAnnotate: StepHandler<'label'> = {
  title: (s) => `${s.type === 'label' ? 'Label' : 'Annotate'} ${describeRef(s.object)}`,
  async preview(ctx, s) {
    const o = await mustExist(ctx, s.object);
    const field = s.type === 'label' ? 'labels' : 'annotations';
    const cur = rec(rec(o.metadata)[field]);
    const notes = Object.entries(s.set).map(([k, v]) => (v === null ? (k in cur ? `remove ${k}` : `${k} is not set (nothing to remove)`) : cur[k] === v ? `${k}=${v} already` : `${k}=${v}${k in cur ? ` (was ${String(cur[k])})` : ''}`));
    return { touches: [refAt(ctx.site, s.object.kind, s.object.name, s.object.namespace)], notes, blockers: [] };
  },
  async run(ctx, s) {
    const field = s.type === 'label' ? 'labels' : 'annotations';
    await ctx.http.send('PATCH', objectPath(s.object), { body: { metadata: { [field]: s.set } }, contentType: CONTENT_TYPES.merge, signal: ctx.signal });
    return { message: `${s.type === 'label' ? 'labelled' : 'annotated'} ${describeRef(s.object)}: ${Object.entries(s.set).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`)).join(', ')}`, data: { set: s.set } };
  },
};
