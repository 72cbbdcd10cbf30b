import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FrameFeatures, followsChallenge, pickChallenge } from './active-challenge.js';

const still: FrameFeatures = { yaw: 2, eyesOpen: 0.9 };
const left: FrameFeatures = { yaw: -25, eyesOpen: 0.9 };
const right: FrameFeatures = { yaw: 25, eyesOpen: 0.9 };
const closed: FrameFeatures = { yaw: 0, eyesOpen: 0.1 };

test('a person who follows the steps in order passes', () => {
  assert.ok(followsChallenge(['turn_left', 'blink', 'turn_right'], [still, left, still, closed, still, right]));
  assert.ok(
    followsChallenge(['blink', 'turn_right', 'turn_left'], [still, still, closed, still, right, right, still, left]),
  );
});

test('a still photo, a wrong order or a missing step fails', () => {
  assert.equal(followsChallenge(['turn_left', 'blink', 'turn_right'], Array(12).fill(still)), false);
  assert.equal(
    followsChallenge(['turn_left', 'turn_right', 'blink'], [still, right, still, left, still, closed]),
    false,
  );
  assert.equal(followsChallenge(['turn_left', 'turn_right', 'blink'], [still, left, still, right, still]), false);
  assert.equal(followsChallenge(['turn_left'], [left, left]), false, 'must start frontal');
  assert.equal(followsChallenge(['turn_left', 'turn_right'], [still, left, right]), false, 'must return to frontal');
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
