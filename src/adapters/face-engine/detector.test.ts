import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectionWindow, iou, nms } from './detector.js';

const box = (left: number, top: number, size: number) => ({ left, top, right: left + size, bottom: top + size });

describe('detector post-processing', () => {
  it('computes IoU', () => {
    assert.equal(iou(box(0, 0, 10), box(0, 0, 10)), 1);
    assert.equal(iou(box(0, 0, 10), box(20, 20, 10)), 0);
    assert.ok(Math.abs(iou(box(0, 0, 10), box(5, 0, 10)) - 50 / 150) < 1e-12);
  });

  it('keeps the highest-scoring of overlapping boxes, whatever their order', () => {
    const kept = nms(
      [
        { box: box(0, 0, 10), score: 0.8 },
        { box: box(1, 1, 10), score: 0.95 },
        { box: box(50, 50, 10), score: 0.75 },
      ],
      0.4,
    );
    assert.deepEqual(
      kept.map((k) => k.score),
      [0.95, 0.75],
    );
  });

  it('pads the detection window to 4:3 around the image, with a margin for tight crops', () => {
    const w = detectionWindow(112, 112, 0);
    assert.ok(Math.abs(w.width / w.height - 4 / 3) < 1e-9);
    assert.equal(w.height, 112);
    assert.ok(w.x < 0);
    const padded = detectionWindow(112, 112, 0.4);
    assert.ok(padded.height > 112 * 1.7);
  });
});
