import { z } from 'zod';
import { codeLimits } from '../domain/code-validation.js';
import {
  emailGateways,
  flowLimits,
  flowStatuses,
  flowTypes,
  livenessModes,
  phoneGateways,
  searchModes,
} from '../domain/project-flow.js';
import { documentMeta, httpUrlSchema, objectIdSchema, strictBody } from './common.schema.js';

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
  getReadyScreen: z
    .boolean()
    .describe('The hosted page opens on a short get-ready screen (what will happen, what is kept); false skips it'),
};
// Verifik's other login settings (§4.3), kept and returned. `email` and `phone` (with `phoneGateway`) turn on the
// flow's email and phone validations (POST /v2/email-validations, /v2/phone-validations).
const storedLoginSettingsFields = {
  email: z.boolean().describe('Email one-time-code login: POST /v2/email-validations for this flow'),
  emailGateway: z.enum(emailGateways).describe('Stored; Facegate mails through FACEGATE_SMTP_URL whatever it says'),
  phone: z.boolean().describe('Phone one-time-code login: POST /v2/phone-validations for this flow'),
  phoneGateway: z.enum(phoneGateways).describe('Which `phoneGateway` a phone validation may ask for (`both`: either)'),
  steps: z
    .array(z.union([z.string().max(100), z.record(z.string().max(64), z.unknown())]))
    .max(20)
    .describe(
      "Verifik's login steps, stored as given. Facegate acts on `email` or `phone` (a code first), `liveness` (the " +
        'face) and `authenticator` (last); see the README, Login steps',
    ),
};
// Strict: a setting is kept or refused with 409 naming it, never silently dropped (#13).
const codeMinutes = z
  .number()
  .int()
  .min(codeLimits.minMinutes)
  .max(codeLimits.maxMinutes)
  .describe('Minutes an email or phone one-time code of this flow stays valid (default 10)');
export const loginSettingsSchema = z.strictObject({
  ...loginSettingsFields,
  ...storedLoginSettingsFields,
  codeMinutes: codeMinutes.optional(),
});
const loginSettingsResponseSchema = z.object({
  ...loginSettingsFields,
  getReadyScreen: loginSettingsFields.getReadyScreen.optional(),
  email: storedLoginSettingsFields.email.optional(),
  emailGateway: storedLoginSettingsFields.emailGateway.optional(),
  phone: storedLoginSettingsFields.phone.optional(),
  phoneGateway: storedLoginSettingsFields.phoneGateway.optional(),
  steps: storedLoginSettingsFields.steps.optional(),
  codeMinutes: codeMinutes.optional(),
});
const loginSettingsCreateSchema = z.strictObject({
  faceLiveness: loginSettingsFields.faceLiveness.default(true),
  livenessMinScore: livenessMinScore.default(L.livenessMinScore.default),
  searchMinScore: searchMinScore.default(L.searchMinScore.loginDefault),
  searchMode: loginSettingsFields.searchMode.default('ACCURATE'),
  // Secure by default (#10): a new flow asks for the live challenge; a stored flow keeps the mode it stored.
  livenessMode: loginSettingsFields.livenessMode.default('active'),
  showFaceLivenessRecommendation: loginSettingsFields.showFaceLivenessRecommendation.default(false),
  getReadyScreen: loginSettingsFields.getReadyScreen.default(true),
  email: storedLoginSettingsFields.email.default(false),
  emailGateway: storedLoginSettingsFields.emailGateway.default('none'),
  phone: storedLoginSettingsFields.phone.default(false),
  phoneGateway: storedLoginSettingsFields.phoneGateway.default('none'),
  steps: storedLoginSettingsFields.steps.default([]),
  codeMinutes: codeMinutes.optional(),
});

const onboardingLivenessFields = { livenessMinScore, searchMinScore, searchMode: z.enum(searchModes) };
export const onboardingLivenessSchema = z.strictObject(onboardingLivenessFields);
const onboardingLivenessCreateSchema = z.strictObject({
  livenessMinScore: livenessMinScore.default(L.livenessMinScore.default),
  searchMinScore: searchMinScore.default(L.searchMinScore.onboardingDefault),
  searchMode: onboardingLivenessFields.searchMode.default('ACCURATE'),
});

const flowFields = {
  type: z.enum(flowTypes).describe('`login` (find an enrolled person) or `onboarding` (enrol a new one)'),
  status: z.enum(flowStatuses).describe('Only an `active` flow can create validations'),
  name: z.string().trim().max(200).nullable(),
  version: z.number().int().min(1),
  redirectUrl: httpUrlSchema
    .nullable()
    .describe('Where the hosted page sends the person when done, with `?type=<type>&token=<app-login token>`'),
  webhookUrl: httpUrlSchema.nullable().describe('Receives the signed validation events (X-Facegate-Signature)'),
  sessionMinutes: z
    .number()
    .int()
    .min(L.sessionMinutes.min)
    .max(L.sessionMinutes.max)
    .describe('How long a validation and its session token live'),
  maxAttempts: z
    .number()
    .int()
    .min(L.maxAttempts.min)
    .max(L.maxAttempts.max)
    .describe('Selfies a validation may fail (retakes of an unusable photo are not counted)'),
};

// Verifik documents these flow fields (§4.3, and the newer top-level SmartEnroll variant) for features Facegate
// does not have (OTP whitelists, documents, forms, e-mail templates): accepted from Verifik clients, not stored.
const ignoredFlowKeys = [
  'target',
  'webhook',
  'identityUrl',
  'collectionCode',
  'systemForm',
  'allowedCountries',
  'userFeatures',
  'faceLivenessAuthy',
  'webAuthN',
  'documentValidation',
  'appQRCode',
  'security',
  'usesWhiteList',
  'whiteList',
  'emailTemplates',
  'emailTemplateDesign',
  'signUpForm',
  'documents',
  'liveness',
  'steps',
] as const;
// The same for `onboardingSettings`: only `liveness` is Facegate's.
const ignoredOnboardingKeys = ['steps', 'signUpForm', 'basicInformation', 'document', 'requiresSignature', 'form'];

export const projectFlowCreateSchema = strictBody(
  {
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
    onboardingSettings: strictBody(
      { liveness: onboardingLivenessCreateSchema.default(onboardingLivenessCreateSchema.parse({})) },
      ignoredOnboardingKeys,
    ).default({ liveness: onboardingLivenessCreateSchema.parse({}) }),
  },
  ignoredFlowKeys,
);
export type ProjectFlowCreate = z.infer<typeof projectFlowCreateSchema>;

// An update names only what changes; nested settings merge key by key. The project a flow belongs to is fixed.
export const projectFlowUpdateSchema = strictBody(
  z
    .object({
      ...flowFields,
      loginSettings: loginSettingsSchema.partial(),
      onboardingSettings: strictBody(
        z.object({ liveness: onboardingLivenessSchema.partial() }).partial().shape,
        ignoredOnboardingKeys,
      ),
    })
    .partial().shape,
  ignoredFlowKeys,
);
export type ProjectFlowUpdate = z.infer<typeof projectFlowUpdateSchema>;

export const projectFlowSchema = z.object({
  ...documentMeta,
  client: objectIdSchema,
  project: objectIdSchema,
  ...flowFields,
  loginSettings: loginSettingsResponseSchema,
  onboardingSettings: z.object({ liveness: z.object(onboardingLivenessFields) }),
});
