import { ok } from '../api.js';
import { field, formatDate, h, uid } from '../dom.js';
import { format } from '../i18n.js';
import type { Screen } from '../screen.js';
import { filterForm } from '../widgets.js';

// The tenant's audit log (`GET /v2/audit-logs`): who did what to which resource, from where, newest first.
// Append-only on the server; here it is read and filtered. Filters live in the hash like the validations list's.

const strings = {
  en: {
    title: 'Audit log',
    intro:
      'Every change and every read of personal data in this tenant, newest first. Entries cannot be edited or deleted.',
    filters: 'Filters',
    action: 'Action',
    actionHelp: 'For example person.delete or token.renew.',
    resourceType: 'Resource type',
    resourceId: 'Resource id',
    from: 'From',
    to: 'Until',
    apply: 'Apply filters',
    reset: 'Clear filters',
    when: 'When',
    actor: 'Who',
    resource: 'Resource',
    origin: 'Address',
    caption: 'Audit entries, {shown} of {total}',
    empty: 'No entry matches these filters.',
    actors: {
      client: 'API token',
      operator: 'Operator',
      'project-login': 'App login',
      cli: 'Command line',
      system: 'Facegate',
    } as Record<string, string>,
  },
  es: {
    title: 'Registro de auditoría',
    intro:
      'Cada cambio y cada lectura de datos personales de este cliente, de lo más reciente a lo más antiguo. Las entradas no se pueden editar ni borrar.',
    filters: 'Filtros',
    action: 'Acción',
    actionHelp: 'Por ejemplo person.delete o token.renew.',
    resourceType: 'Tipo de recurso',
    resourceId: 'Id del recurso',
    from: 'Desde',
    to: 'Hasta',
    apply: 'Aplicar filtros',
    reset: 'Quitar filtros',
    when: 'Cuándo',
    actor: 'Quién',
    resource: 'Recurso',
    origin: 'Dirección',
    caption: 'Entradas de auditoría, {shown} de {total}',
    empty: 'Ninguna entrada coincide con estos filtros.',
    actors: {
      client: 'Token de API',
      operator: 'Operador',
      'project-login': 'Inicio de sesión de app',
      cli: 'Línea de comandos',
      system: 'Facegate',
    } as Record<string, string>,
  },
};

const PER_PAGE = 25;
const KNOWN_ACTIONS = [
  'person.create',
  'person.read',
  'person.update',
  'person.delete',
  'person.export',
  'person.removeFromCollection',
  'collection.create',
  'collection.update',
  'collection.delete',
  'project.create',
  'project.update',
  'project.delete',
  'projectFlow.create',
  'projectFlow.update',
  'projectFlow.delete',
  'token.renew',
  'webhookSecret.rotate',
  'webhookDelivery.redeliver',
  'client.update',
  'retention.purge',
  'console.signIn',
  'console.signOut',
];
const RESOURCE_TYPES = [
  'person',
  'collection',
  'project',
  'projectFlow',
  'client',
  'biometricValidation',
  'webhookDelivery',
];

