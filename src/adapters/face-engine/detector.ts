import * as ort from 'onnxruntime-node';
import type { FaceBox } from '../../ports/face-engine.js';
import { cropResize, type Rect, type Sampleable, toPlanar } from './raw-image.js';

// UltraFace-style RFB-320 detector (fr_detect.onnx): input 1x3x240x320 RGB (x-127)/128, outputs 4420 priors with
// [background, face] scores and already-decoded boxes as fractions of the input.

const IN_W = 320;
const IN_H = 240;

export interface RawDetection {
  box: FaceBox;
  score: number;
}

export interface DetectOptions {
  /** Minimum face score. */
  minScore?: number;
  /** IoU above which the lower-scoring of two boxes is dropped. */
  nmsIou?: number;
}

export const DEFAULT_MIN_SCORE = 0.7;
const DEFAULT_NMS_IOU = 0.4;

export function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
  const h = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const inter = w * h;
  const union = (a.right - a.left) * (a.bottom - a.top) + (b.right - b.left) * (b.bottom - b.top) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy NMS by descending score (the vendor's browser code sorted by y2, which drops the wrong boxes). */
export function nms(dets: RawDetection[], threshold: number): RawDetection[] {
  const sorted = [...dets].sort((a, b) => b.score - a.score);
  const kept: RawDetection[] = [];
  for (const d of sorted) {
    if (kept.every((k) => iou(k.box, d.box) <= threshold)) kept.push(d);
  }
  return kept;
}

/**
 * The source window the detector looks at: the image grown to the input's 4:3 aspect (so faces are not stretched)
 * plus `margin` of its size on every side. Padding matters for tight, pre-aligned face crops: UltraFace only
 * finds a face that has some context around it.
 */
export function detectionWindow(width: number, height: number, margin: number): Rect {
  let w = width * (1 + 2 * margin);
  let h = height * (1 + 2 * margin);
  if (w / h < IN_W / IN_H) w = (h * IN_W) / IN_H;
  else h = (w * IN_H) / IN_W;
  return { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
}

export async function runDetector(
  session: ort.InferenceSession,
  img: Sampleable,
  window: Rect,
  options: DetectOptions = {},
): Promise<RawDetection[]> {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const rgb = cropResize(img, window, IN_W, IN_H);
  const input = new ort.Tensor('float32', toPlanar(rgb, IN_W * IN_H, 127, 128), [1, 3, IN_H, IN_W]);
  const out = await session.run({ input });
  const scores = out['scores']!.data as Float32Array;
  const boxes = out['boxes']!.data as Float32Array;
  const n = scores.length / 2;
  const dets: RawDetection[] = [];
  for (let i = 0; i < n; i++) {
    const score = scores[i * 2 + 1]!;
    if (score < minScore) continue;
    const left = window.x + boxes[i * 4]! * window.width;
    const top = window.y + boxes[i * 4 + 1]! * window.height;
    const right = window.x + boxes[i * 4 + 2]! * window.width;
    const bottom = window.y + boxes[i * 4 + 3]! * window.height;
    if (right - left < 2 || bottom - top < 2) continue;
    dets.push({ box: { left, top, right, bottom }, score });
  }
  return nms(dets, options.nmsIou ?? DEFAULT_NMS_IOU);
}
