import { z } from 'zod';
import { validationStatuses } from '../domain/biometric-validation.js';
import { flowTypes } from '../domain/project-flow.js';
import { emailValidationSchema, phoneValidationSchema } from './code-validation.schema.js';
import { httpUrlSchema, isoDateSchema, objectIdSchema } from './common.schema.js';
import { imageField, osField } from './face-recognition.schema.js';

// Key order follows Verifik's documented responses (§2.3): zod emits keys in schema order.

const keyValues = z.array(
  z.object({ key: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
);
// What the hosted page (or a Verifik client) captured about where the person is: coordinates, address, user agent.
// In-app browsers (Instagram, Facebook on iOS) send user agents over 200 characters; 1024 bounds any real one.
const location = z
  .record(z.string().max(64), z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= 32, { message: 'at most 32 keys' })
  .describe('Where the person is, as captured by the page: e.g. latitude, longitude, userAgent (≤ 1024 chars)');

export const createValidationBody = z.strictObject({
  project: objectIdSchema,
  projectFlow: objectIdSchema,
  identifier: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Who the validation is for (required with an API token). Without a token (the hosted page) it is ignored: ' +
        'the server chooses a guest identifier, so a stranger cannot log in or enrol under anyone else’s.',
    ),
  type: z.enum(flowTypes).describe("The flow's type: `login` or `onboarding`"),
  expiresAt: isoDateSchema
    .optional()
    .describe(
      "When the validation expires, 30 s to 60 min from now (default: the flow's `sessionMinutes`); API token only",
    ),
  redirectUrl: httpUrlSchema.optional().describe("Overrides the flow's redirectUrl; API token only"),
  webhookUrl: httpUrlSchema.optional().describe("Overrides the flow's webhookUrl; API token only"),
  requires2FA: z.boolean().optional().describe('Stored and returned (default false)'),
  ipAddress: z.string().max(64).optional().describe("The person's address, stored with the validation"),
  sendViaEmail: z
    .boolean()
    .optional()
    .describe('Mail `url` to `email` (needs the API token and FACEGATE_SMTP_URL; in `language`)'),
  email: z.email().max(320).optional(),
  language: z.enum(['en', 'es']).optional().describe("The hosted page's language (default en)"),
  location: location.optional(),
});

export const validateBody = z
  .object({
    image: imageField.optional(),
    frames: z
      .array(imageField)
      .min(1)
      .max(40)
      .describe(
        'A burst of frames of one face. Active liveness: the challenge frames. Passive liveness: 2 to 8 still ' +
          'frames, judged on their median frame (instead of one `image`; used when both are sent).',
      )
      .optional(),
    os: osField.optional(),
    location: location.optional(),
    authenticatorOTP: z
      .string()
      .max(12)
      .describe(
        "The 6-digit code of the person's authenticator app, sent with the same session token after the face " +
          'passed in a validation that requires a second factor (instead of `image` or `frames`).',
      )
      .optional(),
  })
  .refine((b) => b.image || b.frames || b.authenticatorOTP !== undefined, { message: 'missing image', path: ['image'] })
  .refine((b) => b.os !== undefined || b.authenticatorOTP !== undefined, { message: 'missing os', path: ['os'] });

export const previewBody = z.object({ image: imageField });

const sessionCore = {
  client: objectIdSchema,
  project: objectIdSchema,
  projectFlow: objectIdSchema,
  identifier: z.string(),
  status: z.string(),
  livenessResult: keyValues,
  comparisonResult: keyValues,
  generalInformation: keyValues,
  documentTypeFields: keyValues,
  location: keyValues,
  proFields: keyValues,
  studioFields: keyValues,
  promptFields: keyValues,
  expiresAt: z.string(),
  _id: objectIdSchema,
  activatedAt: z.string(),
  updatedAt: z.string(),
  createdAt: z.string(),
  __v: z.number(),
};
export const livenessSessionSchema = z.object(sessionCore);

const validationCore = {
  client: objectIdSchema,
  project: objectIdSchema,
  projectFlow: objectIdSchema,
  livenessSession: objectIdSchema,
  status: z.enum(validationStatuses),
  type: z.enum(flowTypes),
  url: z.string(),
  livenessScore: z.number(),
  assignedCollection: objectIdSchema,
  collectionCode: z.string(),
  requires2FA: z.boolean(),
};
const meta = { _id: objectIdSchema, updatedAt: z.string(), createdAt: z.string(), __v: z.number() };

/** Exactly what Verifik's create answers: no more keys than the documented example. */
export const createdValidationSchema = z.object({ ...validationCore, ...meta });

export const biometricValidationSchema = z.object({
  ...validationCore,
  identifier: z.string(),
  expiresAt: z.string(),
  redirectUrl: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  ipAddress: z.string().nullable(),
  language: z.string(),
  sendViaEmail: z.boolean(),
  email: z.string().nullable(),
  attempts: z.number(),
  maxAttempts: z.number(),
  failureReason: z.string().nullable(),
  person: z.string().nullable(),
  appLogin: z.string().nullable(),
  completedAt: z.string().nullable(),
  ...meta,
});

export const createValidationResponse = z.object({
  data: z.object({
    livenessSession: livenessSessionSchema,
    biometricValidation: createdValidationSchema,
    token: z.string(),
  }),
});

export const appLoginSchema = z.object({
  _id: objectIdSchema,
  client: objectIdSchema,
  project: objectIdSchema,
  projectFlow: objectIdSchema,
  status: z.string(),
  type: z.string(),
  biometricValidation: z.union([objectIdSchema, biometricValidationSchema]).nullable(),
  livenessSession: objectIdSchema.nullable(),
  face: z.string().nullable(),
  name: z.string(),
  person: objectIdSchema.nullable(),
  identifier: z.string(),
  emailValidation: z.union([objectIdSchema, emailValidationSchema]).nullable(),
  phoneValidation: z.union([objectIdSchema, phoneValidationSchema]).nullable(),
  accessControlLog: z.null(),
  createdAt: z.string(),
  updatedAt: z.string(),
  __v: z.number(),
});
