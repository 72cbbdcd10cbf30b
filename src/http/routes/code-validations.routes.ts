import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appLoginSchema } from '../../schemas/biometric-validation.schema.js';
import {
  createEmailValidationBody,
  createPhoneValidationBody,
  emailValidationSchema,
  phoneValidationSchema,
  validateEmailBody,
  validatePhoneBody,
} from '../../schemas/code-validation.schema.js';
import { dataOf, imageRouteErrors } from '../../schemas/common.schema.js';
import type { ClientService } from '../../services/client.service.js';
import type { Caller, CodeValidationService } from '../../services/code-validation.service.js';
import { bearerToken } from '../auth.js';
import { rateLimitByAddress } from '../rate-limit.js';

// Email and phone validations (§6.2): send a code, then validate it. Reachable without a token (the hosted page),
// like the public create of a biometric validation, and rate-limited per client address.

export interface CodeValidationRoutesDeps {
  rateLimitPerMinute: number;
  codeValidations: CodeValidationService;
  clients: ClientService;
}

const validateResponse = (destination: 'email' | 'phone') => {
  const address = destination === 'email' ? { email: z.string() } : { phone: z.string() };
  return dataOf(
    z.union([
      z.object({
        token: z.string().nullable(),
        type: z.string(),
        ...address,
        appLogin: appLoginSchema.nullable(),
        nextStep: z
          .literal('liveness')
          .optional()
          .describe(
            'The flow asks for the face after this code: the app login is pending and its token opens only ' +
              '`POST /v2/biometric-validations/app-login`',
          ),
      }),
      z
        .object({
          message: z.literal('second_factor_required'),
          requires2FA: z.literal(true),
          secondFactor: z.literal('authenticator'),
          type: z.string(),
          ...address,
        })
        .describe('The code is right, and the flow asks for the authenticator too: send both again'),
    ]),
  );
};

type Validated = Awaited<ReturnType<CodeValidationService['validateEmail']>>;
const answerOf = (r: Validated, address: Record<string, string>) =>
  r.secondFactor
    ? {
        message: 'second_factor_required' as const,
        requires2FA: true as const,
        secondFactor: 'authenticator' as const,
        type: r.type,
        ...address,
      }
    : {
        token: r.token,
        type: r.type,
        ...address,
        appLogin: r.appLogin,
        ...(r.nextStep ? { nextStep: r.nextStep } : {}),
      };

export function registerCodeValidationRoutes(fastify: FastifyInstance, d: CodeValidationRoutesDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Sending costs money and reaches a person: a tenth of the general budget per address.
  const limitSends = rateLimitByAddress({ perMinute: Math.max(1, Math.ceil(d.rateLimitPerMinute / 10)) });
  const limitTries = rateLimitByAddress({ perMinute: d.rateLimitPerMinute });
  const callerOf = async (req: FastifyRequest): Promise<Caller> => {
    const token = bearerToken(req);
    if (!token) return { kind: 'public' };
    return { kind: 'client', clientId: (await d.clients.authenticate(token))._id };
  };

  app.post(
    '/v2/email-validations',
    {
      preValidation: limitSends,
      schema: {
        tags: ['email validations'],
        summary: 'Send a one-time code (or magic link) to an email address',
        body: createEmailValidationBody,
        response: { 200: dataOf(emailValidationSchema), ...imageRouteErrors },
      },
    },
    async (req) => ({ data: await d.codeValidations.createEmail(await callerOf(req), req.body) }),
  );
  app.post(
    '/v2/email-validations/validate',
    {
      preValidation: limitTries,
      schema: {
        tags: ['email validations'],
        summary:
          'Check an email code (and `authenticatorOTP` where the flow asks); a login code answers an app-login token',
        body: validateEmailBody,
        response: { 200: validateResponse('email'), ...imageRouteErrors },
      },
    },
    async (req) => {
      const r = await d.codeValidations.validateEmail(req.body);
      return { data: answerOf(r, { email: r.destination }) as never };
    },
  );
  app.post(
    '/v2/phone-validations',
    {
      preValidation: limitSends,
      schema: {
        tags: ['phone validations'],
        summary: 'Send a one-time code by SMS or WhatsApp',
        body: createPhoneValidationBody,
        response: { 200: dataOf(phoneValidationSchema), ...imageRouteErrors },
      },
    },
    async (req) => ({ data: await d.codeValidations.createPhone(await callerOf(req), req.body) }),
  );
  app.post(
    '/v2/phone-validations/validate',
    {
      preValidation: limitTries,
      schema: {
        tags: ['phone validations'],
        summary:
          'Check a phone code (and `authenticatorOTP` where the flow asks); a login code answers an app-login token',
        body: validatePhoneBody,
        response: { 200: validateResponse('phone'), ...imageRouteErrors },
      },
    },
    async (req) => {
      const r = await d.codeValidations.validatePhone(req.body);
      return { data: answerOf(r, { phone: r.destination }) as never };
    },
  );
}
