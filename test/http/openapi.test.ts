import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateOpenApi } from '../../src/cli/openapi.command.js';
import { packageRoot } from '../../src/package-root.js';

// The committed openapi.json is what integrators read; it must be what the routes actually declare.
test('openapi.json matches the routes (regenerate with `npm run openapi`)', async () => {
  const committed = readFileSync(join(packageRoot, 'openapi.json'), 'utf8');
  const generated = await generateOpenApi();
  assert.ok(committed === generated, 'openapi.json is out of date: run `npm run openapi` and commit the result');
  const doc = JSON.parse(generated);
  assert.ok(doc.paths['/v2/biometric-validations'].post);
  assert.ok(doc.paths['/v2/biometric-validations/validate'].post);
});
