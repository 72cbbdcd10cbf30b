import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { AppError } from '../../errors.js';
import type { DetectedFace, DetectResult, FaceBox, FaceSample } from '../../ports/face-engine.js';
import { ALIGNED_SIZE, alignmentAffine } from './align.js';
import { createAnimalCheck, isAnimal } from './animal-check.js';
import { decodeImage } from './decode-image.js';
import { detectionWindow, iou, nms, type RawDetection, runDetector } from './detector.js';
import { chooseFace } from './face-choice.js';
import { frameTrace } from './frame-trace.js';
import { estimatePose } from './head-pose.js';
import { boxFromLandmarks, fivePoints, type Landmarks68, runLandmarks } from './landmarks.js';
import { runLiveness } from './liveness.js';
import { calibratedLiveness } from './liveness-calibration.js';
import { landmarksMirrorConsistent } from './mirror-check.js';
import type { ModelName } from './model-files.js';
import { poseFromLandmarks, qualityFailure, sharpness } from './quality.js';
import { ImagePyramid, type RgbImage, warp } from './raw-image.js';
import { embed } from './recogniser.js';

// The whole single-image analysis, run inside one worker thread with its own ONNX sessions.

export type Stage = 'decode' | 'detect' | 'landmarks' | 'animal' | 'embed' | 'liveness' | 'pose';
export type StageTimings = Partial<Record<Stage, number>>;

export interface PipelineOptions {
  liveness?: boolean;
  thumbnail?: boolean;
  qualityGates?: boolean;
  /**
   * 'single' (default): one subject, else `multipleFaces` (bystanders are ignored, see face-choice.ts). 'dominant': the
   * most prominent face even when others are present (bulk enrolment of existing photos, evaluation).
   */
  faceSelection?: 'single' | 'dominant';
  /** Mirror test-time augmentation for the template (costs a second recogniser pass). */
  flip?: boolean;
  /** Head pose and eye state (`FaceSample.pose`), for active liveness; two small extra models. */
  pose?: boolean;
  /** The animal check (default true); see AnalyseOptions.animalCheck. */
  animalCheck?: boolean;
}

export interface Analysed extends FaceSample {
  /** How many faces the detector found in the image (including ignored background faces). */
  faceCount: number;
  timings: StageTimings;
}

/** Padding tried around the image when the first detector pass suggests a tight crop or finds nothing. */
const TIGHT_CROP_MARGIN = 0.4;
/** A face whose box covers this share of the image's shorter side counts as a tight crop. */
const TIGHT_CROP_SHARE = 0.55;
/** Detections at or above this score skip the second look. */
const SURE_SCORE = 0.995;
/** Bounds the cost of the second look on crowd photos. */
const MAX_SECOND_LOOKS = 6;
/** Bounds the cost of the animal check (~35 ms a face) on crowd photos: the largest faces are the ones used. */
const MAX_ANIMAL_CHECKS = 4;

const sessionOptions: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

export interface Pipeline {
  detect(bytes: Uint8Array): Promise<DetectResult & { timings: StageTimings }>;
  analyse(bytes: Uint8Array, options?: PipelineOptions): Promise<Analysed>;
}

const side = (b: FaceBox) => Math.max(b.right - b.left, b.bottom - b.top);

