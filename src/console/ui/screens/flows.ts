import { ok } from '../api.js';
import { field, h } from '../dom.js';
import { flowDefaults as D } from '../flow-defaults.js';
import type { FlowInput, FlowUpdate, Project, ProjectFlow } from '../models.js';
import type { Screen, ScreenContext } from '../screen.js';
import { badge, fetchAll, statusTone, table } from '../widgets.js';

// Flows: how a project's people log in or onboard. One form for create and edit; every setting says what it does,
// its range and its default, so an operator can leave alone what they do not need.

const strings = {
  en: {
    title: 'Flows',
    intro: 'A flow is one way into a project: a login finds an enrolled person by face, an onboarding enrols one.',
    new: 'New flow',
    newTitle: 'New flow',
    editTitle: 'Flow: {name}',
    needProject: 'Create a project first: every flow belongs to one.',
    project: 'Project',
    projectHelp: 'The project whose hosted page and sign-in links use this flow. Fixed once created.',
    type: 'Type',
    typeHelp: 'Login: find an enrolled person by their face. Onboarding: enrol a new person.',
    typeDefault: 'No default: choose one',
    login: 'login',
    onboarding: 'onboarding',
    status: 'Status',
    statusHelp: 'Only an active flow starts validations; draft and paused ones are kept but not used.',
    name: 'Name',
    nameHelp: 'For you: shown in this console and in the API.',
    redirectUrl: 'Redirect URL',
    redirectUrlHelp: 'Where the hosted page sends the person when done, with ?type=…&token=<app-login token>.',
    webhookUrl: 'Webhook URL',
    webhookUrlHelp: 'Receives each validation’s signed events (header X-Facegate-Signature).',
    noneDefault: 'Default: none',
    sessionMinutes: 'Session length (minutes)',
    sessionMinutesHelp: 'How long a validation and its session token stay usable.',
    maxAttempts: 'Attempts',
    maxAttemptsHelp: 'Selfies a validation may fail; retakes of an unusable photo are not counted.',
    loginSettings: 'Login settings',
    faceLiveness: 'Face liveness check',
    faceLivenessHelp: 'Checks the face is a live person, not a photo or a screen. The hosted page needs it on.',
    livenessMode: 'Liveness mode',
    livenessModeHelp:
      'Active films a random challenge (turn, blink). Passive takes one photo: a downloaded photo of an enrolled person may pass.',
    active: 'active (challenge)',
    passive: 'passive (one photo)',
    livenessMinScore: 'Liveness threshold',
    livenessMinScoreHelp:
      'The liveness score (0–1) a face must exceed to count as live. Higher refuses more spoofs and more people.',
    searchMinScore: 'Match threshold',
    searchMinScoreHelp:
      'The similarity (0–1) to an enrolled face needed for a match. Higher means fewer false accepts.',
    searchMode: 'Search mode',
    searchModeHelp:
      'ACCURATE searches every enrolled face; FAST searches an approximate index (quicker on big collections).',
    getReadyScreen: 'Get-ready screen',
    getReadyScreenHelp: 'The hosted page first says what will happen and what is kept, before the camera starts.',
    showRecommendation: 'Liveness tips',
    showRecommendationHelp: 'Shows tips (light, framing) before the liveness check.',
    email: 'Email code login',
    emailHelp: 'People may log in with a 6-digit code mailed to them (needs FACEGATE_SMTP_URL).',
    phone: 'Phone code login',
    phoneHelp: 'People may log in with a code sent by SMS or WhatsApp (needs the SMS gateway variables).',
    phoneGateway: 'Phone channel',
    phoneGatewayHelp: 'Which channel a phone code may use; both lets the request choose.',
    codeMinutes: 'Code lifetime (minutes)',
    codeMinutesHelp: 'How long an email or phone code stays valid.',
    onboardingSettings: 'Onboarding settings',
    onboardingSearchHelp: 'A new face this similar to an enrolled one is refused as a duplicate.',
    on: 'Default: on',
    off: 'Default: off',
    defaultValue: 'Default: {value} (from {min} to {max})',
    defaultPlain: 'Default: {value}',
    colName: 'Name',
    colProject: 'Project',
    colType: 'Type',
    colStatus: 'Status',
    deleteFlow: 'Delete flow',
    confirmDelete: 'Delete the flow “{name}”? Validations already made keep their records.',
    deleted: 'Flow deleted',
    created: 'Flow created',
    openProject: 'Open its project',
  },
  es: {
    title: 'Flujos',
    intro:
      'Un flujo es una forma de entrar a un proyecto: el inicio de sesión busca a una persona inscrita, el registro inscribe una.',
    new: 'Nuevo flujo',
    newTitle: 'Nuevo flujo',
    editTitle: 'Flujo: {name}',
    needProject: 'Cree primero un proyecto: cada flujo pertenece a uno.',
    project: 'Proyecto',
    projectHelp: 'El proyecto cuya página y enlaces usan este flujo. No cambia una vez creado.',
    type: 'Tipo',
    typeHelp: 'Inicio de sesión: encontrar a una persona inscrita por su rostro. Registro: inscribir una nueva.',
    typeDefault: 'Sin valor por defecto: elija uno',
    login: 'inicio de sesión',
    onboarding: 'registro',
    status: 'Estado',
    statusHelp: 'Solo un flujo activo inicia validaciones; los borradores y pausados se guardan sin usarse.',
    name: 'Nombre',
    nameHelp: 'Para usted: se muestra en esta consola y en la API.',
    redirectUrl: 'URL de redirección',
    redirectUrlHelp: 'Adonde la página envía a la persona al terminar, con ?type=…&token=<token de acceso>.',
    webhookUrl: 'URL del webhook',
    webhookUrlHelp: 'Recibe los eventos firmados de cada validación (cabecera X-Facegate-Signature).',
    noneDefault: 'Por defecto: ninguna',
    sessionMinutes: 'Duración de la sesión (minutos)',
    sessionMinutesHelp: 'Cuánto tiempo se pueden usar una validación y su token de sesión.',
    maxAttempts: 'Intentos',
    maxAttemptsHelp: 'Selfies que una validación puede fallar; no cuentan las repeticiones de una foto inservible.',
    loginSettings: 'Ajustes de inicio de sesión',
    faceLiveness: 'Prueba de vida',
    faceLivenessHelp:
      'Comprueba que el rostro es una persona viva, no una foto ni una pantalla. La página alojada la necesita.',
    livenessMode: 'Modo de la prueba de vida',
    livenessModeHelp:
      'Activo graba un reto al azar (girar, parpadear). Pasivo toma una foto: una foto descargada de una persona inscrita podría pasar.',
    active: 'activo (reto)',
    passive: 'pasivo (una foto)',
    livenessMinScore: 'Umbral de la prueba de vida',
    livenessMinScoreHelp:
      'La puntuación de la prueba de vida (0–1) que un rostro debe superar. Más alta rechaza más fraudes y más personas.',
    searchMinScore: 'Umbral de coincidencia',
    searchMinScoreHelp:
      'La similitud (0–1) con un rostro inscrito para coincidir. Más alta da menos falsas aceptaciones.',
    searchMode: 'Modo de búsqueda',
    searchModeHelp:
      'ACCURATE busca en todos los rostros; FAST en un índice aproximado (más rápido en colecciones grandes).',
    getReadyScreen: 'Pantalla de preparación',
    getReadyScreenHelp: 'La página explica primero qué pasará y qué se guarda, antes de encender la cámara.',
    showRecommendation: 'Consejos para la prueba de vida',
    showRecommendationHelp: 'Muestra consejos (luz, encuadre) antes de la prueba de vida.',
    email: 'Acceso con código por correo',
    emailHelp: 'Las personas pueden entrar con un código de 6 dígitos enviado por correo (requiere FACEGATE_SMTP_URL).',
    phone: 'Acceso con código por teléfono',
    phoneHelp: 'Las personas pueden entrar con un código por SMS o WhatsApp (requiere las variables de la pasarela).',
    phoneGateway: 'Canal telefónico',
    phoneGatewayHelp: 'Qué canal puede usar un código telefónico; both deja elegir a la solicitud.',
    codeMinutes: 'Validez del código (minutos)',
    codeMinutesHelp: 'Cuánto tiempo vale un código de correo o teléfono.',
    onboardingSettings: 'Ajustes de registro',
    onboardingSearchHelp: 'Un rostro nuevo tan parecido a uno inscrito se rechaza como duplicado.',
    on: 'Por defecto: activado',
    off: 'Por defecto: desactivado',
    defaultValue: 'Por defecto: {value} (de {min} a {max})',
    defaultPlain: 'Por defecto: {value}',
    colName: 'Nombre',
    colProject: 'Proyecto',
    colType: 'Tipo',
    colStatus: 'Estado',
    deleteFlow: 'Eliminar flujo',
    confirmDelete: '¿Eliminar el flujo «{name}»? Las validaciones ya hechas conservan sus registros.',
    deleted: 'Flujo eliminado',
    created: 'Flujo creado',
    openProject: 'Abrir su proyecto',
  },
};
type S = (typeof strings)['en'];

