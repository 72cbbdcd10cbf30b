import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point } from '../../ports/face-engine.js';
import { ARCFACE_TEMPLATE, alignmentAffine, similarityTransform } from './align.js';

describe('alignment', () => {
  it('recovers a known similarity transform', () => {
    const [a, b, tx, ty] = [0.8, 0.3, 12, -7];
    const src: Point[] = [
      [10, 20],
      [50, 22],
      [30, 40],
      [15, 60],
      [45, 61],
    ];
    const dst = src.map(([x, y]) => [a * x - b * y + tx, b * x + a * y + ty] as const);
    const got = similarityTransform(src, dst);
    const want = [a, b, tx, ty];
    for (const [i, g] of got.entries()) assert.ok(Math.abs(g - want[i]!) < 1e-9);
  });

  it('maps template points back onto the face points', () => {
    // A face twice the template's size, shifted: the warp must sample template point i from face point i.
    const face = ARCFACE_TEMPLATE.map(([x, y]) => [2 * x + 100, 2 * y + 50] as const);
    const m = alignmentAffine({
      leftEye: face[0]!,
      rightEye: face[1]!,
      nose: face[2]!,
      leftMouth: face[3]!,
      rightMouth: face[4]!,
    });
    ARCFACE_TEMPLATE.forEach(([u, v], i) => {
      assert.ok(Math.abs(m[0] * u + m[1] * v + m[2] - face[i]![0]) < 1e-6);
      assert.ok(Math.abs(m[3] * u + m[4] * v + m[5] - face[i]![1]) < 1e-6);
    });
  });
});
