/**
 * The `triptych-system` namespace, made on first use at a site: maintenance
 * Leases (and the handover ConfigMaps) live there. Creating it needs rights
 * an operator may not have; a refusal says so in words an admin can act on.
 */
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { MaintenanceForbidden } from './errors';
import { TRIPTYCH_NAMESPACE } from './maintenance';

/** Creates the namespace unless it exists; throws MaintenanceForbidden when the site refuses. */
export async function ensureTriptychNamespace(http: KubeHttp, site: string): Promise<void> {
  try {
    // Looked up first, so that an identity that may not create namespaces is not refused one that exists.
    await http.getJson(`/api/v1/namespaces/${TRIPTYCH_NAMESPACE}`);
    return;
  } catch (err) {
    // Missing, or not ours to read: creating it tells which.
    if (!(err instanceof KubeHttpError) || (err.status !== 404 && err.status !== 403)) throw err;
  }
  try {
    await http.send('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: TRIPTYCH_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'triptych' } } },
    });
  } catch (err) {
    // Another console (or an admin) made it first: as good as ours.
    if (err instanceof KubeHttpError && err.status === 409) return;
    if (err instanceof KubeHttpError && err.status === 403) {
      throw new MaintenanceForbidden(
        site,
        `namespace ${TRIPTYCH_NAMESPACE} does not exist at ${site} and this identity may not create it: ${err.message}. Ask a cluster admin to run: kubectl create namespace ${TRIPTYCH_NAMESPACE}`,
      );
    }
    throw err;
  }
}
