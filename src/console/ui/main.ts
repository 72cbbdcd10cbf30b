import { createConsoleApi, errorText, forgetToken, storedToken, storeToken } from './api.js';
import { append, clear, h } from './dom.js';
import { initialLanguage, isLanguage, type Language, languages, type SharedKey, translate } from './i18n.js';
import {
  endOperatorSession,
  finishOperatorSignIn,
  forgetOperator,
  operatorName,
  returnsFromSignIn,
} from './operator-sign-in.js';
import { type NavKey, type NoticeKind, navHash, type Screen, type ScreenContext } from './screen.js';
import { screens } from './screens/index.js';

// The console's shell in the browser: layout, navigation, language, sign-in state and the router on location.hash.
// Every screen renders into `main`; the shell rebuilds around it on each navigation so the language and the
// highlighted entry are always right, and moves focus to the new heading so a keyboard or screen reader user
// lands on the screen they asked for.

const LANG_KEY = 'facegate.console.language';
const NEXT_KEY = 'facegate.console.next';
const SIGN_IN = '#/sign-in';

let lang: Language = initialLanguage(localStorage.getItem(LANG_KEY), navigator.languages ?? []);
let current: AbortController | null = null;
let firstRender = true;
/** An element to focus after the next render instead of the heading (the language switch keeps its focus). */
let refocus: string | null = null;

const app = document.getElementById('app') ?? document.body;
const notices = h('div', { class: 'notices', role: 'status', 'aria-live': 'polite' });
const alerts = h('div', { class: 'notices', role: 'alert' });
const t = (key: SharedKey, vars?: Record<string, string | number>) => translate(lang, key, vars);

const api = createConsoleApi(() => {
  forgetToken();
  forgetOperator();
  notify(t('error.unauthorized'), 'error');
  if (location.hash !== SIGN_IN) sessionStorage.setItem(NEXT_KEY, location.hash);
  navigate(SIGN_IN);
});

function notify(message: string, kind: NoticeKind = 'info') {
  const region = kind === 'error' ? alerts : notices;
  const note = h('div', { class: `notice ${kind}` }, message);
  region.appendChild(note);
  setTimeout(() => note.remove(), kind === 'error' ? 12000 : 5000);
}

function navigate(hash: string) {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

function confirmDialog(text: string, options: { confirmLabel?: string; danger?: boolean } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const message = h('p', { id: 'confirm-text' }, text);
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('cancel'));
    const yes = h(
      'button',
      { type: 'button', class: options.danger ? 'danger' : '' },
      options.confirmLabel ?? t('confirm'),
    );
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'confirm-text', 'aria-modal': 'true' },
      message,
      h('div', { class: 'dialog-actions' }, cancel, yes),
    );
    let answer = false;
    const done = (value: boolean) => {
      answer = value;
      dialog.close();
    };
    cancel.addEventListener('click', () => done(false));
    yes.addEventListener('click', () => done(true));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    // The safe answer has the focus: Enter on a dialog opened by mistake deletes nothing.
    cancel.focus();
  });
}

function orderedScreens(): Screen[] {
  return [...screens.filter((s) => !s.fallback), ...screens.filter((s) => s.fallback)];
}

function navEntries(): NavKey[] {
  const present = new Set(screens.map((s) => s.nav).filter((n): n is NavKey => n !== undefined));
  return (Object.keys(navHash) as NavKey[]).filter((k) => present.has(k));
}

