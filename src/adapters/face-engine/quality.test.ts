import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARCFACE_TEMPLATE } from './align.js';
import { poseFromLandmarks, qualityFailure, qualityGates } from './quality.js';

const frontal = {
  leftEye: ARCFACE_TEMPLATE[0]!,
  rightEye: ARCFACE_TEMPLATE[1]!,
  nose: ARCFACE_TEMPLATE[2]!,
  leftMouth: ARCFACE_TEMPLATE[3]!,
  rightMouth: ARCFACE_TEMPLATE[4]!,
};

describe('quality', () => {
  it('reads the ArcFace template as frontal', () => {
    const p = poseFromLandmarks(frontal);
    assert.ok(p.yaw < 3 && p.pitch < 3, JSON.stringify(p));
  });

  it('reads a nose beside an eye as a turned head', () => {
    const p = poseFromLandmarks({ ...frontal, nose: [frontal.rightEye[0] + 2, 72] });
    assert.ok(p.yaw > qualityGates.maxYaw);
  });

  it('gates small, turned and blurred faces', () => {
    const ok = { faceSize: 200, sharpness: 100, yaw: 5, pitch: 5 };
    assert.equal(qualityFailure(ok), undefined);
    assert.equal(qualityFailure({ ...ok, faceSize: 20 }), 'faceTooSmall');
    assert.equal(qualityFailure({ ...ok, yaw: 80 }), 'faceNotFrontal');
    assert.equal(qualityFailure({ ...ok, sharpness: 1 }), 'faceTooBlurred');
  });
});
