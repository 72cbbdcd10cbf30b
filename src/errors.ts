// The error catalogue. Codes and messages are part of the public API (Verifik's wire format): services throw
// AppError with a catalogue key; only the HTTP error handler turns the key into a status and a body. One entry per
// wire form: a condition that answers differently on different routes (Verifik's own forms) has an entry per form.
// An entry with `shows` takes a typed detail (a score, a reason, a limit) that the handler joins to the message
// (`liveness_failed@0.45`); only `missingParameter` takes a message of its own, naming the field.
// `usesAttempt: false` marks the failures of a validate call that do not count toward the session's `maxAttempts`:
// a photo to retake, or a busy server. Every other failure uses up an attempt.

export const errorCatalogue = {
  unauthorized: { status: 401, code: 'UNAUTHORIZED', message: 'Authentication required' },
  /** Which token the route wants, named: `Authentication required: send the client API token as …`. */
  tokenRequired: { status: 401, code: 'UNAUTHORIZED', message: 'Authentication required', shows: ': ' },
  /** A public (token-less) create that sets what only an integrator may set. */
  publicCreateNeedsToken: {
    status: 401,
    code: 'UNAUTHORIZED',
    message: 'redirectUrl, webhookUrl, expiresAt and sendViaEmail need an API token',
  },
  invalidToken: { status: 401, code: 'UNAUTHORIZED', message: 'invalid_token' },
  tokenExpired: { status: 403, code: 'FORBIDDEN', message: 'token_expired' },
  tokenRevoked: { status: 403, code: 'FORBIDDEN', message: 'token_revoked' },
  forbidden: { status: 403, code: 'FORBIDDEN', message: 'Access forbidden' },
  /** A browser origin outside FACEGATE_CORS_ORIGINS; shows the origin. */
  originNotAllowed: { status: 403, code: 'FORBIDDEN', message: 'origin_not_allowed', shows: ': ' },
  tokenNotRight: { status: 403, code: 'token_not_right', message: '403:token_not_right' },
  /** A console session asked for on a project that is not its tenant's operators' sign-in project. */
  consoleAccessOff: { status: 403, code: 'console_access_off', message: 'console_access_off' },
  /** A console session for a login that did not pass the email code and then the operator's own face. */
  consoleNeedsCodeAndFace: {
    status: 403,
    code: 'console_needs_code_and_face',
    message: 'console_needs_code_and_face',
  },
  /** What an operator's console session may not do: mint API tokens, or change who may sign in. */
  apiTokenOnly: { status: 403, code: 'api_token_only', message: 'api_token_only', shows: ': ' },
  /** Signing out is a console session's: another token (the API token is ended by renew-and-revoke). */
  consoleSessionOnly: { status: 403, code: 'console_session_only', message: 'console_session_only' },
  livenessSessionTokenMissing: {
    status: 403,
    code: 'liveness_session_token_missing',
    message: 'liveness_session_token_missing',
  },
  notFound: { status: 404, code: 'NotFound', message: 'Record not found.' },
  /** The project a flow or collection names is missing or another tenant's. */
  namedProjectNotFound: { status: 404, code: 'NotFound', message: 'project_not_found' },
  /** /verify of a person enrolled without any template. */
  personHasNoFace: { status: 404, code: 'NotFound', message: 'person_has_no_face' },
  /** Shows the method and path. */
  routeNotFound: { status: 404, code: 'ResourceNotFound', message: 'route_not_found', shows: ': ' },
  projectNotFound: {
    status: 404,
    code: 'Project_not_found_or_featured_disabled',
    message: '404:Project_not_found_or_featured_disabled',
  },
  biometricValidationNotFound: {
    status: 404,
    code: 'biometric_validation_not_found',
    message: '404:biometric_validation_not_found',
  },
  invalidCollection: { status: 404, code: 'ERROR', message: 'invalid_collection' },
  invalidJson: { status: 400, code: 'InvalidContent', message: 'invalid_json_body' },
  emptyJson: { status: 400, code: 'InvalidContent', message: 'empty_json_body' },
  badUrl: { status: 400, code: 'InvalidContent', message: 'invalid_url' },
  uriTooLong: { status: 414, code: 'URITooLong', message: 'path_parameter_too_long' },
  /** The client closed the connection before its body arrived: nobody reads this answer, the log does. */
  requestAborted: { status: 400, code: 'InvalidContent', message: 'request_aborted' },
  unsupportedMediaType: {
    status: 415,
    code: 'UnsupportedMediaType',
    message:
      'unsupported_media_type: send a JSON body (Content-Type: application/json) with images as base64 strings ' +
      'or data URIs; multipart and form uploads are not accepted',
  },
  // A request of the wrong shape (one image to an active flow, a wrong count of frames) is not the person's try.
  missingParameter: { status: 409, code: 'MissingParameter', message: 'missing parameter', usesAttempt: false },
  conflict: { status: 409, code: 'Conflict', message: 'conflict' },
  clientChangedMeanwhile: { status: 409, code: 'Conflict', message: 'client_changed_meanwhile' },
  tokenRenewalInProgress: { status: 409, code: 'Conflict', message: 'token_renewal_in_progress' },
  /** Verifik's answer to an image string too short to be an image. */
  onlyImagesInBase64: { status: 412, code: 'ERROR', message: 'only_images_in_base64', usesAttempt: false },
  /** Person create (§5.2): the name and date of birth are taken in the collection; `data` is the holder. */
  personAlreadyEnrolled: { status: 412, code: 'PreconditionFailed', message: 'person_already_set', usesAttempt: false },
  /** Shows the limit. */
  payloadTooLarge: { status: 413, code: 'PayloadTooLarge', message: 'request_body_too_large', shows: ': ' },
  tooManyRequests: { status: 429, code: 'TooManyRequests', message: 'too_many_requests' },
  // A busy engine is not the person's fault.
  engineBusy: { status: 503, code: 'engine_busy', message: 'face_engine_queue_full', usesAttempt: false },
  /** The server is shutting down its face engine. */
  engineClosed: { status: 503, code: 'ServiceUnavailable', message: 'face engine is closed' },

  // Face engine rejections. The image itself is a bad parameter (409, like Verifik's invalid fields); a readable image
  // whose face cannot be used is a failed precondition (412), so clients can ask the user to retake the photo.
  imageInvalid: {
    status: 409,
    code: 'invalid_image',
    message: 'the image could not be decoded (send a JPEG, PNG or WebP)',
    usesAttempt: false,
  },
  imageEmpty: { status: 409, code: 'invalid_image', message: 'the image is empty', usesAttempt: false },
  /** An image decoded to other than 3 channels; shows how many. */
  imageChannels: {
    status: 409,
    code: 'invalid_image',
    message: 'the image did not decode to 3 colour channels',
    usesAttempt: false,
    shows: ': ',
  },
  /** FACEGATE_ALLOW_IMAGE_URLS: the URL could not be fetched, or answered this status (shown). */
  imageUrlUnreachable: {
    status: 409,
    code: 'invalid_image',
    message: 'the image URL could not be fetched',
    usesAttempt: false,
    shows: ': ',
  },
  // A camera's photo too big to analyse is a photo to resend smaller, not the person's try (#14).
  imageTooLarge: {
    status: 413,
    code: 'image_too_large',
    message: 'the image has too many pixels (at most 50 megapixels)',
    usesAttempt: false,
  },
  noFace: { status: 412, code: 'no_face_detected', message: 'no face was detected in the image', usesAttempt: false },
  multipleFaces: {
    status: 412,
    code: 'multiple_faces',
    message: 'the image has more than one face',
    usesAttempt: false,
  },
  faceTooSmall: {
    status: 412,
    code: 'face_too_small',
    message: 'the face is too small; move closer to the camera',
    usesAttempt: false,
  },
  faceTooBlurred: {
    status: 412,
    code: 'face_too_blurred',
    message: 'the face is too blurred; hold still and retake',
    usesAttempt: false,
  },
  faceNotFrontal: {
    status: 412,
    code: 'face_not_frontal',
    message: 'the face is not frontal enough; look at the camera',
    usesAttempt: false,
  },
  // Biometric validation outcomes (§2.4). `message` follows Verifik's convention, the hosted page splits it on '@'.
  // A person without an API token learns pass or fail and what to retake, never a score (a gradient to climb).
  livenessSessionExpired: { status: 403, code: 'liveness_session_expired', message: 'liveness_session_expired' },
  livenessSessionClosed: { status: 409, code: 'liveness_session_completed', message: 'liveness_session_completed' },
  attemptsExhausted: { status: 409, code: 'attempts_exhausted', message: 'attempts_exhausted' },
  validationInProgress: { status: 409, code: 'validation_in_progress', message: 'validation_in_progress' },
  /** A second factor is due (requires2FA): the session now takes `authenticatorOTP`, not another face. */
  secondFactorRequired: {
    status: 409,
    code: 'second_factor_required',
    message: 'second_factor_required',
    usesAttempt: false,
  },
  /** `authenticatorOTP` sent before the face passed, or to a validation that asks for no second factor. */
  secondFactorNotDue: {
    status: 409,
    code: 'second_factor_not_due',
    message: 'second_factor_not_due',
    usesAttempt: false,
  },
  /** A flow whose steps put a code before the face: the face validation hangs from that code's app login. */
  codeRequired: { status: 412, code: 'code_required', message: 'code_required' },
  /** A wrong, malformed, expired or replayed authenticator code. */
  invalidAuthenticatorOTP: { status: 409, code: 'invalid_authenticator_otp', message: 'invalid_authenticator_otp' },
  authenticatorNotEnrolled: {
    status: 412,
    code: 'authenticator_not_enrolled',
    message: 'authenticator_not_enrolled',
    usesAttempt: false,
  },
  /** Too many wrong codes in a row: one try per lockout period until a code is right. */
  authenticatorLocked: { status: 429, code: 'authenticator_locked', message: 'authenticator_locked' },
  /** Shows the score only where an integrator (API token) asked: `liveness_failed@0.45`. */
  livenessFailed: { status: 409, code: 'liveness_failed', message: 'liveness_failed', shows: '@' },
  /** Shows why, where the page acts on it: `challenge_failed@different_faces`. */
  challengeFailed: { status: 409, code: 'challenge_failed', message: 'challenge_failed', shows: '@' },
  personNotFound: { status: 404, code: 'person_not_found', message: 'person_not_found' },
  /** Onboarding validation: the face is enrolled already. */
  duplicatedPerson: { status: 409, code: 'duplicated_person', message: 'duplicated_person' },
  /** `persons/search-live-face` (§5.2): the face is enrolled already, in Verifik's form for that route. */
  duplicatedPersonLive: { status: 409, code: 'ERROR', message: '409:duplicated_person' },
  /** Onboarding validation: the identifier is enrolled already. */
  personAlreadySet: { status: 409, code: 'person_already_set', message: 'person_already_set' },
  collectionNotSet: { status: 412, code: 'collection_not_set', message: 'collection_not_set' },
  tokenAlreadyUsed: { status: 403, code: 'token_already_used', message: 'token_already_used' },
  // One-time codes (email and phone validations, §6.2). An unknown address answers as a wrong code does.
  invalidOtp: { status: 409, code: 'invalid_otp', message: 'invalid_otp' },
  otpExpired: { status: 409, code: 'otp_expired', message: 'otp_expired' },
  otpAlreadyUsed: { status: 409, code: 'otp_already_used', message: 'otp_already_used' },
  /** Verifik's doc-only form for a code (or destination) whose tries are used up. */
  maxAttemptsExceeded: { status: 410, code: 'MAX_ATTEMPTS_EXCEEDED', message: 'max_attempts_exceeded' },
  /** Shows the seconds to wait before another code to the same address. */
  resendCooldown: { status: 429, code: 'TooManyRequests', message: 'resend_cooldown', shows: ': ' },
  /** Shows which variables to set. */
  transportNotConfigured: { status: 503, code: 'ServiceUnavailable', message: 'transport_not_configured', shows: ': ' },
  codeDeliveryFailed: { status: 503, code: 'ServiceUnavailable', message: 'code_delivery_failed' },
  /** The request ended (failed, or its client went away) before the face engine took its image. */
  unavailable: { status: 503, code: 'ServiceUnavailable', message: 'the request ended before the face engine ran' },
  /** Anything unexpected, a face engine worker's failure included: the log has the cause, the client only this. */
  internal: { status: 500, code: 'InternalServer', message: 'internal_error' },
} as const satisfies Record<string, CatalogueEntry>;

