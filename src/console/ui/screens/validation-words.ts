import type { Language } from '../i18n.js';

// Words for a validation's status and failure reason, shared by the dashboard, the validations list and a
// validation's detail so the three never name the same outcome differently. Reasons are the server's wire codes
// (`failureReason`); an unknown one is shown as its code, so a new reason is visible before it is translated.

const statuses = {
  en: {
    new: 'New',
    pending: 'Retrying',
    validated: 'Validated',
    completed: 'Completed',
    failed: 'Failed',
    expired: 'Expired',
  },
  es: {
    new: 'Nueva',
    pending: 'Reintentando',
    validated: 'Validada',
    completed: 'Completada',
    failed: 'Fallida',
    expired: 'Caducada',
  },
} satisfies Record<Language, Record<string, string>>;

export type StatusName = keyof typeof statuses.en;
export const statusNames = Object.keys(statuses.en) as StatusName[];

const reasons: Record<Language, Record<string, string>> = {
  en: {
    liveness_failed: 'Not live (liveness below the minimum)',
    challenge_failed: 'Did not follow the movements asked for',
    person_not_found: 'Face not found among the enrolled',
    duplicated_person: 'Face already enrolled',
    person_already_set: 'Account already has a face',
    no_face_detected: 'No face in the picture',
    multiple_faces: 'More than one face',
    different_faces: 'Different people in one burst',
    face_too_small: 'Face too far away',
    face_too_blurred: 'Blurred picture',
    face_not_frontal: 'Face turned away',
    invalid_image: 'Unreadable image',
    invalid_otp: 'Wrong second-factor code',
    second_factor_required: 'Second factor not given',
    internal_error: 'Server error',
  },
  es: {
    liveness_failed: 'No es una persona en vivo (prueba de vida bajo el mínimo)',
    challenge_failed: 'No siguió los movimientos pedidos',
    person_not_found: 'Rostro no encontrado entre los inscritos',
    duplicated_person: 'Rostro ya inscrito',
    person_already_set: 'La cuenta ya tiene un rostro',
    no_face_detected: 'Ningún rostro en la imagen',
    multiple_faces: 'Más de un rostro',
    different_faces: 'Personas distintas en una ráfaga',
    face_too_small: 'Rostro demasiado lejos',
    face_too_blurred: 'Imagen borrosa',
    face_not_frontal: 'Rostro girado',
    invalid_image: 'Imagen ilegible',
    invalid_otp: 'Código del segundo factor incorrecto',
    second_factor_required: 'Falta el segundo factor',
    internal_error: 'Error del servidor',
  },
};

export const statusLabel = (lang: Language, status: string): string =>
  (statuses[lang] as Record<string, string>)[status] ?? status;

export const reasonLabel = (lang: Language, reason: string): string => reasons[lang][reason] ?? reason;

/** The badge class for a status: green for a success, red for a failure, amber while still open. */
export const statusTone = (status: string): 'ok' | 'bad' | 'warn' =>
  status === 'validated' || status === 'completed'
    ? 'ok'
    : status === 'failed' || status === 'expired'
      ? 'bad'
      : 'warn';
