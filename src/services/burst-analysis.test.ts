import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.js';
import type { AnalyseOptions, FaceEngine, FaceSample } from '../ports/face-engine.js';
import { analyseFrames, isSample } from './burst-analysis.js';

// Which frames of a burst pay for the animal check: one vouches for all, since every frame must be the chosen face.

const skippable = new Set(['noFace']);

function recordingEngine(noFaceAt: ReadonlySet<number> = new Set()) {
  const calls: Array<{ frame: number; animalCheck: boolean | undefined }> = [];
  const engine = {
    async analyse(image: Uint8Array, o: AnalyseOptions = {}) {
      const frame = image[0]!;
      calls.push({ frame, animalCheck: o.animalCheck });
      if (noFaceAt.has(frame)) throw new AppError('noFace');
      return { template: new Float32Array([frame]) } as unknown as FaceSample;
    },
  } as unknown as FaceEngine;
  const deps = { engine, readImage: async (s: string) => Buffer.from([Number(s)]) };
  return { deps, calls };
}
const frames = (n: number) => Array.from({ length: n }, (_x, i) => String(i));
const checkedFrames = (calls: ReadonlyArray<{ frame: number; animalCheck: boolean | undefined }>) =>
  calls.filter((c) => c.animalCheck).map((c) => c.frame);

test('a burst checks its first and middle frames for an animal, not every frame', async () => {
  const { deps, calls } = recordingEngine();
  const out = await analyseFrames(deps, frames(8), { liveness: true }, skippable);
  assert.equal(out.filter(isSample).length, 8);
  assert.equal(calls.length, 8, 'no frame analysed twice');
  assert.deepEqual(checkedFrames(calls), [0, 4]);
});

test('when neither checked frame gave a face, the first frame that did is analysed again with the check', async () => {
  const { deps, calls } = recordingEngine(new Set([0, 4]));
  const out = await analyseFrames(deps, frames(8), {}, skippable);
  assert.equal(out.filter(isSample).length, 6);
  assert.deepEqual(checkedFrames(calls), [0, 4, 1]);
  assert.ok(isSample(out[1]!));
});

test('a burst of animal frames is refused frame after frame, so no unchecked frame is left to stand for it', async () => {
  const calls: number[] = [];
  const engine = {
    async analyse(image: Uint8Array, o: AnalyseOptions = {}) {
      calls.push(image[0]!);
      if (o.animalCheck) throw new AppError('noFace');
      return { template: new Float32Array([1]) } as unknown as FaceSample;
    },
  } as unknown as FaceEngine;
  const out = await analyseFrames(
    { engine, readImage: async (s: string) => Buffer.from([Number(s)]) },
    frames(5),
    {},
    skippable,
  );
  assert.equal(out.filter(isSample).length, 0);
  assert.equal(calls.length, 5 + 3, 'the three frames first analysed unchecked were checked again');
});

test('a caller that names the check decides it for every frame', async () => {
  const { deps, calls } = recordingEngine();
  await analyseFrames(deps, frames(3), { animalCheck: true }, skippable);
  assert.deepEqual(checkedFrames(calls), [0, 1, 2]);
});
