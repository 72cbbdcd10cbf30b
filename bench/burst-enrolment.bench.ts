import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createOnnxFaceEngine } from '../src/adapters/face-engine/onnx-face-engine.js';
import { qualityFailure } from '../src/adapters/face-engine/quality.js';
import { seededRng } from '../src/cli/degrade.js';
import { loadConfig } from '../src/config.js';
import { matchSimilarity } from '../src/domain/match-similarity.js';
import type { FaceSample } from '../src/ports/face-engine.js';
import { enrolmentFrames, sharpestFrontal } from '../src/services/frame-burst.js';
import { liveClipPath, pageFrame, passiveTimes, readClip } from '../test/helpers/liveness-clips.js';

// Onboarding's templates from one burst (issue #11): what enrolling up to 3 frames of the hosted page's burst buys
// over its one chosen frame, and what it costs strangers.
//   node dist/bench/burst-enrolment.bench.js [--jitter 1] DEV_DIR [CONDITION_DIR ...]
// 1. Real bursts: the page's passive burst (8 frames over 1.4 s, 480 px, q85) at every 250 ms of the dev set's live
//    recording; the frames onboarding enrols (services/frame-burst.ts) against each other, against the same person
//    at another moment of the recording, and against separate photos of one person (the dev set's genuine pairs).
// 2. Bursts made from photos, as the recording has one person: each person's first photo becomes 8 frames of one
//    moment (a shift and scale of 2 %, a tilt of 1.5°, light ±6 %, sensor noise σ 2-5, JPEG q 70-90, each times
//    `--jitter`: the real bursts' frames differ more than these, by expression and head motion), enrolled as its
//    chosen frame alone or with the frames onboarding adds; their other photos log in (genuine first try: passes the
//    quality gates, best match is their own person, accepted at the default 0.85 = cosine 0.45 through the match
//    rule) and every photo is a stranger to the others (each probe×person pair counts for the FAR).

const DEFAULT_COSINE = 0.45;
const { values, positionals } = parseArgs({
  options: { jitter: { type: 'string', default: '1' } },
  allowPositionals: true,
});
const [devDir, ...conditionDirs] = positionals;
const jitter = Number(values.jitter);
if (!devDir || !(jitter > 0)) {
  process.stderr.write('usage: node dist/bench/burst-enrolment.bench.js [--jitter 1] DEV_DIR [CONDITION_DIR ...]\n');
  process.exit(2);
}
const engine = await createOnnxFaceEngine({ modelsDir: loadConfig().modelsDir, workers: 2, queue: 100_000 });
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const analyse = (image: Uint8Array): Promise<FaceSample | undefined> =>
  engine.analyse(image, { qualityGates: false, faceSelection: 'dominant' }).catch(() => undefined);
const quantiles = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]?.toFixed(3) ?? '-';
  return `n ${s.length}, p10 ${q(0.1)}, median ${q(0.5)}, p90 ${q(0.9)}`;
};

/** The burst as the passive check sees it: the frames the gates let through, if they are enough for an attempt. */
function burstTemplates(frames: readonly (FaceSample | undefined)[]) {
  const usable = frames.filter((f): f is FaceSample => f !== undefined && qualityFailure(f.face.quality) === undefined);
  if (usable.length < 2 || usable.length * 2 < frames.length) return undefined;
  const best = sharpestFrontal(usable);
  return { best, extras: enrolmentFrames(usable, best, dot) };
}

