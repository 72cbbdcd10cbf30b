import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError, errorCatalogue, wireMessage } from './errors.js';
import { packageRoot } from './package-root.js';

// The README's error table is the catalogue's (#15): every entry's status and code are in a row of it.

function errorTableRows(): Array<{ status: number; text: string }> {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Errors'), readme.indexOf('### Health probes'));
  return section
    .split('\n')
    .filter((line) => /^\| \d{3} \|/.test(line))
    .map((line) => ({ status: Number(line.slice(2, 5)), text: line }));
}

test('every catalogue entry is in the README error table, under its status', () => {
  const rows = errorTableRows();
  assert.ok(rows.length > 10);
  const missing = Object.entries(errorCatalogue).filter(
    ([, e]) =>
      !rows.some((r) => r.status === e.status && (r.text.includes(`\`${e.code}\``) || r.text.includes(e.message))),
  );
  assert.deepEqual(
    missing.map(([kind, e]) => `${kind}: ${e.status} ${e.code}`),
    [],
  );
});

test('the README table names no status the catalogue does not answer', () => {
  const statuses = new Set<number>(Object.values(errorCatalogue).map((e) => e.status));
  for (const r of errorTableRows()) assert.ok(statuses.has(r.status), r.text);
});

test('a shown detail joins the message as the entry says; other entries show none', () => {
  assert.equal(wireMessage(new AppError('livenessFailed', { shown: 0.45 })), 'liveness_failed@0.45');
  assert.equal(wireMessage(new AppError('livenessFailed')), 'liveness_failed');
  assert.equal(wireMessage(new AppError('routeNotFound', { shown: 'GET /x' })), 'route_not_found: GET /x');
  assert.equal(
    wireMessage(new AppError('noFace', { shown: 'ignored', about: 'images[1]' })),
    'images[1]: no face was detected in the image',
  );
  assert.equal(wireMessage(new AppError('missingParameter', { message: 'missing name' })), 'missing name');
});
