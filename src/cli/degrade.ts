import type { RgbImage } from '../adapters/face-engine/raw-image.js';

// Capture conditions of a deployment, as pure functions on interleaved 8-bit RGB: what a laptop webcam in an office
// does to a face that a celebrity photo never shows. `facegate degrade` applies them to an eval folder (the JPEG
// step is sharp's, in the command), so `facegate eval` can measure the engine and the score rule under each one.
// Every random choice comes from a seeded generator: the same seed and file give the same copy.

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A step of a condition. Sizes in pixels of the output; values in 0..255 units unless said otherwise. */
export type DegradeStep =
  /** Scale so the face box side is `minFace..maxFace` px and place it at a random spot of a `width`x`height` frame. */
  | { kind: 'webcamFrame'; width: number; height: number; minFace: number; maxFace: number }
  | { kind: 'blur'; minSigma: number; maxSigma: number }
  | { kind: 'noise'; minSigma: number; maxSigma: number }
  /** out = 255 * (gain * in/255)^gamma: gain < 1 underexposes, gamma > 1 darkens the mid-tones. */
  | { kind: 'exposure'; minGain: number; maxGain: number; minGamma: number; maxGamma: number }
  /**
   * Per-channel gains around 1 (a white balance gone wrong): each channel in 1 ± strength, around `gains` when
   * given (one camera's own cast, the same on every photo).
   */
  | { kind: 'colourCast'; strength: number; gains?: readonly [number, number, number] }
  | { kind: 'jpeg'; minQuality: number; maxQuality: number };

export const conditions: Readonly<Record<string, readonly DegradeStep[]>> = {
  /** A face of 60-90 px in a 640x480 frame, as a webcam at arm's length or a little further sees it. */
  small: [{ kind: 'webcamFrame', width: 640, height: 480, minFace: 60, maxFace: 90 }],
  blur: [{ kind: 'blur', minSigma: 1.2, maxSigma: 2.2 }],
  jpeg: [{ kind: 'jpeg', minQuality: 12, maxQuality: 25 }],
  noise: [{ kind: 'noise', minSigma: 10, maxSigma: 18 }],
  dim: [{ kind: 'exposure', minGain: 0.35, maxGain: 0.55, minGamma: 1.2, maxGamma: 1.6 }],
  cast: [{ kind: 'colourCast', strength: 0.25 }],
  /** Everything at once, each a little milder: the office webcam of issue #11. */
  webcam: [
    { kind: 'webcamFrame', width: 640, height: 480, minFace: 60, maxFace: 90 },
    { kind: 'exposure', minGain: 0.55, maxGain: 0.8, minGamma: 1.1, maxGamma: 1.3 },
    { kind: 'colourCast', strength: 0.12 },
    { kind: 'blur', minSigma: 0.5, maxSigma: 1.0 },
    { kind: 'noise', minSigma: 5, maxSigma: 9 },
    { kind: 'jpeg', minQuality: 45, maxQuality: 70 },
  ],
  /** The same in a darker room, further from the camera: an evening office, a cheap sensor. */
  'webcam-dark': [
    { kind: 'webcamFrame', width: 640, height: 480, minFace: 60, maxFace: 90 },
    { kind: 'exposure', minGain: 0.45, maxGain: 0.7, minGamma: 1.1, maxGamma: 1.4 },
    { kind: 'colourCast', strength: 0.15 },
    { kind: 'blur', minSigma: 0.6, maxSigma: 1.2 },
    { kind: 'noise', minSigma: 6, maxSigma: 12 },
    { kind: 'jpeg', minQuality: 35, maxQuality: 60 },
  ],
  /**
   * One webcam in one room, as a deployment's colleagues are all seen: every photo through the same settings (a warm
   * white balance, the same underexposure, sensor noise and compression), where the other conditions draw each
   * photo's own. What the people share then is the camera, not only its quality.
   */
  office: [
    { kind: 'webcamFrame', width: 640, height: 480, minFace: 70, maxFace: 90 },
    { kind: 'exposure', minGain: 0.6, maxGain: 0.62, minGamma: 1.25, maxGamma: 1.27 },
    { kind: 'colourCast', strength: 0.02, gains: [1.12, 1, 0.85] },
    { kind: 'blur', minSigma: 0.8, maxSigma: 0.9 },
    { kind: 'noise', minSigma: 8, maxSigma: 9 },
    { kind: 'jpeg', minQuality: 55, maxQuality: 58 },
  ],
};

