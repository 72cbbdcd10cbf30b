import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import sharp, { type Sharp } from 'sharp';
import { loadVerifiedModels } from '../../src/adapters/face-engine/model-files.js';
import { createOnnxFaceEngine, type OnnxFaceEngine } from '../../src/adapters/face-engine/onnx-face-engine.js';
import { AppError, errorCatalogue } from '../../src/errors.js';
import { packageRoot } from '../../src/package-root.js';
import type { FaceEngine } from '../../src/ports/face-engine.js';

// The face engine contract, run against the real ONNX models: what a user of the API would observe.
// Fixtures: test/fixtures/faces (see test/fixtures/SOURCES.md); odd inputs are derived here.

const fixture = (name: string) => readFile(new URL(`test/fixtures/faces/${name}`, `file://${packageRoot}`));
const modelsDir = new URL('models/', `file://${packageRoot}`).pathname;

async function rejects(promise: Promise<unknown>, kind: keyof typeof errorCatalogue): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError(${kind}), got ${String(err)}`);
    assert.equal(err.kind, kind);
    assert.equal(err.code, errorCatalogue[kind].code);
    return err;
  }
  assert.fail(`expected AppError(${kind}), but it resolved`);
}

describe('ONNX face engine (real models)', () => {
  let engine: OnnxFaceEngine;
  let engineAsPort: FaceEngine;
  const templates = new Map<string, Float32Array>();
  const template = async (name: string) => {
    const cached = templates.get(name);
    if (cached) return cached;
    const t = (await engine.analyse(await fixture(name))).template;
    templates.set(name, t);
    return t;
  };

  before(async () => {
    engine = await createOnnxFaceEngine({ modelsDir, workers: 1, queue: 8 });
    engineAsPort = engine;
  });
  after(async () => {
    await engine.close();
  });

  it('produces L2-normalised templates of the declared dimension', async () => {
    const t = await template('obama-1.jpg');
    assert.equal(t.length, engineAsPort.dimension);
    const norm = Math.hypot(...t);
    assert.ok(Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
    assert.match(engine.modelId, /^faceplugin-fr_feature-/);
  });

  it('scores the same person high and different people low', async () => {
    const same = engine.similarity(await template('obama-1.jpg'), await template('obama-2.jpg'));
    const same2 = engine.similarity(await template('angelina-1.jpg'), await template('angelina-2.jpg'));
    const diff = engine.similarity(await template('obama-1.jpg'), await template('biden-1.jpg'));
    const diff2 = engine.similarity(await template('obama-1.jpg'), await template('angelina-1.jpg'));
    assert.ok(engine.score(same) >= 0.85, `same person score ${engine.score(same)} (cos ${same})`);
    assert.ok(engine.score(same2) >= 0.85, `same person score ${engine.score(same2)} (cos ${same2})`);
    assert.ok(engine.score(diff) < 0.5, `different people score ${engine.score(diff)} (cos ${diff})`);
    assert.ok(engine.score(diff2) < 0.5, `different people score ${engine.score(diff2)} (cos ${diff2})`);
  });

  it('rejects an image without a face with no_face_detected', async () => {
    const err = await rejects(engine.analyse(await fixture('cat-no-face.jpg')), 'noFace');
    assert.equal(err.code, 'no_face_detected');
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#eeeeee' } })
      .jpeg()
      .toBuffer();
    await rejects(engine.analyse(blank), 'noFace');
  });

  it("takes a dog's head, which the detector finds, for no face", async () => {
    await rejects(engine.analyse(await fixture('dog-no-face.jpg')), 'noFace');
    assert.equal((await engine.detect(await fixture('dog-no-face.jpg'))).faces.length, 0);
  });

  // Issue #11: a frontal kitten (a crop of the dev set's cats photo) passes the face detector (0.999), its second look
  // and the mirror check; the object detector of the animal check (animal-check.ts) sees a cat there, not a person.
  it('takes a frontal kitten, which the detector scores 0.999, for no face', async () => {
    await rejects(engine.analyse(await fixture('kitten-frontal.jpg')), 'noFace');
    assert.equal((await engine.detect(await fixture('kitten-frontal.jpg'))).faces.length, 0);
  });

  // The same few animal photos seen otherwise (mirrored, turned a little, nearer and further, badly exposed, heavily
  // compressed), so the rule is not one photo's; and the same changes to people's photos, which must stay faces.
  // Every kitten variant and the dog turned right pass the face detector and the mirror check: the animal check is
  // what refuses them.
  const variants: Record<string, (img: Sharp) => Sharp> = {
    mirrored: (img) => img.flop(),
    'turned 8° left': (img) => img.rotate(-8, { background: '#808080' }),
    'turned 8° right': (img) => img.rotate(8, { background: '#808080' }),
    'shown at 260 px': (img) => img.resize(260),
    'shown at 600 px': (img) => img.resize(600),
    dim: (img) => img.linear(0.45, 0).gamma(1.4),
    'JPEG quality 20': (img) => img.jpeg({ quality: 20 }),
  };
  const variant = async (name: string, v: string) =>
    variants[v]!(sharp(await fixture(name)))
      .jpeg()
      .toBuffer();

  it('refuses the kitten and the dog however they are shown', async () => {
    for (const name of ['kitten-frontal.jpg', 'dog-no-face.jpg']) {
      for (const v of Object.keys(variants)) {
        const err = await engine.analyse(await variant(name, v)).catch((e: unknown) => e);
        assert.ok(err instanceof AppError && err.kind === 'noFace', `${name} ${v}: ${String(err)}`);
      }
    }
  });

  it('still takes people for faces when shown the same ways', async () => {
    for (const name of ['obama-1.jpg', 'angelina-2.jpg', 'biden-1.jpg']) {
      for (const v of Object.keys(variants)) {
        const found = await engine.detect(await variant(name, v));
        assert.equal(found.faces.length, 1, `${name} ${v}`);
      }
    }
  });

  it('rejects two people with multiple_faces, and detect() reports both', async () => {
    const image = await fixture('two-people.jpg');
    await rejects(engine.analyse(image), 'multipleFaces');
    const found = await engine.detect(image);
    assert.ok(found.faces.length >= 2, `found ${found.faces.length}`);
    const sides = found.faces.map((f) => f.box.right - f.box.left);
    assert.deepEqual(
      sides,
      [...sides].sort((a, b) => b - a),
      'largest first',
    );
  });

  it('applies EXIF orientation: a rotated photo tagged with its orientation still matches', async () => {
    const original = await fixture('obama-2.jpg');
    // Rotate the pixels 90° and tag orientation 6 ("rotate 90° clockwise to display"): a correct decoder undoes it.
    const rotated = await sharp(original).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const t = (await engine.analyse(rotated)).template;
    assert.ok(engine.similarity(t, await template('obama-1.jpg')) > 0.45);
  });

  it('handles grayscale and PNG with alpha', async () => {
    const gray = await sharp(await fixture('obama-2.jpg'))
      .grayscale()
      .jpeg()
      .toBuffer();
    const g = await engine.analyse(gray);
    assert.ok(engine.similarity(g.template, await template('obama-1.jpg')) > 0.4);
    const alpha = await sharp(await fixture('angelina-2.jpg'))
      .ensureAlpha(0.8)
      .png()
      .toBuffer();
    const a = await engine.analyse(alpha);
    assert.ok(engine.similarity(a.template, await template('angelina-1.jpg')) > 0.4);
  });

  it('rejects a text file, empty bytes and a truncated JPEG with invalid_image', async () => {
    await rejects(engine.analyse(new TextEncoder().encode('this is not an image\n')), 'imageInvalid');
    // Empty bytes have their own message, under the same wire code.
    await rejects(engine.analyse(new Uint8Array(0)), 'imageEmpty');
    const jpeg = await fixture('obama-1.jpg');
    await rejects(engine.analyse(jpeg.subarray(0, Math.floor(jpeg.length / 2))), 'imageInvalid');
  });

  it('refuses a 20,000 px wide image above the pixel cap with image_too_large', async () => {
    const huge = await sharp({ create: { width: 20_000, height: 3_000, channels: 3, background: '#808080' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    await rejects(engine.analyse(huge), 'imageTooLarge');
  });

  it('handles a 20,000 px wide image under the cap (shrunk on decode)', async () => {
    const wide = await sharp({ create: { width: 20_000, height: 1_000, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    await rejects(engine.analyse(wide), 'noFace');
  });

  it('reports liveness in 0..1 and quality measures when asked', async () => {
    const s = await engine.analyse(await fixture('obama-1.jpg'), { liveness: true, thumbnail: true });
    assert.ok(s.liveness !== undefined && s.liveness >= 0 && s.liveness <= 1);
    assert.ok(s.face.quality.faceSize > 40);
    assert.ok(s.face.quality.sharpness > 0);
    assert.ok(s.thumbnail && s.thumbnail.length > 100);
  });

  it('gives the embedding length, shorter on a face it is less sure of (the compare rule, #11)', async () => {
    const original = await fixture('obama-1.jpg');
    const sure = await engine.analyse(original);
    // Dark and blurred, as a dim webcam would see it.
    const dim = await sharp(original).linear(0.35, 0).blur(2).jpeg({ quality: 20 }).toBuffer();
    const unsure = await engine.analyse(dim, { qualityGates: false });
    assert.ok(sure.templateNorm !== undefined && sure.templateNorm > 3, `${sure.templateNorm}`);
    assert.ok(
      unsure.templateNorm !== undefined && unsure.templateNorm < sure.templateNorm - 0.3,
      `${unsure.templateNorm}`,
    );
  });

  it('rejects a tiny face with face_too_small', async () => {
    const tiny = await sharp(await fixture('obama-1.jpg'))
      .resize(48)
      .jpeg()
      .toBuffer();
    const err = await engine.analyse(tiny).catch((e: unknown) => e);
    assert.ok(err instanceof AppError && (err.kind === 'faceTooSmall' || err.kind === 'noFace'), String(err));
  });

  it('rejects a heavily blurred face with face_too_blurred (or no face)', async () => {
    const blurred = await sharp(await fixture('obama-1.jpg'))
      .blur(12)
      .jpeg()
      .toBuffer();
    const err = await engine.analyse(blurred).catch((e: unknown) => e);
    assert.ok(err instanceof AppError && (err.kind === 'faceTooBlurred' || err.kind === 'noFace'), String(err));
  });
});

describe('engine queue', () => {
  it('answers engineBusy when the bounded queue is full instead of queueing more', async () => {
    const engine = await createOnnxFaceEngine({ modelsDir, workers: 1, queue: 1 });
    try {
      const image = await fixture('obama-1.jpg');
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => engine.analyse(image)));
      const busy = results.filter((r) => r.status === 'rejected' && (r.reason as AppError).kind === 'engineBusy');
      const done = results.filter((r) => r.status === 'fulfilled');
      assert.equal(done.length, 2, 'one running + one queued');
      assert.equal(busy.length, 4);
      assert.equal((busy[0] as PromiseRejectedResult).reason.status, 503);
    } finally {
      await engine.close();
    }
  });
});

describe('engine queue shared fairly (#14)', () => {
  it('drops queued jobs whose signal aborts, and lets the running one finish', async () => {
    const engine = await createOnnxFaceEngine({ modelsDir, workers: 1, queue: 8 });
    try {
      const image = await fixture('obama-1.jpg');
      const ended = new AbortController();
      const jobs = Array.from({ length: 4 }, () => engine.analyse(image, {}, { signal: ended.signal, caller: 'a' }));
      const started = performance.now();
      ended.abort();
      const results = await Promise.allSettled(jobs);
      assert.equal(results[0]?.status, 'fulfilled', 'the running job finishes');
      for (const r of results.slice(1)) {
        assert.equal(r.status, 'rejected');
        assert.equal(((r as PromiseRejectedResult).reason as AppError).kind, 'unavailable');
      }
      // Nothing else ran: one analysis' time, not four.
      assert.ok(performance.now() - started < 2_000);
      await assert.rejects(
        engine.analyse(image, {}, { signal: ended.signal }),
        (e: AppError) => e.kind === 'unavailable',
      );
    } finally {
      await engine.close();
    }
  });

  it("a caller with one job is served before a flooding caller's queue, which gives way when full", async () => {
    const engine = await createOnnxFaceEngine({ modelsDir, workers: 1, queue: 8 });
    try {
      const image = await fixture('obama-1.jpg');
      const order: string[] = [];
      const submit = (caller: string, i: number) =>
        engine.analyse(image, {}, { caller }).then(
          () => order.push(`${caller}${i}`),
          (e: AppError) => order.push(`${caller}${i}:${e.kind}`),
        );
      // a: one running, eight queued (the queue is full); b then takes the place of a's newest.
      const flood = Array.from({ length: 9 }, (_, i) => submit('a', i));
      const other = submit('b', 0);
      await Promise.all([...flood, other]);
      assert.ok(order.includes('a8:engineBusy'), order.join(' '));
      assert.equal(order.filter((o) => o.endsWith(':engineBusy')).length, 1, order.join(' '));
      // b waits behind at most one of a's jobs (the one running, then one turn of a's queue).
      assert.ok(order.indexOf('b0') <= 3, order.join(' '));
      // Alone, a caller may fill the whole queue.
      const alone = await Promise.allSettled(
        Array.from({ length: 9 }, () => engine.analyse(image, {}, { caller: 'c' })),
      );
      assert.equal(alone.filter((r) => r.status === 'fulfilled').length, 9);
    } finally {
      await engine.close();
    }
  });
});

describe('engine close', () => {
  it('lets the running job finish and refuses the queued ones', async () => {
    const engine = await createOnnxFaceEngine({ modelsDir, workers: 1, queue: 8 });
    const image = await fixture('obama-1.jpg');
    const running = engine.analyse(image);
    const queued = engine.analyse(image);
    // Closing in the middle of a native call used to terminate the worker inside it, which can abort the process.
    await new Promise((r) => setTimeout(r, 5));
    const closed = engine.close();
    const [a, b] = await Promise.allSettled([running, queued]);
    await closed;
    assert.equal(a.status, 'fulfilled', a.status === 'rejected' ? String(a.reason) : '');
    assert.equal(b.status, 'rejected');
    assert.equal((b as PromiseRejectedResult).reason.kind, 'engineClosed');
    await rejects(engine.analyse(image), 'engineClosed');
  });
});

describe('model files', () => {
  it('give one clear error when a file is missing', async () => {
    await assert.rejects(
      loadVerifiedModels('/nonexistent-models'),
      /model file .*fr_detect\.onnx is missing or corrupt; run npm install/,
    );
  });
});
