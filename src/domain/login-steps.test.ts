import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeBeforeFace, loginStepsOf } from './login-steps.js';

describe('login steps (#16)', () => {
  test('the face is implied without a code step; a code step asks for the face only when liveness is named', () => {
    assert.deepEqual(loginStepsOf({}), { code: null, face: true, authenticator: false });
    assert.deepEqual(loginStepsOf({ steps: ['authenticator'] }), { code: null, face: true, authenticator: true });
    assert.deepEqual(loginStepsOf({ steps: ['email', 'liveness'] }), {
      code: 'email',
      face: true,
      authenticator: false,
    });
    assert.deepEqual(loginStepsOf({ steps: ['Phone'] }), { code: 'phone', face: false, authenticator: false });
    assert.deepEqual(loginStepsOf({ steps: ['authenticator', 'liveness', 'email'] }), {
      code: 'email',
      face: true,
      authenticator: true,
    });
  });

  test("Verifik's other shapes are kept but not acted on", () => {
    assert.deepEqual(loginStepsOf({ steps: [{ email: true }, 'signUpForm', 42] }), {
      code: null,
      face: true,
      authenticator: false,
    });
  });

  test('only a code that the face follows makes the face validation hang from it', () => {
    assert.equal(codeBeforeFace(loginStepsOf({ steps: ['email', 'liveness'] })), true);
    assert.equal(codeBeforeFace(loginStepsOf({ steps: ['email'] })), false);
    assert.equal(codeBeforeFace(loginStepsOf({ steps: ['liveness', 'authenticator'] })), false);
  });
});