export type Rng = () => number;

/** mulberry32: a small, fast, seedable generator of uniform numbers in [0, 1). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a run's seed and a string (file, condition), so each copy is independent of the order. */
export function seedFor(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();

const clamp8 = (x: number) => (x <= 0 ? 0 : x >= 255 ? 255 : Math.round(x));

/** A standard normal deviate (Box-Muller). */
function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Area-averaging (down) or bilinear (up) resize of a source rectangle to w x h. */
export function resize(img: RgbImage, w: number, h: number, src: Rect = fullRect(img)): RgbImage {
  const out = new Uint8Array(w * h * 3);
  const sx = src.width / w;
  const sy = src.height / h;
  for (let y = 0; y < h; y++) {
    const y0 = src.top + y * sy;
    const y1 = y0 + Math.max(sy, 1);
    for (let x = 0; x < w; x++) {
      const x0 = src.left + x * sx;
      const x1 = x0 + Math.max(sx, 1);
      // Box filter over the source footprint, with fractional coverage at the edges.
      let r = 0;
      let g = 0;
      let b = 0;
      let wsum = 0;
      for (let yy = Math.floor(y0); yy < Math.ceil(y1); yy++) {
        const wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
        const cy = Math.min(Math.max(yy, 0), img.height - 1);
        for (let xx = Math.floor(x0); xx < Math.ceil(x1); xx++) {
          const wx = Math.min(x1, xx + 1) - Math.max(x0, xx);
          const cx = Math.min(Math.max(xx, 0), img.width - 1);
          const i = (cy * img.width + cx) * 3;
          const wgt = wx * wy;
          r += img.data[i]! * wgt;
          g += img.data[i + 1]! * wgt;
          b += img.data[i + 2]! * wgt;
          wsum += wgt;
        }
      }
      const o = (y * w + x) * 3;
      out[o] = clamp8(r / wsum);
      out[o + 1] = clamp8(g / wsum);
      out[o + 2] = clamp8(b / wsum);
    }
  }
  return { width: w, height: h, data: out };
}

const fullRect = (img: RgbImage): Rect => ({ left: 0, top: 0, width: img.width, height: img.height });

/**
 * The photo scaled so that the face box side becomes `facePx`, pasted into a frame of `width`x`height` at `at`
 * (top-left of the scaled photo in the frame); the rest of the frame is the photo's own mean colour, as a plain
 * office wall. Parts of the scaled photo outside the frame are cut off.
 */
export function placeInFrame(
  img: RgbImage,
  face: Rect,
  facePx: number,
  width: number,
  height: number,
  at: { left: number; top: number },
): RgbImage {
  const scale = facePx / Math.max(face.width, face.height);
  const sw = Math.max(1, Math.round(img.width * scale));
  const sh = Math.max(1, Math.round(img.height * scale));
  const scaled = resize(img, sw, sh);
  const mean = meanColour(img);
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const u = x - at.left;
      const v = y - at.top;
      if (u >= 0 && v >= 0 && u < sw && v < sh) {
        const i = (v * sw + u) * 3;
        out[o] = scaled.data[i]!;
        out[o + 1] = scaled.data[i + 1]!;
        out[o + 2] = scaled.data[i + 2]!;
      } else {
        out[o] = mean[0];
        out[o + 1] = mean[1];
        out[o + 2] = mean[2];
      }
    }
  }
  return { width, height, data: out };
}

export function meanColour(img: RgbImage): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < img.data.length; i += 3) {
    sum[0]! += img.data[i]!;
    sum[1]! += img.data[i + 1]!;
    sum[2]! += img.data[i + 2]!;
  }
  const n = Math.max(1, img.data.length / 3);
  return [Math.round(sum[0]! / n), Math.round(sum[1]! / n), Math.round(sum[2]! / n)];
}

