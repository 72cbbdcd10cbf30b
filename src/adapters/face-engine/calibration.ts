// placeholder, replaced after measurement
export const calibrationTable: ReadonlyArray<readonly [number, number]> = [
  [-1, 0],
  [0.1, 0.05],
  [0.2, 0.3],
  [0.3, 0.7],
  [0.36, 0.85],
  [0.45, 0.95],
  [1, 1],
];

/** Piecewise-linear, monotonic map from raw cosine (-1..1) to the API score (0..1). */
export function calibratedScore(similarity: number): number {
  const t = calibrationTable;
  if (!(similarity > t[0]![0])) return 0;
  for (let i = 1; i < t.length; i++) {
    const [x1, y1] = t[i]!;
    const [x0, y0] = t[i - 1]!;
    if (similarity <= x1) return y0 + ((similarity - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 1;
}
