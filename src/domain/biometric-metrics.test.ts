import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allPairs,
  detCurve,
  equalErrorRate,
  lowestAccepted,
  matchRates,
  median,
  minScoreAtFar,
  padRates,
  padReport,
  pairsBySource,
  probit,
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

  it('PAD report gives APCER per attack kind, the worst as the overall figure and the pooled one beside it', () => {
    const attacks = [
      { kind: 'replay', score: 0.1 },
      { kind: 'replay', score: 0.2 },
      { kind: 'replay', score: 0.3 },
      { kind: 'replay', score: 0.61 },
      { kind: 'print', score: 0.9 },
      { kind: 'print', score: undefined },
      { kind: 'mask', score: 0.05 },
    ];
    const r = padReport([0.9, 0.7, 0.5, undefined], attacks, 0.6);
    assert.deepEqual(r.kinds, [
      { kind: 'mask', attacks: 1, accepted: 0, apcer: 0 },
      { kind: 'print', attacks: 2, accepted: 1, apcer: 0.5 },
      { kind: 'replay', attacks: 4, accepted: 1, apcer: 0.25 },
    ]);
    assert.equal(r.apcer, 0.5);
    assert.equal(r.worstKind, 'print');
    assert.equal(r.apcerPooled, 2 / 7);
    assert.equal(r.attacks, 7);
    assert.equal(r.attacksAccepted, 2);
    assert.equal(r.bonaFide, 4);
    assert.equal(r.bonaFideRejected, 2);
    assert.equal(r.bpcer, 0.5);
  });

  it('PAD report uses the service rule: a score equal to the threshold, after rounding, is not live', () => {
    // 0.60004 is reported as 0.6, which does not pass a 0.6 threshold (liveness passes iff score > min_score).
    const r = padReport(
      [0.6, 0.60004, 0.6001],
      [
        { kind: 'print', score: 0.6 },
        { kind: 'print', score: 0.6001 },
      ],
      0.6,
    );
    assert.equal(r.bonaFideRejected, 2);
    assert.deepEqual(r.kinds, [{ kind: 'print', attacks: 2, accepted: 1, apcer: 0.5 }]);
    // It agrees with the single-figure rates on one kind.
    const single = padRates([0.6, 0.60004, 0.6001], [0.6, 0.6001], 0.6);
    assert.equal(r.apcer, single.apcer);
    assert.equal(r.apcerPooled, single.apcer);
    assert.equal(r.bpcer, single.bpcer);
  });

  it('PAD report with no attacks or no bona fide says so rather than reporting zero', () => {
    const r = padReport([], [], 0.6);
    assert.deepEqual(r.kinds, []);
    assert.equal(r.worstKind, null);
    assert.ok(Number.isNaN(r.apcer));
    assert.ok(Number.isNaN(r.apcerPooled));
    assert.ok(Number.isNaN(r.bpcer));
  });

  it('probit is the standard normal quantile, in the centre and in both tails', () => {
    const close = (x: number, y: number, tol: number) => assert.ok(Math.abs(x - y) < tol, `${x} vs ${y}`);
    assert.equal(probit(0.5), 0);
    close(probit(0.975), 1.959963984540054, 1e-12);
    close(probit(0.95), 1.6448536269514722, 1e-12);
    close(probit(0.1), -1.2815515655446004, 1e-12);
    close(probit(1e-3), -3.090232306167813, 1e-12);
    close(probit(1e-4), -3.719016485455709, 1e-12);
    close(probit(1e-5), -4.264890793922825, 1e-12);
    // r > 5: the far tail's own polynomial.
    close(probit(1e-12), -7.034483825379101, 1e-9);
    for (const p of [1e-6, 0.01, 0.3, 0.42, 0.77, 0.999]) close(probit(1 - p), -probit(p), 1e-9);
    assert.equal(probit(0), Number.NEGATIVE_INFINITY);
    assert.equal(probit(1), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(probit(-0.1)));
    assert.ok(Number.isNaN(probit(1.1)));
    assert.ok(Number.isNaN(probit(Number.NaN)));
  });

  it('pairs by source keep only pairs within one source, sources ordered by name', () => {
    const samples = [
      { label: 'a', source: 'web', template: t(1, 0) },
      { label: 'a', source: 'web', template: t(0.8, 0.6) },
      { label: 'b', source: 'web', template: t(0, 1) },
      { label: 'a', source: 'crops', template: t(0.6, 0.8) },
      { label: 'b', source: 'crops', template: t(0.6, -0.8) },
    ];
    const bySource = pairsBySource(samples, dot);
    assert.deepEqual(
      bySource.map((s) => [s.source, s.images, s.people, s.genuine.length, s.impostor.length]),
      [
        ['crops', 2, 2, 0, 1],
        ['web', 3, 2, 1, 2],
      ],
    );
    assert.deepEqual(bySource[1]!.genuine, [dot(t(1, 0), t(0.8, 0.6))]);
    // Of the 10 pairs, the 6 across sources belong to no source, 3 of them genuine ('a' and 'b' in web and crops).
    const within = bySource.reduce((n, s) => n + s.genuine.length + s.impostor.length, 0);
    const all = allPairs(samples, dot);
    assert.equal(within, 4);
    assert.equal(all.genuine.length, 4);
  });

  it('match rates use the API rule: a score equal to the threshold is accepted', () => {
    const r = matchRates([0.84, 0.85, 0.9, 0.99], [0.1, 0.8499, 0.85], 0.85);
    assert.deepEqual(r, {
      minScore: 0.85,
      genuine: 4,
      impostor: 3,
      falseAccepts: 1,
      falseRejects: 1,
      far: 1 / 3,
      frr: 0.25,
      tar: 0.75,
    });
    const empty = matchRates([], [], 0.85);
    assert.ok(Number.isNaN(empty.far) && Number.isNaN(empty.frr) && Number.isNaN(empty.tar));
  });

  it('min score at FAR is one score step above the highest impostor it must refuse', () => {
    const impostor = Array.from({ length: 1000 }, (_, i) => i / 1000);
    // floor(1e-2 * 1000) = 10 impostors may pass: 0.99 .. 0.999; 0.989 must not.
    assert.equal(minScoreAtFar(impostor, 1e-2), 0.9891);
    assert.equal(matchRates([], impostor, 0.9891).falseAccepts, 10);
    assert.equal(matchRates([], impostor, 0.989).falseAccepts, 11);
    // None may pass: one step above the highest.
    assert.equal(minScoreAtFar(impostor, 1e-4), 0.9991);
    assert.equal(minScoreAtFar([], 1e-3), null);
  });

  it('lowest accepted finds the threshold of a monotonic rule', () => {
    // Scores are rounded before the comparison: 2 * 0.424975 = 0.84995 is reported as 0.85 and passes.
    const x = lowestAccepted((c) => Math.round(c * 2 * 10_000) / 10_000 >= 0.85, -1, 1);
    assert.ok(Math.abs(x - 0.424975) < 1e-6, String(x));
    assert.equal(
      lowestAccepted(() => true, -1, 1),
      -1,
    );
    assert.equal(
      lowestAccepted(() => false, -1, 1),
      1,
    );
  });
});
