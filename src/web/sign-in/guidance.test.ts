import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assess, capturePlan, lumaOf, mean, motion, type PreviewResult, passivePlan } from './guidance.js';

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

  test('passive capture: a burst of 3 frames about 150 ms apart, within the 2 to 8 the server accepts', () => {
    const plan = passivePlan();
    const frames = plan.reduce((n, s) => n + s.frames, 0);
    assert.equal(frames, 3);
    assert.ok(frames >= 2 && frames <= 8);
    assert.deepEqual(
      plan.map((s) => [s.leadMs, s.everyMs]),
      [[0, 150]],
    );
    const ms = plan.reduce((t, s) => t + s.leadMs + Math.max(0, s.frames - 1) * s.everyMs, 0);
    assert.ok(ms <= 1000, `${ms} ms to hold still`);
  });
});
