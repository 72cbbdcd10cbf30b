// The hosted sign-in page (verifik-api.md §2.6): opens the camera at once, creates its own validation (or uses the
// one an integrator handed over in the URL fragment), guides the person, captures a short burst of still frames
// (passive liveness) or a burst that follows the server's challenge (active liveness), and redirects with the
// app-login token.
// The server renders the shell, branding and first words; this module only drives it.

import {
  ApiError,
  api,
  type Challenge,
  type CodeAddress,
  type CodeResult,
  type FlowType,
  osOf,
  type PublicFlow,
  redirectTarget,
} from './api.js';
import { CameraError, type CameraProblem, grabJpeg, grabPixels, openCamera, stopCamera } from './camera.js';
import { createCodeSteps } from './code-step.js';
import {
  assess,
  type CaptureRules,
  type CaptureSegment,
  type Checks,
  capturePlan,
  checkNames,
  defaultRules,
  limits,
  lumaOf,
  mean,
  motion,
  type PreviewResult,
  passivePlan,
  type Region,
  regionMean,
  regionSharpness,
  sharpest,
  stepKey,
} from './guidance.js';
import { isLanguage, type Language, type MessageKey, pickLanguage, t } from './i18n.js';

export interface Boot {
  projectId: string;
  projectName: string;
  flowType: FlowType;
  flow: PublicFlow;
  lang: Language;
  /** True when the language came from the `language` query parameter (then nothing overrides it). */
  langExplicit: boolean;
  /** What the server accepts of a face (src/domain/quality-limits.ts): the page captures by the same rules. */
  rules?: CaptureRules;
  /** Show the get-ready screen before the camera starts (the flow may skip it). */
  getReady?: boolean;
}

type State =
  | 'get-ready'
  | 'starting'
  | 'camera'
  | 'challenge'
  | 'processing'
  | 'success'
  | 'failure'
  | 'camera-error'
  | 'code'
  | 'authenticator'
  | 'magic';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = {
  main: byId<HTMLElement>('main'),
  title: byId<HTMLElement>('title'),
  lead: byId<HTMLElement>('lead'),
  video: byId<HTMLVideoElement>('video'),
  stage: byId<HTMLElement>('stage'),
  cue: byId<HTMLElement>('cue'),
  status: byId<HTMLElement>('status'),
  checks: byId<HTMLElement>('checks'),
  progress: byId<HTMLProgressElement>('progress'),
  result: byId<HTMLElement>('result'),
  resultTitle: byId<HTMLElement>('result-title'),
  resultText: byId<HTMLElement>('result-text'),
  resultDetail: byId<HTMLElement>('result-detail'),
  primary: byId<HTMLButtonElement>('primary'),
  lang: byId<HTMLButtonElement>('lang'),
  getReady: byId<HTMLElement>('get-ready'),
};

const boot = JSON.parse(byId('facegate-boot').textContent ?? '{}') as Boot;
const params = new URLSearchParams(location.search);
let lang: Language = boot.langExplicit
  ? boot.lang
  : pickLanguage(null, navigator.languages?.length ? navigator.languages : [navigator.language]);

// An integrator's own validation arrives as `#token=<session token>`: a fragment never reaches any server log.
// It is removed from the address bar and history at once.
const handedToken = new URLSearchParams(location.hash.slice(1)).get('token');
if (location.hash) history.replaceState(null, '', location.pathname + location.search);

// A magic link (`?type=magicLink&projectFlow=…&email=…&otp=…`): its one-time code leaves the address bar (and the
// history) at once, as the token does.
const magic = (() => {
  const otp = params.get('otp');
  if (params.get('type') !== 'magicLink' || !otp) return null;
  const email = params.get('email');
  const phone = params.get('phone');
  const countryCode = params.get('countryCode');
  const address: CodeAddress | null = email ? { email } : phone && countryCode ? { phone, countryCode } : null;
  for (const k of ['otp', 'email', 'phone', 'countryCode']) params.delete(k);
  history.replaceState(null, '', `${location.pathname}?${params.toString()}`);
  return address ? { otp, address, channel: email ? ('email' as const) : ('phone' as const) } : null;
})();
const plan = boot.flowType === 'login' ? boot.flow.plan : undefined;
/** The flow the code belongs to (a magic link names it). */
const codeFlow = params.get('projectFlow') ?? boot.flow._id;
/** A code that passed and opens the way to the face: the face validation hangs from its app login. */
let codeToken: string | null = null;
/** The last right code, sent again with the authenticator's code when the flow closes with it. */
let passedCode: { otp: string; address: CodeAddress } | null = null;
/** Which call the authenticator's code goes to. */
let authenticatorAfter: 'face' | 'code' = 'face';

