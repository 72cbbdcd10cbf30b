import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError, wireMessage } from '../errors.js';
import type { FaceSample } from '../ports/face-engine.js';
import { mostFrontal, requireSameFace, sharpestFrontal } from './frame-burst.js';

const trace = { width: 100, height: 100, scene: new Uint8Array(32 * 24), points: new Float32Array(136) };
const sample = (o: { yaw?: number; sharpness?: number; poseYaw?: number; person?: number }): FaceSample => ({
  face: {
    box: { left: 0, top: 0, right: 100, bottom: 100 },
    detectionScore: 0.9,
    landmarks: { leftEye: [30, 40], rightEye: [70, 40], nose: [50, 60], leftMouth: [35, 80], rightMouth: [65, 80] },
    quality: { faceSize: 100, sharpness: o.sharpness ?? 50, yaw: o.yaw ?? 0, pitch: 0 },
  },
  template: Float32Array.from(o.person === 1 ? [0, 1] : [1, 0]),
  ...(o.poseYaw === undefined ? {} : { pose: { yaw: o.poseYaw, pitch: 0, eyesOpen: 1, trace } }),
});
const dot = (a: Float32Array, b: Float32Array) => a[0]! * b[0]! + a[1]! * b[1]!;

test('a passive burst is matched on its sharpest frame among the most frontal ones', () => {
  const blurred = sample({ yaw: 1, sharpness: 20 });
  const sharp = sample({ yaw: 4, sharpness: 90 });
  const turned = sample({ yaw: 20, sharpness: 200 });
  assert.equal(sharpestFrontal([blurred, turned, sharp]), sharp);
  assert.equal(sharpestFrontal([turned]), turned);
});

test('an active burst is matched on its most frontal head pose', () => {
  const front = sample({ poseYaw: -2 });
  assert.equal(mostFrontal([sample({ poseYaw: 30 }), front, sample({ poseYaw: -25 })]), front);
});

test('a burst that shows two people is refused as different faces', () => {
  const a = sample({});
  assert.doesNotThrow(() => requireSameFace([a, sample({}), a], a, dot));
  assert.throws(
    () => requireSameFace([a, sample({ person: 1 }), a], a, dot),
    (err) =>
      isAppError(err) && err.kind === 'challengeFailed' && wireMessage(err) === 'challenge_failed@different_faces',
  );
});
