import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createTemplateCipher } from './template-cipher.js';

const key = () => randomBytes(32).toString('hex');

test('a sealed template opens with its key and owner, and not otherwise', () => {
  const k1 = key();
  const cipher = createTemplateCipher([k1]);
  const template = new Float32Array([0.1, -0.2, 0.3]);
  const plain = Buffer.from(template.buffer);
  const { keyId, sealed } = cipher.seal(plain, 'client-a/person-1');
  assert.notDeepEqual(sealed.subarray(28), plain);
  assert.deepEqual(cipher.open(keyId, sealed, 'client-a/person-1'), plain);
  assert.throws(() => cipher.open(keyId, sealed, 'client-a/person-2'));
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
  assert.throws(() => cipher.open(keyId, tampered, 'client-a/person-1'));
  assert.throws(() => createTemplateCipher([key()]).open(keyId, sealed, 'client-a/person-1'), /not configured/);
});

test('after rotation, new rows use the new key and old rows still open', () => {
  const [old, next] = [key(), key()];
  const before = createTemplateCipher([old]).seal(Buffer.from('t'), 'x');
  const rotated = createTemplateCipher([next, old]);
  assert.notEqual(rotated.currentKeyId, before.keyId);
  assert.equal(rotated.seal(Buffer.from('t'), 'x').keyId, rotated.currentKeyId);
  assert.equal(rotated.open(before.keyId, before.sealed, 'x').toString(), 't');
});
