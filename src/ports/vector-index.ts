// The vector index port: 1:N nearest-neighbour search over L2-normalised templates, partitioned by collection.
// The exact index is the reference answer; every adapter runs the same contract suite.

import type { ComponentHealth } from './health.js';

export interface VectorEntry {
  /** The template's numeric id (unique across the deployment). */
  key: bigint;
  /** The person the template belongs to: results are grouped per person by the caller. */
  personId: string;
  vector: Float32Array;
}

export interface VectorHit {
  key: bigint;
  personId: string;
  /** Cosine similarity, -1..1. */
  similarity: number;
}

export interface VectorSearchOptions {
  /** How many templates to return at most. */
  k: number;
  /**
   * `exact` returns exactly what the exact (brute-force) index returns, same keys, order and similarities;
   * `fast` may miss true neighbours but never returns a removed template or one of another collection.
   */
  mode: 'fast' | 'exact';
}

export interface VectorIndex {
  readonly name: string;
  /** Upserts: a key already in the collection has its template replaced. Vectors must be L2-normalised. */
  add(collection: string, entries: readonly VectorEntry[]): Promise<void>;
  /** Removes templates from every collection they are in; once the promise resolves no search returns them. */
  remove(keys: readonly bigint[]): Promise<void>;
  /** Removes a person from one collection only. */
  removeFromCollection(collection: string, keys: readonly bigint[]): Promise<void>;
  /**
   * At most k hits, similarity descending then key ascending. An unknown collection yields []; a vector of the
   * wrong dimension rejects with RangeError. A template removed before the call never appears.
   */
  search(collection: string, query: Float32Array, options: VectorSearchOptions): Promise<VectorHit[]>;
  size(collection: string): Promise<number>;
  dropCollection(collection: string): Promise<void>;
  /** Whether searches can be answered now (readiness); an index without the method is always ready. */
  health?(): Promise<ComponentHealth>;
  /** Persists whatever the index keeps outside the database. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
