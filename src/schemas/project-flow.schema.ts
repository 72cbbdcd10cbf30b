import { z } from 'zod';
import { flowLimits, flowStatuses, flowTypes, livenessModes, searchModes } from '../domain/project-flow.js';
import { documentMeta, httpUrlSchema, objectIdSchema } from './common.schema.js';

const L = flowLimits;
const livenessMinScore = z.number().min(L.livenessMinScore.min).max(L.livenessMinScore.max);
const searchMinScore = z.number().min(L.searchMinScore.min).max(L.searchMinScore.max);

// Field schemas carry no defaults, so that a partial update never resets a setting it did not name;
// the create schemas add Verifik's defaults on top.
const loginSettingsFields = {
  faceLiveness: z.boolean(),
  livenessMinScore,
  searchMinScore,
  searchMode: z.enum(searchModes),
  livenessMode: z
    .enum(livenessModes)
    .describe(
      '"active" (the default for new flows): the hosted page films a random challenge (turn left, turn right, ' +
        'blink) and validate takes its `frames`. "passive" accepts a single uploaded image: a downloaded or ' +
        'screenshotted photo of an enrolled person is accepted as live, since the model only sees print and screen ' +
        'artefacts. Choose it only to keep sending single images (what Verifik clients send).',
    ),
  showFaceLivenessRecommendation: z.boolean(),
};
export const loginSettingsSchema = z.object(loginSettingsFields);
const loginSettingsCreateSchema = z.object({
  faceLiveness: loginSettingsFields.faceLiveness.default(true),
  livenessMinScore: livenessMinScore.default(L.livenessMinScore.default),
  searchMinScore: searchMinScore.default(L.searchMinScore.loginDefault),
  searchMode: loginSettingsFields.searchMode.default('ACCURATE'),
  // Secure by default (#10): a new flow asks for the live challenge; a stored flow keeps the mode it stored.
  livenessMode: loginSettingsFields.livenessMode.default('active'),
  showFaceLivenessRecommendation: loginSettingsFields.showFaceLivenessRecommendation.default(false),
});

const onboardingLivenessFields = { livenessMinScore, searchMinScore, searchMode: z.enum(searchModes) };
export const onboardingLivenessSchema = z.object(onboardingLivenessFields);
const onboardingLivenessCreateSchema = z.object({
  livenessMinScore: livenessMinScore.default(L.livenessMinScore.default),
  searchMinScore: searchMinScore.default(L.searchMinScore.onboardingDefault),
  searchMode: onboardingLivenessFields.searchMode.default('ACCURATE'),
});

const flowFields = {
  type: z.enum(flowTypes),
  status: z.enum(flowStatuses),
  name: z.string().trim().max(200).nullable(),
  version: z.number().int().min(1),
  redirectUrl: httpUrlSchema.nullable(),
  webhookUrl: httpUrlSchema.nullable(),
  sessionMinutes: z.number().int().min(L.sessionMinutes.min).max(L.sessionMinutes.max),
  maxAttempts: z.number().int().min(L.maxAttempts.min).max(L.maxAttempts.max),
};

export const projectFlowCreateSchema = z.object({
  project: objectIdSchema,
  type: flowFields.type,
  status: flowFields.status.default('active'),
  name: flowFields.name.default(null),
  version: flowFields.version.default(1),
  redirectUrl: flowFields.redirectUrl.default(null),
  webhookUrl: flowFields.webhookUrl.default(null),
  sessionMinutes: flowFields.sessionMinutes.default(L.sessionMinutes.default),
  maxAttempts: flowFields.maxAttempts.default(L.maxAttempts.default),
  loginSettings: loginSettingsCreateSchema.default(loginSettingsCreateSchema.parse({})),
  onboardingSettings: z
    .object({ liveness: onboardingLivenessCreateSchema.default(onboardingLivenessCreateSchema.parse({})) })
    .default({ liveness: onboardingLivenessCreateSchema.parse({}) }),
});
export type ProjectFlowCreate = z.infer<typeof projectFlowCreateSchema>;

// An update names only what changes; nested settings merge key by key. The project a flow belongs to is fixed.
export const projectFlowUpdateSchema = z
  .object({
    ...flowFields,
    loginSettings: loginSettingsSchema.partial(),
    onboardingSettings: z.object({ liveness: onboardingLivenessSchema.partial() }).partial(),
  })
  .partial();
export type ProjectFlowUpdate = z.infer<typeof projectFlowUpdateSchema>;

export const projectFlowSchema = z.object({
  ...documentMeta,
  client: objectIdSchema,
  project: objectIdSchema,
  ...flowFields,
  loginSettings: loginSettingsSchema,
  onboardingSettings: z.object({ liveness: onboardingLivenessSchema }),
});
