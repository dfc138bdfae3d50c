/**
 * Natural ordering for names with numbers, as an operator reads them:
 * `A-2` before `A-10`, `node-9` before `node-10`.
 *
 * Hand-rolled rather than `Intl.Collator({ numeric: true })`: the collator is
 * several times slower, depends on the ICU data the runtime ships, and its
 * idea of punctuation order differs between runtimes, while the rack map and
 * the palette sort thousands of names on every update and must agree
 * everywhere.
 */

const ZERO = 48;
const NINE = 57;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** ASCII lower-casing of one char code; names are DNS labels, so ASCII is enough. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * Compares two names naturally: runs of digits compare by numeric value
 * (arbitrarily long, no precision loss), everything else case-insensitively
 * by char code. Ties are broken so the order is total and stable: fewer
 * leading zeros first (`A-7` before `A-07`), then plain code-unit order
 * (so `a` and `A` never compare equal unless the strings are equal).
 *
 * @returns negative when `a` sorts first, positive when `b` does, 0 when equal.
 */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  // First difference in leading zeros, kept as a tiebreak for equal numbers.
  let zeroTie = 0;
  while (i < la && j < lb) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Skip leading zeros, then compare the significant digits by length, then digit by digit.
      let za = i;
      while (za < la && a.charCodeAt(za) === ZERO) za++;
      let zb = j;
      while (zb < lb && b.charCodeAt(zb) === ZERO) zb++;
      let ea = za;
      while (ea < la && isDigit(a.charCodeAt(ea))) ea++;
      let eb = zb;
      while (eb < lb && isDigit(b.charCodeAt(eb))) eb++;
      const lenA = ea - za;
      const lenB = eb - zb;
      if (lenA !== lenB) return lenA - lenB;
      for (let k = 0; k < lenA; k++) {
        const d = a.charCodeAt(za + k) - b.charCodeAt(zb + k);
        if (d !== 0) return d;
      }
      if (zeroTie === 0) zeroTie = za - i - (zb - j);
      i = ea;
      j = eb;
      continue;
    }
    if (ca !== cb) {
      const d = lower(ca) - lower(cb);
      if (d !== 0) return d;
    }
    i++;
    j++;
  }
  // One is a prefix of the other (modulo case and zeros): the shorter first.
  const rest = la - i - (lb - j);
  if (rest !== 0) return rest;
  if (zeroTie !== 0) return zeroTie;
  return a < b ? -1 : a > b ? 1 : 0;
}
