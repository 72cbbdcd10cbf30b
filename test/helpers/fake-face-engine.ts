import { SCENE_HEIGHT, SCENE_WIDTH } from '../../src/domain/frame-continuity.js';
import { AppError, type ErrorKind } from '../../src/errors.js';
import type { DetectedFace, FaceEngine, FacePose, FaceSample } from '../../src/ports/face-engine.js';

// A deterministic face engine for unit tests of the core: no ONNX, no pixels. An "image" is the bytes of
// `FAKE:<json of a FakeImage>`, made by `fakeImage(...)`, so a test says in the image what the engine sees: whose
// face (the template is a function of the name), how live it looks, where the head points, or which refusal the
// engine answers. The same image always gives the same answer.

export interface FakeImage {
  /** Whose face: one name, one template. Two names give unrelated templates (cosine near 0). */
  person?: string;
  /**
   * Another photo of the same person: the template moves off the person's by this much (0 = identical; 0.3 gives
   * a cosine near 0.96, 1 near 0.7).
   */
  variant?: number;
  /** P(live) 0..1, as the liveness model would answer; default 0.99. */
  liveness?: number;
  /** Head pose in degrees (negative yaw: turned to their own left) and eye openness; default frontal, open. */
  yaw?: number;
  pitch?: number;
  eyesOpen?: number;
  /** The room the frame was filmed in: frames of one scene look like one video; default 'room'. */
  scene?: string;
  /** A small face shift in pixels, as between frames of a video; default 0. */
  shift?: number;
  /** Analysis of this image waits until the test calls `engine.hold(name)`'s release: work in flight. */
  waitFor?: string;
  /** What the engine refuses the image with instead of analysing it. */
  refuse?: Extract<
    ErrorKind,
    | 'imageInvalid'
    | 'imageTooLarge'
    | 'noFace'
    | 'multipleFaces'
    | 'faceTooSmall'
    | 'faceTooBlurred'
    | 'faceNotFrontal'
    | 'engineBusy'
  >;
}

const PREFIX = 'FAKE:';

/** The image as the API takes it (base64), padded past the API's minimum image length. */
export function fakeImage(image: FakeImage = {}): string {
  return Buffer.from(`${PREFIX}${JSON.stringify(image)}`.padEnd(120, ' ')).toString('base64');
}

/** A burst of `count` frames of one person in one scene, moving a little, as a camera films them. */
export function fakeBurst(count: number, image: FakeImage = {}, each?: (i: number) => FakeImage): string[] {
  return Array.from({ length: count }, (_, i) => fakeImage({ shift: i % 3, ...image, ...each?.(i) }));
}

export const FAKE_DIMENSION = 128;

function parse(bytes: Uint8Array): FakeImage {
  const text = Buffer.from(bytes).toString('utf8').trimEnd();
  if (!text.startsWith(PREFIX)) throw new AppError('imageInvalid');
  return JSON.parse(text.slice(PREFIX.length)) as FakeImage;
}

/** mulberry32 over a string's FNV-1a hash: the same name, the same numbers. */
function random(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const s = 1 / Math.sqrt(n || 1);
  return v.map((x) => x * s);
}

