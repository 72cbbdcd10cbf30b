import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ChallengeStep } from '../../src/domain/active-challenge.js';
import { capturePlan, passivePlan } from '../../src/web/sign-in/guidance.js';
import { splitMjpeg } from './browser.js';
import { evalDataDir } from './eval-data.js';

// Frame sequences cut from the dev set's two recordings of one person (30 fps MJPEG, 640x480, 241 frames = 8.0 s):
// the live recording (genuine sequences) and the same person replayed on a phone (a replay attack). Frames are
// split at the JPEG markers (no ffmpeg) and scaled as the hosted page sends active frames: 480 px long side, JPEG
// quality 0.85 (src/web/sign-in/main.ts).

export const CLIP_FPS = 30;
export const PAGE_FRAME = { longSide: 480, quality: 85 } as const;

export const liveClipPath = () => join(evalDataDir, 'video', 'live_apfol_640x480_30fps.mjpeg');
export const replayClipPath = () => join(evalDataDir, 'video', 'replay_attack_apfol_640x480_30fps.mjpeg');

export const readClip = (path: string): Buffer[] => splitMjpeg(readFileSync(path));

/** One frame as the page sends it: 480 px long side, JPEG q85. */
export const pageFrame = (jpeg: Buffer): Promise<Buffer> =>
  sharp(jpeg)
    .rotate()
    .resize(PAGE_FRAME.longSide, PAGE_FRAME.longSide, { fit: 'inside' })
    .jpeg({ quality: PAGE_FRAME.quality })
    .toBuffer();

/** Milliseconds from the first capture at which the hosted page grabs each frame of an active challenge. */
export function captureTimes(steps: readonly ChallengeStep[], framesPerStep = 5): number[] {
  const times: number[] = [];
  let t = 0;
  for (const segment of capturePlan(steps, framesPerStep)) {
    t += segment.leadMs;
    for (let j = 0; j < segment.frames; j++) times.push(t + j * segment.everyMs);
    t += Math.max(0, segment.frames - 1) * segment.everyMs;
  }
  return times;
}

/** How long the page takes to capture a challenge (first to last frame), in ms. */
export const captureDurationMs = (steps: readonly ChallengeStep[]) => captureTimes(steps).at(-1) ?? 0;

/** Frame offsets within one step at 30 fps: turns every 375 ms, blinks every 250 ms (the page's cadence). */
export function stepOffsets(step: ChallengeStep, framesPerStep = 5): number[] {
  const everyMs = (step === 'blink' ? 1000 : 1500) / Math.max(1, framesPerStep - 1);
  return Array.from({ length: framesPerStep }, (_, j) => Math.round((j * everyMs * CLIP_FPS) / 1000));
}

/**
 * Where the live recording's person performs each step, as first frames of a 5-frame stretch at the page's cadence.
 * Labelled with the real engine (`analyse(frame at 480 px, { pose, liveness, qualityGates: false })`), keeping a
 * margin of 3° and 0.15 of eye openness over the rules of src/domain/active-challenge.ts:
 *   frames 0-24 frontal (yaw -9°, eyes 1.0); 29-45 turned to the person's left (yaw down to -40°);
 *   53-69 and 111-128 turned right (+20..29°); 129-130 eyes closed (0.02) at yaw +15°; 133-177 frontal;
 *   195-215 right again. Eyes-closed frames elsewhere (32-34, 93-96, 123-126) come with a turned head.
 * `first` lists the starts whose first frame is frontal with open eyes (the server wants that of frame one).
 * The recording has one usable blink; when the challenge starts with it, the stretch is played backwards
 * (frames 159 → 129: eyes open, then closing), which a still head makes indistinguishable from forwards.
 */
export const liveStretches: Record<ChallengeStep, { starts: number[]; first: number[] }> = {
  turn_left: { starts: [0, 1, 2, 3, 4, 5, 6, 7, 8], first: [0, 1, 2] },
  turn_right: {
    starts: [107, 108, 109, 110, 112, 134, 135, 142, 143, 146, 150, 153, 157, 161, 165, 168, 175, 176, 177],
    first: [134, 135, 142, 143, 175, 176, 177],
  },
  blink: { starts: [129, 130], first: [] },
};

/** Frame indices of a genuine spliced sequence for the steps: one labelled stretch per step, in the steps' order. */
export function genuineIndices(steps: readonly ChallengeStep[], random: () => number = () => 0): number[] {
  const pick = (xs: readonly number[]) => xs[Math.floor(random() * xs.length)] as number;
  return steps.flatMap((step, k) => {
    const offsets = stepOffsets(step);
    const { starts, first } = liveStretches[step];
    if (k > 0 || first.length > 0) {
      const s = pick(k === 0 ? first : starts);
      return offsets.map((o) => s + o);
    }
    const s = pick(starts);
    return offsets.map((o) => s + o).reverse();
  });
}

/** A genuine active attempt: the live recording's person doing the steps in order, frames as the page sends them. */
export async function genuineFrames(
  clip: readonly Buffer[],
  steps: readonly ChallengeStep[],
  random?: () => number,
): Promise<Buffer[]> {
  return Promise.all(genuineIndices(steps, random).map((i) => pageFrame(clip[i] as Buffer)));
}

/**
 * Frames of a recording sampled along the page's capture timeline from `startMs` into the clip: what a replayed
 * video shows the camera (it cannot know the challenge's order).
 */
export async function clipAtCadence(clip: readonly Buffer[], times: readonly number[], startMs = 0): Promise<Buffer[]> {
  return Promise.all(
    times.map((t) => {
      const i = Math.min(clip.length - 1, Math.round(((startMs + t) * CLIP_FPS) / 1000));
      return pageFrame(clip[i] as Buffer);
    }),
  );
}

/**
 * The passive burst's timeline as the page sends it (src/web/sign-in/guidance.ts passivePlan): `frames` frames spread
 * over the window of `candidates` frames it picks them from.
 */
export const passiveTimes: readonly number[] = (() => {
  const plan = passivePlan();
  const windowMs = (plan.candidates - 1) * plan.everyMs;
  return Array.from({ length: plan.frames }, (_, i) => Math.round((i * windowMs) / (plan.frames - 1)));
})();

/** Frontal, open-eyed, live frames of the recording's person, for enrolling them (frames 10 and 155). */
export const liveEnrolmentFrames = (clip: readonly Buffer[]) =>
  Promise.all([10, 155].map((i) => pageFrame(clip[i] as Buffer)));
