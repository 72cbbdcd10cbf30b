// The contract every VectorIndex adapter must satisfy. The exact index is the reference; an adapter passes when a
// caller cannot tell it apart in `exact` mode, and `fast` mode never breaks isolation or deletion.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTemplates } from '../../bench/synthetic-templates.js';
import type { VectorEntry, VectorHit, VectorIndex } from '../../src/ports/vector-index.js';

export const DIM = 512;

export interface IndexUnderTest {
  index: VectorIndex;
  /** Closes the index and opens a new one over the same persisted state (omit for in-memory adapters). */
  reopen?: () => Promise<VectorIndex>;
  cleanup?: () => Promise<void>;
}

export type IndexFactory = () => Promise<IndexUnderTest>;

const modes = ['exact', 'fast'] as const;

/** Clustered templates: `identities` people × `per` samples; keys start at `firstKey`. */
export function entriesFor(identities: number, per: number, seed: number, firstKey = 1n): VectorEntry[] {
  const t = generateTemplates({ identities, samplesPerIdentity: per, dimension: DIM, seed });
  const out: VectorEntry[] = [];
  for (let i = 0; i < t.count; i++) {
    out.push({
      key: firstKey + BigInt(i),
      personId: `s${seed}-p${t.identityOf(i)}`,
      vector: t.vectors.slice(i * DIM, (i + 1) * DIM),
    });
  }
  return out;
}

/** The answer computed independently of any adapter: float64 dot products, similarity desc then key asc. */
export function bruteForce(entries: readonly VectorEntry[], query: Float32Array, k: number): VectorHit[] {
  return entries
    .map((e) => {
      let s = 0;
      for (let i = 0; i < DIM; i++) s += (e.vector[i] as number) * (query[i] as number);
      return { key: e.key, personId: e.personId, similarity: s };
    })
    .sort((a, b) => b.similarity - a.similarity || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, k);
}

function assertSameHits(actual: VectorHit[], expected: VectorHit[], message: string): void {
  assert.deepEqual(
    actual.map((h) => [h.key, h.personId]),
    expected.map((h) => [h.key, h.personId]),
    message,
  );
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs((actual[i] as VectorHit).similarity - (expected[i] as VectorHit).similarity) < 1e-5, message);
  }
}

function assertSorted(hits: VectorHit[]): void {
  for (let i = 1; i < hits.length; i++) {
    const a = hits[i - 1] as VectorHit;
    const b = hits[i] as VectorHit;
    assert.ok(a.similarity > b.similarity || (a.similarity === b.similarity && a.key < b.key), `hit ${i} out of order`);
  }
}

