import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isObjectId, newObjectId } from './object-id.js';

test('ids are 24 hex, start with the creation second, and cannot be predicted from their neighbours (#14)', () => {
  const before = Math.floor(Date.now() / 1000);
  const ids = Array.from({ length: 1000 }, newObjectId);
  const after = Math.floor(Date.now() / 1000);
  for (const id of ids) {
    assert.ok(isObjectId(id), id);
    const seconds = Number.parseInt(id.slice(0, 8), 16);
    assert.ok(seconds >= before && seconds <= after);
  }
  // bson's ObjectId shares 5 process bytes and counts up in the last 3: neighbours differ by 1.
  const tails = ids.map((id) => BigInt(`0x${id.slice(8)}`));
  const steps = new Set(tails.slice(1).map((tail, i) => tail - (tails[i] as bigint)));
  assert.ok(steps.size > 990, 'no constant step between consecutive ids');
  const processBytes = new Set(ids.map((id) => id.slice(8, 18)));
  assert.ok(processBytes.size > 990, 'no per-process value shared by ids');
  assert.equal(new Set(ids).size, ids.length);
});
