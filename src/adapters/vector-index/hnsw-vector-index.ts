// Approximate 1:N search on usearch HNSW graphs, one per collection, persisted under `dir` so a restart loads
// the graphs instead of rebuilding them. The database stays the source of truth: at start each collection's
// manifest fingerprint is compared with the caller's, and a missing, stale or unreadable snapshot is rebuilt
// from `source`. `mode: 'exact'` answers exactly (see HnswCollection.searchExact); `mode: 'fast'` walks the graph.
// Snapshot files holding template data are sealed with the deployment's template key (`cipher`); a snapshot that
// fails to decrypt (tampered, or sealed with a key no longer configured) is unreadable, hence rebuilt.

import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { VectorEntry, VectorIndex } from '../../ports/vector-index.js';
import type { TemplateCipher } from '../crypto/template-cipher.js';
import { HnswCollection, type HnswParams, MAX_DEAD_SHARE_FOR_GRAPH } from './hnsw-collection.js';
import { collectionDirName, type Quantization, readManifest } from './hnsw-manifest.js';
import { sweepPlaintextTemps } from './sealed-files.js';
import { assertDimension, assertK } from './vector-math.js';

/** What the storage layer supplies so the index can tell a current snapshot from a stale one, and rebuild. */
export interface VectorIndexSource {
  /** Every collection that has templates (of this model); snapshots of other collections are deleted. */
  collections(): Promise<string[]>;
  /**
   * Changes whenever the collection's templates change (e.g. a hash of count, max template id and last change
   * time, plus the model id). Read at start and at every flush; flush when writes are quiescent.
   */
  fingerprint(collection: string): Promise<string>;
  /** Every live template of the collection, in any order. */
  entries(collection: string): AsyncIterable<VectorEntry>;
}

export type HnswIndexEvent =
  | { type: 'loaded'; collection: string; count: number; ms: number }
  | { type: 'rebuilt'; collection: string; count: number; ms: number; reason: string }
  | { type: 'deleted'; collection: string; reason: string };

export interface HnswVectorIndexOptions {
  /** Directory owned by the index (the service passes `<dataDir>/index/`). */
  dir: string;
  dimension: number;
  quantization: Quantization;
  /** The store's template cipher: snapshots are sealed with its current key, read with any key it holds. */
  cipher: TemplateCipher;
  source?: VectorIndexSource;
  /**
   * False for a process that does not own the snapshot directory (see snapshot-lock.ts): `dir` is then its private
   * scratch directory, every collection is built from `source` at start, and nothing is ever saved.
   */
  persist?: boolean;
  /** Graph degree; 16 measured best for recall per byte on 512-d face templates (see report / bench). */
  connectivity?: number;
  expansionAdd?: number;
  expansionSearch?: number;
  fastCandidates?: number;
  threads?: number;
  /** Entries per batch insert while rebuilding. */
  rebuildBatch?: number;
  onEvent?: (event: HnswIndexEvent) => void;
}

export const hnswDefaults = {
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 128,
  fastCandidates: 32,
  threads: 0,
  rebuildBatch: 8192,
} as const;

