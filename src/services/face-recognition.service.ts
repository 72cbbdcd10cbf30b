import { compareSimilarity } from '../domain/compare-similarity.js';
import { livenessVerdict, matchPassed, roundScore } from '../domain/scores.js';
import type { FaceEngine, FaceSample } from '../ports/face-engine.js';
import type { ImageReader } from './image-input.js';

// Verifik's 1:1 and liveness endpoints (§5.3–5.4) over the face engine port. Scores are the engine's calibrated
// 0..1 scores; `passed` follows Verifik: liveness passes iff score > min_score, a comparison iff score ≥ min.

export interface LivenessResult {
  liveness_score: number;
  min_score: number;
  passed: boolean;
}

export interface CompareResult {
  score: number;
  passed: boolean;
}

export function createFaceRecognitionService(deps: { engine: FaceEngine; readImage: ImageReader }) {
  const { engine, readImage } = deps;

  const analyse = async (value: string, field: string, liveness = false): Promise<FaceSample> =>
    engine.analyse(await readImage(value, field), { liveness });

  const livenessOf = (sample: FaceSample, minScore: number): LivenessResult =>
    livenessVerdict(sample.liveness ?? 0, minScore);

  /** Best calibrated score over every probe × gallery pair, each through the compare rule (compare-similarity). */
  const bestScore = (probes: FaceSample[], gallery: FaceSample[]): number => {
    let best = -1;
    for (const p of probes)
      for (const g of gallery)
        best = Math.max(
          best,
          compareSimilarity(engine.similarity(p.template, g.template), p.templateNorm, g.templateNorm),
        );
    return roundScore(engine.score(best));
  };

  const analyseAll = (values: readonly string[], field: string) =>
    Promise.all(values.map((v, i) => analyse(v, `${field}[${i}]`)));

  return {
    async detect(image: string) {
      const result = await engine.detect(await readImage(image, 'image'));
      return result.faces.map((f) => ({
        box: {
          top: Math.round(f.box.top),
          left: Math.round(f.box.left),
          right: Math.round(f.box.right),
          bottom: Math.round(f.box.bottom),
        },
        detection_score: roundScore(f.detectionScore),
        landmarks: {
          left_eye: f.landmarks.leftEye.map(Math.round),
          right_eye: f.landmarks.rightEye.map(Math.round),
          nose: f.landmarks.nose.map(Math.round),
          left_mouth: f.landmarks.leftMouth.map(Math.round),
          right_mouth: f.landmarks.rightMouth.map(Math.round),
        },
        quality: {
          face_size: Math.round(f.quality.faceSize),
          // Detection alone may not measure sharpness (it is computed on the aligned face).
          sharpness: Number.isFinite(f.quality.sharpness) ? roundScore(f.quality.sharpness) : null,
          yaw: Math.round(f.quality.yaw),
          pitch: Math.round(f.quality.pitch),
        },
        persons: [] as unknown[],
      }));
    },

    async compare(probe: readonly string[], gallery: readonly string[], minScore: number): Promise<CompareResult> {
      const [p, g] = await Promise.all([analyseAll(probe, 'probe'), analyseAll(gallery, 'gallery')]);
      const score = bestScore(p, g);
      return { score, passed: matchPassed(score, minScore) };
    },

    async compareLive(probe: string, gallery: readonly string[], compareMin: number, livenessMin: number) {
      const [p, g] = await Promise.all([analyse(probe, 'probe', true), analyseAll(gallery, 'gallery')]);
      const score = bestScore([p], g);
      return { comparison: { score, passed: matchPassed(score, compareMin) }, liveness: livenessOf(p, livenessMin) };
    },

    async liveness(image: string, minScore: number): Promise<LivenessResult> {
      return livenessOf(await analyse(image, 'image', true), minScore);
    },
  };
}

export type FaceRecognitionService = ReturnType<typeof createFaceRecognitionService>;
