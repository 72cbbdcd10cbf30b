import { AppError } from '../errors.js';
import type { FaceSample } from '../ports/face-engine.js';

// A burst of frames of one person: the active-liveness challenge, or the hosted page's passive burst. Which frame
// stands for the burst (it is searched, enrolled and shown as the thumbnail), and the rule that every frame shows
// the same person, so a burst cannot borrow its liveness from one face and its identity from another.

/** Raw cosine under which two frames of one burst are taken for different people. */
const SAME_PERSON_SIMILARITY = 0.3;
/**
 * Degrees of yaw within which passive frames count as equally frontal. The landmark pose estimate is coarse, and a
 * person holding still for half a second moves by less than this, so within it sharpness is the better guide.
 */
const FRONTAL_TOLERANCE_DEG = 5;

/** Templates an onboarding enrols from one burst: the frame that stands for it and up to two others. */
export const ENROLMENT_FRAMES = 3;
/** Eye openness under which a frame is not enrolled (a blink's template is a worse picture of the person). */
const OPEN_EYES = 0.6;
/**
 * Share of the best frame's sharpness a frame needs to be enrolled beside it. The least similar frame of a burst
 * is otherwise the most blurred one (a challenge's frames skip the blur gate), a poorer template, not a new view.
 */
const MIN_RELATIVE_SHARPNESS = 0.5;

/** A burst's chosen frame, carrying the other frames an onboarding enrols beside it (none for a single image). */
export type BurstSample = FaceSample & { alsoEnrol?: readonly FaceSample[] };

/**
 * The frames an onboarding enrols beside `best` (README, "Scores under deployment conditions"): the person's
 * second template is what lets the match rule blend, and a genuine login clears it more often with several. Only
 * frames as frontal as `best` within the frontal tolerance (never a head-turn frame), with open eyes, and about as
 * sharp; among
 * them, greedily, the one least similar to the frames chosen already, so each template adds what the others lack
 * (a burst's frames are alike: the template closest to a near-copy adds nothing). Ties go to the sharper frame.
 * `yawOf` is the burst's pose estimate: the detector's for a passive burst, the head pose for a challenge.
 */
export function enrolmentFrames(
  samples: readonly FaceSample[],
  best: FaceSample,
  similarity: (a: Float32Array, b: Float32Array) => number,
  yawOf: (s: FaceSample) => number = (s) => s.face.quality.yaw,
): FaceSample[] {
  const maxYaw = Math.abs(yawOf(best)) + FRONTAL_TOLERANCE_DEG;
  const candidates = samples.filter(
    (s) =>
      s !== best &&
      Math.abs(yawOf(s)) <= maxYaw &&
      (s.pose?.eyesOpen ?? 1) >= OPEN_EYES &&
      s.face.quality.sharpness >= MIN_RELATIVE_SHARPNESS * best.face.quality.sharpness,
  );
  const chosen: FaceSample[] = [best];
  while (chosen.length < ENROLMENT_FRAMES && candidates.length > 0) {
    const closeness = candidates.map((c) => Math.max(...chosen.map((k) => similarity(c.template, k.template))));
    let pick = 0;
    for (let i = 1; i < candidates.length; i++) {
      const nearer = closeness[i]! - closeness[pick]!;
      if (
        nearer < 0 ||
        (nearer === 0 && candidates[i]!.face.quality.sharpness > candidates[pick]!.face.quality.sharpness)
      )
        pick = i;
    }
    chosen.push(...candidates.splice(pick, 1));
  }
  return chosen.slice(1);
}

/** Active liveness: the frame with the most frontal head pose (the burst turns the head on purpose). */
export function mostFrontal(samples: readonly FaceSample[]): FaceSample {
  return samples.reduce((a, b) => (Math.abs(b.pose?.yaw ?? 90) < Math.abs(a.pose?.yaw ?? 90) ? b : a));
}

/**
 * Passive burst: the sharpest of the frames about as frontal as the most frontal one. The frames differ mostly in
 * motion blur, not in pose, and blur costs the template more than a few degrees of yaw do.
 */
export function sharpestFrontal(samples: readonly FaceSample[]): FaceSample {
  const minYaw = Math.min(...samples.map((s) => s.face.quality.yaw));
  const frontal = samples.filter((s) => s.face.quality.yaw <= minYaw + FRONTAL_TOLERANCE_DEG);
  return frontal.reduce((a, b) => (b.face.quality.sharpness > a.face.quality.sharpness ? b : a));
}

/** Every frame must show the same person as `best`, else 409 `challenge_failed@different_faces`. */
export function requireSameFace(
  samples: readonly FaceSample[],
  best: FaceSample,
  similarity: (a: Float32Array, b: Float32Array) => number,
): void {
  if (samples.some((s) => similarity(s.template, best.template) < SAME_PERSON_SIMILARITY)) {
    throw new AppError('challengeFailed', { shown: 'different_faces' });
  }
}
