import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { evalDataSkip, liveWebcamPhoto, spoofPhoto } from '../helpers/eval-data.js';
import { face, faces } from '../helpers/faces.js';
import { sqliteKind } from '../helpers/stores.js';

// The 1:1, detection and liveness endpoints through HTTP with the real engine: what a Verifik client sends and
// reads. (They touch no table, so one store is enough.)

const b64 = (buf: Buffer) => buf.toString('base64');
const raw = (name: string) => Buffer.from(face(name), 'base64');

describe('face-recognition endpoints', () => {
  let t: TestApp;
  let token: string;
  const post = (path: string, body: unknown) => t.request('POST', `/v2/face-recognition/${path}`, { token, body });

  before(async () => {
    t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
    token = (await t.newClient()).token;
  });
  after(() => t?.close());

  test('compare: the same person matches, another does not; both response shapes are there', async () => {
    const same = await post('compare', { probe: [faces.obama1()], gallery: [faces.obama2()], search_mode: 'ACCURATE' });
    assert.equal(same.statusCode, 200);
    const body = same.json();
    assert.match(body.id, /^[A-Z0-9]{5}$/);
    assert.match(body.signature.message, /^Certified by Facegate \(/);
    assert.doesNotMatch(body.signature.message, /Verifik/i);
    assert.match(body.signature.dateTime, /^[A-Z][a-z]+ \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M$/);
    assert.ok(body.data.score >= 0.85);
    assert.equal(body.data.passed, true);
    assert.deepEqual(body.data.result, { score: body.data.score, passed: true });
    assert.equal(body.data.compare_min_score, 0.85);
    const other = (await post('compare', { probe: faces.obama1(), gallery: [faces.biden()] })).json().data;
    assert.ok(other.score < 0.5, `score ${other.score}`);
    assert.equal(other.passed, false);
    const range = await post('compare', { probe: faces.obama1(), gallery: faces.obama2(), compare_min_score: 0.5 });
    assert.equal(range.statusCode, 409);
    assert.match(range.json().message, /compare_min_score/);
  });

  test('the same face still matches rotated by EXIF, in grayscale, and as a PNG with alpha', async () => {
    const original = raw('obama-2');
    const variants = {
      exif: await sharp(original).rotate(90).withMetadata({ orientation: 8 }).jpeg().toBuffer(),
      grayscale: await sharp(original).grayscale().jpeg().toBuffer(),
      pngAlpha: await sharp(original).ensureAlpha(0.8).png().toBuffer(),
    };
    for (const [name, buf] of Object.entries(variants)) {
      const res = await post('compare', { probe: b64(buf), gallery: [faces.obama1()] });
      assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
      assert.equal(res.json().data.passed, true, `${name} score ${res.json().data.score}`);
    }
  });

  test('liveness: a live photo passes; the threshold is Verifik’s (passed iff score > min_score)', async () => {
    const res = await post('liveness', { image: `data:image/jpeg;base64,${faces.obama1()}`, os: 'ios' });
    assert.equal(res.statusCode, 200);
    const d = res.json().data;
    assert.deepEqual(Object.keys(d).sort(), ['liveness_score', 'min_score', 'passed']);
    assert.equal(d.min_score, 0.6);
    assert.equal(d.passed, d.liveness_score > 0.6);
    assert.equal(d.passed, true);
    const missingOs = await post('liveness-score', { image: faces.obama1() });
    assert.deepEqual(errorOf(missingOs), { code: 'MissingParameter', message: 'missing os' });
  });

  test('liveness refuses a replayed face', { skip: evalDataSkip() }, async () => {
    const d = (await post('liveness', { image: spoofPhoto(3), os: 'DESKTOP' })).json().data;
    assert.equal(d.passed, false);
    assert.ok(d.liveness_score < 0.6);
    const withLive = (await post('compare-with-liveness', { probe: spoofPhoto(3), gallery: [spoofPhoto(4)] })).json()
      .data;
    assert.equal(withLive.comparison.result.passed, true);
    assert.equal(withLive.liveness.result.passed, false);
  });

  test('a live webcam frame, dim and backlit, passes at the default threshold', { skip: evalDataSkip() }, async () => {
    const d = (await post('liveness', { image: liveWebcamPhoto(0), os: 'DESKTOP' })).json().data;
    assert.equal(d.min_score, 0.6);
    assert.equal(d.passed, true, `liveness_score ${d.liveness_score}`);
  });

  test('compare-live and compare-with-liveness combine both checks', async () => {
    const live = (
      await post('compare-live', { probe: faces.obama1(), gallery: [faces.obama2()], os: 'DESKTOP' })
    ).json().data;
    assert.equal(live.passed, true);
    assert.equal(live.result.passed, true);
    assert.equal(live.liveness.passed, true);
    const skipped = (await post('compare-with-liveness', { probe: faces.obama1(), gallery: [faces.biden()] })).json()
      .data;
    assert.equal(skipped.comparison.result.passed, false);
    assert.equal(skipped.liveness, null, 'Verifik skips liveness when the faces do not match');
  });

  test('detect lists every face with box, landmarks and quality', async () => {
    const res = await post('detect', { image: faces.twoPeople() });
    assert.equal(res.statusCode, 200);
    const found = res.json().data;
    // Two men in front and a child at the bottom right.
    assert.equal(found.length, 3);
    const sizes = found.map((f: { box: { left: number; right: number } }) => f.box.right - f.box.left);
    assert.deepEqual(
      sizes,
      [...sizes].sort((a, b) => b - a),
      'largest first',
    );
    for (const f of found) {
      assert.ok(f.box.right > f.box.left && f.box.bottom > f.box.top);
      assert.equal(f.landmarks.left_eye.length, 2);
      assert.ok(f.detection_score > 0.9);
    }
    assert.deepEqual((await post('detect', { image: faces.cat() })).json().data, []);
  });

  test('unusable images get their codes', async () => {
    const wide = await sharp({ create: { width: 20_000, height: 200, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    const cases: Array<[string, string, number, string]> = [
      ['no face', faces.cat(), 412, 'no_face_detected'],
      ['two faces', faces.twoPeople(), 412, 'multiple_faces'],
      [
        'text file',
        b64(Buffer.from('this is a text file, not a photograph of anybody at all. '.repeat(4))),
        409,
        'invalid_image',
      ],
      ['truncated JPEG', b64(raw('obama-1').subarray(0, 4000)), 409, 'invalid_image'],
      ['20,000 px wide', b64(wide), 412, 'no_face_detected'],
      ['too short for an image', 'aGVsbG8=', 412, 'ERROR'],
      ['an URL while URLs are off', 'https://example.com/face.jpg', 409, 'MissingParameter'],
    ];
    for (const [name, image, status, code] of cases) {
      const res = await post('liveness', { image, os: 'DESKTOP' });
      assert.equal(res.statusCode, status, `${name}: ${res.body}`);
      assert.equal(res.json().code, code, name);
    }
  });
});
