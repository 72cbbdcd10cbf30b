// Guidance before the capture: is there one face, centred, close enough, frontal, steady and in good light?
// Light and steadiness are measured in the browser on a tiny copy of the frame; the face checks use the server's
// cheap detection (`POST /v2/biometric-validations/preview`), so the page ships no face model. Pure functions only.

import type { MessageKey } from './i18n.js';

export interface PreviewResult {
  faces: number;
  width: number;
  height: number;
  box?: { left: number; top: number; right: number; bottom: number };
  quality?: { faceSize: number; sharpness: number | null; yaw: number; pitch: number };
}

export interface Checks {
  face: boolean;
  centred: boolean;
  close: boolean;
  steady: boolean;
  light: boolean;
}

export const checkNames = ['face', 'centred', 'close', 'steady', 'light'] as const;

/**
 * What the server accepts (src/domain/quality-limits.ts, sent in the page's boot data: the page ships no copy of
 * its own) and the margins the page keeps inside it. Repeated here as a type only: the page's modules import
 * nothing from the server's.
 */
export interface CaptureRules {
  limits: { minFaceSize: number; minSharpness: number; maxYaw: number; maxPitch: number };
  margins: { enter: number; leave: number };
  faceLight: { minLuma: number; maxLuma: number };
}

/** The server's values at the time of writing, for a page booted by an older server and for tests. */
export const defaultRules: CaptureRules = {
  limits: { minFaceSize: 40, minSharpness: 12, maxYaw: 50, maxPitch: 45 },
  margins: { enter: 0.3, leave: 0.1 },
  faceLight: { minLuma: 40, maxLuma: 230 },
};

/** The page's own composition rules (the server does not check them): generous, they only frame the face. */
export const limits = {
  /** Face centre at most this far from the frame centre, as a share of the frame's width or height. */
  maxOffCentre: 0.17,
  /** Face box side as a share of the frame's shorter side. */
  minFaceShare: 0.22,
  maxFaceShare: 0.8,
  /** Mean luma 0..255 of the whole frame. */
  minLuma: 55,
  maxLuma: 215,
  /** Mean absolute luma change per pixel between two guidance ticks, 0..255. */
  maxMotion: 9,
} as const;

/** Luma (BT.601) of an RGBA buffer, one value per pixel. */
export function lumaOf(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const n = Math.floor(rgba.length / 4);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = (rgba[i * 4]! * 299 + rgba[i * 4 + 1]! * 587 + rgba[i * 4 + 2]! * 114) / 1000;
  }
  return out;
}

export function mean(values: Uint8Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length ? sum / values.length : 0;
}

/** A box as shares (0..1) of the frame's width and height. */
export interface Region {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Mean luma inside `region` of a `width`-pixel-wide luma image (the whole image when the region is empty). */
export function regionMean(luma: Uint8Array, width: number, region: Region): number {
  const height = Math.floor(luma.length / Math.max(1, width));
  const x0 = Math.max(0, Math.floor(region.left * width));
  const x1 = Math.min(width, Math.ceil(region.right * width));
  const y0 = Math.max(0, Math.floor(region.top * height));
  const y1 = Math.min(height, Math.ceil(region.bottom * height));
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++, n++) sum += luma[y * width + x]!;
  return n ? sum / n : mean(luma);
}

/**
 * Sharpness of `region` of a luma image: mean squared 4-neighbour Laplacian, the server's measure on the page's
 * own scale. Used only to rank frames of one burst against each other, never against the server's limit.
 */
export function regionSharpness(luma: Uint8Array, width: number, region: Region): number {
  const height = Math.floor(luma.length / Math.max(1, width));
  const x0 = Math.max(1, Math.floor(region.left * width));
  const x1 = Math.min(width - 1, Math.ceil(region.right * width));
  const y0 = Math.max(1, Math.floor(region.top * height));
  const y1 = Math.min(height - 1, Math.ceil(region.bottom * height));
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++, n++) {
      const i = y * width + x;
      const lap = luma[i - 1]! + luma[i + 1]! + luma[i - width]! + luma[i + width]! - 4 * luma[i]!;
      sum += lap * lap;
    }
  }
  return n ? sum / n : 0;
}

