/** The bench scales of the performance issue: nodes and pods per site, three sites. */
export const SCALES = {
  small: { nodes: 100, podsPerNode: 30 },
  seed: { nodes: 270, podsPerNode: 37 },
  large: { nodes: 1000, podsPerNode: 30 },
  limit: { nodes: 5000, podsPerNode: 30 },
} as const;

export type ScaleName = keyof typeof SCALES;
