// The reference index: brute-force cosine over L2-normalised float32 templates, one contiguous block per
// collection. Every other index is judged against its answers, so it favours obvious correctness; the scan is
// still a tight loop over one Float32Array (no per-template objects), ~0.5 s per query at 1M × 512 on one core.

import type { VectorEntry, VectorHit, VectorIndex, VectorSearchOptions } from '../../ports/vector-index.js';
import { assertDimension, assertK, dotRows, TopK } from './vector-math.js';

export interface ExactVectorIndexOptions {
  dimension: number;
  /** Rows reserved per new collection before the first doubling. */
  initialCapacity?: number;
}

class Block {
  vectors: Float32Array;
  keys: BigInt64Array;
  personIds: string[] = [];
  count = 0;
  readonly rowOf = new Map<bigint, number>();

  constructor(
    readonly dim: number,
    capacity: number,
  ) {
    this.vectors = new Float32Array(capacity * dim);
    this.keys = new BigInt64Array(capacity);
  }

  upsert(entry: VectorEntry): void {
    const existing = this.rowOf.get(entry.key);
    const row = existing ?? this.count;
    if (existing === undefined) {
      if (row === this.keys.length) this.grow();
      this.count++;
      this.rowOf.set(entry.key, row);
    }
    this.vectors.set(entry.vector, row * this.dim);
    this.keys[row] = entry.key;
    this.personIds[row] = entry.personId;
  }

  /** Swap-remove: the last row moves into the hole so the block stays dense. */
  delete(key: bigint): boolean {
    const row = this.rowOf.get(key);
    if (row === undefined) return false;
    const last = this.count - 1;
    this.rowOf.delete(key);
    if (row !== last) {
      const movedKey = this.keys[last] as bigint;
      this.vectors.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      this.keys[row] = movedKey;
      this.personIds[row] = this.personIds[last] as string;
      this.rowOf.set(movedKey, row);
    }
    this.personIds.length = last;
    this.count = last;
    return true;
  }

  private grow(): void {
    const capacity = Math.max(1, this.keys.length * 2);
    const vectors = new Float32Array(capacity * this.dim);
    vectors.set(this.vectors.subarray(0, this.count * this.dim));
    const keys = new BigInt64Array(capacity);
    keys.set(this.keys.subarray(0, this.count));
    this.vectors = vectors;
    this.keys = keys;
  }
}

export function createExactVectorIndex(options: ExactVectorIndexOptions): VectorIndex {
  const { dimension } = options;
  const initialCapacity = options.initialCapacity ?? 1024;
  const blocks = new Map<string, Block>();
  const query = new Float32Array(dimension);

  const search = (collection: string, vector: Float32Array, { k }: VectorSearchOptions): VectorHit[] => {
    assertDimension(vector, dimension, 'search');
    assertK(k);
    const block = blocks.get(collection);
    if (block === undefined || block.count === 0 || k === 0) return [];
    query.set(vector);
    const top = new TopK(Math.min(k, block.count));
    const { vectors, keys, count } = block;
    for (let row = 0; row < count; row++) {
      const sim = dotRows(vectors, row, query, 0, dimension);
      if (sim >= top.floor) top.offer(sim, row, keys[row] as bigint);
    }
    return top
      .sorted()
      .map((h) => ({ key: h.key, personId: block.personIds[h.row] as string, similarity: h.similarity }));
  };

  return {
    name: 'exact',
    async add(collection, entries) {
      for (const e of entries) assertDimension(e.vector, dimension, 'add');
      let block = blocks.get(collection);
      if (block === undefined) {
        block = new Block(dimension, Math.max(initialCapacity, entries.length));
        blocks.set(collection, block);
      }
      for (const e of entries) block.upsert(e);
    },
    async remove(keys) {
      for (const block of blocks.values()) for (const key of keys) block.delete(key);
    },
    async removeFromCollection(collection, keys) {
      const block = blocks.get(collection);
      if (block !== undefined) for (const key of keys) block.delete(key);
    },
    async search(collection, vector, options) {
      return search(collection, vector, options);
    },
    async size(collection) {
      return blocks.get(collection)?.count ?? 0;
    },
    async dropCollection(collection) {
      blocks.delete(collection);
    },
    async flush() {},
    async close() {
      blocks.clear();
    },
  };
}
