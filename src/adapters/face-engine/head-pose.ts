import * as ort from 'onnxruntime-node';
import type { FaceBox, FacePose } from '../../ports/face-engine.js';
import type { Landmarks68 } from './landmarks.js';
import { softmax } from './liveness.js';
import { type Affine, cropResize, type Rect, type Sampleable, toGray, warp } from './raw-image.js';

// Head pose and eye state for active liveness (turn left / turn right / blink), from two more models of the same
// npm package. Preprocessing was measured on the dev set, the fixtures and their mirrors, and a live webcam clip
// (see README "Head pose and eyes").
//
// fr_pose.onnx (HopeNet-style): input 1x3x224x224 RGB, ImageNet mean/std, of the detector's box grown by a quarter
// on every side (not square, as the vendor code crops); outputs yaw, pitch, roll as 66 bins of 3° from -99°;
// expectation over the softmax. Measured signs: yaw < 0 when the person turns to their own left (a mirrored photo
// flips it), pitch < 0 looking down. RGB beat BGR and the landmark box on mirror symmetry (mean |yaw + yaw of the
// mirror| 3.9° vs 5.5° / 4.3° over 236 dev photos).
//
// fr_eye.onnx: input 1x1x24x24 grey, one eye; 2 logits, softmax[1] = open. The vendor crops an axis-aligned square
// of 1.6x the eye width and feeds grey/255; on dim webcam frames that called open eyes closed, so the patch here is
// 1.9x the eye width, rotated with the eye axis, and contrast-normalised (mean 0.5, 0.2 per standard deviation).

const POSE_SIZE = 224;
const POSE_GROW = 0.25;
const POSE_BINS = 66;
const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

const EYE_SIZE = 24;
const EYE_PAD = 1.9;
const EYE_CONTRAST = 0.2;

export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** The pose model's crop: the detector box grown by a quarter on every side (padding outside the image). */
export function poseRect(box: FaceBox): Rect {
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  return {
    x: box.left - w * POSE_GROW,
    y: box.top - h * POSE_GROW,
    width: w * (1 + 2 * POSE_GROW),
    height: h * (1 + 2 * POSE_GROW),
  };
}

/** Expected angle in degrees over 66 bins of 3° (HopeNet's decoding: 3 * E[bin index] - 99). */
export function binsToDegrees(logits: ArrayLike<number>): number {
  const p = softmax(logits);
  let e = 0;
  for (let i = 0; i < POSE_BINS; i++) e += p[i]! * i;
  return e * 3 - 99;
}

export async function runHeadPose(session: ort.InferenceSession, img: Sampleable, box: FaceBox): Promise<HeadPose> {
  const rgb = cropResize(img, poseRect(box), POSE_SIZE, POSE_SIZE);
  const n = POSE_SIZE * POSE_SIZE;
  const data = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * IMAGENET_STD[c]!);
    const offset = IMAGENET_MEAN[c]! / IMAGENET_STD[c]!;
    for (let p = 0; p < n; p++) data[c * n + p] = rgb[p * 3 + c]! * scale - offset;
  }
  const out = await session.run({
    [session.inputNames[0]!]: new ort.Tensor('float32', data, [1, 3, POSE_SIZE, POSE_SIZE]),
  });
  const [yaw, pitch, roll] = session.outputNames.map((name) => binsToDegrees(out[name]!.data as Float32Array));
  return { yaw: yaw!, pitch: pitch!, roll: roll! };
}

/** iBUG-68 eye contours: corners first (outer/inner), then the two upper and the two lower lid points. */
const EYES = [
  { corners: [36, 39], lids: [37, 38, 40, 41] },
  { corners: [42, 45], lids: [43, 44, 46, 47] },
] as const;

/**
 * Affine from the 24x24 eye patch to the image: centred on the four lid points, side EYE_PAD x the corner distance,
 * rotated with the eye axis so a tilted head gives the same patch.
 */
export function eyePatchAffine(pts: Landmarks68, eye: 0 | 1): Affine {
  const { corners, lids } = EYES[eye];
  const x = (i: number) => pts[i * 2]!;
  const y = (i: number) => pts[i * 2 + 1]!;
  const cx = lids.reduce((s, i) => s + x(i), 0) / lids.length;
  const cy = lids.reduce((s, i) => s + y(i), 0) / lids.length;
  const dx = x(corners[1]) - x(corners[0]);
  const dy = y(corners[1]) - y(corners[0]);
  const width = Math.hypot(dx, dy) || 1;
  // Both eyes read left to right in the image (outer→inner for the subject's right eye, inner→outer for the left).
  const ux = Math.abs(dx) / width;
  const uy = (Math.sign(dx) || 1) * (dy / width);
  const k = (width * EYE_PAD) / EYE_SIZE;
  const c = (EYE_SIZE - 1) / 2;
  return [k * ux, -k * uy, cx - c * k * ux + c * k * uy, k * uy, k * ux, cy - c * k * uy - c * k * ux];
}

/** Grey patch normalised to mean 0.5 and EYE_CONTRAST per standard deviation, clipped to 0..1. */
function eyeInput(img: Sampleable, m: Affine): Float32Array {
  const n = EYE_SIZE * EYE_SIZE;
  const g = toGray(warp(img, m, EYE_SIZE, EYE_SIZE), n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += g[i]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (g[i]! - mean) ** 2;
  const sd = Math.sqrt(v / n) || 1;
  for (let i = 0; i < n; i++) g[i] = Math.min(1, Math.max(0, 0.5 + ((g[i]! - mean) / sd) * EYE_CONTRAST));
  return g;
}

/** P(open) of each eye (image-left eye first). */
export async function runEyeState(
  session: ort.InferenceSession,
  img: Sampleable,
  pts: Landmarks68,
): Promise<[number, number]> {
  const out: number[] = [];
  for (const eye of [0, 1] as const) {
    const input = new ort.Tensor('float32', eyeInput(img, eyePatchAffine(pts, eye)), [1, 1, EYE_SIZE, EYE_SIZE]);
    const res = await session.run({ [session.inputNames[0]!]: input });
    out.push(softmax(res[session.outputNames[0]!]!.data as Float32Array)[1]!);
  }
  return [out[0]!, out[1]!];
}

export async function estimatePose(
  pose: ort.InferenceSession,
  eyes: ort.InferenceSession,
  img: Sampleable,
  box: FaceBox,
  pts: Landmarks68,
): Promise<Omit<FacePose, 'trace'>> {
  const head = await runHeadPose(pose, img, box);
  const [a, b] = await runEyeState(eyes, img, pts);
  return { yaw: head.yaw, pitch: head.pitch, eyesOpen: (a + b) / 2 };
}
