/**
 * cordon / uncordon: `spec.unschedulable` by merge patch, with who, why and
 * when in the annotations the console's node view reads
 * (core/kube/projections.ts). Both are idempotent: a cordoned node is left
 * as it is (and keeps whoever cordoned it as the one who did), so re-running
 * either after a crash changes nothing more.
 */
import { rec, str } from '../../../../shared/json';
import { CORDON_AT, CORDON_BY, CORDON_REASON } from '../../../../shared/labels';
import type { KubeHttp } from '../../../kube/http';
import { objectPath, refAt } from '../objects';
import type { SpecOf, StepHandler, StepOutcome } from '../types';

/** The annotation keys every console reads (NodeView.cordon); defined in shared/labels. */
export { CORDON_AT, CORDON_BY, CORDON_REASON };

const MERGE = 'application/merge-patch+json';

interface NodeState {
  unschedulable: boolean;
  annotations: Record<string, unknown>;
}

async function readNode(http: KubeHttp, node: string): Promise<NodeState> {
  const o = rec(await http.getJson(objectPath({ kind: 'Node', name: node })));
  return { unschedulable: rec(o.spec).unschedulable === true, annotations: rec(rec(o.metadata).annotations) };
}

function cordonedBy(a: Record<string, unknown>): string {
  const by = str(a[CORDON_BY]);
  const reason = str(a[CORDON_REASON]);
  return by || reason ? ` (by ${by || 'someone'}${reason ? `: ${reason}` : ''})` : '';
}

/**
 * Marks the node unschedulable with who/why/when, unless it already is.
 * Shared with drain, which cordons first as kubectl does.
 */
export async function cordonNode(http: KubeHttp, node: string, o: { by: string; reason: string; at: string }): Promise<{ changed: boolean; message: string }> {
  const cur = await readNode(http, node);
  if (cur.unschedulable) return { changed: false, message: `${node} was already cordoned${cordonedBy(cur.annotations)}` };
  await http.send('PATCH', objectPath({ kind: 'Node', name: node }), {
    body: { spec: { unschedulable: true }, metadata: { annotations: { [CORDON_BY]: o.by, [CORDON_REASON]: o.reason, [CORDON_AT]: o.at } } },
    contentType: MERGE,
  });
  return { changed: true, message: `cordoned ${node}: ${o.reason}` };
}

export const cordon: StepHandler<'cordon'> = {
  title: (s) => `Cordon ${s.node}`,
  async preview(ctx, s) {
    const cur = await readNode(ctx.http, s.node);
    const notes = cur.unschedulable ? [`${s.node} is already cordoned${cordonedBy(cur.annotations)}; left as it is`] : [`New pods will not be scheduled on ${s.node}${s.reason ? ` (reason: ${s.reason})` : ''}`];
    return { touches: [refAt(ctx.site, 'Node', s.node)], notes, blockers: [] };
  },
  async run(ctx, s: SpecOf<'cordon'>): Promise<StepOutcome> {
    const reason = s.reason || `runbook ${ctx.runbook}`;
    const r = await cordonNode(ctx.http, s.node, { by: ctx.who, reason, at: new Date(ctx.now()).toISOString() });
    return { message: r.message, data: { changed: r.changed, reason } };
  },
};

export const uncordon: StepHandler<'uncordon'> = {
  title: (s) => `Uncordon ${s.node}`,
  async preview(ctx, s) {
    const cur = await readNode(ctx.http, s.node);
    const notes = cur.unschedulable ? [`${s.node} takes new pods again${cordonedBy(cur.annotations)}`] : [`${s.node} is not cordoned; nothing to do`];
    return { touches: [refAt(ctx.site, 'Node', s.node)], notes, blockers: [] };
  },
  async run(ctx, s) {
    const cur = await readNode(ctx.http, s.node);
    const stale = [CORDON_BY, CORDON_REASON, CORDON_AT].some((k) => k in cur.annotations);
    if (!cur.unschedulable && !stale) return { message: `${s.node} was not cordoned`, data: { changed: false } };
    // null removes: spec.unschedulable back to its default (false), the annotations gone.
    await ctx.http.send('PATCH', objectPath({ kind: 'Node', name: s.node }), {
      body: { spec: { unschedulable: null }, metadata: { annotations: { [CORDON_BY]: null, [CORDON_REASON]: null, [CORDON_AT]: null } } },
      contentType: MERGE,
    });
    return { message: `uncordoned ${s.node}`, data: { changed: true } };
  },
};
