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
  let started: FaceEngine | undefined;
  let failed = false;
  const ready = () => {
    engine ??= start().then(
      (e) => {
        started = e;
        failed = false;
        return e;
      },
      (err) => {
        engine = undefined;
        failed = true;
        throw err;
      },
    );
    return engine;
  };
  return {
    modelId: identity.modelId,
    dimension: identity.dimension,
    ready,
    started: () => engine !== undefined,
    detect: async (image, call) => (await ready()).detect(image, call),
    analyse: async (image, options, call) => (await ready()).analyse(image, options, call),
    // Not started is ready (it starts on first use; the server starts it before it listens); a start that
    // failed, or one still loading the models, is not.
    health: () => {
      if (started) return started.health?.() ?? { ok: true };
      if (failed) return { ok: false, detail: 'the face models could not be loaded' };
      return engine ? { ok: false, detail: 'loading the face models' } : { ok: true };
    },
    // Pure maths, needing no models.
    similarity: identity.similarity,
    score: identity.score,
    close: async () => {
      if (engine) await (await engine).close();
    },
  };
}
