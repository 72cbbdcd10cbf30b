import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ChallengeStep } from '../../src/domain/active-challenge.js';
import type { FaceLandmarks5, Point } from '../../src/ports/face-engine.js';
import { evalDataDir } from './eval-data.js';
import { PAGE_FRAME } from './liveness-clips.js';

// Presentation attacks on liveness built from still photos, the way a script would fake a webcam (issue #10):
// every frame is a photo fitted to a 480x360 "camera" frame and re-encoded, optionally with the small jitter,
// brightness changes and sensor noise that a script adds so that consecutive frames are not byte-identical.
// Only sharp and plain JS: the perspective warp is a homography on raw RGB.

export const FRAME = { width: 480, height: 360 } as const;

/** A seeded uniform source in [0, 1) (mulberry32), so that attacks and benches repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * The attack identity from the dev set: George W. Bush (LFW, 250x250). Chosen with the real engine's
 * `analyse(..., { pose: true })` over all 236 dev photos: 004 is the identity's photo with the largest |yaw|
 * (+36°, turned to his right, eyes open 1.0; the dev set's few larger turns are 112 px crops or have half-closed
 * eyes), 001 is frontal (yaw +4°, eyes 1.0 in every jittered frame; 006 at -3° read 0.53-0.96 once framed). The person is enrolled from three other photos.
 */
export const attackIdentity = {
  name: 'George W Bush',
  dir: () => join(evalDataDir, 'identity', 'george_w_bush'),
  frontal: '001.jpg',
  turned: '004.jpg',
  /** Sign of the turned photo's yaw: +1 = turned to the person's right. */
  turnedYawSign: 1,
  enrol: ['006.jpg', '007.jpg', '009.jpg'],
} as const;

export const identityPhoto = (file: string): Buffer => readFileSync(join(attackIdentity.dir(), file));

export interface FrameOptions {
  /** Jitter, brightness and noise, as a script adds to a repeated photo. */
  random?: () => number;
  /** Sensor noise, standard deviation in grey levels (default 2 when `random` is given). */
  noise?: number;
}

/** A photo fitted (centre crop) to a 480x360 camera frame, re-encoded as the page would send it. */
export async function photoFrame(photo: Buffer, o: FrameOptions = {}): Promise<Buffer> {
  const r = o.random;
  const pad = r ? 6 : 0;
  const img = sharp(photo)
    .rotate()
    .removeAlpha()
    .resize(FRAME.width + pad, FRAME.height + pad, { fit: 'cover' });
  if (!r) return img.jpeg({ quality: PAGE_FRAME.quality }).toBuffer();
  const dx = Math.floor(r() * (pad + 1));
  const dy = Math.floor(r() * (pad + 1));
  const { data, info } = await img
    .extract({ left: dx, top: dy, width: FRAME.width, height: FRAME.height })
    .modulate({ brightness: 0.96 + 0.08 * r() })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sigma = o.noise ?? 2;
  for (let i = 0; i < data.length; i++) {
    // Box-Muller noise, clamped by the Uint8 store.
    const n = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()) * sigma;
    data[i] = Math.max(0, Math.min(255, Math.round((data[i] as number) + n)));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .jpeg({ quality: 80 + Math.floor(r() * 11) })
    .toBuffer();
}

/** The same photo as `count` frames of video, each re-encoded (and jittered when `random` is given). */
export function stillVideo(photo: Buffer, count: number, random?: () => number): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: count }, () => photoFrame(photo, random ? { random } : {})));
}

/** The mirror image: a head turned one way becomes a head turned the other way. */
export const mirrored = (photo: Buffer): Promise<Buffer> =>
  sharp(photo).rotate().flop().jpeg({ quality: 95 }).toBuffer();

/** Landmarks as `POST /v2/face-recognition/detect` answers them (`data[i].landmarks`). */
export interface DetectLandmarks {
  left_eye: number[];
  right_eye: number[];
  nose: number[];
  left_mouth: number[];
  right_mouth: number[];
}

