import { forgetToken, ok } from '../api.js';
import { field, formatDate, h } from '../dom.js';
import { format } from '../i18n.js';
import { operatorName } from '../operator-sign-in.js';
import type { Screen, ScreenContext } from '../screen.js';

// The tenant's two secrets. Rotating the webhook secret shows the new one once (the receiver must be given it);
// renewing the API token revokes every earlier token, this console's included, so the new token is shown once and
// the operator signs in again with it.

const strings = {
  en: {
    title: 'Settings',
    webhookTitle: 'Webhook secret',
    webhookText:
      'Every webhook carries X-Facegate-Signature, an HMAC-SHA256 of its body under this secret. Rotating makes a new secret: webhooks are signed with it at once, so give it to your receiver right away.',
    rotate: 'Rotate webhook secret',
    confirmRotate:
      'Make a new webhook secret? Webhooks are signed with the new one from now on; a receiver still checking the old one will refuse them.',
    newSecret: 'New webhook secret',
    secretOnce: 'Shown only now: copy it into your webhook receiver’s configuration.',
    rotated: 'The webhook secret was rotated.',
    tokenTitle: 'API token',
    tokenText:
      'Renewing issues a new API token and revokes every earlier one at once: integrations using the old token stop working, and so does this console’s session.',
    renew: 'Renew and revoke the API token',
    confirmRenew:
      'Issue a new API token and revoke every earlier one now? Integrations using the old token stop working immediately.',
    newToken: 'New API token',
    tokenOnce: 'Shown only now: copy it, update your integrations, then sign in with it.',
    expires: 'Expires {date}.',
    signInAgain: 'Sign in with the new token',
    renewed: 'The API token was renewed; earlier tokens no longer work.',
    operatorToken:
      'You are signed in with your email and face, not with the API token: only whoever holds the API token can renew it.',
    copyFailed: 'Copying was refused by the browser: select the text and copy it.',
  },
  es: {
    title: 'Ajustes',
    webhookTitle: 'Secreto de los webhooks',
    webhookText:
      'Cada webhook lleva X-Facegate-Signature, un HMAC-SHA256 de su cuerpo con este secreto. Rotarlo crea un secreto nuevo: los webhooks se firman con él de inmediato, así que entrégueselo a su receptor enseguida.',
    rotate: 'Rotar el secreto de los webhooks',
    confirmRotate:
      '¿Crear un secreto de webhooks nuevo? Los webhooks se firman con el nuevo desde ahora; un receptor que aún compruebe el anterior los rechazará.',
    newSecret: 'Nuevo secreto de los webhooks',
    secretOnce: 'Solo se muestra ahora: cópielo en la configuración de su receptor de webhooks.',
    rotated: 'Se rotó el secreto de los webhooks.',
    tokenTitle: 'Token de API',
    tokenText:
      'Renovarlo emite un token de API nuevo y revoca todos los anteriores a la vez: las integraciones con el token anterior dejan de funcionar, y también la sesión de esta consola.',
    renew: 'Renovar y revocar el token de API',
    confirmRenew:
      '¿Emitir un token de API nuevo y revocar ahora todos los anteriores? Las integraciones que usan el token anterior dejan de funcionar de inmediato.',
    newToken: 'Nuevo token de API',
    tokenOnce: 'Solo se muestra ahora: cópielo, actualice sus integraciones y después inicie sesión con él.',
    expires: 'Caduca el {date}.',
    signInAgain: 'Iniciar sesión con el token nuevo',
    renewed: 'Se renovó el token de API; los anteriores ya no funcionan.',
    operatorToken:
      'Inició sesión con su correo y su rostro, no con el token de API: solo quien tiene el token de API puede renovarlo.',
    copyFailed: 'El navegador no permitió copiar: seleccione el texto y cópielo.',
  },
};

type Strings = (typeof strings)['en'];

/** A secret shown once: read-only, selected on focus, with a copy button. */
function revealed(s: Strings, ctx: ScreenContext, label: string, secret: string, id: string): HTMLElement {
  const input = h('input', {
    type: 'text',
    id,
    readonly: true,
    value: secret,
    spellcheck: 'false',
    autocomplete: 'off',
  });
  input.addEventListener('focus', () => input.select());
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(secret);
          ctx.notify(ctx.t('copied'), 'success');
        } catch {
          input.focus();
          ctx.notify(s.copyFailed, 'error');
        }
      },
    },
    ctx.t('copy'),
  );
  const wrap = field(label, input);
  wrap.append(h('div', { class: 'link-box' }, copy));
  return wrap;
}

export const screen: Screen = {
  route: /^#\/settings$/,
  nav: 'settings',
  render(ctx) {
    const s = ctx.text(strings);
    ctx.setTitle(s.title);

    const secretOut = h('div', { id: 'webhook-secret-result' });
    const rotate = h('button', { type: 'button', id: 'rotate-webhook-secret' }, s.rotate);
    rotate.addEventListener('click', async () => {
      if (!(await ctx.confirm(s.confirmRotate, { confirmLabel: s.rotate, danger: true }))) return;
      rotate.disabled = true;
      try {
        const r = await ok(ctx.api.POST('/v2/clients/webhook-secret', { body: {} }));
        const box = revealed(s, ctx, s.newSecret, r.data.webhookSecret, 'new-webhook-secret');
        secretOut.replaceChildren(h('div', { class: 'panel' }, box, h('p', { class: 'help' }, s.secretOnce)));
        ctx.notify(s.rotated, 'success');
        secretOut.querySelector('input')?.focus();
      } catch (err) {
        ctx.fail(err);
      } finally {
        rotate.disabled = false;
      }
    });

    const tokenOut = h('div', { id: 'api-token-result' });
    const renew = h('button', { type: 'button', class: 'danger', id: 'renew-api-token' }, s.renew);
    renew.addEventListener('click', async () => {
      if (!(await ctx.confirm(s.confirmRenew, { confirmLabel: s.renew, danger: true }))) return;
      renew.disabled = true;
      try {
        const r = await ok(ctx.api.POST('/v2/auth/renew-and-revoke', { body: {} }));
        // The token this tab holds is revoked now: forget it, so nothing else is tried with it.
        forgetToken();
        const again = h(
          'button',
          { type: 'button', id: 'sign-in-again', onclick: () => ctx.navigate('#/sign-in') },
          s.signInAgain,
        );
        tokenOut.replaceChildren(
          h(
            'div',
            { class: 'panel' },
            revealed(s, ctx, s.newToken, r.token, 'new-api-token'),
            h('p', { class: 'help' }, s.tokenOnce, ' ', format(s.expires, { date: formatDate(r.expiresAt, ctx.lang) })),
            again,
          ),
        );
        renew.remove();
        ctx.notify(s.renewed, 'success');
        tokenOut.querySelector('input')?.focus();
      } catch (err) {
        renew.disabled = false;
        ctx.fail(err);
      }
    });

    ctx.root.append(
      h('h1', {}, s.title),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'settings-webhook' },
        h('h2', { id: 'settings-webhook' }, s.webhookTitle),
        h('p', {}, s.webhookText),
        rotate,
        secretOut,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'settings-token' },
        h('h2', { id: 'settings-token' }, s.tokenTitle),
        h('p', {}, s.tokenText),
        // An operator's console session may not mint an API token (the server answers api_token_only).
        operatorName() ? h('p', { class: 'help', id: 'operator-token-note' }, s.operatorToken) : renew,
        tokenOut,
      ),
    );
  },
};
