import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COHORT_DEAD_BAND, cohortShift, IMPOSTOR_MEAN, normalisedSimilarity, normalQuantile } from './cohort-score.js';

test('normalQuantile inverts the normal CDF', () => {
  assert.equal(normalQuantile(0.5), 0);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
  assert.ok(Math.abs(normalQuantile(1e-4) + 3.719016) < 1e-5);
});

test('no cohort, no shift; a cohort at the population mean costs nothing', () => {
  assert.equal(cohortShift([]), 0);
  assert.equal(normalisedSimilarity(0.6, []), 0.6);
  // 33 others spread like the dev impostors around their mean: their top ranks sit where the order statistics say.
  const typical = Array.from({ length: 33 }, (_, i) => IMPOSTOR_MEAN + 0.096 * normalQuantile(1 - (i + 1) / 34));
  assert.ok(cohortShift(typical, 33) < 1e-9);
});

test('a probe that resembles the only other enrolled person loses that resemblance (#11)', () => {
  // Two persons at 0.47 and 0.46: the candidate's cohort is the other one.
  const shift = cohortShift([0.46], 1);
  assert.ok(Math.abs(shift - (0.46 - IMPOSTOR_MEAN - COHORT_DEAD_BAND)) < 1e-9);
  assert.ok(normalisedSimilarity(0.47, [0.46], 1) < 0.1);
});

test('a genuine match among strangers keeps its similarity; the shift never raises a score', () => {
  assert.equal(normalisedSimilarity(0.7, [0.05, 0, -0.05], 3), 0.7);
  assert.equal(normalisedSimilarity(0.7, [-0.5, -0.6], 2), 0.7);
});

test('the same top similarities mean less in a larger collection', () => {
  const others = [0.3, 0.28, 0.27, 0.25, 0.25];
  assert.ok(cohortShift(others, 10_000) < cohortShift(others, 5));
});
