/**
 * Bearer tokens from Vault in place of the kubeconfig's credentials, against
 * the training fleet's API server: the token asked for per request, no
 * request without one, and a 401 reported with the token it refused.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { KubeHttp, KubeHttpError, NoCredentialsError, type BearerSource } from './http';

let t: TestFleet;
let kc: KubeConfig;
let site: string;

beforeAll(async () => {
  t = await startTestFleet({ sites: 1 });
  site = t.fleet.sites[0]?.site.name as string;
  kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  kc.setCurrentContext(`${site}-viewer`);
});
afterAll(async () => {
  await t?.close();
});

function withBearer(token: () => string | undefined): { http: KubeHttp; refused: (string | undefined)[] } {
  const refused: (string | undefined)[] = [];
  const bearer: BearerSource = {
    token,
    missing: () => ({ state: 'awaiting-credentials', message: 'Sign in to Vault to connect' }),
    onUnauthorized: (used) => refused.push(used),
  };
  return { http: new KubeHttp(kc, kc.getCurrentCluster()?.server as string, { bearer }), refused };
}

describe('KubeHttp with a bearer source', () => {
  it("sends the source's token instead of the kubeconfig's, asking for it on every request", async () => {
    let current: string | undefined = t.fleet.site(site).tokens.operator;
    const { http, refused } = withBearer(() => current);
    try {
      await expect(http.getJson('/api/v1/namespaces')).resolves.toMatchObject({ kind: 'NamespaceList' });
      // The kubeconfig's viewer token is valid; a refused request proves it was not the one sent.
      current = 'not-a-token-the-cluster-knows';
      await expect(http.getJson('/api/v1/namespaces')).rejects.toMatchObject({ status: 401 });
      expect(refused).toEqual(['not-a-token-the-cluster-knows']);
      const opts = await http.connectOptions();
      expect(opts.headers).toEqual({ Authorization: 'Bearer not-a-token-the-cluster-knows' });
      expect(opts.usedToken).toBe('not-a-token-the-cluster-knows');
    } finally {
      http.close();
    }
  });

  it('writes with the bearer token: a merge patch, then a refusal in the server\'s words', async () => {
    const { http } = withBearer(() => t.fleet.site(site).tokens.admin);
    try {
      const ns = await http.send<{ metadata: { labels: Record<string, string> } }>('PATCH', '/api/v1/namespaces/default', { body: { metadata: { labels: { 'triptych.io/test': 'yes' } } }, contentType: 'application/merge-patch+json' });
      expect(ns.metadata.labels['triptych.io/test']).toBe('yes');
      await expect(http.send('PATCH', '/api/v1/namespaces/default', { body: { metadata: {} }, contentType: 'text/plain' })).rejects.toMatchObject({ status: 415 });
      await expect(http.send('DELETE', '/api/v1/namespaces/no-such-namespace')).rejects.toMatchObject({ status: 404, reason: 'NotFound' });
    } finally {
      http.close();
    }
  });

  it('without a token, sends nothing and fails with the reason the source gives', async () => {
    const { http, refused } = withBearer(() => undefined);
    try {
      const err = await http.getJson('/api/v1/namespaces').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NoCredentialsError);
      expect(err).toBeInstanceOf(KubeHttpError);
      expect(err).toMatchObject({ status: 401, reason: 'NoCredentials', message: 'Sign in to Vault to connect' });
      // Nothing was refused: nothing was sent.
      expect(refused).toEqual([]);
    } finally {
      http.close();
    }
  });
});
