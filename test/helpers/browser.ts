import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';
import sharp from 'sharp';
import { packageRoot } from '../../src/package-root.js';
import type { FaceEngine } from '../../src/ports/face-engine.js';

// Debian's Chromium driven through playwright-core, with a fake camera fed by a .y4m clip built from fixture photos.

export const chromiumPath = process.env['FACEGATE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined. In CI a missing browser is a failure, not a skip. */
export function chromiumUnavailableReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `${chromiumPath} is missing (Debian: apt-get install chromium)`;
  if (process.env['CI']) throw new Error(`CI requires Chromium: ${reason}`);
  return reason;
}

const baseArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--mute-audio',
];

/**
 * Chromium with a fake camera playing `video` (a .y4m path). `camera`: 'fake' grants the permission, 'ask' leaves
 * the permission prompt unanswered (headless Chromium then denies it), 'none' has no camera at all.
 */
export function launchChromium(options: { video?: string; camera?: 'fake' | 'none' | 'ask' } = {}): Promise<Browser> {
  const args = [...baseArgs];
  const camera = options.camera ?? 'fake';
  if (camera !== 'none') {
    args.push('--use-fake-device-for-media-stream');
    if (camera === 'fake') args.push('--use-fake-ui-for-media-stream');
    if (options.video) args.push(`--use-file-for-fake-video-capture=${options.video}`);
  } else {
    args.push('--use-fake-ui-for-media-stream');
  }
  const launch: LaunchOptions = { executablePath: chromiumPath, headless: true, args };
  return chromium.launch(launch);
}

export const fixturePhoto = (name: string) => join(packageRoot, 'test', 'fixtures', 'faces', name);

export const VIDEO_WIDTH = 640;
export const VIDEO_HEIGHT = 480;

/**
 * One 640x480 RGB frame: the photo scaled to fill `fill` of the frame height (centred, cropped if needed) on a
 * neutral background, optionally transformed first (e.g. a shear to fake a head turn).
 */
