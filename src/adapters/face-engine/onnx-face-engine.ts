import type { AnalyseOptions, DetectResult, EngineCall, FaceEngine, FaceSample } from '../../ports/face-engine.js';
import { calibratedScore } from './calibration.js';
import { loadVerifiedModels, recogniserModelId } from './model-files.js';
import type { Analysed, PipelineOptions, StageTimings } from './pipeline.js';
import { cosine, DIMENSION } from './recogniser.js';
import { WorkerPool } from './worker-pool.js';

export interface OnnxFaceEngineOptions {
  /** Folder holding the verified model files (config `modelsDir`). */
  modelsDir: string;
  /** Worker threads, one ONNX thread each (config `engineWorkers`, default = cores). */
  workers: number;
  /** Jobs that may wait for a worker before `engineBusy` (config `engineQueue`). */
  queue: number;
  /** Mirror test-time augmentation for templates; off by default (a second recogniser pass per image). */
  flip?: boolean;
}

/** Engine-specific extras used by the eval and bench commands; services use the FaceEngine port only. */
export interface OnnxFaceEngine extends FaceEngine {
  analyseDetailed(image: Uint8Array, options?: PipelineOptions, call?: EngineCall): Promise<Analysed>;
  detectDetailed(image: Uint8Array): Promise<DetectResult & { timings: StageTimings }>;
  readonly workers: number;
}

/**
 * Verifies the model files (one clear error if one is missing or corrupt), then starts the worker pool, each worker
 * loading the models once. Resolves when every worker is ready.
 */
export async function createOnnxFaceEngine(options: OnnxFaceEngineOptions): Promise<OnnxFaceEngine> {
  await loadVerifiedModels(options.modelsDir);
  const pool = await WorkerPool.start({
    modelsDir: options.modelsDir,
    workers: Math.max(1, options.workers),
    queue: Math.max(0, options.queue),
  });
  const flip = options.flip ?? false;
  const analyseDetailed = async (image: Uint8Array, o: PipelineOptions = {}, call: EngineCall = {}) =>
    (await pool.analyse(image, { flip, ...o }, call)) as Analysed;
  return {
    modelId: flip ? `${recogniserModelId}-flip` : recogniserModelId,
    dimension: DIMENSION,
    workers: pool.size,
    async detect(image, call) {
      const { timings: _t, ...result } = (await pool.detect(image, call)) as DetectResult & { timings: StageTimings };
      return result;
    },
    detectDetailed: async (image) => (await pool.detect(image)) as DetectResult & { timings: StageTimings },
    async analyse(image, o: AnalyseOptions = {}, call?: EngineCall): Promise<FaceSample> {
      const { timings: _t, faceCount: _c, ...sample } = await analyseDetailed(image, o, call);
      return sample;
    },
    analyseDetailed,
    similarity: cosine,
    score: calibratedScore,
    health: () => (pool.healthy ? { ok: true } : { ok: false, detail: 'no engine worker is running' }),
    close: () => pool.close(),
  };
}
