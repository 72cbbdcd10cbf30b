import { ok } from '../api.js';
import { clear, formatDate, h } from '../dom.js';
import { format } from '../i18n.js';
import type { Screen, ScreenContext } from '../screen.js';
import { reasonLabel, statusLabel, statusTone } from './validation-words.js';

// One validation as it happened: when it was created, what its attempts found (liveness and match scores against
// their minimums, the failure reason), how it ended, the app login it issued, and its webhook deliveries with the
// receiver's answers, each of which can be sent again (same delivery id, so a receiver that dedupes stays right).

const strings = {
  en: {
    title: 'Validation',
    back: 'All validations',
    summary: 'Summary',
    identifier: 'Identifier',
    status: 'Status',
    type: 'Type',
    project: 'Project',
    flow: 'Flow',
    attempts: 'Attempts',
    expiresAt: 'Expires',
    login: 'Login',
    onboarding: 'Onboarding',
    timeline: 'Timeline',
    created: 'Created ({type}, for {identifier})',
    attemptsMade: '{n} of {max} attempts made',
    noAttempt: 'No attempt yet',
    liveness: 'Liveness {score} (minimum {min}): {verdict}',
    match: 'Match {score} (minimum {min}): {verdict}',
    passed: 'passed',
    notPassed: 'not passed',
    failedBecause: 'Last attempt refused: {reason}',
    validated: 'Validated',
    completed: 'Token exchanged by the app (completed)',
    failed: 'Failed: no attempts left',
    expired: 'Expired unused',
    expires: 'Expires unless finished',
    appLogin: 'App login issued ({type}, {status}) for {name}',
    person: 'Person',
    webhook: 'Webhook {event}: {status}',
    deliveries: 'Webhook deliveries',
    deliveriesIntro:
      'What the server sent to the webhook URL and what the receiver answered. Redeliver sends the same event again with the same delivery id.',
    noDeliveries: 'No webhook was sent for this validation (its flow has no webhook URL).',
    event: 'Event',
    url: 'URL',
    deliveryStatus: 'Delivery',
    answer: 'Last answer',
    sentAt: 'Queued',
    times: 'When',
    attemptsN: '{n} attempts',
    attemptOne: '1 attempt',
    deliveredAt: 'Delivered',
    redeliver: 'Redeliver',
    redeliverLabel: 'Redeliver {event}',
    confirmRedeliver: 'Send the {event} webhook to {url} again?',
    redelivered: 'The webhook is queued again.',
    pending: 'pending',
    delivered: 'delivered',
    failedDelivery: 'failed',
    noAnswer: 'no answer',
    scores: 'Scores',
  },
  es: {
    title: 'Validación',
    back: 'Todas las validaciones',
    summary: 'Resumen',
    identifier: 'Identificador',
    status: 'Estado',
    type: 'Tipo',
    project: 'Proyecto',
    flow: 'Flujo',
    attempts: 'Intentos',
    expiresAt: 'Caduca',
    login: 'Inicio de sesión',
    onboarding: 'Registro',
    timeline: 'Cronología',
    created: 'Creada ({type}, para {identifier})',
    attemptsMade: '{n} de {max} intentos hechos',
    noAttempt: 'Aún sin intentos',
    liveness: 'Prueba de vida {score} (mínimo {min}): {verdict}',
    match: 'Coincidencia {score} (mínimo {min}): {verdict}',
    passed: 'superado',
    notPassed: 'no superado',
    failedBecause: 'Último intento rechazado: {reason}',
    validated: 'Validada',
    completed: 'Token canjeado por la aplicación (completada)',
    failed: 'Fallida: sin intentos restantes',
    expired: 'Caducó sin usarse',
    expires: 'Caduca si no se termina',
    appLogin: 'Inicio de sesión de la aplicación emitido ({type}, {status}) para {name}',
    person: 'Persona',
    webhook: 'Webhook {event}: {status}',
    deliveries: 'Entregas de webhooks',
    deliveriesIntro:
      'Lo que el servidor envió a la URL del webhook y lo que respondió el receptor. Reenviar envía el mismo evento otra vez con el mismo id de entrega.',
    noDeliveries: 'No se envió ningún webhook para esta validación (su flujo no tiene URL de webhook).',
    event: 'Evento',
    url: 'URL',
    deliveryStatus: 'Entrega',
    answer: 'Última respuesta',
    sentAt: 'En cola',
    times: 'Cuándo',
    attemptsN: '{n} intentos',
    attemptOne: '1 intento',
    deliveredAt: 'Entregado',
    redeliver: 'Reenviar',
    redeliverLabel: 'Reenviar {event}',
    confirmRedeliver: '¿Enviar de nuevo el webhook {event} a {url}?',
    redelivered: 'El webhook está en cola otra vez.',
    pending: 'pendiente',
    delivered: 'entregado',
    failedDelivery: 'fallido',
    noAnswer: 'sin respuesta',
    scores: 'Puntuaciones',
  },
};

