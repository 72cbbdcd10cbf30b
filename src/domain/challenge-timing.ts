// How long the hosted page takes to film an active challenge, and the least time the server accepts between handing
// the challenge out and receiving its frames: frames that arrive sooner were not filmed by the page following it.
// The page's plan is `capturePlan` in src/web/sign-in/guidance.ts. The page's modules are served from their own
// directory and cannot import domain code, so its durations are mirrored here; challenge-timing.test.ts checks that
// both give the same total for every order of steps.

/** Milliseconds of the page's plan, with the default five frames per step. */
export const capturePlanMs = {
  /** From the first to the last frame of a head turn, and of a blink (blinks are short). */
  turn: 1500,
  blink: 1000,
  /** Between two steps, the person looks back at the camera; then the instruction shows before the first frame. */
  pause: 1000,
  turnLead: 100,
  blinkLead: 150,
} as const;

/** Share of the planned duration below which the frames cannot have been filmed by the page. */
export const MIN_CAPTURE_SHARE = 0.7;

/** The page's capture plan for these steps, first frame to last, in milliseconds. */
export function plannedCaptureMs(steps: readonly string[]): number {
  const P = capturePlanMs;
  return steps.reduce((ms, step, k) => {
    const blink = step === 'blink';
    const lead = k === 0 ? 0 : P.pause + (blink ? P.blinkLead : P.turnLead);
    return ms + lead + (blink ? P.blink : P.turn);
  }, 0);
}

/** The least time, in milliseconds, between handing out a challenge of these steps and accepting its frames. */
export const minChallengeMs = (steps: readonly string[]): number =>
  Math.floor(plannedCaptureMs(steps) * MIN_CAPTURE_SHARE);
