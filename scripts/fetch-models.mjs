#!/usr/bin/env node
// Fetches the models into models/ (run by `npm install` through the `prepare` script).
//
// Sources (npm tarballs, MIT):
// - faceplugin-face-recognition-js@0.0.1 ("Copyright (c) 2021 gitguanqi"; repository
//   github.com/Faceplugin-ltd/FaceRecognition-LivenessDetection-Javascript): the face models;
// - @vladmandic/human@3.3.6 ("Copyright (c) Vladimir Mandic"; repository github.com/vladmandic/human): its COCO object
//   detector (CenterNet-MobileNetV3, TF.js graph model), used to refuse animal faces.
// Only the tarballs are fetched (`npm pack`), never installed: installing them pulls hundreds of browser build
// packages. Only the model files the engine uses are kept, each checked against the sha256 pinned below, and a NOTICE
// is written beside them. A second run with valid files does no network work at all.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Kept in step with src/adapters/face-engine/model-files.ts, which verifies the same sums at engine start-up.
const SOURCES = [
  {
    package: 'faceplugin-face-recognition-js@0.0.1',
    folder: 'package/model',
    models: {
      'fr_detect.onnx': '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
      'fr_landmark.onnx': 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
      'fr_feature.onnx': '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
      'fr_liveness.onnx': 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d',
      // Head pose and eye state, for the active liveness challenge.
      'fr_pose.onnx': '72d032ec941b7153bf8d3f2c03a4c165453cc7e63d479041ec7c6ef087e5839d',
      'fr_eye.onnx': '1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de',
    },
  },
  {
    package: '@vladmandic/human@3.3.6',
    folder: 'package/models',
    models: {
      'centernet.json': 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
      'centernet.bin': '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
    },
  },
];

const NOTICE = `The ONNX model files in this folder (fr_*.onnx) come from the npm package
faceplugin-face-recognition-js@0.0.1 (https://www.npmjs.com/package/faceplugin-face-recognition-js,
repository https://github.com/Faceplugin-ltd/FaceRecognition-LivenessDetection-Javascript),
published under the MIT licence, Copyright (c) 2021 gitguanqi.
The package has no model card or training-data statement; review provenance before production use.

centernet.json and centernet.bin (a COCO object detector, CenterNet with a MobileNetV3 backbone, from
https://github.com/610265158/mobilenetv3_centernet, converted to TF.js by Vladimir Mandic) come from the npm package
@vladmandic/human@3.3.6 (https://www.npmjs.com/package/@vladmandic/human, repository https://github.com/vladmandic/human),
published under the MIT licence, Copyright (c) Vladimir Mandic. Trained on COCO 2017 (object classes including person
and ten animal classes); used here only to refuse animal faces.

Fetched and verified by scripts/fetch-models.mjs (pinned sha256 sums).
`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = resolve(root, process.env.FACEGATE_MODELS_DIR ?? 'models');

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const isValid = (path, sum) => existsSync(path) && sha256(path) === sum;
const invalid = (models) => Object.entries(models).filter(([name, sum]) => !isValid(join(modelsDir, name), sum));

function fail(message) {
  process.stderr.write(`fetch-models: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) {
    const detail = (r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ');
    fail(`${what} failed (${cmd} ${args[0]}${detail ? `: ${detail}` : ''})`);
  }
  return r.stdout;
}

function fetchFrom(source, missing) {
  process.stderr.write(`fetch-models: fetching ${missing.map(([n]) => n).join(', ')} from ${source.package}\n`);
  const tmp = mkdtempSync(join(tmpdir(), 'facegate-models-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const names = missing.map(([n]) => `models/${n}`).join(', ');
    run(
      npm,
      ['pack', source.package, '--pack-destination', tmp, '--silent', '--ignore-scripts'],
      tmp,
      `${names} missing or corrupt; downloading ${source.package} from the npm registry`,
    );
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) fail(`npm pack ${source.package} produced no tarball`);
    const members = missing.map(([name]) => `${source.folder}/${name}`);
    run('tar', ['-xzf', tarball, ...members], tmp, `extracting ${tarball}`);
    mkdirSync(modelsDir, { recursive: true });
    for (const [name, sum] of missing) {
      const from = join(tmp, source.folder, name);
      if (!isValid(from, sum))
        fail(`model file ${name} from ${source.package} does not match its pinned sha256 ${sum}`);
      copyFileSync(from, join(modelsDir, name));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const noticeFile = join(modelsDir, 'NOTICE');
let fetched = 0;
for (const source of SOURCES) {
  const missing = invalid(source.models);
  if (missing.length === 0) continue;
  fetchFrom(source, missing);
  fetched++;
}
if (fetched > 0 || !existsSync(noticeFile) || readFileSync(noticeFile, 'utf8') !== NOTICE) {
  mkdirSync(modelsDir, { recursive: true });
  writeFileSync(noticeFile, NOTICE);
}
if (fetched === 0) process.exit(0);

const all = SOURCES.flatMap((s) => invalid(s.models));
if (all.length > 0) fail(`model file models/${all[0][0]} is missing or corrupt after fetching`);
const count = SOURCES.reduce((n, s) => n + Object.keys(s.models).length, 0);
process.stderr.write(`fetch-models: ${count} model files verified in ${modelsDir}\n`);
