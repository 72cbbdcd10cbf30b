import { ok } from './api.js';
import { type Child, h } from './dom.js';
import type { ScreenContext } from './screen.js';

// Pieces the data screens share: tables, thumbnails, status badges, the sign-in link box and "fetch every page".

/** A thumbnail as an <img> source: the API sends bare base64 JPEG, the CSP allows data: images. */
export function thumbSrc(thumbnail: string): string {
  return thumbnail.startsWith('data:') ? thumbnail : `data:image/jpeg;base64,${thumbnail}`;
}

export function table(caption: string, headers: string[], rows: Child[][]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((c) => h('td', {}, c))))),
    ),
  );
}

export function badge(text: string, tone: 'ok' | 'bad' | 'warn' | '' = ''): HTMLElement {
  return h('span', { class: `badge ${tone}` }, text);
}

export const statusTone = (status: string): 'ok' | 'bad' | 'warn' =>
  status === 'active' ? 'ok' : status === 'draft' || status === 'pending' ? 'warn' : 'bad';

interface Page<T> {
  data: T[];
  total?: number;
}

/**
 * Every item of a list route, page by page (the console's lists are a tenant's projects, flows and collections,
 * and the persons of one tenant, so a few pages of 100). Stops at `max` items.
 */
export async function fetchAll<T>(page: (page: number) => Promise<Page<T>>, max = 2000): Promise<T[]> {
  const out: T[] = [];
  for (let p = 1; out.length < max; p++) {
    const { data, total } = await page(p);
    out.push(...data);
    if (data.length === 0 || (total !== undefined && out.length >= total) || data.length < 100) break;
  }
  return out;
}

const strings = {
  en: {
    link: 'Sign-in link',
    openLink: 'Open the sign-in page',
    showQr: 'Show QR code',
    hideQr: 'Hide QR code',
    qrAlt: 'QR code of the sign-in link',
    copyFailed: 'The browser refused the clipboard: the link is selected, copy it with Ctrl+C.',
  },
  es: {
    link: 'Enlace de acceso',
    openLink: 'Abrir la página de acceso',
    showQr: 'Mostrar código QR',
    hideQr: 'Ocultar código QR',
    qrAlt: 'Código QR del enlace de acceso',
    copyFailed: 'El navegador no permitió usar el portapapeles: el enlace está seleccionado, cópielo con Ctrl+C.',
  },
};

/** A link to try: shown in a read-only box, opened in a new tab, copied, or drawn as a QR code by the server. */
export function linkBox(ctx: ScreenContext, url: string, label?: string): HTMLElement {
  const s = ctx.text(strings);
  const input = h('input', { type: 'text', readonly: true, value: url, class: 'link-url' });
  const qrHolder = h('div', { class: 'qr-holder' });
  const qrButton = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false' }, s.showQr);
  qrButton.addEventListener('click', () => {
    const open = qrButton.getAttribute('aria-expanded') === 'true';
    qrHolder.replaceChildren();
    if (!open) {
      qrHolder.append(h('img', { class: 'qr', alt: s.qrAlt, src: `/console/qr.svg?text=${encodeURIComponent(url)}` }));
    }
    qrButton.setAttribute('aria-expanded', String(!open));
    qrButton.textContent = open ? s.showQr : s.hideQr;
  });
  const copy = h('button', { type: 'button', class: 'secondary' }, ctx.t('copy'));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(url);
      ctx.notify(ctx.t('copied'), 'success');
    } catch {
      input.select();
      ctx.notify(s.copyFailed, 'info');
    }
  });
  const labelText = label ?? s.link;
  const id = `link-${Math.random().toString(36).slice(2, 8)}`;
  input.id = id;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelText),
    h(
      'div',
      { class: 'link-box' },
      input,
      h('a', { class: 'button', href: url, target: '_blank', rel: 'noopener noreferrer' }, s.openLink),
      copy,
      qrButton,
    ),
    qrHolder,
  );
}

/** Loads `what` into the screen, or shows the error in words. */
export async function loadOr<T>(ctx: ScreenContext, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    ctx.fail(err);
    return null;
  }
}

/**
 * A list's filter form: Apply and Reset, and on submit the filled fields become the screen's query string, so a
 * filtered list is an address that can be bookmarked.
 */
export function filterForm(
  ctx: ScreenContext,
  route: string,
  labels: { filters: string; apply: string; reset: string },
  ...fields: Child[]
): HTMLFormElement {
  const form = h(
    'form',
    { class: 'panel', role: 'search', 'aria-label': labels.filters },
    ...fields,
    h(
      'div',
      { class: 'toolbar' },
      h('button', { type: 'submit' }, labels.apply),
      h('a', { class: 'button secondary', href: route }, labels.reset),
    ),
  ) as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim()) next.set(k, v.trim());
    const qs = next.toString();
    ctx.navigate(qs ? `${route}?${qs}` : route);
  });
  return form;
}

export { ok };