function layout(screen: Screen | undefined): HTMLElement {
  const main = h('main', { id: 'main', tabindex: -1 });
  const skip = h(
    'a',
    {
      class: 'skip',
      href: '#main',
      onclick: (e: Event) => {
        // A plain #main link would change the route; this moves focus instead.
        e.preventDefault();
        main.focus();
      },
    },
    t('skipToContent'),
  );
  const languageSelect = h(
    'select',
    {
      id: 'console-language',
      onchange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        if (!isLanguage(v)) return;
        lang = v;
        localStorage.setItem(LANG_KEY, v);
        refocus = 'console-language';
        void route();
      },
    },
    ...languages.map((l) => h('option', { value: l, selected: l === lang }, l === 'en' ? 'English' : 'Español')),
  );
  const tools = h('div', { class: 'header-tools' }, h('label', { for: 'console-language' }, t('language')));
  append(tools, languageSelect);
  const signedIn = Boolean(storedToken());
  const operator = signedIn ? operatorName() : null;
  if (operator) append(tools, h('span', { class: 'operator' }, t('signedInAs', { name: operator })));
  if (signedIn) {
    append(
      tools,
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: async () => {
            const token = storedToken();
            const operatorSession = operatorName() !== null;
            // Forgotten before the server is asked: whatever it answers, or if it never does, this tab is signed out.
            forgetToken();
            forgetOperator();
            // An API token is not ended by signing out (renew-and-revoke ends it); an operator's session is.
            const warning = token && operatorSession ? await endOperatorSession(api, token, lang) : null;
            if (warning) notify(warning, 'error');
            navigate(SIGN_IN);
          },
        },
        t('signOut'),
      ),
    );
  }
  const nav =
    signedIn && !screen?.public
      ? h(
          'nav',
          { 'aria-label': t('navLabel') },
          h(
            'ul',
            {},
            ...navEntries().map((key) =>
              h(
                'li',
                {},
                h(
                  'a',
                  { href: navHash[key], 'aria-current': screen?.nav === key ? 'page' : null },
                  t(`nav.${key}` as SharedKey),
                ),
              ),
            ),
          ),
        )
      : null;
  const header = h('header', {}, h('p', { class: 'brand' }, t('consoleName')), nav, tools);
  const root = h('div', { class: 'layout' }, header, main);
  clear(app);
  append(app, skip, root, notices, alerts);
  return main;
}

async function route(): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  document.documentElement.lang = lang;
  const hash = location.hash || '#/';
  let found: { screen: Screen; match: RegExpMatchArray } | undefined;
  for (const screen of orderedScreens()) {
    const match = hash.match(screen.route);
    if (match) {
      found = { screen, match };
      break;
    }
  }
  if (found && !found.screen.public && !storedToken()) {
    sessionStorage.setItem(NEXT_KEY, hash);
    navigate(SIGN_IN);
    return;
  }
  const main = layout(found?.screen);
  // The language switch was re-created by the layout: it gets the focus back at once, not after the screen's data
  // has loaded, so a keyboard user is never left on the page's body meanwhile.
  const kept = refocus ? document.getElementById(refocus) : null;
  refocus = null;
  kept?.focus();
  const ctx: ScreenContext = {
    api,
    lang,
    t,
    text: (strings) => strings[lang],
    navigate,
    notify,
    fail: (err) => {
      if (controller.signal.aborted) return;
      notify(errorText(err, lang), 'error');
    },
    confirm: confirmDialog,
    root: main,
    signal: controller.signal,
    setTitle: (title) => {
      document.title = `${title} · ${t('consoleName')}`;
    },
    signIn: (token) => {
      storeToken(token);
      const next = sessionStorage.getItem(NEXT_KEY);
      sessionStorage.removeItem(NEXT_KEY);
      navigate(next && next !== SIGN_IN ? next : '#/');
    },
  };
  if (!found) {
    ctx.setTitle(t('notFound'));
    append(main, h('h1', {}, t('notFound')), h('p', {}, h('a', { href: '#/' }, t('nav.home'))));
  } else {
    try {
      await found.screen.render(ctx, found.match);
    } catch (err) {
      if (!controller.signal.aborted) ctx.fail(err);
    }
  }
  if (controller.signal.aborted) return;
  // Focus follows navigation (not the first load, where the browser's own start is expected).
  if (kept) {
    if (document.activeElement !== kept) kept.focus();
  } else if (!firstRender) {
    const heading = main.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else main.focus();
  }
  firstRender = false;
}

window.addEventListener('hashchange', () => void route());
// Back from the hosted page with an operator's app login (operator-sign-in.ts): signed in, or the sign-in screen
// with the reason, before the first screen renders.
if (returnsFromSignIn()) {
  void finishOperatorSignIn(api, lang).then((session) => {
    if (session) storeToken(session);
    return route();
  });
} else void route();
