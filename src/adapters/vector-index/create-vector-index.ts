import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexChangeLog } from '../../ports/index-change-log.js';
import type { VectorEntry, VectorIndex } from '../../ports/vector-index.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import { createExactVectorIndex } from './exact-vector-index.js';
import { createHnswVectorIndex, type VectorIndexSource } from './hnsw-vector-index.js';
import { createReplicatedVectorIndex } from './replicated-vector-index.js';
import { acquireSnapshotLock } from './snapshot-lock.js';

export interface VectorIndexChoice {
  kind: 'exact' | 'hnsw';
  dataDir: string;
  dimension: number;
  quantization: 'f32' | 'f16' | 'i8';
  source: VectorIndexSource;
  /** The store's template cipher; the HNSW index seals its snapshots with it. */
  cipher: TemplateCipher;
  /** Shared with the other processes on this database; the index replays what they change. */
  changes: IndexChangeLog;
  load(keys: readonly bigint[]): Promise<VectorEntry[]>;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

/**
 * The in-process 1:N index, loaded from the database: the exact index reads every template at start; the HNSW
 * index loads its snapshot from `<dataDir>/index` and rebuilds only collections whose snapshot is stale. Of the
 * processes sharing a data directory only the holder of `<dataDir>/index.lock` touches the snapshot; the others
 * build theirs from the database in a private scratch directory (snapshot-lock.ts).
 */
export async function createVectorIndex(choice: VectorIndexChoice): Promise<VectorIndex> {
  const startAfter = await choice.changes.latest();
  const local = await createLocalIndex(choice);
  return createReplicatedVectorIndex({
    local,
    startAfter,
    log: choice.changes,
    load: choice.load,
    onError: (err) => choice.log?.('vector index replay failed', { err: String(err) }),
  });
}

async function createLocalIndex(choice: VectorIndexChoice): Promise<VectorIndex> {
  if (choice.kind === 'exact') {
    const index = createExactVectorIndex({ dimension: choice.dimension });
    for (const collection of await choice.source.collections()) {
      const batch = [];
      for await (const entry of choice.source.entries(collection)) batch.push(entry);
      await index.add(collection, batch);
    }
    return index;
  }
  mkdirSync(choice.dataDir, { recursive: true });
  const lock = acquireSnapshotLock(join(choice.dataDir, 'index.lock'));
  const scratchRoot = join(choice.dataDir, 'index-scratch');
  let dir = join(choice.dataDir, 'index');
  if (lock.owned) {
    sweepScratch(scratchRoot);
  } else {
    mkdirSync(scratchRoot, { recursive: true, mode: 0o700 });
    dir = mkdtempSync(join(scratchRoot, `${process.pid}-`));
    choice.log?.('vector index snapshot owned by another process: building a private copy from the database', {
      owner: lock.owner,
    });
  }
  const dropScratch = () => {
    if (!lock.owned) rmSync(dir, { recursive: true, force: true });
  };
  let index: VectorIndex;
  try {
    index = await createHnswVectorIndex({
      dir,
      persist: lock.owned,
      dimension: choice.dimension,
      quantization: choice.quantization,
      cipher: choice.cipher,
      source: choice.source,
      onEvent: (e) => choice.log?.(`vector index ${e.type}`, { ...e }),
    });
  } catch (err) {
    lock.release();
    dropScratch();
    throw err;
  }
  return {
    ...index,
    async close() {
      try {
        await index.close();
      } finally {
        lock.release();
        dropScratch();
      }
    },
  };
}

/** Removes scratch directories of processes that are gone (killed before their close). */
function sweepScratch(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
