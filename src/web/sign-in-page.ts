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
  /** The page was opened from a magic link on this channel (its code is read by the page's script). */
  magicLink?: 'email' | 'phone' | undefined;
}

/** The code and authenticator steps (#16): rendered hidden, the page's script shows them as the flow's steps say. */
function stepSections(
  tr: (k: MessageKey, vars?: Record<string, string | number>) => string,
  channel: 'email' | 'phone',
  showCode: boolean,
  projectName: string,
): string {
  const address =
    channel === 'email'
      ? `<div class="field"><label for="email" data-i18n="email_label">${tr('email_label')}</label>
<input id="email" name="email" type="email" autocomplete="email" autocapitalize="off" spellcheck="false" required aria-describedby="address-error"></div>`
      : `<div class="field-row"><div class="field country"><label for="country" data-i18n="country_label">${tr('country_label')}</label>
<input id="country" name="country" type="tel" inputmode="tel" autocomplete="tel-country-code" maxlength="5" required aria-describedby="address-error"></div>
<div class="field"><label for="phone" data-i18n="phone_label">${tr('phone_label')}</label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel-national" required aria-describedby="address-error"></div></div>`;
  const codeField = (id: string, label: MessageKey) =>
    `<div class="field"><label for="${id}" data-i18n="${label}">${tr(label)}</label>
<input id="${id}" name="${id}" class="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="6" required aria-describedby="${id}-error"></div>
<p id="${id}-error" class="field-error" aria-live="assertive"></p>`;
  return `<section id="code-step" class="step" aria-labelledby="code-title" data-channel="${channel}"${showCode ? '' : ' hidden'}>
<h2 id="code-title" tabindex="-1" data-i18n="code_title_${channel}">${tr(`code_title_${channel}`)}</h2>
<p data-i18n="code_lead_${channel}">${tr(`code_lead_${channel}`)}</p>
<form id="address-form" class="step-form" novalidate>
${address}
<p id="address-error" class="field-error" aria-live="assertive"></p>
<button id="send-code" class="primary" type="submit" data-i18n="send_code">${tr('send_code')}</button>
</form>
<form id="code-form" class="step-form" novalidate hidden>
${codeField('code', 'code_label')}
<button id="verify-code" class="primary" type="submit" data-i18n="verify_code">${tr('verify_code')}</button>
<button id="resend" class="secondary" type="button" aria-disabled="true">${tr('resend_code')}</button>
</form>
</section>
<section id="totp-step" class="step" aria-labelledby="totp-title" hidden>
<h2 id="totp-title" tabindex="-1" data-i18n="totp_title">${tr('totp_title')}</h2>
<p id="totp-lead">${tr('totp_lead', { project: projectName })}</p>
<form id="totp-form" class="step-form" novalidate>
${codeField('totp', 'totp_label')}
<button id="verify-totp" class="primary" type="submit" data-i18n="verify_code">${tr('verify_code')}</button>
</form>
</section>
`;
}

export function renderSignInPage(input: SignInPageInput): RenderedPage {
  const { lang, project, flow } = input;
  const tr = (k: MessageKey, vars?: Record<string, string | number>) => escapeHtml(t(lang, k, vars));
  const login = flow.type === 'login';
  const plan = login ? flow.plan : undefined;
  // What the person sees first: a magic link being checked, the code step, or the face (get-ready or camera).
  const first = input.magicLink ? 'magic' : plan?.code ? 'code' : 'face';
  const getReady = (input.getReady ?? true) && first === 'face';
  const starting = first === 'face' && !getReady;
  const mode = flow.loginSettings.livenessMode === 'active' ? 'active' : 'passive';
  const boot: Boot = {
    projectId: project._id,
    projectName: project.name,
    flowType: flow.type,
    flow,
    lang,
    langExplicit: input.langExplicit,
    rules: { limits: { ...qualityLimits }, margins: { ...captureMargins }, faceLight: { ...faceLight } },
    // The flow's choice; shown after a code step too.
    getReady: input.getReady ?? true,
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
<main id="main" tabindex="-1" aria-labelledby="title" data-state="${first === 'face' ? (getReady ? 'get-ready' : 'starting') : first}" aria-busy="${starting || first === 'magic'}">
<h1 id="title" data-i18n="${login ? 'title_login' : 'title_onboarding'}">${tr(login ? 'title_login' : 'title_onboarding')}</h1>
<p id="lead" class="lead">${tr(login ? 'lead_login' : 'lead_onboarding')}</p>
<section id="get-ready" class="get-ready" aria-labelledby="title"${getReady ? '' : ' hidden'}>
<ul>
<li data-get-ready="what">${tr(`get_ready_${flow.type}_${mode}`)}</li>
<li data-i18n="get_ready_light">${tr('get_ready_light')}</li>
<li data-get-ready="kept">${tr(`get_ready_kept_${flow.type}`)}</li>
</ul>
</section>
${login ? stepSections(tr, input.magicLink ?? plan?.code ?? 'email', first === 'code', project.name) : ''}<div id="stage" class="stage"${starting ? '' : ' hidden'}>
<video id="video" autoplay muted playsinline disablepictureinpicture data-i18n-label="video_label" aria-label="${tr('video_label')}"></video>
<div class="oval" aria-hidden="true"></div>
<div id="cue" class="cue" aria-hidden="true"></div>
</div>
<p id="status" class="status" role="status" aria-live="polite">${starting ? tr('camera_starting') : first === 'magic' ? tr('magic_checking') : ''}</p>
<progress id="progress" aria-labelledby="status"${starting || first === 'magic' ? '' : ' hidden'}></progress>
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
