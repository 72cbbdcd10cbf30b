import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../errors.js';
import { requireChallengePace } from './active-liveness.js';

const steps = ['turn_left', 'turn_right', 'blink'];
const issued = '2030-01-01T00:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(issued) + ms);
const reason = (fn: () => void) => {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return isAppError(err) && err.kind === 'challengeFailed' ? err.detail?.['reason'] : err;
  }
};

test('frames are accepted from 70 % of the capture plan after the challenge was handed out (#10)', () => {
  assert.equal(
    reason(() => requireChallengePace({ challengeIssuedAt: null }, steps, at(60_000))),
    'challenge_not_fetched',
  );
  assert.equal(
    reason(() => requireChallengePace({ challengeIssuedAt: issued }, steps, at(4374))),
    'frames_too_soon',
  );
  assert.equal(
    reason(() => requireChallengePace({ challengeIssuedAt: issued }, steps, at(4375))),
    'accepted',
  );
});