const rules: CaptureRules = boot.rules ?? defaultRules;
const os = osOf(navigator.userAgent, navigator.maxTouchPoints || 0);

let state: State = 'starting';
let stream: MediaStream | null = null;
let session: { token: string; own: boolean; challenge: Challenge } | null = null;
let sessionOver = false;

/** What is on screen, by translation key, so a language switch can re-render it. */
const view: {
  status: { key: MessageKey; vars?: Record<string, string | number> } | null;
  cue: MessageKey | null;
  result: { title: MessageKey; text: MessageKey; detail?: { key: MessageKey; vars: Record<string, string | number> } };
  primary: MessageKey | null;
} = { status: null, cue: null, result: { title: 'generic', text: 'generic_text' }, primary: null };

let primaryAction: (() => void) | null = null;

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function render(): void {
  document.documentElement.lang = lang;
  // (NodeList.forEach: the project's lib has no DOM.Iterable.)
  document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((node) => {
    node.textContent = t(lang, node.dataset['i18n'] as MessageKey);
  });
  document.querySelectorAll<HTMLElement>('[data-i18n-label]').forEach((node) => {
    node.setAttribute('aria-label', t(lang, node.dataset['i18nLabel'] as MessageKey));
  });
  document.title = t(lang, boot.flowType === 'login' ? 'page_title_login' : 'page_title_onboarding', {
    project: boot.projectName,
  });
  el.lang.lang = lang === 'en' ? 'es' : 'en';
  el.lead.textContent = t(
    lang,
    session?.challenge.mode === 'active' && (state === 'camera' || state === 'challenge')
      ? 'challenge_intro'
      : boot.flowType === 'login'
        ? 'lead_login'
        : 'lead_onboarding',
  );
  const mode = boot.flow.loginSettings.livenessMode === 'active' ? 'active' : 'passive';
  el.getReady.querySelector('[data-get-ready="what"]')!.textContent = t(
    lang,
    `get_ready_${boot.flowType}_${mode}` as MessageKey,
  );
  el.getReady.querySelector('[data-get-ready="kept"]')!.textContent = t(lang, `get_ready_kept_${boot.flowType}`);
  el.status.textContent = view.status ? t(lang, view.status.key, view.status.vars) : '';
  el.cue.textContent = view.cue ? t(lang, view.cue) : '';
  el.resultTitle.textContent = t(lang, view.result.title);
  el.resultText.textContent = t(lang, view.result.text);
  el.resultDetail.textContent = view.result.detail ? t(lang, view.result.detail.key, view.result.detail.vars) : '';
  el.primary.textContent = view.primary ? t(lang, view.primary) : '';
  el.primary.hidden = view.primary === null;
  el.checks.querySelectorAll<HTMLElement>('li[data-check]').forEach((li) => {
    const sr = li.querySelector('.sr-only');
    if (sr) sr.textContent = `: ${t(lang, li.classList.contains('ok') ? 'check_done' : 'check_pending')}`;
  });
  steps.render();
}

function setState(next: State): void {
  state = next;
  el.main.dataset['state'] = next;
  const live = next === 'camera' || next === 'challenge';
  el.stage.hidden = !(live || next === 'processing' || next === 'starting');
  el.getReady.hidden = next !== 'get-ready';
  el.checks.hidden = next !== 'camera';
  if (next !== 'code' && next !== 'authenticator') steps.hide();
  el.result.hidden = !(next === 'success' || next === 'failure' || next === 'camera-error');
  el.progress.hidden = !(next === 'processing' || next === 'challenge' || next === 'starting' || next === 'magic');
  el.main.setAttribute('aria-busy', String(next === 'processing' || next === 'starting' || next === 'magic'));
  if (next !== 'challenge') view.cue = null;
  render();
}

