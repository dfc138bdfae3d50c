/**
 * metav1.LabelSelector matching, for finding the PodDisruptionBudgets that
 * cover a pod (the API's Status for a refused eviction names the budget only
 * in its details, which KubeHttpError does not keep).
 */
import { arr, isObj, rec, str } from '../../../shared/json';

/**
 * Whether `labels` satisfy the selector object. policy/v1 semantics: an
 * empty selector matches every pod, an absent one none.
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObj(selector)) return false;
  for (const [k, v] of Object.entries(rec(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const e of arr(selector.matchExpressions)) {
    const x = rec(e);
    const key = str(x.key);
    const values = arr(x.values).map(str);
    const has = Object.hasOwn(labels, key);
    switch (x.operator) {
      case 'In':
        if (!has || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // An operator this client does not know: match nothing rather than everything.
        return false;
    }
  }
  return true;
}
