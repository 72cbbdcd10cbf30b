import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allPairs,
  detCurve,
  equalErrorRate,
  median,
  padRates,
  rank1,
  tarAtFar,
  thresholdAtFar,
} from './biometric-metrics.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const t = (...v: number[]) => Float32Array.from(v);

describe('biometric metrics', () => {
  it('median', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('threshold at FAR allows floor(far * n) impostors above it', () => {
    const impostor = Array.from({ length: 1000 }, (_, i) => i / 1000);
    assert.equal(thresholdAtFar(impostor, 1e-2), 0.989);
    assert.equal(thresholdAtFar(impostor, 1e-3), 0.998);
    assert.equal(thresholdAtFar(impostor, 1e-4), 0.999);
    const r = tarAtFar([0.5, 0.9985, 1], impostor, 1e-3);
    assert.equal(r.tar, 2 / 3);
    assert.equal(r.measurable, true);
    assert.equal(tarAtFar([1], impostor, 1e-4).measurable, false);
  });

  it('DET curve and EER', () => {
    const genuine = [0.6, 0.7, 0.8, 0.9];
    const impostor = [0.1, 0.2, 0.3, 0.65];
    const curve = detCurve(genuine, impostor);
    assert.deepEqual(curve.at(-1), { threshold: 0.9, far: 0, frr: 1 });
    const eer = equalErrorRate(genuine, impostor);
    assert.equal(eer.far, 0.25);
    assert.equal(eer.frr, 0.25);
  });

  it('all pairs and leave-one-out rank-1', () => {
    const samples = [
      { label: 'a', template: t(1, 0) },
      { label: 'a', template: t(0.9, 0.1) },
      { label: 'b', template: t(0, 1) },
      { label: 'b', template: t(0.8, 0.2) },
      { label: 'c', template: t(-1, 0) },
    ];
    const pairs = allPairs(samples, dot);
    assert.equal(pairs.genuine.length, 2);
    assert.equal(pairs.impostor.length, 8);
    const r = rank1(samples, dot);
    assert.equal(r.total, 4);
    // Only the second 'b' (0.8, 0.2) is nearer to an 'a' than to the other 'b'; 'c' has no mate and is not a probe.
    assert.equal(r.correct, 3);
    assert.deepEqual(r.misses, [{ probe: 3, found: 0 }]);
  });

  it('PAD rates count a missing face as a rejection', () => {
    const r = padRates([0.9, 0.7, 0.5, undefined], [0.1, 0.65, undefined], 0.6);
    assert.equal(r.bpcer, 0.5);
    assert.equal(r.apcer, 1 / 3);
  });
});