function setStatus(key: MessageKey | null, vars?: Record<string, string | number>): void {
  view.status = key ? (vars ? { key, vars } : { key }) : null;
  el.status.textContent = key ? t(lang, key, vars) : '';
}

/** One button does what the state needs; while busy it stays focusable but inert, so focus is never lost. */
function setPrimary(key: MessageKey | null, action: (() => void) | null): void {
  view.primary = key;
  primaryAction = action;
  el.primary.setAttribute('aria-disabled', String(action === null));
  render();
}

function showResult(
  next: State,
  title: MessageKey,
  text: MessageKey,
  detail?: { key: MessageKey; vars: Record<string, string | number> },
): void {
  view.result = detail ? { title, text, detail } : { title, text };
  setState(next);
  el.resultTitle.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Session and camera

let creating: Promise<void> | null = null;

/** The session, created once however many callers wait for it (the get-ready screen starts it early). */
function ensureSession(): Promise<void> {
  creating ??= openSession().finally(() => {
    creating = null;
  });
  return creating;
}

async function openSession(): Promise<void> {
  if (session && !sessionOver) return;
  if (handedToken) {
    if (sessionOver) throw new ApiError(409, 'liveness_session_completed', 'liveness_session_completed', null);
    const challenge = await api.challenge(handedToken);
    session = { token: handedToken, own: false, challenge };
    if (!boot.langExplicit && challenge.language && isLanguage(challenge.language)) lang = challenge.language;
    return;
  }
  const created = codeToken
    ? await api.createAfterCode(codeToken, {
        project: boot.projectId,
        projectFlow: codeFlow,
        type: 'login',
        language: lang,
      })
    : await api.createValidation({
        project: boot.projectId,
        projectFlow: boot.flow._id,
        type: boot.flowType,
        language: lang,
      });
  session = { token: created.token, own: true, challenge: await api.challenge(created.token) };
  sessionOver = false;
}

el.video.addEventListener('playing', () => {
  if (!performance.getEntriesByName('facegate:camera-playing').length) performance.mark('facegate:camera-playing');
  el.main.dataset['camera'] = 'playing';
});

async function start(): Promise<void> {
  mark('start');
  setState('starting');
  el.progress.removeAttribute('value');
  setStatus('camera_starting');
  // On a retry the button keeps its place (and the keyboard focus), inert until the camera is back.
  setPrimary(view.primary, null);
  const camera = stream ? Promise.resolve(stream) : openCamera(el.video);
  const sess = ensureSession();
  // Both run at once; a camera problem is the one to report first, since it is what the person can fix.
  sess.catch(() => undefined);
  try {
    stream = await camera;
  } catch (err) {
    cameraProblem(err instanceof CameraError ? err.problem : 'busy');
    return;
  }
  try {
    await sess;
  } catch (err) {
    fail(err);
    return;
  }
  enterCamera();
}

function cameraProblem(problem: CameraProblem): void {
  setStatus(null);
  const retryable = problem !== 'insecure' && problem !== 'unsupported';
  setPrimary(retryable ? 'retry' : null, retryable ? () => void start() : null);
  showResult('camera-error', `cam_${problem}`, `cam_${problem}_text`);
  el.main.dataset['reason'] = `camera_${problem}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Guidance

let guidanceTimer: ReturnType<typeof setInterval> | undefined;
let previousLuma: Uint8Array | undefined;
let preview: { result: PreviewResult | null; at: number } | null = null;
let previewInFlight = false;
let previewOff = false;
let previewPausedUntil = 0;
let readyStreak = 0;
let shownHint: { key: MessageKey; at: number } | null = null;
/** The hint the last tick computed and for how many ticks in a row (a new hint must hold before it is shown). */
let pendingHint: { key: MessageKey; ticks: number } | null = null;
let previousChecks: Checks | undefined;
let faceRegion: Region | undefined;

const TICK_MS = 300;
/**
 * Long side of the preview frames. The server's pose estimate (5 landmarks) on a 320 px frame of the dev webcam clip
 * swung between 0° and 48° for a face that was frontal at full size; at 480 px it follows the face.
 */
const PREVIEW_SIDE = 480;
/** Ticks every check must hold before the capture starts (about a second). */
const READY_TICKS = 2;
/** Ticks a new hint must hold before it replaces the one on screen. */
const HINT_TICKS = 2;

function enterCamera(): void {
  mark('guidance');
  delete el.main.dataset['reason'];
  setState('camera');
  const active = session?.challenge.mode === 'active';
  setPrimary(
    active ? 'start_challenge' : 'take_photo',
    active ? () => void runChallenge() : () => void capture({ pressed: true }),
  );
  readyStreak = 0;
  previousLuma = undefined;
  preview = null;
  shownHint = null;
  pendingHint = null;
  previousChecks = undefined;
  setStatus(null);
  stopGuidance();
  guidanceTimer = setInterval(tick, TICK_MS);
}

function stopGuidance(): void {
  if (guidanceTimer !== undefined) clearInterval(guidanceTimer);
  guidanceTimer = undefined;
}

function requestPreview(capturing = false): void {
  if (previewOff || previewInFlight || !session || performance.now() < previewPausedUntil) return;
  if (!capturing && state !== 'camera') return;
  const image = grabJpeg(el.video, PREVIEW_SIDE, 0.8);
  if (!image) return;
  previewInFlight = true;
  api
    .preview(session.token, image)
    .then(
      (result) => {
        preview = { result, at: performance.now() };
      },
      (err: unknown) => {
        // Rate-limited or busy: wait a little. Unavailable: guide by light and steadiness only.
        if (err instanceof ApiError && (err.status === 429 || err.status === 503 || err.status === 0)) {
          previewPausedUntil = performance.now() + 1500;
        } else {
          previewOff = true;
        }
      },
    )
    .finally(() => {
      previewInFlight = false;
    });
}

function tick(): void {
  if (state !== 'camera' || el.video.readyState < 2) return;
  const pixels = grabPixels(el.video, 64);
  if (!pixels) return;
  const luma = lumaOf(pixels);
  const moved = motion(previousLuma, luma);
  previousLuma = luma;
  requestPreview();
  const fresh = preview && performance.now() - preview.at < 2000 ? preview.result : null;
  const face: PreviewResult | null = previewOff ? null : (fresh ?? { faces: 0, width: 1, height: 1 });
  const box = face?.box && face.faces === 1 ? face : null;
  const faceLuma = box?.box
    ? regionMean(luma, grabWidth(64), {
        left: box.box.left / box.width,
        top: box.box.top / box.height,
        right: box.box.right / box.width,
        bottom: box.box.bottom / box.height,
      })
    : undefined;
  const a = assess(
    {
      preview: face,
      luma: mean(luma),
      ...(faceLuma !== undefined ? { faceLuma } : {}),
      motion: moved,
      captureSide: Math.min(CAPTURE_SIDE, Math.max(el.video.videoWidth, el.video.videoHeight)),
    },
    rules,
    previousChecks,
  );
  previousChecks = a.checks;
  faceRegion = a.region ?? faceRegion;
  for (const name of checkNames) {
    el.checks.querySelector(`li[data-check="${name}"]`)?.classList.toggle('ok', a.checks[name]);
  }
  el.stage.classList.toggle('ready', a.ready);
  // The live region changes only when the advice does, and not more than about once a second, so a screen
  // reader is not flooded while the person moves.
  const now = performance.now();
  pendingHint = pendingHint?.key === a.hint ? { key: a.hint, ticks: pendingHint.ticks + 1 } : { key: a.hint, ticks: 1 };
  const settled = pendingHint.ticks >= HINT_TICKS || a.ready;
  if (!shownHint || (shownHint.key !== a.hint && settled && (now - shownHint.at > 1000 || a.ready))) {
    shownHint = { key: a.hint, at: now };
    setStatus(a.hint);
  }
  render();
  readyStreak = a.ready ? readyStreak + 1 : 0;
  if (readyStreak >= READY_TICKS) {
    readyStreak = 0;
    if (session?.challenge.mode === 'active') void runChallenge();
    else void capture();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Capture and validation

/** Width of a frame grabbed with `maxSide` (grabPixels scales the longer side down to it). */
const grabWidth = (maxSide: number) =>
  Math.round(el.video.videoWidth * Math.min(1, maxSide / Math.max(el.video.videoWidth, el.video.videoHeight, 1)));

/** Marks on the page's timeline (`facegate:<name>`, first of each kind), read by the e2e tests' time to success. */
const mark = (name: string) => {
  if (!performance.getEntriesByName(`facegate:${name}`).length) performance.mark(`facegate:${name}`);
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let capturing = false;

/** Long side of the passive frames (and of the face size the server measures on them). */
const CAPTURE_SIDE = 960;

/**
 * Passive liveness: the sharpest frames of a short window (see passivePlan), at the size the single photo had, so
 * the frame the server matches is as good as before. `image` repeats the first frame for a server that only reads
 * one photo.
 */
async function capture(options: { pressed?: boolean } = {}): Promise<void> {
  if (state !== 'camera' || !session || capturing || !el.video.videoWidth) return;
  capturing = true;
  stopGuidance();
  mark('capture');
  setPrimary('take_photo', null);
  setStatus('hint_steady');
  const plan = passivePlan();
  const candidates: { jpeg: string; score: number; still: boolean }[] = [];
  const region = faceRegion ?? { left: 0.3, top: 0.2, right: 0.7, bottom: 0.8 };
  let last: Uint8Array | undefined;
  const began = performance.now();
  let moved = false;
  try {
    // The window grows (up to maxCandidates) until enough frames were still: a head that moves during the capture
    // gives blurred or turned frames, which the server would refuse or score low.
    for (let i = 0; i < plan.maxCandidates; i++) {
      if (i >= plan.candidates && candidates.filter((c) => c.still).length >= plan.frames) break;
      if (i > 0) await sleep(plan.everyMs);
      // The server's detection keeps watching: a face that turns away or leaves during the window stops the capture
      // (back to the guidance) rather than sending frames the server would refuse or score low.
      requestPreview(true);
      // (Not when the person pressed Take photo: then they decide.)
      if (!options.pressed && preview && preview.at > began) {
        const check = assess(
          { preview: preview.result, luma: 128, motion: 0, captureSide: CAPTURE_SIDE },
          rules,
          previousChecks,
        );
        if (!(check.checks.face && check.checks.centred && check.checks.close)) {
          moved = true;
          break;
        }
      }
      const pixels = grabPixels(el.video, 64);
      const jpeg = grabJpeg(el.video, CAPTURE_SIDE, 0.92);
      if (!pixels || !jpeg) continue;
      const luma = lumaOf(pixels);
      const still = motion(last, luma) <= limits.maxMotion / 2 || last === undefined;
      last = luma;
      const sharpness = regionSharpness(luma, grabWidth(64), region);
      candidates.push({ jpeg, still, score: still ? sharpness : sharpness / 100 });
    }
  } finally {
    capturing = false;
  }
  if (moved) {
    enterCamera();
    return;
  }
  const frames = sharpest(
    candidates.map((c) => c.score),
    plan.frames,
  ).map((i) => candidates[i]!.jpeg);
  const image = frames[0];
  // No frame at all (the camera stopped meanwhile): back to the guidance, nothing is sent.
  if (!image) return enterCamera();
  // One frame is a photo, not a burst: the server takes it as `image`.
  await submit(frames.length > 1 ? { frames, image, os } : { image, os });
}

/**
 * Waits the segment's lead, then grabs its frames onto `frames`. A challenge's frames are counted per step, so there
 * a frame that could not be grabbed is replaced by the previous one (`fillGaps`); a passive burst just has one frame
 * fewer, as a copy would weigh twice in its median.
 */
async function grabFrames(
  segment: CaptureSegment,
  frames: string[],
  o: { maxSide: number; quality: number; fillGaps: boolean },
): Promise<void> {
  await sleep(segment.leadMs);
  for (let i = 0; i < segment.frames; i++) {
    if (i > 0) await sleep(segment.everyMs);
    const frame = grabJpeg(el.video, o.maxSide, o.quality) ?? (o.fillGaps ? frames[frames.length - 1] : undefined);
    if (frame) frames.push(frame);
    el.progress.value = frames.length;
  }
}

async function runChallenge(): Promise<void> {
  if (state !== 'camera' || !session) return;
  stopGuidance();
  setState('challenge');
  setPrimary('start_challenge', null);
  const plan: CaptureSegment[] = capturePlan(session.challenge.steps, session.challenge.framesPerStep);
  const total = plan.reduce((n, s) => n + s.frames, 0);
  const actions = plan.filter((s) => s.frames > 0).length;
  el.progress.max = total;
  el.progress.value = 0;
  const frames: string[] = [];
  let n = 0;
  for (const segment of plan) {
    if (segment.frames > 0) n++;
    view.cue = stepKey(segment.step);
    el.cue.dataset['step'] = segment.step;
    setStatus(stepKey(segment.step));
    el.progress.setAttribute('aria-valuetext', t(lang, 'step_progress', { n: Math.max(1, n), total: actions }));
    render();
    await grabFrames(segment, frames, { maxSide: 480, quality: 0.85, fillGaps: true });
  }
  delete el.cue.dataset['step'];
  await submit({ frames, ...(frames[0] ? { image: frames[0] } : {}), os });
}

async function submit(body: { image?: string; frames?: string[]; os: typeof os }): Promise<void> {
  if (!session) return;
  setState('processing');
  el.progress.removeAttribute('value');
  setStatus('sending');
  setPrimary(view.primary, null);
  mark('sent');
  try {
    const r = await api.validate(session.token, body);
    mark('answered');
    if (r.data.message === 'second_factor_required') {
      // The face passed; nothing is granted until the authenticator's code.
      stopCamera(stream, el.video);
      stream = null;
      enterAuthenticator('face');
      return;
    }
    succeed(r.data.token);
  } catch (err) {
    fail(err);
  }
}

function succeed(token: string): void {
  sessionOver = true;
  stopGuidance();
  stopCamera(stream, el.video);
  stream = null;
  const target = redirectTarget(boot.flow.redirectUrl, boot.flowType, token);
  setStatus(null);
  setPrimary(null, null);
  showResult(
    'success',
    boot.flowType === 'login' ? 'success_login' : 'success_onboarding',
    target ? 'redirecting' : 'close_page',
  );
  // A moment to see (and hear) the outcome before leaving.
  if (target) setTimeout(() => window.location.assign(target), 400);
}

const closedKeys = new Set<MessageKey>([
  'liveness_session_expired',
  'liveness_session_completed',
  'attempts_exhausted',
]);

function fail(err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError(0, 'internal', 'generic', null);
  if (state === 'code' || state === 'magic') {
    // A code that cannot go on (the link is spent, the service is off): the code step starts again.
    const link = state === 'magic';
    setStatus(null);
    setPrimary(plan?.code || link ? 'send_code' : null, plan?.code || link ? enterCode : null);
    showResult('failure', link ? 'magic_failed' : e.key, link ? 'magic_failed_text' : (`${e.key}_text` as MessageKey));
    el.main.dataset['reason'] = e.key;
    return;
  }
  stopGuidance();
  // The camera is off while the person reads the outcome; a retry opens it again.
  stopCamera(stream, el.video);
  stream = null;
  setStatus(null);
  // Two people in one burst is not a movement the person got wrong: say what was seen.
  const titleKey: MessageKey =
    e.key === 'challenge_failed' && e.detail === 'different_faces' ? 'different_faces' : e.key;
  // A failed liveness check says so in words: no score, which would only help someone tune a photo to pass.
  let textKey = `${titleKey}_text` as MessageKey;
  const over = closedKeys.has(e.key) || (e.key === 'person_already_set' && !session?.own);
  if (over) sessionOver = true;
  if (e.key === 'not_available' || e.key === 'duplicated_person' || e.key === 'authenticator_not_enrolled') {
    // Nothing to retry: the service is off, the face is already registered (the person should sign in), or there is
    // no authenticator to take a code from.
    setPrimary(null, null);
  } else if (over && !session?.own && handedToken) {
    // The integrator's validation cannot be replaced from here: their app must start a new one.
    textKey = 'handed_session_text';
    setPrimary(null, null);
  } else if (over) {
    setPrimary('start_over', () => void retry());
  } else {
    setPrimary('retry', () => void retry());
  }
  showResult('failure', titleKey, textKey);
  el.main.dataset['reason'] = e.key;
}

async function retry(): Promise<void> {
  if (sessionOver) {
    session = null;
    await start();
    return;
  }
  if (!stream) {
    await start();
    return;
  }
  enterCamera();
  el.primary.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring

el.primary.addEventListener('click', () => {
  if (el.primary.getAttribute('aria-disabled') === 'true') return;
  primaryAction?.();
});

el.lang.addEventListener('click', () => {
  lang = lang === 'en' ? 'es' : 'en';
  params.set('language', lang);
  history.replaceState(null, '', `${location.pathname}?${params.toString()}`);
  render();
  if (view.status) setStatus(view.status.key, view.status.vars);
});

window.addEventListener('pagehide', () => {
  stopGuidance();
  stopCamera(stream, el.video);
  stream = null;
});

// ---------------------------------------------------------------------------------------------------------------
// Code and authenticator steps (#16)

const steps = createCodeSteps({
  lang: () => lang,
  projectId: boot.projectId,
  flowId: codeFlow,
  projectName: boot.projectName,
  phoneGateway: plan?.phoneGateway ?? 'sms',
  resendSeconds: plan?.resendSeconds ?? 60,
  setStatus,
  codeChecked,
  submitAuthenticator,
  failed: fail,
});

function enterCode(): void {
  delete el.main.dataset['reason'];
  setPrimary(null, null);
  setStatus(null);
  setState('code');
  steps.showCode();
}

function enterAuthenticator(after: 'face' | 'code'): void {
  authenticatorAfter = after;
  delete el.main.dataset['reason'];
  setPrimary(null, null);
  setStatus(after === 'face' ? 'face_done' : null);
  setState('authenticator');
  steps.showAuthenticator();
}

function codeChecked(result: CodeResult, otp: string, address?: CodeAddress): void {
  if (result.message === 'second_factor_required') {
    passedCode = { otp, address: address ?? lastAddress() };
    enterAuthenticator('code');
    return;
  }
  if (!result.token) {
    fail(new ApiError(0, 'internal', 'generic', null));
    return;
  }
  if (result.nextStep === 'liveness') {
    codeToken = result.token;
    setStatus('code_done');
    if (boot.getReady === false) {
      void start();
      el.main.focus();
    } else {
      getReady();
      el.primary.focus();
    }
    return;
  }
  succeed(result.token);
}

/** The address the code step sent its code to (read back from its fields). */
function lastAddress(): CodeAddress {
  const v = (id: string) => (document.getElementById(id) as HTMLInputElement | null)?.value.trim() ?? '';
  return steps.channel === 'email' ? { email: v('email') } : { phone: v('phone'), countryCode: v('country') };
}

async function submitAuthenticator(code: string): Promise<void> {
  if (authenticatorAfter === 'face') {
    if (!session) throw new ApiError(0, 'internal', 'generic', null);
    const r = await api.validate(session.token, { authenticatorOTP: code });
    if (r.data.message !== 'second_factor_required') succeed(r.data.token);
    return;
  }
  if (!passedCode) throw new ApiError(0, 'internal', 'generic', null);
  const r = await api.checkCode(magic?.channel ?? steps.channel, {
    ...passedCode.address,
    otp: passedCode.otp,
    project: boot.projectId,
    projectFlow: codeFlow,
    type: 'login',
    authenticatorOTP: code,
  });
  if (r.token) succeed(r.token);
}

async function openMagicLink(link: NonNullable<typeof magic>): Promise<void> {
  setState('magic');
  setStatus('magic_checking');
  if ('email' in link.address) steps.setAddress(link.address);
  try {
    const r = await api.checkCode(link.channel, {
      ...link.address,
      otp: link.otp,
      project: boot.projectId,
      projectFlow: codeFlow,
      type: 'login',
    });
    setStatus(null);
    codeChecked(r, link.otp, link.address);
  } catch (err) {
    fail(err);
  }
}

/** The get-ready screen: what will happen and what is kept, then the camera on the person's word. */
function getReady(): void {
  setState('get-ready');
  if (!codeToken) setStatus(null);
  setPrimary('get_ready_start', () => void start());
  // The validation is created meanwhile, so the camera is all that is left to wait for after the click.
  if (!handedToken) void ensureSession().catch(() => undefined);
}

render();
if (magic) void openMagicLink(magic);
else if (plan?.code && !handedToken) enterCode();
else if (boot.getReady === false) void start();
else getReady();