export async function createPipeline(models: Record<ModelName, Uint8Array>): Promise<Pipeline> {
  const [det, lmk, feat, live, pose, eye] = await Promise.all(
    (['detect', 'landmark', 'feature', 'liveness', 'pose', 'eye'] as const).map((m) =>
      ort.InferenceSession.create(models[m], sessionOptions),
    ),
  );
  if (!det || !lmk || !feat || !live || !pose || !eye) throw new Error('model sessions failed to load');
  const animals = await createAnimalCheck(models.objects, models.objectWeights);

  const time = async <T>(timings: StageTimings, stage: Stage, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + (performance.now() - t0);
    }
  };

  async function findFaces(img: ImagePyramid, timings: StageTimings): Promise<RawDetection[]> {
    return time(timings, 'detect', async () => {
      let dets = await runDetector(det!, img, detectionWindow(img.width, img.height, 0));
      const shorter = Math.min(img.width, img.height);
      const tight = dets.length === 0 || dets.some((d) => side(d.box) > TIGHT_CROP_SHARE * shorter);
      if (tight) {
        const padded = await runDetector(det!, img, detectionWindow(img.width, img.height, TIGHT_CROP_MARGIN));
        dets = nms([...dets, ...padded], 0.4);
      }
      return confirm(img, dets);
    });
  }

  /**
   * Second look: a candidate the detector is not sure of is re-detected in a window of about twice its size, where
   * the face fills far more of the detector's input. Real faces come back near-certain (>= 0.94 on the dev set);
   * face-like textures seen at low resolution (a cat's head) fall away.
   */
  async function confirm(img: ImagePyramid, dets: RawDetection[]): Promise<RawDetection[]> {
    const out: RawDetection[] = [];
    let checks = 0;
    for (const d of [...dets].sort((a, b) => side(b.box) - side(a.box))) {
      if (d.score >= SURE_SCORE || checks >= MAX_SECOND_LOOKS) {
        out.push(d);
        continue;
      }
      checks++;
      const s = side(d.box) * 2.2;
      const cx = (d.box.left + d.box.right) / 2;
      const cy = (d.box.top + d.box.bottom) / 2;
      const window = { x: cx - (s * 2) / 3, y: cy - s / 2, width: (s * 4) / 3, height: s };
      const again = await runDetector(det!, img, window);
      if (again.some((r) => iou(r.box, d.box) > 0.3)) out.push(d);
    }
    return out;
  }

  async function describe(img: ImagePyramid, d: RawDetection, timings: StageTimings): Promise<Face> {
    return time(timings, 'landmarks', async () => {
      // A second landmark pass on a box re-centred on the first landmarks changed nothing measurable, so one pass.
      const pts = await runLandmarks(lmk!, img, d.box);
      const landmarks = fivePoints(pts);

      const pose = poseFromLandmarks(landmarks);
      return {
        box: d.box,
        landmarkBox: boxFromLandmarks(pts),
        points: pts,
        detectionScore: d.score,
        landmarks,
        // Sharpness needs the aligned crop; it is filled in once the face is aligned.
        quality: { faceSize: side(d.box), sharpness: 0, yaw: pose.yaw, pitch: pose.pitch },
      };
    });
  }

  async function detectDecoded(img: ImagePyramid, timings: StageTimings, animalCheck = true): Promise<Face[]> {
    const dets = await findFaces(img, timings);
    const faces: Face[] = [];
    for (const d of dets) {
      const face = await describe(img, d, timings);
      // Landmarks that move when the crop is mirrored: a face-like texture (a dog's head), not a face.
      if (await time(timings, 'landmarks', () => landmarksMirrorConsistent(lmk!, img, d.box, face.points)))
        faces.push(face);
    }
    faces.sort((a, b) => side(b.box) - side(a.box));
    // A face the object detector sees as an animal's head rather than a person's is not a face. Run only on faces that
    // passed every other test, so an image without candidates costs nothing more.
    if (!animalCheck) return faces;
    const kept: Face[] = [];
    for (const [i, face] of faces.entries()) {
      if (i >= MAX_ANIMAL_CHECKS) kept.push(face);
      else if (!isAnimal(await time(timings, 'animal', () => animals.evidence(img, face.box)))) kept.push(face);
    }
    return kept;
  }

  return {
    async detect(bytes) {
      const timings: StageTimings = {};
      const img = new ImagePyramid(await time(timings, 'decode', () => decodeImage(bytes)));
      const faces = await detectDecoded(img, timings);
      for (const f of faces)
        f.quality.sharpness = sharpness(warp(img, alignmentAffine(f.landmarks), ALIGNED_SIZE, ALIGNED_SIZE));
      return { width: img.width, height: img.height, faces: faces.map(publicFace), timings };
    },

    async analyse(bytes, options = {}) {
      const timings: StageTimings = {};
      const img = new ImagePyramid(await time(timings, 'decode', () => decodeImage(bytes)));
      const faces = await detectDecoded(img, timings, options.animalCheck ?? true);
      // Sharpness is one of the subject's marks (a bystander is often out of focus): measured on every face.
      const alignedFaces = new Map<Face, Float32Array>();
      for (const f of faces) {
        const a = warp(img, alignmentAffine(f.landmarks), ALIGNED_SIZE, ALIGNED_SIZE);
        f.quality.sharpness = sharpness(a);
        alignedFaces.set(f, a);
      }
      const face = chooseFace(faces, options.faceSelection ?? 'single', img);
      const aligned = alignedFaces.get(face)!;
      if (options.qualityGates ?? true) {
        const failure = qualityFailure(face.quality);
        if (failure) throw new AppError(failure);
      }
      const { template, norm } = await time(timings, 'embed', () => embed(feat!, aligned, options.flip ?? false));
      const sample: Analysed = {
        face: publicFace(face),
        template,
        templateNorm: norm,
        faceCount: faces.length,
        timings,
      };
      // The liveness model was trained on tight, square face boxes; the landmarks give one (the detector's box is
      // taller), which lifted P(live) on bona fide photos and lowered it on replays in our measurements.
      if (options.liveness) {
        const pLive = await time(timings, 'liveness', () => runLiveness(live!, img, face.landmarkBox));
        sample.liveness = calibratedLiveness(pLive);
      }
      if (options.pose) {
        const head = await time(timings, 'pose', () => estimatePose(pose!, eye!, img, face.box, face.points));
        sample.pose = { ...head, trace: frameTrace(img, face.points) };
      }
      if (options.thumbnail) sample.thumbnail = await thumbnail(img.base, face.box);
      return sample;
    },
  };
}

/** A face as the pipeline sees it; the extra fields stay inside the worker. */
interface Face extends DetectedFace {
  /** Square box around the 68 landmarks (brows to chin). */
  landmarkBox: FaceBox;
  /** The 68 landmarks in image pixels (the eye patches for the eye-state model). */
  points: Landmarks68;
}

const publicFace = ({ landmarkBox: _, points: _p, ...face }: Face): DetectedFace => face;

async function thumbnail(img: RgbImage, box: FaceBox): Promise<Buffer> {
  const s = side(box) * 1.4;
  const cx = (box.left + box.right) / 2;
  const cy = (box.top + box.bottom) / 2;
  const left = Math.min(img.width - 1, Math.max(0, Math.round(cx - s / 2)));
  const top = Math.min(img.height - 1, Math.max(0, Math.round(cy - s / 2)));
  const width = Math.max(1, Math.min(img.width - left, Math.round(s)));
  const height = Math.max(1, Math.min(img.height - top, Math.round(s)));
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .extract({ left, top, width, height })
    .resize(160, 160, { fit: 'cover' })
    .jpeg({ quality: 80 })
    .toBuffer();
}
