import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ChallengeStep, challengeVerdict, type FrameFeatures } from './active-challenge.js';
import { planarResidual, SCENE_HEIGHT, SCENE_WIDTH, sceneMatch, type TracedFrame } from './frame-continuity.js';

// The active challenge judged as a video: synthetic frames of one textured scene with a face whose 68 landmarks
// move as a head does, against the same steps built from pictures that are not one video.

const W = 480;
const H = 360;

/** A room: a fixed, textured pattern of grey levels (a seeded generator, so every run sees the same room). */
function room(seed: number): Uint8Array {
  let s = seed;
  const next = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  const coarse = Array.from({ length: 48 }, () => 40 + next() * 180);
  return Uint8Array.from({ length: SCENE_WIDTH * SCENE_HEIGHT }, (_, i) => {
    const x = i % SCENE_WIDTH;
    const y = Math.floor(i / SCENE_WIDTH);
    return Math.round(coarse[Math.floor(x / 4) + 8 * Math.floor(y / 4)]!);
  });
}

const mirrored = (scene: Uint8Array) =>
  Uint8Array.from(
    scene,
    (_, i) => scene[Math.floor(i / SCENE_WIDTH) * SCENE_WIDTH + (SCENE_WIDTH - 1 - (i % SCENE_WIDTH))]!,
  );

/**
 * 68 iBUG landmarks of a face centred at (cx, cy), `size` pixels wide, its head turned by `turn` (-1 .. 1, the
 * person's left negative): points at depth move across the face as a solid's do, the nose most.
 */
function face(cx: number, cy: number, size: number, turn = 0): Float32Array {
  const pts = new Float32Array(136);
  const set = (i: number, x: number, y: number, depth: number) => {
    pts[i * 2] = cx + (x + turn * depth * Math.sqrt(1 - x * x)) * (size / 2) * Math.cos((turn * Math.PI) / 6);
    pts[i * 2 + 1] = cy + y * (size / 2);
  };
  for (let i = 0; i <= 16; i++) {
    const a = Math.PI * (i / 16);
    set(i, -Math.cos(a), Math.sin(a) * 0.9 - 0.1, 0.05);
  }
  for (let i = 17; i <= 26; i++) set(i, -0.8 + ((i - 17) / 9) * 1.6, -0.45, 0.25);
  for (let i = 27; i <= 30; i++) set(i, 0, -0.3 + ((i - 27) / 3) * 0.45, 0.45 + (i - 27) * 0.12);
  for (let i = 31; i <= 35; i++) set(i, -0.2 + ((i - 31) / 4) * 0.4, 0.22, 0.45);
  for (let i = 36; i <= 47; i++) {
    const side = i < 42 ? -0.38 : 0.38;
    const a = (Math.PI * 2 * ((i - 36) % 6)) / 6;
    set(i, side + Math.cos(a) * 0.14, -0.25 + Math.sin(a) * 0.05, 0.2);
  }
  for (let i = 48; i <= 67; i++) {
    const a = (Math.PI * 2 * (i - 48)) / 20;
    set(i, Math.cos(a) * 0.32, 0.5 + Math.sin(a) * 0.08, 0.3);
  }
  return pts;
}

interface Shot {
  yaw: number;
  eyesOpen?: number;
  x?: number;
  scene?: Uint8Array;
  width?: number;
  points?: Float32Array;
}

const office = room(11);
const frame = (o: Shot): FrameFeatures => {
  const trace: TracedFrame = {
    width: o.width ?? W,
    height: H,
    scene: o.scene ?? office,
    points: o.points ?? face(o.x ?? 240, 170, 160, Math.max(-1, Math.min(1, o.yaw / 40))),
  };
  return { yaw: o.yaw, eyesOpen: o.eyesOpen ?? 0.95, trace };
};

/** One step's five frames: from the camera to the movement and back, drifting a little as people do. */
const turnLeft = (x = 240) => [0, -20, -35, -15, -2].map((yaw, i) => frame({ yaw, x: x + i * 3 }));
const turnRight = (x = 240) => [0, 20, 35, 15, 2].map((yaw, i) => frame({ yaw, x: x - i * 3 }));
const blink = (x = 240) => [0.95, 0.5, 0.05, 0.6, 0.95].map((eyesOpen, i) => frame({ yaw: 2, eyesOpen, x: x + i }));
const steps: ChallengeStep[] = ['turn_left', 'blink', 'turn_right'];

