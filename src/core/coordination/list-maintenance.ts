/**
 * Every maintenance in progress at one site, lapsed ones included (flagged):
 * what the runbook guard checks ("never two sites in maintenance at once")
 * and what the UI shows on the rack map.
 */
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { MAINTENANCE_LABELS, maintenanceOf, TRIPTYCH_NAMESPACE, type LeaseObject, type Maintenance } from './maintenance';

/** The site's maintenance Leases, oldest first. A site without the Triptych namespace has none. */
export async function listMaintenance(http: KubeHttp, o: { now?: () => number; signal?: AbortSignal } = {}): Promise<Maintenance[]> {
  const selector = Object.entries(MAINTENANCE_LABELS)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  let list: { items?: LeaseObject[] };
  try {
    list = await http.getJson(`/apis/coordination.k8s.io/v1/namespaces/${TRIPTYCH_NAMESPACE}/leases`, { labelSelector: selector }, o.signal);
  } catch (err) {
    // API servers answer an empty list for a missing namespace; a proxy or an older one may say 404.
    if (err instanceof KubeHttpError && err.status === 404) return [];
    throw err;
  }
  const now = (o.now ?? Date.now)();
  return (list.items ?? []).map((l) => maintenanceOf(l, now)).sort((a, b) => a.since.localeCompare(b.since));
}

/** Only those still held (not lapsed): what blocks another maintenance. */
export function activeMaintenance(all: readonly Maintenance[]): Maintenance[] {
  return all.filter((m) => !m.expired);
}
