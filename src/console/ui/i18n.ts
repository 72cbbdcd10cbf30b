// Strings every screen shares (navigation, buttons, errors). A screen's own words live in that screen's file, so
// two people writing screens never edit the same table.

export type Language = 'en' | 'es';
export const languages: readonly Language[] = ['en', 'es'];

const en = {
  consoleName: 'Facegate console',
  skipToContent: 'Skip to content',
  navLabel: 'Main',
  'nav.home': 'Home',
  'nav.dashboard': 'Dashboard',
  'nav.projects': 'Projects',
  'nav.flows': 'Flows',
  'nav.collections': 'Collections',
  'nav.persons': 'Persons',
  'nav.validations': 'Validations',
  'nav.settings': 'Settings',
  'nav.audit': 'Audit log',
  language: 'Language',
  signOut: 'Sign out',
  signedInAs: 'Signed in as {name}',
  save: 'Save',
  saved: 'Saved',
  cancel: 'Cancel',
  create: 'Create',
  edit: 'Edit',
  delete: 'Delete',
  confirm: 'Confirm',
  back: 'Back',
  open: 'Open',
  copy: 'Copy',
  copied: 'Copied to the clipboard',
  search: 'Search',
  upload: 'Upload',
  refresh: 'Refresh',
  close: 'Close',
  loading: 'Loading…',
  none: 'Nothing here yet.',
  yes: 'Yes',
  no: 'No',
  defaultIs: 'Default:',
  previous: 'Previous',
  next: 'Next',
  pageOf: 'Page {page} of {pages}',
  notFound: 'This page does not exist.',
  'error.network': 'The server could not be reached. Check the connection and try again.',
  'error.unauthorized': 'The token was refused (expired or revoked). Sign in again.',
  'error.generic': 'Something went wrong.',
  'error.request': 'Request id {requestId}',
};

export type SharedKey = keyof typeof en;

const es: Record<SharedKey, string> = {
  consoleName: 'Consola de Facegate',
  skipToContent: 'Saltar al contenido',
  navLabel: 'Principal',
  'nav.home': 'Inicio',
  'nav.dashboard': 'Panel',
  'nav.projects': 'Proyectos',
  'nav.flows': 'Flujos',
  'nav.collections': 'Colecciones',
  'nav.persons': 'Personas',
  'nav.validations': 'Validaciones',
  'nav.settings': 'Ajustes',
  'nav.audit': 'Registro de auditoría',
  language: 'Idioma',
  signOut: 'Cerrar sesión',
  signedInAs: 'Sesión de {name}',
  save: 'Guardar',
  saved: 'Guardado',
  cancel: 'Cancelar',
  create: 'Crear',
  edit: 'Editar',
  delete: 'Eliminar',
  confirm: 'Confirmar',
  back: 'Volver',
  open: 'Abrir',
  copy: 'Copiar',
  copied: 'Copiado al portapapeles',
  search: 'Buscar',
  upload: 'Subir',
  refresh: 'Actualizar',
  close: 'Cerrar',
  loading: 'Cargando…',
  none: 'Aún no hay nada aquí.',
  yes: 'Sí',
  no: 'No',
  defaultIs: 'Por defecto:',
  previous: 'Anterior',
  next: 'Siguiente',
  pageOf: 'Página {page} de {pages}',
  notFound: 'Esta página no existe.',
  'error.network': 'No se pudo contactar con el servidor. Revise la conexión e inténtelo de nuevo.',
  'error.unauthorized': 'El token fue rechazado (caducado o revocado). Inicie sesión de nuevo.',
  'error.generic': 'Algo salió mal.',
  'error.request': 'Id de la solicitud {requestId}',
};

const tables: Record<Language, Record<SharedKey, string>> = { en, es };

/** `{name}` placeholders filled from vars; a missing var leaves the placeholder, so the gap is visible. */
export function format(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function translate(lang: Language, key: SharedKey, vars?: Record<string, string | number>): string {
  return format(tables[lang][key], vars);
}

export const isLanguage = (v: unknown): v is Language => v === 'en' || v === 'es';

/** The saved choice, else the browser's first language we speak, else English. */
export function initialLanguage(saved: string | null, preferred: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const p of preferred) {
    const base = p.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}
