import { z } from 'zod';

// Request fields of Verifik's face-recognition routes (§5.3–5.4), with Verifik's names and ranges.

export const imageField = z
  .string()
  .min(1)
  .max(20_000_000)
  .describe('A JPEG, PNG or WebP image as base64, or a data URI (`data:image/jpeg;base64,…`)')
  .meta({ examples: ['data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ…'] });
/** Verifik's clients send one image or several; both are accepted where a list is documented. */
export const imageList = (max: number) =>
  z.union([imageField.transform((s) => [s]), z.array(imageField).min(1).max(max)], {
    error: `must be a base64 image or a list of 1 to ${max} of them`,
  });

export const osField = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(['DESKTOP', 'IOS', 'ANDROID']))
  .describe('The device that took the photo: DESKTOP, IOS or ANDROID (case-insensitive)')
  .meta({ enum: ['DESKTOP', 'IOS', 'ANDROID'], examples: ['DESKTOP'] });

export const searchModeField = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(['FAST', 'ACCURATE']))
  .describe('FAST or ACCURATE (case-insensitive): ACCURATE searches the index exhaustively, FAST approximately')
  .meta({ enum: ['FAST', 'ACCURATE'] });

/** A collection named by its `_id` or its UUID `code` (Verifik's docs use either). */
export const collectionIdField = z
  .string()
  .min(1)
  .max(64)
  .describe("The collection to search: its UUID `code` or its `_id`; without it, every collection of the client's");

export const livenessMinScore = (def: number) =>
  z
    .number()
    .min(0.5)
    .max(1)
    .default(def)
    .describe('The liveness score (0–1) a live face must exceed; higher refuses more replays and more live people');
export const compareMinScore = z
  .number()
  .min(0.67)
  .max(0.95)
  .default(0.85)
  .describe('The similarity (0–1) at which two faces are the same person');
const probe = 'The face to check: one image, or up to 3 of the same person';
const gallery = 'The reference face: one image, or up to 3 of the same person';

export const detectBody = z.object({
  image: imageField,
  collection_id: z.string().optional().describe('Accepted for Verifik compatibility; detection searches no collection'),
  min_score: z.number().min(0.2).max(1).default(0.85).describe('Accepted for Verifik compatibility; not used'),
  search_mode: searchModeField.default('FAST'),
  max_results: z.number().int().min(1).max(100).default(99).describe('At most this many faces, largest first'),
});

export const compareBody = z.object({
  probe: imageList(3).describe(probe),
  gallery: imageList(3).describe(gallery),
  search_mode: searchModeField.default('ACCURATE'),
  compare_min_score: compareMinScore,
});

export const compareLiveBody = z.object({
  probe: imageField.describe('The live face, checked for liveness: one image (base64 or data URI)'),
  gallery: imageList(3).describe(gallery),
  os: osField,
  search_mode: searchModeField.default('ACCURATE'),
  liveness_min_score: livenessMinScore(0.6).pipe(z.number().min(0.52)),
  compare_min_score: compareMinScore,
});

export const compareWithLivenessBody = z.object({
  probe: imageField.describe('The live face, checked for liveness when it matches: one image (base64 or data URI)'),
  gallery: imageList(3).describe(gallery),
  os: osField.optional(),
  search_mode: searchModeField.default('ACCURATE'),
  liveness_min_score: livenessMinScore(0.6),
  compare_min_score: compareMinScore,
});

export const livenessBody = z.object({
  image: imageField,
  os: osField,
  collection_id: z.string().optional().describe('Accepted for Verifik compatibility; liveness searches no collection'),
  liveness_min_score: livenessMinScore(0.6),
});

const point = z.array(z.number());
export const detectedFaceSchema = z.object({
  box: z.object({ top: z.number(), left: z.number(), right: z.number(), bottom: z.number() }),
  detection_score: z.number(),
  landmarks: z.object({ left_eye: point, right_eye: point, nose: point, left_mouth: point, right_mouth: point }),
  quality: z.object({ face_size: z.number(), sharpness: z.number().nullable(), yaw: z.number(), pitch: z.number() }),
  persons: z.array(z.unknown()),
});

export const livenessResultSchema = z.object({
  liveness_score: z.number(),
  min_score: z.number(),
  passed: z.boolean(),
});
export const compareResultSchema = z.object({ score: z.number(), passed: z.boolean() });
