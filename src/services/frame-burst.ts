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