export async function createHnswVectorIndex(options: HnswVectorIndexOptions): Promise<VectorIndex> {
  const { dir, dimension, source } = options;
  const params: HnswParams = {
    dimension,
    quantization: options.quantization,
    connectivity: options.connectivity ?? hnswDefaults.connectivity,
    expansionAdd: options.expansionAdd ?? hnswDefaults.expansionAdd,
    expansionSearch: options.expansionSearch ?? hnswDefaults.expansionSearch,
    fastCandidates: options.fastCandidates ?? hnswDefaults.fastCandidates,
    threads: options.threads ?? hnswDefaults.threads,
    cipher: options.cipher,
  };
  const batch = options.rebuildBatch ?? hnswDefaults.rebuildBatch;
  const persist = options.persist ?? true;
  const emit = options.onEvent ?? (() => {});
  const collections = new Map<string, HnswCollection>();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  sweepPlaintextTemps();

  const dirOf = (name: string) => join(dir, collectionDirName(name));

  const compatible = (name: string, fingerprint: string | undefined): string | undefined => {
    const m = readManifest(dirOf(name));
    if (m === undefined) return 'no snapshot';
    if (m.collection !== name) return 'snapshot belongs to another collection';
    if (m.dimension !== dimension) return `dimension ${m.dimension} ≠ ${dimension}`;
    if (m.quantization !== params.quantization) return `quantization ${m.quantization} ≠ ${params.quantization}`;
    if (m.connectivity !== params.connectivity) return `connectivity ${m.connectivity} ≠ ${params.connectivity}`;
    if (fingerprint !== undefined && m.fingerprint !== fingerprint) return 'fingerprint changed';
    return undefined;
  };

  const tryLoad = (name: string): HnswCollection | string => {
    const started = performance.now();
    const m = readManifest(dirOf(name));
    if (m === undefined) return 'no snapshot';
    try {
      const c = HnswCollection.load(dirOf(name), m, params);
      emit({ type: 'loaded', collection: name, count: c.size, ms: performance.now() - started });
      return c;
    } catch (e) {
      return `unreadable snapshot: ${(e as Error).message}`;
    }
  };

  const rebuild = async (src: VectorIndexSource, name: string, reason: string): Promise<HnswCollection> => {
    const started = performance.now();
    mkdirSync(dirOf(name), { recursive: true });
    const c = HnswCollection.create(name, dirOf(name), params);
    let pending: VectorEntry[] = [];
    for await (const entry of src.entries(name)) {
      assertDimension(entry.vector, dimension, `rebuild of ${name}`);
      pending.push(entry);
      if (pending.length >= batch) {
        c.add(pending);
        pending = [];
      }
    }
    c.add(pending);
    // The fingerprint is taken after the scan: a write racing the rebuild makes the next start rebuild again,
    // never load a snapshot that misses it.
    if (persist) c.save(await src.fingerprint(name));
    emit({ type: 'rebuilt', collection: name, count: c.size, ms: performance.now() - started, reason });
    return c;
  };

  if (source !== undefined) {
    const names = await source.collections();
    for (const name of names) {
      const stale = persist ? compatible(name, await source.fingerprint(name)) : 'snapshot owned by another process';
      let loaded = stale === undefined ? tryLoad(name) : stale;
      if (typeof loaded !== 'string' && loaded.deadShare > MAX_DEAD_SHARE_FOR_GRAPH) {
        loaded.close();
        loaded = 'mostly removed templates (compaction)';
      }
      collections.set(name, typeof loaded === 'string' ? await rebuild(source, name, loaded) : loaded);
    }
    const keep = new Set(names.map(collectionDirName));
    for (const entry of readdirSync(dir)) {
      if (keep.has(entry)) continue;
      const m = readManifest(join(dir, entry));
      rmSync(join(dir, entry), { recursive: true, force: true });
      emit({ type: 'deleted', collection: m?.collection ?? entry, reason: 'not in source' });
    }
  } else {
    // Without a source the snapshots are all there is: load what is compatible, leave the rest untouched.
    for (const entry of readdirSync(dir)) {
      const m = readManifest(join(dir, entry));
      if (m === undefined || compatible(m.collection, undefined) !== undefined) continue;
      const loaded = tryLoad(m.collection);
      if (typeof loaded !== 'string') collections.set(m.collection, loaded);
    }
  }

  const open = (name: string): HnswCollection => {
    let c = collections.get(name);
    if (c === undefined) {
      mkdirSync(dirOf(name), { recursive: true });
      c = HnswCollection.create(name, dirOf(name), params);
      collections.set(name, c);
    }
    return c;
  };

  const flush = async (): Promise<void> => {
    if (!persist) return;
    for (const [name, c] of [...collections]) {
      if (!c.dirty) continue;
      const fingerprint = source === undefined ? '' : await source.fingerprint(name);
      // Dropped or replaced while the fingerprint was read: nothing of this instance to persist.
      if (collections.get(name) === c) c.save(fingerprint);
    }
  };

  return {
    name: 'hnsw',
    async add(collection, entries) {
      for (const e of entries) assertDimension(e.vector, dimension, 'add');
      open(collection).add(entries);
    },
    async remove(keys) {
      for (const c of collections.values()) c.remove(keys);
    },
    async removeFromCollection(collection, keys) {
      collections.get(collection)?.remove(keys);
    },
    async search(collection, vector, { k, mode }) {
      assertDimension(vector, dimension, 'search');
      assertK(k);
      const c = collections.get(collection);
      if (c === undefined) return [];
      if (mode === 'exact') return c.searchExact(vector, k);
      const hits = c.searchFast(vector, k);
      // A graph walk can miss a node: asking for (nearly) every template of a small collection must not quietly
      // answer fewer. Rare at scale, where k is a small share of the collection.
      return hits.length < Math.min(k, c.size) ? c.searchExact(vector, k) : hits;
    },
    async size(collection) {
      return collections.get(collection)?.size ?? 0;
    },
    async dropCollection(collection) {
      const c = collections.get(collection);
      collections.delete(collection);
      c?.close();
      rmSync(dirOf(collection), { recursive: true, force: true });
    },
    async health() {
      const damaged = [...collections.values()].filter((c) => c.damaged).length;
      if (damaged > 0) return { ok: false, detail: `unreadable snapshot rows in ${damaged} collection(s)` };
      return persist ? { ok: true } : { ok: true, detail: 'private copy: another process owns the snapshot' };
    },
    flush,
    async close() {
      await flush();
      for (const c of collections.values()) c.close();
      collections.clear();
    },
  };
}
