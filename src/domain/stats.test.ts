import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daysBetween, percentile, scoreBands } from './stats.js';

test('percentile interpolates between ranks, as spreadsheets do', () => {
  assert.equal(percentile([1, 2, 3, 4, 5], 50), 3);
  assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
  assert.ok(Math.abs(percentile([0, 10], 10) - 1) < 1e-9);
  assert.equal(percentile([7], 90), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('daysBetween lists UTC days, the end excluded', () => {
  assert.deepEqual(daysBetween(new Date('2026-02-27T13:00:00Z'), new Date('2026-03-02T00:00:00Z')), [
    '2026-02-27',
    '2026-02-28',
    '2026-03-01',
  ]);
  assert.deepEqual(daysBetween(new Date('2026-03-02T00:00:00Z'), new Date('2026-03-02T00:00:00Z')), []);
});

test('scoreBands groups by day in order and counts the samples', () => {
  const bands = scoreBands([
    { day: '2026-01-02', score: 0.9 },
    { day: '2026-01-01', score: 0.5 },
    { day: '2026-01-01', score: 0.7 },
    { day: '2026-01-01', score: 0.6 },
  ]);
  assert.deepEqual(bands, [
    { day: '2026-01-01', p10: 0.52, p50: 0.6, p90: 0.68, count: 3 },
    { day: '2026-01-02', p10: 0.9, p50: 0.9, p90: 0.9, count: 1 },
  ]);
});
