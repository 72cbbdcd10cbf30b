import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capturePlan } from '../web/sign-in/guidance.js';
import { minChallengeMs, plannedCaptureMs } from './challenge-timing.js';

const orders = [
  ['turn_left', 'turn_right', 'blink'],
  ['blink', 'turn_left', 'turn_right'],
  ['turn_right', 'blink', 'turn_left'],
];

test("the server's planned duration is the hosted page's capture plan, for every order of steps", () => {
  for (const steps of orders) {
    const page = capturePlan(steps, 5).reduce((ms, s) => ms + s.leadMs + Math.max(0, s.frames - 1) * s.everyMs, 0);
    assert.equal(plannedCaptureMs(steps), page, steps.join(','));
  }
});

test('the lower bound is 70 % of the plan: about 4.4 s for the three steps', () => {
  assert.equal(plannedCaptureMs(['turn_left', 'turn_right', 'blink']), 6250);
  assert.equal(minChallengeMs(['turn_left', 'turn_right', 'blink']), 4375);
  assert.equal(minChallengeMs([]), 0);
});
