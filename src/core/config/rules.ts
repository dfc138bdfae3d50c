/**
 * The syntax rules triptych.yaml's values must follow, each with the wording
 * an error uses to explain it.
 */

/** Site ids appear in URLs, file names and logs: lower-case letters, digits and `-`. */
export const SITE_ID = /^[a-z0-9-]+$/;

/** Hex colours: `#rgb` or `#rrggbb`. Translucent colours would blur the site's identity, so no alpha. */
export const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** `#abc` → `#aabbcc`, lower-case, so that views can compare and derive colours. */
export function normalizeColor(hex: string): string {
  const h = hex.toLowerCase();
  return h.length === 4 ? `#${h[1]}${h[1]}${h[2]}${h[2]}${h[3]}${h[3]}` : h;
}

const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes' rule for label keys: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash === -1) return LABEL_NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && LABEL_NAME.test(key.slice(slash + 1));
}

/** Node names are DNS subdomains (kubelet lower-cases the host name). */
export function isNodeName(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}