/** Separable Gaussian blur (edges clamped); sigma in pixels. */
export function gaussianBlur(img: RgbImage, sigma: number): RgbImage {
  if (sigma <= 0) return img;
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let ksum = 0;
  for (let i = -radius; i <= radius; i++) {
    kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
    ksum += kernel[i + radius]!;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= ksum;
  const { width, height } = img;
  const pass = (src: ArrayLike<number>, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let k = -radius; k <= radius; k++) {
          const xx = horizontal ? Math.min(Math.max(x + k, 0), width - 1) : x;
          const yy = horizontal ? y : Math.min(Math.max(y + k, 0), height - 1);
          const i = (yy * width + xx) * 3;
          const w = kernel[k + radius]!;
          r += src[i]! * w;
          g += src[i + 1]! * w;
          b += src[i + 2]! * w;
        }
        const o = (y * width + x) * 3;
        dst[o] = r;
        dst[o + 1] = g;
        dst[o + 2] = b;
      }
    }
    return dst;
  };
  const blurred = pass(pass(img.data, true), false);
  return { width, height, data: Uint8Array.from(blurred, clamp8) };
}

/**
 * Sensor noise: Gaussian, stronger in the shadows as a small sensor's is (shot noise grows with the signal, but
 * the gain applied to a dim scene lifts the read noise of dark pixels most): sigma * (1.25 - 0.5 * luma/255).
 */
export function sensorNoise(img: RgbImage, sigma: number, rng: Rng): RgbImage {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < img.data.length; i += 3) {
    const luma = 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
    const s = sigma * (1.25 - (0.5 * luma) / 255);
    // Mostly luma noise plus some chroma noise, as a Bayer sensor's demosaiced output looks.
    const common = gaussian(rng) * s * 0.8;
    for (let c = 0; c < 3; c++) out[i + c] = clamp8(img.data[i + c]! + common + gaussian(rng) * s * 0.6);
  }
  return { width: img.width, height: img.height, data: out };
}

/** out = 255 * (gain * in/255)^gamma per channel. */
export function exposure(img: RgbImage, gain: number, gamma: number): RgbImage {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = clamp8(255 * Math.min(1, (gain * v) / 255) ** gamma);
  return { width: img.width, height: img.height, data: img.data.map((v) => lut[v]!) };
}

/** Per-channel gains (r, g, b). */
export function colourCast(img: RgbImage, gains: readonly [number, number, number]): RgbImage {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < img.data.length; i++) out[i] = clamp8(img.data[i]! * gains[i % 3]!);
  return { width: img.width, height: img.height, data: out };
}

/** What a condition does to one photo: the pixels, and the JPEG quality to encode with (undefined: the default). */
export interface Degraded {
  image: RgbImage;
  jpegQuality: number | undefined;
}

/**
 * Apply a condition's steps in order. `face` is the face box in the photo (needed by webcamFrame; when unknown the
 * central 60 % of the photo stands for it).
 */
export function degrade(img: RgbImage, steps: readonly DegradeStep[], rng: Rng, face?: Rect): Degraded {
  let image = img;
  let jpegQuality: number | undefined;
  for (const s of steps) {
    switch (s.kind) {
      case 'webcamFrame': {
        const box = face ?? {
          left: img.width * 0.2,
          top: img.height * 0.2,
          width: img.width * 0.6,
          height: img.height * 0.6,
        };
        const facePx = Math.round(between(rng, s.minFace, s.maxFace));
        const scale = facePx / Math.max(box.width, box.height);
        // The face lands somewhere in the middle half of the frame, as a seated person in front of a laptop.
        const cx = between(rng, 0.3, 0.7) * s.width;
        const cy = between(rng, 0.3, 0.6) * s.height;
        const at = {
          left: Math.round(cx - (box.left + box.width / 2) * scale),
          top: Math.round(cy - (box.top + box.height / 2) * scale),
        };
        image = placeInFrame(image, box, facePx, s.width, s.height, at);
        break;
      }
      case 'blur':
        image = gaussianBlur(image, between(rng, s.minSigma, s.maxSigma));
        break;
      case 'noise':
        image = sensorNoise(image, between(rng, s.minSigma, s.maxSigma), rng);
        break;
      case 'exposure':
        image = exposure(image, between(rng, s.minGain, s.maxGain), between(rng, s.minGamma, s.maxGamma));
        break;
      case 'colourCast': {
        const g = (c: number): number => (s.gains?.[c] ?? 1) + between(rng, -s.strength, s.strength);
        image = colourCast(image, [g(0), g(1), g(2)]);
        break;
      }
      case 'jpeg':
        jpegQuality = Math.round(between(rng, s.minQuality, s.maxQuality));
        break;
    }
  }
  return { image, jpegQuality };
}
