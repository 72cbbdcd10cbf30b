import type { FaceEngine } from '../ports/face-engine.js';
import type { ComponentHealth } from '../ports/health.js';
import type { Store } from '../ports/store.js';
import type { VectorIndex } from '../ports/vector-index.js';

// Whether this process can serve: the database answers, the 1:N index can search, the face engine has workers.
// Each check is cheap (no model run, no search), so a saturated engine stays ready: busy is answered per request
// with 503 engine_busy, and draining a busy server would only move its load onto the others.

export type Component = 'database' | 'index' | 'engine';

export interface Readiness {
  ready: boolean;
  components: Record<Component, ComponentHealth>;
  /** Causes of failed checks, for the log only (never in an answer). */
  errors: Partial<Record<Component, unknown>>;
}

export function createReadinessService(deps: { store: Store; index: VectorIndex; engine: FaceEngine }) {
  const guarded = async (
    run: () => Promise<ComponentHealth> | ComponentHealth,
    unavailable: string,
  ): Promise<[ComponentHealth, unknown]> => {
    try {
      return [await run(), undefined];
    } catch (err) {
      return [{ ok: false, detail: unavailable }, err];
    }
  };
  return {
    async check(): Promise<Readiness> {
      const [[database, dbErr], [index, indexErr], [engine, engineErr]] = await Promise.all([
        guarded(async () => {
          await deps.store.ping();
          return { ok: true };
        }, 'the database does not answer'),
        guarded(async () => (await deps.index.health?.()) ?? { ok: true }, 'the index cannot report its state'),
        guarded(() => deps.engine.health?.() ?? { ok: true }, 'the engine cannot report its state'),
      ]);
      const errors: Readiness['errors'] = {};
      if (dbErr !== undefined) errors.database = dbErr;
      if (indexErr !== undefined) errors.index = indexErr;
      if (engineErr !== undefined) errors.engine = engineErr;
      return { ready: database.ok && index.ok && engine.ok, components: { database, index, engine }, errors };
    },
  };
}

export type ReadinessService = ReturnType<typeof createReadinessService>;
