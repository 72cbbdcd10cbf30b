import { createHash } from 'node:crypto';
import { captureMargins, faceLight, qualityLimits } from '../domain/quality-limits.js';
import { type Language, type MessageKey, t } from './sign-in/i18n.js';
import type { Boot } from './sign-in/main.js';

// The HTML shell of the hosted sign-in page, rendered by the server with the project's branding and the first words
// already in place (nothing flashes from unbranded or untranslated to branded), and no inline script: the only
// inline element is the branding <style>, allowed by its hash in the Content-Security-Policy.

export interface Branding {
  bgColor?: string | undefined;
  borderColor?: string | undefined;
  txtColor?: string | undefined;
  titleColor?: string | undefined;
  logo?: string | undefined;
}

export interface PageProject {
  _id: string;
  name: string;
  branding: Branding;
  privacyUrl: string | null;
  termsAndConditionsUrl: string | null;
}

export interface RenderedPage {
  html: string;
  /** CSP source list entries the page needs beyond 'self'. */
  styleHashes: string[];
  imageOrigins: string[];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A brand colour is used only if it is plainly a colour: it lands in CSS, so anything else is dropped. */
export function safeColour(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  if (/^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.test(v)) return v;
  if (/^(?:rgb|rgba|hsl|hsla)\(\s*[0-9.%\s,/+-]+(?:deg)?[0-9.%\s,/+-]*\)$/.test(v)) return v;
  if (/^[a-z]{3,20}$/.test(v)) return v;
  return null;
}

/** WCAG relative luminance of a #rgb / #rrggbb or rgb()/rgba() colour (alpha ignored); null when unknown. */
export function luminance(colour: string): number | null {
  let rgb: number[] | null = null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(colour)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    rgb = [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16));
  } else {
    const m = /^rgba?\(\s*([0-9.]+)[\s,]+([0-9.]+)[\s,]+([0-9.]+)/.exec(colour);
    if (m) rgb = [m[1], m[2], m[3]].map((x) => Math.min(255, Number(x)));
  }
  if (!rgb || rgb.some((c) => !Number.isFinite(c))) return null;
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1..21); null when either is unknown. */
export function contrast(a: string, b: string): number | null {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === null || lb === null) return null;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads better on a colour (WCAG relative luminance); white when unknown. */
export function textOn(colour: string): string {
  const l = luminance(colour);
  if (l === null) return '#ffffff';
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

/** WCAG AA for body text. */
export const MIN_CONTRAST = 4.5;

/**
 * A brand text colour kept only where it reads on the background it is shown on (WCAG AA, 4.5:1); otherwise black
 * or white, whichever reads better. A colour whose contrast cannot be computed (a colour name) is checked against
 * nothing and replaced only when the background is known, so a project's colours never make text unreadable.
 */
export function readableOn(text: string | null, background: string): string | null {
  if (!text) return null;
  const ratio = contrast(text, background);
  if (ratio === null) return luminance(background) === null ? text : textOn(background);
  return ratio >= MIN_CONTRAST ? text : textOn(background);
}

/** An http(s) URL (or an inline image) safe to put in src/href, with its origin for the CSP; else null. */
export function safeUrl(
  value: string | null | undefined,
  allowDataImage = false,
): { url: string; origin: string } | null {
  if (!value) return null;
  if (allowDataImage && /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=]+$/i.test(value)) {
    return { url: value, origin: 'data:' };
  }
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? { url: u.toString(), origin: u.origin } : null;
  } catch {
    return null;
  }
}

/** The stylesheet's own colours (src/web/sign-in-styles.ts), against which brand colours are checked. */
const DEFAULT_BG = '#f5f6f8';
const DEFAULT_TEXT = '#1b1f24';
const DEFAULT_TITLE = '#101418';

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

function brandingStyle(b: Branding): string {
  const vars: string[] = [];
  const bg = safeColour(b.bgColor);
  // Text and title are shown on the page background (the default one when the brand sets none).
  const ground = bg ?? DEFAULT_BG;
  // Without a brand text colour the stylesheet's default is kept, unless the brand background makes it unreadable.
  const fallback = (d: string) => (bg && readableOn(d, ground) !== d ? readableOn(d, ground) : null);
  const text = readableOn(safeColour(b.txtColor), ground) ?? fallback(DEFAULT_TEXT);
  const title = readableOn(safeColour(b.titleColor), ground) ?? fallback(DEFAULT_TITLE);
  const accent = safeColour(b.borderColor);
  if (bg) vars.push(`--bg:${bg}`);
  if (text) vars.push(`--text:${text}`);
  if (title) vars.push(`--title:${title}`);
  if (accent) vars.push(`--accent:${accent}`, `--on-accent:${textOn(accent)}`);
  return vars.length ? `:root{${vars.join(';')}}` : '';
}

interface ShellInput {
  lang: Language;
  title: string;
  assetBase: string;
  modules: readonly string[];
  headExtra?: string;
  body: string;
  style: string;
}

function shell(i: ShellInput): string {
  return `<!doctype html>
<html lang="${i.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${escapeHtml(i.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${i.assetBase}/sign-in.css">
${i.style ? `<style>${i.style}</style>\n` : ''}${i.modules.map((m) => `<link rel="modulepreload" href="${i.assetBase}/${m}">`).join('\n')}
${i.headExtra ?? ''}</head>
<body>
${i.body}
</body>
</html>
`;
}

export interface SignInPageInput {
  assetBase: string;
  /** The page's module files; the first is the entry point. */
  modules: readonly string[];
  lang: Language;
  langExplicit: boolean;
  /** Show the get-ready screen before the camera (default true). */
  getReady?: boolean;
  project: PageProject;
  flow: Boot['flow'];
}

