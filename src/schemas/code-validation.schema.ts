import { z } from 'zod';
import {
  codeLanguages,
  codeValidationTypes,
  phoneGatewayChoices,
  validationMethods,
} from '../domain/code-validation.js';
import { documentMeta, isoDateSchema, objectIdSchema } from './common.schema.js';

// Email and phone validations (§6.2). The stored document's `codeHash` and `destination` are not in these
// response schemas, so they are never serialised.

const location = z
  .record(z.string().max(64), z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= 32, { message: 'at most 32 keys' })
  .optional();
const email = z.email().max(254);
const phone = z.string().regex(/^[0-9 ()-]{4,20}$/, 'must be a phone number (digits)');
const countryCode = z.string().regex(/^\+?[0-9]{1,4}$/, 'must be a country calling code such as +57');

const createCommon = {
  project: objectIdSchema,
  projectFlow: objectIdSchema,
  type: z.enum(codeValidationTypes),
  validationMethod: z.enum(validationMethods).default('verificationCode'),
  language: z.enum(codeLanguages).default('en'),
  location,
};

export const createEmailValidationBody = z.strictObject({ email, ...createCommon });
export const createPhoneValidationBody = z.strictObject({
  phone,
  countryCode,
  phoneGateway: z.enum(phoneGatewayChoices).default('sms'),
  ...createCommon,
});

const validateCommon = {
  otp: z.string().min(1).max(128).describe('The 6-digit code, or the magic link’s code'),
  projectFlow: objectIdSchema,
  project: objectIdSchema.optional(),
  type: z.enum(codeValidationTypes).optional(),
  validationMethod: z.enum(validationMethods).optional(),
  location,
  authenticatorOTP: z.string().max(16).optional(),
};
export const validateEmailBody = z.strictObject({ email, ...validateCommon });
export const validatePhoneBody = z.strictObject({ phone, countryCode, ...validateCommon });

const validationCommon = {
  _id: objectIdSchema,
  client: objectIdSchema,
  project: objectIdSchema,
  projectFlow: objectIdSchema,
  type: z.string(),
  validationMethod: z.string(),
  language: z.string(),
  status: z.string(),
  expiresAt: isoDateSchema,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  appLogin: objectIdSchema.nullable(),
  validatedAt: isoDateSchema.nullable(),
  createdAt: documentMeta.createdAt,
  updatedAt: documentMeta.updatedAt,
  __v: documentMeta.__v,
};
export const emailValidationSchema = z.object({ email: z.string(), ...validationCommon });
export const phoneValidationSchema = z.object({
  phone: z.string(),
  countryCode: z.string(),
  phoneGateway: z.string(),
  ...validationCommon,
});
