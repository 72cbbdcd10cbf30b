import { ok } from '../api.js';
import { field, formatDate, h } from '../dom.js';
import { format } from '../i18n.js';
import type { Screen, ScreenContext } from '../screen.js';
import { filterForm } from '../widgets.js';
import { reasonLabel, statusLabel, statusNames, statusTone } from './validation-words.js';

// The validations of this tenant, newest first, filtered by status, type, project, identifier and a date range.
// The filters live in the hash (`#/validations?status=failed&page=2`), so a filtered list can be bookmarked, shared
// with a colleague and reached again with Back.

const strings = {
  en: {
    title: 'Validations',
    intro: 'Every biometric login and onboarding, newest first. Open one to see its attempts and webhooks.',
    filters: 'Filters',
    status: 'Status',
    type: 'Type',
    project: 'Project',
    identifier: 'Identifier contains',
    identifierColumn: 'Identifier',
    from: 'Created from',
    to: 'Created until',
    any: 'Any',
    login: 'Login',
    onboarding: 'Onboarding',
    apply: 'Apply filters',
    reset: 'Clear filters',
    created: 'Created',
    attempts: 'Attempts',
    reason: 'Last failure',
    caption: 'Validations, {shown} of {total}',
    empty: 'No validation matches these filters.',
  },
  es: {
    title: 'Validaciones',
    intro:
      'Cada inicio de sesión y registro biométrico, de la más reciente a la más antigua. Abra una para ver sus intentos y webhooks.',
    filters: 'Filtros',
    status: 'Estado',
    type: 'Tipo',
    project: 'Proyecto',
    identifier: 'El identificador contiene',
    identifierColumn: 'Identificador',
    from: 'Creada desde',
    to: 'Creada hasta',
    any: 'Cualquiera',
    login: 'Inicio de sesión',
    onboarding: 'Registro',
    apply: 'Aplicar filtros',
    reset: 'Quitar filtros',
    created: 'Creada',
    attempts: 'Intentos',
    reason: 'Último fallo',
    caption: 'Validaciones, {shown} de {total}',
    empty: 'Ninguna validación coincide con estos filtros.',
  },
};

const PER_PAGE = 20;
const FILTERS = ['status', 'type', 'project', 'identifier', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];

interface Validation {
  _id: string;
  project: string;
  identifier: string;
  type: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  failureReason: string | null;
  createdAt: string;
}

/** The API's list query for the filters: Verifik's `where_`, `like_` and range keys, which the schema leaves open. */
function apiQuery(f: URLSearchParams, page: number): Record<string, string | number> {
  const q: Record<string, string | number> = { page, perPage: PER_PAGE, sort: '-createdAt' };
  const status = f.get('status');
  const type = f.get('type');
  const project = f.get('project');
  const identifier = f.get('identifier');
  const from = f.get('from');
  const to = f.get('to');
  if (status) q['where_status'] = status;
  if (type) q['where_type'] = type;
  if (project) q['where_project'] = project;
  if (identifier) q['like_identifier'] = identifier;
  // Dates are the operator's local days: from the start of `from` to the end of `to`.
  if (from) q['where>_createdAt'] = new Date(`${from}T00:00:00`).toISOString();
  if (to) q['where<_createdAt'] = new Date(`${to}T23:59:59.999`).toISOString();
  return q;
}

export async function projectNames(ctx: ScreenContext): Promise<Map<string, string>> {
  const r = await ok(ctx.api.GET('/v2/projects', { params: { query: { perPage: 100 } }, signal: ctx.signal }));
  return new Map((r.data as Array<{ _id: string; name: string }>).map((p) => [p._id, p.name]));
}

export const screen: Screen = {
  route: /^#\/validations(?:\?(.*))?$/,
  nav: 'validations',
  async render(ctx, match) {
    const s = ctx.text(strings);
    ctx.setTitle(s.title);
    const params = new URLSearchParams(match[1] ?? '');
    const page = Math.max(1, Number(params.get('page')) || 1);
    const heading = h('h1', {}, s.title);
    const status = h('p', { class: 'muted', role: 'status' }, ctx.t('loading'));
    ctx.root.append(heading, h('p', {}, s.intro), status);

    const [projects, list] = await Promise.all([
      projectNames(ctx),
      ok(
        ctx.api.GET('/v2/biometric-validations', {
          params: { query: apiQuery(params, page) as { page?: number } },
          signal: ctx.signal,
        }),
      ),
    ]);
    const items = list.data as Validation[];
    const total = (list as { total?: number }).total ?? items.length;

    const select = (name: Filter, options: Array<[string, string]>) =>
      h(
        'select',
        { name },
        h('option', { value: '' }, s.any),
        ...options.map(([value, label]) => h('option', { value, selected: params.get(name) === value }, label)),
      );
    const input = (name: Filter, type: string) => h('input', { type, name, value: params.get(name) ?? '' });
    const form = filterForm(
      ctx,
      '#/validations',
      s,
      h(
        'div',
        { class: 'grid2' },
        field(
          s.status,
          select(
            'status',
            statusNames.map((n) => [n, statusLabel(ctx.lang, n)]),
          ),
        ),
        field(
          s.type,
          select('type', [
            ['login', s.login],
            ['onboarding', s.onboarding],
          ]),
        ),
        field(s.project, select('project', [...projects.entries()])),
        field(s.identifier, input('identifier', 'text')),
        field(s.from, input('from', 'date')),
        field(s.to, input('to', 'date')),
      ),
    );

    const pages = Math.max(1, Math.ceil(total / PER_PAGE));
    const pageHref = (n: number) => {
      const p = new URLSearchParams(params);
      p.set('page', String(n));
      return `#/validations?${p.toString()}`;
    };
    const table = items.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, format(s.caption, { shown: items.length, total })),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...[s.created, s.identifierColumn, s.project, s.type, s.status, s.attempts, s.reason].map((label) =>
                  h('th', { scope: 'col' }, label),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...items.map((v) =>
                h(
                  'tr',
                  { 'data-id': v._id },
                  h('td', {}, formatDate(v.createdAt, ctx.lang)),
                  h('td', {}, h('a', { href: `#/validations/${v._id}` }, v.identifier)),
                  h('td', {}, projects.get(v.project) ?? v.project),
                  h('td', {}, v.type === 'onboarding' ? s.onboarding : s.login),
                  h('td', {}, h('span', { class: `badge ${statusTone(v.status)}` }, statusLabel(ctx.lang, v.status))),
                  h('td', {}, `${v.attempts} / ${v.maxAttempts}`),
                  h('td', {}, v.failureReason ? reasonLabel(ctx.lang, v.failureReason) : '—'),
                ),
              ),
            ),
          ),
        )
      : h('p', {}, s.empty);
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
    // Identifiers are often e-mail addresses, long unbroken words: let them wrap, so the table fits a tablet.
    for (const cell of table.querySelectorAll<HTMLElement>('td:nth-child(2)')) cell.style.overflowWrap = 'anywhere';
    for (const badge of table.querySelectorAll<HTMLElement>('.badge')) badge.style.whiteSpace = 'nowrap';
    status.remove();
    ctx.root.append(form, table, pager ?? '');
  },
};
