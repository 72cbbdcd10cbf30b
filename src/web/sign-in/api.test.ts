import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { osOf, reasonOf, redirectTarget } from './api.js';

describe('hosted page API helpers', () => {
  test("error bodies become translation keys; the part after '@' is kept", () => {
    assert.deepEqual(reasonOf(409, { code: 'liveness_failed', message: 'liveness_failed@0.42' }), {
      code: 'liveness_failed',
      key: 'liveness_failed',
      detail: '0.42',
    });
    assert.equal(reasonOf(409, { code: 'ERROR', message: '409:duplicated_person' }).key, 'duplicated_person');
    assert.equal(reasonOf(404, { code: 'person_not_found', message: 'person_not_found' }).key, 'person_not_found');
    assert.equal(
      reasonOf(409, { code: 'challenge_failed', message: 'challenge_failed@different_faces' }).detail,
      'different_faces',
    );
    assert.equal(reasonOf(404, { code: 'Project_not_found_or_featured_disabled' }).key, 'not_available');
    assert.equal(reasonOf(503, { code: 'engine_busy', message: 'face_engine_queue_full' }).key, 'busy');
    assert.equal(reasonOf(429, null).key, 'busy');
    // Issue #16: the code steps' reasons, a detail after ': ' (the seconds to wait) included.
    assert.deepEqual(reasonOf(429, { code: 'TooManyRequests', message: 'resend_cooldown: 42' }), {
      code: 'TooManyRequests',
      key: 'resend_cooldown',
      detail: '42',
    });
    assert.equal(reasonOf(409, { code: 'invalid_otp', message: 'invalid_otp' }).key, 'invalid_otp');
    assert.equal(reasonOf(429, { code: 'TooManyRequests', message: 'too_many_requests' }).key, 'busy');
    assert.equal(reasonOf(500, { code: 'InternalServer', message: 'internal_error' }).key, 'generic');
  });

  test('the redirect adds type and token to an http(s) URL and refuses anything else', () => {
    assert.equal(redirectTarget('https://app.test/cb', 'login', 'a.b.c'), 'https://app.test/cb?type=login&token=a.b.c');
    assert.equal(
      redirectTarget('https://app.test/cb?x=1#frag', 'onboarding', 't'),
      'https://app.test/cb?x=1&type=onboarding&token=t#frag',
    );
    assert.equal(redirectTarget('javascript:alert(1)', 'login', 't'), null);
    assert.equal(redirectTarget(null, 'login', 't'), null);
    assert.equal(redirectTarget('not a url', 'login', 't'), null);
  });

  test('the os field from the user agent', () => {
    assert.equal(osOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', 5), 'IOS');
    assert.equal(osOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari', 5), 'IOS');
    assert.equal(osOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari', 0), 'DESKTOP');
    assert.equal(osOf('Mozilla/5.0 (Linux; Android 14; Pixel 7)', 5), 'ANDROID');
    assert.equal(osOf('Mozilla/5.0 (X11; Linux x86_64)', 0), 'DESKTOP');
  });
});
