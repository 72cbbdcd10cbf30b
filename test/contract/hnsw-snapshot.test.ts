// The HNSW snapshot on disk holds no template in plaintext: every file with template data is sealed with the
// template key. Reloading with the same key answers the same; a missing key, a tampered file or a wrong key means
// a rebuild from the source, never a crash or a wrong answer.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { createTemplateCipher, type TemplateCipher } from '../../src/adapters/crypto/template-cipher.js';
import { files } from '../../src/adapters/vector-index/hnsw-manifest.js';
import {
  createHnswVectorIndex,
  type HnswIndexEvent,
  type VectorIndexSource,
} from '../../src/adapters/vector-index/hnsw-vector-index.js';
import type { VectorEntry, VectorIndex } from '../../src/ports/vector-index.js';
import { DIM, entriesFor } from './vector-index.contract.js';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'facegate-snapshot-'));
  tempDirs.push(d);
  return d;
};
after(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const newKey = (): string => randomBytes(32).toString('hex');

function fakeSource(entries: VectorEntry[]) {
  const calls = { entries: 0 };
  const source: VectorIndexSource = {
    async collections() {
      return ['a'];
    },
    async fingerprint() {
      return 'fp';
    },
    async *entries() {
      calls.entries++;
      yield* entries;
    },
  };
  return { source, calls };
}

type Q = 'f32' | 'f16' | 'i8';

async function open(
  dir: string,
  cipher: TemplateCipher,
  entries: VectorEntry[],
  quantization: Q = 'f16',
): Promise<{ index: VectorIndex; events: HnswIndexEvent[]; calls: { entries: number } }> {
  const events: HnswIndexEvent[] = [];
  const { source, calls } = fakeSource(entries);
  const index = await createHnswVectorIndex({
    dir,
    dimension: DIM,
    quantization,
    cipher,
    source,
    onEvent: (e) => events.push(e),
  });
  return { index, events, calls };
}

const collectionDir = (dir: string): string => join(dir, readdirSync(dir)[0] as string);

/** IEEE half precision, round to nearest even (what usearch stores for f16). */
function f16Bits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0] as number;
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  let shift = 13;
  let h: number;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    shift = 14 - e;
    h = mant >>> shift;
  } else {
    h = (e << 10) | (mant >>> 13);
  }
  const rem = mant & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rem > half || (rem === half && (h & 1) === 1)) h++;
  return sign | h;
}

/** The plaintext renderings of a template's first dimensions that a leak would contain. */
function needles(v: Float32Array): Record<string, Buffer> {
  const head = v.subarray(0, 32);
  const f32 = Buffer.from(v.buffer, v.byteOffset, 64);
  const f16 = Buffer.alloc(64);
  head.forEach((x, i) => {
    f16.writeUInt16LE(f16Bits(x), i * 2);
  });
  let norm = 0;
  let max = 0;
  for (const x of v) {
    norm += x * x;
    max = Math.max(max, Math.abs(x));
  }
  norm = Math.sqrt(norm);
  // usearch's i8: x·127/‖v‖ truncated; the index's own codes: x·127/max rounded.
  const i8Usearch = Buffer.from(Int8Array.from(head, (x) => Math.trunc((x * 127) / norm)).buffer);
  const i8Codes = Buffer.from(Int8Array.from(head, (x) => Math.round((x * 127) / max)).buffer);
  return { f32, f16, i8Usearch, i8Codes };
}

/** usearch's own plaintext file for the same vectors: proves the needles are the renderings it writes. */
function plaintextGraph(entries: VectorEntry[], quantization: Q): Buffer {
  const kinds = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 };
  const g = new Index({
    dimensions: DIM,
    metric: MetricKind.Cos,
    quantization: kinds[quantization],
    connectivity: 16,
    expansion_add: 128,
    expansion_search: 128,
    multi: false,
  });
  entries.forEach((e, i) => {
    g.add(BigInt(i), e.vector);
  });
  const path = join(tempDir(), 'plain.usearch');
  g.save(path);
  return readFileSync(path);
}

