import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../adapters/face-engine/raw-image.js';
import { loadConfig } from '../config.js';
import { parseCommandArgs } from './args.js';
import { conditions, degrade, type Rect, seededRng, seedFor } from './degrade.js';

// `facegate degrade --data DIR --out DIR [--condition NAME ...] [--seed N]`: writes DIR/<condition>/identity/
// <person>/*.jpg, a copy of the eval folder's identity photos as a deployment's camera would take them (see
// degrade.ts for the conditions). `facegate eval --data OUT/<condition>` then measures that condition. Conditions
// that shrink the face into a webcam frame find the face first with the engine's detector.

const USAGE =
  'usage: facegate degrade --data DIR --out DIR [--condition NAME ...] [--seed N]\n' +
  `conditions: ${Object.keys(conditions).join(', ')} (default: all)\n`;
const IMAGE = /\.(jpe?g|png|webp)$/i;

const subdirs = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((d) => statSync(join(dir, d)).isDirectory())
        .sort()
    : [];

export async function degradeCommand(argv: string[]): Promise<number | undefined> {
  const { values } = parseCommandArgs(argv, {
    data: { type: 'string' },
    out: { type: 'string' },
    condition: { type: 'string', multiple: true },
    seed: { type: 'string' },
  });
  if (!values.data || !values.out) {
    process.stderr.write(USAGE);
    return 2;
  }
  const names = values.condition?.length ? values.condition : Object.keys(conditions);
  const unknown = names.filter((n) => !conditions[n]);
  if (unknown.length > 0) {
    process.stderr.write(`facegate degrade: unknown condition ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`facegate degrade: --seed must be an integer\n${USAGE}`);
    return 2;
  }
  const identityDir = join(values.data, 'identity');
  const files = subdirs(identityDir).flatMap((person) =>
    readdirSync(join(identityDir, person))
      .filter((f) => IMAGE.test(f))
      .sort()
      .map((f) => ({ person, file: f })),
  );
  if (files.length === 0) {
    process.stderr.write(`facegate degrade: no photos under ${identityDir}\n`);
    return 2;
  }

  const needsFace = names.some((n) => conditions[n]!.some((s) => s.kind === 'webcamFrame'));
  // The detector only, and only when a condition places the face: the other conditions load no model.
  const engine = needsFace
    ? await (await import('../adapters/face-engine/onnx-face-engine.js')).createOnnxFaceEngine({
        modelsDir: loadConfig().modelsDir,
        workers: 1,
        queue: files.length + 1,
      })
    : undefined;
  let written = 0;
  let faceless = 0;
  try {
    for (const { person, file } of files) {
      const bytes = await readFile(join(identityDir, person, file));
      const { data, info } = await sharp(bytes)
        .rotate()
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const img: RgbImage = { width: info.width, height: info.height, data: new Uint8Array(data) };
      let face: Rect | undefined;
      if (engine) {
        const found = await engine.detect(bytes);
        const f = found.faces[0];
        if (f) {
          // The detector's box is in its decoded (possibly downscaled) image.
          const k = img.width / found.width;
          face = {
            left: f.box.left * k,
            top: f.box.top * k,
            width: (f.box.right - f.box.left) * k,
            height: (f.box.bottom - f.box.top) * k,
          };
        } else faceless++;
      }
      const stem = file.replace(/\.[^.]+$/, '');
      for (const name of names) {
        const rng = seededRng(seedFor(seed, `${name}/${person}/${file}`));
        const out = degrade(img, conditions[name]!, rng, face);
        const dir = join(values.out, name, 'identity', person);
        mkdirSync(dir, { recursive: true });
        await sharp(Buffer.from(out.image.data), {
          raw: { width: out.image.width, height: out.image.height, channels: 3 },
        })
          .jpeg({ quality: out.jpegQuality ?? 92, chromaSubsampling: '4:2:0' })
          .toFile(join(dir, `${stem}.jpg`));
        written++;
      }
    }
  } finally {
    await engine?.close();
  }
  process.stdout.write(
    `wrote ${written} photos: ${files.length} × ${names.length} conditions (${names.join(', ')}) under ${values.out}, seed ${seed}` +
      `${faceless ? `; ${faceless} photos had no face found and were framed by their centre` : ''}\n`,
  );
  return undefined;
}
