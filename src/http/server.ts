import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { newObjectId } from '../domain/object-id.js';
import { AppError } from '../errors.js';
import type { Metrics } from '../ports/metrics.js';
import type { AuditLogService } from '../services/audit-log.service.js';
import type { AuditedSearchService } from '../services/audit-search.js';
import type { AuthenticatorService } from '../services/authenticator.service.js';
import type { ClientService } from '../services/client.service.js';
import type { CodeValidationService } from '../services/code-validation.service.js';
import type { ConsoleSessionService } from '../services/console-session.service.js';
import type { FaceRecognitionService } from '../services/face-recognition.service.js';
import type { PersonService } from '../services/person.service.js';
import type { PersonExportService } from '../services/person-export.service.js';
import type { ProjectLoginService } from '../services/project-login.service.js';
import type { ReadinessService } from '../services/readiness.service.js';
import type { StatsService } from '../services/stats.service.js';
import type { ValidationCreateService } from '../services/validation-create.service.js';
import type { ValidationRecordsService } from '../services/validation-records.service.js';
import type { ValidationSessionService } from '../services/validation-session.service.js';
import type { ValidateService } from '../services/validation-validate.service.js';
import type { WebhookDeliveriesService } from '../services/webhook-deliveries.service.js';
import { requireClient } from './auth.js';
import { registerCors } from './cors.js';
import { registerEngineScope } from './engine-scope.js';
import type { Envelope } from './envelope.js';
import { createErrorHandler, notFoundHandler } from './error-handler.js';
import { loggerOptions } from './logging.js';
import { registerRouteDocs, withRouteExamples } from './route-docs.js';
import { registerAuditLogRoutes } from './routes/audit-logs.routes.js';
import { registerAuthRoutes } from './routes/auth.routes.js';
import { registerAuthenticatorRoutes } from './routes/authenticator.routes.js';
import { registerBiometricValidationRoutes } from './routes/biometric-validations.routes.js';
import { registerCodeValidationRoutes } from './routes/code-validations.routes.js';
import { registerConsoleRoutes } from './routes/console.routes.js';
import { registerConsoleSessionRoutes } from './routes/console-session.routes.js';
import { registerFaceRecognitionRoutes } from './routes/face-recognition.routes.js';
import { registerHealthRoutes } from './routes/health.routes.js';
import { type MetricsEndpoint, registerMetricsRoutes } from './routes/metrics.routes.js';
import { registerPersonRoutes } from './routes/persons.routes.js';
import { registerPublicProjectRoutes } from './routes/public-project.routes.js';
import { type ResourceRoutesDeps, registerResourceRoutes } from './routes/resources.routes.js';
import { registerSearchRoutes } from './routes/search.routes.js';
import { registerStatsRoutes } from './routes/stats.routes.js';
import { registerWebRoutes } from './routes/web.routes.js';
import { registerWebhookDeliveryRoutes } from './routes/webhook-deliveries.routes.js';
import { validatorCompiler } from './validation.js';

export interface HttpDeps extends Omit<ResourceRoutesDeps, 'auth'> {
  clients: ClientService;
  codeValidations: CodeValidationService;
  faces: FaceRecognitionService;
  persons: PersonService;
  personExport: PersonExportService;
  authenticators: AuthenticatorService;
  search: AuditedSearchService;
  validationCreate: ValidationCreateService;
  validationSessions: ValidationSessionService;
  validate: ValidateService;
  validationRecords: ValidationRecordsService;
  projectLogin: ProjectLoginService;
  consoleSessions: ConsoleSessionService;
  readiness: ReadinessService;
  webhookDeliveries: WebhookDeliveriesService;
  stats: StatsService;
  auditLogs: AuditLogService;
  onWebhookSecretRotated: (clientId: string) => void;
  envelope: Envelope;
}

