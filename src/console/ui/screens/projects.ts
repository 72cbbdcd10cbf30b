import { ok } from '../api.js';
import { clear, field, formatDate, h } from '../dom.js';
import type { Project, ProjectFlow, ProjectInput } from '../models.js';
import type { Screen, ScreenContext } from '../screen.js';
import { badge, fetchAll, linkBox, statusTone, table } from '../widgets.js';
import { brandingPreview } from './branding-preview.js';

// Projects: the list, and one form for creating and editing, every setting said in words with its default. An
// existing project also shows its hosted-page preview, its sign-in links (open, copy, QR) and its flows.

const strings = {
  en: {
    title: 'Projects',
    intro: 'A project is one product or site that signs people in with their face: its name, links and branding.',
    new: 'New project',
    newTitle: 'New project',
    editTitle: 'Project: {name}',
    name: 'Name',
    nameHelp: 'Shown as the heading of the hosted sign-in page.',
    status: 'Status',
    statusHelp: 'Only an active project serves its hosted page; inactive or pending ones answer “unavailable”.',
    statusDefault: 'Default: active',
    consoleAccess: 'Operators sign in to this console with this project',
    consoleAccessHelp:
      'Your operators are the persons enrolled in this project’s collection, with their email. They sign in on the console with “Sign in with email”: the email code, then their face, through this project’s login flow, which must have the steps email then liveness and the redirect URL {console}. They then act as the API token does for 8 hours, except renewing it, and the audit log names them. Only the API token can change this setting.',
    consoleAccessDefault: 'Default: off',
    identifier: 'Your identifier',
    identifierHelp: 'Free text of your own to find the project by (an app id, a shop code).',
    contactEmail: 'Contact email',
    contactEmailHelp: 'Where people can write about their data.',
    privacyUrl: 'Privacy policy URL',
    privacyUrlHelp: 'Linked from the hosted page, before the camera starts.',
    termsUrl: 'Terms and conditions URL',
    termsUrlHelp: 'Linked from the hosted page next to the privacy policy.',
    countries: 'Allowed countries',
    countriesHelp: 'Country names separated by commas, as Verifik writes them (Colombia, United States).',
    countriesDefault: 'Default: none listed',
    noneDefault: 'Default: none',
    branding: 'Branding of the hosted page',
    bgColor: 'Background colour',
    bgColorHelp: 'The page background: a CSS colour such as #0b3d91 or rgb(11 61 145).',
    txtColor: 'Text colour',
    txtColorHelp: 'Body text; if it reads badly on the background (under 4.5:1), the page picks black or white.',
    titleColor: 'Title colour',
    titleColorHelp: 'The heading.',
    borderColor: 'Accent colour',
    borderColorHelp: 'Buttons and the frame around the camera.',
    logo: 'Logo URL',
    logoHelp: 'An https image shown above the heading.',
    brandDefault: 'Default: Facegate’s own colours',
    dataProtection: 'Data protection officer',
    dpHelp: 'Who answers for the face data of this project; shown to people who ask.',
    dpName: 'Name',
    dpEmail: 'Email',
    dpAddress: 'Address',
    dpAddress2: 'Address (second line)',
    dpCity: 'City',
    dpProvince: 'Province or state',
    dpPostalCode: 'Postal code',
    dpCountry: 'Country',
    preview: 'Preview of the hosted page',
    links: 'Sign-in links',
    linksHelp: 'Open one to try the project’s active flow with your camera, or show its QR code to a phone.',
    loginLink: 'Log-in link',
    onboardingLink: 'Onboarding link',
    flows: 'Flows of this project',
    newFlow: 'New flow for this project',
    noFlows: 'No flow yet: the sign-in links answer “unavailable” until an active flow exists.',
    colName: 'Name',
    colStatus: 'Status',
    colCreated: 'Created',
    colType: 'Type',
    deleteProject: 'Delete project',
    confirmDelete: 'Delete the project “{name}” and its flows? Its sign-in links stop working.',
    deleted: 'Project deleted',
    created: 'Project created',
  },
  es: {
    title: 'Proyectos',
    intro:
      'Un proyecto es un producto o sitio que identifica a las personas por su rostro: su nombre, enlaces y marca.',
    new: 'Nuevo proyecto',
    newTitle: 'Nuevo proyecto',
    editTitle: 'Proyecto: {name}',
    name: 'Nombre',
    nameHelp: 'Se muestra como título de la página de acceso alojada.',
    status: 'Estado',
    statusHelp: 'Solo un proyecto activo sirve su página; uno inactivo o pendiente responde «no disponible».',
    statusDefault: 'Por defecto: activo',
    consoleAccess: 'Los operadores inician sesión en esta consola con este proyecto',
    consoleAccessHelp:
      'Sus operadores son las personas inscritas en la colección de este proyecto, con su correo. Inician sesión en la consola con «Iniciar sesión con correo»: el código por correo y luego su rostro, con el flujo de inicio de sesión de este proyecto, que debe tener los pasos email y luego liveness y la URL de redirección {console}. Después actúan como el token de API durante 8 horas, salvo para renovarlo, y el registro de auditoría los nombra. Solo el token de API puede cambiar este ajuste.',
    consoleAccessDefault: 'Por defecto: desactivado',
    identifier: 'Su identificador',
    identifierHelp: 'Texto libre propio para encontrar el proyecto (un id de app, un código de tienda).',
    contactEmail: 'Correo de contacto',
    contactEmailHelp: 'Donde las personas pueden escribir sobre sus datos.',
    privacyUrl: 'URL de la política de privacidad',
    privacyUrlHelp: 'Enlazada desde la página alojada, antes de encender la cámara.',
    termsUrl: 'URL de los términos y condiciones',
    termsUrlHelp: 'Enlazada desde la página alojada junto a la política de privacidad.',
    countries: 'Países permitidos',
    countriesHelp: 'Nombres de países separados por comas, como los escribe Verifik (Colombia, United States).',
    countriesDefault: 'Por defecto: ninguno',
    noneDefault: 'Por defecto: ninguno',
    branding: 'Marca de la página alojada',
    bgColor: 'Color de fondo',
    bgColorHelp: 'El fondo de la página: un color CSS como #0b3d91 o rgb(11 61 145).',
    txtColor: 'Color del texto',
    txtColorHelp: 'El texto; si se lee mal sobre el fondo (menos de 4,5:1), la página elige negro o blanco.',
    titleColor: 'Color del título',
    titleColorHelp: 'El encabezado.',
    borderColor: 'Color de acento',
    borderColorHelp: 'Los botones y el marco de la cámara.',
    logo: 'URL del logotipo',
    logoHelp: 'Una imagen https mostrada encima del título.',
    brandDefault: 'Por defecto: los colores de Facegate',
    dataProtection: 'Responsable de protección de datos',
    dpHelp: 'Quién responde por los datos faciales de este proyecto; se muestra a quien lo pida.',
    dpName: 'Nombre',
    dpEmail: 'Correo',
    dpAddress: 'Dirección',
    dpAddress2: 'Dirección (segunda línea)',
    dpCity: 'Ciudad',
    dpProvince: 'Provincia o estado',
    dpPostalCode: 'Código postal',
    dpCountry: 'País',
    preview: 'Vista previa de la página alojada',
    links: 'Enlaces de acceso',
    linksHelp: 'Abra uno para probar el flujo activo del proyecto con su cámara, o muestre su código QR a un móvil.',
    loginLink: 'Enlace de inicio de sesión',
    onboardingLink: 'Enlace de registro',
    flows: 'Flujos de este proyecto',
    newFlow: 'Nuevo flujo para este proyecto',
    noFlows: 'Aún no hay flujos: los enlaces responden «no disponible» hasta que exista un flujo activo.',
    colName: 'Nombre',
    colStatus: 'Estado',
    colCreated: 'Creado',
    colType: 'Tipo',
    deleteProject: 'Eliminar proyecto',
    confirmDelete: '¿Eliminar el proyecto «{name}» y sus flujos? Sus enlaces de acceso dejarán de funcionar.',
    deleted: 'Proyecto eliminado',
    created: 'Proyecto creado',
  },
};
type S = (typeof strings)['en'];