/** Mean absolute difference of two luma images of the same size (Infinity when there is no previous one). */
export function motion(previous: Uint8Array | undefined, current: Uint8Array): number {
  if (!previous || previous.length !== current.length || current.length === 0) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < current.length; i++) sum += Math.abs(current[i]! - previous[i]!);
  return sum / current.length;
}

export interface Assessment {
  checks: Checks;
  /** What to tell the person now: the first unmet check, or that all is well. */
  hint: MessageKey;
  ready: boolean;
  /** The face box as shares of the frame, when there is one face. */
  region?: Region;
}

export interface AssessInput {
  preview: PreviewResult | null;
  /** Mean luma of the whole frame, and of the face box when there is one (same 0..255 scale). */
  luma: number;
  faceLuma?: number;
  motion: number;
  /** Long side of the frames the page will send; the server's face size is in their pixels. */
  captureSide?: number;
}

/**
 * Combines the server's detection (null when there is none yet or the route is unavailable) with the local light
 * and motion measures. Without a detection the face checks stay unmet and the hint asks for a manual photo.
 *
 * Every limit of the server (face size, pose, sharpness) is checked with a margin inside it, and with hysteresis:
 * a check not met needs `margins.enter` to become met, a met one (in `previous`) stays met until it falls below
 * `margins.leave`, so a face sitting near one value does not flip between "Hold still" and "Look straight at the
 * camera" every frame.
 */
export function assess(input: AssessInput, rules: CaptureRules = defaultRules, previous?: Checks): Assessment {
  const { limits: server, margins, faceLight } = rules;
  const margin = (name: keyof Checks) => (previous?.[name] ? margins.leave : margins.enter);
  // A maximum shrinks by the margin, a minimum grows by it.
  const below = (value: number, max: number, name: keyof Checks) => value <= max * (1 - margin(name));
  const above = (value: number, min: number, name: keyof Checks) => value >= min * (1 + margin(name));
  const p = input.preview;
  const light = input.luma >= limits.minLuma && input.luma <= limits.maxLuma;
  const checks: Checks = { face: false, centred: false, close: false, steady: input.motion <= limits.maxMotion, light };
  let faceHint: MessageKey | null = null;
  let lightHint: MessageKey | null = light ? null : input.luma < limits.minLuma ? 'hint_dark' : 'hint_bright';
  let sharp = true;
  let region: Region | undefined;
  if (!p) {
    faceHint = 'hint_manual';
  } else if (p.faces === 0 || !p.box) {
    faceHint = 'hint_no_face';
  } else if (p.faces > 1) {
    checks.face = true;
    faceHint = 'hint_many_faces';
  } else {
    checks.face = true;
    const b = p.box;
    region = { left: b.left / p.width, top: b.top / p.height, right: b.right / p.width, bottom: b.bottom / p.height };
    const cx = (region.left + region.right) / 2;
    const cy = (region.top + region.bottom) / 2;
    const slack = previous?.centred ? 1.25 : 1;
    const offCentre = Math.max(Math.abs(cx - 0.5), Math.abs(cy - 0.5)) > limits.maxOffCentre * slack;
    const share = Math.max(b.right - b.left, b.bottom - b.top) / Math.min(p.width, p.height);
    const q = p.quality;
    // The server's face size is in pixels of the frame it gets, which is larger than the preview's.
    const scale = (input.captureSide ?? Math.max(p.width, p.height)) / Math.max(p.width, p.height);
    const closeSlack = previous?.close ? 0.85 : 1;
    const tooFar =
      share < limits.minFaceShare * closeSlack || (q ? !above(q.faceSize * scale, server.minFaceSize, 'close') : false);
    const tooClose = share > limits.maxFaceShare / closeSlack;
    const frontal =
      !q || (below(q.yaw, server.maxYaw, 'centred') && below(Math.abs(q.pitch), server.maxPitch, 'centred'));
    checks.centred = !offCentre && frontal;
    checks.close = !tooFar && !tooClose;
    sharp = !q || q.sharpness === null || above(q.sharpness, server.minSharpness, 'steady');
    checks.steady &&= sharp;
    if (input.faceLuma !== undefined) {
      const lit = previous?.light ? 0.9 : 1;
      const dark = input.faceLuma < faceLight.minLuma * lit;
      const glare = input.faceLuma > Math.min(255, faceLight.maxLuma / lit);
      if (dark || glare) {
        checks.light = false;
        lightHint ??= dark ? 'hint_face_dark' : 'hint_bright';
      }
    }
    if (tooFar) faceHint = 'hint_closer';
    else if (tooClose) faceHint = 'hint_further';
    else if (offCentre) faceHint = 'hint_centre';
    else if (!frontal) faceHint = 'hint_frontal';
  }
  // A face that is blurred while the frame is still is blurred by the dark (a webcam's long exposure), or by a dirty
  // lens: light first.
  const blurHint: MessageKey | null = sharp ? null : input.motion <= limits.maxMotion ? 'hint_blurred' : 'hint_steady';
  const hint: MessageKey = faceHint ?? lightHint ?? blurHint ?? (checks.steady ? 'hint_ready' : 'hint_steady');
  const ready = checkNames.every((k) => checks[k]) && hint === 'hint_ready';
  return {
    checks,
    hint: faceHint === 'hint_manual' ? (lightHint ?? faceHint) : hint,
    ready,
    ...(region ? { region } : {}),
  };
}

