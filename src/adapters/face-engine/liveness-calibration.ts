// Calibration of passive liveness: the model's P(live) (softmax[0] of fr_liveness.onnx) → the API's liveness score,
// a shift in log-odds so that the default threshold (0.6) stands for a measured operating point, as the similarity
// calibration does for compare and search.
//
// Why: the model's own 0.5 suits the well-lit portraits it was trained on, not webcams. Measured with
// `facegate eval` and the dev camera clips (../shared/eval-data/dev, one subject, one room: thin data):
//   - live webcam frames, dim and backlit: raw P(live) 0.010-0.87 (median 0.13); single video frames 0.001-0.84;
//   - phone replays of the same person: raw ≤ 0.021 (11 stills), ≤ 0.004 (80 video frames);
//   - bona fide portrait photos (236 dev identity photos): 232 above 0.05.
// So raw 0.5 refused 10 of 11 genuine webcam frames. The default threshold now sits at raw 0.05, a factor e in odds
// above the highest replay measured (0.021), not at the edge of the dev frames.
//
//   raw P(live)  score   replays above (of 11)   webcam frames at or below (of 11)   portraits at or below (of 236)
//   0.021        0.38    0                       3                                   2
//   0.05         0.60    0                       3                                   4     ← default threshold
//   0.10         0.76    0                       5                                   8
//   0.24         0.90    0                       8                                   13    (highest a flow may set)
//   0.50         0.97    0                       10                                  23    (the model's own 0.5)
//
// Passive single-image liveness stays a weak control (a screen showing a sharp photo can pass); the hosted page's
// active mode adds a random head-movement challenge.

/** Raw P(live) that the default threshold stands for. */
export const RAW_AT_DEFAULT = 0.05;
/** The service's default liveness threshold (Verifik's). */
export const DEFAULT_LIVENESS_THRESHOLD = 0.6;

const logit = (p: number) => Math.log(p / (1 - p));
const SHIFT = logit(DEFAULT_LIVENESS_THRESHOLD) - logit(RAW_AT_DEFAULT);

/** Monotonic map from the model's P(live) (0..1) to the API's liveness score (0..1). */
export function calibratedLiveness(pLive: number): number {
  if (!(pLive > 0)) return 0;
  if (pLive >= 1) return 1;
  return 1 / (1 + Math.exp(-(logit(pLive) + SHIFT)));
}
