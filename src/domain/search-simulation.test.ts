import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LabelledPhoto, simulateSearch } from './search-simulation.js';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return xs.map((x) => x / n);
};
const photo = (label: string, path: string, template: number[], refused = false): LabelledPhoto => ({
  label,
  path,
  template,
  refused,
});
const best = (templates: readonly number[]) => Math.max(...templates);
const accepts = (s: number) => s >= 0.45;

// Ada: two photos close together; Bob: two photos, the second of which looks like Ada's first (0.6).
const set = [
  photo('ada', 'ada/1', unit(1, 0, 0, 0)),
  photo('ada', 'ada/2', unit(0.9, 0.1, 0, 0)),
  photo('bob', 'bob/1', unit(0, 0, 1, 0)),
  photo('bob', 'bob/2', unit(0.6, 0, 0, 0.8)),
];

test('genuine probes are the photos after the enrolled ones; a look-alike stranger counts once per pair', () => {
  const r = simulateSearch([set], { enrol: 1, rule: best, accepts });
  // ada/2 finds Ada; bob/2 finds Ada (0.6) before Bob (0): not a first-try login.
  assert.equal(r.genuineProbes, 2);
  assert.equal(r.genuineAccepted, 1);
  // Each photo, its own person taken out, against the other: only Bob's second photo resembles anyone enrolled
  // (Ada's first, 0.6); Bob's enrolled first photo resembles nobody.
  assert.equal(r.strangers, 4);
  assert.equal(r.impostorPairs, 4);
  assert.equal(r.falseAccepts, 1);
  assert.equal(r.strangersLoggedIn, 1);
  assert.ok(Number.isNaN(r.tarAtFar1e3), 'too few impostor pairs for FAR 1e-3');
});

test('a photo the quality gates refuse is never a login, genuine or not', () => {
  const refused = set.map((p) => (p.path === 'bob/2' || p.path === 'ada/2' ? { ...p, refused: true } : p));
  const r = simulateSearch([refused], { enrol: 1, rule: best, accepts });
  assert.equal(r.genuineAccepted, 0);
  assert.equal(r.falseAccepts, 0);
});

test('copies are enrolled and searched each on its own, then pooled', () => {
  const one = simulateSearch([set], { enrol: 1, rule: best, accepts });
  const two = simulateSearch([set, set], { enrol: 1, rule: best, accepts });
  assert.equal(two.impostorPairs, 2 * one.impostorPairs);
  assert.equal(two.falseAccepts, 2 * one.falseAccepts);
  assert.equal(two.genuineFirstTry, one.genuineFirstTry);
});

test('by default the services’ rule decides: a one-person collection keeps the raw similarity', () => {
  const r = simulateSearch([set], { enrol: 1, accepts });
  assert.equal(r.falseAccepts, 1);
});

test('collections of a few persons: strangers are the photos of everyone outside the collection', () => {
  // Two one-person collections: Ada's and Bob's. Bob's photos are strangers to Ada's collection and hers to his.
  const r = simulateSearch([set], { enrol: 1, rule: best, accepts, groupSize: 1 });
  assert.equal(r.genuineProbes, 2);
  // Alone in her collection, Bob's second photo no longer competes with Ada: each genuine probe is a first try
  // when its own similarity passes (ada/2 0.99; bob/2 0 to bob/1 does not).
  assert.equal(r.genuineAccepted, 1);
  assert.equal(r.strangers, 4);
  assert.equal(r.impostorPairs, 4);
  // bob/2 (0.6 to ada/1) gets into Ada's collection.
  assert.equal(r.falseAccepts, 1);
});

test('the rule sees the embedding lengths of the probe and of the templates', () => {
  const seen: unknown[] = [];
  const withNorms = set.map((p, i) => ({ ...p, norm: 3 + i / 10 }));
  simulateSearch([withNorms], {
    enrol: 1,
    accepts,
    groupSize: 2,
    rule: (templates, _others, _rest, _count, norms) => {
      seen.push(norms);
      return Math.max(...templates);
    },
  });
  assert.deepEqual(seen[0], { probe: 3.1, templates: [3] });
});
