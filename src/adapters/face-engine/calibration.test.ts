import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibratedScore, calibrationTable, similarityForScore } from './calibration.js';

describe('calibration', () => {
  it('is strictly increasing and maps -1..1 onto 0..1', () => {
    for (let i = 1; i < calibrationTable.length; i++) {
      assert.ok(calibrationTable[i]![0] > calibrationTable[i - 1]![0]);
      assert.ok(calibrationTable[i]![1] > calibrationTable[i - 1]![1]);
    }
    assert.equal(calibratedScore(-1), 0);
    assert.equal(calibratedScore(1), 1);
    assert.equal(calibratedScore(2), 1);
    assert.equal(calibratedScore(Number.NaN), 0);
    let prev = -1;
    for (let c = -1; c <= 1; c += 0.01) {
      const s = calibratedScore(c);
      assert.ok(s >= prev);
      prev = s;
    }
  });

  it('puts the default threshold 0.85 at cosine 0.45 (measured FAR below 1e-4)', () => {
    assert.ok(Math.abs(similarityForScore(0.85) - 0.45) < 1e-9);
    assert.ok(Math.abs(calibratedScore(0.45) - 0.85) < 1e-9);
  });

  it('inverts', () => {
    for (const c of [-0.5, 0, 0.123, 0.3, 0.47, 0.9])
      assert.ok(Math.abs(similarityForScore(calibratedScore(c)) - c) < 1e-9);
  });
});
