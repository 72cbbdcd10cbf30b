import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOnnxFaceEngine } from '../src/adapters/face-engine/onnx-face-engine.js';
import { loadConfig } from '../src/config.js';

// Dumps templates and quality of every identity photo of each folder given (as eval would analyse them), for the
// score-rule analysis: node dist/bench/score-conditions.bench.js OUT.json DIR [DIR ...]

const [out, ...dirs] = process.argv.slice(2);
const engine = await createOnnxFaceEngine({ modelsDir: loadConfig().modelsDir, workers: 2, queue: 100_000 });
const result: Record<string, unknown[]> = {};
for (const dir of dirs) {
  const idDir = join(dir, 'identity');
  const people = readdirSync(idDir)
    .filter((d) => statSync(join(idDir, d)).isDirectory())
    .sort();
  const items = people.flatMap((p) =>
    readdirSync(join(idDir, p))
      .sort()
      .map((f) => ({ label: p, path: join(idDir, p, f) })),
  );
  result[dir] = await Promise.all(
    items.map(async (it) => {
      try {
        const s = await engine.analyseDetailed(await readFile(it.path), {
          faceSelection: 'dominant',
          qualityGates: false,
        });
        return {
          label: it.label,
          file: it.path,
          q: s.face.quality,
          det: s.face.detectionScore,
          t: Array.from(s.template),
          n: s.templateNorm,
        };
      } catch (err) {
        return { label: it.label, file: it.path, error: String(err) };
      }
    }),
  );
  process.stderr.write(`${dir}: ${items.length}\n`);
}
await engine.close();
await writeFile(out!, JSON.stringify(result));
void existsSync;
