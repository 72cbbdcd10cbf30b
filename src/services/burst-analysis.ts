import { AppError } from '../errors.js';
import type { AnalyseOptions, FaceEngine, FaceSample } from '../ports/face-engine.js';
import { requireSameFace } from './frame-burst.js';
import type { ImageReader } from './image-input.js';
import { burstLiveness, requireLive } from './liveness-check.js';

// The engine's work on a burst of frames, shared by the passive burst and the active challenge.

export interface LivenessDeps {
  engine: FaceEngine;
  readImage: ImageReader;
}

/** A frame's analysis, or the retake reason it was left out for. */
export type FrameOutcome = FaceSample | AppError;
export const isSample = (o: FrameOutcome): o is FaceSample => !(o instanceof AppError);

/**
 * Analyses every frame of a burst. A frame refused for one of the `skippable` reasons comes back as that error
 * instead of failing the burst; any other refusal (an unreadable image) fails it.
 *
 * The animal check runs on the first frame and the middle one only (it costs as much as the rest of the analysis):
 * every frame must be the same face as the burst's chosen one (`requireSameFace`), so one checked frame among the
 * samples vouches for all. When neither checked frame gave a sample, the next frames that did are checked again, one
 * by one, until one passes.
 */
export const analyseFrames = async (
  deps: LivenessDeps,
  frames: readonly string[],
  options: AnalyseOptions,
  skippable: ReadonlySet<string>,
): Promise<FrameOutcome[]> => {
  const checked = new Set([0, Math.floor(frames.length / 2)]);
  const analyse = async (i: number, animalCheck: boolean): Promise<FrameOutcome> => {
    try {
      return await deps.engine.analyse(await deps.readImage(frames[i]!, `frames[${i}]`), { ...options, animalCheck });
    } catch (err) {
      if (err instanceof AppError && skippable.has(err.kind)) return err;
      throw err;
    }
  };
  const outcomes = await Promise.all(frames.map((_f, i) => analyse(i, options.animalCheck ?? checked.has(i))));
  if (options.animalCheck !== undefined) return outcomes;
  // Until a checked frame gave a face, check the next unchecked one that did (an animal's burst pays for all).
  while (![...checked].some((i) => isSample(outcomes[i]!))) {
    const next = outcomes.findIndex((o, i) => isSample(o) && !checked.has(i));
    if (next < 0) break;
    checked.add(next);
    outcomes[next] = await analyse(next, true);
  }
  return outcomes;
};

/**
 * A burst of one live face: its liveness fused over the frames by `fuse` (the median unless told), and the frame
 * `choose` picks to stand for it.
 */
export function judgeBurst(
  engine: Pick<FaceEngine, 'similarity'>,
  samples: FaceSample[],
  minScore: number,
  choose: (s: readonly FaceSample[]) => FaceSample,
  fuse: (pLive: readonly number[]) => number = burstLiveness,
) {
  const liveness = fuse(samples.map((s) => s.liveness ?? 0));
  requireLive([liveness], minScore);
  const best = choose(samples);
  requireSameFace(samples, best, (a, b) => engine.similarity(a, b));
  return { samples, best, liveness };
}
