import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateProbes, generateTemplates } from '../../bench/synthetic-templates.js';
import { createTemplateCipher } from '../../src/adapters/crypto/template-cipher.js';
import { createPgliteDriver } from '../../src/adapters/storage/pglite-driver.js';
import { createExactVectorIndex } from '../../src/adapters/vector-index/exact-vector-index.js';
import {
  createHnswVectorIndex,
  type HnswIndexEvent,
  type HnswVectorIndexOptions,
  type VectorIndexSource,
} from '../../src/adapters/vector-index/hnsw-vector-index.js';
import { createPgvectorVectorIndex } from '../../src/adapters/vector-index/pgvector-vector-index.js';
import type { VectorEntry, VectorIndex } from '../../src/ports/vector-index.js';
import { createPglite, pgvectorSkip } from '../helpers/pglite.js';
import { DIM, entriesFor, vectorIndexContract } from './vector-index.contract.js';

const tempDirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'facegate-index-'));
  tempDirs.push(d);
  return d;
};
after(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
/** HNSW snapshots are sealed with the template key: a random one per run. */
const cipher = createTemplateCipher([randomBytes(32).toString('hex')]);

vectorIndexContract('exact', async () => ({ index: createExactVectorIndex({ dimension: DIM, initialCapacity: 4 }) }));

for (const quantization of ['f16', 'i8'] as const) {
  vectorIndexContract(`hnsw (${quantization})`, async () => {
    const dir = tempDir();
    const options: HnswVectorIndexOptions = { dir, dimension: DIM, quantization, cipher };
    let index = await createHnswVectorIndex(options);
    return {
      index,
      reopen: async () => {
        await index.close();
        index = await createHnswVectorIndex(options);
        return index;
      },
    };
  });
}

// pgvector on PGlite: a fresh in-memory database per suite run; the index persists in it, so reopen is a new
// adapter over the same database.
const pgvectorSkipped = await pgvectorSkip();
if (pgvectorSkipped) describe('VectorIndex contract: pgvector (PGlite)', { skip: pgvectorSkipped }, () => {});
else {
  vectorIndexContract('pgvector (PGlite)', async () => {
    const db = createPgliteDriver(await createPglite({ vector: true }));
    let index = await createPgvectorVectorIndex({ db, dimension: DIM });
    return {
      index,
      reopen: async () => {
        await index.close();
        index = await createPgvectorVectorIndex({ db, dimension: DIM });
        return index;
      },
      cleanup: () => db.close(),
    };
  });

  it('pgvector (PGlite) on 1200 clustered templates: exact mode equals the exact index; fast recall@1 ≥ 0.98', async () => {
    const synth = { identities: 300, samplesPerIdentity: 4, dimension: DIM, seed: 7 };
    const t = generateTemplates(synth);
    const entries: VectorEntry[] = [];
    for (let i = 0; i < t.count; i++) {
      entries.push({
        key: BigInt(i + 1),
        personId: `p${t.identityOf(i)}`,
        vector: t.vectors.slice(i * DIM, (i + 1) * DIM),
      });
    }
    const db = createPgliteDriver(await createPglite({ vector: true }));
    const pgv = await createPgvectorVectorIndex({ db, dimension: DIM });
    const exact = createExactVectorIndex({ dimension: DIM });
    await pgv.add('c', entries);
    await pgv.add('other', entriesFor(100, 4, 8, 100_000n));
    await exact.add('c', entries);
    const probes = generateProbes(synth, 100);
    let hit1 = 0;
    for (let q = 0; q < probes.identities.length; q++) {
      const query = probes.vectors.subarray(q * DIM, (q + 1) * DIM);
      const truth = await exact.search('c', query, { k: 10, mode: 'exact' });
      assert.deepEqual(await pgv.search('c', query, { k: 10, mode: 'exact' }), truth, `probe ${q}`);
      if ((await pgv.search('c', query, { k: 1, mode: 'fast' }))[0]?.key === truth[0]?.key) hit1++;
    }
    assert.ok(hit1 / probes.identities.length >= 0.98, `recall@1 ${hit1 / probes.identities.length}`);
    await db.close();
  });
}

/** A fake database: collections of entries, and a fingerprint the test controls. */
function fakeSource(data: Map<string, VectorEntry[]>, fingerprints: Map<string, string>) {
  const calls = { entries: [] as string[] };
  const source: VectorIndexSource = {
    async collections() {
      return [...data.keys()];
    },
    async fingerprint(c) {
      return fingerprints.get(c) ?? 'none';
    },
    async *entries(c) {
      calls.entries.push(c);
      yield* data.get(c) ?? [];
    },
  };
  return { source, calls };
}

describe('hnsw vector index: snapshots and the source', () => {
  const v1 = entriesFor(20, 3, 21);
  const v2 = entriesFor(25, 3, 22, 500n);

  const open = async (dir: string, source: VectorIndexSource, events: HnswIndexEvent[]): Promise<VectorIndex> =>
    createHnswVectorIndex({ dir, dimension: DIM, quantization: 'f16', cipher, source, onEvent: (e) => events.push(e) });

  it('builds from the source when there is no snapshot, then loads the snapshot without reading the source', async () => {
    const dir = tempDir();
    const data = new Map([['a', v1]]);
    const fps = new Map([['a', 'fp1']]);
    const first = fakeSource(data, fps);
    const events: HnswIndexEvent[] = [];
    const index = await open(dir, first.source, events);
    assert.deepEqual(first.calls.entries, ['a']);
    assert.deepEqual(
      events.map((e) => e.type === 'rebuilt' && e.reason),
      ['no snapshot'],
    );
    assert.equal(await index.size('a'), v1.length);
    await index.close();

    const second = fakeSource(data, fps);
    const events2: HnswIndexEvent[] = [];
    const reopened = await open(dir, second.source, events2);
    assert.deepEqual(second.calls.entries, [], 'a current snapshot must be loaded, not rebuilt');
    assert.deepEqual(
      events2.map((e) => e.type),
      ['loaded'],
    );
    const probe = v1[7] as VectorEntry;
    assert.equal((await reopened.search('a', probe.vector, { k: 1, mode: 'fast' }))[0]?.key, probe.key);
    await reopened.close();
  });

  it('rebuilds a collection whose fingerprint changed, and deletes snapshots of collections the source lacks', async () => {
    const dir = tempDir();
    const fps = new Map([
      ['a', 'fp1'],
      ['gone', 'g'],
    ]);
    const first = fakeSource(
      new Map([
        ['a', v1],
        ['gone', v2.slice(0, 5)],
      ]),
      fps,
    );
    await (await open(dir, first.source, [])).close();
    assert.equal(readdirSync(dir).length, 2);

    const changed = fakeSource(new Map([['a', v2]]), new Map([['a', 'fp2']]));
    const events: HnswIndexEvent[] = [];
    const index = await open(dir, changed.source, events);
    assert.deepEqual(changed.calls.entries, ['a']);
    assert.ok(events.some((e) => e.type === 'rebuilt' && e.reason === 'fingerprint changed'));
    assert.ok(events.some((e) => e.type === 'deleted' && e.collection === 'gone'));
    assert.equal(readdirSync(dir).length, 1);
    assert.equal(await index.size('a'), v2.length);
    const hits = await index.search('a', (v1[0] as VectorEntry).vector, { k: 10, mode: 'exact' });
    assert.ok(
      hits.every((h) => h.key >= 500n),
      'templates only in the stale snapshot must be gone',
    );
    await index.close();
  });

  it('rebuilds instead of failing when a snapshot file is corrupt', async () => {
    const dir = tempDir();
    const fps = new Map([['a', 'fp1']]);
    await (await open(dir, fakeSource(new Map([['a', v1]]), fps).source, [])).close();
    const [sub] = readdirSync(dir);
    writeFileSync(join(dir, sub as string, 'codes.i8'), Buffer.alloc(10));
    const again = fakeSource(new Map([['a', v1]]), fps);
    const events: HnswIndexEvent[] = [];
    const index = await open(dir, again.source, events);
    assert.deepEqual(again.calls.entries, ['a']);
    assert.match(events[0]?.type === 'rebuilt' ? events[0].reason : '', /unreadable snapshot/);
    assert.equal(await index.size('a'), v1.length);
    await index.close();
  });

  it('records the caller fingerprint, dimension, quantization and count in the manifest', async () => {
    const dir = tempDir();
    const index = await open(dir, fakeSource(new Map([['a', v1]]), new Map([['a', 'abc']])).source, []);
    await index.close();
    const [sub] = readdirSync(dir);
    const manifest = JSON.parse(readFileSync(join(dir, sub as string, 'manifest.json'), 'utf8'));
    assert.equal(manifest.fingerprint, 'abc');
    assert.equal(manifest.dimension, DIM);
    assert.equal(manifest.quantization, 'f16');
    assert.equal(manifest.count, v1.length);
    assert.equal(manifest.collection, 'a');
  });
});

describe('hnsw vector index against the exact reference on clustered templates', () => {
  const identities = 1000;
  const per = 4;
  const synth = { identities, samplesPerIdentity: per, dimension: DIM, seed: 5 };
  const t = generateTemplates(synth);
  const entries: VectorEntry[] = [];
  for (let i = 0; i < t.count; i++) {
    entries.push({
      key: BigInt(i + 1),
      personId: `p${t.identityOf(i)}`,
      vector: t.vectors.subarray(i * DIM, (i + 1) * DIM),
    });
  }
  const probes = generateProbes(synth, 200);

  for (const quantization of ['f16', 'i8'] as const) {
    it(`${quantization}: fast recall@1 ≥ 0.98 and recall@10 ≥ 0.9; exact mode equals the exact index`, async () => {
      const exact = createExactVectorIndex({ dimension: DIM });
      const hnsw = await createHnswVectorIndex({ dir: tempDir(), dimension: DIM, quantization, cipher });
      await exact.add('c', entries);
      await hnsw.add('c', entries);
      let hit1 = 0;
      let hit10 = 0;
      let sameIdentity = 0;
      for (let q = 0; q < probes.identities.length; q++) {
        const query = probes.vectors.subarray(q * DIM, (q + 1) * DIM);
        const truth = await exact.search('c', query, { k: 10, mode: 'exact' });
        const fast = await hnsw.search('c', query, { k: 10, mode: 'fast' });
        const exactMode = await hnsw.search('c', query, { k: 10, mode: 'exact' });
        assert.deepEqual(exactMode, truth, `exact mode differs from the exact index on probe ${q}`);
        if (fast[0]?.key === truth[0]?.key) hit1++;
        const got = new Set(fast.map((h) => h.key));
        hit10 += truth.filter((h) => got.has(h.key)).length;
        if (truth[0]?.personId === `p${probes.identities[q]}`) sameIdentity++;
      }
      const n = probes.identities.length;
      assert.ok(hit1 / n >= 0.98, `recall@1 ${hit1 / n}`);
      assert.ok(hit10 / (10 * n) >= 0.9, `recall@10 ${hit10 / (10 * n)}`);
      // The data must be face-like for the recall figure to mean anything: the probe's own identity wins.
      assert.ok(sameIdentity / n >= 0.99, `exact top-1 is the probe's identity in ${sameIdentity}/${n}`);
      await hnsw.close();
    });
  }
});