const probeKeys = async (index: VectorIndex, entries: VectorEntry[], mode: 'fast' | 'exact') => {
  const out: bigint[][] = [];
  for (const e of entries.slice(0, 40)) {
    out.push((await index.search('a', e.vector, { k: 5, mode })).map((h) => h.key));
  }
  return out;
};

/** Exact mode finds every probe itself; fast mode (a graph walk, built in parallel) nearly always does. */
const assertRightAnswers = async (index: VectorIndex, entries: VectorEntry[]) => {
  let fastHits = 0;
  const probes = entries.slice(0, 40);
  for (const e of probes) {
    const [top] = await index.search('a', e.vector, { k: 1, mode: 'exact' });
    assert.equal(top?.key, e.key, `exact search for key ${e.key}`);
    assert.ok(Math.abs((top?.similarity ?? 0) - 1) < 1e-5);
    if ((await index.search('a', e.vector, { k: 1, mode: 'fast' }))[0]?.key === e.key) fastHits++;
  }
  assert.ok(fastHits >= probes.length * 0.9, `fast recall@1 ${fastHits}/${probes.length}`);
};

const entries = entriesFor(60, 3, 31);

describe('hnsw snapshot: sealed with the template key', () => {
  for (const quantization of ['f32', 'f16', 'i8'] as const) {
    it(`${quantization}: no snapshot file holds any template's f32, f16 or i8 bytes in plaintext`, async () => {
      const dir = tempDir();
      const cipher = createTemplateCipher([newKey()]);
      const { index } = await open(dir, cipher, entries, quantization);
      await index.close();
      const sub = collectionDir(dir);
      const names = readdirSync(sub).sort();
      assert.deepEqual(names, Object.values(files).sort());
      const contents = names.map((n) => ({ n, bytes: readFileSync(join(sub, n)) }));
      const control = plaintextGraph(entries, quantization);
      const usearchNeedle = { f32: 'f32', f16: 'f16', i8: 'i8Usearch' }[quantization];
      for (const e of entries) {
        const ns = needles(e.vector);
        // The needles are right: usearch's plaintext file would leak this template in exactly this rendering.
        assert.ok(control.includes(ns[usearchNeedle] as Buffer), `control file lacks the ${usearchNeedle} needle`);
        for (const { n, bytes } of contents) {
          for (const [kind, needle] of Object.entries(ns)) {
            assert.equal(bytes.includes(needle), false, `${n} holds key ${e.key}'s ${kind} bytes in plaintext`);
          }
        }
      }
      const manifest = JSON.parse(readFileSync(join(sub, files.manifest), 'utf8'));
      assert.equal(manifest.keyId, cipher.currentKeyId);
      assert.deepEqual(manifest.rowKeys, [[0, cipher.currentKeyId]]);
      // No plaintext temporary left behind.
      for (const parent of ['/dev/shm', tmpdir()]) {
        let left: string[] = [];
        try {
          left = readdirSync(parent).filter((f) => f.startsWith(`facegate-hnsw-${process.pid}-`));
        } catch {}
        assert.deepEqual(left, [], `plaintext temporaries left in ${parent}`);
      }
    });
  }

  it('reloads with the same key without reading the source and answers the same', async () => {
    const dir = tempDir();
    const cipher = createTemplateCipher([newKey()]);
    const first = await open(dir, cipher, entries);
    const before = [await probeKeys(first.index, entries, 'fast'), await probeKeys(first.index, entries, 'exact')];
    await first.index.close();
    const again = await open(dir, cipher, entries);
    assert.equal(again.calls.entries, 0);
    assert.deepEqual(
      again.events.map((e) => e.type),
      ['loaded'],
    );
    assert.deepEqual(
      [await probeKeys(again.index, entries, 'fast'), await probeKeys(again.index, entries, 'exact')],
      before,
    );
    await assertRightAnswers(again.index, entries);
    await again.index.close();
  });

  it('rebuilds from the source when the sealing key is no longer configured, and reseals with the new key', async () => {
    const dir = tempDir();
    await (await open(dir, createTemplateCipher([newKey()]), entries)).index.close();
    const other = createTemplateCipher([newKey()]);
    const again = await open(dir, other, entries);
    assert.equal(again.calls.entries, 1);
    const [event] = again.events;
    assert.equal(event?.type, 'rebuilt');
    assert.match(event?.type === 'rebuilt' ? event.reason : '', /unreadable snapshot: .*not configured/);
    await assertRightAnswers(again.index, entries);
    await again.index.close();
    assert.equal(JSON.parse(readFileSync(join(collectionDir(dir), files.manifest), 'utf8')).keyId, other.currentKeyId);
  });

  it('after a key rotation loads with the old key kept, seals new rows with the new key, and rebuilds once the old key is gone', async () => {
    const dir = tempDir();
    const oldKey = newKey();
    const newer = newKey();
    await (await open(dir, createTemplateCipher([oldKey]), entries)).index.close();
    const rotated = createTemplateCipher([newer, oldKey]);
    const more = entriesFor(10, 2, 32, 10_000n);
    const all = [...entries, ...more];
    const r = await open(dir, rotated, all);
    assert.deepEqual(
      r.events.map((e) => e.type),
      ['loaded'],
    );
    await r.index.add('a', more);
    await r.index.close();
    const manifest = JSON.parse(readFileSync(join(collectionDir(dir), files.manifest), 'utf8'));
    assert.equal(manifest.keyId, rotated.currentKeyId);
    assert.equal(manifest.rowKeys.length, 2);
    assert.deepEqual(manifest.rowKeys[1], [entries.length, rotated.currentKeyId]);

    const again = await open(dir, rotated, all);
    assert.deepEqual(
      again.events.map((e) => e.type),
      ['loaded'],
    );
    await assertRightAnswers(again.index, all);
    await assertRightAnswers(again.index, more);
    await again.index.close();

    const onlyNew = await open(dir, createTemplateCipher([newer]), all);
    assert.equal(onlyNew.events[0]?.type, 'rebuilt', 'rows sealed with the dropped key mean a rebuild');
    await assertRightAnswers(onlyNew.index, more);
    await onlyNew.index.close();
  });

  for (const file of [files.graph, files.codes, files.slots, files.persons, files.vectors]) {
    it(`a flipped byte in ${file} means a rebuild, not a crash`, async () => {
      const dir = tempDir();
      const cipher = createTemplateCipher([newKey()]);
      await (await open(dir, cipher, entries)).index.close();
      const path = join(collectionDir(dir), file);
      const bytes = readFileSync(path);
      // Past the first IV and tag, in the body of the first chunk (or of the first row, checked at load).
      const at = Math.min(40, bytes.length - 1);
      bytes[at] = (bytes[at] as number) ^ 0x01;
      writeFileSync(path, bytes);
      const again = await open(dir, cipher, entries);
      assert.equal(again.calls.entries, 1);
      const [event] = again.events;
      assert.match(event?.type === 'rebuilt' ? event.reason : '', /unreadable snapshot/);
      await assertRightAnswers(again.index, entries);
      await again.index.close();
    });
  }

  it('a flipped byte in a row read only by searches fails that search loudly, and the next start rebuilds', async () => {
    const dir = tempDir();
    const cipher = createTemplateCipher([newKey()]);
    await (await open(dir, cipher, entries)).index.close();
    const path = join(collectionDir(dir), files.vectors);
    const bytes = readFileSync(path);
    const victim = 7;
    const rowBytes = DIM * 4 + 28;
    const at = victim * rowBytes + 100;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    writeFileSync(path, bytes);
    const loaded = await open(dir, cipher, entries);
    assert.deepEqual(
      loaded.events.map((e) => e.type),
      ['loaded'],
    );
    const probe = entries[victim] as VectorEntry;
    await assert.rejects(loaded.index.search('a', probe.vector, { k: 1, mode: 'fast' }), /sealed row 7 unreadable/);
    await loaded.index.close();
    const again = await open(dir, cipher, entries);
    assert.equal(again.events[0]?.type, 'rebuilt');
    await assertRightAnswers(again.index, entries);
    await again.index.close();
  });
});