// --- 1. Real bursts of the live recording. ---
const clip = readClip(liveClipPath());
const frameCache = new Map<number, Promise<FaceSample | undefined>>();
const frameAt = (i: number) => {
  if (!frameCache.has(i)) frameCache.set(i, pageFrame(clip[i]!).then(analyse));
  return frameCache.get(i)!;
};
const windows: Array<{ startMs: number; best: FaceSample; extras: FaceSample[] }> = [];
let refusedWindows = 0;
for (let startMs = 0; startMs + passiveTimes.at(-1)! < (clip.length * 1000) / 30; startMs += 250) {
  const frames = await Promise.all(
    passiveTimes.map((t) => frameAt(Math.min(clip.length - 1, Math.round(((startMs + t) * 30) / 1000)))),
  );
  const b = burstTemplates(frames);
  if (b) windows.push({ startMs, ...b });
  else refusedWindows++;
}
const withinBurst = windows.flatMap((w) => w.extras.map((e) => dot(w.best.template, e.template)));
const otherMoment = windows.flatMap((w) =>
  windows.filter((o) => o.startMs >= w.startMs + 2000).map((o) => dot(w.best.template, o.best.template)),
);
const counts = [1, 2, 3].map((k) => windows.filter((w) => 1 + w.extras.length === k).length);

// --- 2. Photo sets: separate photos, and bursts made from them. ---
interface Person {
  name: string;
  photos: Array<FaceSample | undefined>;
  burst?: { best: FaceSample; extras: FaceSample[] };
}

async function burstOf(photo: Buffer, rng: () => number): Promise<Array<FaceSample | undefined>> {
  const { width = 0, height = 0 } = await sharp(photo).rotate().metadata();
  // Every random draw is made here, in order, so that a seed gives the same burst whatever the engine's timing.
  const draws = Array.from({ length: 8 }, () => {
    const xs = Array.from({ length: 8 }, rng);
    return () => xs.shift()!;
  });
  const noiseRng = draws.map(() => seededRng(Math.floor(rng() * 2 ** 31)));
  return Promise.all(
    draws.map(async (draw, k) => {
      const u = () => jitter * (draw() * 2 - 1);
      const scale = 1 + 0.02 * u();
      const w = Math.round(width / scale);
      const h = Math.round(height / scale);
      const left = Math.max(0, Math.min(width - w, Math.round((width - w) / 2 + 0.02 * width * u())));
      const top = Math.max(0, Math.min(height - h, Math.round((height - h) / 2 + 0.02 * height * u())));
      const tilted = await sharp(photo)
        .rotate()
        .rotate(1.5 * u(), { background: '#808080' })
        .resize(width, height, { fit: 'cover' })
        .toBuffer();
      const framed = sharp(tilted)
        .extract({ left, top, width: Math.min(w, width - left), height: Math.min(h, height - top) })
        .resize(width, height);
      const { data, info } = await framed.raw().toBuffer({ resolveWithObject: true });
      const gain = 1 + 0.06 * u();
      const sigma = jitter * (2 + 3 * draw());
      const quality = Math.max(10, Math.round(90 - 20 * jitter * draw()));
      const r = noiseRng[k]!;
      for (let i = 0; i < data.length; i++) {
        // Box-Muller is overkill for sensor noise: the sum of three uniforms is near enough to normal.
        const noise = (r() + r() + r() - 1.5) * 2 * sigma;
        data[i] = Math.max(0, Math.min(255, Math.round(data[i]! * gain + noise)));
      }
      const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .jpeg({ quality })
        .toBuffer();
      return analyse(jpeg);
    }),
  );
}

async function loadSet(dir: string, seed: number): Promise<Person[]> {
  const idDir = join(dir, 'identity');
  const rng = seededRng(seed);
  const people = readdirSync(idDir)
    .filter((d) => statSync(join(idDir, d)).isDirectory())
    .sort();
  const out: Person[] = [];
  for (const name of people) {
    const files = readdirSync(join(idDir, name))
      .sort()
      .map((f) => readFileSync(join(idDir, name, f)));
    const photos = await Promise.all(files.map(analyse));
    const burst = files.length > 1 ? burstTemplates(await burstOf(files[0]!, rng)) : undefined;
    out.push({ name, photos, ...(burst ? { burst } : {}) });
  }
  return out;
}

