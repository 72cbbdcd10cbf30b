import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cohortShift } from './cohort-score.js';
import { templateNormShift } from './compare-similarity.js';
import {
  COHORT_SUFFICES_AT,
  DOUBT_WEIGHT,
  fusedSimilarity,
  matchSimilarity,
  SECOND_TEMPLATE_WEIGHT,
} from './match-similarity.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('a person with one template keeps its similarity', () => {
  assert.equal(fusedSimilarity([0.52]), 0.52);
  assert.equal(matchSimilarity({ templates: [0.52], others: [] }), 0.52);
});

test('no template, no match', () => {
  assert.equal(fusedSimilarity([]), Number.NEGATIVE_INFINITY);
});

test('one look-alike template cannot carry a match alone (#11)', () => {
  // A stranger at 0.50 to one of three photos of an enrolled person and far from the others: above the default
  // 0.45 by the max, below it once blended with the second best.
  const fused = fusedSimilarity([0.1, 0.5, 0.2]);
  close(fused, (1 - SECOND_TEMPLATE_WEIGHT) * 0.5 + SECOND_TEMPLATE_WEIGHT * 0.2);
  assert.ok(fused < 0.45);
  // The owner resembles all their photos: the blend costs them little.
  assert.ok(fusedSimilarity([0.62, 0.58, 0.4]) > 0.6);
});

test('the order of the templates does not matter, and the fusion never exceeds the best', () => {
  const sims = [0.31, 0.77, 0.45, 0.6];
  const fused = fusedSimilarity(sims);
  assert.equal(fusedSimilarity([...sims].reverse()), fused);
  assert.ok(fused <= Math.max(...sims));
  assert.ok(fused >= 0.6);
  close(fusedSimilarity([0.4, 0.4]), 0.4);
});

test('the cohort shift applies after the fusion', () => {
  const others = [0.42, 0.4, 0.39, 0.35, 0.33];
  const shift = cohortShift(others, 20);
  assert.ok(shift > 0.1);
  close(matchSimilarity({ templates: [0.5, 0.3], others, cohortSize: 20 }), fusedSimilarity([0.5, 0.3]) - shift);
  // A probe among strangers loses nothing.
  assert.equal(matchSimilarity({ templates: [0.7], others: [0.05, 0, -0.05], cohortSize: 3 }), 0.7);
});

test('in a small collection the recogniser’s doubt about dark faces is a floor, fading out as the cohort grows', () => {
  // A dark webcam probe (embedding length 2.8) at 0.5 to a one-person collection's dark templates: no cohort to
  // lower it, so the doubt does.
  const dark = { templates: [0.5, 0.48], others: [], cohortSize: 0, probeNorm: 2.8, templateNorms: [2.9, 2.85] };
  const alone = matchSimilarity(dark);
  assert.ok(alone < 0.45, `${alone}`);
  close(
    alone,
    fusedSimilarity([
      0.5 - DOUBT_WEIGHT * templateNormShift(2.8, 2.9),
      0.48 - DOUBT_WEIGHT * templateNormShift(2.8, 2.85),
    ]),
  );
  // Half-way to COHORT_SUFFICES_AT the floor counts half; from there on the cohort alone decides.
  const half = matchSimilarity({ ...dark, cohortSize: COHORT_SUFFICES_AT / 2 });
  assert.ok(half > alone && half < fusedSimilarity(dark.templates));
  assert.equal(matchSimilarity({ ...dark, cohortSize: COHORT_SUFFICES_AT }), fusedSimilarity(dark.templates));
  // Faces the recogniser is sure of lose nothing, whatever the collection's size.
  assert.equal(
    matchSimilarity({ ...dark, probeNorm: 3.8, templateNorms: [3.6, 3.9] }),
    fusedSimilarity(dark.templates),
  );
  // Without lengths (a fake engine), the cohort rule as before; a template enrolled before lengths were kept is
  // judged on the probe's length alone.
  assert.equal(matchSimilarity({ templates: [0.5, 0.48], others: [] }), fusedSimilarity([0.5, 0.48]));
  close(
    matchSimilarity({ ...dark, templateNorms: [undefined, undefined] }),
    fusedSimilarity([0.5, 0.48].map((s) => s - DOUBT_WEIGHT * templateNormShift(2.8, 2.8))),
  );
});
