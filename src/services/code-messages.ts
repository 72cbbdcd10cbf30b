import type { CodeLanguage } from '../domain/code-validation.js';
import type { MailMessage } from '../ports/mailer.js';

// The texts of one-time codes and links, in the languages the hosted page speaks (en, es).

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const texts = {
  en: {
    subject: (project: string) => `Your ${project} sign-in code`,
    code: (code: string, minutes: number) => `Your verification code is ${code}. It expires in ${minutes} minutes.`,
    linkSubject: (project: string) => `Sign in to ${project}`,
    link: (minutes: number) => `Open this link to sign in. It works once and expires in ${minutes} minutes.`,
    validationSubject: (project: string) => `Verify your identity for ${project}`,
    validation: 'Open this link to verify your identity with your camera:',
    ignore: 'If you did not ask for this, ignore this message.',
  },
  es: {
    subject: (project: string) => `Tu código de acceso a ${project}`,
    code: (code: string, minutes: number) => `Tu código de verificación es ${code}. Vence en ${minutes} minutos.`,
    linkSubject: (project: string) => `Inicia sesión en ${project}`,
    link: (minutes: number) => `Abre este enlace para iniciar sesión. Funciona una vez y vence en ${minutes} minutos.`,
    validationSubject: (project: string) => `Verifica tu identidad para ${project}`,
    validation: 'Abre este enlace para verificar tu identidad con tu cámara:',
    ignore: 'Si no lo solicitaste, ignora este mensaje.',
  },
} as const;

const html = (lines: string[], link?: string) =>
  `<!doctype html><html><body style="font-family:sans-serif">${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}${
    link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : ''
  }</body></html>`;

export function codeMail(o: {
  to: string;
  language: CodeLanguage;
  project: string;
  minutes: number;
  code?: string;
  link?: string;
}): MailMessage {
  const t = texts[o.language];
  if (o.link) {
    const lines = [t.link(o.minutes), t.ignore];
    return {
      to: o.to,
      subject: t.linkSubject(o.project),
      text: `${lines[0]}\n\n${o.link}\n\n${lines[1]}\n`,
      html: html(lines, o.link),
    };
  }
  const lines = [t.code(o.code ?? '', o.minutes), t.ignore];
  return { to: o.to, subject: t.subject(o.project), text: `${lines.join('\n\n')}\n`, html: html(lines) };
}

export function codeText(o: {
  language: CodeLanguage;
  project: string;
  minutes: number;
  code?: string;
  link?: string;
}) {
  const t = texts[o.language];
  return o.link ? `${o.project}: ${t.link(o.minutes)} ${o.link}` : `${o.project}: ${t.code(o.code ?? '', o.minutes)}`;
}

/** The mail of `sendViaEmail`: the link to the hosted page of a biometric validation. */
export function validationLinkMail(o: {
  to: string;
  language: CodeLanguage;
  project: string;
  url: string;
}): MailMessage {
  const t = texts[o.language];
  const lines = [t.validation, t.ignore];
  return {
    to: o.to,
    subject: t.validationSubject(o.project),
    text: `${t.validation}\n\n${o.url}\n\n${t.ignore}\n`,
    html: html(lines, o.url),
  };
}
