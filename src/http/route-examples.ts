import { OPS_ROUTE_EXAMPLES } from './route-examples-ops.js';

// A request and a response example for every route of the OpenAPI document, keyed as route-docs.ts keys its
// summaries ('METHOD /path/{param}'). test/http/openapi.test.ts checks that every operation has them and that each
// example is valid against the schema it illustrates, so an example cannot drift from what the route accepts.

export interface RouteExample {
  /** The JSON request body. */
  body?: unknown;
  /** The 200 response body. */
  response?: unknown;
}

const ids = {
  client: '665f1c2e9b1d4a3f8c2e7a10',
  project: '665f1c2e9b1d4a3f8c2e7a11',
  projectFlow: '665f1c2e9b1d4a3f8c2e7a12',
  collection: '665f1c2e9b1d4a3f8c2e7a13',
  person: '665f1c2e9b1d4a3f8c2e7a14',
  biometricValidation: '665f1c2e9b1d4a3f8c2e7a15',
  livenessSession: '665f1c2e9b1d4a3f8c2e7a16',
  appLogin: '665f1c2e9b1d4a3f8c2e7a17',
  thumbnail: '665f1c2e9b1d4a3f8c2e7a18',
  codeValidation: '665f1c2e9b1d4a3f8c2e7a19',
};
const collectionCode = '3f1c9a52-7d4e-4b8a-9c61-2e5f0a7b8d90';
const created = '2025-06-04T10:15:00.000Z';
const updated = '2025-06-04T10:16:30.000Z';
const expires = '2025-06-04T10:19:00.000Z';
const meta = (id: string) => ({ _id: id, createdAt: created, updatedAt: updated, __v: 0 });
const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NjVmMWMyZTliMWQ0YTNmOGMyZTdhMTAi…';
/** What Verifik's clients send: raw base64 (a data URI is accepted too). */
const image = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHR…';
const dataUri = `data:image/jpeg;base64,${image}`;

const envelope = (data: unknown) => ({
  id: 'K3Q9Z',
  data,
  signature: { message: 'Certified by Facegate (facegate.example.com)', dateTime: 'June 4, 2025 10:15 AM' },
});
const one = (doc: unknown) => ({ data: doc });
const list = (doc: unknown) => ({ data: [doc], total: 1 });

const branding = { bgColor: '#0b3d91', txtColor: '#ffffff', logo: 'https://shop.example/logo.png' };
const dataProtection = { name: 'Shop Ltd', email: 'privacy@shop.example', city: 'Bogotá', country: 'Colombia' };
const project = {
  ...meta(ids.project),
  client: ids.client,
  name: 'Shop',
  status: 'active',
  identifier: null,
  allowedCountries: ['Colombia'],
  contactEmail: 'support@shop.example',
  privacyUrl: 'https://shop.example/privacy',
  termsAndConditionsUrl: null,
  branding,
  dataProtection,
  retentionDays: null,
  consoleAccess: false,
};

const loginSettings = {
  faceLiveness: true,
  livenessMinScore: 0.6,
  searchMinScore: 0.85,
  searchMode: 'ACCURATE',
  livenessMode: 'active',
  showFaceLivenessRecommendation: false,
  getReadyScreen: true,
  email: false,
  emailGateway: 'none',
  phone: false,
  phoneGateway: 'none',
  steps: [],
};
const projectFlow = {
  ...meta(ids.projectFlow),
  client: ids.client,
  project: ids.project,
  type: 'login',
  status: 'active',
  name: 'Shop login',
  version: 1,
  redirectUrl: 'https://shop.example/done',
  webhookUrl: 'https://shop.example/hook',
  sessionMinutes: 4,
  maxAttempts: 3,
  loginSettings,
  onboardingSettings: { liveness: { livenessMinScore: 0.6, searchMinScore: 0.9, searchMode: 'ACCURATE' } },
};

const collection = {
  ...meta(ids.collection),
  client: ids.client,
  name: 'staff',
  description: 'Employees',
  code: collectionCode,
  project: ids.project,
  deleted: false,
};

const thumbnails = [{ id: ids.thumbnail, thumbnail: image }];
const person = {
  ...meta(ids.person),
  client: ids.client,
  name: 'Ada Lovelace',
  gender: 'F',
  date_of_birth: '1815-12-10',
  nationality: 'British',
  notes: null,
  email: 'ada@shop.example',
  phone: null,
  identifier: null,
  status: 'active',
  deleted: false,
  thumbnails,
  collections: [ids.collection],
};
const hit = {
  id: ids.person,
  _id: ids.person,
  name: 'Ada Lovelace',
  score: 0.93,
  gender: 'F',
  date_of_birth: '1815-12-10',
  nationality: 'British',
  thumbnails,
  collections: [{ id: ids.collection, name: 'staff' }],
};

