import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import type { FaceBox } from '../../ports/face-engine.js';
import { cropResize, type Sampleable } from './raw-image.js';

// Animal check (issue #11): the face detector was trained on faces only, so a frontal cat's head is "a face" to it,
// and none of the face models' own signals tell the two apart (src/adapters/face-engine/README.md). A COCO object
// detector was trained on people *and* animals: CenterNet-MobileNetV3 from @vladmandic/human 3.3.6 (TF.js graph
// model, run on tfjs-backend-wasm, one thread). It looks at square windows around each face the face detector keeps
// (WINDOW_SCALES); a face where every window shows an animal clearly more surely than a person is not a face.

/** Side of the object detector's input. Trained at 512; 256 keeps the animal/person verdicts (measured) at 1/3 of the cost. */
export const OBJECT_INPUT = 256;
/**
 * The windows around a face, in face sides (head and shoulders, and more of the body). A person's head floating on a
 * blank background (a tight crop, a face pasted into a frame) looks animal-like in one of them at times, more rarely
 * in both: on degraded dev copies, one window refused 26 human faces in 2,589, both 9 (animals 516 and 495 of 526).
 */
export const WINDOW_SCALES = [3, 4] as const;
/** Output stride of CenterNet's heatmap. */
const STRIDE = 4;
/** COCO classes as this model numbers them (0-based): person, and every animal (teddy bear included). */
const PERSON = 0;
const ANIMALS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 77]);
const CLASSES = 80;
/** Peaks below this are noise for the verdict (weakest person peak on a dev face: 0.15). */
const MIN_PEAK = 0.05;
/** A detection speaks for the face when it covers at least this share of the face box. */
const MIN_COVER = 0.5;
/** An animal below this is not trusted to overrule the face detector. */
export const MIN_ANIMAL = 0.15;
/** How much surer of the animal than of a person the detector must be, in every window. */
export const ANIMAL_MARGIN = 1.5;

export interface ObjectDetection {
  box: FaceBox;
  score: number;
  cls: number;
}

export interface AnimalEvidence {
  /** Best person score among detections covering the face. */
  person: number;
  /** Best animal score among detections covering the face. */
  animal: number;
  /** COCO class of that animal (-1: none). */
  animalClass: number;
}

/** The rule, on detections in any coordinate frame shared with `face`. */
export function animalEvidence(detections: readonly ObjectDetection[], face: FaceBox): AnimalEvidence {
  const area = (face.right - face.left) * (face.bottom - face.top);
  let person = 0;
  let animal = 0;
  let animalClass = -1;
  for (const d of detections) {
    const w = Math.max(0, Math.min(d.box.right, face.right) - Math.max(d.box.left, face.left));
    const h = Math.max(0, Math.min(d.box.bottom, face.bottom) - Math.max(d.box.top, face.top));
    if (area <= 0 || (w * h) / area < MIN_COVER) continue;
    if (d.cls === PERSON) person = Math.max(person, d.score);
    else if (ANIMALS.has(d.cls) && d.score > animal) {
      animal = d.score;
      animalClass = d.cls;
    }
  }
  return { person, animal, animalClass };
}

/** Not a face: an animal, surely enough and surer than a person, in every window looked at. */
export const isAnimal = (views: readonly AnimalEvidence[]): boolean =>
  views.length > 0 && views.every((e) => e.animal >= MIN_ANIMAL && e.animal > ANIMAL_MARGIN * e.person);

/**
 * CenterNet decoding as the graph's own tail does it (which is fixed to 512 px): a detection is a 3x3 local maximum of
 * a class heatmap; its box is the peak's position minus/plus the four distances of the `wh` map (input pixels).
 * Only the classes the rule reads are decoded.
 */
export function decodeCenterNet(heat: Float32Array, wh: Float32Array, size: number): ObjectDetection[] {
  const out: ObjectDetection[] = [];
  const classes = [PERSON, ...ANIMALS];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = (y * size + x) * CLASSES;
      for (const c of classes) {
        const v = heat[at + c]!;
        if (v < MIN_PEAK || !isPeak(heat, size, x, y, c, v)) continue;
        const o = (y * size + x) * 4;
        const cx = x * STRIDE;
        const cy = y * STRIDE;
        out.push({
          box: { left: cx - wh[o]!, top: cy - wh[o + 1]!, right: cx + wh[o + 2]!, bottom: cy + wh[o + 3]! },
          score: v,
          cls: c,
        });
      }
    }
  }
  return out;
}

function isPeak(heat: Float32Array, size: number, x: number, y: number, c: number, v: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
      if (heat[(yy * size + xx) * CLASSES + c]! > v) return false;
    }
  }
  return true;
}

export interface AnimalCheck {
  /** The evidence in each window (WINDOW_SCALES order); it stops at the first window that shows no animal. */
  evidence(img: Sampleable, face: FaceBox): Promise<AnimalEvidence[]>;
}

interface GraphJson {
  modelTopology: { node: Array<{ name: string; op: string; attr?: Record<string, unknown> }> };
  weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }>;
}

