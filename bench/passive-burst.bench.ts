// node dist/bench/passive-burst.bench.js [--workers 1] [--cache /tmp/passive-frames.json]
//
// Issue #12: how often the passive burst passes a genuine person, over every stretch of the dev set's live webcam
// recording and of the phone replaying them, as recorded and on degraded copies (darker, noisier, lower
// resolution, and dark + noisy; built with sharp here). Every frame of each copy is analysed once, as the hosted
// page sends it (JPEG q92, the camera's own size), through the engine with its quality gates; the burst rules
// (frames, spacing, fusion) are then replayed over every start frame. Needs the dev set (../shared/eval-data/dev).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createOnnxFaceEngine } from '../src/adapters/face-engine/onnx-face-engine.js';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/errors.js';
import { burstLiveness, passiveBurstLiveness } from '../src/services/liveness-check.js';
import { evalDataSkip } from '../test/helpers/eval-data.js';
import { seededRandom } from '../test/helpers/liveness-attacks.js';
import { liveClipPath, readClip, replayClipPath } from '../test/helpers/liveness-clips.js';

const { values: args } = parseArgs({
  options: {
    workers: { type: 'string', default: '1' },
    cache: { type: 'string', default: '' },
    threshold: { type: 'string', default: '0.6' },
  },
});
const skip = evalDataSkip();
if (skip) throw new Error(`bench needs the dev set: ${skip}`);
const MIN = Number(args.threshold);

type Degrade = 'as recorded' | 'darker (x0.5)' | 'noisier (sigma 12)' | '320x240' | 'dark + noisy';
const degrades: Degrade[] = ['as recorded', 'darker (x0.5)', 'noisier (sigma 12)', '320x240', 'dark + noisy'];

async function degrade(jpeg: Buffer, d: Degrade, seed: number): Promise<Buffer> {
  let img = sharp(jpeg).removeAlpha();
  if (d === '320x240') return img.resize(320, 240).jpeg({ quality: 92 }).toBuffer();
  if (d === 'darker (x0.5)' || d === 'dark + noisy') img = sharp(await img.linear(0.5, 0).toBuffer());
  if (d === 'noisier (sigma 12)' || d === 'dark + noisy') {
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    const r = seededRandom(seed);
    for (let i = 0; i < data.length; i++) {
      // Box-Muller, sigma 12 grey levels.
      const n = Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r()) * 12;
      data[i] = Math.max(0, Math.min(255, Math.round(data[i]! + n)));
    }
    return sharp(data, { raw: info }).jpeg({ quality: 92 }).toBuffer();
  }
  return img.jpeg({ quality: 92 }).toBuffer();
}

/** Per frame: P(live), or the retake reason the engine left it out for. */
type Frame = number | string;
type Table = Record<string, Record<Degrade, Frame[]>>;

async function analyseAll(): Promise<Table> {
  const config = loadConfig({ FACEGATE_ENGINE_WORKERS: args.workers });
  const engine = await createOnnxFaceEngine({ modelsDir: config.modelsDir, workers: Number(args.workers), queue: 64 });
  const table: Table = {};
  try {
    for (const [name, path] of [
      ['live', liveClipPath()],
      ['replay', replayClipPath()],
    ] as const) {
      const clip = readClip(path);
      table[name] = {} as Record<Degrade, Frame[]>;
      for (const d of degrades) {
        const out: Frame[] = [];
        for (const [i, jpeg] of clip.entries()) {
          const bytes = await degrade(jpeg, d, i + 1);
          try {
            out.push((await engine.analyse(bytes, { liveness: true })).liveness ?? 0);
          } catch (err) {
            out.push(err instanceof AppError ? err.kind : String(err));
          }
        }
        table[name][d] = out;
        process.stderr.write(`${name} / ${d}: ${out.length} frames\n`);
      }
    }
  } finally {
    await engine.close();
  }
  return table;
}

const table: Table =
  args.cache && existsSync(args.cache) ? (JSON.parse(readFileSync(args.cache, 'utf8')) as Table) : await analyseAll();
if (args.cache) writeFileSync(args.cache, JSON.stringify(table));

interface Rule {
  name: string;
  /** Frame offsets of the burst at 30 fps. */
  offsets: number[];
  fuse: (scores: number[]) => number;
}
const median = burstLiveness;
const kth = (k: number) => (s: number[]) => [...s].sort((a, b) => b - a)[Math.min(k, s.length) - 1] ?? 0;
const at = (ms: number[]) => ms.map((m) => Math.round((m * 30) / 1000));
const rules: Rule[] = [
  { name: 'before: 3 frames / 0.3 s, median', offsets: at([0, 150, 300]), fuse: median },
  { name: '5 frames / 1.2 s, median', offsets: at([0, 300, 600, 900, 1200]), fuse: median },
  { name: '6 frames / 1.25 s, median', offsets: at([0, 250, 500, 750, 1000, 1250]), fuse: median },
  { name: '8 frames / 1.4 s, median', offsets: at([0, 200, 400, 600, 800, 1000, 1200, 1400]), fuse: median },
  { name: '8 frames / 1.4 s, 4th best', offsets: at([0, 200, 400, 600, 800, 1000, 1200, 1400]), fuse: kth(4) },
  {
    name: 'after: 8 frames / 1.4 s, 3rd best',
    offsets: at([0, 200, 400, 600, 800, 1000, 1200, 1400]),
    fuse: passiveBurstLiveness,
  },
  { name: '8 frames / 1.4 s, 2nd best', offsets: at([0, 200, 400, 600, 800, 1000, 1200, 1400]), fuse: kth(2) },
  {
    name: '8 frames / 1.4 s, max (for reference)',
    offsets: at([0, 200, 400, 600, 800, 1000, 1200, 1400]),
    fuse: (s) => Math.max(...s),
  },
];

/** The service's rule: usable frames (not refused) must be at least 2 and at least half of the burst. */
function judge(frames: Frame[], start: number, rule: Rule): 'pass' | 'fail' | 'retake' {
  const burst = rule.offsets.map((o) => frames[start + o]!);
  const usable = burst.filter((f): f is number => typeof f === 'number');
  if (usable.length < 2 || usable.length * 2 < burst.length) return 'retake';
  return rule.fuse(usable) >= MIN ? 'pass' : 'fail';
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(0)} %`;
for (const d of degrades) {
  const live = table['live']![d];
  const replay = table['replay']![d];
  const single = live.filter((f) => typeof f === 'number');
  console.log(
    `\n${d}: live frames usable ${single.length}/${live.length}, single usable frames >= ${MIN}: ${pct(
      single.filter((x) => (x as number) >= MIN).length,
      single.length,
    )}; replay max ${Math.max(...replay.filter((f): f is number => typeof f === 'number')).toFixed(3)}`,
  );
  for (const rule of rules) {
    const span = Math.max(...rule.offsets);
    const count = (frames: Frame[]) => {
      const c = { pass: 0, fail: 0, retake: 0 };
      for (let s = 0; s + span < frames.length; s++) c[judge(frames, s, rule)]++;
      return c;
    };
    const l = count(live);
    const r = count(replay);
    const judged = l.pass + l.fail;
    console.log(
      `  ${rule.name.padEnd(40)} live: pass ${pct(l.pass, judged)} of ${judged} judged stretches (${l.retake} retake); replay: ${r.pass} pass of ${r.pass + r.fail}`,
    );
  }
}
