// One collection of the HNSW index. The usearch graph is keyed by slot (an append-only row number), not by the
// template key: the slot addresses the float32 side file, the int8 codes and the key/person tables alike, and a
// removed slot is never reused until the collection is rebuilt, so a stale graph hit can be recognised by `alive`.
//
// Memory per template: the graph's own copy (1 KB at f16, 512 B at i8) + links, 512 B of int8 codes, ~30 B of
// tables, one Map entry. The float32 originals live only on disk and are read back with positioned reads to
// score the few candidates a search returns, so reported similarities are exact float32 cosines in both modes.

import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { VectorEntry, VectorHit } from '../../ports/vector-index.js';
import { files, type HnswManifest, MANIFEST_FORMAT, type Quantization } from './hnsw-manifest.js';
import { I8Codes } from './i8-codes.js';
import { dotRows, TopK } from './vector-math.js';

export interface HnswParams {
  dimension: number;
  quantization: Quantization;
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  /** Graph candidates fetched per fast search and re-scored exactly (at least k). */
  fastCandidates: number;
  /** Threads for batch inserts (0 = all cores). Searches run on the calling thread. */
  threads: number;
}

const scalarKinds: Record<Quantization, ScalarKind> = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 };

function newGraph(p: HnswParams): Index {
  return new Index({
    dimensions: p.dimension,
    metric: MetricKind.Cos,
    quantization: scalarKinds[p.quantization],
    connectivity: p.connectivity,
    expansion_add: p.expansionAdd,
    expansion_search: p.expansionSearch,
    multi: false,
  });
}

interface Growable<T> {
  readonly length: number;
  set(source: T): void;
}

function grown<T extends Growable<T>>(a: T, rows: number, make: (n: number) => T): T {
  if (rows <= a.length) return a;
  let n = Math.max(1024, a.length);
  while (n < rows) n *= 2;
  const b = make(n);
  b.set(a);
  return b;
}

function readInto(path: string, target: Uint8Array): void {
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < target.byteLength) {
      const read = readSync(fd, target, done, Math.min(1 << 30, target.byteLength - done), done);
      if (read === 0) throw new Error(`${path}: unexpected end of file`);
      done += read;
    }
  } finally {
    closeSync(fd);
  }
}

