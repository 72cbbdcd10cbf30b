import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRateLimiter } from './rate-limit.js';

test('a burst up to the limit passes, the next is refused, and tokens come back over time', () => {
  let t = 0;
  const allow = createRateLimiter({ perMinute: 3 }, () => t);
  assert.deepEqual([allow('a'), allow('a'), allow('a'), allow('a')], [true, true, true, false]);
  assert.equal(allow('b'), true, 'addresses have their own buckets');
  t += 20_000;
  assert.equal(allow('a'), true);
  assert.equal(allow('a'), false);
});