export const fromDetect = (l: DetectLandmarks): FaceLandmarks5 => {
  const p = (xs: number[]): Point => [xs[0] ?? 0, xs[1] ?? 0];
  return {
    leftEye: p(l.left_eye),
    rightEye: p(l.right_eye),
    nose: p(l.nose),
    leftMouth: p(l.left_mouth),
    rightMouth: p(l.right_mouth),
  };
};

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** A point on the cheek below an eye: 45 % of the way from the eye to the mouth corner on the same side. */
const cheekBelow = (eye: Point, mouth: Point): Point => [
  eye[0] + (mouth[0] - eye[0]) * 0.45,
  eye[1] + (mouth[1] - eye[1]) * 0.6,
];

async function meanColour(img: Buffer, at: Point, radius: number): Promise<[number, number, number]> {
  const meta = await sharp(img).metadata();
  const r = Math.max(2, Math.round(radius));
  const left = clamp(Math.round(at[0] - r), 0, (meta.width ?? 1) - 2 * r);
  const top = clamp(Math.round(at[1] - r), 0, (meta.height ?? 1) - 2 * r);
  const { channels } = await sharp(img)
    .extract({ left, top, width: 2 * r, height: 2 * r })
    .stats();
  return [0, 1, 2].map((c) => Math.round(channels[c]?.mean ?? 128)) as [number, number, number];
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * Eyes "closed" by painting two skin-coloured ellipses over them (colour sampled from the cheeks), at the eye
 * landmarks of the image itself (`img` is the frame the landmarks were detected on).
 */
export async function paintedEyes(img: Buffer, lm: FaceLandmarks5): Promise<Buffer> {
  const meta = await sharp(img).metadata();
  const w = meta.width ?? FRAME.width;
  const h = meta.height ?? FRAME.height;
  const d = dist(lm.leftEye, lm.rightEye);
  const ellipses = await Promise.all(
    [
      [lm.leftEye, lm.leftMouth],
      [lm.rightEye, lm.rightMouth],
    ].map(async ([eye, mouth]) => {
      const [r, g, b] = await meanColour(img, cheekBelow(eye as Point, mouth as Point), d * 0.08);
      const [x, y] = eye as Point;
      return `<ellipse cx="${x}" cy="${y}" rx="${d * 0.3}" ry="${d * 0.16}" fill="rgb(${r},${g},${b})"/>`;
    }),
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><filter id="s"><feGaussianBlur stdDeviation="${(d * 0.025).toFixed(2)}"/></filter></defs><g filter="url(#s)">${ellipses.join('')}</g></svg>`;
  return sharp(img)
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
    .jpeg({ quality: PAGE_FRAME.quality })
    .toBuffer();
}

/** Eyes replaced by a patch of the cheek below each, with a feathered elliptical edge. */
export async function pastedEyes(img: Buffer, lm: FaceLandmarks5): Promise<Buffer> {
  const meta = await sharp(img).metadata();
  const W = meta.width ?? FRAME.width;
  const H = meta.height ?? FRAME.height;
  const d = dist(lm.leftEye, lm.rightEye);
  const pw = Math.max(4, Math.round(d * 0.64));
  const ph = Math.max(4, Math.round(d * 0.36));
  const mask = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${pw}" height="${ph}"><defs><filter id="f"><feGaussianBlur stdDeviation="${(d * 0.03).toFixed(2)}"/></filter></defs><rect width="100%" height="100%" fill="black"/><ellipse cx="${pw / 2}" cy="${ph / 2}" rx="${pw * 0.44}" ry="${ph * 0.4}" fill="white" filter="url(#f)"/></svg>`,
    ),
  )
    .greyscale()
    .raw()
    .toBuffer();
  const layers = await Promise.all(
    [
      [lm.leftEye, lm.leftMouth],
      [lm.rightEye, lm.rightMouth],
    ].map(async ([eye, mouth]) => {
      const c = cheekBelow(eye as Point, mouth as Point);
      const patch = await sharp(img)
        .extract({
          left: clamp(Math.round(c[0] - pw / 2), 0, W - pw),
          top: clamp(Math.round(c[1] - ph / 2), 0, H - ph),
          width: pw,
          height: ph,
        })
        .removeAlpha()
        .joinChannel(mask, { raw: { width: pw, height: ph, channels: 1 } })
        .png()
        .toBuffer();
      const [x, y] = eye as Point;
      return {
        input: patch,
        left: clamp(Math.round(x - pw / 2), 0, W - pw),
        top: clamp(Math.round(y - ph / 2), 0, H - ph),
      };
    }),
  );
  return sharp(img).composite(layers).jpeg({ quality: PAGE_FRAME.quality }).toBuffer();
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

/** The homography taking each `from[i]` to `to[i]` (four point pairs), by Gaussian elimination. */
export function homography(from: readonly Point[], to: readonly Point[]): Mat3 {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as Point;
    const [u, v] = to[i] as Point;
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < 9; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const h = A.map((row, i) => row[8]! / row[i]!);
  return [...h, 1] as Mat3;
}

/**
 * A photo as a print held in front of the camera and tilted about its vertical axis by `degrees`: the far edge
 * shrinks (perspective), the print narrows (cos). `recede: 'right'` moves the image's right edge away.
 * Inverse mapping with bilinear sampling on raw RGB; outside the print is a mid-grey wall.
 */
export async function tiltedPrint(photo: Buffer, recede: 'left' | 'right', degrees = 40): Promise<Buffer> {
  const { data, info } = await sharp(photo)
    .rotate()
    .removeAlpha()
    .resize(FRAME.width, FRAME.height, { fit: 'cover' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const a = (degrees * Math.PI) / 180;
  const width = w * Math.cos(a);
  const shrink = (h * 0.5 * Math.sin(a)) / 2; // the far edge loses this much at the top and at the bottom
  const x0 = (w - width) / 2;
  const x1 = x0 + width;
  const near = (x: number): Point[] => [
    [x, 0],
    [x, h],
  ];
  const far = (x: number): Point[] => [
    [x, shrink],
    [x, h - shrink],
  ];
  const [tl, bl] = recede === 'left' ? far(x0) : near(x0);
  const [tr, br] = recede === 'left' ? near(x1) : far(x1);
  // Output corner → source corner: sample the source for each output pixel.
  const H = homography(
    [tl!, tr!, br!, bl!],
    [
      [0, 0],
      [w - 1, 0],
      [w - 1, h - 1],
      [0, h - 1],
    ],
  );
  const out = Buffer.alloc(w * h * 3, 128);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const z = H[6] * x + H[7] * y + H[8];
      const u = (H[0] * x + H[1] * y + H[2]) / z;
      const v = (H[3] * x + H[4] * y + H[5]) / z;
      if (u < 0 || v < 0 || u > w - 1 || v > h - 1) continue;
      const ux = Math.min(w - 2, Math.floor(u));
      const vy = Math.min(h - 2, Math.floor(v));
      const fx = u - ux;
      const fy = v - vy;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => data[(yy * w + xx) * 3 + c] as number;
        const top = p(vy, ux) * (1 - fx) + p(vy, ux + 1) * fx;
        const bottom = p(vy + 1, ux) * (1 - fx) + p(vy + 1, ux + 1) * fx;
        out[(y * w + x) * 3 + c] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return sharp(out, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: PAGE_FRAME.quality })
    .toBuffer();
}

/** What an attacker has for each step: the frontal frame, and a frame that "performs" each step. */
export interface StepImages {
  frontal: Buffer;
  turn_left: Buffer;
  turn_right: Buffer;
  blink: Buffer;
}

/**
 * Five frames per step, in the challenge's order: frontal, the step's image for the middle three, frontal again
 * (so that each step starts and ends looking at the camera, as the page asks). Each frame is re-encoded with
 * jitter and noise, so no two are byte-identical.
 */
export async function stepComposite(
  steps: readonly ChallengeStep[],
  images: StepImages,
  random: () => number,
  framesPerStep = 5,
): Promise<Buffer[]> {
  const plan = steps.flatMap((step) =>
    Array.from({ length: framesPerStep }, (_, j) =>
      j === 0 || j === framesPerStep - 1 ? images.frontal : images[step],
    ),
  );
  return Promise.all(plan.map((img) => photoFrame(img, { random })));
}

/** The turned photo for one direction and its mirror for the other, from a photo turned `sign` (+1 = right). */
export async function turnedPair(turned: Buffer, sign: number): Promise<{ turn_left: Buffer; turn_right: Buffer }> {
  const flipped = await mirrored(turned);
  return sign > 0 ? { turn_right: turned, turn_left: flipped } : { turn_left: turned, turn_right: flipped };
}
