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
  lowestAccepted,
  type MatchRates,
  matchRates,
  median,
  minScoreAtFar,
  padReport,
  pairsBySource,
  rank1,
  type SourcedTemplate,
  tarAtFar,
} from '../domain/biometric-metrics.js';
import { compareSimilarity } from '../domain/compare-similarity.js';
import { parseSourceTable, type SourceTable, sourceOfImage, UNLISTED_SOURCE } from '../domain/eval-sources.js';
import { flowLimits } from '../domain/project-flow.js';
import { matchPassed, roundScore } from '../domain/scores.js';
import { simulateSearch } from '../domain/search-simulation.js';
import { isAppError } from '../errors.js';
import { parseCommandArgs } from './args.js';
import { evalPlotSvg } from './eval-plot.js';

// `facegate eval --data DIR`: measures the engine on a labelled folder laid out as
//   identity/<person>/*   all-vs-all verification + leave-one-out rank-1
//   <source>/identity/<person>/*   the same, photos grouped by source (a data set, a camera); or a sources.tsv
//                         (path → source) beside identity/. With several sources, each gets its own rates over the
//                         pairs within it; a person's photos in several sources are one identity
//   spoof/real, spoof/fake   passive liveness (APCER/BPCER at the default threshold, the service's pass rule);
//                            spoof/fake/<kind>/ (print, replay, mask, …) gives APCER per attack kind, files directly
//                            in spoof/fake are kind "unspecified"; both sides are read recursively
//   noface/, multiface/   must be rejected with no_face_detected / multiple_faces.
// Identity photos are analysed as bulk enrolment would (the most prominent face, quality gates reported but not
// applied), so the recogniser is measured on every photo; how many the interactive gates would refuse is reported.
// Thresholds are reported twice: as raw cosine, and as the API's score (the engine's calibration, the function the
// services call, rounded as they report it), under the API's match rule, so `searchMinScore` can be read off.

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

