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
  .describe('The device that took the photo: DESKTOP, IOS or ANDROID (case-insensitive)');

export const searchModeField = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.enum(['FAST', 'ACCURATE']));

export const livenessMinScore = (def: number) => z.number().min(0.5).max(1).default(def);
export const compareMinScore = z.number().min(0.67).max(0.95).default(0.85);

export const detectBody = z.object({
  image: imageField,
  collection_id: z.string().optional(),
  min_score: z.number().min(0.2).max(1).default(0.85),
  search_mode: searchModeField.default('FAST'),
  max_results: z.number().int().min(1).max(100).default(99),
});

export const compareBody = z.object({
  probe: imageList(3),
  gallery: imageList(3),
  search_mode: searchModeField.default('ACCURATE'),
  compare_min_score: compareMinScore,
});

export const compareLiveBody = z.object({
  probe: imageField,
  gallery: imageList(3),
  os: osField,
  search_mode: searchModeField.default('ACCURATE'),
  liveness_min_score: livenessMinScore(0.6).pipe(z.number().min(0.52)),
  compare_min_score: compareMinScore,
});

export const compareWithLivenessBody = z.object({
  probe: imageField,
  gallery: imageList(3),
  os: osField.optional(),
  search_mode: searchModeField.default('ACCURATE'),
  liveness_min_score: livenessMinScore(0.6),
  compare_min_score: compareMinScore,
});

export const livenessBody = z.object({
  image: imageField,
  os: osField,
  collection_id: z.string().optional(),
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
