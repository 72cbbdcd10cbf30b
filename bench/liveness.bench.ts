// npm run bench:liveness -- [--attempts 12] [--workers 2] [--seed 1] [--json]
//
// Presentation-attack figures of both liveness modes (issue #10), against the real app (real engine, SQLite,
// through inject) at default flow settings: for each mode and attack kind, `attempts` anonymous attempts (a fresh
// validation, its challenge, frames built for it, sent ~8 s later on an injected clock). Reports attempts,
// accepted (APCER = accepted / attempts), the genuine pass rate (1 - BPCER) of the live recording, and the
// validate time per attempt (engine work: inject has no network). Needs the dev set (../shared/eval-data/dev).

import { parseArgs } from 'node:util';
import type { ChallengeStep } from '../src/domain/active-challenge.js';
import { startTestApp, type TestApp } from '../test/helpers/app.js';
import { evalDataSkip } from '../test/helpers/eval-data.js';
import {
  attackIdentity,
  type DetectLandmarks,
  fromDetect,
  identityPhoto,
  paintedEyes,
  pastedEyes,
  photoFrame,
  seededRandom,
  stepComposite,
  stillVideo,
  tiltedPrint,
  turnedPair,
} from '../test/helpers/liveness-attacks.js';
import {
  CLIP_FPS,
  captureTimes,
  clipAtCadence,
  genuineFrames,
  liveClipPath,
  liveEnrolmentFrames,
  passiveTimes,
  readClip,
  replayClipPath,
} from '../test/helpers/liveness-clips.js';
import { sqliteKind } from '../test/helpers/stores.js';