/** API scores marked on the histogram's cosine axis. */
const PLOT_SCORE_TICKS = [0.05, 0.4, 0.6, 0.8, 0.9, 0.95, 0.98];

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
  // The folder itself, then each `<source>/` that has an identity/ of its own; every category is read from each.
  const roots = [data, ...subdirs(data).flatMap((d) => (existsSync(join(data, d, 'identity')) ? [join(data, d)] : []))];
  const sourcesTsv = join(data, 'sources.tsv');
  const sourceTable: SourceTable | undefined = existsSync(sourcesTsv)
    ? parseSourceTable(await readFile(sourcesTsv, 'utf8'))
    : undefined;
  const identity = roots.flatMap((root) =>
    subdirs(join(root, 'identity')).flatMap((p) =>
      listImages(join(root, 'identity', p)).map((path) => ({
        path,
        label: p,
        source: sourceOfImage(relative(data, path), sourceTable),
      })),
    ),
  );
  const people = [...new Set(identity.map((i) => i.label))];
  const real = roots.flatMap((root) => listImagesDeep(join(root, 'spoof', 'real')));
  const fakeLabelled = roots.flatMap((root) => {
    const fakeDir = join(root, 'spoof', 'fake');
    return [
      ...listImages(fakeDir).map((path) => ({ path, kind: UNSPECIFIED_ATTACK })),
      ...subdirs(fakeDir).flatMap((kind) => listImagesDeep(join(fakeDir, kind)).map((path) => ({ path, kind }))),
    ];
  });
  const fake = fakeLabelled.map((f) => f.path);
  const noface = roots.flatMap((root) => listImages(join(root, 'noface')));
  const multiface = roots.flatMap((root) => listImages(join(root, 'multiface')));
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

  // With some photos placed by source and others not, the rest form a source of their own.
  const anySource = identity.some((i) => i.source !== undefined);
  const labelled: Array<SourcedTemplate & { path: string }> = [];
  const normOf = new Map<Float32Array, number | undefined>();
  identityOut.forEach((o, i) => {
    if (!o.sample) return;
    const { label, source } = identity[i]!;
    labelled.push({ label, source: source ?? UNLISTED_SOURCE, template: o.sample.template, path: o.path });
    normOf.set(o.sample.template, o.sample.templateNorm);
  });
  const notDetected = identityOut.filter((o) => !o.sample).map((o) => relative(data, o.path));
  // The recogniser's own figures are over raw cosines; the API's over what /compare decides on (compare-similarity).
  const { genuine, impostor } = allPairs(labelled, engine.similarity);
  const compared = (a: Float32Array, b: Float32Array) =>
    compareSimilarity(engine.similarity(a, b), normOf.get(a), normOf.get(b));
  const rule = allPairs(labelled, compared);
  const fars = [1e-2, 1e-3, 1e-4] as const;
  const tars = fars.map((f) => tarAtFar(genuine, impostor, f));
  const eer = equalErrorRate(genuine, impostor);
  const r1 = rank1(labelled, engine.similarity);

  // The same pairs in the API's score: the engine's calibration (the function the services call), rounded as the
  // API reports it, accepted under its match rule; the cosine a score threshold stands for is found through it.
  const apiScore = (cosine: number) => roundScore(engine.score(cosine));
  const cosineFor = (minScore: number) => lowestAccepted((c) => matchPassed(apiScore(c), minScore), -1, 1);
  const { min: settableMin, max: settableMax } = flowLimits.searchMinScore;
  const settable = (minScore: number) => minScore >= settableMin && minScore <= settableMax;
  const defaultThresholds = {
    login: flowLimits.searchMinScore.loginDefault,
    onboarding: flowLimits.searchMinScore.onboardingDefault,
  } as const;
  const scoreReport = (g: readonly number[], im: readonly number[]) => {
    const gs = g.map(apiScore);
    const is = im.map(apiScore);
    const at = (minScore: number) => ({ ...matchRates(gs, is, minScore), cosine: cosineFor(minScore) });
    const e = equalErrorRate(g, im);
    return {
      operatingPoints: fars.map((far) => {
        const minScore = minScoreAtFar(is, far);
        const rates = minScore === null ? undefined : at(minScore);
        return {
          far,
          minScore,
          cosine: rates?.cosine ?? null,
          tar: rates?.tar ?? Number.NaN,
          measuredFar: rates?.far ?? Number.NaN,
          falseAccepts: rates?.falseAccepts ?? 0,
          measurable: is.length * far >= 1,
          settable: minScore !== null && settable(minScore),
        };
      }),
      eer: {
        eer: (e.far + e.frr) / 2,
        cosine: e.threshold,
        score: Number.isNaN(e.threshold) ? Number.NaN : apiScore(e.threshold),
      },
      defaultThresholds: { login: at(defaultThresholds.login), onboarding: at(defaultThresholds.onboarding) },
    };
  };
  const overall = scoreReport(rule.genuine, rule.impostor);
  // 1:N login at the default threshold, through the services' match rule (cohort, several templates): each person
  // enrolled with up to 3 photos, probed with the others, and every photo as a stranger to the rest (#11).
  const oneToN = simulateSearch(
    [
      identityOut.flatMap((o, i) =>
        o.sample
          ? [
              {
                label: identity[i]!.label,
                path: o.path,
                template: o.sample.template,
                refused: qualityFailure(o.sample.face.quality) !== undefined,
              },
            ]
          : [],
      ),
    ],
    { enrol: 3, accepts: (s) => matchPassed(apiScore(s), defaultThresholds.login) },
  );
  const sourceGroups = anySource ? pairsBySource(labelled, compared) : [];
  const bySource =
    sourceGroups.length > 1
      ? sourceGroups.map((s) => ({
          source: s.source,
          images: s.images,
          people: s.people,
          genuinePairs: s.genuine.length,
          impostorPairs: s.impostor.length,
          ...scoreReport(s.genuine, s.impostor),
        }))
      : [];
  const keyed = <T extends { far: number }>(points: readonly T[]) =>
    Object.fromEntries(points.map(({ far, ...p }) => [far.toExponential(0), p]));
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
    /** How the API decides a match; every `minScore` below is a `searchMinScore` (or compare `minScore`). */
    scoreRule: 'round(calibrated score, 4 decimals) >= minScore',
    searchMinScoreRange: { min: settableMin, max: settableMax },
    /** Per FAR: the lowest API threshold that keeps to it, the cosine it stands for, and the TAR there. */
    operatingPoints: keyed(overall.operatingPoints),
    eerScore: overall.eer.score,
    /** FAR and FRR at the flows' default `searchMinScore`: login and onboarding. */
    defaultThresholds: overall.defaultThresholds,
    /**
     * 1:N login at the login default, through the match rule the services run: each person enrolled with up to
     * `enrol` photos; genuine first try over the other photos; strangers = every photo with its own person taken out.
     */
    oneToN: { minScore: defaultThresholds.login, ...oneToN },
    /** Set when identity photos have sources (sources.tsv or a <source>/identity layout). */
    sourcesFrom: anySource ? (sourceTable ? 'sources.tsv' : 'layout') : null,
    /** With several sources: each one's rates over its own genuine and impostor pairs. */
    bySource: Object.fromEntries(
      bySource.map(({ source, operatingPoints, eer: e, ...s }) => [
        source,
        { ...s, eer: e.eer, eerThreshold: e.cosine, eerScore: e.score, operatingPoints: keyed(operatingPoints) },
      ]),
    ),
    rank1: r1.total ? r1.correct / r1.total : Number.NaN,
    rank1Correct: r1.correct,
    rank1Total: r1.total,
    rank1Misses: r1.misses.map(
      (m) => `${relative(data, labelled[m.probe]!.path)} -> ${relative(data, labelled[m.found]?.path ?? '?')}`,
    ),
    livenessThreshold,
    /** PAD's threshold is a flow's `livenessMinScore` (the calibrated liveness score, as the API reports it). */
    livenessMinScore: livenessThreshold,
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
    const marks = [
      ['login', overall.defaultThresholds.login],
      ['onboarding', overall.defaultThresholds.onboarding],
    ] as const;
    const svg = evalPlotSvg({
      title: `${basename(data)}: ${genuine.length} genuine / ${impostor.length} impostor pairs, EER ${(overall.eer.eer * 100).toFixed(2)} %; thresholds are API scores (searchMinScore)`,
      curve: detCurve(rule.genuine, rule.impostor),
      genuine: rule.genuine,
      impostor: rule.impostor,
      eer: equalErrorRate(rule.genuine, rule.impostor),
      thresholds: marks.map(([name, r]) => ({
        label: `${name} ${r.minScore}`,
        cosine: r.cosine,
        far: r.far,
        frr: r.frr,
      })),
      scoreTicks: PLOT_SCORE_TICKS.map((score) => ({ score, cosine: cosineFor(score) })),
    });
    if (values.plot.toLowerCase().endsWith('.png')) await sharp(Buffer.from(svg)).png().toFile(values.plot);
    else await writeFile(values.plot, svg);
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return undefined;
  }
  const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(2)} %`);
  /** Small rates as powers of ten, where the false-accept figures live. */
  const rate = (x: number) => (Number.isNaN(x) ? 'n/a' : x === 0 ? '0' : x < 0.01 ? x.toExponential(1) : pct(x));
  const score4 = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(4));
  const atDefault = (name: string, r: MatchRates & { cosine: number }) =>
    `${`${name} ${r.minScore}`.padEnd(17)} TAR ${pct(r.tar)}, FAR ${rate(r.far)} (${r.falseAccepts}/${r.impostor}), FRR ${pct(r.frr)} (${r.falseRejects}/${r.genuine}); cosine >= ${r.cosine.toFixed(3)}`;
  const { login: l, onboarding: o } = defaultThresholds;
  const farCell = (r: MatchRates) => `${rate(r.far)} (${r.falseAccepts}/${r.impostor})`;
  const sourceRows = bySource.length
    ? [
        `by source         pairs within one source (${result.sourcesFrom}); TAR and FAR at the default thresholds`,
        ...columns([
          [
            '  source',
            'images',
            'people',
            'genuine',
            'impostor',
            'EER',
            `TAR @ ${l}`,
            `FAR @ ${l}`,
            `TAR @ ${o}`,
            `FAR @ ${o}`,
          ],
          ...bySource.map((s) => [
            `  ${s.source}`,
            String(s.images),
            String(s.people),
            String(s.genuinePairs),
            String(s.impostorPairs),
            pct(s.eer.eer),
            pct(s.defaultThresholds.login.tar),
            farCell(s.defaultThresholds.login),
            pct(s.defaultThresholds.onboarding.tar),
            farCell(s.defaultThresholds.onboarding),
          ]),
        ]),
      ]
    : [];
  const lines = [
    `images            ${result.images} (${result.people} people), not detected ${result.notDetected}${notDetected.length ? ` (${notDetected.join(', ')})` : ''}`,
    `pairs             ${genuine.length} genuine, ${impostor.length} impostor`,
    `scores            API score = calibration of the compare similarity (the cosine, less the recogniser's doubt about dim or blurred faces), 4 decimals; a match is score >= searchMinScore (flows: ${settableMin}-${settableMax})`,
    ...overall.operatingPoints.map(
      (p) =>
        `TAR @ FAR ${p.far.toExponential(0).padEnd(7)} ${pct(p.tar)} at score >= ${p.minScore === null ? 'n/a' : score4(p.minScore)} (compare similarity >= ${p.cosine === null ? 'n/a' : p.cosine.toFixed(3)})${p.measurable ? '' : ' [too few impostor pairs]'}${p.settable ? '' : ` [outside searchMinScore ${settableMin}-${settableMax}]`}`,
    ),
    `recogniser        raw cosine, before the compare rule: TAR @ FAR ${tars.map((t) => `${t.far.toExponential(0)} ${pct(t.tar)} (cosine > ${t.threshold.toFixed(3)})`).join(', ')}`,
    `EER               ${pct(overall.eer.eer)} (score ${score4(overall.eer.score)}, compare similarity ${overall.eer.cosine.toFixed(3)})`,
    atDefault('login', overall.defaultThresholds.login),
    atDefault('onboarding', overall.defaultThresholds.onboarding),
    ...sourceRows,
    `1:N login ${defaultThresholds.login}    the match rule, up to ${oneToN.enrol} photos enrolled per person: genuine first try ${pct(oneToN.genuineFirstTry)} (${oneToN.genuineAccepted}/${oneToN.genuineProbes}), strangers logged in ${oneToN.strangersLoggedIn}/${oneToN.strangers}, FAR ${rate(oneToN.far)} (${oneToN.falseAccepts}/${oneToN.impostorPairs} probe×person pairs)`,
    `rank-1            ${r1.correct}/${r1.total}${r1.misses.length ? `; misses: ${result.rank1Misses.join('; ')}` : ''}`,
    `PAD @ livenessMinScore ${livenessThreshold}: APCER ${pct(pad.apcer)} (worst kind${pad.worstKind ? `: ${pad.worstKind}` : ''}; pooled ${pct(pad.apcerPooled)}, ${pad.attacksAccepted}/${pad.attacks} attacks accepted), BPCER ${pct(pad.bpcer)} (${pad.bonaFideRejected}/${pad.bonaFide} bona fide rejected)`,
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

/** A text table: the first column left-aligned, the others right-aligned, two spaces between. */
function columns(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
