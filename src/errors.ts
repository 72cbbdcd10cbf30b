// The error catalogue. Codes and messages are part of the public API (Verifik's wire format): services throw
// AppError with a catalogue key; only the HTTP error handler turns the key into a status and a body.
// `usesAttempt: false` marks the failures of a validate call that do not count toward the session's `maxAttempts`:
// a photo to retake, or a busy server. Every other failure uses up an attempt.

export const errorCatalogue = {
  unauthorized: { status: 401, code: 'UNAUTHORIZED', message: 'Authentication required' },
  invalidToken: { status: 401, code: 'UNAUTHORIZED', message: 'invalid_token' },
  tokenExpired: { status: 403, code: 'FORBIDDEN', message: 'token_expired' },
  tokenRevoked: { status: 403, code: 'FORBIDDEN', message: 'token_revoked' },
  forbidden: { status: 403, code: 'FORBIDDEN', message: 'Access forbidden' },
  tokenNotRight: { status: 403, code: 'token_not_right', message: '403:token_not_right' },
  livenessSessionTokenMissing: {
    status: 403,
    code: 'liveness_session_token_missing',
    message: 'liveness_session_token_missing',
  },
  notFound: { status: 404, code: 'NotFound', message: 'Record not found.' },
  routeNotFound: { status: 404, code: 'ResourceNotFound', message: 'route_not_found' },
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
  badUrl: { status: 400, code: 'InvalidContent', message: 'invalid_url' },
  uriTooLong: { status: 414, code: 'URITooLong', message: 'path_parameter_too_long' },
  /** The client closed the connection before its body arrived: nobody reads this answer, the log does. */
  requestAborted: { status: 400, code: 'InvalidContent', message: 'request_aborted' },
  unsupportedMediaType: { status: 415, code: 'UnsupportedMediaType', message: 'unsupported_media_type' },
  // A request of the wrong shape (one image to an active flow, a wrong count of frames) is not the person's try.
  missingParameter: { status: 409, code: 'MissingParameter', message: 'missing parameter', usesAttempt: false },
  conflict: { status: 409, code: 'Conflict', message: 'conflict' },
  preconditionFailed: { status: 412, code: 'PreconditionFailed', message: 'precondition_failed', usesAttempt: false },
  payloadTooLarge: { status: 413, code: 'PayloadTooLarge', message: 'request_body_too_large' },
  tooManyRequests: { status: 429, code: 'TooManyRequests', message: 'too_many_requests' },
  // A busy engine is not the person's fault.
  engineBusy: { status: 503, code: 'engine_busy', message: 'face_engine_queue_full', usesAttempt: false },
  // Face engine rejections. The image itself is a bad parameter (409, like Verifik's invalid fields); a readable image
  // whose face cannot be used is a failed precondition (412), so clients can ask the user to retake the photo.
  imageInvalid: {
    status: 409,
    code: 'invalid_image',
    message: 'the image could not be decoded (send a JPEG, PNG or WebP)',
    usesAttempt: false,
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
  livenessFailed: { status: 409, code: 'liveness_failed', message: 'liveness_failed' },
  challengeFailed: { status: 409, code: 'challenge_failed', message: 'challenge_failed' },
  personNotFound: { status: 404, code: 'person_not_found', message: 'person_not_found' },
  duplicatedPerson: { status: 409, code: 'duplicated_person', message: 'duplicated_person' },
  personAlreadySet: { status: 409, code: 'person_already_set', message: 'person_already_set' },
  collectionNotSet: { status: 412, code: 'collection_not_set', message: 'collection_not_set' },
  tokenAlreadyUsed: { status: 403, code: 'token_already_used', message: 'token_already_used' },
  unavailable: { status: 503, code: 'ServiceUnavailable', message: 'service_unavailable' },
  internal: { status: 500, code: 'InternalServer', message: 'internal_error' },
} as const satisfies Record<string, CatalogueEntry>;

interface CatalogueEntry {
  status: number;
  code: string;
  message: string;
  /** False when a failed validate attempt with this error does not count toward the session's attempts. */
  usesAttempt?: false;
}

export type ErrorKind = keyof typeof errorCatalogue;

/** What a service keeps about an error for its own records (a score): never part of the response. */
export type ErrorDetail = Readonly<Record<string, string | number | boolean>>;

export interface AppErrorOptions {
  /** Overrides the catalogue's message (Verifik puts the precise reason in `message`). */
  message?: string;
  /** Overrides the wire `code` for families that share a status (e.g. 409 `liveness_failed`). */
  code?: string;
  /** Extra payload returned as `data` (e.g. the existing person on `person_already_set`). */
  data?: unknown;
  /** For the service's records only (e.g. the liveness score of a failed attempt); never serialised. */
  detail?: ErrorDetail;
  cause?: unknown;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  readonly code: string;
  readonly data: unknown;
  /** Not enumerable, and never read by the error handler: it stays on the server. */
  declare readonly detail: ErrorDetail | undefined;

  constructor(kind: ErrorKind, options: AppErrorOptions = {}) {
    const entry = errorCatalogue[kind];
    super(options.message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.status = entry.status;
    this.code = options.code ?? entry.code;
    this.data = options.data;
    Object.defineProperty(this, 'detail', { value: options.detail, enumerable: false });
  }
}

/** Whether a failure of a validate call counts toward the session's attempts (anything unexpected does). */
export const usesAttempt = (err: unknown): boolean =>
  !(err instanceof AppError) || (errorCatalogue[err.kind] as CatalogueEntry).usesAttempt !== false;

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** 409 MissingParameter naming the field, as Verifik does (`missing project`). */
export const missingParameter = (message: string): AppError => new AppError('missingParameter', { message });
