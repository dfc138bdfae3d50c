/**
 * scale and rollout-restart.
 *
 * scale sets an absolute replica count through the scale subresource, so a
 * re-run after a crash sets the same number again. rollout-restart is what
 * `kubectl rollout restart` does — a new `restartedAt` in the pod template —
 * and would start a second rollout if re-sent with a new time: the value is
 * journalled before it is sent and a re-run sends the same one, which
 * changes nothing (an unchanged template is no new generation).
 */
import { rec, str } from '../../../../shared/json';
import { objectPath, refAt } from '../objects';
import { PlanError, type StepHandler } from '../types';

const MERGE = 'application/merge-patch+json';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

function replicasOf(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n)) throw new PlanError(`replicas must be a whole number ≥ 0, got "${text}"`);
  return n;
}

export const scale: StepHandler<'scale'> = {
  title: (s) => `Scale ${s.kind} ${s.namespace}/${s.workload} to ${s.replicas}`,
  async preview(ctx, s) {
    const replicas = replicasOf(s.replicas);
    const cur = rec(await ctx.http.getJson(objectPath({ kind: s.kind, namespace: s.namespace, name: s.workload }, 'scale')));
    const now = rec(cur.spec).replicas;
    return {
      touches: [refAt(ctx.site, s.kind, s.workload, s.namespace)],
      notes: [now === replicas ? `already at ${replicas} replicas` : `replicas ${String(now ?? '?')} → ${replicas}`],
      blockers: [],
    };
  },
  async run(ctx, s) {
    const replicas = replicasOf(s.replicas);
    const out = rec(await ctx.http.send('PATCH', objectPath({ kind: s.kind, namespace: s.namespace, name: s.workload }, 'scale'), { body: { spec: { replicas } }, contentType: MERGE, signal: ctx.signal }));
    return { message: `${s.kind} ${s.namespace}/${s.workload} scaled to ${String(rec(out.spec).replicas ?? replicas)}`, data: { replicas } };
  },
};

/** RFC 3339 to the second, as kubectl writes it. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const rolloutRestart: StepHandler<'rollout-restart'> = {
  title: (s) => `Restart ${s.kind} ${s.namespace}/${s.workload}`,
  async preview(ctx, s) {
    const o = rec(await ctx.http.getJson(objectPath({ kind: s.kind, namespace: s.namespace, name: s.workload })));
    const blockers: string[] = [];
    // kubectl refuses too: a paused Deployment would take the change and not roll it out.
    if (rec(o.spec).paused === true) blockers.push(`${s.kind} ${s.namespace}/${s.workload} is paused; resume its rollout first`);
    const last = str(rec(rec(rec(rec(o.spec).template).metadata).annotations)[RESTARTED_AT]);
    return {
      touches: [refAt(ctx.site, s.kind, s.workload, s.namespace)],
      notes: [`every pod of ${s.namespace}/${s.workload} is replaced by its rollout strategy${last ? ` (last restarted ${last})` : ''}`],
      blockers,
    };
  },
  async run(ctx, s) {
    let at = ctx.recall<string>('restartedAt');
    if (at === undefined) {
      at = rfc3339(ctx.now());
      ctx.remember('restartedAt', at);
    }
    await ctx.http.send('PATCH', objectPath({ kind: s.kind, namespace: s.namespace, name: s.workload }), {
      body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } },
      contentType: MERGE,
      signal: ctx.signal,
    });
    return { message: `${s.kind} ${s.namespace}/${s.workload} restarted (restartedAt ${at})`, data: { restartedAt: at } };
  },
};
