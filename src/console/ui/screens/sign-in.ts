import { ApiError, errorText, ok } from '../api.js';
import { field, h } from '../dom.js';
import type { Screen } from '../screen.js';

// Operator sign-in with the tenant's API token. The token is checked with one harmless read before it is kept;
// it goes to sessionStorage only, so it never appears in the URL, the history or a log, and closing the tab signs
// the operator out.

const strings = {
  en: {
    title: 'Sign in',
    intro: 'Sign in with your tenant’s API token (the one `facegate clients create` printed).',
    token: 'API token',
    tokenHelp: 'Kept in this browser tab only, and forgotten when the tab is closed or you sign out.',
    submit: 'Sign in',
    empty: 'Enter the API token.',
    refused: 'This token was refused: it is wrong, expired or revoked.',
  },
  es: {
    title: 'Iniciar sesión',
    intro: 'Inicie sesión con el token de API de su cliente (el que mostró `facegate clients create`).',
    token: 'Token de API',
    tokenHelp: 'Se guarda solo en esta pestaña del navegador y se olvida al cerrarla o al cerrar sesión.',
    submit: 'Iniciar sesión',
    empty: 'Introduzca el token de API.',
    refused: 'Este token fue rechazado: es incorrecto, caducó o fue revocado.',
  },
};

export const screen: Screen = {
  route: /^#\/sign-in$/,
  public: true,
  render(ctx) {
    const s = ctx.text(strings);
    ctx.setTitle(s.title);
    const input = h('input', {
      type: 'password',
      name: 'token',
      autocomplete: 'off',
      spellcheck: 'false',
      required: true,
    });
    const message = h('p', { class: 'error-text', id: 'sign-in-error', 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit' }, s.submit);
    const form = h(
      'form',
      { class: 'panel', novalidate: true },
      field(s.token, input, { help: s.tokenHelp }),
      message,
      submit,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const token = input.value.trim();
      message.textContent = '';
      if (!token) {
        message.textContent = s.empty;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      submit.disabled = true;
      try {
        // Checked with this token explicitly: nothing is stored until the server accepts it.
        await ok(
          ctx.api.GET('/v2/projects', {
            params: { query: { perPage: 1 } },
            headers: { authorization: `Bearer ${token}` },
          }),
        );
        ctx.signIn(token);
      } catch (err) {
        message.textContent = err instanceof ApiError && err.status === 401 ? s.refused : errorText(err, ctx.lang);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      } finally {
        submit.disabled = false;
      }
    });
    ctx.root.append(h('div', { class: 'sign-in' }, h('h1', {}, s.title), h('p', {}, s.intro), form));
  },
};
