import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assess,
  capturePlan,
  defaultRules,
  lumaOf,
  mean,
  motion,
  type PreviewResult,
  passivePlan,
  regionMean,
  regionSharpness,
  sharpest,
} from './guidance.js';

const centred: PreviewResult = {
  faces: 1,
  width: 320,
  height: 240,
  box: { left: 120, top: 60, right: 200, bottom: 170 },
  quality: { faceSize: 100, sharpness: 300, yaw: 5, pitch: 3 },
};

describe('guidance', () => {
  test('a centred, close, frontal face in steady good light is ready', () => {
    const a = assess({ preview: centred, luma: 120, motion: 1 });
    assert.deepEqual(a.checks, { face: true, centred: true, close: true, steady: true, light: true });
    assert.equal(a.hint, 'hint_ready');
    assert.equal(a.ready, true);
  });

  test('the first unmet check is what the person is told', () => {
    const { box: _box, ...noBox } = centred;
    const cases: Array<[PreviewResult, number, number, string]> = [
      [{ ...noBox, faces: 0 }, 120, 1, 'hint_no_face'],
      [{ ...centred, faces: 2 }, 120, 1, 'hint_many_faces'],
      [{ ...centred, box: { left: 150, top: 110, right: 170, bottom: 130 } }, 120, 1, 'hint_closer'],
      [{ ...centred, box: { left: 0, top: 0, right: 320, bottom: 240 } }, 120, 1, 'hint_further'],
      [{ ...centred, box: { left: 10, top: 60, right: 90, bottom: 170 } }, 120, 1, 'hint_centre'],
      [{ ...centred, quality: { faceSize: 100, sharpness: 300, yaw: 40, pitch: 0 } }, 120, 1, 'hint_frontal'],
      [centred, 20, 1, 'hint_dark'],
      [centred, 240, 1, 'hint_bright'],
      [centred, 120, 30, 'hint_steady'],
    ];
    for (const [preview, luma, moved, hint] of cases) {
      const a = assess({ preview, luma, motion: moved });
      assert.equal(a.hint, hint, JSON.stringify({ preview, luma, moved }));
      assert.equal(a.ready, false);
    }
  });

  test('without the server detection, light comes first, then a manual photo', () => {
    assert.equal(assess({ preview: null, luma: 10, motion: 0 }).hint, 'hint_dark');
    const a = assess({ preview: null, luma: 120, motion: 0 });
    assert.equal(a.hint, 'hint_manual');
    assert.equal(a.ready, false);
  });

  test('light and motion measures', () => {
    const white = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255]);
    const luma = lumaOf(white);
    assert.deepEqual([...luma], [255, 0]);
    assert.equal(mean(luma), 127.5);
    assert.equal(motion(undefined, luma), Number.POSITIVE_INFINITY);
    assert.equal(motion(new Uint8Array([250, 10]), luma), 7.5);
  });

  test('the capture plan sends exactly framesPerStep frames per step, first frame at once, pauses between steps', () => {
    const plan = capturePlan(['blink', 'turn_left', 'turn_right'], 5);
    assert.deepEqual(
      plan.map((s) => [s.step, s.frames]),
      [
        ['blink', 5],
        ['look_center', 0],
        ['turn_left', 5],
        ['look_center', 0],
        ['turn_right', 5],
      ],
    );
    assert.equal(plan[0]?.leadMs, 0);
    assert.equal(
      capturePlan(['turn_left', 'blink'], 7).reduce((n, s) => n + s.frames, 0),
      14,
    );
    assert.equal(
      capturePlan(['turn_left'], undefined).reduce((n, s) => n + s.frames, 0),
      5,
    );
    const seconds = plan.reduce((ms, s) => ms + s.leadMs + Math.max(0, s.frames - 1) * s.everyMs, 0) / 1000;
    assert.ok(seconds < 8, `${seconds} s`);
  });

  test('issue #12: passive capture keeps the 8 sharpest of 12 frames over about 1.4 s, as many as the server takes', () => {
    const plan = passivePlan();
    assert.equal(plan.frames, 8);
    assert.ok(plan.candidates > plan.frames);
    const ms = (plan.candidates - 1) * plan.everyMs;
    assert.ok(ms >= 1200 && ms <= 1500, `${ms} ms to hold still`);
    assert.deepEqual(sharpest([5, 1, 9, 9, 2, 7], 3), [2, 3, 5]);
  });

  test('issue #12: the page checks the server limits it is given, with a margin inside them', () => {
    const rules = { ...defaultRules, limits: { ...defaultRules.limits, maxYaw: 20 } };
    const turned = { ...centred, quality: { faceSize: 100, sharpness: 300, yaw: 16, pitch: 3 } };
    // 15° is inside the server's 20°, but not inside the margin: not frontal yet.
    assert.equal(assess({ preview: turned, luma: 120, motion: 1 }, rules).hint, 'hint_frontal');
    // Face size is in pixels of the frame the server gets: 30 px in the preview is 90 px of a 960 px frame.
    const small = { ...centred, quality: { faceSize: 30, sharpness: 300, yaw: 0, pitch: 0 } };
    assert.equal(assess({ preview: small, luma: 120, motion: 1, captureSide: 960 }).ready, true);
    assert.equal(assess({ preview: small, luma: 120, motion: 1, captureSide: 320 }).hint, 'hint_closer');
    // A blurred face in a still frame is asked for light; a dark face too, though the frame is bright enough.
    const blurred = { ...centred, quality: { faceSize: 100, sharpness: 8, yaw: 0, pitch: 0 } };
    assert.equal(assess({ preview: blurred, luma: 120, motion: 1 }).hint, 'hint_blurred');
    assert.equal(assess({ preview: centred, luma: 120, faceLuma: 30, motion: 1 }).hint, 'hint_face_dark');
  });

  test('issue #12: hysteresis: a met check stays met near its limit, an unmet one needs the margin', () => {
    // yaw 40°: between the leave (45°) and enter (35°) thresholds of the server's 50°.
    const near = { ...centred, quality: { faceSize: 100, sharpness: 300, yaw: 40, pitch: 3 } };
    const fresh = assess({ preview: near, luma: 120, motion: 1 });
    assert.equal(fresh.checks.centred, false);
    assert.equal(fresh.hint, 'hint_frontal');
    const ok = assess({ preview: centred, luma: 120, motion: 1 });
    const held = assess({ preview: near, luma: 120, motion: 1 }, defaultRules, ok.checks);
    assert.equal(held.checks.centred, true);
    assert.equal(held.ready, true);
    const gone = { ...centred, quality: { faceSize: 100, sharpness: 300, yaw: 46, pitch: 3 } };
    assert.equal(assess({ preview: gone, luma: 120, motion: 1 }, defaultRules, ok.checks).hint, 'hint_frontal');
  });

  test('region measures: mean light and sharpness of the face box only', () => {
    // 4x4: a dark left half, a bright right half.
    const img = new Uint8Array([0, 0, 200, 200, 0, 0, 200, 200, 0, 0, 200, 200, 0, 0, 200, 200]);
    assert.equal(regionMean(img, 4, { left: 0.5, top: 0, right: 1, bottom: 1 }), 200);
    assert.equal(regionMean(img, 4, { left: 0, top: 0, right: 0.5, bottom: 1 }), 0);
    const flat = new Uint8Array(16).fill(90);
    assert.equal(regionSharpness(flat, 4, { left: 0, top: 0, right: 1, bottom: 1 }), 0);
    assert.ok(regionSharpness(img, 4, { left: 0, top: 0, right: 1, bottom: 1 }) > 0);
  });
});