/** Bytes one stored element of a weight takes (float16-quantised constants are half size). */
const storedBytes = (w: tf.io.WeightsManifestEntry) =>
  w.quantization?.dtype === 'uint8'
    ? 1
    : w.quantization?.dtype === 'float16' || w.quantization?.dtype === 'uint16'
      ? 2
      : 4;

/**
 * The graph as converted takes only 512x512: its input placeholder and its three upsampling layers' target sizes are
 * constants. Both are rewritten for `size` (the upsampling targets are size/16, /8, /4), so the network runs as the
 * fully convolutional net it is; the graph's decoding tail, which hard-codes the 128x128 heatmap, is not run.
 */
function resized(graph: GraphJson, weights: Uint8Array, size: number): tf.io.ModelArtifacts {
  const topology = structuredClone(graph.modelTopology);
  for (const n of topology.node) {
    if (n.op === 'Placeholder')
      n.attr = { ...n.attr, shape: { shape: { dim: [1, size, size, 3].map((d) => ({ size: String(d) })) } } };
  }
  const data = new Uint8Array(weights);
  const view = new DataView(data.buffer);
  const upsampling: Record<string, number> = {
    'up_sampling2d/mul': 16,
    'up_sampling2d_1/mul': 8,
    'up_sampling2d_2/mul': 4,
  };
  const specs = graph.weightsManifest.flatMap((g) => g.weights);
  let offset = 0;
  let patched = 0;
  for (const w of specs) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const factor = Object.entries(upsampling).find(([suffix]) => w.name.endsWith(suffix))?.[1];
    if (factor !== undefined && w.dtype === 'int32' && count === 2) {
      view.setInt32(offset, size / factor, true);
      view.setInt32(offset + 4, size / factor, true);
      patched++;
    }
    offset += count * storedBytes(w);
  }
  if (offset !== data.byteLength || patched !== 3)
    throw new Error('object detector weights do not have the expected layout');
  return { modelTopology: topology, weightSpecs: specs, weightData: data.buffer };
}

let backend: Promise<void> | undefined;
/** One tfjs backend per thread: wasm, single-threaded (tfjs-wasm's threads do not work in Node anyway). */
function wasmBackend(): Promise<void> {
  backend ??= (async () => {
    tf.env().set('PROD', true);
    const exceptions = new Set(process.listeners('uncaughtException'));
    const rejections = new Set(process.listeners('unhandledRejection'));
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to start');
    await tf.ready();
    // The Emscripten runtime hooks process-wide handlers that rethrow everything; the thread's own handling stays.
    for (const l of process.listeners('uncaughtException'))
      if (!exceptions.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection'))
      if (!rejections.has(l)) process.removeListener('unhandledRejection', l);
  })();
  return backend;
}

export interface AnimalCheckOptions {
  inputSize?: number;
  windowScales?: readonly number[];
}

export async function createAnimalCheck(
  graphJson: Uint8Array,
  weights: Uint8Array,
  { inputSize = OBJECT_INPUT, windowScales = WINDOW_SCALES }: AnimalCheckOptions = {},
): Promise<AnimalCheck> {
  await wasmBackend();
  const graph = JSON.parse(new TextDecoder().decode(graphJson)) as GraphJson;
  const model: GraphModel = await loadGraphModel(tf.io.fromMemory(resized(graph, weights, inputSize)));
  const heatSize = inputSize / STRIDE;

  async function look(img: Sampleable, face: FaceBox, scale: number): Promise<AnimalEvidence> {
    const side = scale * Math.max(face.right - face.left, face.bottom - face.top);
    const x0 = (face.left + face.right - side) / 2;
    const y0 = (face.top + face.bottom - side) / 2;
    // Padding outside the photo is mid-grey (raw-image.ts), which the detector reads as no content.
    const pixels = cropResize(img, { x: x0, y: y0, width: side, height: side }, inputSize, inputSize);
    const input = tf.tensor4d(pixels, [1, inputSize, inputSize, 3], 'float32');
    const [heatT, whT] = model.execute(input, ['tower_0/keypoints', 'tower_0/wh']) as tf.Tensor[];
    try {
      const [heat, wh] = (await Promise.all([heatT!.data(), whT!.data()])) as [Float32Array, Float32Array];
      const k = inputSize / side;
      const inWindow = {
        left: (face.left - x0) * k,
        top: (face.top - y0) * k,
        right: (face.right - x0) * k,
        bottom: (face.bottom - y0) * k,
      };
      return animalEvidence(decodeCenterNet(heat, wh, heatSize), inWindow);
    } finally {
      tf.dispose([input, heatT!, whT!]);
    }
  }

  return {
    async evidence(img, face) {
      const views: AnimalEvidence[] = [];
      for (const scale of windowScales) {
        const e = await look(img, face, scale);
        views.push(e);
        // A person's face ends the check after one window: the second is paid only by what looked like an animal.
        if (!isAnimal([e])) break;
      }
      return views;
    },
  };
}
