import * as ort from 'onnxruntime-node';
import type { FaceBox, FaceLandmarks5, Point } from '../../ports/face-engine.js';
import { cropResize, type Rect, type Sampleable, toGray } from './raw-image.js';

// 68-point landmark model (fr_landmark.onnx): input 1x1x64x64 grey/256 of the face box, output 68 (x, y) pairs as
// fractions of that crop.

const SIZE = 64;

export type Landmarks68 = Float32Array; // 136 numbers: x0, y0, x1, y1, … in image pixels

export async function runLandmarks(session: ort.InferenceSession, img: Sampleable, box: FaceBox): Promise<Landmarks68> {
  const rect: Rect = { x: box.left, y: box.top, width: box.right - box.left, height: box.bottom - box.top };
  const gray = toGray(cropResize(img, rect, SIZE, SIZE), SIZE * SIZE);
  for (let i = 0; i < gray.length; i++) gray[i] = gray[i]! / 256;
  const out = await session.run({ input: new ort.Tensor('float32', gray, [1, 1, SIZE, SIZE]) });
  const raw = out['output']!.data as Float32Array;
  const pts = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    pts[i * 2] = rect.x + raw[i * 2]! * rect.width;
    pts[i * 2 + 1] = rect.y + raw[i * 2 + 1]! * rect.height;
  }
  return pts;
}

function mean(pts: Landmarks68, indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += pts[i * 2]!;
    y += pts[i * 2 + 1]!;
  }
  return [x / indices.length, y / indices.length];
}

/** The 5 points of the ArcFace template, from the iBUG 68-point layout (the subject's right eye is on image left). */
export function fivePoints(pts: Landmarks68): FaceLandmarks5 {
  return {
    leftEye: mean(pts, [36, 37, 38, 39, 40, 41]),
    rightEye: mean(pts, [42, 43, 44, 45, 46, 47]),
    nose: mean(pts, [30]),
    leftMouth: mean(pts, [48, 60]),
    rightMouth: mean(pts, [54, 64]),
  };
}

/** A square box around the landmarks, sized like the detector's boxes, for a second, better-centred pass. */
export function boxFromLandmarks(pts: Landmarks68): FaceBox {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < 68; i++) {
    minX = Math.min(minX, pts[i * 2]!);
    maxX = Math.max(maxX, pts[i * 2]!);
    minY = Math.min(minY, pts[i * 2 + 1]!);
    maxY = Math.max(maxY, pts[i * 2 + 1]!);
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const side = Math.max(maxX - minX, maxY - minY);
  return { left: cx - side / 2, top: cy - side / 2, right: cx + side / 2, bottom: cy + side / 2 };
}
