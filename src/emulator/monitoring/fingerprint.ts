/**
 * Alertmanager's fingerprint of a label set (prometheus/common model
 * `LabelSet.Fingerprint`): FNV-1a 64 over the label names in sorted order,
 * each name and value followed by the separator byte 0xff, printed as 16 hex
 * digits. Same labels, same fingerprint — across restarts and consoles.
 */

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

/** The fingerprint Alertmanager would give `labels`. */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  let h = OFFSET;
  const add = (byte: number) => {
    h = ((h ^ BigInt(byte)) * PRIME) & MASK;
  };
  for (const name of Object.keys(labels).sort()) {
    for (const b of Buffer.from(name, 'utf8')) add(b);
    add(SEPARATOR);
    for (const b of Buffer.from(labels[name] ?? '', 'utf8')) add(b);
    add(SEPARATOR);
  }
  return h.toString(16).padStart(16, '0');
}
