import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from '../adapters/face-engine/raw-image.js';
import {
  colourCast,
  conditions,
  degrade,
  exposure,
  gaussianBlur,
  meanColour,
  placeInFrame,
  resize,
  seededRng,
  seedFor,
  sensorNoise,
} from './degrade.js';

const solid = (w: number, h: number, rgb: [number, number, number]): RgbImage => ({
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 3 }, (_, i) => rgb[i % 3]!),
});
/** Left half black, right half white. */
const edge = (w: number, h: number): RgbImage => ({
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (Math.floor(i / 3) % w < w / 2 ? 0 : 255)),
});

test('the generator is deterministic by seed, and keys give independent streams', () => {
  const a = seededRng(7);
  const b = seededRng(7);
  const xs = Array.from({ length: 5 }, () => a());
  assert.deepEqual(
    xs,
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notEqual(seedFor(1, 'webcam/a/001.jpg'), seedFor(1, 'webcam/a/002.jpg'));
  assert.notEqual(seedFor(1, 'x'), seedFor(2, 'x'));
});

test('resize averages; exposure and casts change levels as stated', () => {
  const small = resize(edge(8, 2), 2, 1);
  assert.deepEqual([...small.data], [0, 0, 0, 255, 255, 255]);
  const dim = exposure(solid(1, 1, [200, 100, 0]), 0.5, 1);
  assert.deepEqual([...dim.data], [100, 50, 0]);
  assert.equal(exposure(solid(1, 1, [128, 128, 128]), 1, 2).data[0], 64);
  assert.deepEqual([...colourCast(solid(1, 1, [100, 100, 100]), [1.2, 1, 0.8]).data], [120, 100, 80]);
});

test('blur softens an edge and keeps a flat image flat; noise is zero-mean and seeded', () => {
  const blurred = gaussianBlur(edge(20, 3), 1.5);
  const row = (x: number) => blurred.data[(20 + x) * 3]!;
  assert.ok(row(9) > 0 && row(9) < 128 && row(10) > 128 && row(10) < 255);
  assert.deepEqual([...gaussianBlur(solid(5, 5, [90, 90, 90]), 2).data], [...solid(5, 5, [90, 90, 90]).data]);
  const flat = solid(100, 100, [128, 128, 128]);
  const noisy = sensorNoise(flat, 10, seededRng(1));
  const mean = meanColour(noisy);
  assert.ok(Math.abs(mean[0] - 128) < 1);
  assert.deepEqual([...noisy.data], [...sensorNoise(flat, 10, seededRng(1)).data]);
  assert.notDeepEqual([...noisy.data], [...flat.data]);
});

test('placeInFrame scales the face box to the asked size inside a webcam frame', () => {
  // A 200x200 photo whose face box is its central 100x100 (white on black).
  const photo = solid(200, 200, [0, 0, 0]);
  for (let y = 50; y < 150; y++)
    for (let x = 50; x < 150; x++) photo.data.fill(255, (y * 200 + x) * 3, (y * 200 + x) * 3 + 3);
  const frame = placeInFrame(photo, { left: 50, top: 50, width: 100, height: 100 }, 70, 640, 480, {
    left: 100,
    top: 50,
  });
  assert.equal(frame.width, 640);
  assert.equal(frame.height, 480);
  let white = 0;
  for (let i = 0; i < frame.data.length; i += 3) if (frame.data[i]! > 200) white++;
  assert.ok(Math.abs(white - 70 * 70) < 200, `white pixels ${white}`);
});

test('every condition is deterministic by seed; webcam gives a 640x480 frame and a JPEG quality', () => {
  const photo = edge(120, 120);
  for (const [name, steps] of Object.entries(conditions)) {
    const a = degrade(photo, steps, seededRng(seedFor(1, name)));
    const b = degrade(photo, steps, seededRng(seedFor(1, name)));
    assert.deepEqual([...a.image.data], [...b.image.data], name);
  }
  const w = degrade(photo, conditions['webcam']!, seededRng(3), { left: 10, top: 10, width: 100, height: 100 });
  assert.equal(w.image.width, 640);
  assert.equal(w.image.height, 480);
  assert.ok(w.jpegQuality !== undefined && w.jpegQuality >= 45 && w.jpegQuality <= 70);
});

test('office: every photo gets the one camera’s own cast, where cast draws each its own', () => {
  const grey = solid(8, 8, [100, 100, 100]);
  const castOf = (name: string, seed: number) => {
    const step = conditions[name]!.find((s) => s.kind === 'colourCast')!;
    const [r, g, b] = degrade(grey, [step], seededRng(seed)).image.data;
    return [r! / g!, b! / g!] as const;
  };
  const office = [1, 2, 3, 4].map((seed) => castOf('office', seed));
  for (const [rg, bg] of office) {
    // Warm: red up, blue down, on every photo (1.12 and 0.85 of green, within the 0.02 jitter).
    assert.ok(rg > 1.05 && rg < 1.19, `red/green ${rg}`);
    assert.ok(bg > 0.79 && bg < 0.9, `blue/green ${bg}`);
  }
  const cast = [1, 2, 3, 4].map((seed) => castOf('cast', seed)[0]!);
  assert.ok(Math.max(...cast) - Math.min(...cast) > 0.05, `cast draws per photo: ${cast.join(', ')}`);
});
