/** The bench scales of the performance issue: nodes and pods per site, three sites. */
export const SCALES = {
  small: { nodes: 100, podsPerNode: 30 },
  seed: { nodes: 270, podsPerNode: 37 },
  large: { nodes: 1000, podsPerNode: 30 },
  limit: { nodes: 5000, podsPerNode: 30 },
} as const;

export type ScaleName = keyof typeof SCALES;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