function gaussian(seed: string, dimension: number): Float32Array {
  const r = random(seed);
  return Float32Array.from({ length: dimension }, () => {
    const u = Math.max(r(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  });
}

/** The person's template; a variant moves it off by `variant` times a random direction of its own. */
export function fakeTemplate(person: string, variant = 0, dimension = FAKE_DIMENSION): Float32Array {
  const base = unit(gaussian(`person:${person}`, dimension));
  if (variant === 0) return base;
  const noise = unit(gaussian(`variant:${person}:${variant}`, dimension));
  return unit(base.map((x, i) => x + variant * (noise[i] as number)));
}

const WIDTH = 640;
const HEIGHT = 480;

/** 68 landmarks of a face turned by yaw and pitch: a solid, the nose nearer the camera than the cheeks. */
function landmarks(yaw: number, pitch: number, shift: number): Float32Array {
  const points = new Float32Array(136);
  const cy = Math.cos((yaw * Math.PI) / 180);
  const sy = Math.sin((yaw * Math.PI) / 180);
  const cp = Math.cos((pitch * Math.PI) / 180);
  const sp = Math.sin((pitch * Math.PI) / 180);
  for (let i = 0; i < 68; i++) {
    // A rough face layout in units of the face's half width: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth.
    let x: number;
    let y: number;
    let z: number;
    if (i <= 16) {
      const t = (i / 16) * Math.PI;
      x = -Math.cos(t);
      y = 0.2 + Math.sin(t) * 0.9;
      z = -0.4 + Math.sin(t) * 0.3;
    } else if (i <= 26) {
      x = -0.8 + ((i - 17) / 9) * 1.6;
      y = -0.45;
      z = 0.1;
    } else if (i <= 35) {
      x = i <= 30 ? 0 : -0.2 + ((i - 31) / 4) * 0.4;
      y = i <= 30 ? -0.3 + ((i - 27) / 3) * 0.4 : 0.15;
      z = i <= 30 ? 0.2 + ((i - 27) / 3) * 0.4 : 0.35;
    } else if (i <= 47) {
      const left = i <= 41;
      const t = ((i - (left ? 36 : 42)) / 6) * 2 * Math.PI;
      x = (left ? -0.4 : 0.4) + Math.cos(t) * 0.15;
      y = -0.25 + Math.sin(t) * 0.05;
      z = 0.05;
    } else {
      const t = ((i - 48) / 20) * 2 * Math.PI;
      x = Math.cos(t) * 0.35;
      y = 0.5 + Math.sin(t) * 0.1;
      z = 0.15;
    }
    const x1 = x * cy + z * sy;
    const z1 = -x * sy + z * cy;
    const y1 = y * cp - z1 * sp;
    points[i * 2] = WIDTH / 2 + shift + x1 * 100;
    points[i * 2 + 1] = HEIGHT / 2 + y1 * 100;
  }
  return points;
}

function scene(name: string): Uint8Array {
  const r = random(`scene:${name}`);
  const a = 40 + r() * 80;
  const b = r() * 4;
  const c = r() * 4;
  return Uint8Array.from({ length: SCENE_WIDTH * SCENE_HEIGHT }, (_, i) => {
    const x = i % SCENE_WIDTH;
    const y = Math.floor(i / SCENE_WIDTH);
    return Math.round(a + b * x + c * y + 20 * Math.sin(x / 3) * Math.cos(y / 4));
  });
}

function face(image: FakeImage): DetectedFace {
  const shift = image.shift ?? 0;
  const at = (x: number, y: number) => [WIDTH / 2 + shift + x, HEIGHT / 2 + y] as const;
  return {
    box: { left: 220 + shift, top: 120, right: 420 + shift, bottom: 360 },
    detectionScore: 0.99,
    landmarks: {
      leftEye: at(-40, -25),
      rightEye: at(40, -25),
      nose: at(0, 10),
      leftMouth: at(-30, 50),
      rightMouth: at(30, 50),
    },
    quality: { faceSize: 200, sharpness: 200, yaw: Math.abs(image.yaw ?? 0), pitch: Math.abs(image.pitch ?? 0) },
  };
}

export interface FakeFaceEngine extends FaceEngine {
  /** Every image analysed, in order: what a test checks about the work done. */
  readonly analysed: FakeImage[];
  /** Holds the analysis of images `waitFor: name` until the returned function is called. */
  hold(name: string): () => void;
}

/** A FaceEngine whose answers are written in its images (see FakeImage). */
export function createFakeFaceEngine(options: { dimension?: number } = {}): FakeFaceEngine {
  const dimension = options.dimension ?? FAKE_DIMENSION;
  const analysed: FakeImage[] = [];
  const held = new Map<string, { promise: Promise<void>; release: () => void }>();
  return {
    hold(name) {
      let release = () => {};
      const promise = new Promise<void>((resolve) => {
        release = resolve;
      });
      held.set(name, { promise, release });
      return release;
    },
    modelId: `fake-face-engine-${dimension}`,
    dimension,
    analysed,
    async detect(bytes) {
      const image = parse(bytes);
      if (image.refuse === 'imageInvalid' || image.refuse === 'imageTooLarge') throw new AppError(image.refuse);
      const count = image.refuse === 'noFace' ? 0 : image.refuse === 'multipleFaces' ? 2 : 1;
      return { width: WIDTH, height: HEIGHT, faces: Array.from({ length: count }, () => face(image)) };
    },
    async analyse(bytes, o = {}) {
      const image = parse(bytes);
      analysed.push(image);
      if (image.waitFor !== undefined) await held.get(image.waitFor)?.promise;
      if (image.refuse) {
        const gate = ['faceTooSmall', 'faceTooBlurred', 'faceNotFrontal'].includes(image.refuse);
        if (!gate || o.qualityGates !== false) throw new AppError(image.refuse);
      }
      const sample: FaceSample = {
        face: face(image),
        template: fakeTemplate(image.person ?? 'anyone', image.variant ?? 0, dimension),
      };
      if (o.liveness) sample.liveness = image.liveness ?? 0.99;
      if (o.thumbnail) sample.thumbnail = Buffer.from(`thumbnail of ${image.person ?? 'anyone'}`);
      if (o.pose) {
        const pose: FacePose = {
          yaw: image.yaw ?? 0,
          pitch: image.pitch ?? 0,
          eyesOpen: image.eyesOpen ?? 1,
          trace: {
            width: WIDTH,
            height: HEIGHT,
            scene: scene(image.scene ?? 'room'),
            points: landmarks(image.yaw ?? 0, image.pitch ?? 0, image.shift ?? 0),
          },
        };
        sample.pose = pose;
      }
      return sample;
    },
    similarity(a, b) {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
      return s;
    },
    // The real engine's calibration, roughly: cosine 0.45 -> 0.85, 0.25 -> 0.5, never below 0 or above 1.
    score(similarity) {
      return Math.min(1, Math.max(0, 1 / (1 + Math.exp(-(similarity - 0.25) * 8.7))));
    },
    async close() {},
  };
}
