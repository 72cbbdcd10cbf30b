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

/** Thresholds. Generous on purpose: the server has the final word, guidance only has to help. */
export const limits = {
  /** Face centre at most this far from the frame centre, as a share of the frame's width or height. */
  maxOffCentre: 0.17,
  /** Face box side as a share of the frame's shorter side. */
  minFaceShare: 0.22,
  maxFaceShare: 0.8,
  /** Degrees (absolute) of yaw and pitch still taken as looking at the camera. */
  maxYaw: 32,
  maxPitch: 25,
  /** Mean luma 0..255. */
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
}

/**
 * Combines the server's detection (null when there is none yet or the route is unavailable) with the local light
 * and motion measures. Without a detection the face checks stay unmet and the hint asks for a manual photo.
 */
export function assess(input: { preview: PreviewResult | null; luma: number; motion: number }): Assessment {
  const light = input.luma >= limits.minLuma && input.luma <= limits.maxLuma;
  const steady = input.motion <= limits.maxMotion;
  const p = input.preview;
  const checks: Checks = { face: false, centred: false, close: false, steady, light };
  let faceHint: MessageKey | null = null;
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
    const cx = (b.left + b.right) / 2 / p.width;
    const cy = (b.top + b.bottom) / 2 / p.height;
    checks.centred = Math.abs(cx - 0.5) <= limits.maxOffCentre && Math.abs(cy - 0.5) <= limits.maxOffCentre;
    const share = Math.max(b.right - b.left, b.bottom - b.top) / Math.min(p.width, p.height);
    const tooFar = share < limits.minFaceShare;
    const tooClose = share > limits.maxFaceShare;
    checks.close = !tooFar && !tooClose;
    const frontal = !p.quality || (p.quality.yaw <= limits.maxYaw && Math.abs(p.quality.pitch) <= limits.maxPitch);
    if (tooFar) faceHint = 'hint_closer';
    else if (tooClose) faceHint = 'hint_further';
    else if (!checks.centred) faceHint = 'hint_centre';
    else if (!frontal) faceHint = 'hint_frontal';
  }
  const lightHint: MessageKey | null = light ? null : input.luma < limits.minLuma ? 'hint_dark' : 'hint_bright';
  const hint: MessageKey = faceHint ?? lightHint ?? (steady ? 'hint_ready' : 'hint_steady');
  const ready = checkNames.every((k) => checks[k]) && hint === 'hint_ready';
  return { checks, hint: faceHint === 'hint_manual' ? (lightHint ?? faceHint) : hint, ready };
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
 * The capture of passive liveness: a short burst of frames instead of one photo, taken once the guidance says the
 * face is good. The passive model misreads single webcam frames (one frame of a live face can score near zero, the
 * next high), so the server judges the burst's median frame; a screen or a print is low in every frame. Every frame
 * costs the server a full analysis, and on the dev webcam clip 3 frames gained nearly all that 5 or 8 did (a single
 * frame passed 73 % of the time, 3 frames 77 %, 5 frames 78 %), so three frames 150 ms apart: 0.3 s to hold still.
 */
export function passivePlan(): CaptureSegment[] {
  return [{ step: 'look_center', leadMs: 0, frames: 3, everyMs: 150 }];
}

export const stepKey = (step: Step): MessageKey => `step_${step}`;
