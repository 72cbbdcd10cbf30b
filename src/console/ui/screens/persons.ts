import { ok } from '../api.js';
import { formatDate, h } from '../dom.js';
import type { Person } from '../models.js';
import type { Screen, ScreenContext } from '../screen.js';
import { table, thumbSrc } from '../widgets.js';
import { collectionsOf, personRows } from './collections.js';
import { enrolPanel } from './person-tools.js';

// Persons: everyone enrolled, with thumbnails, a page at a time; one person's screen shows their photos, details
// and collections, and deletes them (with their face templates) after a confirmation.

const PER_PAGE = 20;

const strings = {
  en: {
    title: 'Persons',
    intro: 'Everyone enrolled for this tenant. Open a collection to search it with a photo or import a folder.',
    colPhoto: 'Photo',
    colName: 'Name',
    colCreated: 'Enrolled',
    thumbAlt: 'Photo of {name}',
    needCollection: 'Create a collection first: every person is enrolled into one.',
    detailTitle: '{name}',
    photos: 'Photos',
    details: 'Details',
    gender: 'Gender',
    dateOfBirth: 'Date of birth',
    nationality: 'Nationality',
    email: 'Email',
    phone: 'Phone',
    notes: 'Notes',
    collections: 'Collections',
    created: 'Enrolled on',
    deletePerson: 'Delete person',
    confirmDelete: 'Delete {name}, their photos and face templates from every collection? This cannot be undone.',
    deleted: '{name} deleted',
  },
  es: {
    title: 'Personas',
    intro:
      'Todas las personas inscritas de este cliente. Abra una colección para buscar con una foto o importar una carpeta.',
    colPhoto: 'Foto',
    colName: 'Nombre',
    colCreated: 'Inscrita',
    thumbAlt: 'Foto de {name}',
    needCollection: 'Cree primero una colección: cada persona se inscribe en una.',
    detailTitle: '{name}',
    photos: 'Fotos',
    details: 'Datos',
    gender: 'Género',
    dateOfBirth: 'Fecha de nacimiento',
    nationality: 'Nacionalidad',
    email: 'Correo',
    phone: 'Teléfono',
    notes: 'Notas',
    collections: 'Colecciones',
    created: 'Inscrita el',
    deletePerson: 'Eliminar persona',
    confirmDelete:
      '¿Eliminar a {name}, sus fotos y sus plantillas faciales de todas las colecciones? No se puede deshacer.',
    deleted: '{name} eliminada',
  },
};
type S = (typeof strings)['en'];

const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

async function renderList(ctx: ScreenContext, s: S, page: number) {
  ctx.setTitle(s.title);
  const [list, collections] = await Promise.all([
    ok(
      ctx.api.GET('/v2/face-recognition/persons', {
        params: { query: { page, perPage: PER_PAGE } },
        signal: ctx.signal,
      }),
    ),
    collectionsOf(ctx),
  ]);
  const total = (list as { total?: number }).total ?? list.data.length;
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  ctx.root.append(
    h('h1', {}, s.title),
    h('p', {}, s.intro),
    list.data.length === 0
      ? h('p', { class: 'muted' }, ctx.t('none'))
      : table(s.title, [s.colPhoto, s.colName, s.colCreated], personRows(ctx, list.data, s)),
  );
  if (pages > 1) {
    ctx.root.append(
      h(
        'nav',
        { class: 'toolbar', 'aria-label': ctx.t('pageOf', { page, pages }) },
        page > 1 ? h('a', { class: 'button secondary', href: `#/persons?page=${page - 1}` }, ctx.t('previous')) : null,
        h('span', {}, ctx.t('pageOf', { page, pages })),
        page < pages ? h('a', { class: 'button secondary', href: `#/persons?page=${page + 1}` }, ctx.t('next')) : null,
      ),
    );
  }
  ctx.root.append(
    collections.length === 0
      ? h('p', { class: 'muted' }, s.needCollection)
      : enrolPanel(ctx, collections, undefined, () => ctx.navigate('#/persons')),
  );
}

async function renderDetail(ctx: ScreenContext, s: S, id: string) {
  const [person, collections] = await Promise.all([
    ok(ctx.api.GET('/v2/face-recognition/persons/{id}', { params: { path: { id } }, signal: ctx.signal })).then(
      (r) => r.data as Person,
    ),
    collectionsOf(ctx),
  ]);
  const title = fill(s.detailTitle, { name: person.name });
  ctx.setTitle(title);
  const names = new Map(collections.map((c) => [c._id, c.name]));
  const row = (label: string, value: Node | string | null | undefined) => [
    h('dt', {}, label),
    h('dd', {}, value ?? '—'),
  ];
  const del = h('button', { type: 'button', class: 'danger' }, s.deletePerson);
  del.addEventListener('click', async () => {
    const sure = await ctx.confirm(fill(s.confirmDelete, { name: person.name }), {
      danger: true,
      confirmLabel: ctx.t('delete'),
    });
    if (!sure) return;
    try {
      await ok(ctx.api.DELETE('/v2/face-recognition/persons/{id}', { params: { path: { id: person._id } } }));
      ctx.notify(fill(s.deleted, { name: person.name }), 'success');
      ctx.navigate('#/persons');
    } catch (err) {
      ctx.fail(err);
    }
  });
  ctx.root.append(
    h('h1', {}, title),
    h('h2', {}, s.photos),
    h(
      'div',
      { class: 'thumbs' },
      ...person.thumbnails.map((t, i) =>
        h('img', {
          class: 'thumb',
          src: thumbSrc(t.thumbnail),
          alt: `${fill(s.thumbAlt, { name: person.name })} ${i + 1}`,
        }),
      ),
    ),
    h('h2', {}, s.details),
    h(
      'dl',
      { class: 'details' },
      ...row(s.gender, person.gender),
      ...row(s.dateOfBirth, person.date_of_birth),
      ...row(s.nationality, person.nationality),
      ...row(s.email, person.email),
      ...row(s.phone, person.phone),
      ...row(s.notes, person.notes),
      ...row(s.created, formatDate(person.createdAt, ctx.lang)),
      ...row(
        s.collections,
        h(
          'span',
          {},
          ...person.collections.flatMap((c, i) => [
            i > 0 ? ', ' : '',
            h('a', { href: `#/collections/${c}` }, names.get(c) ?? c),
          ]),
        ),
      ),
    ),
    h('div', { class: 'toolbar' }, h('a', { href: '#/persons' }, ctx.t('back')), h('span', { class: 'spacer' }), del),
  );
}

export const screen: Screen = {
  route: /^#\/persons(?:\/([0-9a-f]{24})|\?page=(\d+))?$/,
  nav: 'persons',
  async render(ctx, match) {
    const s = ctx.text(strings);
    if (match[1]) return renderDetail(ctx, s, match[1]);
    return renderList(ctx, s, Math.max(1, Number(match[2] ?? 1)));
  },
};