export function vectorIndexContract(name: string, factory: IndexFactory): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let sut: IndexUnderTest;
    let index: VectorIndex;
    const people = entriesFor(40, 4, 11); // 160 templates, keys 1..160
    const others = entriesFor(30, 4, 12, 1000n); // a second collection, keys 1000..1119

    before(async () => {
      sut = await factory();
      index = sut.index;
      await index.add('a', people);
      await index.add('b', others);
    });
    after(async () => {
      await index.close();
      await sut.cleanup?.();
    });

    it('reports the size of each collection and 0 for an unknown one', async () => {
      assert.equal(await index.size('a'), people.length);
      assert.equal(await index.size('b'), others.length);
      assert.equal(await index.size('nope'), 0);
    });

    it('finds an enrolled template as its own best match with similarity ≈ 1', async () => {
      for (const mode of modes) {
        const probe = people[37] as VectorEntry;
        const [best] = await index.search('a', probe.vector, { k: 1, mode });
        assert.equal(best?.key, probe.key);
        assert.equal(best?.personId, probe.personId);
        assert.ok(Math.abs((best?.similarity ?? 0) - 1) < 1e-5);
      }
    });

    it('returns exactly the brute-force top k in exact mode, sorted by similarity then key', async () => {
      for (const i of [0, 5, 77, 159]) {
        const query = (people[i] as VectorEntry).vector.map((v, j) => v + (j % 7 === 0 ? 0.01 : -0.003));
        const hits = await index.search('a', query, { k: 12, mode: 'exact' });
        assertSorted(hits);
        assertSameHits(hits, bruteForce(people, query, 12), `query ${i}`);
      }
    });

    it('returns min(k, size) hits and nothing for k = 0 or an unknown collection', async () => {
      const q = (people[3] as VectorEntry).vector;
      for (const mode of modes) {
        assert.equal((await index.search('a', q, { k: 5, mode })).length, 5);
        assert.equal((await index.search('a', q, { k: 1000, mode })).length, people.length);
        assert.deepEqual(await index.search('a', q, { k: 0, mode }), []);
        assert.deepEqual(await index.search('nope', q, { k: 5, mode }), []);
      }
    });

    it('breaks similarity ties by ascending key', async () => {
      const v = (people[0] as VectorEntry).vector;
      await index.add('ties', [
        { key: 30n, personId: 'x', vector: v },
        { key: 10n, personId: 'y', vector: v },
        { key: 20n, personId: 'z', vector: v },
      ]);
      for (const mode of modes) {
        const hits = await index.search('ties', v, { k: 3, mode });
        assert.deepEqual(
          hits.map((h) => h.key),
          [10n, 20n, 30n],
        );
      }
      await index.dropCollection('ties');
    });

    it('never returns a template of another collection', async () => {
      for (const mode of modes) {
        for (const e of people.slice(0, 20)) {
          const hits = await index.search('b', e.vector, { k: 50, mode });
          assert.ok(hits.length > 0);
          assert.ok(
            hits.every((h) => h.key >= 1000n),
            `collection b returned a key of collection a`,
          );
        }
      }
    });

    it('upserts: adding a key again replaces its template instead of duplicating it', async () => {
      const moved = { ...(people[1] as VectorEntry), vector: (people[100] as VectorEntry).vector };
      await index.add('up', [people[1] as VectorEntry, people[2] as VectorEntry]);
      await index.add('up', [moved]);
      assert.equal(await index.size('up'), 2);
      for (const mode of modes) {
        const hits = await index.search('up', (people[100] as VectorEntry).vector, { k: 5, mode });
        assert.deepEqual(
          hits.map((h) => h.key),
          [moved.key, (people[2] as VectorEntry).key],
        );
      }
      await index.dropCollection('up');
    });

    it('makes a removed template invisible as soon as remove() resolves, in every collection', async () => {
      const victim = people[10] as VectorEntry;
      await index.add('b', [victim]);
      await index.remove([victim.key, 999_999n]);
      assert.equal(await index.size('a'), people.length - 1);
      assert.equal(await index.size('b'), others.length);
      for (const mode of modes) {
        for (const c of ['a', 'b']) {
          const hits = await index.search(c, victim.vector, { k: 20, mode });
          assert.ok(!hits.some((h) => h.key === victim.key), `${mode} search of ${c} returned a removed key`);
        }
      }
      await index.add('a', [victim]);
    });

    it('removeFromCollection removes from that collection only', async () => {
      const shared = people[20] as VectorEntry;
      await index.add('b', [shared]);
      await index.removeFromCollection('b', [shared.key]);
      for (const mode of modes) {
        const inB = await index.search('b', shared.vector, { k: 5, mode });
        assert.ok(!inB.some((h) => h.key === shared.key));
        const inA = await index.search('a', shared.vector, { k: 1, mode });
        assert.equal(inA[0]?.key, shared.key);
      }
      assert.equal(await index.size('b'), others.length);
    });

    it('dropCollection empties one collection and leaves the others', async () => {
      await index.add('temp', people.slice(0, 10));
      await index.dropCollection('temp');
      assert.equal(await index.size('temp'), 0);
      assert.deepEqual(await index.search('temp', (people[0] as VectorEntry).vector, { k: 3, mode: 'exact' }), []);
      assert.equal(await index.size('a'), people.length);
      await index.add('temp', people.slice(0, 2));
      assert.equal(await index.size('temp'), 2);
      await index.dropCollection('temp');
    });

    it('rejects vectors of the wrong dimension', async () => {
      await assert.rejects(index.search('a', new Float32Array(DIM - 1), { k: 1, mode: 'exact' }), RangeError);
      await assert.rejects(index.add('a', [{ key: 5000n, personId: 'q', vector: new Float32Array(3) }]), RangeError);
      assert.equal(await index.size('a'), people.length);
    });

    it('answers the same after flush and reopen (when the adapter persists)', async (t) => {
      if (sut.reopen === undefined) {
        t.skip('in-memory adapter');
        return;
      }
      const removed = people[50] as VectorEntry;
      await index.remove([removed.key]);
      const queries = [0, 33, 50, 120].map((i) => (people[i] as VectorEntry).vector);
      const before: VectorHit[][] = [];
      for (const q of queries) for (const mode of modes) before.push(await index.search('a', q, { k: 8, mode }));
      await index.flush();
      index = await sut.reopen();
      const afterHits: VectorHit[][] = [];
      for (const q of queries) for (const mode of modes) afterHits.push(await index.search('a', q, { k: 8, mode }));
      assert.deepEqual(afterHits, before);
      assert.equal(await index.size('a'), people.length - 1);
      assert.equal(await index.size('b'), others.length);
      assert.ok(!afterHits.flat().some((h) => h.key === removed.key));
      await index.add('a', [removed]);
      assert.equal((await index.search('a', removed.vector, { k: 1, mode: 'exact' }))[0]?.key, removed.key);
    });
  });
}
