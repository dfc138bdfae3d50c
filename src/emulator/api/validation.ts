/**
 * The slice of the apiserver's validation that the simulated controllers
 * rely on: a pod they cannot read would otherwise stall a whole site's
 * scheduler. Errors are 422 Invalid with field causes, as the apiserver
 * reports them.
 */
import { jsonEqual } from '../store/patch';
import type { Json, KObject } from '../types';
import type { ResourceType } from './resources';
import { invalid, type StatusCause } from './status';

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function containers(list: unknown, field: string, required: boolean): StatusCause[] {
  if (list === undefined && !required) return [];
  if (!Array.isArray(list) || (required && list.length === 0)) {
    return [{ reason: 'FieldValueRequired', field, message: 'Required value' }];
  }
  const out: StatusCause[] = [];
  list.forEach((c, i) => {
    if (!isObj(c)) out.push({ reason: 'FieldValueInvalid', field: `${field}[${i}]`, message: 'Invalid value: must be an object' });
    else {
      if (typeof c.name !== 'string' || c.name === '') out.push({ reason: 'FieldValueRequired', field: `${field}[${i}].name`, message: 'Required value' });
      if (typeof c.image !== 'string' || c.image === '') out.push({ reason: 'FieldValueRequired', field: `${field}[${i}].image`, message: 'Required value' });
    }
  });
  return out;
}

function podSpecCauses(spec: unknown, field: string): StatusCause[] {
  if (!isObj(spec)) return [{ reason: 'FieldValueRequired', field, message: 'Required value' }];
  return [...containers(spec.containers, `${field}.containers`, true), ...containers(spec.initContainers, `${field}.initContainers`, false)];
}

/** Throws 422 when `obj` is not a valid `rt` (the checks that matter to the simulation). */
export function validate(rt: ResourceType, obj: KObject): void {
  let causes: StatusCause[] = [];
  if (rt.plural === 'pods') causes = podSpecCauses(obj.spec, 'spec');
  else if (['deployments', 'replicasets', 'statefulsets', 'daemonsets'].includes(rt.plural)) {
    const spec = obj.spec;
    if (!isObj(spec)) causes = [{ reason: 'FieldValueRequired', field: 'spec', message: 'Required value' }];
    else {
      causes = podSpecCauses(isObj(spec.template) ? spec.template.spec : undefined, 'spec.template.spec');
      if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || (spec.replicas as number) < 0)) {
        causes.push({ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0` });
      }
    }
  } else if (rt.plural === 'nodes') {
    const st = obj.status;
    if (st !== undefined && !isObj(st)) causes.push({ reason: 'FieldValueInvalid', field: 'status', message: 'Invalid value: must be an object' });
    if (isObj(st) && st.conditions !== undefined && !Array.isArray(st.conditions)) causes.push({ reason: 'FieldValueInvalid', field: 'status.conditions', message: 'Invalid value: must be a list' });
    const spec = obj.spec;
    if (isObj(spec) && spec.taints !== undefined && !Array.isArray(spec.taints)) causes.push({ reason: 'FieldValueInvalid', field: 'spec.taints', message: 'Invalid value: must be a list' });
  }
  if (causes.length > 0) throw invalid(rt.kind, obj.metadata.name, causes, rt.group);
}

/**
 * A pod's spec is immutable but for container images, activeDeadlineSeconds
 * and added tolerations, as the apiserver enforces.
 */
export function validatePodUpdate(old: KObject, next: KObject): void {
  const strip = (spec: unknown): Json => {
    if (!isObj(spec)) return spec as Json;
    const copy = structuredClone(spec) as Record<string, unknown>;
    for (const key of ['containers', 'initContainers']) {
      if (Array.isArray(copy[key])) copy[key] = (copy[key] as Record<string, unknown>[]).map((c) => (isObj(c) ? { ...c, image: undefined } : c));
    }
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    return JSON.parse(JSON.stringify(copy)) as Json;
  };
  if (!jsonEqual(strip(old.spec), strip(next.spec))) {
    throw invalid('Pod', old.metadata.name, [{
      reason: 'FieldValueForbidden',
      field: 'spec',
      message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    }]);
  }
}
