// One collection of the HNSW index. The usearch graph is keyed by slot (an append-only row number), not by the
// template key: the slot addresses the float32 side file, the int8 codes and the key/person tables alike, and a
// removed slot is never reused until the collection is rebuilt, so a stale graph hit can be recognised by `alive`.
//
// Memory per template: the graph's own copy (1 KB at f16, 512 B at i8) + links, 512 B of int8 codes, ~30 B of
// tables, one Map entry. The float32 originals live only on disk and are read back with positioned reads to
// score the few candidates a search returns, so reported similarities are exact float32 cosines in both modes.
//
// Templates are encrypted at rest here as in the database: each float32 row is sealed on its own (AES-256-GCM,
// AAD = collection + vectors file id + slot) when it is added and opened when a search re-scores it (~32 rows per
// fast search); graph, codes, slots and persons are sealed as chunked streams on save (sealed-files.ts).

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
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
import type { TemplateCipher } from '../crypto/template-cipher.js';
import { files, type HnswManifest, MANIFEST_FORMAT, type Quantization } from './hnsw-manifest.js';
import { I8Codes } from './i8-codes.js';
import {
  CHUNK,
  readSealedBuffer,
  readSealedStream,
  SEAL_OVERHEAD,
  sealedStreamPlainSize,
  withPlaintextTemp,
  writeSealedBuffer,
  writeSealedStream,
} from './sealed-files.js';
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
  /** The deployment's template cipher: seals every snapshot file that holds template data. */
  cipher: TemplateCipher;
}

/** Above this share of removed nodes a fast search scans the codes, and the next start rebuilds the graph. */
export const MAX_DEAD_SHARE_FOR_GRAPH = 0.5;

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

function readRange(fd: number, target: Uint8Array, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const read = readSync(fd, target, done, length - done, position + done);
    if (read === 0) throw new Error('unexpected end of file');
    done += read;
  }
}

function writeAll(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.byteLength) done += writeSync(fd, data, done, data.byteLength - done, position + done);
}

const newId = (): string => randomBytes(12).toString('hex');
const fileAad = (collection: string, file: string, snapshotId: string): string =>
  `facegate-hnsw\0${collection}\0${file}\0${snapshotId}`;

