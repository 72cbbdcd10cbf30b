import { ApiError, errorText, ok } from '../api.js';
import { field, h } from '../dom.js';
import { startOperatorSignIn, takeSignInError } from '../operator-sign-in.js';
import type { Screen } from '../screen.js';

// Operator sign-in, two ways. With email: the tenant's operators' project (its id typed, or carried by the address
// as `/console?project=<id>`) signs the operator in with the email code and their face on the hosted page, which
// returns here (operator-sign-in.ts). With the tenant's API token: checked with one harmless read before it is
// kept. Either token goes to sessionStorage only, so it never appears in the URL, the history or a log, and closing
// the tab signs the operator out.

const strings = {
  en: {
    title: 'Sign in',
    emailTitle: 'Sign in with email',
    emailIntro:
      'For operators enrolled in your organisation’s operators’ project: you get a code by email, then show your face.',
    project: 'Project id',
    projectHelp: 'Your organisation’s operators’ project (the console’s address may carry it as ?project=…).',
    emailSubmit: 'Continue with email',
    projectEmpty: 'Enter the project id.',
    tokenTitle: 'Sign in with the API token',
    intro: 'Sign in with your tenant’s API token (the one `facegate clients create` printed).',
    token: 'API token',
    tokenHelp: 'Kept in this browser tab only, and forgotten when the tab is closed or you sign out.',
    submit: 'Sign in',
    empty: 'Enter the API token.',
    refused: 'This token was refused: it is wrong, expired or revoked.',
  },
  es: {
    title: 'Iniciar sesión',
    emailTitle: 'Iniciar sesión con correo',
    emailIntro:
      'Para los operadores inscritos en el proyecto de operadores de su organización: recibe un código por correo y luego muestra su rostro.',
    project: 'Id del proyecto',
    projectHelp:
      'El proyecto de operadores de su organización (la dirección de la consola puede llevarlo como ?project=…).',
    emailSubmit: 'Continuar con correo',
    projectEmpty: 'Introduzca el id del proyecto.',
    tokenTitle: 'Iniciar sesión con el token de API',
    intro: 'Inicie sesión con el token de API de su cliente (el que mostró `facegate clients create`).',
    token: 'Token de API',
    tokenHelp: 'Se guarda solo en esta pestaña del navegador y se olvida al cerrarla o al cerrar sesión.',
    submit: 'Iniciar sesión',
    empty: 'Introduzca el token de API.',
    refused: 'Este token fue rechazado: es incorrecto, caducó o fue revocado.',
  },
};

/** Says why a form's field was refused, next to it, and puts the focus back on it. */
function refuse(input: HTMLElement, message: HTMLElement, text: string): void {
  message.textContent = text;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

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
        refuse(input, message, s.empty);
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
        refuse(input, message, err instanceof ApiError && err.status === 401 ? s.refused : errorText(err, ctx.lang));
      } finally {
        submit.disabled = false;
      }
    });
    const project = h('input', {
      type: 'text',
      name: 'project',
      autocomplete: 'off',
      spellcheck: 'false',
      value: new URLSearchParams(location.search).get('project') ?? '',
    });
    const emailMessage = h('p', { class: 'error-text', id: 'email-sign-in-error', 'aria-live': 'assertive' });
    const returned = takeSignInError();
    if (returned) emailMessage.textContent = returned;
    const emailSubmit = h('button', { type: 'submit' }, s.emailSubmit);
    const emailForm = h(
      'form',
      { class: 'panel', novalidate: true },
      h('h2', { id: 'email-sign-in-title' }, s.emailTitle),
      h('p', {}, s.emailIntro),
      field(s.project, project, { help: s.projectHelp }),
      emailMessage,
      emailSubmit,
    );
    emailForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const id = project.value.trim();
      emailMessage.textContent = '';
      if (!id) {
        refuse(project, emailMessage, s.projectEmpty);
        return;
      }
      emailSubmit.disabled = true;
      const problem = await startOperatorSignIn(ctx.api, id, ctx.lang);
      emailSubmit.disabled = false;
      if (problem) refuse(project, emailMessage, problem);
    });
    const tokenTitle = h('h2', { id: 'token-sign-in-title' }, s.tokenTitle);
    form.prepend(tokenTitle, h('p', {}, s.intro));
    ctx.root.append(h('div', { class: 'sign-in' }, h('h1', {}, s.title), emailForm, form));
  },
};
