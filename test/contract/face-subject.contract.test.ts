import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createOnnxFaceEngine, type OnnxFaceEngine } from '../../src/adapters/face-engine/onnx-face-engine.js';
import { AppError } from '../../src/errors.js';
import { packageRoot } from '../../src/package-root.js';

// Issue #11: the subject of a photo with several faces is the main face a person would name (area inside the image,
// centrality, confidence), not the largest detector box. Real engine, photos composed from the fixtures.

const fixture = (name: string) => readFile(new URL(`test/fixtures/faces/${name}`, `file://${packageRoot}`));
const modelsDir = new URL('models/', `file://${packageRoot}`).pathname;

const W = 640;
const H = 480;
/** Where the subject's face lands: obama-1's head (face box x 161-256) placed at 230, 150. */
const subjectFaceLeft = 230 + (161 - 120);

/**
 * A centred subject (obama-1, face box about 98x135) and a bystander (angelina-1 scaled by `scale`, face box about
 * 156x221 x scale) standing across the right edge with `visibleShare` of the face's width inside the photo.
 */
async function edgeBystanderPhoto(scale: number, visibleShare: number): Promise<Buffer> {
  const subject = await sharp(await fixture('obama-1.jpg'))
    .extract({ left: 120, top: 0, width: 180, height: 260 })
    .png()
    .toBuffer();
  const bystander = await sharp(await fixture('angelina-1.jpg'))
    .extract({ left: 40, top: 0, width: 290, height: 340 })
    .resize(Math.round(290 * scale))
    .png()
    .toBuffer();
  const { width = 0, height = 0 } = await sharp(bystander).metadata();
  // angelina-1's face box spans x 108-264 of the photo, 68-224 of the extract.
  const left = Math.round(W - 68 * scale - 156 * scale * visibleShare);
  const cut = await sharp(bystander)
    .extract({ left: 0, top: 0, width: Math.min(width, W - left), height: Math.min(height, H) })
    .png()
    .toBuffer();
  return sharp({ create: { width: W, height: H, channels: 3, background: '#8a8f94' } })
    .composite([
      { input: subject, left: 230, top: 150 },
      { input: cut, left, top: 0 },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe('the subject of a photo with several faces (real models)', () => {
  let engine: OnnxFaceEngine;
  before(async () => {
    engine = await createOnnxFaceEngine({ modelsDir, workers: 1, queue: 8 });
  });
  after(async () => {
    await engine.close();
  });

  const isSubject = (left: number) => Math.abs(left - subjectFaceLeft) < 25;

  it("chooses the centred person over a half-cut bystander whose box is larger ('dominant')", async () => {
    for (const scale of [1.4, 1.8]) {
      const photo = await edgeBystanderPhoto(scale, 0.5);
      const found = await engine.detect(photo);
      assert.equal(found.faces.length, 2, `scale ${scale}: both faces are detected`);
      const [largest] = found.faces;
      assert.ok(largest && !isSubject(largest.box.left), `scale ${scale}: the bystander has the larger box`);
      const { face } = await engine.analyse(photo, { faceSelection: 'dominant', qualityGates: false });
      assert.ok(isSubject(face.box.left), `scale ${scale}: chose the face at x ${face.box.left}`);
    }
  });

  it("does not answer multiple_faces for an edge bystander that is mostly outside the photo ('single')", async () => {
    const photo = await edgeBystanderPhoto(1.8, 0.4);
    assert.equal((await engine.detect(photo)).faces.length, 2, 'the cut face is detected');
    const { face } = await engine.analyse(photo);
    assert.ok(isSubject(face.box.left), `chose the face at x ${face.box.left}`);
  });

  it('still answers multiple_faces for a bystander half inside the photo, and for two whole faces', async () => {
    for (const photo of [await edgeBystanderPhoto(1, 0.7), await fixture('two-people.jpg')]) {
      const err = await engine.analyse(photo).catch((e: unknown) => e);
      assert.ok(err instanceof AppError && err.code === 'multiple_faces', String(err));
    }
  });
});
