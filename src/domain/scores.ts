// Score rules shared by every route that reports one, so that a liveness or match decision means the same thing
// everywhere. They follow Verifik: liveness passes iff score > min_score, a comparison iff score ≥ min_score.

/** Scores are reported with four decimals. */
export const roundScore = (x: number): number => Math.round(x * 10_000) / 10_000;

export interface LivenessVerdict {
  liveness_score: number;
  min_score: number;
  passed: boolean;
}

export function livenessVerdict(pLive: number, minScore: number): LivenessVerdict {
  const score = roundScore(pLive);
  return { liveness_score: score, min_score: minScore, passed: score > minScore };
}

export const matchPassed = (score: number, minScore: number): boolean => score >= minScore;
