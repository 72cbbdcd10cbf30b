// The face engine port: everything the services need from face models. The ONNX adapter implements it in a
// worker-thread pool; tests of other code may fake it. Images are the raw bytes the caller sent (decoded by the
// engine, never by the services).

import type { ComponentHealth } from './health.js';

export interface FaceBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export type Point = readonly [number, number];

export interface FaceLandmarks5 {
  leftEye: Point;
  rightEye: Point;
  nose: Point;
  leftMouth: Point;
  rightMouth: Point;
}

export interface FaceQuality {
  /** Side of the face box in pixels of the decoded (oriented) image. */
  faceSize: number;
  /** Higher is sharper; the engine's own scale, compared against its own gate. */
  sharpness: number;
  /** Absolute yaw and pitch estimates in degrees. */
  yaw: number;
  pitch: number;
}

export interface DetectedFace {
  box: FaceBox;
  detectionScore: number;
  landmarks: FaceLandmarks5;
  quality: FaceQuality;
}

export interface DetectResult {
  width: number;
  height: number;
  faces: DetectedFace[];
}

/** One face, analysed: the template and, when asked, passive liveness. */
export interface FaceSample {
  face: DetectedFace;
  /** L2-normalised template. */
  template: Float32Array;
  /** The recogniser's embedding length before normalisation: lower on faces it is less sure of (compare-similarity). */
  templateNorm?: number;
  /** P(live) in 0..1, present when liveness was requested. */
  liveness?: number;
  /** A small JPEG of the face for thumbnails (when requested). */
  thumbnail?: Buffer;
  /** Head pose and eye state (when requested), for active liveness. */
  pose?: FacePose;
}

export interface FacePose {
  /** Degrees, signed: negative when the person turns their head to their own left. */
  yaw: number;
  /** Degrees, signed: negative when looking down. */
  pitch: number;
  /** Eye openness 0 (closed) .. 1 (open), both eyes averaged. */
  eyesOpen: number;
  /** What a burst of frames is judged on as a video (scene, light, landmarks); see domain/frame-continuity. */
  trace: FrameTrace;
}

/** Numbers only, never pixels of the face: a grey thumbnail too small to recognise anyone. */
export interface FrameTrace {
  /** Decoded (oriented) frame size in pixels. */
  width: number;
  height: number;
  /** The whole frame as SCENE_WIDTH x SCENE_HEIGHT grey levels 0..255, row-major. */
  scene: Uint8Array;
  /** The 68 iBUG landmarks in frame pixels: x0, y0, x1, y1, … */
  points: Float32Array;
}

export interface AnalyseOptions {
  liveness?: boolean;
  thumbnail?: boolean;
  /** Apply the quality gates (size, blur, pose). Default true. */
  qualityGates?: boolean;
  /** Estimate head pose and eye state (`FaceSample.pose`). */
  pose?: boolean;
  /**
   * 'single' (default): exactly one subject, else `multipleFaces`; faces under half the size of the largest are
   * bystanders and do not count. 'dominant': take the largest face even among several (bulk import of existing
   * photos; never for a live 1:1 check).
   */
  faceSelection?: 'single' | 'dominant';
  /**
   * Refuse a face the object detector sees as an animal's head (default true). It is the engine's dearest stage
   * (~50 ms a face), so a burst checks one frame only: the same-face check binds the others to it.
   */
  animalCheck?: boolean;
}

/**
 * Who a job is for and until when. The engine drops a queued job whose signal has aborted (its request failed or
 * its client went away) and shares its queue fairly between callers, so one cannot take all of it.
 */
export interface EngineCall {
  signal?: AbortSignal;
  /** The tenant or anonymous session the work is for (an opaque key); omitted, jobs share one anonymous turn. */
  caller?: string;
}

export interface FaceEngine {
  /** Identifies the recogniser, stored with every template so a model change is visible. */
  readonly modelId: string;
  readonly dimension: number;
  /** All faces in the image, largest first. */
  detect(image: Uint8Array, call?: EngineCall): Promise<DetectResult>;
  /**
   * Exactly one face is required (see AnalyseOptions.faceSelection): throws AppError with the face kinds of the
   * catalogue in errors.ts (imageInvalid, imageTooLarge, noFace, multipleFaces, faceTooSmall, faceTooBlurred,
   * faceNotFrontal), and engineBusy when the engine's queue is full.
   */
  analyse(image: Uint8Array, options?: AnalyseOptions, call?: EngineCall): Promise<FaceSample>;
  /**
   * Whether the engine can take work now (its workers are up), without running a model: a full queue is still
   * healthy. An engine without the method (a test fake) is always ready.
   */
  health?(): ComponentHealth;
  /** Raw cosine similarity of two templates (-1..1). */
  similarity(a: Float32Array, b: Float32Array): number;
  /** Calibrated score 0..1 from a raw similarity (monotonic, documented in the README). */
  score(similarity: number): number;
  close(): Promise<void>;
}
