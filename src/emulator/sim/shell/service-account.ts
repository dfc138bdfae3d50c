/**
 * The projected service account volume's contents: shaped like the real
 * thing, seeded from the pod so they are reproducible, and never valid.
 */
import { Rng } from '../../rng';
import type { KObject } from '../../types';

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(0, 255);
  return b;
}

/** A certificate-shaped PEM block of seeded bytes (not a parseable certificate). */
export function fakeCert(rng: Rng): string {
  const b64 = randomBytes(rng, 800).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A projected service account token's shape, with a seeded (invalid) signature. */
export function fakeToken(pod: KObject, sa: string, startedAt: number): string {
  const rng = new Rng(`${pod.metadata.uid ?? pod.metadata.name}:token`);
  const iat = Math.floor(startedAt / 1000);
  const ns = pod.metadata.namespace ?? 'default';
  const header = { alg: 'RS256', kid: randomBytes(rng, 32).toString('base64url') };
  const payload = {
    aud: ['https://kubernetes.default.svc.cluster.local'], exp: iat + 3607, iat, iss: 'https://kubernetes.default.svc.cluster.local',
    jti: uuidOf(rng), 'kubernetes.io': { namespace: ns, pod: { name: pod.metadata.name, uid: pod.metadata.uid ?? '' }, serviceaccount: { name: sa, uid: uuidOf(rng) } },
    nbf: iat, sub: `system:serviceaccount:${ns}:${sa}`,
  };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${randomBytes(rng, 256).toString('base64url')}`;
}

function uuidOf(rng: Rng): string {
  const h = randomBytes(rng, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