const livenessSession = {
  client: ids.client,
  project: ids.project,
  projectFlow: ids.projectFlow,
  identifier: 'ada@shop.example',
  status: 'active',
  livenessResult: [],
  comparisonResult: [],
  generalInformation: [],
  documentTypeFields: [],
  location: [],
  proFields: [],
  studioFields: [],
  promptFields: [],
  expiresAt: expires,
  _id: ids.livenessSession,
  activatedAt: created,
  updatedAt: created,
  createdAt: created,
  __v: 0,
};
const completedSession = {
  ...livenessSession,
  status: 'completed',
  livenessResult: [{ key: 'livenessScore', value: 0.82 }],
  updatedAt: updated,
};
const createdValidation = {
  client: ids.client,
  project: ids.project,
  projectFlow: ids.projectFlow,
  livenessSession: ids.livenessSession,
  status: 'new',
  type: 'login',
  url: `https://facegate.example.com/sign-in/${ids.project}?type=liveness`,
  livenessScore: 0,
  assignedCollection: ids.collection,
  collectionCode,
  requires2FA: false,
  _id: ids.biometricValidation,
  updatedAt: created,
  createdAt: created,
  __v: 0,
};
const validation = {
  ...createdValidation,
  status: 'validated',
  livenessScore: 0.82,
  identifier: 'ada@shop.example',
  expiresAt: expires,
  redirectUrl: 'https://shop.example/done',
  webhookUrl: 'https://shop.example/hook',
  ipAddress: '203.0.113.7',
  language: 'en',
  sendViaEmail: false,
  email: null,
  attempts: 1,
  maxAttempts: 3,
  failureReason: null,
  person: ids.person,
  appLogin: ids.appLogin,
  completedAt: updated,
  updatedAt: updated,
  __v: 1,
};
const appLogin = {
  _id: ids.appLogin,
  client: ids.client,
  project: ids.project,
  projectFlow: ids.projectFlow,
  status: 'validated',
  type: 'faceLiveness',
  biometricValidation: ids.biometricValidation,
  livenessSession: ids.livenessSession,
  face: null,
  name: 'Ada Lovelace',
  person: ids.person,
  identifier: 'ada@shop.example',
  emailValidation: null,
  phoneValidation: null,
  accessControlLog: null,
  createdAt: updated,
  updatedAt: updated,
  __v: 0,
};

const ready = { status: 'ok', database: 'ok', index: 'ok', engine: 'ok' };
const session = { accessToken: jwt, tokenType: 'bearer', expiresAt: '2025-07-04T10:15:00.000Z' };
const clientProfile = {
  name: 'Shop Ltd',
  company: 'Shop Ltd',
  address: 'Cra 7 # 71-21, Bogotá',
  email: 'ops@shop.example',
  phone: '3001234567',
  countryCode: '+57',
  avatar: 'https://shop.example/ops.png',
};
const webhookSecret = one({ webhookSecret: '9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f' });
const liveness = { liveness_score: 0.82, min_score: 0.6, passed: true };
const face = {
  box: { top: 112, left: 236, right: 412, bottom: 338 },
  detection_score: 0.99,
  landmarks: {
    left_eye: [288, 198],
    right_eye: [362, 197],
    nose: [326, 243],
    left_mouth: [296, 286],
    right_mouth: [356, 285],
  },
  quality: { face_size: 176, sharpness: 0.71, yaw: -3.2, pitch: 4.1 },
  persons: [],
};
const publicFlow = {
  _id: ids.projectFlow,
  project: ids.project,
  type: 'login',
  status: 'active',
  name: 'Shop login',
  version: 1,
  redirectUrl: 'https://shop.example/done',
  loginSettings: {
    faceLiveness: true,
    livenessMinScore: 0.6,
    searchMode: 'ACCURATE',
    livenessMode: 'active',
    showFaceLivenessRecommendation: false,
  },
  onboardingSettings: { liveness: { livenessMinScore: 0.6 } },
};
const publicProject = {
  _id: ids.project,
  name: project.name,
  status: project.status,
  allowedCountries: project.allowedCountries,
  contactEmail: project.contactEmail,
  privacyUrl: project.privacyUrl,
  termsAndConditionsUrl: project.termsAndConditionsUrl,
  branding,
  dataProtection,
  projectFlows: [publicFlow],
};

