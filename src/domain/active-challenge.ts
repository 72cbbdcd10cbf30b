// Active liveness: the server picks a random sequence of steps for each session; the page films the person
// performing them; the server checks, frame by frame, that the head pose and eyes followed the steps in order.
// A still photo cannot turn its head or blink, and a recorded video cannot know the order in advance.

export const challengeSteps = ['turn_left', 'turn_right', 'blink'] as const;
export type ChallengeStep = (typeof challengeSteps)[number];

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
const performs = (step: ChallengeStep, f: FrameFeatures) => {
  switch (step) {
    case 'turn_left':
      return f.yaw <= -L.turnedYaw;
    case 'turn_right':
      return f.yaw >= L.turnedYaw;
    case 'blink':
      return Math.abs(f.yaw) <= L.turnedYaw && f.eyesOpen <= L.closedEyes;
  }
};

/**
 * True when the frames start frontal with open eyes and then perform every step in the given order, each step
 * followed by a return towards frontal before the next one (so one long head turn cannot count twice).
 */
export function followsChallenge(steps: readonly ChallengeStep[], frames: readonly FrameFeatures[]): boolean {
  let i = frames.findIndex(frontal);
  if (i < 0) return false;
  for (const step of steps) {
    const done = frames.findIndex((f, j) => j > i && performs(step, f));
    if (done < 0) return false;
    // Back to neutral before the next step.
    const back = frames.findIndex((f, j) => j > done && frontal(f));
    if (back < 0 && step !== steps[steps.length - 1]) return false;
    i = back < 0 ? done : back;
  }
  return true;
}
