import { AppError } from '../errors.js';
import type { FaceSample } from '../ports/face-engine.js';
import { analyseFrames, isSample, judgeBurst, type LivenessDeps } from './burst-analysis.js';
import { type BurstSample, enrolmentFrames, sharpestFrontal } from './frame-burst.js';
import { passiveBurstLiveness, requireLive } from './liveness-check.js';

// Passive liveness: the model looks for presentation artefacts (print, screen) in one image, or in a short burst of
// still frames of one face (the hosted page's: a single webcam frame of a live face can score near zero, so the
// burst passes when several of its frames do; see passiveBurstLiveness).

/**
 * Frames of a passive burst. At least two, or it is a single photo; at most eight, so that one attempt costs the
 * engine a bounded amount of work (the hosted page sends eight, the sharpest of a 1.4 s window).
 */
export const PASSIVE_FRAMES = { min: 2, max: 8 } as const;
/** Frames of a passive burst that may be left out (the same gates as a single image, applied per frame). */
const SKIPPABLE_FRAME: ReadonlySet<string> = new Set(['noFace', 'faceTooSmall', 'faceTooBlurred', 'faceNotFrontal']);

/** One uploaded image (what Verifik's clients send), live at `minScore`. */
export async function passiveImageSample(deps: LivenessDeps, image: string, minScore: number): Promise<FaceSample> {
  const sample = await deps.engine.analyse(await deps.readImage(image, 'image'), { liveness: true, thumbnail: true });
  requireLive([sample.liveness ?? 0], minScore);
  return sample;
}

/**
 * The passive burst: a frame that only needs a retake (blurred by a movement, no face for an instant) is left out
 * while most of the burst is usable, so one bad frame does not send the person back to the camera. Otherwise the
 * first frame's reason is the answer. An image that is not an image is never skipped.
 */
export async function passiveBurstSample(
  deps: LivenessDeps,
  frames: readonly string[],
  minScore: number,
): Promise<BurstSample> {
  const n = frames.length;
  if (n < PASSIVE_FRAMES.min || n > PASSIVE_FRAMES.max) {
    throw new AppError('missingParameter', {
      message: `"frames" must hold ${PASSIVE_FRAMES.min} to ${PASSIVE_FRAMES.max} images in passive mode (or send one "image")`,
    });
  }
  const outcomes = await analyseFrames(deps, frames, { liveness: true, thumbnail: true }, SKIPPABLE_FRAME);
  const usable = outcomes.filter(isSample);
  if (usable.length < PASSIVE_FRAMES.min || usable.length * 2 < frames.length) {
    throw outcomes.find((o) => o instanceof AppError);
  }
  const { samples, best, liveness } = judgeBurst(deps.engine, usable, minScore, sharpestFrontal, passiveBurstLiveness);
  const alsoEnrol = enrolmentFrames(samples, best, (a, b) => deps.engine.similarity(a, b));
  return { ...best, liveness, alsoEnrol };
}
