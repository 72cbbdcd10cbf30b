import type { FaceEngine } from '../../ports/face-engine.js';
import type { Metrics } from '../../ports/metrics.js';
import type { OnnxFaceEngine } from '../face-engine/onnx-face-engine.js';

// The ONNX engine with its work measured: jobs in the engine (hence the queue beyond the workers), the time each
// analysed image spent per pipeline stage (the pipeline times them; analyseDetailed hands them out), and the
// liveness scores it computed.

export function meteredFaceEngine(engine: OnnxFaceEngine, metrics: Metrics): FaceEngine & { readonly workers: number } {
  const counted = async <T>(job: () => Promise<T>): Promise<T> => {
    metrics.engineJobs(1);
    try {
      return await job();
    } finally {
      metrics.engineJobs(-1);
    }
  };
  return {
    ...engine,
    workers: engine.workers,
    detect: (image, call) => counted(() => engine.detect(image, call)),
    analyse: (image, options, call) =>
      counted(async () => {
        const { timings, faceCount: _c, ...sample } = await engine.analyseDetailed(image, options, call);
        for (const [stage, ms] of Object.entries(timings)) if (ms !== undefined) metrics.engineStage(stage, ms / 1000);
        if (sample.liveness !== undefined) metrics.livenessScore(sample.liveness);
        return sample;
      }),
  };
}
