import { ok } from '../api.js';
import { append, field, formatDate, h } from '../dom.js';
import type { Collection, Person } from '../models.js';
import type { Screen, ScreenContext } from '../screen.js';
import { fetchAll, table, thumbSrc } from '../widgets.js';
import { enrolPanel, importPanel, searchPanel } from './person-tools.js';

// Collections: the groups of enrolled people a login searches. One collection's screen shows its people with their
// thumbnails and holds the tools that work on it: enrol, bulk import, search with a photo, delete.

const strings = {
  en: {
    title: 'Collections',
    intro: 'A collection is a group of enrolled people; a login flow searches the collections of its project.',
    newTitle: 'New collection',
    name: 'Name',
    description: 'Description',
    descriptionHelp: 'For you: what the people in it have in common.',
    project: 'Project',
    projectHelp: 'The project whose logins search this collection; none: only API searches that name it.',
    noProject: '(none)',
    noneDefault: 'Default: none',
    created: 'Collection created',
    colName: 'Name',
    colCode: 'Code',
    colProject: 'Project',
    colCreated: 'Created',
    detailTitle: 'Collection: {name}',
    code: 'Code (what the API calls collection_id)',
    people: 'People in this collection ({n})',
    colPhoto: 'Photo',
    colPerson: 'Name',
    thumbAlt: 'Photo of {name}',
    noPeople: 'Nobody is enrolled here yet.',
    deleteCollection: 'Delete collection',
    confirmDelete:
      'Delete the collection “{name}”? Its {n} people are deleted with it, with their face templates, unless they are also in another collection.',
    deleted: 'Collection deleted',
  },
  es: {
    title: 'Colecciones',
    intro:
      'Una colección es un grupo de personas inscritas; un flujo de inicio de sesión busca en las colecciones de su proyecto.',
    newTitle: 'Nueva colección',
    name: 'Nombre',
    description: 'Descripción',
    descriptionHelp: 'Para usted: qué tienen en común las personas que contiene.',
    project: 'Proyecto',
    projectHelp:
      'El proyecto cuyos inicios de sesión buscan en esta colección; ninguno: solo búsquedas de la API que la nombren.',
    noProject: '(ninguno)',
    noneDefault: 'Por defecto: ninguno',
    created: 'Colección creada',
    colName: 'Nombre',
    colCode: 'Código',
    colProject: 'Proyecto',
    colCreated: 'Creada',
    detailTitle: 'Colección: {name}',
    code: 'Código (lo que la API llama collection_id)',
    people: 'Personas en esta colección ({n})',
    colPhoto: 'Foto',
    colPerson: 'Nombre',
    thumbAlt: 'Foto de {name}',
    noPeople: 'Aún no hay nadie inscrito aquí.',
    deleteCollection: 'Eliminar colección',
    confirmDelete:
      '¿Eliminar la colección «{name}»? Sus {n} personas se eliminan con ella, con sus plantillas faciales, salvo si están también en otra colección.',
    deleted: 'Colección eliminada',
  },
};
type S = (typeof strings)['en'];

const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

export const collectionsOf = (ctx: ScreenContext) =>
  fetchAll((page) =>
    ok(
      ctx.api.GET('/v2/face-recognition/collections', {
        params: { query: { page, perPage: 100 } },
        signal: ctx.signal,
      }),
    ),
  );
export const personsOf = (ctx: ScreenContext) =>
  fetchAll((page) =>
    ok(ctx.api.GET('/v2/face-recognition/persons', { params: { query: { page, perPage: 100 } }, signal: ctx.signal })),
  );

export function personRows(ctx: ScreenContext, people: Person[], s: { thumbAlt: string }) {
  return people.map((p) => {
    const t = p.thumbnails[0]?.thumbnail;
    return [
      t ? h('img', { class: 'thumb', src: thumbSrc(t), alt: fill(s.thumbAlt, { name: p.name }) }) : '—',
      h('a', { href: `#/persons/${p._id}` }, p.name),
      formatDate(p.createdAt, ctx.lang),
    ];
  });
}

