#!/usr/bin/env node
// `npm run client`: regenerates packages/client/src/schema.ts from the committed openapi.json (run it after
// `npm run openapi`), then builds the package's dist/ so an integrator can depend on it. The drift test
// (test/http/client-schema.test.ts) fails when the committed schema.ts no longer matches openapi.json.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchema, schemaPath } from '../packages/client/generate.mjs';

const root = new URL('../', import.meta.url);
const openapi = JSON.parse(readFileSync(new URL('openapi.json', root), 'utf8'));
writeFileSync(schemaPath, await generateSchema(openapi));
console.log(`wrote ${fileURLToPath(schemaPath)}`);
if (!process.argv.includes('--no-build')) {
  const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
  const r = spawnSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('packages/client/tsconfig.json', root))], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log('built packages/client/dist');
}