interface AuditEntry {
  _id: string;
  actor: { type: string; id: string | null; name?: string | null };
  action: string;
  resource: { type: string; id: string | null };
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

/** Where a resource of this type is shown in the console, when it still can be. */
const resourceHref = (type: string, id: string | null, action: string): string | null => {
  if (!id || action.endsWith('.delete')) return null;
  const base = {
    person: '#/persons/',
    collection: '#/collections/',
    project: '#/projects/',
    projectFlow: '#/flows/',
    biometricValidation: '#/validations/',
  }[type];
  return base && /^[0-9a-f]{24}$/.test(id) ? `${base}${id}` : null;
};

export const screen: Screen = {
  route: /^#\/audit(?:\?(.*))?$/,
  nav: 'audit',
  async render(ctx, match) {
    const s = ctx.text(strings);
    ctx.setTitle(s.title);
    const params = new URLSearchParams(match[1] ?? '');
    const page = Math.max(1, Number(params.get('page')) || 1);
    const status = h('p', { class: 'muted', role: 'status' }, ctx.t('loading'));
    ctx.root.append(h('h1', {}, s.title), h('p', {}, s.intro), status);

    const query: Record<string, string | number> = { page, perPage: PER_PAGE, sort: '-createdAt' };
    for (const [param, key] of [
      ['action', 'where_action'],
      ['resourceType', 'where_resourceType'],
      ['resourceId', 'where_resourceId'],
    ] as const) {
      const v = params.get(param);
      if (v) query[key] = v;
    }
    const from = params.get('from');
    const to = params.get('to');
    if (from) query['where>_createdAt'] = new Date(`${from}T00:00:00`).toISOString();
    if (to) query['where<_createdAt'] = new Date(`${to}T23:59:59.999`).toISOString();
    // The list filters (`where_action`, ranges) are Verifik's open-ended keys, which the schema does not enumerate.
    const list = await ok(
      ctx.api.GET('/v2/audit-logs', { params: { query: query as { page?: number } }, signal: ctx.signal }),
    );
    const items = list.data as AuditEntry[];
    const total = list.total;

    const actionsList = uid('actions');
    const typesList = uid('types');
    const input = (name: string, type = 'text', attrs: Record<string, string> = {}) =>
      h('input', { type, name, value: params.get(name) ?? '', ...attrs });
    const form = filterForm(
      ctx,
      '#/audit',
      s,
      h('datalist', { id: actionsList }, ...KNOWN_ACTIONS.map((a) => h('option', { value: a }))),
      h('datalist', { id: typesList }, ...RESOURCE_TYPES.map((a) => h('option', { value: a }))),
      h(
        'div',
        { class: 'grid2' },
        field(s.action, input('action', 'text', { list: actionsList, autocomplete: 'off' }), { help: s.actionHelp }),
        field(s.resourceType, input('resourceType', 'text', { list: typesList, autocomplete: 'off' })),
        field(s.resourceId, input('resourceId', 'text', { autocomplete: 'off', spellcheck: 'false' })),
        h('div', {}),
        field(s.from, input('from', 'date')),
        field(s.to, input('to', 'date')),
      ),
    );

    const table = items.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { id: 'audit-entries' },
            h('caption', { class: 'visually-hidden' }, format(s.caption, { shown: items.length, total })),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...[s.when, s.actor, s.action, s.resource, s.origin].map((l) => h('th', { scope: 'col' }, l)),
              ),
            ),
            h(
              'tbody',
              {},
              ...items.map((e) => {
                const href = resourceHref(e.resource.type, e.resource.id, e.action);
                const resource = `${e.resource.type} ${e.resource.id ?? ''}`.trim();
                return h(
                  'tr',
                  { 'data-action': e.action },
                  h('td', {}, h('time', { datetime: e.createdAt }, formatDate(e.createdAt, ctx.lang))),
                  h(
                    'td',
                    {},
                    s.actors[e.actor.type] ?? e.actor.type,
                    e.actor.name ? h('div', { class: 'muted' }, e.actor.name) : null,
                  ),
                  h('td', {}, h('code', {}, e.action)),
                  h('td', {}, href ? h('a', { href }, resource) : h('code', {}, resource)),
                  h(
                    'td',
                    {},
                    e.ip ?? '—',
                    e.userAgent ? h('div', { class: 'muted ua' }, e.userAgent.slice(0, 80)) : null,
                  ),
                );
              }),
            ),
          ),
        )
      : h('p', {}, s.empty);
    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const pageHref = (n: number) => {
      const p = new URLSearchParams(params);
      p.set('page', String(n));
      return `#/audit?${p.toString()}`;
    };
    const pager =
      pages > 1
        ? h(
            'nav',
            { class: 'toolbar', 'aria-label': ctx.t('pageOf', { page, pages }) },
            page > 1 ? h('a', { class: 'button secondary', href: pageHref(page - 1) }, ctx.t('previous')) : null,
            h('span', {}, ctx.t('pageOf', { page, pages })),
            page < pages ? h('a', { class: 'button secondary', href: pageHref(page + 1) }, ctx.t('next')) : null,
          )
        : null;
    // Ids and user agents are long unbroken words: let them wrap, so the table fits a tablet without scrolling.
    for (const cell of table.querySelectorAll<HTMLElement>('td:nth-child(4), td:nth-child(5)')) {
      cell.style.overflowWrap = 'anywhere';
    }
    status.remove();
    ctx.root.append(form, table, pager ?? '');
  },
};
