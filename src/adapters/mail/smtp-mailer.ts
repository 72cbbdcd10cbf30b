import nodemailer from 'nodemailer';
import type { Mailer } from '../../ports/mailer.js';

// Email through SMTP with nodemailer: `smtp://user:pass@host:587` upgrades with STARTTLS (required unless the host
// is loopback, so a password never crosses a network in the clear), `smtps://…:465` is TLS from the start.
// Nodemailer's own logger stays off: it would print message bodies, and they hold codes.

export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const url = new URL(options.url);
  const loopback = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    requireTLS: url.protocol === 'smtp:' && !loopback,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    logger: false,
    debug: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(m) {
      await transport.sendMail({ from: options.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
    },
    close: () => transport.close(),
  };
}
