import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANIMAL_MARGIN,
  animalEvidence,
  decodeCenterNet,
  isAnimal,
  MIN_ANIMAL,
  type ObjectDetection,
} from './animal-check.js';

const CAT = 15;
const DOG = 16;
const PERSON = 0;
const CAR = 2;

function maps(size: number) {
  return { heat: new Float32Array(size * size * 80), wh: new Float32Array(size * size * 4) };
}

describe('CenterNet decoding', () => {
  it("turns a heatmap peak into a box around the peak's input position, from the four wh distances", () => {
    const { heat, wh } = maps(8);
    const at = 3 * 8 + 5; // x 5, y 3
    heat[at * 80 + CAT] = 0.6;
    heat[(at + 1) * 80 + CAT] = 0.4; // a neighbour, lower: not a peak of its own
    wh.set([6, 2, 10, 14], at * 4);
    const dets = decodeCenterNet(heat, wh, 8);
    assert.deepEqual(dets, [
      { box: { left: 14, top: 10, right: 30, bottom: 26 }, score: heat[at * 80 + CAT]!, cls: CAT },
    ]);
  });

  it('reads only person and animal classes, and ignores weak peaks', () => {
    const { heat, wh } = maps(4);
    heat[0 * 80 + CAR] = 0.9;
    heat[5 * 80 + PERSON] = 0.04;
    heat[10 * 80 + DOG] = 0.3;
    assert.deepEqual(
      decodeCenterNet(heat, wh, 4).map((d) => d.cls),
      [DOG],
    );
  });
});

describe('animal rule', () => {
  const face = { left: 100, top: 100, right: 200, bottom: 220 };
  const det = (cls: number, score: number, box = { left: 60, top: 60, right: 260, bottom: 380 }): ObjectDetection => ({
    box,
    score,
    cls,
  });

  it('counts only detections that cover at least half the face', () => {
    const beside = { left: 170, top: 100, right: 400, bottom: 400 }; // covers 30 % of the face
    assert.deepEqual(animalEvidence([det(CAT, 0.5, beside), det(PERSON, 0.4)], face), {
      person: 0.4,
      animal: 0,
      animalClass: -1,
    });
  });

  it('refuses a face the detector sees as an animal clearly more surely than a person', () => {
    assert.equal(isAnimal([animalEvidence([det(CAT, 0.45), det(PERSON, 0.07)], face)]), true);
    assert.equal(isAnimal([animalEvidence([det(CAT, 0.3), det(PERSON, 0.6)], face)]), false);
    // Surer of the animal, but not by the margin: a degraded human face can look like this.
    assert.equal(isAnimal([animalEvidence([det(CAT, 0.3), det(PERSON, 0.3 / ANIMAL_MARGIN + 0.01)], face)]), false);
  });

  it('refuses only when every window shows the animal', () => {
    const cat = { person: 0.05, animal: 0.5, animalClass: CAT };
    const person = { person: 0.4, animal: 0.2, animalClass: CAT };
    assert.equal(isAnimal([cat, cat]), true);
    assert.equal(isAnimal([cat, person]), false);
    assert.equal(isAnimal([]), false);
  });

  it('lets a weak animal guess stand aside', () => {
    assert.equal(isAnimal([{ person: 0, animal: MIN_ANIMAL - 0.01, animalClass: CAT }]), false);
    assert.equal(isAnimal([{ person: 0, animal: MIN_ANIMAL, animalClass: CAT }]), true);
  });
});
