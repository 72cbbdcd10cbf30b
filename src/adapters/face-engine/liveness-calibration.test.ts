import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibratedLiveness, DEFAULT_LIVENESS_THRESHOLD, RAW_AT_DEFAULT } from './liveness-calibration.js';

test('the default threshold stands for the measured raw operating point', () => {
  assert.ok(Math.abs(calibratedLiveness(RAW_AT_DEFAULT) - DEFAULT_LIVENESS_THRESHOLD) < 1e-12);
});

test('the calibration is monotonic and keeps 0 and 1', () => {
  assert.equal(calibratedLiveness(0), 0);
  assert.equal(calibratedLiveness(1), 1);
  assert.equal(calibratedLiveness(Number.NaN), 0);
  let previous = 0;
  for (let p = 0.0001; p < 1; p += 0.0001) {
    const s = calibratedLiveness(p);
    assert.ok(s > previous && s < 1, `not increasing at ${p}`);
    previous = s;
  }
});

test('a replay as the model scores it stays far below the threshold', () => {
  assert.ok(calibratedLiveness(0.001) < 0.05);
  assert.ok(calibratedLiveness(0.021) < 0.4);
});
