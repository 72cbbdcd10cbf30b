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
 */
export const analyseFrames = (
  deps: LivenessDeps,
  frames: readonly string[],
  options: AnalyseOptions,
  skippable: ReadonlySet<string>,
): Promise<FrameOutcome[]> =>
  Promise.all(
    frames.map(async (f, i): Promise<FrameOutcome> => {
      try {
        return await deps.engine.analyse(await deps.readImage(f, `frames[${i}]`), options);
      } catch (err) {
        if (err instanceof AppError && skippable.has(err.kind)) return err;
        throw err;
      }
    }),
  );

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
