import {
  type ChallengeStep,
  challengeVerdict,
  FRAMES_PER_STEP,
  type FrameFeatures,
} from '../domain/active-challenge.js';
import type { LivenessSession } from '../domain/biometric-validation.js';
import { minChallengeMs } from '../domain/challenge-timing.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { FaceEngine, FaceSample } from '../ports/face-engine.js';
import { analyseFrames, isSample, judgeBurst, type LivenessDeps } from './burst-analysis.js';
import { type BurstSample, enrolmentFrames, mostFrontal } from './frame-burst.js';

// Active liveness: the frames of the session's random challenge, filmed by the hosted page, must all be live, all
// show the same person, follow the challenge's steps in order, and be one video of one scene
// (src/domain/active-challenge.ts, src/domain/frame-continuity.ts).

/** Every frame counts toward the challenge, so none is skipped. */
const NO_SKIPPING: ReadonlySet<string> = new Set();

/**
 * Frames can only follow a challenge their sender has seen, and the page takes its capture plan's time to film
 * them: frames for a challenge never handed out, or arriving well before the plan could have run, were not filmed
 * following it (challenge_failed, an attempt used). The reason stays in the error's detail, off the wire.
 */
export function requireChallengePace(
  session: Pick<LivenessSession, 'challengeIssuedAt'>,
  steps: readonly string[],
  now: Date,
) {
  if (!session.challengeIssuedAt) {
    throw new AppError('challengeFailed', { detail: { reason: 'challenge_not_fetched' } });
  }
  const elapsedMs = now.getTime() - Date.parse(session.challengeIssuedAt);
  if (!(elapsedMs >= minChallengeMs(steps))) {
    throw new AppError('challengeFailed', { detail: { reason: 'frames_too_soon', elapsedMs } });
  }
}

/** Checks the request's frames against the session's challenge, analyses them, and judges them. */
export async function activeSample(
  deps: LivenessDeps & { clock: Clock },
  session: Pick<LivenessSession, 'challengeIssuedAt'> & { challenge: readonly string[] },
  frames: readonly string[],
  minScore: number,
): Promise<BurstSample> {
  const steps = session.challenge as readonly ChallengeStep[];
  const expected = steps.length * FRAMES_PER_STEP;
  if (frames.length !== expected) {
    throw new AppError('missingParameter', {
      message: `"frames" must hold ${expected} images (${FRAMES_PER_STEP} per step)`,
    });
  }
  requireChallengePace(session, steps, deps.clock.now());
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
 * the steps. Returns the most frontal frame, carrying the burst's liveness and the frames an onboarding enrols
 * beside it. Checks across frames go here.
 */
export function judgeChallenge(
  engine: Pick<FaceEngine, 'similarity'>,
  steps: readonly ChallengeStep[],
  analysed: FaceSample[],
  minScore: number,
): BurstSample {
  const { samples, best, liveness } = judgeBurst(engine, analysed, minScore, mostFrontal);
  const features: FrameFeatures[] = samples.map((s) => ({
    yaw: s.pose?.yaw ?? 0,
    eyesOpen: s.pose?.eyesOpen ?? 1,
    ...(s.pose ? { trace: s.pose.trace } : {}),
  }));
  // The reason stays with the server: telling an attacker which check caught a forgery would guide the next one.
  if (challengeVerdict(steps, features) !== null) throw new AppError('challengeFailed');
  const alsoEnrol = enrolmentFrames(
    samples,
    best,
    (a, b) => engine.similarity(a, b),
    (s) => s.pose?.yaw ?? 90,
  );
  return { ...best, liveness, alsoEnrol };
}