const fill = (text: string, vars: Record<string, string>) => text.replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? m);
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

async function renderList(ctx: ScreenContext, s: S) {
  ctx.setTitle(s.title);
  ctx.root.append(
    h('h1', {}, s.title),
    h('p', {}, s.intro),
    h('div', { class: 'toolbar' }, h('a', { class: 'button', href: '#/projects/new' }, s.new)),
  );
  const projects = await fetchAll((page) =>
    ok(ctx.api.GET('/v2/projects', { params: { query: { page, perPage: 100 } }, signal: ctx.signal })),
  );
  if (projects.length === 0) {
    ctx.root.append(h('p', { class: 'muted' }, ctx.t('none')));
    return;
  }
  ctx.root.append(
    table(
      s.title,
      [s.colName, s.colStatus, s.colCreated],
      projects.map((p) => [
        h('a', { href: `#/projects/${p._id}` }, p.name),
        badge(p.status, statusTone(p.status)),
        formatDate(p.createdAt, ctx.lang),
      ]),
    ),
  );
}

function textInput(name: string, value: string | null | undefined, type = 'text') {
  return h('input', { type, name, value: value ?? '', autocomplete: 'off' });
}

async function renderForm(ctx: ScreenContext, s: S, id: string | null) {
  const project: Project | null = id
    ? (await ok(ctx.api.GET('/v2/projects/{id}', { params: { path: { id } }, signal: ctx.signal }))).data
    : null;
  const title = project ? fill(s.editTitle, { name: project.name }) : s.newTitle;
  ctx.setTitle(title);
  const b = project?.branding ?? {};
  const dp = project?.dataProtection ?? {};
  const name = textInput('name', project?.name);
  name.required = true;
  const status = h(
    'select',
    { name: 'status' },
    ...(['active', 'inactive', 'pending'] as const).map((v) =>
      h('option', { value: v, selected: (project?.status ?? 'active') === v }, v),
    ),
  );
  const identifier = textInput('identifier', project?.identifier);
  const contactEmail = textInput('contactEmail', project?.contactEmail, 'email');
  const privacyUrl = textInput('privacyUrl', project?.privacyUrl, 'url');
  const termsUrl = textInput('termsAndConditionsUrl', project?.termsAndConditionsUrl, 'url');
  const countries = textInput('allowedCountries', (project?.allowedCountries ?? []).join(', '));
  const consoleAccess = h('input', {
    type: 'checkbox',
    name: 'consoleAccess',
    checked: project?.consoleAccess === true,
  });
  const consoleUrl = `${location.origin}/console${project ? `?project=${project._id}` : ''}`;
  const brand = {
    bgColor: textInput('bgColor', b.bgColor),
    txtColor: textInput('txtColor', b.txtColor),
    titleColor: textInput('titleColor', b.titleColor),
    borderColor: textInput('borderColor', b.borderColor),
    logo: textInput('logo', b.logo, 'url'),
  };
  const dpKeys = ['name', 'email', 'address', 'address2', 'city', 'province', 'postalCode', 'country'] as const;
  const dpLabel: Record<(typeof dpKeys)[number], string> = {
    name: s.dpName,
    email: s.dpEmail,
    address: s.dpAddress,
    address2: s.dpAddress2,
    city: s.dpCity,
    province: s.dpProvince,
    postalCode: s.dpPostalCode,
    country: s.dpCountry,
  };
  const dpInputs = Object.fromEntries(dpKeys.map((k) => [k, textInput(`dp-${k}`, dp[k])])) as Record<
    (typeof dpKeys)[number],
    HTMLInputElement
  >;

  const previewHolder = h('div', {});
  const brandingNow = () => {
    const out: Record<string, string> = {};
    for (const [k, input] of Object.entries(brand)) if (input.value.trim()) out[k] = input.value.trim();
    return out;
  };
  const redraw = () => {
    clear(previewHolder);
    previewHolder.append(brandingPreview(ctx, name.value || s.newTitle, brandingNow()));
  };
  for (const input of [name, ...Object.values(brand)]) input.addEventListener('input', redraw);
  redraw();

  const submit = h('button', { type: 'submit' }, project ? ctx.t('save') : ctx.t('create'));
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'project-form-title' },
    field(s.name, name, { help: s.nameHelp }),
    field(s.status, status, { help: s.statusHelp, defaultText: s.statusDefault }),
    h(
      'div',
      { class: 'grid2' },
      field(s.identifier, identifier, { help: s.identifierHelp, defaultText: s.noneDefault }),
      field(s.contactEmail, contactEmail, { help: s.contactEmailHelp, defaultText: s.noneDefault }),
      field(s.privacyUrl, privacyUrl, { help: s.privacyUrlHelp, defaultText: s.noneDefault }),
      field(s.termsUrl, termsUrl, { help: s.termsUrlHelp, defaultText: s.noneDefault }),
    ),
    field(s.countries, countries, { help: s.countriesHelp, defaultText: s.countriesDefault }),
    field(s.consoleAccess, consoleAccess, {
      help: fill(s.consoleAccessHelp, { console: consoleUrl }),
      defaultText: s.consoleAccessDefault,
    }),
    h(
      'fieldset',
      {},
      h('legend', {}, s.branding),
      h(
        'div',
        { class: 'grid2' },
        h(
          'div',
          {},
          field(s.bgColor, brand.bgColor, { help: s.bgColorHelp, defaultText: s.brandDefault }),
          field(s.txtColor, brand.txtColor, { help: s.txtColorHelp, defaultText: s.brandDefault }),
          field(s.titleColor, brand.titleColor, { help: s.titleColorHelp, defaultText: s.brandDefault }),
          field(s.borderColor, brand.borderColor, { help: s.borderColorHelp, defaultText: s.brandDefault }),
          field(s.logo, brand.logo, { help: s.logoHelp, defaultText: s.noneDefault }),
        ),
        h('div', {}, h('h2', { class: 'preview-title' }, s.preview), previewHolder),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, s.dataProtection),
      h('p', { class: 'help' }, s.dpHelp),
      h('div', { class: 'grid2' }, ...dpKeys.map((k) => field(dpLabel[k], dpInputs[k]))),
    ),
    h('div', { class: 'toolbar' }, submit, h('a', { class: 'button secondary', href: '#/projects' }, ctx.t('back'))),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const dataProtection: Record<string, string> = {};
    for (const k of dpKeys) if (dpInputs[k].value.trim()) dataProtection[k] = dpInputs[k].value.trim();
    const body: ProjectInput = {
      name: name.value.trim(),
      status: status.value as ProjectInput['status'] & string,
      identifier: orNull(identifier.value),
      contactEmail: orNull(contactEmail.value),
      privacyUrl: orNull(privacyUrl.value),
      termsAndConditionsUrl: orNull(termsUrl.value),
      allowedCountries: countries.value
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
      branding: brandingNow(),
      dataProtection,
      consoleAccess: consoleAccess.checked,
    };
    submit.disabled = true;
    try {
      if (project) {
        await ok(ctx.api.PUT('/v2/projects/{id}', { params: { path: { id: project._id } }, body }));
        ctx.notify(ctx.t('saved'), 'success');
        ctx.navigate(`#/projects/${project._id}`);
      } else {
        const created = await ok(ctx.api.POST('/v2/projects', { body }));
        ctx.notify(s.created, 'success');
        ctx.navigate(`#/projects/${created.data._id}`);
      }
    } catch (err) {
      ctx.fail(err);
    } finally {
      submit.disabled = false;
    }
  });

  ctx.root.append(h('h1', { id: 'project-form-title' }, title), form);
  if (project) await renderProjectExtras(ctx, s, project);
}