export class HnswCollection {
  private graph: Index;
  private readonly codes: I8Codes;
  private keys = new BigInt64Array(0);
  private personOf = new Int32Array(0);
  private alive = new Uint8Array(0);
  private readonly persons: string[] = [];
  private readonly personOrdinal = new Map<string, number>();
  private readonly slotOf = new Map<bigint, number>();
  private slots = 0;
  private vectorsFd: number;
  private readonly row: Float32Array;
  private readonly rowBytes: Uint8Array;
  private readonly query: Float32Array;
  /** True when memory differs from the last snapshot on disk. */
  dirty = false;

  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly p: HnswParams,
    graph: Index,
    vectorsFd: number,
  ) {
    this.graph = graph;
    this.vectorsFd = vectorsFd;
    this.codes = new I8Codes(p.dimension, 0);
    this.row = new Float32Array(p.dimension);
    this.rowBytes = new Uint8Array(this.row.buffer);
    this.query = new Float32Array(p.dimension);
  }

  /** An empty collection; truncates whatever files were in `dir`. */
  static create(name: string, dir: string, p: HnswParams): HnswCollection {
    rmSync(join(dir, files.manifest), { force: true });
    const fd = openSync(join(dir, files.vectors), 'w+');
    return new HnswCollection(name, dir, p, newGraph(p), fd);
  }

  /** Loads a snapshot whose manifest the caller has already accepted; throws if the files disagree with it. */
  static load(dir: string, manifest: HnswManifest, p: HnswParams): HnswCollection {
    const dim = p.dimension;
    const codesPath = join(dir, files.codes);
    const codesBytes = statSync(codesPath).size;
    const table = readFileSync(join(dir, files.slots));
    const persons = JSON.parse(readFileSync(join(dir, files.persons), 'utf8')) as unknown;
    const n = manifest.slots;
    if (codesBytes !== n * dim || table.byteLength !== n * 21 || !Array.isArray(persons)) {
      throw new Error(`snapshot files of collection ${manifest.collection} do not match its manifest`);
    }
    const graph = newGraph(p);
    graph.load(join(dir, files.graph));
    const fd = openSync(join(dir, files.vectors), 'r+');
    const c = new HnswCollection(manifest.collection, dir, p, graph, fd);
    c.codes.ensure(n);
    // Read straight into the code array: a readFileSync copy would double the 512 MB (at 1M) load peak.
    readInto(codesPath, new Uint8Array(c.codes.codes.buffer, 0, n * dim));
    // slots.bin layout: keys i64 | inverse scales f32 | errors f32 | person ordinals i32 | alive u8.
    const ab = new ArrayBuffer(table.byteLength);
    new Uint8Array(ab).set(table);
    c.keys = new BigInt64Array(ab, 0, n).slice();
    c.codes.inverseScales.set(new Float32Array(ab, n * 8, n));
    c.codes.errors.set(new Float32Array(ab, n * 12, n));
    c.personOf = new Int32Array(ab, n * 16, n).slice();
    c.alive = new Uint8Array(ab, n * 20, n).slice();
    for (const person of persons as string[]) {
      c.personOrdinal.set(person, c.persons.length);
      c.persons.push(person);
    }
    c.slots = n;
    for (let s = 0; s < n; s++) if (c.alive[s] === 1) c.slotOf.set(c.keys[s] as bigint, s);
    if (c.slotOf.size !== manifest.count || c.graph.size() !== manifest.count) {
      c.close();
      throw new Error(
        `collection ${manifest.collection}: ${c.graph.size()} graph nodes, manifest says ${manifest.count}`,
      );
    }
    return c;
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Upserts: a key already present is removed first, so a key is never returned twice. */
  add(entries: readonly VectorEntry[]): void {
    if (entries.length === 0) return;
    const dim = this.p.dimension;
    const stale = entries.filter((e) => this.slotOf.has(e.key)).map((e) => e.key);
    if (stale.length > 0) this.remove(stale);
    const first = this.slots;
    const n = entries.length;
    const total = first + n;
    this.keys = grown(this.keys, total, (m) => new BigInt64Array(m));
    this.personOf = grown(this.personOf, total, (m) => new Int32Array(m));
    this.alive = grown(this.alive, total, (m) => new Uint8Array(m));
    this.codes.ensure(total);
    const block = new Float32Array(n * dim);
    const graphKeys = new BigUint64Array(n);
    for (let i = 0; i < n; i++) {
      const e = entries[i] as VectorEntry;
      const slot = first + i;
      block.set(e.vector, i * dim);
      this.codes.encode(slot, e.vector);
      this.keys[slot] = e.key;
      this.personOf[slot] = this.ordinal(e.personId);
      graphKeys[i] = BigInt(slot);
    }
    writeSync(this.vectorsFd, new Uint8Array(block.buffer), 0, block.byteLength, first * dim * 4);
    this.graph.add(graphKeys, block, n === 1 ? 1 : this.p.threads);
    // Only now is the batch visible: a failed insert above leaves the tables as they were.
    for (let i = 0; i < n; i++) {
      const slot = first + i;
      this.alive[slot] = 1;
      this.slotOf.set((entries[i] as VectorEntry).key, slot);
    }
    this.slots = total;
    this.dirty = true;
  }

  remove(keys: readonly bigint[]): void {
    for (const key of keys) {
      const slot = this.slotOf.get(key);
      if (slot === undefined) continue;
      this.graph.remove(BigInt(slot));
      this.alive[slot] = 0;
      this.slotOf.delete(key);
      this.dirty = true;
    }
  }

  /** Approximate: graph candidates, tombstones filtered, re-scored from the float32 originals. */
  searchFast(vector: Float32Array, k: number): VectorHit[] {
    const live = this.slotOf.size;
    if (live === 0 || k === 0) return [];
    const want = Math.min(live, Math.max(k, this.p.fastCandidates));
    this.query.set(vector);
    const matches = this.graph.search(this.query, want, 1);
    const top = new TopK(Math.min(k, live));
    for (const graphKey of matches.keys) {
      const slot = Number(graphKey);
      // The alive check is the tombstone filter: correctness of remove() never depends on the graph.
      if (slot >= this.slots || this.alive[slot] !== 1) continue;
      top.offer(this.exactSimilarity(slot), slot, this.keys[slot] as bigint);
    }
    return this.hits(top);
  }

  /**
   * Exact: scans every int8 code, keeps each template whose upper bound reaches the k-th best lower bound, and
   * re-scores the survivors from float32, so the answer equals the exact index's (same arithmetic, same ties).
   */
  searchExact(vector: Float32Array, k: number): VectorHit[] {
    const live = this.slotOf.size;
    if (live === 0 || k === 0) return [];
    const q = this.query;
    q.set(vector);
    let qq = 0;
    for (let i = 0; i < q.length; i++) qq += (q[i] as number) * (q[i] as number);
    const qNorm = Math.sqrt(qq) * (1 + 1e-9);
    const kk = Math.min(k, live);
    const lower = new TopK(kk);
    const candSlots: number[] = [];
    const candUpper: number[] = [];
    const { alive, codes, keys, slots } = this;
    const errors = codes.errors;
    for (let s = 0; s < slots; s++) {
      if (alive[s] !== 1) continue;
      const a = codes.dot(s, q);
      const e = qNorm * (errors[s] as number);
      const up = a + e;
      if (up < lower.floor) continue;
      lower.offer(a - e, s, keys[s] as bigint);
      candSlots.push(s);
      candUpper.push(up);
    }
    const floor = lower.floor;
    const top = new TopK(kk);
    for (let i = 0; i < candSlots.length; i++) {
      if ((candUpper[i] as number) < floor) continue;
      const s = candSlots[i] as number;
      top.offer(this.exactSimilarity(s), s, keys[s] as bigint);
    }
    return this.hits(top);
  }

  /** Writes a snapshot: manifest removed first and written last, every file replaced by rename. */
  save(fingerprint: string): void {
    const dim = this.p.dimension;
    const n = this.slots;
    const manifestPath = join(this.dir, files.manifest);
    rmSync(manifestPath, { force: true });
    fsyncSync(this.vectorsFd);
    const replace = (file: string, write: (tmp: string) => void) => {
      const tmp = join(this.dir, `${file}.tmp`);
      write(tmp);
      renameSync(tmp, join(this.dir, file));
    };
    replace(files.graph, (tmp) => this.graph.save(tmp));
    replace(files.codes, (tmp) => writeFileSync(tmp, new Uint8Array(this.codes.codes.buffer, 0, n * dim)));
    const table = new Uint8Array(n * 21);
    table.set(new Uint8Array(this.keys.buffer, 0, n * 8), 0);
    table.set(new Uint8Array(this.codes.inverseScales.buffer, 0, n * 4), n * 8);
    table.set(new Uint8Array(this.codes.errors.buffer, 0, n * 4), n * 12);
    table.set(new Uint8Array(this.personOf.buffer, 0, n * 4), n * 16);
    table.set(this.alive.subarray(0, n), n * 20);
    replace(files.slots, (tmp) => writeFileSync(tmp, table));
    replace(files.persons, (tmp) => writeFileSync(tmp, JSON.stringify(this.persons)));
    const manifest: HnswManifest = {
      format: MANIFEST_FORMAT,
      collection: this.name,
      dimension: dim,
      quantization: this.p.quantization,
      connectivity: this.p.connectivity,
      count: this.slotOf.size,
      slots: n,
      fingerprint,
      savedAt: new Date().toISOString(),
    };
    replace(files.manifest, (tmp) => writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`));
    this.dirty = false;
  }

  close(): void {
    if (this.vectorsFd >= 0) closeSync(this.vectorsFd);
    this.vectorsFd = -1;
  }

  private ordinal(personId: string): number {
    let o = this.personOrdinal.get(personId);
    if (o === undefined) {
      o = this.persons.length;
      this.persons.push(personId);
      this.personOrdinal.set(personId, o);
    }
    return o;
  }

  private exactSimilarity(slot: number): number {
    const bytes = this.p.dimension * 4;
    const read = readSync(this.vectorsFd, this.rowBytes, 0, bytes, slot * bytes);
    if (read !== bytes) throw new Error(`collection ${this.name}: short read of slot ${slot}`);
    return dotRows(this.row, 0, this.query, 0, this.p.dimension);
  }

  private hits(top: TopK): VectorHit[] {
    return top.sorted().map((h) => ({
      key: h.key,
      personId: this.persons[this.personOf[h.row] as number] as string,
      similarity: h.similarity,
    }));
  }
}
