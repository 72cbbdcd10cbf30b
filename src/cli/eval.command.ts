import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import cliProgress from 'cli-progress';
import sharp from 'sharp';
import { DEFAULT_LIVENESS_THRESHOLD } from '../adapters/face-engine/liveness-calibration.js';
import type { OnnxFaceEngine } from '../adapters/face-engine/onnx-face-engine.js';
import { createOnnxFaceEngine } from '../adapters/face-engine/onnx-face-engine.js';
import type { Analysed } from '../adapters/face-engine/pipeline.js';
import { qualityFailure } from '../adapters/face-engine/quality.js';
import { loadConfig } from '../config.js';
import {
  allPairs,
  detCurve,
  equalErrorRate,
  type LabelledTemplate,
  median,
  padReport,
  rank1,
  tarAtFar,
} from '../domain/biometric-metrics.js';
import { isAppError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import { evalPlotSvg } from './eval-plot.js';

// `facegate eval --data DIR`: measures the engine on a labelled folder laid out as
//   identity/<person>/*   all-vs-all verification + leave-one-out rank-1
//   spoof/real, spoof/fake   passive liveness (APCER/BPCER at the default threshold, the service's pass rule);
//                            spoof/fake/<kind>/ (print, replay, mask, …) gives APCER per attack kind, files directly
//                            in spoof/fake are kind "unspecified"; both sides are read recursively
//   noface/, multiface/   must be rejected with no_face_detected / multiple_faces.
// Identity photos are analysed as bulk enrolment would (the most prominent face, quality gates reported but not
// applied), so the recogniser is measured on every photo; how many the interactive gates would refuse is reported.

const IMAGE = /\.(jpe?g|png|webp|avif|gif|tiff?|bmp)$/i;

const listImages = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => IMAGE.test(f))
        .sort()
        .map((f) => join(dir, f))
    : [];

const subdirs = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((d) => statSync(join(dir, d)).isDirectory())
        .sort()
    : [];

/** Every image under dir, at any depth: the files directly in it first, then each subfolder by name. */
const listImagesDeep = (dir: string): string[] => [
  ...listImages(dir),
  ...subdirs(dir).flatMap((d) => listImagesDeep(join(dir, d))),
];

/** The attack kind of a file directly in spoof/fake, which names no presentation attack instrument. */
const UNSPECIFIED_ATTACK = 'unspecified';

interface Outcome {
  path: string;
  sample?: Analysed;
  errorKind?: string;
}

const engineMs = (s: Analysed) =>
  (s.timings.detect ?? 0) + (s.timings.landmarks ?? 0) + (s.timings.embed ?? 0) + (s.timings.liveness ?? 0);