/** Thrown when a sealed row fails authentication at search time (tampered or damaged vectors file). */
export class SealedRowError extends Error {}

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
  /** Threads the graph last reserved contexts for (see add). */
  private reservedThreads = 1;
  private vectorsFd: number;
  private readonly row: Float32Array;
  private readonly rowBytes: Uint8Array;
  /** One sealed row: iv | tag | dimension × 4 bytes. */
  private readonly sealedRow: Buffer;
  private readonly sealedRowBytes: number;
  /** AAD prefix of every row of this vectors file; the slot number completes it. */
  private readonly rowAad: string;
  /** [first slot, key id] ranges of the rows' keys, ascending. */
  private readonly rowKeys: Array<[number, string]>;
  private readonly query: Float32Array;
  /** True when memory differs from the last snapshot on disk. */
  dirty = false;
  /** A sealed row failed authentication: the vectors file is damaged, so no snapshot is written any more. */
  private broken = false;

  private constructor(
    readonly name: string,
    readonly dir: string,
    private readonly p: HnswParams,
    graph: Index,
    vectorsFd: number,
    private readonly vectorsId: string,
    rowKeys: Array<[number, string]>,
  ) {
    this.graph = graph;
    this.vectorsFd = vectorsFd;
    this.codes = new I8Codes(p.dimension, 0);
    this.row = new Float32Array(p.dimension);
    this.rowBytes = new Uint8Array(this.row.buffer);
    this.sealedRowBytes = p.dimension * 4 + SEAL_OVERHEAD;
    this.sealedRow = Buffer.alloc(this.sealedRowBytes);
    this.rowAad = `facegate-hnsw\0${name}\0row\0${vectorsId}\0`;
    this.rowKeys = rowKeys;
    this.query = new Float32Array(p.dimension);
  }

  /** An empty collection; truncates whatever files were in `dir`. */
  static create(name: string, dir: string, p: HnswParams): HnswCollection {
    rmSync(join(dir, files.manifest), { force: true });
    const fd = openSync(join(dir, files.vectors), 'w+', 0o600);
    return new HnswCollection(name, dir, p, newGraph(p), fd, newId(), []);
  }

  /**
   * Loads a snapshot whose manifest the caller has already accepted; throws if the files disagree with it, fail
   * authentication, or were sealed with a key the cipher does not hold.
   */
  static load(dir: string, manifest: HnswManifest, p: HnswParams): HnswCollection {
    const dim = p.dimension;
    const { cipher } = p;
    const name = manifest.collection;
    const aad = (file: string) => fileAad(name, file, manifest.snapshotId);
    const n = manifest.slots;
    const codesPath = join(dir, files.codes);
    const graphPath = join(dir, files.graph);
    const sealedRowBytes = dim * 4 + SEAL_OVERHEAD;
    if (
      sealedStreamPlainSize(statSync(codesPath).size) !== n * dim ||
      statSync(join(dir, files.vectors)).size < n * sealedRowBytes ||
      (n > 0 && manifest.rowKeys[0]?.[0] !== 0) ||
      manifest.rowKeys.some(([from], i) => from >= n || (i > 0 && from <= (manifest.rowKeys[i - 1]?.[0] ?? -1)))
    ) {
      throw new Error(`snapshot files of collection ${name} do not match its manifest`);
    }
    const table = readSealedBuffer(join(dir, files.slots), cipher, manifest.keyId, aad(files.slots));
    const persons = JSON.parse(
      readSealedBuffer(join(dir, files.persons), cipher, manifest.keyId, aad(files.persons)).toString('utf8'),
    ) as unknown;
    if (table.byteLength !== n * 21 || !Array.isArray(persons)) {
      throw new Error(`snapshot files of collection ${name} do not match its manifest`);
    }
    const graph = newGraph(p);
    // usearch loads only from a path: decrypt into a private RAM-backed temporary file, load, delete it at once.
    withPlaintextTemp(sealedStreamPlainSize(statSync(graphPath).size), (tmp) => {
      const fd = openSync(tmp, 'w');
      try {
        readSealedStream(graphPath, cipher, manifest.keyId, aad(files.graph), (plain, at) => writeAll(fd, plain, at));
      } finally {
        closeSync(fd);
      }
      graph.load(tmp);
    });
    const fd = openSync(join(dir, files.vectors), 'r+');
    const c = new HnswCollection(name, dir, p, graph, fd, manifest.vectorsId, manifest.rowKeys.slice());
    try {
      c.codes.ensure(n);
      // Decrypt chunk by chunk straight into the code array: no second 512 MB (at 1M) copy at load.
      const codes = new Uint8Array(c.codes.codes.buffer, 0, n * dim);
      const size = readSealedStream(codesPath, cipher, manifest.keyId, aad(files.codes), (plain, at) => {
        if (at + plain.byteLength > codes.byteLength) throw new Error(`codes of collection ${name} too long`);
        codes.set(plain, at);
      });
      if (size !== n * dim) throw new Error(`codes of collection ${name} too short`);
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
      // The graph keeps a node for every slot, removed ones too (tombstones); snapshots saved before that kept only
      // the live ones.
      const nodes = c.graph.size();
      if (c.slotOf.size !== manifest.count || (nodes !== n && nodes !== manifest.count)) {
        throw new Error(`collection ${name}: ${c.graph.size()} graph nodes, manifest says ${manifest.count}`);
      }
      // Rows are authenticated when a search reads them; open the first and last row of every key range now, so
      // a key that is no longer configured (or a wrong vectors file) means a rebuild at start, not failed searches.
      manifest.rowKeys.forEach(([from], i) => {
        const to = (manifest.rowKeys[i + 1]?.[0] ?? n) - 1;
        c.openRow(from);
        c.openRow(to);
      });
    } catch (e) {
      c.close();
      throw e;
    }
    return c;
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Share of the graph's nodes that are removed templates. */
  get deadShare(): number {
    return this.slots === 0 ? 0 : 1 - this.slotOf.size / this.slots;
  }

  /** True once a sealed row failed authentication: searches that reach it fail until a rebuild. */
  get damaged(): boolean {
    return this.broken;
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
    const sealedBlock = Buffer.allocUnsafe(n * this.sealedRowBytes);
    const graphKeys = new BigUint64Array(n);
    let keyId = this.rowKeys.at(-1)?.[1];
    for (let i = 0; i < n; i++) {
      const e = entries[i] as VectorEntry;
      const slot = first + i;
      block.set(e.vector, i * dim);
      const sealed = this.p.cipher.seal(new Uint8Array(block.buffer, i * dim * 4, dim * 4), this.rowAad + slot);
      if (sealed.keyId !== keyId) {
        // First row after a key rotation (or of a new file): rows from here on are sealed with the current key.
        this.rowKeys.push([slot, sealed.keyId]);
        keyId = sealed.keyId;
      }
      sealedBlock.set(sealed.sealed, i * this.sealedRowBytes);
      this.codes.encode(slot, e.vector);
      this.keys[slot] = e.key;
      this.personOf[slot] = this.ordinal(e.personId);
      graphKeys[i] = BigInt(slot);
    }
    writeAll(this.vectorsFd, sealedBlock, first * this.sealedRowBytes);
    // usearch sizes its per-thread contexts only when an add grows the capacity (a new or loaded graph has one): an
    // add on more threads than the last growth reserved fails half-way ("Reserve capacity ahead of insertions!").
    // A growing add reserves for all our threads; any other add uses at most what was reserved.
    const grows = this.graph.size() + n >= this.graph.capacity();
    if (grows) this.reservedThreads = this.p.threads;
    this.graph.add(graphKeys, block, grows ? this.p.threads : n === 1 ? 1 : this.reservedThreads);
    // Only now is the batch visible: a failed insert above leaves the tables as they were.
    for (let i = 0; i < n; i++) {
      const slot = first + i;
      this.alive[slot] = 1;
      this.slotOf.set((entries[i] as VectorEntry).key, slot);
    }
    this.slots = total;
    this.dirty = true;
  }

  /**
   * Tombstones only: the graph keeps the node, and every search skips dead slots through `alive`. usearch's own
   * remove() was measured to spin for ever (the whole server hung at the 182nd deletion of a soak); a graph with many
   * dead nodes is compacted by the rebuild at start (see `deadShare`).
   */
  remove(keys: readonly bigint[]): void {
    for (const key of keys) {
      const slot = this.slotOf.get(key);
      if (slot === undefined) continue;
      this.alive[slot] = 0;
      this.slotOf.delete(key);
      this.dirty = true;
    }
  }

  /** Approximate: graph candidates, tombstones filtered, re-scored from the float32 originals. */
  searchFast(vector: Float32Array, k: number): VectorHit[] {
    const live = this.slotOf.size;
    if (live === 0 || k === 0) return [];
    // Mostly removed nodes: the graph's neighbours are mostly tombstones, so scan the codes instead.
    if (this.deadShare > MAX_DEAD_SHARE_FOR_GRAPH) return this.searchExact(vector, k);
    // Ask the graph for as many more candidates as there are tombstones among them, on average.
    const want = Math.min(this.slots, Math.ceil(Math.max(k, this.p.fastCandidates) / (1 - this.deadShare)));
    this.query.set(vector);
    const q = this.query;
    const matches = this.graph.search(q, want, 1);
    // Each float32 row is sealed, so opening it costs a GCM decryption: bound every candidate with its int8 code
    // first (as searchExact does) and open only those whose upper bound reaches the k-th best lower bound. Same
    // answer as re-scoring all of them; typically a fraction of the rows, hence fewer allocations and GC pauses.
    let qq = 0;
    for (let i = 0; i < q.length; i++) qq += (q[i] as number) * (q[i] as number);
    const qNorm = Math.sqrt(qq) * (1 + 1e-9);
    const kk = Math.min(k, live);
    const lower = new TopK(kk);
    const candSlots: number[] = [];
    const candUpper: number[] = [];
    for (const graphKey of matches.keys) {
      const slot = Number(graphKey);
      // The alive check is the tombstone filter: correctness of remove() never depends on the graph.
      if (slot >= this.slots || this.alive[slot] !== 1) continue;
      const a = this.codes.dot(slot, q);
      const e = qNorm * (this.codes.errors[slot] as number);
      lower.offer(a - e, slot, this.keys[slot] as bigint);
      candSlots.push(slot);
      candUpper.push(a + e);
    }
    const floor = lower.floor;
    const top = new TopK(kk);
    for (let i = 0; i < candSlots.length; i++) {
      if ((candUpper[i] as number) < floor) continue;
      const slot = candSlots[i] as number;
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

  /** Writes a snapshot: manifest removed first and written last, every file sealed and replaced by rename. */
  save(fingerprint: string): void {
    if (this.broken) return;
    const dim = this.p.dimension;
    const { cipher } = this.p;
    const n = this.slots;
    const snapshotId = newId();
    const aad = (file: string) => fileAad(this.name, file, snapshotId);
    const manifestPath = join(this.dir, files.manifest);
    rmSync(manifestPath, { force: true });
    fsyncSync(this.vectorsFd);
    const replace = (file: string, write: (tmp: string) => void) => {
      const tmp = join(this.dir, `${file}.tmp`);
      write(tmp);
      renameSync(tmp, join(this.dir, file));
    };
    const keyId = cipher.currentKeyId;
    // usearch saves only to a path: a private RAM-backed temporary file, sealed into the snapshot, then deleted.
    const scalarBytes = { f32: 4, f16: 2, i8: 1 }[this.p.quantization];
    const estimate = 4096 + this.graph.size() * (dim * scalarBytes + this.p.connectivity * 2 * 4 + 64);
    replace(files.graph, (tmp) =>
      withPlaintextTemp(estimate, (plain) => {
        this.graph.save(plain);
        const fd = openSync(plain, 'r');
        try {
          const buf = Buffer.allocUnsafe(Math.min(statSync(plain).size, CHUNK));
          writeSealedStream(tmp, cipher, aad(files.graph), statSync(plain).size, (offset, length) => {
            readRange(fd, buf, length, offset);
            return buf.subarray(0, length);
          });
        } finally {
          closeSync(fd);
        }
      }),
    );
    replace(files.codes, (tmp) =>
      writeSealedBuffer(tmp, cipher, aad(files.codes), new Uint8Array(this.codes.codes.buffer, 0, n * dim)),
    );
    const table = new Uint8Array(n * 21);
    table.set(new Uint8Array(this.keys.buffer, 0, n * 8), 0);
    table.set(new Uint8Array(this.codes.inverseScales.buffer, 0, n * 4), n * 8);
    table.set(new Uint8Array(this.codes.errors.buffer, 0, n * 4), n * 12);
    table.set(new Uint8Array(this.personOf.buffer, 0, n * 4), n * 16);
    table.set(this.alive.subarray(0, n), n * 20);
    replace(files.slots, (tmp) => writeSealedBuffer(tmp, cipher, aad(files.slots), table));
    replace(files.persons, (tmp) =>
      writeSealedBuffer(tmp, cipher, aad(files.persons), Buffer.from(JSON.stringify(this.persons))),
    );
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
      keyId,
      snapshotId,
      vectorsId: this.vectorsId,
      rowKeys: this.rowKeys.filter(([from]) => from < n),
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

  /** Reads, authenticates and decrypts the float32 row of `slot` into `this.row`. */
  private openRow(slot: number): void {
    const bytes = this.sealedRowBytes;
    const read = readSync(this.vectorsFd, this.sealedRow, 0, bytes, slot * bytes);
    if (read !== bytes) throw new Error(`collection ${this.name}: short read of slot ${slot}`);
    let keyId = this.rowKeys[0]?.[1] as string;
    for (const [from, id] of this.rowKeys) {
      if (from > slot) break;
      keyId = id;
    }
    let plain: Buffer;
    try {
      plain = this.p.cipher.open(keyId, this.sealedRow, this.rowAad + slot);
    } catch (e) {
      throw new SealedRowError(`collection ${this.name}: sealed row ${slot} unreadable: ${(e as Error).message}`);
    }
    this.rowBytes.set(plain);
  }

  private exactSimilarity(slot: number): number {
    try {
      this.openRow(slot);
    } catch (e) {
      // A damaged or tampered vectors file: never answer from it, and make the next start rebuild the snapshot.
      if (e instanceof SealedRowError) {
        this.broken = true;
        rmSync(join(this.dir, files.manifest), { force: true });
      }
      throw e;
    }
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
