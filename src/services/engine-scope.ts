import { AsyncLocalStorage } from 'node:async_hooks';
import type { EngineCall, FaceEngine } from '../ports/face-engine.js';

// The request a face-engine job is for, without threading it through every service: the HTTP layer runs each
// request's handler inside a scope (its caller, and a signal that aborts when the request ends, answered or
// abandoned), and the engine the services hold adds that scope to every job they submit. So the images of a
// multi-image request that failed on its first image (a gallery, a burst) leave the engine's queue as soon as the
// failure is answered, and one caller's jobs queue in its own turn (worker-pool.ts). Outside any scope (the command
// line) jobs go as they came.

const scope = new AsyncLocalStorage<EngineCall>();

export function runInEngineScope<T>(call: EngineCall, fn: () => T): T {
  return scope.run(call, fn);
}

/** The engine, with each job's EngineCall completed from the current scope. */
export function scopedFaceEngine(engine: FaceEngine): FaceEngine {
  const callOf = (call: EngineCall | undefined): EngineCall | undefined => {
    const current = scope.getStore();
    if (current === undefined) return call;
    if (call === undefined) return current;
    const signals = [current.signal, call.signal].filter((s): s is AbortSignal => s !== undefined);
    const caller = call.caller ?? current.caller;
    return {
      ...(caller !== undefined ? { caller } : {}),
      ...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
    };
  };
  const scoped: FaceEngine = {
    modelId: engine.modelId,
    dimension: engine.dimension,
    detect: (image, call) => engine.detect(image, callOf(call)),
    analyse: (image, options, call) => engine.analyse(image, options, callOf(call)),
    similarity: (a, b) => engine.similarity(a, b),
    score: (s) => engine.score(s),
    close: () => engine.close(),
  };
  if (engine.health) scoped.health = () => engine.health?.() ?? { ok: true };
  return scoped;
}
