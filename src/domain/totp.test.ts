import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32, hotp, matchTotp, otpauthUri, totpStep } from './totp.js';

// RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890" repeated to the hash's key length.
const seed = (len: number) => Buffer.from('1234567890'.repeat(7).slice(0, len));
const vectors: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

test('RFC 6238 Appendix B vectors (8 digits, SHA-1, SHA-256, SHA-512)', () => {
  for (const [t, sha1, sha256, sha512] of vectors) {
    const step = totpStep(t * 1000);
    assert.equal(hotp(seed(20), step, 8, 'sha1'), sha1, `sha1 at ${t}`);
    assert.equal(hotp(seed(32), step, 8, 'sha256'), sha256, `sha256 at ${t}`);
    assert.equal(hotp(seed(64), step, 8, 'sha512'), sha512, `sha512 at ${t}`);
  }
});

test('the 6-digit code is the low 6 digits of the 8-digit one', () => {
  assert.equal(hotp(seed(20), totpStep(59_000)), '287082');
});

test('a code matches within one step either side, not two, and never a used step', () => {
  const s = seed(20);
  const t = 1111111111 * 1000;
  const step = totpStep(t);
  assert.equal(matchTotp(s, hotp(s, step), t), step);
  assert.equal(matchTotp(s, hotp(s, step - 1), t), step - 1);
  assert.equal(matchTotp(s, hotp(s, step + 1), t), step + 1);
  assert.equal(matchTotp(s, hotp(s, step - 2), t), null);
  assert.equal(matchTotp(s, hotp(s, step), t, { after: step }), null, 'replay of the same step');
  assert.equal(matchTotp(s, hotp(s, step - 1), t, { after: step }), null, 'an earlier step after a later one');
  assert.equal(matchTotp(s, '12345', t), null);
  assert.equal(matchTotp(s, 'abcdef', t), null);
  assert.equal(matchTotp(s, `${hotp(s, step)}0`, t), null);
});

test('base32 and the otpauth URI follow RFC 4648 and the Key Uri Format', () => {
  assert.equal(base32(Buffer.from('foobar')), 'MZXW6YTBOI');
  assert.equal(base32(Buffer.from('12345678901234567890')), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(
    otpauthUri(Buffer.from('12345678901234567890'), 'Acme Shop', 'ana@x.test'),
    'otpauth://totp/Acme%20Shop:ana%40x.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme+Shop&algorithm=SHA1&digits=6&period=30',
  );
});