export type Step = 'turn_left' | 'turn_right' | 'blink' | 'look_center';

export interface CaptureSegment {
  step: Step;
  /** Milliseconds the instruction is shown before the first frame. */
  leadMs: number;
  /** Frames to capture (0 for the pauses between steps, which are not sent). */
  frames: number;
  /** Milliseconds between frames. */
  everyMs: number;
}

/** The server's default when the challenge does not say (`framesPerStep`). */
export const DEFAULT_FRAMES_PER_STEP = 5;

/**
 * The capture plan of an active challenge. The server wants exactly `framesPerStep` frames per step, in the steps'
 * order, the very first one frontal; each step must happen within its own frames and nothing in them may contradict
 * it (a frame still turned left during "turn right"). So: the first frame is taken the moment the first instruction
 * appears (the person is still looking at the camera), and between two steps the page asks the person to look at
 * the camera again without capturing. Blinks are short, so their frames are closer together. The server refuses
 * frames that arrive much sooner than this plan takes: keep src/domain/challenge-timing.ts in step with it.
 */
export function capturePlan(steps: readonly string[], framesPerStep?: number): CaptureSegment[] {
  const perStep = framesPerStep && framesPerStep > 0 ? framesPerStep : DEFAULT_FRAMES_PER_STEP;
  const plan: CaptureSegment[] = [];
  steps.forEach((s, k) => {
    const step: Step = s === 'turn_left' || s === 'turn_right' || s === 'blink' ? s : 'look_center';
    if (k > 0) plan.push({ step: 'look_center', leadMs: 1000, frames: 0, everyMs: 0 });
    const blink = step === 'blink';
    plan.push({
      step,
      leadMs: k === 0 ? 0 : blink ? 150 : 100,
      frames: perStep,
      everyMs: Math.round((blink ? 1000 : 1500) / Math.max(1, perStep - 1)),
    });
  });
  return plan;
}

/**
 * The capture of passive liveness: a burst of frames instead of one photo, taken once the guidance says the face is
 * good. The passive model misreads single webcam frames (one frame of a live face can score near zero, the next
 * high), so the server asks several frames of the burst to pass; a screen or a print is low in nearly every frame.
 * `candidates` frames over 1.4 s (more, up to `maxCandidates`, while the face moves), of which the page sends the
 * `frames` sharpest still ones (in their order): on every stretch of
 * the dev webcam clip, 8 frames over 1.4 s passed 91 % of the time where 3 frames over 0.3 s passed 76 %
 * (bench/passive-burst.bench.ts), and the server takes at most 8.
 */
export function passivePlan(): CaptureSegment & { candidates: number; maxCandidates: number } {
  return { step: 'look_center', leadMs: 0, frames: 8, candidates: 12, maxCandidates: 20, everyMs: 127 };
}

/** Indices (ascending) of the `keep` sharpest of `scores`; ties keep the earlier frame. */
export function sharpest(scores: readonly number[], keep: number): number[] {
  return scores
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, keep)
    .map((x) => x.i)
    .sort((a, b) => a - b);
}

export const stepKey = (step: Step): MessageKey => `step_${step}`;
