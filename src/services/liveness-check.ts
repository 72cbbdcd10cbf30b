import { type LivenessVerdict, livenessVerdict } from '../domain/scores.js';
import { AppError } from '../errors.js';

/**
 * Separate images (enrolment photos): the weakest one decides. A failure is Verifik's 409 `liveness_failed`, with
 * the verdict in the error's `detail` (kept for the records, never sent). Only an integrator's call (API token) may
 * put the score in the message, as Verifik does (`liveness_failed@<score>`): an anonymous caller must not learn it.
 */
export function requireLive(
  pLive: readonly number[],
  minScore: number,
  options: { scoreInMessage?: boolean } = {},
): LivenessVerdict {
  const verdict = livenessVerdict(Math.min(...pLive), minScore);
  if (!verdict.passed) {
    throw new AppError('livenessFailed', {
      ...(options.scoreInMessage ? { shown: verdict.liveness_score } : {}),
      detail: { livenessScore: verdict.liveness_score, minScore: verdict.min_score },
    });
  }
  return verdict;
}

/**
 * The liveness of one burst of frames of one person (active liveness, and the hosted page's passive burst): its
 * median frame. A passive model misreads
 * single frames of a moving head (a turned or blurred face scores near zero), while a screen or a print is in every
 * frame of the burst, so the median keeps the attack signal and drops the one-frame dips. On the dev camera clips
 * (raw model P(live)), single live frames ranged 0.001-0.84 and medians of 10 frames never fell below 0.01; every
 * frame of the replay stayed below 0.004.
 */
export function burstLiveness(pLive: readonly number[]): number {
  const sorted = [...pLive].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The liveness of the hosted page's passive burst of still frames: the score that the `k`-th best frame reaches,
 * k = max(2, ceil(3n/8)) (3 of 8 frames, 2 of 3, both of 2). A live webcam face scores high in some frames and near
 * zero in others (a blink, motion blur, a compression artefact), while a screen or a print is low in nearly every
 * frame; asking for several good frames rather than half keeps the attack signal and lets a dim webcam through.
 * Measured with bench/passive-burst.bench.ts over every stretch of the dev clips: see the README.
 */
export function passiveBurstLiveness(pLive: readonly number[]): number {
  if (pLive.length === 0) return 0;
  const desc = [...pLive].sort((a, b) => b - a);
  const k = Math.min(desc.length, Math.max(2, Math.ceil((3 * desc.length) / 8)));
  return desc[k - 1]!;
}
