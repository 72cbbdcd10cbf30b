import { faceMotion, planarResidual, sceneMatch, type TracedFrame } from './frame-continuity.js';

// Active liveness: the server picks a random sequence of steps for each session; the page films the person
// performing them, a fixed number of frames per step, in order; the server checks, frame by frame, that each
// step happened within its own stretch of frames and that nothing in that stretch contradicts it. A still photo
// cannot turn its head or blink, and a recording of someone looking around cannot know the order in advance:
// it would have to turn the right way in each stretch and never the other way.
//
// The frames are also judged as one video (see frame-continuity.ts): one camera, one scene and light, a face that
// moves a little between neighbouring frames, turns that are not a flat picture tilted. Still photos stitched together (a frontal photo, a turned one, its mirror, painted-over eyes) break these,
// whatever their order. Everything a page sends can be forged, so only the frames decide.

export const challengeSteps = ['turn_left', 'turn_right', 'blink'] as const;
export type ChallengeStep = (typeof challengeSteps)[number];

/** Frames the page sends for each step (about a second of video at the page's capture rate). */
export const FRAMES_PER_STEP = 5;

/** What the engine measured on one frame. Yaw is signed: negative when the person turns to their left. */
export interface FrameFeatures {
  yaw: number;
  /** Eye openness 0 (closed) .. 1 (open), both eyes averaged. */
  eyesOpen: number;
  /** What the frame is judged on as part of a video; without it only the steps are checked. */
  trace?: TracedFrame;
}

/** Why frames that were sent as a video are not one. */
export type ChallengeFailure = 'steps_not_followed' | 'not_one_camera' | 'scene_changed' | 'face_jumped' | 'flat_turn';

/** Thresholds in degrees and openness, chosen so that a natural, small movement is enough. */
export const challengeLimits = {
  frontalYaw: 12,
  turnedYaw: 18,
  closedEyes: 0.35,
  openEyes: 0.6,
} as const;

/**
 * Limits of the video checks, measured on a live webcam recording (dev set, frames 250 to 400 ms apart as the page
 * takes them) against composites of web photos (see the README's liveness section for the figures):
 * - the background outside the head correlates at 0.97 or more between live frames; two different photos at -0.2
 *   to 0.3. The best of small shifts is taken, so a hand-held phone that moves a few percent still matches.
 * - the live face moved at most 0.27 of its size in 400 ms, and its size changed by at most 10 %.
 * - a head turn leaves landmarks 0.07 to 0.28 interocular distances off the best homography from the frontal frame;
 *   a tilted picture of a frontal face 0.01 to 0.02.
 */
export const videoLimits = {
  minSceneCorrelation: 0.5,
  /** Background standard deviation (grey levels) under which a plain wall cannot be correlated. */
  minSceneTexture: 6,
  /** Change of the background's mean brightness between neighbouring frames (auto exposure moved it by 17). */
  maxLightChange: 45,
  /** Face shift (in face sizes) and size ratio between frames of one step, and across the pause between steps. */
  withinStep: { shift: 0.6, scale: 1.4 },
  acrossSteps: { shift: 1.2, scale: 1.8 },
  minTurnResidual: 0.04,
} as const;

/** A random order of every step, from a uniform random source in [0, 1). */
export function pickChallenge(random: () => number): ChallengeStep[] {
  const steps: ChallengeStep[] = [...challengeSteps];
  for (let i = steps.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [steps[i], steps[j]] = [steps[j] as ChallengeStep, steps[i] as ChallengeStep];
  }
  return steps;
}

const L = challengeLimits;
const frontal = (f: FrameFeatures) => Math.abs(f.yaw) <= L.frontalYaw && f.eyesOpen >= L.openEyes;
const turnedLeft = (f: FrameFeatures) => f.yaw <= -L.turnedYaw;
const turnedRight = (f: FrameFeatures) => f.yaw >= L.turnedYaw;
const closed = (f: FrameFeatures) => f.eyesOpen <= L.closedEyes;