async function renderProjectExtras(ctx: ScreenContext, s: S, project: Project) {
  const origin = location.origin;
  ctx.root.append(
    h('h2', {}, s.links),
    h(
      'div',
      { class: 'panel' },
      h('p', { class: 'help' }, s.linksHelp),
      linkBox(ctx, `${origin}/sign-in/${project._id}?type=login`, s.loginLink),
      linkBox(ctx, `${origin}/sign-in/${project._id}?type=onboarding`, s.onboardingLink),
    ),
  );
  const flows: ProjectFlow[] = (
    await fetchAll((page) =>
      ok(ctx.api.GET('/v2/project-flows', { params: { query: { page, perPage: 100 } }, signal: ctx.signal })),
    )
  ).filter((f) => f.project === project._id);
  ctx.root.append(
    h('h2', {}, s.flows),
    h(
      'div',
      { class: 'toolbar' },
      h('a', { class: 'button secondary', href: `#/flows/new?project=${project._id}` }, s.newFlow),
    ),
    flows.length === 0
      ? h('p', { class: 'muted' }, s.noFlows)
      : table(
          s.flows,
          [s.colName, s.colType, s.colStatus],
          flows.map((f) => [
            h('a', { href: `#/flows/${f._id}` }, f.name ?? f._id),
            f.type,
            badge(f.status, statusTone(f.status)),
          ]),
        ),
  );
  const del = h('button', { type: 'button', class: 'danger' }, s.deleteProject);
  del.addEventListener('click', async () => {
    if (
      !(await ctx.confirm(fill(s.confirmDelete, { name: project.name }), {
        danger: true,
        confirmLabel: ctx.t('delete'),
      }))
    )
      return;
    try {
      await ok(ctx.api.DELETE('/v2/projects/{id}', { params: { path: { id: project._id } } }));
      ctx.notify(s.deleted, 'success');
      ctx.navigate('#/projects');
    } catch (err) {
      ctx.fail(err);
    }
  });
  ctx.root.append(h('div', { class: 'toolbar' }, del));
}

export const screen: Screen = {
  route: /^#\/projects(?:\/(new|[0-9a-f]{24}))?$/,
  nav: 'projects',
  async render(ctx, match) {
    const s = ctx.text(strings);
    const id = match[1];
    if (!id) return renderList(ctx, s);
    return renderForm(ctx, s, id === 'new' ? null : id);
  },
};