export async function frameFromPhoto(
  photo: string,
  options: { fill?: number; affine?: [number, number, number, number] } = {},
): Promise<Buffer> {
  let img = sharp(photo).removeAlpha();
  if (options.affine) img = sharp(await img.affine(options.affine, { background: '#8a8f96' }).toBuffer());
  const height = Math.round(VIDEO_HEIGHT * (options.fill ?? 1));
  const resized = await img.resize({ height, width: VIDEO_WIDTH, fit: 'inside' }).toBuffer({ resolveWithObject: true });
  const left = Math.round((VIDEO_WIDTH - resized.info.width) / 2);
  const top = Math.round((VIDEO_HEIGHT - resized.info.height) / 2);
  return sharp({
    create: { width: VIDEO_WIDTH, height: VIDEO_HEIGHT, channels: 3, background: '#8a8f96' },
  })
    .composite([{ input: resized.data, left, top }])
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** Full-range BT.601 RGB → planar I420, the layout of a `C420jpeg` Y4M frame. */
export function rgbToI420(rgb: Buffer, width: number, height: number): Buffer {
  const ySize = width * height;
  const cw = width / 2;
  const ch = height / 2;
  const out = Buffer.alloc(ySize + 2 * cw * ch);
  for (let i = 0; i < ySize; i++) {
    const r = rgb[i * 3]!;
    const g = rgb[i * 3 + 1]!;
    const b = rgb[i * 3 + 2]!;
    out[i] = Math.min(255, Math.max(0, Math.round(0.299 * r + 0.587 * g + 0.114 * b)));
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const p = ((y * 2 + dy) * width + x * 2 + dx) * 3;
        r += rgb[p]!;
        g += rgb[p + 1]!;
        b += rgb[p + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const u = -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
      const v = 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
      out[ySize + y * cw + x] = Math.min(255, Math.max(0, Math.round(u)));
      out[ySize + cw * ch + y * cw + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  return out;
}

/** Writes a Y4M clip (15 fps) of the given RGB frames, each repeated `repeat` times. */
export function writeY4m(path: string, frames: Buffer[], repeat = 1): string {
  const header = Buffer.from(`YUV4MPEG2 W${VIDEO_WIDTH} H${VIDEO_HEIGHT} F15:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const marker = Buffer.from('FRAME\n', 'ascii');
  const parts: Buffer[] = [header];
  for (const f of frames) {
    const yuv = rgbToI420(f, VIDEO_WIDTH, VIDEO_HEIGHT);
    for (let i = 0; i < repeat; i++) parts.push(marker, yuv);
  }
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** A still clip of one photo: what a printed photo held up to the camera looks like to the page. */
export async function stillClip(path: string, photo: string, fill = 1): Promise<string> {
  return writeY4m(path, [await frameFromPhoto(fixturePhoto(photo), { fill })], 4);
}

export interface FaceLocation {
  /** Size of the image the box refers to. */
  width: number;
  height: number;
  box: { left: number; top: number; right: number; bottom: number };
}

/** Locates a fixture's face with the engine's own detector (the first face it finds). */
export const locateWith =
  (engine: Pick<FaceEngine, 'detect'>) =>
  async (bytes: Uint8Array): Promise<FaceLocation> => {
    const r = await engine.detect(bytes);
    const face = r.faces[0];
    if (!face) throw new Error('no face in the fixture');
    return { width: r.width, height: r.height, box: face.box };
  };

/**
 * One 640x480 RGB frame of the photo framed the way the page's guidance asks a person to stand: the face (located by
 * the caller, e.g. with the engine's detect) in the middle, its height `faceShare` of the frame's.
 */
export async function centredFrame(photo: string, at: FaceLocation, faceShare = 0.42): Promise<Buffer> {
  const meta = await sharp(photo).metadata();
  const k = (meta.width ?? at.width) / at.width;
  const box = { left: at.box.left * k, top: at.box.top * k, right: at.box.right * k, bottom: at.box.bottom * k };
  const scale = (faceShare * VIDEO_HEIGHT) / (box.bottom - box.top);
  const w = Math.round((meta.width ?? 1) * scale);
  const h = Math.round((meta.height ?? 1) * scale);
  const padded = await sharp(photo)
    .removeAlpha()
    .resize(w, h)
    .extend({
      top: VIDEO_HEIGHT,
      bottom: VIDEO_HEIGHT,
      left: VIDEO_WIDTH,
      right: VIDEO_WIDTH,
      background: '#8a8f96',
    })
    .toBuffer();
  const cx = ((box.left + box.right) / 2) * scale + VIDEO_WIDTH;
  const cy = ((box.top + box.bottom) / 2) * scale + VIDEO_HEIGHT;
  return sharp(padded)
    .extract({
      left: Math.round(cx - VIDEO_WIDTH / 2),
      top: Math.round(cy - VIDEO_HEIGHT / 2),
      width: VIDEO_WIDTH,
      height: VIDEO_HEIGHT,
    })
    .raw()
    .toBuffer();
}

/** A still clip of a photo with the face centred (see centredFrame). */
export async function centredClip(
  path: string,
  photo: string,
  locate: (bytes: Uint8Array) => Promise<FaceLocation>,
): Promise<string> {
  const file = fixturePhoto(photo);
  const at = await locate(readFileSync(file));
  return writeY4m(path, [await centredFrame(file, at)], 4);
}

/** The JPEGs of a recording stored as MJPEG (concatenated JPEGs), split at their SOI/EOI markers. */
export function splitMjpeg(mjpeg: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = -1;
  for (let i = 0; i < mjpeg.length - 1; i++) {
    if (mjpeg[i] !== 0xff) continue;
    if (mjpeg[i + 1] === 0xd8 && start < 0) start = i;
    else if (mjpeg[i + 1] === 0xd9 && start >= 0) {
      frames.push(mjpeg.subarray(start, i + 2));
      start = -1;
    }
  }
  return frames;
}

/**
 * A Y4M clip (15 fps) of a real camera recording stored as MJPEG (concatenated JPEGs), every `step`-th frame,
 * scaled to the fake camera's 640x480.
 */
export async function clipFromMjpeg(path: string, mjpeg: Buffer, step = 2): Promise<string> {
  const frames: Buffer[] = [];
  for (const [n, jpeg] of splitMjpeg(mjpeg).entries()) {
    if (n % step !== 0) continue;
    frames.push(await sharp(jpeg).resize(VIDEO_WIDTH, VIDEO_HEIGHT, { fit: 'fill' }).removeAlpha().raw().toBuffer());
  }
  return writeY4m(path, frames);
}
