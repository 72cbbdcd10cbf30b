// The rule of image-to-image /compare (issue #11): two photos, no collection, hence no cohort to show how far a
// probe's similarities have risen. What is left to go on is how sure the recogniser is of each face: the length of
// its embedding before normalisation. On the dev set and its degraded copies (bench/score-conditions.bench.ts,
// README "Scores under deployment conditions") the median length fell from 3.84 on portraits to 3.01 on webcam-like
// copies and 2.81 on dark ones, and the impostor tail rose with it: pairs whose geometric-mean length was below 2.9
// passed cosine 0.45 about 2e-3 of the time, against 0 above 3.5. A fixed cosine threshold therefore meant FAR 4.2e-3
// on dark webcam faces. The pair's cosine loses a quadratic hinge in that length, so portraits keep their score and
// faces the recogniser is unsure of need to be closer. Fitted on the copies' pairs: 0.8 was the first weight that held
// every condition at FAR <= 1e-4 at the default 0.85; 1.0 keeps a step of margin. Both constants belong to the
// recogniser (fr_feature.onnx); another model has other lengths.

/** Geometric-mean embedding length at and above which a pair keeps its cosine. */
export const NORM_KNEE = 3.3;
/** Weight of the squared shortfall below the knee. */
export const NORM_WEIGHT = 1.0;

/** How much a pair's cosine loses for the recogniser's doubt about its two faces; 0 when a length is unknown. */
export function templateNormShift(normA: number | undefined, normB: number | undefined): number {
  if (!(normA !== undefined && normB !== undefined && normA > 0 && normB > 0)) return 0;
  const shortfall = Math.max(0, NORM_KNEE - Math.sqrt(normA * normB));
  return NORM_WEIGHT * shortfall * shortfall;
}

/** The similarity /compare decides on and calibrates its score from; never above the cosine. */
export const compareSimilarity = (cosine: number, normA: number | undefined, normB: number | undefined): number =>
  cosine - templateNormShift(normA, normB);
