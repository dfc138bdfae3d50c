/** A name cut into runs of matched and unmatched characters, for highlighting a search hit as text. */
export interface Segment {
  text: string;
  hit: boolean;
}

/** Splits `name` at the matched `positions` (ascending indices, as `search` returns them). */
export function segments(name: string, positions: readonly number[]): Segment[] {
  const hits = new Set(positions);
  const out: Segment[] = [];
  for (let i = 0; i < name.length; i++) {
    const hit = hits.has(i);
    const last = out[out.length - 1];
    if (last !== undefined && last.hit === hit) last.text += name[i];
    else out.push({ text: name[i]!, hit });
  }
  return out;
}
