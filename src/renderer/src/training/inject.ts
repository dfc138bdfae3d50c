/**
 * The trainer's fault form: what it posts, and what is missing before it
 * may (the host checks the rest, and the fleet checks that the site, rack
 * or node exists).
 */
import type { FaultDoc } from '../../../shared/training';
import type { FaultRequest } from './slice';

const NUMBERS = new Set(['latencyMs', 'inSeconds']);
const TEXT_PARAMS = ['site', 'rack', 'node', 'namespace', 'deployment', 'pod', 'container'] as const;

/** Why the form cannot be sent yet, in words the trainer can act on; undefined when it can. */
export function faultProblem(fault: FaultDoc, values: Record<string, string>): string | undefined {
  const missing = fault.params.filter((p) => (values[p] ?? '').trim() === '');
  if (missing.length > 0) return `${fault.name} needs ${missing.join(' and ')}: fill ${missing.length === 1 ? 'it' : 'them'} in first.`;
  for (const p of fault.params) {
    if (!NUMBERS.has(p)) continue;
    const n = Number(values[p]);
    if (!Number.isInteger(n) || n < 0) return `${p} must be a whole number of ${p === 'latencyMs' ? 'milliseconds' : 'seconds'} (0 or more), not "${values[p] ?? ''}".`;
  }
  return undefined;
}

/** The request for a form that passed `faultProblem`: only the fault's own params, trimmed, numbers as numbers. */
export function faultRequest(fault: FaultDoc, values: Record<string, string>): FaultRequest {
  const req: FaultRequest = { fault: fault.name };
  for (const p of fault.params) {
    const v = (values[p] ?? '').trim();
    if (p === 'latencyMs' || p === 'inSeconds') req[p] = Number(v);
    else if ((TEXT_PARAMS as readonly string[]).includes(p)) req[p as (typeof TEXT_PARAMS)[number]] = v;
  }
  return req;
}