const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

const projectsOf = (ctx: ScreenContext) =>
  fetchAll((page) =>
    ok(ctx.api.GET('/v2/projects', { params: { query: { page, perPage: 100 } }, signal: ctx.signal })),
  );
const flowsOf = (ctx: ScreenContext) =>
  fetchAll((page) =>
    ok(ctx.api.GET('/v2/project-flows', { params: { query: { page, perPage: 100 } }, signal: ctx.signal })),
  );

async function renderList(ctx: ScreenContext, s: S, projectFilter: string | undefined) {
  ctx.setTitle(s.title);
  const [projects, flows] = await Promise.all([projectsOf(ctx), flowsOf(ctx)]);
  const projectName = new Map(projects.map((p) => [p._id, p.name]));
  const shown = projectFilter ? flows.filter((f) => f.project === projectFilter) : flows;
  ctx.root.append(
    h('h1', {}, s.title),
    h('p', {}, s.intro),
    h(
      'div',
      { class: 'toolbar' },
      projects.length
        ? h('a', { class: 'button', href: `#/flows/new${projectFilter ? `?project=${projectFilter}` : ''}` }, s.new)
        : h('p', { class: 'muted' }, s.needProject),
    ),
    shown.length === 0
      ? h('p', { class: 'muted' }, ctx.t('none'))
      : table(
          s.title,
          [s.colName, s.colProject, s.colType, s.colStatus],
          shown.map((f) => [
            h('a', { href: `#/flows/${f._id}` }, f.name ?? f._id),
            h('a', { href: `#/projects/${f.project}` }, projectName.get(f.project) ?? f.project),
            f.type === 'login' ? s.login : s.onboarding,
            badge(f.status, statusTone(f.status)),
          ]),
        ),
  );
}