/** Logins against a collection of every person with a burst, enrolled with `templatesOf`. */
function simulate(persons: readonly Person[], templatesOf: (p: Person) => FaceSample[]) {
  const enrolled = persons.filter((p) => p.burst);
  const gallery = new Map(enrolled.map((p) => [p.name, templatesOf(p).map((s) => s.template)]));
  const scores = (probe: Float32Array, names: readonly string[]) => {
    const sims = new Map(names.map((n) => [n, gallery.get(n)!.map((t) => dot(t, probe))]));
    const bestOf = new Map(names.map((n) => [n, Math.max(...sims.get(n)!)]));
    const total = names.reduce((k, n) => k + gallery.get(n)!.length, 0);
    return new Map(
      names.map((n) => [
        n,
        matchSimilarity({
          templates: sims.get(n)!,
          others: names.filter((o) => o !== n).map((o) => bestOf.get(o)!),
          cohortSize: total - gallery.get(n)!.length,
        }),
      ]),
    );
  };
  const names = [...gallery.keys()];
  let genuine = 0;
  let accepted = 0;
  let strangers = 0;
  let strangersIn = 0;
  let pairs = 0;
  let falseAccepts = 0;
  for (const p of enrolled) {
    for (const [i, photo] of p.photos.entries()) {
      const refused = !photo || qualityFailure(photo.face.quality) !== undefined;
      if (i > 0) {
        genuine++;
        if (photo && !refused) {
          const s = scores(photo.template, names);
          const own = s.get(p.name)!;
          if (own === Math.max(...s.values()) && own >= DEFAULT_COSINE) accepted++;
        }
      }
      if (!photo) continue;
      strangers++;
      const s = scores(
        photo.template,
        names.filter((n) => n !== p.name),
      );
      pairs += s.size;
      const fa = refused ? 0 : [...s.values()].filter((v) => v >= DEFAULT_COSINE).length;
      falseAccepts += fa;
      if (fa > 0) strangersIn++;
    }
  }
  return { genuine, accepted, strangers, strangersIn, pairs, falseAccepts };
}

const sets = [devDir, ...conditionDirs];
const rows: string[] = [];
let genuinePhotoPairs: number[] = [];
for (const [k, dir] of sets.entries()) {
  const persons = await loadSet(dir, 11 + k);
  if (k === 0) {
    genuinePhotoPairs = persons.flatMap((p) => {
      const ts = p.photos.filter((s): s is FaceSample => s !== undefined).map((s) => s.template);
      return ts.flatMap((a, i) => ts.slice(i + 1).map((b) => dot(a, b)));
    });
  }
  const withBurst = persons.filter((p) => p.burst);
  const madeBurstPairs = withBurst.flatMap((p) => p.burst!.extras.map((e) => dot(p.burst!.best.template, e.template)));
  const one = simulate(persons, (p) => [p.burst!.best]);
  const three = simulate(persons, (p) => [p.burst!.best, ...p.burst!.extras]);
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
  const templates = withBurst.reduce((n, p) => n + 1 + p.burst!.extras.length, 0);
  rows.push(
    `| ${dir} | ${withBurst.length} of ${persons.length} (${templates} templates) | ${quantiles(madeBurstPairs)} | ` +
      `${pct(one.accepted, one.genuine)} → ${pct(three.accepted, three.genuine)} (of ${one.genuine}) | ` +
      `${one.strangersIn} → ${three.strangersIn} of ${one.strangers} | ` +
      `${one.falseAccepts} → ${three.falseAccepts} of ${one.pairs} |`,
  );
}
await engine.close();

const out = [
  `live recording: ${windows.length} passive bursts (${refusedWindows} more refused by the gates), enrolling 1 / 2 / 3 templates: ${counts.join(' / ')}`,
  `cosine of the chosen frame to the frames enrolled beside it: ${quantiles(withinBurst)}`,
  `cosine of a burst's chosen frame to another burst's, >= 2 s later: ${quantiles(otherMoment)}`,
  `cosine of separate photos of one person (dev genuine pairs): ${quantiles(genuinePhotoPairs)}`,
  '',
  '| set | persons enrolled from a burst | cosine chosen frame to the frames added | genuine first try, 1 → up to 3 burst templates | strangers logged in | impostor probe×person pairs accepted |',
  '|---|---|---|---|---|---|',
  ...rows,
];
process.stdout.write(`${out.join('\n')}\n`);
