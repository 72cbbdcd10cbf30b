// The hosted page's words, in English and Spanish. Pure data and functions: the page imports it in the browser and
// the server imports it to render the first paint in the right language (no flash of the other language).
// Error keys are the server's message codes (Verifik's `message` split on '@', see verifik-api.md §1.3).

export const languages = ['en', 'es'] as const;
export type Language = (typeof languages)[number];

const en = {
  page_title_login: '{project}: sign in',
  page_title_onboarding: '{project}: register',
  title_login: 'Sign in with your face',
  title_onboarding: 'Register your face',
  lead_login: 'We check that it is really you, live. It takes a few seconds.',
  lead_onboarding: 'We take one photo of your face to register you. It takes a few seconds.',
  switch_language: 'Español',
  switch_language_label: 'Cambiar el idioma a español',
  video_label: 'Camera preview',
  guidance_label: 'Checklist',
  camera_starting: 'Starting the camera. If your browser asks, allow the camera.',
  take_photo: 'Take photo',
  start_challenge: 'Start',
  get_ready_start: 'Start',
  get_ready_login_passive: 'Look at the camera and hold still for about two seconds. The photo is taken by itself.',
  get_ready_login_active: 'Look at the camera, then turn your head or blink when asked. About ten seconds.',
  get_ready_onboarding_passive:
    'Look at the camera and hold still for about two seconds. The photo is taken by itself.',
  get_ready_onboarding_active: 'Look at the camera, then turn your head or blink when asked. About ten seconds.',
  get_ready_light: 'Face a window or a lamp, so that your face is well lit.',
  get_ready_kept_login:
    'We compare your face with the one you registered and keep only the result and a small photo as a record.',
  get_ready_kept_onboarding:
    'We keep a template of your face to recognise you next time, and a small photo as a record.',
  retry: 'Try again',
  start_over: 'Start again',
  check_face: 'Face found',
  check_centred: 'Centred',
  check_close: 'Close enough',
  check_steady: 'Steady',
  check_light: 'Good light',
  check_done: 'done',
  check_pending: 'not yet',
  hint_no_face: 'Put your face inside the oval.',
  hint_many_faces: 'Only one person should be in view.',
  hint_centre: 'Move your face to the middle of the oval.',
  hint_closer: 'Come a little closer.',
  hint_further: 'Move back a little.',
  hint_frontal: 'Look straight at the camera.',
  hint_steady: 'Hold still.',
  hint_dark: 'Find more light: face a window or a lamp.',
  hint_face_dark: 'Your face is in the dark: turn towards a window or a lamp.',
  hint_blurred: 'The picture is blurred: add light on your face, or clean the lens.',
  hint_bright: 'Too much light: avoid strong light behind or on you.',
  hint_ready: 'Good. Hold still…',
  hint_manual: 'Put your face inside the oval, then press Take photo.',
  challenge_intro: 'Keep your face in the oval and follow the instructions that appear. It takes about 8 seconds.',
  step_progress: 'Step {n} of {total}',
  step_turn_left: 'Turn your head slowly to your left',
  step_turn_right: 'Turn your head slowly to your right',
  step_blink: 'Blink slowly: close your eyes for a moment',
  step_look_center: 'Look at the camera',
  sending: 'Checking. This takes a few seconds…',
  success_login: 'You are signed in',
  success_onboarding: 'Your face is registered',
  redirecting: 'Taking you back…',
  close_page: 'You can close this page now.',
  footer_privacy: 'Privacy',
  footer_terms: 'Terms',
  footer_note: 'Your image is used only to check that it is you.',
  noscript: 'This page needs JavaScript to use the camera.',
  // Camera states.
  cam_denied: 'Camera access is blocked',
  cam_denied_text:
    'Allow the camera for this site: open the site settings (the lock or camera icon next to the address), set Camera to Allow, then press Try again. In an app, allow the camera for that app in your phone settings.',
  cam_none: 'No camera found',
  cam_none_text: 'Connect a camera, or open this link on a phone with a camera, then press Try again.',
  cam_busy: 'The camera is in use',
  cam_busy_text: 'Close other apps or tabs that use the camera, then press Try again.',
  cam_insecure: 'The camera needs a secure connection',
  cam_insecure_text: 'Open this page with an https:// address.',
  cam_unsupported: 'This browser cannot use the camera',
  cam_unsupported_text: 'Open the link in an up-to-date browser such as Chrome, Safari, Firefox or Edge.',
  // Outcomes of /validate and the session.
  liveness_failed: 'We could not confirm a live person',
  liveness_failed_text: 'Face a window or a lamp, hold still, and try again.',
  challenge_failed: 'The movements did not match the instructions',
  challenge_failed_text: 'Follow each instruction as it appears: turn your head or blink when asked.',
  different_faces: 'More than one person was seen',
  different_faces_text: 'Only the person signing in should be in front of the camera. Try again on your own.',
  person_not_found: 'We did not find you',
  person_not_found_text: 'Register first, then sign in.',
  duplicated_person: 'This face is already registered',
  duplicated_person_text: 'You are already registered: sign in instead.',
  person_already_set: 'This account already has a face registered',
  person_already_set_text: 'Sign in instead of registering again.',
  no_face_detected: 'We could not see a face',
  no_face_detected_text: 'Put your face inside the oval and try again.',
  multiple_faces: 'More than one face is in view',
  multiple_faces_text: 'Make sure only you are in the picture, then try again.',
  face_too_small: 'Your face is too far away',
  face_too_small_text: 'Come closer to the camera and try again.',
  face_too_blurred: 'The photo was blurred',
  face_too_blurred_text: 'Add light on your face and hold still, then try again.',
  face_not_frontal: 'Your face was turned away',
  face_not_frontal_text: 'Look straight at the camera and try again.',
  invalid_image: 'The photo could not be read',
  invalid_image_text: 'Try again.',
  liveness_session_expired: 'This session has expired',
  liveness_session_expired_text: 'Start again to get a new session.',
  liveness_session_completed: 'This session is already finished',
  liveness_session_completed_text: 'Start again to get a new session.',
  attempts_exhausted: 'Too many attempts',
  attempts_exhausted_text: 'Start again to get a new session.',
  handed_session_text: 'Go back to the app that sent you here and start again.',
  validation_in_progress: 'Your previous attempt is still being checked',
  validation_in_progress_text: 'Wait a moment, then try again.',
  busy: 'The service is busy',
  busy_text: 'Wait a few seconds, then try again.',
  not_available: 'This sign-in is not available',
  not_available_text: 'The link may be wrong, or the service is paused. Contact the organisation that sent it.',
  network: 'No connection to the server',
  network_text: 'Check your internet connection, then try again.',
  generic: 'Something went wrong',
  generic_text: 'Try again. If it keeps happening, contact the organisation that sent you here.',
} as const;

