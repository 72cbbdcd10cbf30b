// Pixel helpers shared by the pipeline stages. Images are interleaved 8-bit RGB; every model input is produced by
// sampling a source rectangle or an affine warp of it, so crops, padding and resizing never allocate a copy of the
// whole image.

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Interleaved RGB, 3 bytes per pixel, row-major. */
  readonly data: Uint8Array;
}

/** 2x3 affine map from output pixel (u, v) to source pixel (x, y): x = a*u + b*v + c, y = d*u + e*v + f. */
export type Affine = readonly [number, number, number, number, number, number];

/** Value used outside the image: mid-grey, which the detector treats as "no content". */
export const PAD_VALUE = 127;

function bilinear(img: RgbImage, x: number, y: number, out: Float32Array, o: number): void {
  const { width, height, data } = img;
  // Pixel centres sit at integer coordinates; anything more than half a pixel outside is padding.
  if (x < -0.5 || y < -0.5 || x > width - 0.5 || y > height - 0.5) {
    out[o] = PAD_VALUE;
    out[o + 1] = PAD_VALUE;
    out[o + 2] = PAD_VALUE;
    return;
  }
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const i00 = (y0 * width + x0) * 3;
  const i01 = (y0 * width + x1) * 3;
  const i10 = (y1 * width + x0) * 3;
  const i11 = (y1 * width + x1) * 3;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  for (let c = 0; c < 3; c++) {
    out[o + c] = data[i00 + c]! * w00 + data[i01 + c]! * w01 + data[i10 + c]! * w10 + data[i11 + c]! * w11;
  }
}

/** Halves an image with a 2x2 box filter (the last row/column of an odd size is folded into the previous one). */
export function halve(img: RgbImage): RgbImage {
  const w = Math.max(1, img.width >> 1);
  const h = Math.max(1, img.height >> 1);
  const out = new Uint8Array(w * h * 3);
  const src = img.data;
  const sw = img.width;
  for (let y = 0; y < h; y++) {
    const y0 = 2 * y;
    const y1 = Math.min(y0 + 1, img.height - 1);
    for (let x = 0; x < w; x++) {
      const x0 = 2 * x;
      const x1 = Math.min(x0 + 1, sw - 1);
      const i00 = (y0 * sw + x0) * 3;
      const i01 = (y0 * sw + x1) * 3;
      const i10 = (y1 * sw + x0) * 3;
      const i11 = (y1 * sw + x1) * 3;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = (src[i00 + c]! + src[i01 + c]! + src[i10 + c]! + src[i11 + c]! + 2) >> 2;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * An image with lazily built half-size levels. Sampling a strongly shrunk region (a 1300 px photo into the detector's
 * 320 px input, a 600 px face into 112 px) reads from the level that is at most 2x larger than the output, so the
 * cost no longer grows with the photo's resolution.
 */
export class ImagePyramid {
  private readonly levels: RgbImage[];

  constructor(readonly base: RgbImage) {
    this.levels = [base];
  }

  get width(): number {
    return this.base.width;
  }

  get height(): number {
    return this.base.height;
  }

  level(i: number): RgbImage {
    while (this.levels.length <= i) {
      const last = this.levels[this.levels.length - 1]!;
      if (last.width < 16 || last.height < 16) break;
      this.levels.push(halve(last));
    }
    return this.levels[Math.min(i, this.levels.length - 1)]!;
  }
}

/** Anything the samplers read from. */
export type Sampleable = RgbImage | ImagePyramid;

/**
 * Samples the affine-mapped source into an outW x outH interleaved RGB float buffer (0..255). When one output
 * pixel covers several source pixels, it averages a k x k grid of bilinear samples so that downscaling does not
 * alias; from a pyramid it first picks the level that leaves at most a 2x reduction.
 */
export function warp(src: Sampleable, m: Affine, outW: number, outH: number): Float32Array {
  let img: RgbImage;
  let [a, b, c, d, e, f] = m;
  if (src instanceof ImagePyramid) {
    const scale0 = Math.max(Math.hypot(a, d), Math.hypot(b, e));
    const wanted = Math.max(0, Math.floor(Math.log2(scale0)));
    img = src.level(wanted);
    // Level coordinates: x_L = (x + 0.5) / 2^L - 0.5 (pixel centres), with 2^L measured on the actual level size.
    const fx = img.width / src.width;
    const fy = img.height / src.height;
    [a, b, c] = [a * fx, b * fx, (c + 0.5) * fx - 0.5];
    [d, e, f] = [d * fy, e * fy, (f + 0.5) * fy - 0.5];
  } else img = src;
  const scale = Math.max(Math.hypot(a, d), Math.hypot(b, e));
  const k = Math.min(4, Math.max(1, Math.ceil(scale - 0.01)));
  const out = new Float32Array(outW * outH * 3);
  const tmp = new Float32Array(3);
  for (let v = 0; v < outH; v++) {
    for (let u = 0; u < outW; u++) {
      const o = (v * outW + u) * 3;
      if (k === 1) {
        bilinear(img, a * u + b * v + c, d * u + e * v + f, out, o);
        continue;
      }
      let r = 0;
      let g = 0;
      let bl = 0;
      for (let j = 0; j < k; j++) {
        const vv = v + (j + 0.5) / k - 0.5;
        for (let i = 0; i < k; i++) {
          const uu = u + (i + 0.5) / k - 0.5;
          bilinear(img, a * uu + b * vv + c, d * uu + e * vv + f, tmp, 0);
          r += tmp[0]!;
          g += tmp[1]!;
          bl += tmp[2]!;
        }
      }
      const n = k * k;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = bl / n;
    }
  }
  return out;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Affine that maps an outW x outH grid onto a source rectangle (which may extend past the image: padding). */
export function rectToAffine(rect: Rect, outW: number, outH: number): Affine {
  const sx = rect.width / outW;
  const sy = rect.height / outH;
  // Pixel-centre convention, as in OpenCV's resize.
  return [sx, 0, rect.x + 0.5 * sx - 0.5, 0, sy, rect.y + 0.5 * sy - 0.5];
}

export function cropResize(img: Sampleable, rect: Rect, outW: number, outH: number): Float32Array {
  return warp(img, rectToAffine(rect, outW, outH), outW, outH);
}

/**
 * Interleaved RGB floats → planar NCHW tensor data, applying (x - mean) / std and the channel order the model wants.
 */
export function toPlanar(rgb: Float32Array, pixels: number, mean: number, std: number, bgr = false): Float32Array {
  const out = new Float32Array(pixels * 3);
  const inv = 1 / std;
  for (let p = 0; p < pixels; p++) {
    const r = rgb[p * 3]!;
    const g = rgb[p * 3 + 1]!;
    const b = rgb[p * 3 + 2]!;
    out[p] = ((bgr ? b : r) - mean) * inv;
    out[pixels + p] = (g - mean) * inv;
    out[2 * pixels + p] = ((bgr ? r : b) - mean) * inv;
  }
  return out;
}

/** Luma as OpenCV's RGB2GRAY computes it. */
export function toGray(rgb: Float32Array, pixels: number): Float32Array {
  const out = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) {
    out[p] = 0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!;
  }
  return out;
}

/** Mirror an interleaved RGB float buffer left-right. */
export function flipHorizontal(rgb: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3;
      const d = (y * w + (w - 1 - x)) * 3;
      out[d] = rgb[s]!;
      out[d + 1] = rgb[s + 1]!;
      out[d + 2] = rgb[s + 2]!;
    }
  }
  return out;
}
