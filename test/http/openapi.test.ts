import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// Fastify's own validator (a dependency of fastify), used here to check examples against the generated schemas.
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
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

// ajv-formats is CommonJS: its module object is the plugin.
const addFormats = formats as unknown as typeof formats.default;

interface Media {
  schema: object;
  example?: unknown;
}
interface Operation {
  summary?: string;
  description?: string;
  requestBody?: { content?: Record<string, Media> };
  responses?: Record<string, { content?: Record<string, Media> }>;
}

// Issue #13: every route explains itself. A summary on every operation, and a request and a response example
// wherever there is a JSON body, each valid against the schema it illustrates (so an example cannot drift).
test('every operation has a summary, a token note, and valid request and response examples', async () => {
  const doc = JSON.parse(await generateOpenApi());
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const problems: string[] = [];
  let operations = 0;
  for (const [path, item] of Object.entries<Record<string, Operation>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      operations++;
      const name = `${method.toUpperCase()} ${path}`;
      if (!op.summary) problems.push(`${name}: no summary`);
      if (!/^(Token: |Public: no token)/.test(op.description ?? '')) problems.push(`${name}: no token note`);
      const media = [
        ['request', op.requestBody?.content?.['application/json']],
        ['200 response', op.responses?.['200']?.content?.['application/json']],
      ] as const;
      for (const [what, m] of media) {
        if (!m) continue;
        if (m.example === undefined) {
          problems.push(`${name}: no ${what} example`);
          continue;
        }
        const validate = ajv.compile(m.schema);
        if (!validate(m.example)) problems.push(`${name}: ${what} example invalid: ${ajv.errorsText(validate.errors)}`);
      }
    }
  }
  assert.ok(operations >= 55, `only ${operations} operations`);
  assert.deepEqual(problems, []);
});

test('the fields a newcomer cannot guess are described: images, os, collections, tokens', async () => {
  const doc = JSON.parse(await generateOpenApi());
  const body = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema.properties;
  const liveness = body('/v2/face-recognition/liveness');
  assert.match(liveness.image.description, /base64.*data URI/);
  assert.match(liveness.os.description, /DESKTOP, IOS or ANDROID/);
  assert.deepEqual(liveness.os.enum, ['DESKTOP', 'IOS', 'ANDROID']);
  assert.match(body('/v2/face-recognition/persons').collections.description, /_id.*code/);
  const validate = doc.paths['/v2/biometric-validations/validate'].post;
  assert.match(validate.description, /liveness-session token/);
  assert.match(doc.paths['/v2/auth/project-login'].post.description, /app-login token/);
  assert.match(doc.paths['/v2/projects'].get.description, /client API token/);
});
