import { join } from 'node:path';
import type { IndexChangeLog } from '../../ports/index-change-log.js';
import type { VectorEntry, VectorIndex } from '../../ports/vector-index.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import { createExactVectorIndex } from './exact-vector-index.js';
import { createHnswVectorIndex, type VectorIndexSource } from './hnsw-vector-index.js';
import { createReplicatedVectorIndex } from './replicated-vector-index.js';

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
 * index loads its snapshot from `<dataDir>/index` and rebuilds only collections whose snapshot is stale.
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
  return createHnswVectorIndex({
    dir: join(choice.dataDir, 'index'),
    dimension: choice.dimension,
    quantization: choice.quantization,
    cipher: choice.cipher,
    source: choice.source,
    onEvent: (e) => choice.log?.(`vector index ${e.type}`, { ...e }),
  });
}