const number = (name: string, value: number | undefined, range: { min: number; max: number }, step: number) =>
  h('input', { type: 'number', name, value: value ?? '', min: range.min, max: range.max, step, inputmode: 'decimal' });
const check = (name: string, value: boolean) => h('input', { type: 'checkbox', name, checked: value });
const select = (name: string, options: Array<[string, string]>, value: string) =>
  h('select', { name }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));

async function renderForm(ctx: ScreenContext, s: S, id: string | null, presetProject: string | undefined) {
  const [flow, projects] = await Promise.all([
    id
      ? ok(ctx.api.GET('/v2/project-flows/{id}', { params: { path: { id } }, signal: ctx.signal })).then((r) => r.data)
      : Promise.resolve(null as ProjectFlow | null),
    projectsOf(ctx),
  ]);
  const title = flow ? fill(s.editTitle, { name: flow.name ?? flow._id }) : s.newTitle;
  ctx.setTitle(title);
  ctx.root.append(h('h1', {}, title));
  if (!flow && projects.length === 0) {
    ctx.root.append(h('p', {}, s.needProject), h('a', { class: 'button', href: '#/projects/new' }, ctx.t('create')));
    return;
  }
  const ls = flow?.loginSettings;
  const ob = flow?.onboardingSettings.liveness;
  const range = (r: { min: number; max: number }, def: number | string) =>
    typeof def === 'number'
      ? fill(s.defaultValue, { value: def, min: r.min, max: r.max })
      : fill(s.defaultPlain, { value: def });

  const project = select(
    'project',
    projects.map((p: Project) => [p._id, p.name]),
    flow?.project ?? presetProject ?? projects[0]?._id ?? '',
  );
  if (flow) project.disabled = true;
  const type = select(
    'type',
    [
      ['login', s.login],
      ['onboarding', s.onboarding],
    ],
    flow?.type ?? 'login',
  );
  const status = select(
    'status',
    [
      ['active', 'active'],
      ['draft', 'draft'],
      ['paused', 'paused'],
    ],
    flow?.status ?? D.status,
  );
  const name = h('input', { type: 'text', name: 'name', value: flow?.name ?? '' });
  const redirectUrl = h('input', { type: 'url', name: 'redirectUrl', value: flow?.redirectUrl ?? '' });
  const webhookUrl = h('input', { type: 'url', name: 'webhookUrl', value: flow?.webhookUrl ?? '' });
  const sessionMinutes = number(
    'sessionMinutes',
    flow?.sessionMinutes ?? D.sessionMinutes.default,
    D.sessionMinutes,
    1,
  );
  const maxAttempts = number('maxAttempts', flow?.maxAttempts ?? D.maxAttempts.default, D.maxAttempts, 1);
  const faceLiveness = check('faceLiveness', ls?.faceLiveness ?? true);
  const livenessMode = select(
    'livenessMode',
    [
      ['active', s.active],
      ['passive', s.passive],
    ],
    ls?.livenessMode ?? D.livenessMode,
  );
  const livenessMinScore = number(
    'livenessMinScore',
    ls?.livenessMinScore ?? D.livenessMinScore.default,
    D.livenessMinScore,
    0.01,
  );
  const searchMinScore = number(
    'searchMinScore',
    ls?.searchMinScore ?? D.searchMinScore.loginDefault,
    D.searchMinScore,
    0.01,
  );
  const searchMode = select(
    'searchMode',
    [
      ['ACCURATE', 'ACCURATE'],
      ['FAST', 'FAST'],
    ],
    ls?.searchMode ?? D.searchMode,
  );
  const getReadyScreen = check('getReadyScreen', ls?.getReadyScreen ?? true);
  const showRecommendation = check('showFaceLivenessRecommendation', ls?.showFaceLivenessRecommendation ?? false);
  const email = check('email', ls?.email ?? false);
  const phone = check('phone', ls?.phone ?? false);
  const phoneGateway = select(
    'phoneGateway',
    (['none', 'sms', 'whatsapp', 'both'] as const).map((g) => [g, g]),
    ls?.phoneGateway ?? 'none',
  );
  const codeMinutes = number('codeMinutes', ls?.codeMinutes ?? D.codeMinutes.default, D.codeMinutes, 1);
  const obLiveness = number(
    'onboardingLivenessMinScore',
    ob?.livenessMinScore ?? D.livenessMinScore.default,
    D.livenessMinScore,
    0.01,
  );
  const obSearch = number(
    'onboardingSearchMinScore',
    ob?.searchMinScore ?? D.searchMinScore.onboardingDefault,
    D.searchMinScore,
    0.01,
  );
  const obMode = select(
    'onboardingSearchMode',
    [
      ['ACCURATE', 'ACCURATE'],
      ['FAST', 'FAST'],
    ],
    ob?.searchMode ?? D.searchMode,
  );

  const loginSet = h(
    'fieldset',
    {},
    h('legend', {}, s.loginSettings),
    field(s.faceLiveness, faceLiveness, { help: s.faceLivenessHelp, defaultText: s.on }),
    h(
      'div',
      { class: 'grid2' },
      field(s.livenessMode, livenessMode, {
        help: s.livenessModeHelp,
        defaultText: fill(s.defaultPlain, { value: s.active }),
      }),
      field(s.searchMode, searchMode, {
        help: s.searchModeHelp,
        defaultText: fill(s.defaultPlain, { value: D.searchMode }),
      }),
      field(s.livenessMinScore, livenessMinScore, {
        help: s.livenessMinScoreHelp,
        defaultText: range(D.livenessMinScore, D.livenessMinScore.default),
      }),
      field(s.searchMinScore, searchMinScore, {
        help: s.searchMinScoreHelp,
        defaultText: range(D.searchMinScore, D.searchMinScore.loginDefault),
      }),
    ),
    field(s.getReadyScreen, getReadyScreen, { help: s.getReadyScreenHelp, defaultText: s.on }),
    field(s.showRecommendation, showRecommendation, { help: s.showRecommendationHelp, defaultText: s.off }),
    field(s.email, email, { help: s.emailHelp, defaultText: s.off }),
    field(s.phone, phone, { help: s.phoneHelp, defaultText: s.off }),
    h(
      'div',
      { class: 'grid2' },
      field(s.phoneGateway, phoneGateway, {
        help: s.phoneGatewayHelp,
        defaultText: fill(s.defaultPlain, { value: 'none' }),
      }),
      field(s.codeMinutes, codeMinutes, {
        help: s.codeMinutesHelp,
        defaultText: range(D.codeMinutes, D.codeMinutes.default),
      }),
    ),
  );
  const onboardingSet = h(
    'fieldset',
    {},
    h('legend', {}, s.onboardingSettings),
    h(
      'div',
      { class: 'grid2' },
      field(s.livenessMinScore, obLiveness, {
        help: s.livenessMinScoreHelp,
        defaultText: range(D.livenessMinScore, D.livenessMinScore.default),
      }),
      field(s.searchMinScore, obSearch, {
        help: `${s.searchMinScoreHelp} ${s.onboardingSearchHelp}`,
        defaultText: range(D.searchMinScore, D.searchMinScore.onboardingDefault),
      }),
      field(s.searchMode, obMode, {
        help: s.searchModeHelp,
        defaultText: fill(s.defaultPlain, { value: D.searchMode }),
      }),
    ),
  );
  // Only the settings of the chosen type are shown; both are saved, as the API keeps both.
  const showType = () => {
    loginSet.hidden = type.value !== 'login';
    onboardingSet.hidden = type.value !== 'onboarding';
  };
  type.addEventListener('change', showType);
  showType();

  const submit = h('button', { type: 'submit' }, flow ? ctx.t('save') : ctx.t('create'));
  const form = h(
    'form',
    { class: 'panel', novalidate: true },
    h(
      'div',
      { class: 'grid2' },
      field(s.project, project, { help: s.projectHelp }),
      field(s.type, type, { help: s.typeHelp, defaultText: s.typeDefault }),
      field(s.status, status, { help: s.statusHelp, defaultText: fill(s.defaultPlain, { value: D.status }) }),
      field(s.name, name, { help: s.nameHelp, defaultText: s.noneDefault }),
      field(s.redirectUrl, redirectUrl, { help: s.redirectUrlHelp, defaultText: s.noneDefault }),
      field(s.webhookUrl, webhookUrl, { help: s.webhookUrlHelp, defaultText: s.noneDefault }),
      field(s.sessionMinutes, sessionMinutes, {
        help: s.sessionMinutesHelp,
        defaultText: range(D.sessionMinutes, D.sessionMinutes.default),
      }),
      field(s.maxAttempts, maxAttempts, {
        help: s.maxAttemptsHelp,
        defaultText: range(D.maxAttempts, D.maxAttempts.default),
      }),
    ),
    loginSet,
    onboardingSet,
    h(
      'div',
      { class: 'toolbar' },
      submit,
      h('a', { class: 'button secondary', href: flow ? `#/projects/${flow.project}` : '#/flows' }, ctx.t('back')),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const code = codeMinutes.value.trim();
    const common = {
      type: type.value as 'login' | 'onboarding',
      status: status.value as 'active' | 'draft' | 'paused',
      name: orNull(name.value),
      redirectUrl: orNull(redirectUrl.value),
      webhookUrl: orNull(webhookUrl.value),
      sessionMinutes: Number(sessionMinutes.value),
      maxAttempts: Number(maxAttempts.value),
      loginSettings: {
        faceLiveness: faceLiveness.checked,
        livenessMode: livenessMode.value as 'active' | 'passive',
        livenessMinScore: Number(livenessMinScore.value),
        searchMinScore: Number(searchMinScore.value),
        searchMode: searchMode.value as 'ACCURATE' | 'FAST',
        getReadyScreen: getReadyScreen.checked,
        showFaceLivenessRecommendation: showRecommendation.checked,
        email: email.checked,
        phone: phone.checked,
        phoneGateway: phoneGateway.value as 'none' | 'sms' | 'whatsapp' | 'both',
        ...(code ? { codeMinutes: Number(code) } : {}),
      },
      onboardingSettings: {
        liveness: {
          livenessMinScore: Number(obLiveness.value),
          searchMinScore: Number(obSearch.value),
          searchMode: obMode.value as 'ACCURATE' | 'FAST',
        },
      },
    };
    submit.disabled = true;
    try {
      if (flow) {
        const body: FlowUpdate = common;
        await ok(ctx.api.PUT('/v2/project-flows/{id}', { params: { path: { id: flow._id } }, body }));
        ctx.notify(ctx.t('saved'), 'success');
        ctx.navigate(`#/flows/${flow._id}`);
      } else {
        const body: FlowInput = { ...common, project: project.value };
        const created = await ok(ctx.api.POST('/v2/project-flows', { body }));
        ctx.notify(s.created, 'success');
        ctx.navigate(`#/flows/${created.data._id}`);
      }
    } catch (err) {
      ctx.fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  ctx.root.append(form);
  if (flow) {
    const del = h('button', { type: 'button', class: 'danger' }, s.deleteFlow);
    del.addEventListener('click', async () => {
      const sure = await ctx.confirm(fill(s.confirmDelete, { name: flow.name ?? flow._id }), {
        danger: true,
        confirmLabel: ctx.t('delete'),
      });
      if (!sure) return;
      try {
        await ok(ctx.api.DELETE('/v2/project-flows/{id}', { params: { path: { id: flow._id } } }));
        ctx.notify(s.deleted, 'success');
        ctx.navigate(`#/projects/${flow.project}`);
      } catch (err) {
        ctx.fail(err);
      }
    });
    ctx.root.append(
      h(
        'div',
        { class: 'toolbar' },
        h('a', { href: `#/projects/${flow.project}` }, s.openProject),
        h('span', { class: 'spacer' }),
        del,
      ),
    );
  }
}

export const screen: Screen = {
  route: /^#\/flows(?:\/(new|[0-9a-f]{24}))?(?:\?project=([0-9a-f]{24}))?$/,
  nav: 'flows',
  async render(ctx, match) {
    const s = ctx.text(strings);
    const id = match[1];
    if (!id) return renderList(ctx, s, match[2]);
    return renderForm(ctx, s, id === 'new' ? null : id, match[2]);
  },
};
