import * as ort from 'onnxruntime-node';
import { ALIGNED_SIZE } from './align.js';
import { flipHorizontal, toPlanar } from './raw-image.js';

// 512-d recogniser (fr_feature.onnx): ArcFace-aligned 112x112, (x-127)/128, in BGR order. The vendor's browser
// code feeds canvas RGB, but its Python origin fed OpenCV BGR (it converts to RGB only for the detector and pose
// models); BGR measured better on the dev set (TAR at FAR 1e-3 93.5 % vs 91.9 %), as it did for liveness.

export const DIMENSION = 512;
const PIXELS = ALIGNED_SIZE * ALIGNED_SIZE;

function lengthOf(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

export function l2normalise(v: Float32Array): Float32Array {
  const n = lengthOf(v) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`template dimensions differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

async function embedOnce(session: ort.InferenceSession, aligned: Float32Array): Promise<Float32Array> {
  const input = new ort.Tensor('float32', toPlanar(aligned, PIXELS, 127, 128, true), [
    1,
    3,
    ALIGNED_SIZE,
    ALIGNED_SIZE,
  ]);
  const out = await session.run({ input });
  return out['output']!.data as Float32Array;
}

export interface Embedding {
  /** L2-normalised template. */
  template: Float32Array;
  /** Length of the recogniser's output before normalisation (the mean of both passes with `flip`). */
  norm: number;
}

/**
 * L2-normalised template of an aligned face (interleaved RGB floats) and the raw output's length, which falls as the
 * recogniser grows less sure of a face (see domain/compare-similarity.ts). With `flip`, the embeddings of the face
 * and its mirror image are summed first (test-time augmentation), which evens out asymmetric lighting and pose.
 */
export async function embed(session: ort.InferenceSession, aligned: Float32Array, flip: boolean): Promise<Embedding> {
  const a = await embedOnce(session, aligned);
  if (!flip) return { template: l2normalise(a), norm: lengthOf(a) };
  const b = await embedOnce(session, flipHorizontal(aligned, ALIGNED_SIZE, ALIGNED_SIZE));
  const na = l2normalise(a);
  const nb = l2normalise(b);
  const sum = new Float32Array(DIMENSION);
  for (let i = 0; i < DIMENSION; i++) sum[i] = na[i]! + nb[i]!;
  return { template: l2normalise(sum), norm: (lengthOf(a) + lengthOf(b)) / 2 };
}