type Strings = (typeof strings)['en'];

interface Validation {
  _id: string;
  project: string;
  projectFlow: string;
  livenessSession: string;
  identifier: string;
  type: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  failureReason: string | null;
  person: string | null;
  appLogin: string | null;
  expiresAt: string;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
interface KeyValue {
  key: string;
  value: string | number | boolean | null;
}
interface Delivery {
  _id: string;
  event: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponse: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
interface AppLogin {
  _id: string;
  type: string;
  status: string;
  name: string;
  person: string | null;
  createdAt: string;
}

interface Entry {
  at: string;
  text: string;
  tone?: 'ok' | 'bad' | 'warn';
  detail?: Node;
}

const value = (kvs: KeyValue[], key: string) => kvs.find((kv) => kv.key === key)?.value ?? null;
/** The start of a receiver's answer: enough to recognise it; the API keeps its first 2 KiB. */
const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);
const score = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '—');

function deliveryStatus(s: Strings, d: Delivery): string {
  return d.status === 'delivered' ? s.delivered : d.status === 'failed' ? s.failedDelivery : s.pending;
}

function timeline(
  s: Strings,
  ctx: ScreenContext,
  v: Validation,
  session: { livenessResult: KeyValue[]; comparisonResult: KeyValue[] } | null,
  login: AppLogin | null,
  deliveries: Delivery[],
): Entry[] {
  const entries: Entry[] = [
    {
      at: v.createdAt,
      text: format(s.created, { type: v.type === 'onboarding' ? s.onboarding : s.login, identifier: v.identifier }),
    },
  ];
  if (v.attempts > 0) {
    const verdict = (passed: unknown) => (passed === true ? s.passed : s.notPassed);
    const scores = h('ul', {});
    const live = session?.livenessResult ?? [];
    if (value(live, 'liveness_score') !== null) {
      scores.append(
        h(
          'li',
          {},
          format(s.liveness, {
            score: score(value(live, 'liveness_score')),
            min: score(value(live, 'min_score')),
            verdict: verdict(value(live, 'passed')),
          }),
        ),
      );
    }
    const cmp = session?.comparisonResult ?? [];
    if (value(cmp, 'score') !== null) {
      scores.append(
        h(
          'li',
          {},
          format(s.match, {
            score: score(value(cmp, 'score')),
            min: score(value(cmp, 'min_score')),
            verdict: verdict(value(cmp, 'passed')),
          }),
        ),
      );
    }
    entries.push({
      at: v.updatedAt,
      text: format(s.attemptsMade, { n: v.attempts, max: v.maxAttempts }),
      ...(scores.childElementCount ? { detail: scores } : {}),
    });
    if (v.failureReason) {
      entries.push({
        at: v.updatedAt,
        text: format(s.failedBecause, { reason: reasonLabel(ctx.lang, v.failureReason) }),
        tone: 'bad',
      });
    }
  } else {
    entries.push({ at: v.createdAt, text: s.noAttempt });
  }
  if (v.status === 'validated' || v.status === 'completed') {
    entries.push({ at: v.completedAt ?? v.updatedAt, text: s.validated, tone: 'ok' });
  } else if (v.status === 'failed') {
    entries.push({ at: v.updatedAt, text: s.failed, tone: 'bad' });
  } else if (v.status === 'expired') {
    entries.push({ at: v.expiresAt, text: s.expired, tone: 'bad' });
  } else {
    entries.push({ at: v.expiresAt, text: s.expires, tone: 'warn' });
  }
  if (login) {
    entries.push({
      at: login.createdAt,
      text: format(s.appLogin, { type: login.type, status: login.status, name: login.name }),
      tone: 'ok',
      ...(login.person
        ? { detail: h('p', {}, h('a', { href: `#/persons/${login.person}` }, `${s.person}: ${login.name}`)) }
        : {}),
    });
    if (v.status === 'completed') entries.push({ at: v.updatedAt, text: s.completed, tone: 'ok' });
  }
  for (const d of deliveries) {
    entries.push({
      at: d.deliveredAt ?? d.createdAt,
      text: format(s.webhook, { event: d.event, status: deliveryStatus(s, d) }),
      tone: d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn',
    });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

async function loadDeliveries(ctx: ScreenContext, id: string): Promise<Delivery[]> {
  const r = await ok(
    ctx.api.GET('/v2/biometric-validations/{id}/webhook-deliveries', { params: { path: { id } }, signal: ctx.signal }),
  );
  return r.data as Delivery[];
}

function deliveriesTable(s: Strings, ctx: ScreenContext, deliveries: Delivery[], redeliver: (d: Delivery) => void) {
  if (!deliveries.length) return h('p', {}, s.noDeliveries);
  const tone = (d: Delivery) => (d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'bad' : 'warn');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id: 'webhook-deliveries' },
      h('caption', { class: 'visually-hidden' }, s.deliveries),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[s.event, s.deliveryStatus, s.answer, s.times].map((label) => h('th', { scope: 'col' }, label)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, s.redeliver)),
        ),
      ),
      h(
        'tbody',
        {},
        ...deliveries.map((d) =>
          h(
            'tr',
            { 'data-delivery': d._id, 'data-status': d.status },
            h('td', {}, h('strong', {}, d.event), h('div', { class: 'muted url' }, d.url)),
            h(
              'td',
              {},
              h('span', { class: `badge ${tone(d)}` }, deliveryStatus(s, d)),
              h('div', { class: 'muted' }, d.attempts === 1 ? s.attemptOne : format(s.attemptsN, { n: d.attempts })),
            ),
            h(
              'td',
              {},
              d.lastStatusCode !== null ? h('strong', {}, `HTTP ${d.lastStatusCode}`) : s.noAnswer,
              d.lastError ? h('div', { class: 'error-text' }, d.lastError) : null,
              d.lastResponse ? h('pre', { class: 'response' }, clip(d.lastResponse)) : null,
            ),
            h(
              'td',
              {},
              h('div', {}, `${s.sentAt}: ${formatDate(d.createdAt, ctx.lang)}`),
              h('div', {}, `${s.deliveredAt}: ${formatDate(d.deliveredAt, ctx.lang)}`),
            ),
            h(
              'td',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  'aria-label': format(s.redeliverLabel, { event: d.event }),
                  onclick: () => redeliver(d),
                },
                s.redeliver,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

export const screen: Screen = {
  route: /^#\/validations\/([0-9a-f]{24})$/,
  nav: 'validations',
  async render(ctx, match) {
    const s = ctx.text(strings);
    const id = match[1] ?? '';
    ctx.setTitle(s.title);
    const v = (
      await ok(ctx.api.GET('/v2/biometric-validations/{id}', { params: { path: { id } }, signal: ctx.signal }))
    ).data as Validation;
    const [session, login, deliveries, projectName, flowName] = await Promise.all([
      ok(
        ctx.api.GET('/v2/liveness-sessions/{id}', { params: { path: { id: v.livenessSession } }, signal: ctx.signal }),
      ).then(
        (r) => r.data as { livenessResult: KeyValue[]; comparisonResult: KeyValue[] },
        () => null,
      ),
      v.appLogin
        ? ok(ctx.api.GET('/v2/app-logins/{id}', { params: { path: { id: v.appLogin } }, signal: ctx.signal })).then(
            (r) => r.data as AppLogin,
            () => null,
          )
        : Promise.resolve(null),
      loadDeliveries(ctx, id),
      ok(ctx.api.GET('/v2/projects/{id}', { params: { path: { id: v.project } }, signal: ctx.signal })).then(
        (r) => (r.data as { name: string }).name,
        () => v.project,
      ),
      ok(ctx.api.GET('/v2/project-flows/{id}', { params: { path: { id: v.projectFlow } }, signal: ctx.signal })).then(
        (r) => (r.data as { name?: string | null }).name || v.projectFlow,
        () => v.projectFlow,
      ),
    ]);

    const row = (label: string, content: Node | string) => h('div', {}, h('dt', {}, label), h('dd', {}, content));
    const summary = h(
      'dl',
      { class: 'panel summary' },
      row(s.identifier, v.identifier),
      row(s.status, h('span', { class: `badge ${statusTone(v.status)}` }, statusLabel(ctx.lang, v.status))),
      row(s.type, v.type === 'onboarding' ? s.onboarding : s.login),
      row(s.project, h('a', { href: `#/projects/${v.project}` }, projectName)),
      row(s.flow, h('a', { href: `#/flows/${v.projectFlow}` }, flowName)),
      row(s.attempts, `${v.attempts} / ${v.maxAttempts}`),
      row(s.expiresAt, formatDate(v.expiresAt, ctx.lang)),
    );

    // Label and value side by side, as many pairs a row as fit (the shared style sheet has no rule for this).
    summary.style.cssText = 'display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.75rem 1.5rem';
    for (const dt of summary.querySelectorAll<HTMLElement>('dt')) dt.style.cssText = 'font-size:.9rem;color:#4f5862';
    for (const dd of summary.querySelectorAll<HTMLElement>('dd')) dd.style.cssText = 'margin:0;overflow-wrap:anywhere';
    const timelineList = h('ol', { class: 'timeline', id: 'timeline' });
    const deliveriesBox = h('div', { id: 'deliveries' });
    const draw = (list: Delivery[]) => {
      clear(timelineList);
      for (const e of timeline(s, ctx, v, session, login, list)) {
        timelineList.append(
          h(
            'li',
            { class: e.tone ? `tone-${e.tone}` : '' },
            h('time', { datetime: e.at }, formatDate(e.at, ctx.lang)),
            ' ',
            e.tone ? h('span', { class: `badge ${e.tone}` }, e.text) : h('span', {}, e.text),
            e.detail ?? null,
          ),
        );
      }
      clear(deliveriesBox);
      deliveriesBox.append(deliveriesTable(s, ctx, list, (d) => void redeliver(d)));
      for (const el of deliveriesBox.querySelectorAll<HTMLElement>('pre, .url')) {
        el.style.cssText = 'white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0 0;font-size:.85rem';
      }
    };
    const redeliver = async (d: Delivery) => {
      if (
        !(await ctx.confirm(format(s.confirmRedeliver, { event: d.event, url: d.url }), { confirmLabel: s.redeliver }))
      ) {
        return;
      }
      try {
        await ok(ctx.api.POST('/v2/webhook-deliveries/{id}/redeliver', { params: { path: { id: d._id } } }));
        ctx.notify(s.redelivered, 'success');
        draw(await loadDeliveries(ctx, id));
        // The dispatcher sends within a second or so; show its answer without a manual refresh.
        for (const wait of [1000, 2500, 5000]) {
          await new Promise((r) => setTimeout(r, wait));
          if (ctx.signal.aborted) return;
          const list = await loadDeliveries(ctx, id);
          draw(list);
          if (list.every((x) => x.status !== 'pending')) return;
        }
      } catch (err) {
        ctx.fail(err);
      }
    };
    draw(deliveries);
    ctx.root.append(
      h('p', {}, h('a', { href: '#/validations' }, `← ${s.back}`)),
      h('h1', {}, `${s.title}: ${v.identifier}`),
      h('h2', {}, s.summary),
      summary,
      h('h2', {}, s.timeline),
      h('div', { class: 'panel' }, timelineList),
      h('h2', {}, s.deliveries),
      h('p', { class: 'muted' }, s.deliveriesIntro),
      deliveriesBox,
    );
  },
};
