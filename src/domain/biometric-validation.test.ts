import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canTransition, isOpen, toKeyValues, validationStatuses } from './biometric-validation.js';

test('only open validations move, and terminal ones never leave their state', () => {
  for (const s of validationStatuses) assert.equal(isOpen(s), s === 'new' || s === 'pending');
  assert.ok(canTransition('new', 'validated'));
  assert.ok(canTransition('pending', 'failed'));
  assert.ok(canTransition('validated', 'completed'));
  for (const terminal of ['failed', 'expired', 'completed'] as const) {
    for (const to of validationStatuses) assert.equal(canTransition(terminal, to), false, `${terminal}→${to}`);
  }
  assert.equal(canTransition('validated', 'validated'), false, 'a session is validated once');
  assert.equal(canTransition('new', 'completed'), false);
});

test('results flatten to Verifik key/value entries in order', () => {
  assert.deepEqual(toKeyValues({ liveness_score: 0.98, min_score: 0.6, passed: true }), [
    { key: 'liveness_score', value: 0.98 },
    { key: 'min_score', value: 0.6 },
    { key: 'passed', value: true },
  ]);
});
