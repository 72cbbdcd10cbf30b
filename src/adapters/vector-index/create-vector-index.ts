import { join } from 'node:path';
import type { VectorIndex } from '../../ports/vector-index.js';
import { createExactVectorIndex } from './exact-vector-index.js';
import { createHnswVectorIndex, type VectorIndexSource } from './hnsw-vector-index.js';

export interface VectorIndexChoice {
  kind: 'exact' | 'hnsw';
  dataDir: string;
  dimension: number;
  quantization: 'f32' | 'f16' | 'i8';
  source: VectorIndexSource;
  log?: (msg: string, fields: Record<string, unknown>) => void;
}

/**
 * The in-process 1:N index, loaded from the database: the exact index reads every template at start; the HNSW
 * index loads its snapshot from `<dataDir>/index` and rebuilds only collections whose snapshot is stale.
 */
export async function createVectorIndex(choice: VectorIndexChoice): Promise<VectorIndex> {
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
    source: choice.source,
    onEvent: (e) => choice.log?.(`vector index ${e.type}`, { ...e }),
  });
}
