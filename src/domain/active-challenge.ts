// Active liveness: the server picks a random sequence of steps for each session; the page films the person
// performing them, a fixed number of frames per step, in order; the server checks, frame by frame, that each
// step happened within its own stretch of frames and that nothing in that stretch contradicts it. A still photo
// cannot turn its head or blink, and a recording of someone looking around cannot know the order in advance:
// it would have to turn the right way in each stretch and never the other way.

export const challengeSteps = ['turn_left', 'turn_right', 'blink'] as const;
export type ChallengeStep = (typeof challengeSteps)[number];

/** Frames the page sends for each step (about a second of video at the page's capture rate). */
export const FRAMES_PER_STEP = 5;

/** What the engine measured on one frame. Yaw is signed: negative when the person turns to their left. */
export interface FrameFeatures {
  yaw: number;
  /** Eye openness 0 (closed) .. 1 (open), both eyes averaged. */
  eyesOpen: number;
}

/** Thresholds in degrees and openness, chosen so that a natural, small movement is enough. */
export const challengeLimits = {
  frontalYaw: 12,
  turnedYaw: 18,
  closedEyes: 0.35,
  openEyes: 0.6,
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
  if (frames.length !== steps.length * perStep || !frames[0] || !frontal(frames[0])) return false;
  return steps.every((step, k) => {
    const stretch = frames.slice(k * perStep, (k + 1) * perStep);
    return stretch.some(rules[step].performs) && !stretch.some(rules[step].contradicts);
  });
}
