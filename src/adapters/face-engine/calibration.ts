// Calibration: raw cosine similarity of two templates (-1..1) → the API's score (0..1), piecewise linear and
// strictly increasing, so thresholds stay ordered. The default thresholds (compare 0.85, search 0.85) sit at
// cosine 0.45.
//
// How it was measured: `facegate eval --data ../shared/eval-data/dev` pipeline (fr_feature.onnx, BGR input,
// dominant face, no flip), all-vs-all over 236 photos of 34 people = 801 genuine and 26,929 impostor pairs
// (LFW 250x250, Glint 112x112 pre-aligned crops, full-size web photos), 2026-11-25.
//
//   cosine  score   FAR (impostor pairs above)   FRR (genuine pairs at or below)
//   0.20    0.40    2.9e-2 (770)                 1.1 %
//   0.25    0.50    9.3e-3 (249)                 1.9 %
//   0.30    0.60    2.5e-3 (68)                  4.2 %
//   0.35    0.70    8.2e-4 (22)                  7.2 %
//   0.40    0.78    2.6e-4 (7)                   11.9 %
//   0.45    0.85    3.7e-5 (1)                   15.1 %   ← default threshold: FAR below 1e-4
//   0.50    0.89    0 (highest impostor 0.458)   20.6 %
//   0.60    0.94    0                            32.1 %
//
// The FRR is dominated by low-resolution pre-aligned crops and cluttered web photos; on camera-like photos (LFW,
// full-size portraits) no genuine pair scored below 0.40. 27k impostor pairs cannot pin FAR much below 1e-4: re-measure
// on a larger, deployment-like set before relying on thresholds above 0.85.

export const calibrationTable: ReadonlyArray<readonly [cosine: number, score: number]> = [
  [-1, 0],
  [0, 0.05],
  [0.2, 0.4],
  [0.25, 0.5],
  [0.3, 0.6],
  [0.35, 0.7],
  [0.4, 0.78],
  [0.45, 0.85],
  [0.5, 0.89],
  [0.6, 0.94],
  [0.75, 0.98],
  [1, 1],
];

/** Piecewise-linear, monotonic map from raw cosine (-1..1) to the API score (0..1). */
export function calibratedScore(similarity: number): number {
  const t = calibrationTable;
  if (Number.isNaN(similarity) || similarity <= t[0]![0]) return 0;
  for (let i = 1; i < t.length; i++) {
    const [x1, y1] = t[i]!;
    const [x0, y0] = t[i - 1]!;
    if (similarity <= x1) return y0 + ((similarity - x0) / (x1 - x0)) * (y1 - y0);
  }
  return 1;
}

/** Inverse of calibratedScore: the cosine a score threshold stands for. */
export function similarityForScore(score: number): number {
  const t = calibrationTable;
  if (score <= t[0]![1]) return t[0]![0];
  for (let i = 1; i < t.length; i++) {
    const [x1, y1] = t[i]!;
    const [x0, y0] = t[i - 1]!;
    if (score <= y1) return x0 + ((score - y0) / (y1 - y0)) * (x1 - x0);
  }
  return 1;
}
