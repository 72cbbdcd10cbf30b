import { type LivenessVerdict, livenessVerdict } from '../domain/scores.js';
import { AppError } from '../errors.js';

/** The weakest of the images decides; a failure is Verifik's 409 `liveness_failed@<score>`. */
export function requireLive(pLive: readonly number[], minScore: number): LivenessVerdict {
  const verdict = livenessVerdict(Math.min(...pLive), minScore);
  if (!verdict.passed) throw new AppError('livenessFailed', { message: `liveness_failed@${verdict.liveness_score}` });
  return verdict;
}