const { values: args } = parseArgs({
  options: {
    attempts: { type: 'string', default: '12' },
    workers: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(args.attempts);
const skip = evalDataSkip();
if (skip) throw new Error(`bench:liveness needs the dev set: ${skip}`);

type Mode = 'passive' | 'active';
type Payload = { image: Buffer } | { frames: Buffer[] };
interface Kind {
  mode: Mode;
  name: string;
  genuine?: boolean;
  build(steps: ChallengeStep[], random: () => number): Promise<Payload>;
}

let now = Date.now();
const t: TestApp = await startTestApp(sqliteKind, {
  clock: { now: () => new Date(now) },
  env: { FACEGATE_ENGINE_WORKERS: args.workers, FACEGATE_RATE_LIMIT_PER_MINUTE: '1000000' },
  overrides: { backgroundJobs: false },
});
const b64 = (frames: Buffer[]) => frames.map((f) => f.toString('base64'));
const acme = await t.newClient('acme');
const attacker = await t.newClient('attacker');
const project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Shop' } })).json().data
  ._id;
const flows: Record<Mode, string> = { passive: '', active: '' };
for (const mode of ['passive', 'active'] as const) {
  flows[mode] = (
    await t.request('POST', '/v2/project-flows', {
      token: acme.token,
      body: { project, type: 'login', redirectUrl: 'https://shop.test/done', loginSettings: { livenessMode: mode } },
    })
  ).json().data._id;
}
const collection = (
  await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token: acme.token })
).json().data[0].code;
const enrol = async (name: string, images: Buffer[]) => {
  const res = await t.request('POST', '/v2/face-recognition/persons', {
    token: acme.token,
    body: { name, images: b64(images), collections: [collection] },
  });
  if (res.statusCode !== 200) throw new Error(`enrolment of ${name}: ${res.body}`);
  return res.json().data._id as string;
};
const live = readClip(liveClipPath());
const replay = readClip(replayClipPath());
await enrol(attackIdentity.name, attackIdentity.enrol.map(identityPhoto));
const liveSubject = await enrol('Live subject', await liveEnrolmentFrames(live));

const landmarksOf = async (frame: Buffer) =>
  fromDetect(
    (
      await t.request('POST', '/v2/face-recognition/detect', {
        token: attacker.token,
        body: { image: frame.toString('base64') },
      })
    ).json().data[0].landmarks as DetectLandmarks,
  );
const photo = identityPhoto(attackIdentity.frontal);
const frontal = await photoFrame(photo);
const turned = await turnedPair(await photoFrame(identityPhoto(attackIdentity.turned)), attackIdentity.turnedYawSign);
const lm = await landmarksOf(frontal);
const painted = { frontal, ...turned, blink: await paintedEyes(frontal, lm) };
const pasted = { frontal, ...turned, blink: await pastedEyes(frontal, lm) };
const tilted = {
  frontal,
  turn_left: await tiltedPrint(frontal, 'left', 45),
  turn_right: await tiltedPrint(frontal, 'right', 45),
  blink: pasted.blink,
};
const frames = (p: Promise<Buffer[]>) => p.then((f) => ({ frames: f }));
/** Frontal, open-eyed stretches of the live recording (frames 0-20 and 135-170) for passive bursts. */
const liveFrontalStart = (r: () => number) => (r() < 0.5 ? Math.floor(r() * 20) : 135 + Math.floor(r() * 35));

const kinds: Kind[] = [
  {
    mode: 'passive',
    name: 'downloaded photo (image)',
    build: async (_, r) => ({ image: await photoFrame(photo, { random: r }) }),
  },
  {
    mode: 'passive',
    name: 'downloaded photo (page burst)',
    build: (_, r) => frames(stillVideo(photo, passiveTimes.length, r)),
  },
  {
    mode: 'passive',
    name: 'replay clip (page burst)',
    build: (_, r) => frames(clipAtCadence(replay, passiveTimes, r() * 7000)),
  },
  {
    mode: 'passive',
    name: 'replay clip (image)',
    build: async (_, r) => ({ image: (await clipAtCadence(replay, [0], r() * 7500))[0] as Buffer }),
  },
  {
    mode: 'passive',
    name: 'genuine: live recording (page burst)',
    genuine: true,
    build: (_, r) => frames(clipAtCadence(live, passiveTimes, (liveFrontalStart(r) * 1000) / CLIP_FPS)),
  },
  { mode: 'active', name: 'downloaded photo as video', build: (_, r) => frames(stillVideo(photo, 15, r)) },
  { mode: 'active', name: 'turned + mirror + painted eyes', build: (s, r) => frames(stepComposite(s, painted, r)) },
  { mode: 'active', name: 'turned + mirror + pasted eyes', build: (s, r) => frames(stepComposite(s, pasted, r)) },
  { mode: 'active', name: 'tilted print + pasted eyes', build: (s, r) => frames(stepComposite(s, tilted, r)) },
  {
    mode: 'active',
    name: 'replay clip at page cadence',
    build: (s, r) => frames(clipAtCadence(replay, captureTimes(s), r() * 1500)),
  },
  {
    mode: 'active',
    name: 'genuine: spliced live recording',
    genuine: true,
    build: (s, r) => frames(genuineFrames(live, s, r)),
  },
];

interface Row {
  mode: Mode;
  kind: string;
  genuine: boolean;
  attempts: number;
  accepted: number;
  /** APCER for attacks, 1 - BPCER for the genuine kind. */
  rate: number;
  msPerAttemptMedian: number;
  refusals: Record<string, number>;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2 : 0;
};

const rows: Row[] = [];
let n = 0;
for (const [k, kind] of kinds.entries()) {
  const times: number[] = [];
  const refusals: Record<string, number> = {};
  let accepted = 0;
  for (let i = 0; i < N; i++) {
    const random = seededRandom(Number(args.seed) * 100_003 + k * 1009 + i);
    const created = (
      await t.request('POST', '/v2/biometric-validations', {
        body: { project, projectFlow: flows[kind.mode], identifier: `bench-${++n}`, type: 'login' },
      })
    ).json().data;
    const steps = (await t.request('GET', '/v2/biometric-validations/challenge', { token: created.token })).json().data
      .steps as ChallengeStep[];
    const payload = await kind.build(steps, random);
    now += 8000;
    const body =
      'image' in payload
        ? { image: payload.image.toString('base64'), os: 'DESKTOP' }
        : { frames: b64(payload.frames), os: 'DESKTOP' };
    const started = performance.now();
    const res = await t.request('POST', '/v2/biometric-validations/validate', { token: created.token, body });
    times.push(performance.now() - started);
    const data = res.statusCode === 200 ? res.json().data : undefined;
    const ok = Boolean(data?.appLogin) && (!kind.genuine || data.person === liveSubject);
    if (ok) accepted++;
    else {
      const code = res.statusCode === 200 ? 'other_person' : String(res.json().code);
      refusals[code] = (refusals[code] ?? 0) + 1;
    }
  }
  rows.push({
    mode: kind.mode,
    kind: kind.name,
    genuine: Boolean(kind.genuine),
    attempts: N,
    accepted,
    rate: accepted / N,
    msPerAttemptMedian: Math.round(median(times)),
    refusals,
  });
  if (!args.json) process.stderr.write('.');
}
await t.close();

if (args.json) {
  console.log(JSON.stringify({ attempts: N, workers: Number(args.workers), seed: Number(args.seed), rows }, null, 2));
} else {
  process.stderr.write('\n');
  const header = ['mode', 'attack kind', 'attempts', 'accepted', 'APCER / 1-BPCER', 'ms/attempt', 'refused as'];
  const lines = rows.map((r) => [
    r.mode,
    r.kind,
    String(r.attempts),
    String(r.accepted),
    `${(r.rate * 100).toFixed(0)} %${r.genuine ? ' pass' : ''}`,
    String(r.msPerAttemptMedian),
    Object.entries(r.refusals)
      .map(([c, x]) => `${c} ${x}`)
      .join(', '),
  ]);
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
}
