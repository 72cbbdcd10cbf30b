import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError, wireMessage } from '../errors.js';
import { burstLiveness, passiveBurstLiveness, requireLive } from './liveness-check.js';

test('a burst is as live as its median frame: one turned-head dip does not fail a live burst', () => {
  assert.equal(burstLiveness([0.9, 0.02, 0.8, 0.85, 0.7]), 0.8);
  assert.equal(burstLiveness([0.9, 0.1, 0.7, 0.8]), 0.75);
  assert.equal(burstLiveness([]), 0);
});

test('a burst that is mostly a screen stays below the threshold even with a few live-looking frames', () => {
  const replay = [0.001, 0.9, 0.002, 0.95, 0.001, 0.003, 0.001];
  assert.throws(
    () => requireLive([burstLiveness(replay)], 0.6),
    (err) =>
      isAppError(err) &&
      err.kind === 'livenessFailed' &&
      err.message === 'liveness_failed' &&
      err.detail?.['livenessScore'] === 0.002,
  );
});

test('the score is in the message only when asked (an integrator with an API token), never in JSON', () => {
  assert.throws(
    () => requireLive([0.4], 0.6, { scoreInMessage: true }),
    (err) => isAppError(err) && wireMessage(err) === 'liveness_failed@0.4',
  );
  assert.throws(
    () => requireLive([0.4], 0.6),
    (err) => isAppError(err) && !JSON.stringify({ ...err }).includes('0.4') && err.detail?.['livenessScore'] === 0.4,
  );
});

test('separate images: the weakest one decides', () => {
  assert.equal(requireLive([0.9, 0.7], 0.6).liveness_score, 0.7);
  assert.throws(
    () => requireLive([0.9, 0.5], 0.6),
    (err) => isAppError(err) && err.kind === 'livenessFailed',
  );
});

test('issue #12: a passive burst passes when 3 of its 8 frames do, 2 of 3, both of 2', () => {
  // A dim live webcam: a few frames near zero (blink, blur), several well above the threshold.
  assert.equal(passiveBurstLiveness([0.05, 0.7, 0.1, 0.8, 0.02, 0.65, 0.3, 0.2]), 0.65);
  assert.equal(passiveBurstLiveness([0.9, 0.1, 0.7]), 0.7);
  assert.equal(passiveBurstLiveness([0.9, 0.1]), 0.1);
  // A screen with two live-looking frames out of eight stays below.
  assert.ok(passiveBurstLiveness([0.001, 0.9, 0.002, 0.95, 0.001, 0.003, 0.001, 0.002]) < 0.01);
  assert.equal(passiveBurstLiveness([]), 0);
});
