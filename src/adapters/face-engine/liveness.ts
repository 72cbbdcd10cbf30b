import * as ort from 'onnxruntime-node';
import type { FaceBox } from '../../ports/face-engine.js';
import { cropResize, type Rect, type Sampleable, toPlanar } from './raw-image.js';

// Passive presentation-attack detection (fr_liveness.onnx, MiniFASNet-style): the face box grown 2.7x around its
// centre and shifted to stay inside the image, 128x128, raw 0..255 in BGR order (the vendor's browser code feeds
// RGB, which measurably weakens it), 3 logits, softmax[0] = live.

const SIZE = 128;
const SCALE = 2.7;

/** The liveness crop as the model was trained: scale capped so the window fits, then shifted inside the image. */
export function livenessRect(box: FaceBox, width: number, height: number): Rect {
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const scale = Math.min((height - 1) / bh, (width - 1) / bw, SCALE);
  const w = bw * scale;
  const h = bh * scale;
  const cx = box.left + bw / 2;
  const cy = box.top + bh / 2;
  let x0 = cx - w / 2;
  let y0 = cy - h / 2;
  x0 = Math.min(Math.max(x0, 0), width - 1 - w);
  y0 = Math.min(Math.max(y0, 0), height - 1 - h);
  return { x: Math.max(0, x0), y: Math.max(0, y0), width: w, height: h };
}

export function softmax(logits: ArrayLike<number>): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const e = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
}

export async function runLiveness(session: ort.InferenceSession, img: Sampleable, box: FaceBox): Promise<number> {
  const rgb = cropResize(img, livenessRect(box, img.width, img.height), SIZE, SIZE);
  const input = new ort.Tensor('float32', toPlanar(rgb, SIZE * SIZE, 0, 1, true), [1, 3, SIZE, SIZE]);
  const out = await session.run({ input });
  return softmax(out['output']!.data as Float32Array)[0]!;
}