const crud = (path: string, doc: unknown, create: unknown, update: unknown): Record<string, RouteExample> => ({
  [`POST ${path}`]: { body: create, response: one(doc) },
  [`GET ${path}`]: { response: list(doc) },
  [`GET ${path}/{id}`]: { response: one(doc) },
  [`PUT ${path}/{id}`]: { body: update, response: one(doc) },
  [`DELETE ${path}/{id}`]: { response: one(doc) },
});

const searchBody = { images: [image], collection_id: collectionCode, min_score: 0.85, search_mode: 'FAST' };
const liveSearchBody = { image, os: 'ANDROID', collection_id: collectionCode, liveness_min_score: 0.6 };
const createValidation = {
  project: ids.project,
  projectFlow: ids.projectFlow,
  identifier: 'ada@shop.example',
  type: 'login',
  language: 'en',
};

const codeValidation = {
  _id: ids.codeValidation,
  client: ids.client,
  project: ids.project,
  projectFlow: ids.projectFlow,
  type: 'login',
  validationMethod: 'verificationCode',
  language: 'en',
  status: 'sent',
  expiresAt: expires,
  attempts: 0,
  maxAttempts: 5,
  appLogin: null,
  validatedAt: null,
  createdAt: created,
  updatedAt: created,
  __v: 0,
};
const emailValidation = { email: 'ada@shop.example', ...codeValidation };
const phoneValidation = {
  phone: '3001234567',
  countryCode: '+57',
  phoneGateway: 'sms',
  ...codeValidation,
  language: 'es',
};
const codeAppLogin = (type: 'email' | 'phone') => ({
  ...appLogin,
  type,
  biometricValidation: null,
  livenessSession: null,
  face: null,
  name: type === 'email' ? 'ada@shop.example' : '+573001234567',
  person: null,
  identifier: type === 'email' ? 'ada@shop.example' : '+573001234567',
  emailValidation: type === 'email' ? ids.codeValidation : null,
  phoneValidation: type === 'phone' ? ids.codeValidation : null,
});

