import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAcceptLanguage, pickLanguage, t } from './i18n.js';

describe('hosted page words', () => {
  test('placeholders are filled in both languages', () => {
    assert.equal(t('en', 'step_progress', { n: 2, total: 3 }), 'Step 2 of 3');
    assert.equal(t('es', 'step_progress', { n: 2, total: 3 }), 'Paso 2 de 3');
  });

  test('an explicit language wins, then the preferred languages, else English', () => {
    assert.equal(pickLanguage('es', ['en-US']), 'es');
    assert.equal(pickLanguage('ES-co', []), 'es');
    assert.equal(pickLanguage('fr', ['es-MX', 'en']), 'es');
    assert.equal(pickLanguage(null, ['de-DE', 'en-GB']), 'en');
    assert.equal(pickLanguage(undefined, ['de-DE', 'fr']), 'en');
  });

  test('Accept-Language is read in q order', () => {
    assert.deepEqual(parseAcceptLanguage('en;q=0.5, es-CO, *;q=0.1, de;q=0'), ['es-CO', 'en']);
    assert.deepEqual(parseAcceptLanguage(undefined), []);
  });
});