export async function evalCommand(argv: string[]): Promise<number | undefined> {
  const { values } = parseCommandArgs(argv, {
    data: { type: 'string' },
    json: { type: 'boolean' },
    plot: { type: 'string' },
    workers: { type: 'string' },
    flip: { type: 'boolean' },
    'liveness-threshold': { type: 'string' },
  });
  if (!values.data) {
    process.stderr.write(
      'usage: facegate eval --data DIR [--json] [--plot FILE.svg|FILE.png] [--workers N] [--flip] [--liveness-threshold T]\n',
    );
    return 2;
  }
  const data = values.data;
  const identityDir = join(data, 'identity');
  const people = subdirs(identityDir);
  const identity = people.flatMap((p) => listImages(join(identityDir, p)).map((path) => ({ path, label: p })));
  const real = listImagesDeep(join(data, 'spoof', 'real'));
  const fakeDir = join(data, 'spoof', 'fake');
  const fakeLabelled = [
    ...listImages(fakeDir).map((path) => ({ path, kind: UNSPECIFIED_ATTACK })),
    ...subdirs(fakeDir).flatMap((kind) => listImagesDeep(join(fakeDir, kind)).map((path) => ({ path, kind }))),
  ];
  const fake = fakeLabelled.map((f) => f.path);
  const noface = listImages(join(data, 'noface'));
  const multiface = listImages(join(data, 'multiface'));
  const total = identity.length + real.length + fake.length + noface.length + multiface.length;
  if (total === 0) {
    process.stderr.write(`facegate eval: no images under ${data}\n`);
    return 2;
  }

  const config = loadConfig();
  const engine: OnnxFaceEngine = await createOnnxFaceEngine({
    modelsDir: config.modelsDir,
    workers: values.workers ? Number(values.workers) : config.engineWorkers,
    // The whole folder is submitted at once; the eval is its own only client.
    queue: total + 1,
    flip: values.flip ?? false,
  });
  const livenessThreshold = values['liveness-threshold']
    ? Number(values['liveness-threshold'])
    : DEFAULT_LIVENESS_THRESHOLD;

  const bar =
    process.stderr.isTTY && !values.json
      ? new cliProgress.SingleBar(
          { format: 'eval [{bar}] {value}/{total} images', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(total, 0);
  const run = async (path: string, options: Parameters<OnnxFaceEngine['analyseDetailed']>[1]): Promise<Outcome> => {
    try {
      const sample = await engine.analyseDetailed(await readFile(path), options);
      return { path, sample };
    } catch (err) {
      if (!isAppError(err)) throw err;
      return { path, errorKind: err.kind };
    } finally {
      bar?.increment();
    }
  };
  const bulk = { faceSelection: 'dominant', qualityGates: false, liveness: true } as const;
  const started = performance.now();
  let identityOut: Outcome[];
  let realOut: Outcome[];
  let fakeOut: Outcome[];
  let nofaceOut: Outcome[];
  let multiOut: Outcome[];
  try {
    [identityOut, realOut, fakeOut, nofaceOut, multiOut] = await Promise.all([
      Promise.all(identity.map((i) => run(i.path, bulk))),
      Promise.all(real.map((p) => run(p, bulk))),
      Promise.all(fake.map((p) => run(p, bulk))),
      Promise.all(noface.map((p) => run(p, {}))),
      Promise.all(multiface.map((p) => run(p, {}))),
    ]);
  } finally {
    bar?.stop();
    await engine.close();
  }
  const wallSeconds = (performance.now() - started) / 1000;

  const labelled: Array<LabelledTemplate & { path: string }> = [];
  identityOut.forEach((o, i) => {
    if (o.sample) labelled.push({ label: identity[i]!.label, template: o.sample.template, path: o.path });
  });
  const notDetected = identityOut.filter((o) => !o.sample).map((o) => relative(data, o.path));
  const { genuine, impostor } = allPairs(labelled, engine.similarity);
  const fars = [1e-2, 1e-3, 1e-4] as const;
  const tars = fars.map((f) => tarAtFar(genuine, impostor, f));
  const eer = equalErrorRate(genuine, impostor);
  const r1 = rank1(labelled, engine.similarity);
  const live = (o: Outcome) => o.sample?.liveness;
  const pad = padReport(
    realOut.map(live),
    fakeOut.map((o, i) => ({ kind: fakeLabelled[i]!.kind, score: live(o) })),
    livenessThreshold,
  );
  const samples = [...identityOut, ...realOut, ...fakeOut].flatMap((o) => (o.sample ? [o.sample] : []));
  const gated = identityOut.filter((o) => o.sample && qualityFailure(o.sample.face.quality));
  const stage = (k: keyof Analysed['timings']) => median(samples.map((s) => s.timings[k] ?? 0));

  const result = {
    data,
    images: identity.length,
    people: people.length,
    notDetected: notDetected.length,
    notDetectedImages: notDetected,
    genuinePairs: genuine.length,
    impostorPairs: impostor.length,
    tarAtFar: Object.fromEntries(tars.map((t) => [t.far.toExponential(0).replace('e-', 'e-'), t.tar])),
    thresholdAtFar: Object.fromEntries(tars.map((t) => [t.far.toExponential(0), t.threshold])),
    farMeasurable: Object.fromEntries(tars.map((t) => [t.far.toExponential(0), t.measurable])),
    eer: (eer.far + eer.frr) / 2,
    eerThreshold: eer.threshold,
    rank1: r1.total ? r1.correct / r1.total : Number.NaN,
    rank1Correct: r1.correct,
    rank1Total: r1.total,
    rank1Misses: r1.misses.map(
      (m) => `${relative(data, labelled[m.probe]!.path)} -> ${relative(data, labelled[m.found]?.path ?? '?')}`,
    ),
    livenessThreshold,
    /** The worst attack kind's APCER (ISO/IEC 30107-3); `pad.apcerPooled` pools every kind. */
    apcer: pad.apcer,
    bpcer: pad.bpcer,
    pad: {
      rule: `liveness score > ${livenessThreshold}`,
      ...pad,
      kinds: Object.fromEntries(pad.kinds.map(({ kind, ...k }) => [kind, k])),
    },
    spoof: {
      real: real.length,
      fake: fake.length,
      realScores: realOut.map(live),
      fakeScores: fakeOut.map(live),
      fakeKinds: fakeLabelled.map((f) => f.kind),
    },
    noface: {
      correct: nofaceOut.filter((o) => o.errorKind === 'noFace').length,
      total: noface.length,
      outcomes: outcomeList(data, nofaceOut),
    },
    multiface: {
      correct: multiOut.filter((o) => o.errorKind === 'multipleFaces').length,
      total: multiface.length,
      outcomes: outcomeList(data, multiOut),
    },
    qualityGateWouldReject: gated.map((o) => `${relative(data, o.path)}: ${qualityFailure(o.sample!.face.quality)}`),
    identityWithSeveralFaces: identityOut.filter((o) => (o.sample?.faceCount ?? 0) > 1).length,
    medianMs: median(samples.map(engineMs)),
    medianMsWithDecode: median(samples.map((s) => engineMs(s) + (s.timings.decode ?? 0))),
    stageMedianMs: {
      decode: stage('decode'),
      detect: stage('detect'),
      landmarks: stage('landmarks'),
      embed: stage('embed'),
      liveness: stage('liveness'),
    },
    workers: engine.workers,
    imagesPerSecond: total / wallSeconds,
    modelId: engine.modelId,
  };

  if (values.plot) {
    const svg = evalPlotSvg(
      detCurve(genuine, impostor),
      genuine,
      impostor,
      `${basename(data)}: ${genuine.length} genuine / ${impostor.length} impostor pairs, EER ${(result.eer * 100).toFixed(2)} %`,
    );
    if (values.plot.toLowerCase().endsWith('.png')) await sharp(Buffer.from(svg)).png().toFile(values.plot);
    else await writeFile(values.plot, svg);
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return undefined;
  }
  const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(2)} %`);
  const lines = [
    `images            ${result.images} (${result.people} people), not detected ${result.notDetected}${notDetected.length ? ` (${notDetected.join(', ')})` : ''}`,
    `pairs             ${genuine.length} genuine, ${impostor.length} impostor`,
    ...tars.map(
      (t) =>
        `TAR @ FAR ${t.far.toExponential(0).padEnd(6)} ${pct(t.tar)} (cosine > ${t.threshold.toFixed(3)})${t.measurable ? '' : ' [too few impostor pairs]'}`,
    ),
    `EER               ${pct(result.eer)} (cosine ${eer.threshold.toFixed(3)})`,
    `rank-1            ${r1.correct}/${r1.total}${r1.misses.length ? `; misses: ${result.rank1Misses.join('; ')}` : ''}`,
    `PAD @ ${String(livenessThreshold).padEnd(11)} APCER ${pct(pad.apcer)} (worst kind${pad.worstKind ? `: ${pad.worstKind}` : ''}; pooled ${pct(pad.apcerPooled)}, ${pad.attacksAccepted}/${pad.attacks} attacks accepted), BPCER ${pct(pad.bpcer)} (${pad.bonaFideRejected}/${pad.bonaFide} bona fide rejected)`,
    ...pad.kinds.map(
      (k) => `${`  ${k.kind}`.padEnd(17)} APCER ${pct(k.apcer)} (${k.accepted}/${k.attacks} attacks accepted)`,
    ),
    `noface            ${result.noface.correct}/${result.noface.total} rejected as no_face_detected`,
    `multiface         ${result.multiface.correct}/${result.multiface.total} rejected as multiple_faces`,
    `quality gates     would refuse ${gated.length} identity photos; ${result.identityWithSeveralFaces} identity photos have background faces`,
    `time              median ${result.medianMs.toFixed(1)} ms/image engine, ${result.medianMsWithDecode.toFixed(1)} ms with decode; ${result.imagesPerSecond.toFixed(1)} images/s with ${engine.workers} worker(s)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return undefined;
}

function outcomeList(data: string, outcomes: Outcome[]): string[] {
  return outcomes.map(
    (o) => `${relative(data, o.path)}: ${o.errorKind ?? `accepted (${o.sample?.faceCount ?? 0} faces found)`}`,
  );
}
