import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cohortShift } from '../domain/cohort-score.js';
import type { Collection } from '../domain/collection.js';
import { fusedSimilarity } from '../domain/match-similarity.js';
import type { Person } from '../domain/person.js';
import type { FaceEngine, FaceSample } from '../ports/face-engine.js';
import type { Store } from '../ports/store.js';
import type { VectorIndex } from '../ports/vector-index.js';
import type { PersonService } from './person.service.js';
import { createSearchService } from './search.service.js';

// The search service applies the one match rule (domain/match-similarity.ts) the same way in 1:N search (login,
// onboarding's duplicate check, /search*) and in /verify (#11). Fakes for the ports; unit vectors in 6 dimensions
// make the similarities exact: score = similarity here, so 0.45 is the bar.

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};
const e = (i: number) => unit(...Array.from({ length: 6 }, (_, j) => (j === i ? 1 : 0)));
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
/** At 0.1 to both probes below. */
function bobPhoto() {
  const x = 0.1 / Math.sqrt(3);
  const y = (0.1 - 0.5 * x) / Math.sqrt(0.75);
  return unit(x, x, x, y, Math.sqrt(1 - 3 * x * x - y * y), 0);
}

// Ada holds three photos, one of which a look-alike resembles (0.5) while the others do not (0); Bob one photo at 0.1
// to both probes, so that the cohort costs something (and how the rest of the collection is counted shows). The
// genuine probe is at 0.577 to each of Ada's photos.
const templates = [
  { key: 1n, personId: 'ada', vector: e(0) },
  { key: 2n, personId: 'ada', vector: e(1) },
  { key: 3n, personId: 'ada', vector: e(2) },
  { key: 4n, personId: 'bob', vector: bobPhoto() },
];
const probes: Record<string, Float32Array> = {
  lookAlike: unit(0.5, 0, 0, Math.sqrt(0.75), 0, 0),
  genuine: unit(1, 1, 1, 0, 0, 0),
};

const collection = { _id: 'c1', code: 'code-1', name: 'office', client: 'acme' } as Collection;
const person = (id: string) => ({ _id: id, client: 'acme', name: id }) as Person;
const sample = (template: Float32Array) => ({ template, face: {} }) as unknown as FaceSample;

const index = {
  name: 'fake',
  async search(c: string, vector: Float32Array, { k }: { k: number }) {
    if (c !== collection._id) return [];
    return templates
      .map((t) => ({ key: t.key, personId: t.personId, similarity: dot(t.vector, vector) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  },
  async size(c: string) {
    return c === collection._id ? templates.length : 0;
  },
} as unknown as VectorIndex;

const store = {
  persons: { findById: async (_client: string, id: string) => person(id) },
  collections: { findById: async () => collection },
  faceData: {
    templatesOf: async (_client: string, ids: readonly string[]) =>
      templates
        .filter((t) => ids.includes(t.personId))
        .map((t) => ({ id: t.key, personId: t.personId, modelId: 'm', dimension: 6, template: t.vector })),
    thumbnailsOf: async () => new Map(),
    collectionsOf: async (_client: string, ids: readonly string[]) =>
      ids.map((personId) => ({ personId, collectionId: collection._id })),
  },
} as unknown as Store;

const engine = {
  similarity: dot,
  score: (s: number) => Math.max(0, Math.min(1, s)),
  analyse: async (bytes: Uint8Array) => sample(probes[Buffer.from(bytes).toString()]!),
} as unknown as FaceEngine;

const search = createSearchService({
  store,
  engine,
  index,
  persons: { get: async (_client: string, id: string) => person(id) } as unknown as PersonService,
  readImage: async (image: string) => Buffer.from(image),
});

const run = (probe: string, minScore: number) =>
  search.run('acme', {
    probes: [sample(probes[probe]!)],
    collections: [collection],
    minScore,
    mode: 'ACCURATE',
    maxResults: 5,
  });

test('a look-alike of one of a person’s photos is not a match, though the best photo alone would pass', async () => {
  assert.ok(dot(probes.lookAlike!, e(0)) >= 0.45);
  assert.deepEqual(await run('lookAlike', 0.45), []);
  const verified = await search.verify('acme', 'ada', ['lookAlike'], 0.45);
  assert.equal(verified.passed, false);
});

test('/verify and 1:N search give a person the same score', async () => {
  for (const probe of ['lookAlike', 'genuine']) {
    const [hit] = await run(probe, 0);
    const verified = await search.verify('acme', 'ada', [probe], 0.45);
    assert.equal(hit?.person._id, 'ada', probe);
    assert.equal(verified.score, hit?.score, probe);
  }
});

test('the genuine probe matches its person in both', async () => {
  const [hit] = await run('genuine', 0.45);
  assert.equal(hit?.person._id, 'ada');
  // Ada's three photos blended, less the cohort: Bob, the rest of the collection (one template), at 0.1.
  const expected = fusedSimilarity([0.5774, 0.5774, 0.5774]) - cohortShift([0.1], 1);
  assert.ok(cohortShift([0.1], 1) > 0.05);
  assert.ok(Math.abs(hit!.score - expected) < 2e-4, `${hit?.score} != ${expected}`);
  assert.equal((await search.verify('acme', 'ada', ['genuine'], 0.45)).passed, true);
});