async function renderList(ctx: ScreenContext, s: S) {
  ctx.setTitle(s.title);
  const [collections, projects] = await Promise.all([
    collectionsOf(ctx),
    fetchAll((page) =>
      ok(ctx.api.GET('/v2/projects', { params: { query: { page, perPage: 100 } }, signal: ctx.signal })),
    ),
  ]);
  const projectName = new Map(projects.map((p) => [p._id, p.name]));
  const name = h('input', { type: 'text', name: 'collectionName', required: true, autocomplete: 'off' });
  const description = h('input', { type: 'text', name: 'collectionDescription' });
  const project = h(
    'select',
    { name: 'collectionProject' },
    h('option', { value: '' }, s.noProject),
    ...projects.map((p) => h('option', { value: p._id }, p.name)),
  );
  const submit = h('button', { type: 'submit' }, ctx.t('create'));
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'new-collection' },
    h('h2', { id: 'new-collection' }, s.newTitle),
    h(
      'div',
      { class: 'grid2' },
      field(s.name, name),
      field(s.project, project, { help: s.projectHelp, defaultText: s.noneDefault }),
    ),
    field(s.description, description, { help: s.descriptionHelp, defaultText: s.noneDefault }),
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      const created = await ok(
        ctx.api.POST('/v2/face-recognition/collections', {
          body: {
            name: name.value.trim(),
            description: description.value.trim() || null,
            project: project.value || null,
          },
        }),
      );
      ctx.notify(s.created, 'success');
      ctx.navigate(`#/collections/${created.data._id}`);
    } catch (err) {
      ctx.fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  ctx.root.append(
    h('h1', {}, s.title),
    h('p', {}, s.intro),
    collections.length === 0
      ? h('p', { class: 'muted' }, ctx.t('none'))
      : table(
          s.title,
          [s.colName, s.colProject, s.colCode, s.colCreated],
          collections.map((c) => [
            h('a', { href: `#/collections/${c._id}` }, c.name),
            c.project ? h('a', { href: `#/projects/${c.project}` }, projectName.get(c.project) ?? c.project) : '—',
            h('code', {}, c.code),
            formatDate(c.createdAt, ctx.lang),
          ]),
        ),
    form,
  );
}

async function renderDetail(ctx: ScreenContext, s: S, id: string) {
  const collection: Collection = (
    await ok(ctx.api.GET('/v2/face-recognition/collections/{id}', { params: { path: { id } }, signal: ctx.signal }))
  ).data;
  const title = fill(s.detailTitle, { name: collection.name });
  ctx.setTitle(title);
  const peopleHolder = h('div', {});
  let count = 0;
  const loadPeople = async () => {
    const people = (await personsOf(ctx)).filter((p) => p.collections.includes(collection._id));
    count = people.length;
    peopleHolder.replaceChildren(
      h('h2', {}, fill(s.people, { n: people.length })),
      people.length === 0
        ? h('p', { class: 'muted' }, s.noPeople)
        : table(s.people, [s.colPhoto, s.colPerson, s.colCreated], personRows(ctx, people, s)),
    );
  };
  const reload = () => void loadPeople().catch((err: unknown) => ctx.fail(err));
  const del = h('button', { type: 'button', class: 'danger' }, s.deleteCollection);
  del.addEventListener('click', async () => {
    const sure = await ctx.confirm(fill(s.confirmDelete, { name: collection.name, n: count }), {
      danger: true,
      confirmLabel: ctx.t('delete'),
    });
    if (!sure) return;
    try {
      await ok(ctx.api.DELETE('/v2/face-recognition/collections/{id}', { params: { path: { id: collection._id } } }));
      ctx.notify(s.deleted, 'success');
      ctx.navigate('#/collections');
    } catch (err) {
      ctx.fail(err);
    }
  });
  append(
    ctx.root,
    h('h1', {}, title),
    collection.description ? h('p', {}, collection.description) : null,
    h('p', {}, `${s.code}: `, h('code', {}, collection.code)),
    peopleHolder,
    enrolPanel(ctx, [collection], collection._id, reload),
    searchPanel(ctx, collection),
    importPanel(ctx, collection, reload),
    h(
      'div',
      { class: 'toolbar' },
      h('a', { href: '#/collections' }, ctx.t('back')),
      h('span', { class: 'spacer' }),
      del,
    ),
  );
  await loadPeople();
}

export const screen: Screen = {
  route: /^#\/collections(?:\/([0-9a-f]{24}))?$/,
  nav: 'collections',
  async render(ctx, match) {
    const s = ctx.text(strings);
    return match[1] ? renderDetail(ctx, s, match[1]) : renderList(ctx, s);
  },
};
