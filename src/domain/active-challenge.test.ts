import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChallengeStep, type FrameFeatures, followsChallenge, pickChallenge } from './active-challenge.js';

const still: FrameFeatures = { yaw: 2, eyesOpen: 0.9 };
const left: FrameFeatures = { yaw: -25, eyesOpen: 0.9 };
const right: FrameFeatures = { yaw: 25, eyesOpen: 0.9 };
const closed: FrameFeatures = { yaw: 0, eyesOpen: 0.1 };

/** Five frames for a step: back to the camera, the movement, back again. */
const perform = (move: FrameFeatures) => [still, move, move, still, still];

test('a person who performs each step in its own stretch passes', () => {
  assert.ok(
    followsChallenge(['turn_left', 'blink', 'turn_right'], [...perform(left), ...perform(closed), ...perform(right)]),
  );
  assert.ok(
    followsChallenge(['blink', 'turn_right', 'turn_left'], [...perform(closed), ...perform(right), ...perform(left)]),
  );
});

test('a still photo, a wrong order, a missing step or a contradiction fails', () => {
  const steps: ChallengeStep[] = ['turn_left', 'turn_right', 'blink'];
  assert.equal(followsChallenge(steps, Array(15).fill(still)), false, 'still photo');
  assert.equal(
    followsChallenge(steps, [...perform(right), ...perform(left), ...perform(closed)]),
    false,
    'wrong order',
  );
  assert.equal(
    followsChallenge(steps, [...perform(left), ...perform(still), ...perform(closed)]),
    false,
    'missing step',
  );
  assert.equal(
    followsChallenge(steps, [still, left, right, still, still, ...perform(right), ...perform(closed)]),
    false,
    'looking both ways in one stretch',
  );
  assert.equal(
    followsChallenge(steps, [left, left, left, still, still, ...perform(right), ...perform(closed)]),
    false,
    'must start frontal',
  );
  assert.equal(followsChallenge(steps, [...perform(left), ...perform(right)]), false, 'too few frames');
});

test('someone looking around at random rarely matches a random challenge', () => {
  // A recording of unscripted head movement: left and right turns and blinks at random moments.
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const moves = [still, still, left, right, closed];
  let passed = 0;
  const trials = 2000;
  for (let i = 0; i < trials; i++) {
    const frames = [
      still,
      ...Array.from({ length: 14 }, () => moves[Math.floor(random() * moves.length)] as FrameFeatures),
    ];
    if (followsChallenge(pickChallenge(random), frames)) passed++;
  }
  assert.ok(passed / trials < 0.05, `passes ${((100 * passed) / trials).toFixed(1)} %`);
});

test('challenges are random permutations of every step', () => {
  const seen = new Set<string>();
  let seed = 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (let i = 0; i < 200; i++) {
    const c = pickChallenge(random);
    assert.deepEqual([...c].sort(), ['blink', 'turn_left', 'turn_right']);
    seen.add(c.join(','));
  }
  assert.equal(seen.size, 6);
});
