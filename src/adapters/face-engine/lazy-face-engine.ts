import type { FaceEngine } from '../../ports/face-engine.js';

/**
 * Starts the real engine on first use, so that commands and tests that never touch a face do not load the
 * models; `ready()` starts it eagerly (the server does, so a missing model fails at start, not on a request).
 */
export function lazyFaceEngine(
  identity: Pick<FaceEngine, 'modelId' | 'dimension' | 'similarity' | 'score'>,
  start: () => Promise<FaceEngine>,
): FaceEngine & { ready(): Promise<FaceEngine>; started(): boolean } {
  let engine: Promise<FaceEngine> | undefined;
  const ready = () => {
    engine ??= start().catch((err) => {
      engine = undefined;
      throw err;
    });
    return engine;
  };
  return {
    modelId: identity.modelId,
    dimension: identity.dimension,
    ready,
    started: () => engine !== undefined,
    detect: async (image) => (await ready()).detect(image),
    analyse: async (image, options) => (await ready()).analyse(image, options),
    // Pure maths, needing no models.
    similarity: identity.similarity,
    score: identity.score,
    close: async () => {
      if (engine) await (await engine).close();
    },
  };
}
