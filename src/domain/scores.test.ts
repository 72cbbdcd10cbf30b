import assert from 'node:assert/strict';
import { test } from 'node:test';
import { livenessVerdict, matchPassed, roundScore } from './scores.js';

test('liveness passes strictly above the threshold, a match at or above it, as Verifik decides', () => {
  assert.deepEqual(livenessVerdict(0.6, 0.6), { liveness_score: 0.6, min_score: 0.6, passed: false });
  assert.equal(livenessVerdict(0.60004, 0.6).passed, false, 'compared after rounding, as reported');
  assert.equal(livenessVerdict(0.6001, 0.6).passed, true);
  assert.equal(matchPassed(0.85, 0.85), true);
  assert.equal(roundScore(0.123456), 0.1235);
});