export function renderSignInPage(input: SignInPageInput): RenderedPage {
  const { lang, project, flow } = input;
  const tr = (k: MessageKey, vars?: Record<string, string | number>) => escapeHtml(t(lang, k, vars));
  const login = flow.type === 'login';
  const getReady = input.getReady ?? true;
  const mode = flow.loginSettings.livenessMode === 'active' ? 'active' : 'passive';
  const boot: Boot = {
    projectId: project._id,
    projectName: project.name,
    flowType: flow.type,
    flow,
    lang,
    langExplicit: input.langExplicit,
    rules: { limits: { ...qualityLimits }, margins: { ...captureMargins }, faceLight: { ...faceLight } },
    getReady,
  };
  const style = brandingStyle(project.branding);
  const logo = safeUrl(project.branding.logo, true);
  const privacy = safeUrl(project.privacyUrl);
  const terms = safeUrl(project.termsAndConditionsUrl);
  const link = (u: { url: string } | null, k: MessageKey) =>
    u ? `<a href="${escapeHtml(u.url)}" target="_blank" rel="noopener noreferrer" data-i18n="${k}">${tr(k)}</a>` : '';
  const links = [link(privacy, 'footer_privacy'), link(terms, 'footer_terms')].filter(Boolean).join(' · ');
  const check = (name: string, k: MessageKey) =>
    `<li data-check="${name}"><span data-i18n="${k}">${tr(k)}</span><span class="sr-only">: ${tr('check_pending')}</span></li>`;
  const body = `<header class="bar">
${logo ? `<img class="logo" src="${escapeHtml(logo.url)}" alt="${escapeHtml(project.name)}">` : ''}<span class="project"${logo ? ' aria-hidden="true"' : ''}>${escapeHtml(project.name)}</span>
<button id="lang" class="lang" type="button" lang="${lang === 'en' ? 'es' : 'en'}" data-i18n="switch_language" data-i18n-label="switch_language_label" aria-label="${tr('switch_language_label')}">${tr('switch_language')}</button>
</header>
<main id="main" tabindex="-1" aria-labelledby="title" data-state="${getReady ? 'get-ready' : 'starting'}" aria-busy="${!getReady}">
<h1 id="title" data-i18n="${login ? 'title_login' : 'title_onboarding'}">${tr(login ? 'title_login' : 'title_onboarding')}</h1>
<p id="lead" class="lead">${tr(login ? 'lead_login' : 'lead_onboarding')}</p>
<section id="get-ready" class="get-ready" aria-labelledby="title"${getReady ? '' : ' hidden'}>
<ul>
<li data-get-ready="what">${tr(`get_ready_${flow.type}_${mode}`)}</li>
<li data-i18n="get_ready_light">${tr('get_ready_light')}</li>
<li data-get-ready="kept">${tr(`get_ready_kept_${flow.type}`)}</li>
</ul>
</section>
<div id="stage" class="stage"${getReady ? ' hidden' : ''}>
<video id="video" autoplay muted playsinline disablepictureinpicture data-i18n-label="video_label" aria-label="${tr('video_label')}"></video>
<div class="oval" aria-hidden="true"></div>
<div id="cue" class="cue" aria-hidden="true"></div>
</div>
<p id="status" class="status" role="status" aria-live="polite">${getReady ? '' : tr('camera_starting')}</p>
<progress id="progress" aria-labelledby="status"${getReady ? ' hidden' : ''}></progress>
<ul id="checks" class="checks" data-i18n-label="guidance_label" aria-label="${tr('guidance_label')}" hidden>
${check('face', 'check_face')}${check('centred', 'check_centred')}${check('close', 'check_close')}${check('steady', 'check_steady')}${check('light', 'check_light')}
</ul>
<section id="result" class="result" aria-labelledby="result-title" hidden>
<h2 id="result-title" tabindex="-1"></h2>
<p id="result-text"></p>
<p id="result-detail"></p>
</section>
${getReady ? `<button id="primary" class="primary" type="button" aria-disabled="false">${tr('get_ready_start')}</button>` : '<button id="primary" class="primary" type="button" aria-disabled="true" hidden></button>'}
</main>
<footer>
<p data-i18n="footer_note">${tr('footer_note')}</p>
${links ? `<p>${links}</p>` : ''}
</footer>
<noscript><p>${tr('noscript')}</p></noscript>`;
  const head = `<script type="module" src="${input.assetBase}/${input.modules[0]}"></script>
<script type="application/json" id="facegate-boot">${JSON.stringify(boot).replace(/</g, '\\u003c')}</script>
`;
  return {
    html: shell({
      lang,
      title: t(lang, login ? 'page_title_login' : 'page_title_onboarding', { project: project.name }),
      assetBase: input.assetBase,
      modules: input.modules.slice(1),
      headExtra: head,
      body,
      style,
    }),
    styleHashes: style ? [sha256(style)] : [],
    imageOrigins: logo ? [logo.origin] : [],
  };
}

/** The page for an unknown project or a flow that is not active: says so, runs no script. */
export function renderUnavailablePage(lang: Language, assetBase: string): RenderedPage {
  const body = `<main id="main" data-state="unavailable" aria-labelledby="title">
<section class="result">
<h1 id="title">${escapeHtml(t(lang, 'not_available'))}</h1>
<p>${escapeHtml(t(lang, 'not_available_text'))}</p>
</section>
</main>`;
  return {
    html: shell({ lang, title: t(lang, 'not_available'), assetBase, modules: [], body, style: '' }),
    styleHashes: [],
    imageOrigins: [],
  };
}
