import { h } from '../dom.js';
import type { ScreenContext } from '../screen.js';

// A drawing of the hosted page's first screen in the project's colours, redrawn as the operator types. Colours are
// set through element.style (the CSP allows no style attribute), and only when they are plainly colours, as the
// hosted page itself does: anything else falls back to Facegate's own.

const strings = {
  en: { lead: 'Look at the camera to sign in.', start: 'Start', logoAlt: 'Logo of {name}' },
  es: { lead: 'Mire a la cámara para iniciar sesión.', start: 'Empezar', logoAlt: 'Logotipo de {name}' },
};

export function plainColour(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  if (/^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.test(v)) return v;
  if (/^(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%\s,/+-]+(?:deg)?[0-9.%\s,/+-]*\)$/.test(v)) return v;
  if (/^[a-z]{3,20}$/.test(v)) return v;
  return null;
}

export function brandingPreview(
  ctx: ScreenContext,
  name: string,
  branding: { bgColor?: string; txtColor?: string; titleColor?: string; borderColor?: string; logo?: string },
): HTMLElement {
  const s = ctx.text(strings);
  const bg = plainColour(branding.bgColor) ?? '#ffffff';
  const text = plainColour(branding.txtColor) ?? '#1b1f24';
  const title = plainColour(branding.titleColor) ?? text;
  const accent = plainColour(branding.borderColor) ?? '#0b57d0';
  const heading = h('p', { class: 'preview-heading' }, name);
  const button = h('span', { class: 'button', 'aria-hidden': 'true' }, s.start);
  const oval = h('div', { class: 'oval', 'aria-hidden': 'true' });
  const logo =
    branding.logo && /^https?:\/\//.test(branding.logo)
      ? h('img', { class: 'logo', src: branding.logo, alt: s.logoAlt.replace('{name}', name) })
      : null;
  const card = h(
    'div',
    { class: 'preview', role: 'img', 'aria-label': `${name}: ${s.lead}` },
    logo,
    heading,
    h('p', {}, s.lead),
    oval,
    button,
  );
  card.style.backgroundColor = bg;
  card.style.color = text;
  card.style.borderColor = accent;
  heading.style.color = title;
  heading.style.fontWeight = '700';
  heading.style.fontSize = '1.2rem';
  oval.style.color = accent;
  button.style.backgroundColor = accent;
  button.style.borderColor = accent;
  return card;
}
