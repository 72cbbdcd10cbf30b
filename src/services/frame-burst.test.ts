import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError, wireMessage } from '../errors.js';
import type { FaceSample } from '../ports/face-engine.js';
import { enrolmentFrames, mostFrontal, requireSameFace, sharpestFrontal } from './frame-burst.js';

/** The frontal tolerance of frame-burst.ts, in degrees. */
const ENROL_TOLERANCE = 5;

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

/** A frame whose template points `deg` degrees away from the person's first frame (2-D, so cosines are exact). */
const framed = (o: { angle: number; yaw?: number; sharpness?: number; eyesOpen?: number; poseYaw?: number }) => {
  const s = sample({ yaw: o.yaw ?? 0, sharpness: o.sharpness ?? 50 });
  const r = (o.angle * Math.PI) / 180;
  return {
    ...s,
    template: Float32Array.from([Math.cos(r), Math.sin(r)]),
    ...(o.eyesOpen === undefined && o.poseYaw === undefined
      ? {}
      : { pose: { yaw: o.poseYaw ?? 0, pitch: 0, eyesOpen: o.eyesOpen ?? 1, trace } }),
  };
};

test('an onboarding enrols beside the chosen frame the two good frames least like those chosen before them', () => {
  const best = framed({ angle: 0, sharpness: 90 });
  const copy = framed({ angle: 1, sharpness: 80 });
  const apart = framed({ angle: 20, sharpness: 60 });
  const between = framed({ angle: 10, sharpness: 70 });
  const other = framed({ angle: -15, sharpness: 60 });
  // First the farthest from best (20°), then the one farthest from both best and it (-15°: 15° from best).
  assert.deepEqual(enrolmentFrames([copy, best, between, apart, other], best, dot), [apart, other]);
  // Fewer good frames than templates: all of them, and never the chosen frame twice.
  assert.deepEqual(enrolmentFrames([best, copy], best, dot), [copy]);
  assert.deepEqual(enrolmentFrames([best], best, dot), []);
});

test('an onboarding never enrols a turned, blinking or blurred frame, however different it is', () => {
  const best = framed({ angle: 0, yaw: 2, sharpness: 90 });
  const turned = framed({ angle: 30, yaw: 2 + ENROL_TOLERANCE + 1, sharpness: 90 });
  const blurred = framed({ angle: 30, sharpness: 40 });
  const blink = framed({ angle: 30, sharpness: 90, eyesOpen: 0.2 });
  const good = framed({ angle: 5, yaw: 2 + ENROL_TOLERANCE, sharpness: 50 });
  assert.deepEqual(enrolmentFrames([best, turned, blurred, blink, good], best, dot), [good]);
});

test('an active challenge enrols only frames whose head pose is frontal, whichever way the head turned', () => {
  const yaw = (s: FaceSample) => s.pose?.yaw ?? 90;
  const front = framed({ angle: 0, poseYaw: -2 });
  const left = framed({ angle: 25, poseYaw: -30 });
  const right = framed({ angle: 25, poseYaw: 28 });
  const front2 = framed({ angle: 8, poseYaw: 6 });
  const front3 = framed({ angle: 4, poseYaw: -5 });
  assert.deepEqual(enrolmentFrames([left, front, right, front2, front3], front, dot, yaw), [front2, front3]);
});
