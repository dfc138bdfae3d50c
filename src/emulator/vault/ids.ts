/**
 * Identifiers the Vault emulator hands out. All come from the seeded `Rng`, so
 * the same seed yields the same tokens, accessors and lease ids.
 */
import type { Rng } from '../rng';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function draw(rng: Rng, alphabet: string, len: number): string {
  let out = '';
  for (let i = 0; i < len; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

/** Random base62 string, the alphabet of Vault accessors and lease id suffixes. */
export function base62(rng: Rng, len: number): string {
  return draw(rng, BASE62, len);
}

/** UUID-shaped id (version 4 layout), as Vault uses for request, entity and cluster ids. */
export function uuid(rng: Rng): string {
  const h = draw(rng, HEX, 32);
  const variant = HEX[8 + rng.int(0, 3)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A Vault service token: the `hvs.` prefix marks service tokens since Vault 1.10. */
export function serviceToken(rng: Rng): string {
  return `hvs.${base62(rng, 24)}`;
}

/** Random base64url text, used for the fake JWT signature. */
export function base64urlNoise(rng: Rng, len: number): string {
  return draw(rng, BASE64URL, len);
}

/** JSON → base64url without padding (JWT segment encoding). */
export function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