test('a person filmed performing the steps passes as one video', () => {
  assert.equal(challengeVerdict(steps, [...turnLeft(), ...blink(), ...turnRight()]), null);
});

test('frames of another scene, or the mirror of the scene, break the video', () => {
  const elsewhere = room(99);
  const turned = turnLeft().map((f, i) => (i === 2 ? { ...f, trace: { ...f.trace!, scene: elsewhere } } : f));
  assert.equal(challengeVerdict(steps, [...turned, ...blink(), ...turnRight()]), 'scene_changed', 'another photo');
  const flipped = turnRight().map((f, i) =>
    i === 1 || i === 2 ? { ...f, trace: { ...f.trace!, scene: mirrored(office) } } : f,
  );
  assert.equal(challengeVerdict(steps, [...turnLeft(), ...blink(), ...flipped]), 'scene_changed', 'a mirror image');
  assert.ok(sceneMatch(frame({ yaw: 0 }).trace!, frame({ yaw: 0, scene: mirrored(office) }).trace!).ncc < 0.5);
});

test('a plain background is not judged on texture, but a jump in its light is', () => {
  const plain = new Uint8Array(SCENE_WIDTH * SCENE_HEIGHT).fill(120);
  const brighter = new Uint8Array(SCENE_WIDTH * SCENE_HEIGHT).fill(200);
  const onPlain = (fs: FrameFeatures[]) => fs.map((f) => ({ ...f, trace: { ...f.trace!, scene: plain } }));
  const frames = [...onPlain(turnLeft()), ...onPlain(blink()), ...onPlain(turnRight())];
  assert.equal(challengeVerdict(steps, frames), null);
  frames[7] = { ...frames[7]!, trace: { ...frames[7]!.trace!, scene: brighter } };
  assert.equal(challengeVerdict(steps, frames), 'scene_changed');
});

test('pictures of another size, or a face that jumps across the frame, are not one camera filming one person', () => {
  const resized = blink().map((f, i) => (i === 2 ? { ...f, trace: { ...f.trace!, width: 500 } } : f));
  assert.equal(challengeVerdict(steps, [...turnLeft(), ...resized, ...turnRight()]), 'not_one_camera');
  const jumped = blink().map((f, i) => (i === 2 ? frame({ yaw: 2, eyesOpen: 0.05, x: 420 }) : f));
  assert.equal(challengeVerdict(steps, [...turnLeft(), ...jumped, ...turnRight()]), 'face_jumped');
  // Across the pause between two steps a person may move further than within a step.
  assert.equal(challengeVerdict(steps, [...turnLeft(200), ...blink(300), ...turnRight(330)]), null);
});

test('a frontal picture tilted like a print is a flat turn, not a head turning', () => {
  const front = face(240, 170, 160);
  // A homography of the frontal points: the picture turned about its vertical axis, its far side foreshortened.
  const tilt = (k: number) =>
    Float32Array.from(front, (v, i) => {
      if (i % 2 === 0) return 240 + ((v - 240) * 0.8) / (1 + (k * (v - 240)) / 400);
      const x = front[i - 1]!;
      return 170 + (v - 170) / (1 + (k * (x - 240)) / 400);
    });
  assert.ok(planarResidual(front, tilt(0.5)) < 0.01, 'a tilted picture is a plane');
  assert.ok(planarResidual(front, face(240, 170, 160, -0.8)) > 0.04, 'a turned head is not');
  // The engine may still read a yaw off a tilted print: the landmarks say it is flat.
  const tilted = turnLeft().map((f, i) =>
    i === 1 || i === 2 ? { ...f, trace: { ...f.trace!, points: tilt(i === 1 ? 0.4 : 0.6) } } : f,
  );
  assert.equal(challengeVerdict(steps, [...tilted, ...blink(), ...turnRight()]), 'flat_turn');
});

test('frames without a trace are judged on the steps alone', () => {
  const bare = [...turnLeft(), ...blink(), ...turnRight()].map(({ yaw, eyesOpen }) => ({ yaw, eyesOpen }));
  assert.equal(challengeVerdict(steps, bare), null);
  assert.equal(challengeVerdict(['turn_right', 'blink', 'turn_left'], bare), 'steps_not_followed');
});
