import assert from 'node:assert/strict';
import { test } from 'node:test';
import { format, initialLanguage, translate } from './i18n.js';

// The console's language: the operator's saved choice, else the browser's first language the console speaks.

test('the saved choice wins, then the first spoken browser language, then English', () => {
  assert.equal(initialLanguage('es', ['en-GB']), 'es');
  assert.equal(initialLanguage(null, ['fr-FR', 'es-MX', 'en']), 'es');
  assert.equal(initialLanguage('klingon', ['de', 'fr']), 'en');
  assert.equal(initialLanguage(null, []), 'en');
});

test('placeholders are filled, and a missing one stays visible', () => {
  assert.equal(translate('es', 'pageOf', { page: 2, pages: 5 }), 'Página 2 de 5');
  assert.equal(format('{a} and {b}', { a: 1 }), '1 and {b}');
});
