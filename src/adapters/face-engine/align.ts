import type { FaceLandmarks5, Point } from '../../ports/face-engine.js';
import type { Affine } from './raw-image.js';

// Alignment to the ArcFace 112x112 template by a least-squares similarity transform (Umeyama without reflection).

export const ARCFACE_TEMPLATE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

export const ALIGNED_SIZE = 112;

export function landmarkArray(l: FaceLandmarks5): Point[] {
  return [l.leftEye, l.rightEye, l.nose, l.leftMouth, l.rightMouth];
}

/**
 * Least-squares similarity (scale, rotation, translation) that maps `src` onto `dst`. Returns [a, b, tx, ty] for
 * x' = a*x - b*y + tx, y' = b*x + a*y + ty.
 */
export function similarityTransform(src: readonly Point[], dst: readonly Point[]): [number, number, number, number] {
  const n = src.length;
  let sx = 0;
  let sy = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0];
    sy += src[i]![1];
    dx += dst[i]![0];
    dy += dst[i]![1];
  }
  sx /= n;
  sy /= n;
  dx /= n;
  dy /= n;
  let num1 = 0;
  let num2 = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx;
    const py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx;
    const qy = dst[i]![1] - dy;
    num1 += px * qx + py * qy;
    num2 += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (den === 0) return [1, 0, dx - sx, dy - sy];
  const a = num1 / den;
  const b = num2 / den;
  return [a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)];
}

/** The affine that maps aligned-crop pixels back to source pixels (what the warp samples). */
export function alignmentAffine(landmarks: FaceLandmarks5, template: readonly Point[] = ARCFACE_TEMPLATE): Affine {
  const [a, b, tx, ty] = similarityTransform(landmarkArray(landmarks), template);
  // Inverse of [[a, -b], [b, a]] is [[a, b], [-b, a]] / (a² + b²).
  const s = a * a + b * b;
  const ia = a / s;
  const ib = b / s;
  return [ia, ib, -(ia * tx + ib * ty), -ib, ia, -(-ib * tx + ia * ty)];
}