export interface HttpOptions {
  bodyLimitBytes: number;
  logLevel: string;
  /** Passed to Fastify as is; tests use it to silence or capture logs. */
  logger?: FastifyServerOptions['logger'];
  /** The process's logger (the composition root's), used instead of `logger` and `logLevel` when given. */
  loggerInstance?: FastifyBaseLogger;
  version: string;
  rateLimitPerMinute: number;
  /** /metrics and the request timings it reports; absent, no /metrics route. */
  metrics?: {
    endpoint: MetricsEndpoint & Pick<Metrics, 'httpRequest'>;
    token: string | undefined;
    allow: readonly string[] | null;
  };
  /** Browser origins allowed cross-origin: '*' or a list (empty: none). */
  corsOrigins: '*' | readonly string[];
}

export async function buildHttpServer(deps: HttpDeps, options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? loggerOptions(options.logLevel) ?? false }),
    bodyLimit: options.bodyLimitBytes,
    genReqId: () => newObjectId(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // What Fastify refuses before routing (a path parameter over 100 characters, a malformed URL) goes through the
    // error handler too, answering `{ code, message }` rather than Fastify's own body (#14).
    frameworkErrors: (err, _request, reply) =>
      (reply as FastifyReply).send(new AppError(err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uriTooLong' : 'badUrl')),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(createErrorHandler({ bodyLimitBytes: options.bodyLimitBytes }));
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('client', null);
  app.decorateRequest('operator', null);
  // The API speaks JSON only; a text body is a 415, not a string for the validator to puzzle over.
  app.removeContentTypeParser('text/plain');
  // Verifik's clients send `Content-Type: application/json` on every call, body or not (a DELETE, a
  // project-login): an empty body is no body, not a 400.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    json(request, body as string, done);
  });
  // Every response names its request, so that a caller can quote it and an operator find it in the log.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  registerCors(app, options.corsOrigins);
  registerEngineScope(app);

  registerRouteDocs(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Facegate',
        version: options.version,
        description:
          "Self-hosted biometric login and onboarding, wire-compatible with Verifik's API. Three tokens, all " +
          '`Authorization: Bearer <token>`: the client API token (management and face recognition), the ' +
          'liveness-session token (`data.token` of a created validation: validate, challenge, preview) and the ' +
          'app-login token (`data.token` of a successful validate: project-login). Bodies are JSON; images are ' +
          'base64 strings or data URIs. Every response carries X-Request-Id; error bodies are ' +
          '`{ code, message, requestId }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: withRouteExamples(jsonSchemaTransform),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const auth = requireClient(deps.clients, deps.consoleSessions);
  if (options.metrics) {
    registerMetricsRoutes(app, {
      metrics: options.metrics.endpoint,
      access: { metricsToken: options.metrics.token, metricsAllow: options.metrics.allow },
    });
  }
  registerHealthRoutes(app, deps);
  registerAuthRoutes(app, {
    clients: deps.clients,
    projectLogin: deps.projectLogin,
    auth,
    onSecretRotated: deps.onWebhookSecretRotated,
  });
  registerPublicProjectRoutes(app, { ...deps, rateLimitPerMinute: options.rateLimitPerMinute });
  registerResourceRoutes(app, { ...deps, auth });
  registerFaceRecognitionRoutes(app, { faces: deps.faces, envelope: deps.envelope, auth });
  registerPersonRoutes(app, { persons: deps.persons, personExport: deps.personExport, envelope: deps.envelope, auth });
  registerAuthenticatorRoutes(app, { authenticators: deps.authenticators, auth });
  registerSearchRoutes(app, { search: deps.search, envelope: deps.envelope, auth });
  registerBiometricValidationRoutes(app, { ...deps, auth, rateLimitPerMinute: options.rateLimitPerMinute });
  registerCodeValidationRoutes(app, { ...deps, rateLimitPerMinute: options.rateLimitPerMinute });
  registerWebRoutes(app, deps);
  registerConsoleRoutes(app);
  registerWebhookDeliveryRoutes(app, { webhookDeliveries: deps.webhookDeliveries, auth });
  registerStatsRoutes(app, { stats: deps.stats, auth });
  registerAuditLogRoutes(app, { auditLogs: deps.auditLogs, auth });
  registerConsoleSessionRoutes(app, { consoleSessions: deps.consoleSessions });
  return app;
}