/** Whether a frame performs the step, and whether it contradicts it. */
const rules: Record<ChallengeStep, { performs(f: FrameFeatures): boolean; contradicts(f: FrameFeatures): boolean }> = {
  turn_left: { performs: turnedLeft, contradicts: turnedRight },
  turn_right: { performs: turnedRight, contradicts: turnedLeft },
  blink: {
    performs: (f) => closed(f) && Math.abs(f.yaw) < L.turnedYaw,
    contradicts: (f) => turnedLeft(f) || turnedRight(f),
  },
};

/**
 * True when the frames (FRAMES_PER_STEP per step, in the steps' order) start frontal with open eyes, and each
 * step is performed within its own stretch of frames, with no frame of that stretch contradicting it.
 */
export function followsChallenge(
  steps: readonly ChallengeStep[],
  frames: readonly FrameFeatures[],
  perStep = FRAMES_PER_STEP,
): boolean {
  return challengeVerdict(steps, frames, perStep) === null;
}

/** Null when the frames follow the challenge as one live video; otherwise the first reason they do not. */
export function challengeVerdict(
  steps: readonly ChallengeStep[],
  frames: readonly FrameFeatures[],
  perStep = FRAMES_PER_STEP,
): ChallengeFailure | null {
  if (frames.length !== steps.length * perStep || !frames[0] || !frontal(frames[0])) return 'steps_not_followed';
  const followed = steps.every((step, k) => {
    const stretch = frames.slice(k * perStep, (k + 1) * perStep);
    return stretch.some(rules[step].performs) && !stretch.some(rules[step].contradicts);
  });
  if (!followed) return 'steps_not_followed';
  const traced = frames.map((f) => f.trace);
  if (!traced.every((t): t is TracedFrame => t !== undefined)) return null;
  return videoFailure(traced, perStep) ?? movementFailure(steps, frames, traced, perStep);
}

/** One camera, one scene and light, a face that moves a plausible distance between neighbouring frames. */
function videoFailure(traced: readonly TracedFrame[], perStep: number): ChallengeFailure | null {
  const V = videoLimits;
  const [first] = traced;
  if (!first || traced.some((t) => t.width !== first.width || t.height !== first.height)) return 'not_one_camera';
  for (let i = 1; i < traced.length; i++) {
    const a = traced[i - 1]!;
    const b = traced[i]!;
    const scene = sceneMatch(a, b);
    if (scene.light > V.maxLightChange) return 'scene_changed';
    if (scene.texture >= V.minSceneTexture && scene.ncc < V.minSceneCorrelation) return 'scene_changed';
    const limit = i % perStep === 0 ? V.acrossSteps : V.withinStep;
    const moved = faceMotion(a, b);
    if (moved.shift > limit.shift || moved.scale > limit.scale) return 'face_jumped';
  }
  return null;
}

/**
 * Turns that move the face as a solid, not as a tilted picture. (Blinks are not judged on the lid landmarks: on the
 * dev webcam clip a real blink's eye aspect fell only to 0.83-0.92 of the open eyes of another second, about what
 * painted-over eyes keep, so such a rule would refuse live people without stopping a still.)
 */
function movementFailure(
  steps: readonly ChallengeStep[],
  frames: readonly FrameFeatures[],
  traced: readonly TracedFrame[],
  perStep: number,
): ChallengeFailure | null {
  const all = frames.map((f, i) => ({ f, t: traced[i]! }));
  const reference = all.filter(({ f }) => frontal(f)).reduce((a, b) => (Math.abs(b.f.yaw) < Math.abs(a.f.yaw) ? b : a));
  for (const [k, step] of steps.entries()) {
    if (step === 'blink') continue;
    const doing = all.slice(k * perStep, (k + 1) * perStep).filter(({ f }) => rules[step].performs(f));
    if (!doing.some(({ t }) => planarResidual(reference.t.points, t.points) >= videoLimits.minTurnResidual)) {
      return 'flat_turn';
    }
  }
  return null;
}
