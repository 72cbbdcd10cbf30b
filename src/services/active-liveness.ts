import {
  type ChallengeStep,
  challengeVerdict,
  FRAMES_PER_STEP,
  type FrameFeatures,
} from '../domain/active-challenge.js';
import { AppError } from '../errors.js';
import type { FaceEngine, FaceSample } from '../ports/face-engine.js';
import { analyseFrames, isSample, judgeBurst, type LivenessDeps } from './burst-analysis.js';
import { mostFrontal } from './frame-burst.js';

// Active liveness: the frames of the session's random challenge, filmed by the hosted page, must all be live, all
// show the same person, follow the challenge's steps in order, and be one video of one scene
// (src/domain/active-challenge.ts, src/domain/frame-continuity.ts).

/** Every frame counts toward the challenge, so none is skipped. */
const NO_SKIPPING: ReadonlySet<string> = new Set();

/** Checks the request's frames against the session's challenge, analyses them, and judges them. */
export async function activeSample(
  deps: LivenessDeps,
  steps: readonly ChallengeStep[],
  frames: readonly string[],
  minScore: number,
): Promise<FaceSample> {
  const expected = steps.length * FRAMES_PER_STEP;
  if (frames.length !== expected) {
    throw new AppError('missingParameter', {
      message: `"frames" must hold ${expected} images (${FRAMES_PER_STEP} per step)`,
    });
  }
  // The quality gates are off: heads turn on purpose.
  const analysed = await analyseFrames(
    deps,
    frames,
    { liveness: true, thumbnail: true, pose: true, qualityGates: false },
    NO_SKIPPING,
  );
  return judgeChallenge(deps.engine, steps, analysed.filter(isSample), minScore);
}

/**
 * The analysed frames of an active challenge, in order: live (the burst's median frame), one person, and following
 * the steps. Returns the most frontal frame, carrying the burst's liveness. Checks across frames go here.
 */
export function judgeChallenge(
  engine: Pick<FaceEngine, 'similarity'>,
  steps: readonly ChallengeStep[],
  analysed: FaceSample[],
  minScore: number,
): FaceSample {
  const { samples, best, liveness } = judgeBurst(engine, analysed, minScore, mostFrontal);
  const features: FrameFeatures[] = samples.map((s) => ({
    yaw: s.pose?.yaw ?? 0,
    eyesOpen: s.pose?.eyesOpen ?? 1,
    ...(s.pose ? { trace: s.pose.trace } : {}),
  }));
  // The reason stays with the server: telling an attacker which check caught a forgery would guide the next one.
  if (challengeVerdict(steps, features) !== null) throw new AppError('challengeFailed');
  return { ...best, liveness };
}
