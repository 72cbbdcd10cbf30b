import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareSimilarity, NORM_KNEE, templateNormShift } from './compare-similarity.js';

describe('the compare rule (#11)', () => {
  test('faces the recogniser is sure of keep their cosine', () => {
    assert.equal(templateNormShift(NORM_KNEE, NORM_KNEE), 0);
    assert.equal(templateNormShift(4.2, 3.6), 0);
    assert.equal(compareSimilarity(0.46, 3.9, 3.8), 0.46);
  });

  test('a pair the recogniser is unsure of must be closer, more so the less sure it is', () => {
    const mild = templateNormShift(3.1, 3.1);
    const dark = templateNormShift(2.7, 2.7);
    assert.ok(mild > 0 && mild < 0.05, `mild ${mild}`);
    assert.ok(dark > 0.3, `dark ${dark}`);
    // A dark webcam pair at the old default cosine 0.45 no longer passes it.
    assert.ok(compareSimilarity(0.47, 2.8, 2.9) < 0.45);
  });

  test('one poor face lowers the pair; the rule is symmetric and never raises a similarity', () => {
    assert.ok(templateNormShift(4.0, 2.4) > 0);
    assert.equal(templateNormShift(2.5, 3.7), templateNormShift(3.7, 2.5));
    for (const [a, b] of [
      [1, 1],
      [2.5, 4],
      [5, 5],
    ] as const)
      assert.ok(compareSimilarity(0.3, a, b) <= 0.3);
  });

  test('a length that is unknown (a fake engine, an old caller) changes nothing', () => {
    assert.equal(templateNormShift(undefined, 2.5), 0);
    assert.equal(templateNormShift(2.5, undefined), 0);
    assert.equal(templateNormShift(0, 2.5), 0);
  });
});
