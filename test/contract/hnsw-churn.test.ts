// Regression (#14's soak): the server hung for good at the 182nd person deletion, spinning inside usearch's own
// remove(). Templates are now only tombstoned; this churns one collection the way the soak did (the same photos
// enrolled and deleted again and again) and checks every answer, under a test timeout instead of a hang.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createTemplateCipher } from '../../src/adapters/crypto/template-cipher.js';
import { createHnswVectorIndex } from '../../src/adapters/vector-index/hnsw-vector-index.js';
import type { VectorEntry } from '../../src/ports/vector-index.js';
import { DIM, entriesFor } from './vector-index.contract.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('enrolling and deleting the same photos 400 times never hangs, and searches see only what is enrolled', {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'facegate-hnsw-churn-'));
  dirs.push(dir);
  const cipher = createTemplateCipher([randomBytes(32).toString('hex')]);
  const stay = entriesFor(20, 1, 3);
  const photos = entriesFor(2, 1, 9, 1000n);
  const source = {
    async collections() {
      return ['c'];
    },
    async fingerprint() {
      return 'fp';
    },
    async *entries(): AsyncGenerator<VectorEntry> {
      yield* stay;
    },
  };
  const open = () => createHnswVectorIndex({ dir, dimension: DIM, quantization: 'f16', cipher, source });
  let index = await open();
  let key = 10_000n;
  for (let round = 0; round < 400; round++) {
    const enrolled = photos.map((p) => ({ ...p, key: key++ }));
    await index.add('c', enrolled);
    const [hit] = await index.search('c', (enrolled[0] as VectorEntry).vector, { k: 1, mode: 'fast' });
    assert.equal(hit?.key, enrolled[0]?.key, `round ${round}: the enrolled photo is found`);
    await index.remove(enrolled.map((e) => e.key));
    const after = await index.search('c', (enrolled[0] as VectorEntry).vector, { k: 3, mode: 'fast' });
    assert.ok(!after.some((h) => h.key >= 10_000n), `round ${round}: a deleted photo is never returned`);
  }
  assert.equal(await index.size('c'), stay.length);
  const probe = stay[5] as VectorEntry;
  assert.equal((await index.search('c', probe.vector, { k: 1, mode: 'fast' }))[0]?.key, probe.key);
  // Mostly tombstones by now: the next start compacts the graph, and the answers stay the same.
  await index.flush();
  await index.close();
  index = await open();
  assert.equal(await index.size('c'), stay.length);
  assert.equal((await index.search('c', probe.vector, { k: 1, mode: 'fast' }))[0]?.key, probe.key);
  await index.close();
});
