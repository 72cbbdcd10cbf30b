import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cropResize, halve, ImagePyramid, type RgbImage, rectToAffine, toPlanar, warp } from './raw-image.js';

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x / (width - 1)) * 255);
      data[i + 1] = Math.round((y / (height - 1)) * 255);
      data[i + 2] = 100;
    }
  }
  return { width, height, data };
}

describe('raw image sampling', () => {
  it('halves with a box filter', () => {
    const img: RgbImage = {
      width: 2,
      height: 2,
      data: Uint8Array.from([0, 0, 0, 100, 100, 100, 200, 200, 200, 100, 100, 100]),
    };
    assert.deepEqual([...halve(img).data], [100, 100, 100]);
  });

  it('samples the same values from a pyramid as from the full image (within rounding)', () => {
    const img = gradient(800, 600);
    const rect = { x: 100, y: 50, width: 600, height: 450 };
    const direct = cropResize(img, rect, 32, 24);
    const viaPyramid = cropResize(new ImagePyramid(img), rect, 32, 24);
    let worst = 0;
    for (let i = 0; i < direct.length; i++) worst = Math.max(worst, Math.abs(direct[i]! - viaPyramid[i]!));
    assert.ok(worst < 3, `max difference ${worst}`);
  });

  it('pads outside the image with mid-grey', () => {
    const img = gradient(10, 10);
    const out = warp(img, rectToAffine({ x: -100, y: -100, width: 10, height: 10 }, 2, 2), 2, 2);
    assert.ok(out.every((v) => v === 127));
  });

  it('planarises with channel order and normalisation', () => {
    const rgb = Float32Array.from([255, 127, 0]);
    assert.deepEqual([...toPlanar(rgb, 1, 127, 128)], [1, 0, -127 / 128]);
    assert.deepEqual([...toPlanar(rgb, 1, 0, 1, true)], [0, 127, 255]);
  });
});