export const ROUTE_EXAMPLES: Record<string, RouteExample> = {
  'GET /health': { response: ready },
  'GET /health/ready': { response: ready },
  'GET /health/live': { response: { status: 'ok' } },
  'GET /v2/auth/session': {
    response: {
      ...session,
      user: {
        _id: ids.person,
        name: 'Ada Lovelace',
        email: 'ada@shop.example',
        phone: null,
        staff: false,
        credits: null,
        person: ids.person,
        appLogin: ids.appLogin,
        type: 'faceLiveness',
        project: ids.project,
        projectFlow: ids.projectFlow,
      },
      settings: {
        project: ids.project,
        name: project.name,
        allowedCountries: project.allowedCountries,
        contactEmail: project.contactEmail,
        privacyUrl: project.privacyUrl,
        termsAndConditionsUrl: project.termsAndConditionsUrl,
        branding,
        dataProtection,
      },
    },
  },
  'POST /v2/auth/session': { response: session },
  'POST /v2/auth/renew-and-revoke': { body: {}, response: { token: jwt, expiresAt: session.expiresAt } },
  'GET /v2/clients/webhook-secret': { response: webhookSecret },
  'POST /v2/clients/webhook-secret': { body: {}, response: webhookSecret },
  'PUT /v2/clients/{id}': {
    body: clientProfile,
    response: one({ ...meta(ids.client), status: 'active', ...clientProfile }),
  },
  'POST /v2/auth/project-login': {
    body: {},
    response: {
      data: { accessToken: jwt, tokenType: 'bearer', appLogin, person, appRegistration: null },
      status: 'success',
    },
  },
  'POST /v2/auth/console-session': {
    body: { project: ids.project },
    response: one({
      accessToken: jwt,
      tokenType: 'bearer',
      expiresAt: '2026-05-04T18:00:00.000Z',
      project: ids.project,
      operator: { _id: ids.person, name: 'Ada Lovelace', email: 'ada@shop.example' },
    }),
  },
  'DELETE /v2/auth/console-session': { response: one({ ended: true }) },
  'GET /v2/projects/kyc': { response: one(publicProject) },
  ...crud(
    '/v2/projects',
    project,
    { name: 'Shop', allowedCountries: ['Colombia'], contactEmail: 'support@shop.example', branding, dataProtection },
    { status: 'inactive', branding: { bgColor: '#202020' } },
  ),
  ...crud(
    '/v2/project-flows',
    projectFlow,
    {
      project: ids.project,
      type: 'login',
      name: 'Shop login',
      redirectUrl: 'https://shop.example/done',
      webhookUrl: 'https://shop.example/hook',
      loginSettings: { livenessMinScore: 0.6, searchMinScore: 0.85, searchMode: 'ACCURATE', livenessMode: 'active' },
    },
    { maxAttempts: 5, loginSettings: { searchMinScore: 0.9 } },
  ),
  ...crud(
    '/v2/face-recognition/collections',
    collection,
    { name: 'staff', description: 'Employees', project: ids.project },
    { description: 'Employees and contractors' },
  ),
  'POST /v2/face-recognition/detect': {
    body: { image: dataUri, min_score: 0.85, max_results: 10 },
    response: envelope([face]),
  },
  'POST /v2/face-recognition/compare': {
    body: { probe: [image], gallery: [image], compare_min_score: 0.85 },
    response: envelope({ score: 0.93, passed: true, compare_min_score: 0.85, result: { score: 0.93, passed: true } }),
  },
  'POST /v2/face-recognition/compare-live': {
    body: { probe: image, gallery: [image], os: 'DESKTOP', liveness_min_score: 0.65, compare_min_score: 0.85 },
    response: envelope({
      score: 0.93,
      passed: true,
      compare_min_score: 0.85,
      liveness_min_score: 0.65,
      liveness: { ...liveness, min_score: 0.65 },
      result: { score: 0.93, liveness_score: 0.82, passed: true },
    }),
  },
  'POST /v2/face-recognition/compare-with-liveness': {
    body: { probe: image, gallery: [image], liveness_min_score: 0.6, compare_min_score: 0.85 },
    response: envelope({
      comparison: { result: { score: 0.93, passed: true }, compare_min_score: 0.85 },
      liveness: { result: liveness },
    }),
  },
  'POST /v2/face-recognition/liveness': {
    body: { image, os: 'IOS', liveness_min_score: 0.6 },
    response: envelope(liveness),
  },
  'POST /v2/face-recognition/liveness-score': {
    body: { image, os: 'IOS', liveness_min_score: 0.6 },
    response: envelope(liveness),
  },
  'POST /v2/face-recognition/persons': {
    body: {
      name: 'Ada Lovelace',
      images: [image],
      gender: 'F',
      date_of_birth: '1815-12-10',
      nationality: 'British',
      email: 'ada@shop.example',
      collections: [ids.collection],
    },
    response: envelope(person),
  },
  'GET /v2/face-recognition/persons': { response: { ...envelope([person]), total: 1 } },
  'GET /v2/face-recognition/persons/lookup': { response: { ...envelope([person]), total: 1 } },
  'GET /v2/face-recognition/persons/{id}': { response: envelope(person) },
  'GET /v2/face-recognition/persons/{id}/export': {
    response: envelope({
      exportedAt: updated,
      person,
      appLogins: [appLogin],
      auditLog: [
        {
          _id: '665f1c2e9b1d4a3f8c2e7a20',
          client: ids.client,
          actor: { type: 'client', id: ids.client, name: 'Shop Ltd' },
          action: 'person.create',
          resource: { type: 'person', id: ids.person },
          ip: '203.0.113.7',
          userAgent: 'curl/8.5.0',
          createdAt: updated,
        },
      ],
    }),
  },
  'PUT /v2/face-recognition/persons/{id}': {
    body: { notes: 'Badge 1815', collections: [ids.collection, collectionCode] },
    response: envelope(person),
  },
  'DELETE /v2/face-recognition/persons/{id}': { response: envelope(person) },
  'POST /v2/face-recognition/persons/{id}/authenticator': {
    response: one({
      person: ids.person,
      type: 'totp',
      otpauthUri:
        'otpauth://totp/Shop:Ada%20Lovelace?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Shop&algorithm=SHA1&digits=6&period=30',
      qrCode: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAKQAAACkCAYAAAAZtYVBAAAAAklEQVR4AewaftIAAAX…',
      enrolledAt: created,
    }),
  },
  'GET /v2/face-recognition/persons/{id}/authenticator': {
    response: one({ person: ids.person, type: 'totp', enrolled: true, enrolledAt: created }),
  },
  'DELETE /v2/face-recognition/persons/{id}/authenticator': {
    response: one({ person: ids.person, type: 'totp', enrolled: false, enrolledAt: null }),
  },
  'POST /v2/face-recognition/search': { body: searchBody, response: envelope([hit]) },
  'POST /v2/face-recognition/search/crops': { body: searchBody, response: envelope([hit]) },
  'POST /v2/face-recognition/verify': {
    body: { id: ids.person, images: [image], min_score: 0.85 },
    response: envelope({ match: { ...hit, passed: true } }),
  },
  'POST /v2/face-recognition/search-live-face': {
    body: liveSearchBody,
    response: envelope({
      search: [hit],
      persons: [{ id: ids.person, score: 0.93 }],
      liveness: { result: liveness, score: 0.82, passed: true },
      liveness_score: 0.82,
    }),
  },
  'POST /v2/face-recognition/search-active-user': {
    body: liveSearchBody,
    response: envelope({ persons: [hit], liveness: { score: 0.82, min_score: 0.6, passed: true } }),
  },
  'POST /v2/face-recognition/persons/search-live-face': {
    body: {
      name: 'Ada Lovelace',
      images: [image],
      gender: 'F',
      date_of_birth: '1815-12-10',
      collection_id: ids.collection,
      liveness_min_score: 0.6,
      min_score: 0.85,
      search_mode: 'ACCURATE',
    },
    response: envelope(person),
  },
  'POST /v2/biometric-validations': {
    body: { ...createValidation, redirectUrl: 'https://shop.example/done' },
    response: one({ livenessSession, biometricValidation: createdValidation, token: jwt }),
  },
  'GET /v2/biometric-validations': { response: list(validation) },
  'POST /v2/biometric-validations/app-login': {
    body: createValidation,
    response: one({
      livenessSession,
      biometricValidation: { ...createdValidation, redirectUrl: null, webhook: null },
      token: jwt,
    }),
  },
  'POST /v2/biometric-validations/validate': {
    body: {
      image: dataUri,
      os: 'DESKTOP',
      location: { latitude: 4.711, longitude: -74.072, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) …' },
    },
    response: envelope({
      appLogin,
      livenessSession: completedSession,
      biometricValidation: validation,
      person: ids.person,
      token: jwt,
    }),
  },
  'GET /v2/biometric-validations/challenge': {
    response: one({ mode: 'active', steps: ['turn_left', 'blink', 'turn_right'], framesPerStep: 6, language: 'en' }),
  },
  'POST /v2/biometric-validations/preview': {
    body: { image: dataUri },
    response: one({
      width: 640,
      height: 480,
      faces: 1,
      box: face.box,
      quality: { faceSize: 176, sharpness: 0.71, yaw: -3.2, pitch: 4.1 },
    }),
  },
  'GET /v2/biometric-validations/{id}': { response: one(validation) },
  'DELETE /v2/biometric-validations/{id}': { response: one(validation) },
  'GET /v2/liveness-sessions': { response: list(completedSession) },
  'GET /v2/liveness-sessions/{id}': { response: one(completedSession) },
  'GET /v2/app-logins': { response: list(appLogin) },
  'GET /v2/app-logins/{id}': { response: one(appLogin) },
  'POST /v2/email-validations': {
    body: {
      email: 'ada@shop.example',
      project: ids.project,
      projectFlow: ids.projectFlow,
      type: 'login',
      validationMethod: 'verificationCode',
      language: 'en',
    },
    response: one(emailValidation),
  },
  'POST /v2/email-validations/validate': {
    body: { email: 'ada@shop.example', otp: '482913', projectFlow: ids.projectFlow },
    response: one({ token: jwt, type: 'login', email: 'ada@shop.example', appLogin: codeAppLogin('email') }),
  },
  'POST /v2/phone-validations': {
    body: {
      phone: '3001234567',
      countryCode: '+57',
      phoneGateway: 'sms',
      project: ids.project,
      projectFlow: ids.projectFlow,
      type: 'login',
      language: 'es',
    },
    response: one(phoneValidation),
  },
  'POST /v2/phone-validations/validate': {
    body: { phone: '3001234567', countryCode: '+57', otp: '482913', projectFlow: ids.projectFlow },
    response: one({ token: jwt, type: 'login', phone: '+573001234567', appLogin: codeAppLogin('phone') }),
  },
  ...OPS_ROUTE_EXAMPLES,
};
