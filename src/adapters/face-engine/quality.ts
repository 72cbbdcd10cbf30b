import { qualityLimits } from '../../domain/quality-limits.js';
import type { FaceLandmarks5, FaceQuality } from '../../ports/face-engine.js';
import { ALIGNED_SIZE } from './align.js';

// Quality measures and the gates that turn them into "retake the photo" errors. Degraded faces fail safe (low
// similarity → false reject), so the gates exist to tell the user why, not to stop false accepts; thresholds are
// therefore set to catch clearly unusable photos only.

/** The server's limits, shared with the hosted page (src/domain/quality-limits.ts). */
export const qualityGates = qualityLimits;

export type QualityFailure = 'faceTooSmall' | 'faceTooBlurred' | 'faceNotFrontal';

export function qualityFailure(q: FaceQuality): QualityFailure | undefined {
  if (q.faceSize < qualityGates.minFaceSize) return 'faceTooSmall';
  if (q.yaw > qualityGates.maxYaw || q.pitch > qualityGates.maxPitch) return 'faceNotFrontal';
  if (q.sharpness < qualityGates.minSharpness) return 'faceTooBlurred';
  return undefined;
}

/**
 * Yaw and pitch (absolute degrees) from the 5 landmarks, by a simple head model: the nose tip stands in front of the
 * eye plane by about a third of the eye distance, so turning the head by θ moves it along the eye axis by
 * (depth / eyeDistance) * tan θ of the eye distance away from the midpoint (0.5). Pitch uses the same idea between the
 * eye line and the mouth line (nose at about 0.5 in the ArcFace template). Coarse (±10°), enough for a "look at the
 * camera" gate.
 */
export function poseFromLandmarks(l: FaceLandmarks5): { yaw: number; pitch: number } {
  const ex = l.rightEye[0] - l.leftEye[0];
  const ey = l.rightEye[1] - l.leftEye[1];
  const eyeDist = Math.hypot(ex, ey) || 1;
  const ux = ex / eyeDist;
  const uy = ey / eyeDist;
  // Project onto the eye axis and its normal (roll-invariant).
  const along = (p: readonly [number, number]) => (p[0] - l.leftEye[0]) * ux + (p[1] - l.leftEye[1]) * uy;
  const across = (p: readonly [number, number]) => -(p[0] - l.leftEye[0]) * uy + (p[1] - l.leftEye[1]) * ux;
  const mouthMid: [number, number] = [(l.leftMouth[0] + l.rightMouth[0]) / 2, (l.leftMouth[1] + l.rightMouth[1]) / 2];
  const eyeMid: [number, number] = [(l.leftEye[0] + l.rightEye[0]) / 2, (l.leftEye[1] + l.rightEye[1]) / 2];
  const yawRatio = along(l.nose) / eyeDist;
  const mouthDrop = across(mouthMid) - across(eyeMid);
  const pitchRatio = mouthDrop > 0 ? (across(l.nose) - across(eyeMid)) / mouthDrop : 0.5;
  const deg = (r: number, leverage: number) => (Math.atan(Math.abs(r - 0.5) * leverage) * 180) / Math.PI;
  // Leverage = 1 / (nose depth as a share of the eye distance resp. eye-to-mouth distance).
  return { yaw: deg(yawRatio, NOSE_LEVERAGE_YAW), pitch: deg(pitchRatio, NOSE_LEVERAGE_PITCH) };
}

/** Nose-tip depth ≈ 0.34 of the eye distance and ≈ 0.4 of the eye-to-mouth distance (adult head averages). */
const NOSE_LEVERAGE_YAW = 1 / 0.34;
const NOSE_LEVERAGE_PITCH = 1 / 0.4;

/**
 * Sharpness of an aligned 112x112 face (interleaved RGB floats): mean squared 4-neighbour Laplacian of the luma over
 * the inner face. Measured on the aligned crop so it does not depend on the photo's resolution.
 */
export function sharpness(aligned: Float32Array): number {
  const n = ALIGNED_SIZE;
  const luma = (x: number, y: number) => {
    const i = (y * n + x) * 3;
    return 0.299 * aligned[i]! + 0.587 * aligned[i + 1]! + 0.114 * aligned[i + 2]!;
  };
  let sum = 0;
  let count = 0;
  for (let y = 28; y < 100; y++) {
    for (let x = 24; x < 88; x++) {
      const lap = luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1) - 4 * luma(x, y);
      sum += lap * lap;
      count++;
    }
  }
  return sum / count;
}