export type MessageKey = keyof typeof en;

const es: Record<MessageKey, string> = {
  page_title_login: '{project}: iniciar sesión',
  page_title_onboarding: '{project}: registro',
  title_login: 'Inicia sesión con tu rostro',
  title_onboarding: 'Registra tu rostro',
  lead_login: 'Comprobamos que eres tú, en vivo. Tarda unos segundos.',
  lead_onboarding: 'Tomamos una foto de tu rostro para registrarte. Tarda unos segundos.',
  switch_language: 'English',
  switch_language_label: 'Switch the language to English',
  video_label: 'Vista de la cámara',
  guidance_label: 'Lista de comprobación',
  camera_starting: 'Iniciando la cámara. Si el navegador lo pide, permite la cámara.',
  take_photo: 'Tomar foto',
  start_challenge: 'Comenzar',
  get_ready_start: 'Comenzar',
  get_ready_login_passive: 'Mira a la cámara y quédate quieto unos dos segundos. La foto se toma sola.',
  get_ready_login_active: 'Mira a la cámara y luego gira la cabeza o parpadea cuando se te pida. Unos diez segundos.',
  get_ready_onboarding_passive: 'Mira a la cámara y quédate quieto unos dos segundos. La foto se toma sola.',
  get_ready_onboarding_active:
    'Mira a la cámara y luego gira la cabeza o parpadea cuando se te pida. Unos diez segundos.',
  get_ready_light: 'Ponte frente a una ventana o una lámpara, para que tu rostro tenga buena luz.',
  get_ready_kept_login:
    'Comparamos tu rostro con el que registraste y solo guardamos el resultado y una foto pequeña como registro.',
  get_ready_kept_onboarding:
    'Guardamos una plantilla de tu rostro para reconocerte la próxima vez y una foto pequeña como registro.',
  retry: 'Intentar de nuevo',
  start_over: 'Empezar de nuevo',
  check_face: 'Rostro detectado',
  check_centred: 'Centrado',
  check_close: 'A buena distancia',
  check_steady: 'Sin moverse',
  check_light: 'Buena luz',
  check_done: 'listo',
  check_pending: 'pendiente',
  hint_no_face: 'Coloca tu rostro dentro del óvalo.',
  hint_many_faces: 'Solo debe verse una persona.',
  hint_centre: 'Mueve tu rostro al centro del óvalo.',
  hint_closer: 'Acércate un poco.',
  hint_further: 'Aléjate un poco.',
  hint_frontal: 'Mira de frente a la cámara.',
  hint_steady: 'Quédate quieto.',
  hint_dark: 'Busca más luz: ponte frente a una ventana o una lámpara.',
  hint_face_dark: 'Tu rostro está a oscuras: gírate hacia una ventana o una lámpara.',
  hint_blurred: 'La imagen sale borrosa: pon más luz en tu rostro o limpia la lente.',
  hint_bright: 'Demasiada luz: evita una luz fuerte detrás o sobre ti.',
  hint_ready: 'Bien. No te muevas…',
  hint_manual: 'Coloca tu rostro dentro del óvalo y pulsa Tomar foto.',
  challenge_intro: 'Mantén tu rostro en el óvalo y sigue las instrucciones que aparezcan. Tarda unos 8 segundos.',
  step_progress: 'Paso {n} de {total}',
  step_turn_left: 'Gira la cabeza despacio hacia tu izquierda',
  step_turn_right: 'Gira la cabeza despacio hacia tu derecha',
  step_blink: 'Parpadea despacio: cierra los ojos un momento',
  step_look_center: 'Mira a la cámara',
  sending: 'Verificando. Tarda unos segundos…',
  success_login: 'Sesión iniciada',
  success_onboarding: 'Tu rostro quedó registrado',
  redirecting: 'Volviendo a la aplicación…',
  close_page: 'Ya puedes cerrar esta página.',
  footer_privacy: 'Privacidad',
  footer_terms: 'Términos',
  footer_note: 'Tu imagen solo se usa para comprobar que eres tú.',
  noscript: 'Esta página necesita JavaScript para usar la cámara.',
  cam_denied: 'El acceso a la cámara está bloqueado',
  cam_denied_text:
    'Permite la cámara para este sitio: abre la configuración del sitio (el candado o el icono de cámara junto a la dirección), elige Permitir para Cámara y pulsa Intentar de nuevo. En una aplicación, permite la cámara para esa aplicación en los ajustes del teléfono.',
  cam_none: 'No se encontró ninguna cámara',
  cam_none_text: 'Conecta una cámara o abre este enlace en un teléfono con cámara y pulsa Intentar de nuevo.',
  cam_busy: 'La cámara está en uso',
  cam_busy_text: 'Cierra otras aplicaciones o pestañas que usen la cámara y pulsa Intentar de nuevo.',
  cam_insecure: 'La cámara necesita una conexión segura',
  cam_insecure_text: 'Abre esta página con una dirección https://.',
  cam_unsupported: 'Este navegador no puede usar la cámara',
  cam_unsupported_text: 'Abre el enlace en un navegador actualizado, como Chrome, Safari, Firefox o Edge.',
  liveness_failed: 'No pudimos confirmar que eres una persona en vivo',
  liveness_failed_text: 'Ponte frente a una ventana o una lámpara, quédate quieto e inténtalo de nuevo.',
  challenge_failed: 'Los movimientos no coincidieron con las instrucciones',
  challenge_failed_text: 'Sigue cada instrucción cuando aparezca: gira la cabeza o parpadea cuando se te pida.',
  different_faces: 'Se vio a más de una persona',
  different_faces_text: 'Solo la persona que inicia sesión debe estar frente a la cámara. Inténtalo de nuevo a solas.',
  person_not_found: 'No te encontramos',
  person_not_found_text: 'Regístrate primero y luego inicia sesión.',
  duplicated_person: 'Este rostro ya está registrado',
  duplicated_person_text: 'Ya estás registrado: inicia sesión.',
  person_already_set: 'Esta cuenta ya tiene un rostro registrado',
  person_already_set_text: 'Inicia sesión en lugar de registrarte de nuevo.',
  no_face_detected: 'No pudimos ver un rostro',
  no_face_detected_text: 'Coloca tu rostro dentro del óvalo e inténtalo de nuevo.',
  multiple_faces: 'Se ve más de un rostro',
  multiple_faces_text: 'Asegúrate de que solo apareces tú e inténtalo de nuevo.',
  face_too_small: 'Tu rostro está demasiado lejos',
  face_too_small_text: 'Acércate a la cámara e inténtalo de nuevo.',
  face_too_blurred: 'La foto salió borrosa',
  face_too_blurred_text: 'Pon más luz en tu rostro y quédate quieto; luego inténtalo de nuevo.',
  face_not_frontal: 'Tu rostro estaba girado',
  face_not_frontal_text: 'Mira de frente a la cámara e inténtalo de nuevo.',
  invalid_image: 'No se pudo leer la foto',
  invalid_image_text: 'Inténtalo de nuevo.',
  liveness_session_expired: 'Esta sesión ha caducado',
  liveness_session_expired_text: 'Empieza de nuevo para obtener una sesión nueva.',
  liveness_session_completed: 'Esta sesión ya terminó',
  liveness_session_completed_text: 'Empieza de nuevo para obtener una sesión nueva.',
  attempts_exhausted: 'Demasiados intentos',
  attempts_exhausted_text: 'Empieza de nuevo para obtener una sesión nueva.',
  handed_session_text: 'Vuelve a la aplicación que te trajo aquí y empieza de nuevo.',
  validation_in_progress: 'Tu intento anterior aún se está verificando',
  validation_in_progress_text: 'Espera un momento e inténtalo de nuevo.',
  busy: 'El servicio está ocupado',
  busy_text: 'Espera unos segundos e inténtalo de nuevo.',
  not_available: 'Este inicio de sesión no está disponible',
  not_available_text:
    'Puede que el enlace sea incorrecto o que el servicio esté en pausa. Contacta con la organización que lo envió.',
  network: 'Sin conexión con el servidor',
  network_text: 'Comprueba tu conexión a internet e inténtalo de nuevo.',
  generic: 'Algo salió mal',
  generic_text: 'Inténtalo de nuevo. Si sigue pasando, contacta con la organización que te trajo aquí.',
};

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, es };

export const isLanguage = (x: unknown): x is Language => x === 'en' || x === 'es';

/** `t('es', 'step_progress', { n: 1, total: 3 })`: the message with `{name}` placeholders filled in. */
export function t(lang: Language, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return dictionaries[lang][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    vars[name] === undefined ? m : String(vars[name]),
  );
}

export const hasMessage = (key: string): key is MessageKey => Object.hasOwn(en, key);

/**
 * The page's language: an explicit `language` (query parameter or the validation's) wins, then the first of the
 * user's preferred languages we speak (navigator.languages, or the Accept-Language header on the server), else English.
 */
export function pickLanguage(explicit: string | null | undefined, preferred: readonly string[]): Language {
  const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_;]/)[0] ?? '';
  if (explicit && isLanguage(primary(explicit))) return primary(explicit) as Language;
  for (const tag of preferred) {
    const p = primary(tag);
    if (isLanguage(p)) return p;
  }
  return 'en';
}

/** Accept-Language in preference order (q-values honoured, unparsable entries dropped). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .map((x) => x.tag);
}
