import type { FacegateClient } from '@facegate/client';
import type { Language, SharedKey } from './i18n.js';

// What every screen gets from the shell and what the shell needs from a screen. Screens are listed in
// screens/index.ts; the router renders the first one whose route matches location.hash.

export type NavKey =
  | 'home'
  | 'dashboard'
  | 'projects'
  | 'flows'
  | 'collections'
  | 'persons'
  | 'validations'
  | 'settings'
  | 'audit';

/** Where each navigation entry leads; a screen with `nav: key` should answer this hash. */
export const navHash: Record<NavKey, string> = {
  home: '#/',
  dashboard: '#/dashboard',
  projects: '#/projects',
  flows: '#/flows',
  collections: '#/collections',
  persons: '#/persons',
  validations: '#/validations',
  settings: '#/settings',
  audit: '#/audit',
};

export type NoticeKind = 'info' | 'success' | 'error';

export interface ScreenContext {
  /** The typed client, sending the signed-in token. */
  api: FacegateClient;
  lang: Language;
  /** A shared string (nav, buttons, errors) in the current language. */
  t(key: SharedKey, vars?: Record<string, string | number>): string;
  /** A screen's own table for the current language: `const s = ctx.text(strings)`. */
  text<S>(strings: Record<Language, S>): S;
  navigate(hash: string): void;
  /** A message in the live region (read out by screen readers), gone after a while. */
  notify(message: string, kind?: NoticeKind): void;
  /** Shows an API or network error in words, with its request id. */
  fail(error: unknown): void;
  /** A modal yes/no question; resolves true only on the confirm button. */
  confirm(text: string, options?: { confirmLabel?: string; danger?: boolean }): Promise<boolean>;
  /** The screen's own element, emptied before each render. */
  root: HTMLElement;
  /** Aborted when the operator leaves the screen: pass it to long work so it stops. */
  signal: AbortSignal;
  /** The document title and the screen's heading for assistive technology. */
  setTitle(title: string): void;
  /** Stores the token for this tab (sessionStorage) and goes on to the screen asked for before signing in. */
  signIn(token: string): void;
}

export interface Screen {
  /** Matched against location.hash; capture groups reach render() as `match`. */
  route: RegExp;
  /** The navigation entry highlighted while this screen shows. */
  nav?: NavKey;
  /** Shown without a token (only the sign-in screen). */
  public?: boolean;
  /** Tried after every other screen, so a real screen can claim the same route (the placeholder home). */
  fallback?: boolean;
  render(ctx: ScreenContext, match: RegExpMatchArray): void | Promise<void>;
}