interface CatalogueEntry {
  status: number;
  code: string;
  message: string;
  /** False when a failed validate attempt with this error does not count toward the session's attempts. */
  usesAttempt?: false;
  /** How a shown detail joins the message: `@` (Verifik's `liveness_failed@0.45`) or `: `. */
  shows?: '@' | ': ';
}

export type ErrorKind = keyof typeof errorCatalogue;

/** What a service keeps about an error for its own records (a score): never part of the response. */
export type ErrorDetail = Readonly<Record<string, string | number | boolean>>;

export interface AppErrorOptions {
  /** Which of several images the error is about: the message names it first (`images[1]: …`). */
  about?: string;
  /** For entries with `shows`: the detail the error handler joins to the message (a score, a reason, a limit). */
  shown?: string | number;
  /** Extra payload returned as `data` (e.g. the existing person on `person_already_set`). */
  data?: unknown;
  /** For the service's records only (e.g. the liveness score of a failed attempt); never serialised. */
  detail?: ErrorDetail;
  cause?: unknown;
}

/** Only `missingParameter` says in its own words what is wrong, naming the field (`missing project`). */
export interface MissingParameterOptions extends AppErrorOptions {
  message?: string;
}

type KindWithoutMessage = Exclude<ErrorKind, 'missingParameter'>;

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly code: string;
  /** The detail the entry shows, if any (see `shows`); `wireMessage` joins it. */
  readonly shown: string | number | undefined;
  readonly about: string | undefined;
  readonly data: unknown;
  /** Not enumerable, and never read by the error handler: it stays on the server. */
  declare readonly detail: ErrorDetail | undefined;

  constructor(kind: 'missingParameter', options?: MissingParameterOptions);
  constructor(kind: KindWithoutMessage, options?: AppErrorOptions);
  constructor(kind: ErrorKind, options: MissingParameterOptions = {}) {
    const entry: CatalogueEntry = errorCatalogue[kind];
    const message = kind === 'missingParameter' && options.message !== undefined ? options.message : entry.message;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.status = entry.status;
    this.code = entry.code;
    this.shown = entry.shows === undefined ? undefined : options.shown;
    this.about = options.about;
    this.data = options.data;
    Object.defineProperty(this, 'detail', { value: options.detail, enumerable: false });
  }
}

/** The message on the wire: the entry's (or missingParameter's own), with its shown detail joined. */
export function wireMessage(e: AppError): string {
  const shows = (errorCatalogue[e.kind] as CatalogueEntry).shows;
  const message = shows === undefined || e.shown === undefined ? e.message : `${e.message}${shows}${e.shown}`;
  return e.about === undefined ? message : `${e.about}: ${message}`;
}

/** Whether a failure of a validate call counts toward the session's attempts (anything unexpected does). */
export const usesAttempt = (err: unknown): boolean =>
  !(err instanceof AppError) || (errorCatalogue[err.kind] as CatalogueEntry).usesAttempt !== false;

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** 409 MissingParameter naming the field, as Verifik does (`missing project`). */
export const missingParameter = (message: string): AppError => new AppError('missingParameter', { message });
