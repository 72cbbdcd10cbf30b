// `npm run bench:engine [-- --data DIR --runs N]`: face engine throughput and per-stage latency on real photos
// (default: the shared dev identity photos). Images are read into memory first, so the figures include decoding
// but not disk reads. Reports images/s with 1 worker and with the default pool, each as the median of N runs, and
// per-stage medians over every image of every run.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createOnnxFaceEngine } from '../src/adapters/face-engine/onnx-face-engine.js';
import type { Stage } from '../src/adapters/face-engine/pipeline.js';
import { loadConfig } from '../src/config.js';
import { median } from '../src/domain/biometric-metrics.js';
import { packageRoot } from '../src/package-root.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, runs: { type: 'string' }, liveness: { type: 'boolean' } },
  strict: true,
});
const dataDir = resolve(values.data ?? join(packageRoot, '../shared/eval-data/dev/identity'));
const runs = Number(values.runs ?? 3);
const IMAGE = /\.(jpe?g|png|webp)$/i;

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : IMAGE.test(n) ? [p] : [];
    });
}

if (!existsSync(dataDir)) {
  process.stderr.write(`bench: no such folder ${dataDir} (pass --data DIR)\n`);
  process.exit(2);
}
const images = await Promise.all(walk(dataDir).map((p) => readFile(p)));
const config = loadConfig();
const stages: Stage[] = ['decode', 'detect', 'landmarks', 'animal', 'embed', 'liveness'];
const options = { faceSelection: 'dominant', qualityGates: false, liveness: values.liveness ?? true } as const;

async function measure(workers: number) {
  const engine = await createOnnxFaceEngine({ modelsDir: config.modelsDir, workers, queue: images.length + 1 });
  try {
    // Warm-up: first runs of an ONNX session allocate and are not representative.
    await Promise.all(
      images.slice(0, workers * 4).map((img) => engine.analyseDetailed(img, options).catch(() => undefined)),
    );
    const rates: number[] = [];
    const perStage = new Map<Stage | 'total', number[]>();
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const results = await Promise.all(
        images.map((img) => engine.analyseDetailed(img, options).catch(() => undefined)),
      );
      rates.push(images.length / ((performance.now() - t0) / 1000));
      for (const res of results) {
        if (!res) continue;
        let total = 0;
        for (const s of stages) {
          const v = res.timings[s];
          if (v === undefined) continue;
          total += v;
          perStage.set(s, [...(perStage.get(s) ?? []), v]);
        }
        perStage.set('total', [...(perStage.get('total') ?? []), total]);
      }
    }
    return { workers: engine.workers, rate: median(rates), perStage };
  } finally {
    await engine.close();
  }
}

process.stdout.write(`engine bench: ${images.length} images from ${dataDir}, ${runs} runs each\n`);
for (const workers of [...new Set([1, config.engineWorkers])]) {
  const r = await measure(workers);
  const stageText = [...r.perStage.entries()].map(([s, v]) => `${s} ${median(v).toFixed(1)}`).join(', ');
  process.stdout.write(
    `${String(r.workers).padStart(2)} worker(s): ${r.rate.toFixed(1)} images/s; median ms: ${stageText}\n`,
  );
}
