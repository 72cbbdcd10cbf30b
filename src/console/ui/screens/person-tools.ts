import { ok } from '../api.js';
import { clear, field, h } from '../dom.js';
import { enrolWithAnswers, MAX_PHOTOS, type PhotoAnswer } from '../enrolment.js';
import type { Collection } from '../models.js';
import type { ScreenContext } from '../screen.js';
import { table, thumbSrc } from '../widgets.js';

// The three things an operator does with photos: enrol one person (each photo's quality answer shown), import a
// folder of people with progress, and search a collection with a photo.

const strings = {
  en: {
    enrolTitle: 'Enrol a person',
    name: 'Full name',
    nameHelp: 'As the person is known; a second person with the same name and no date of birth is refused.',
    collection: 'Collection',
    photos: 'Photos (1 to 3)',
    photosHelp: 'JPEG, PNG or WebP, one face each, facing the camera, sharp and well lit.',
    enrol: 'Enrol',
    enrolled: '{name} enrolled with {n} photo(s)',
    notEnrolled: '{name} was not enrolled',
    tooMany: 'At most 3 photos: the first 3 are used.',
    needName: 'Enter the person’s name.',
    needPhoto: 'Choose at least one photo.',
    answers: 'Quality check of each photo',
    photo: 'Photo',
    file: 'File',
    answer: 'Answer',
    accepted: 'Accepted',
    refused: 'Refused: {reason}',
    importTitle: 'Bulk import',
    importHelp:
      'Choose a folder with one sub-folder per person, named after them (up to 3 photos each), as `facegate persons import` reads it. Photos directly in the folder are one person each, named after the file.',
    folder: 'Folder of people',
    start: 'Start import',
    cancel: 'Stop',
    progress: 'Import progress',
    progressText: '{done} of {total}: {name}',
    importDone: 'Import finished: {enrolled} enrolled, {refused} refused.',
    importStopped: 'Import stopped: {enrolled} enrolled, {refused} refused, {left} not tried.',
    person: 'Person',
    result: 'Result',
    noImages: 'No photos found in this folder.',
    searchTitle: 'Search with a photo',
    searchHelp: 'Finds the enrolled people of this collection most like the face in the photo.',
    probe: 'Photo to search with',
    search: 'Search',
    hits: 'Matches',
    noHits: 'Nobody in this collection matches this face (score under {min}).',
    score: 'Score',
    thumbAlt: 'Photo of {name}',
    previewAlt: 'Chosen photo {file}',
  },
  es: {
    enrolTitle: 'Inscribir a una persona',
    name: 'Nombre completo',
    nameHelp: 'Como se conoce a la persona; otra persona con el mismo nombre y sin fecha de nacimiento se rechaza.',
    collection: 'Colección',
    photos: 'Fotos (de 1 a 3)',
    photosHelp: 'JPEG, PNG o WebP, un rostro en cada una, de frente, nítido y bien iluminado.',
    enrol: 'Inscribir',
    enrolled: '{name} inscrito con {n} foto(s)',
    notEnrolled: '{name} no fue inscrito',
    tooMany: 'Como máximo 3 fotos: se usan las 3 primeras.',
    needName: 'Introduzca el nombre de la persona.',
    needPhoto: 'Elija al menos una foto.',
    answers: 'Control de calidad de cada foto',
    photo: 'Foto',
    file: 'Archivo',
    answer: 'Respuesta',
    accepted: 'Aceptada',
    refused: 'Rechazada: {reason}',
    importTitle: 'Importación masiva',
    importHelp:
      'Elija una carpeta con una subcarpeta por persona, con su nombre (hasta 3 fotos cada una), como la lee `facegate persons import`. Las fotos sueltas en la carpeta son una persona cada una, con el nombre del archivo.',
    folder: 'Carpeta de personas',
    start: 'Iniciar importación',
    cancel: 'Detener',
    progress: 'Progreso de la importación',
    progressText: '{done} de {total}: {name}',
    importDone: 'Importación terminada: {enrolled} inscritas, {refused} rechazadas.',
    importStopped: 'Importación detenida: {enrolled} inscritas, {refused} rechazadas, {left} sin intentar.',
    person: 'Persona',
    result: 'Resultado',
    noImages: 'No hay fotos en esta carpeta.',
    searchTitle: 'Buscar con una foto',
    searchHelp: 'Encuentra a las personas inscritas en esta colección más parecidas al rostro de la foto.',
    probe: 'Foto para buscar',
    search: 'Buscar',
    hits: 'Coincidencias',
    noHits: 'Nadie en esta colección coincide con este rostro (puntuación inferior a {min}).',
    score: 'Puntuación',
    thumbAlt: 'Foto de {name}',
    previewAlt: 'Foto elegida {file}',
  },
};

const fill = (text: string, vars: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
const isImage = (f: File) => /\.(jpe?g|png|webp)$/i.test(f.name) || /^image\/(jpeg|png|webp)$/.test(f.type);

function answersTable(ctx: ScreenContext, answers: PhotoAnswer[]): HTMLElement {
  const s = ctx.text(strings);
  return table(
    s.answers,
    [s.photo, s.file, s.answer],
    answers.map((a) => {
      const url = URL.createObjectURL(a.file);
      return [
        h('img', { class: 'thumb', src: url, alt: fill(s.previewAlt, { file: a.file.name }) }),
        a.file.name,
        a.accepted
          ? h('span', { class: 'ok-text' }, s.accepted)
          : h('span', { class: 'error-text' }, fill(s.refused, { reason: a.reason })),
      ];
    }),
  );
}

/** Enrol one person into one of `collections` (the first, or `preset`). */
export function enrolPanel(
  ctx: ScreenContext,
  collections: Collection[],
  preset: string | undefined,
  onEnrolled: () => void,
): HTMLElement {
  const s = ctx.text(strings);
  const name = h('input', { type: 'text', name: 'personName', autocomplete: 'off' });
  const collection = h(
    'select',
    { name: 'collection' },
    ...collections.map((c) => h('option', { value: c.code, selected: c._id === preset }, c.name)),
  );
  const photos = h('input', {
    type: 'file',
    name: 'photos',
    accept: 'image/jpeg,image/png,image/webp',
    multiple: true,
  });
  const message = h('p', { 'aria-live': 'polite' });
  const out = h('div', {});
  const submit = h('button', { type: 'submit' }, s.enrol);
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'enrol-title' },
    h('h2', { id: 'enrol-title' }, s.enrolTitle),
    field(s.name, name, { help: s.nameHelp }),
    field(s.collection, collection),
    field(s.photos, photos, { help: s.photosHelp }),
    message,
    submit,
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(out);
    message.textContent = '';
    message.className = 'error-text';
    const files = [...(photos.files ?? [])];
    if (!name.value.trim()) {
      message.textContent = s.needName;
      name.focus();
      return;
    }
    if (files.length === 0) {
      message.textContent = s.needPhoto;
      photos.focus();
      return;
    }
    submit.disabled = true;
    try {
      const result = await enrolWithAnswers(
        ctx,
        { name: name.value.trim(), collection: collection.value, files },
        ctx.signal,
      );
      const accepted = result.answers.filter((a) => a.accepted).length;
      message.className = result.person ? 'ok-text' : 'error-text';
      message.textContent = result.person
        ? fill(s.enrolled, { name: result.person.name, n: accepted })
        : `${fill(s.notEnrolled, { name: name.value.trim() })}${result.error ? `: ${result.error}` : ''}`;
      if (files.length > MAX_PHOTOS) message.textContent += ` ${s.tooMany}`;
      out.append(answersTable(ctx, result.answers));
      if (result.person) {
        name.value = '';
        photos.value = '';
        onEnrolled();
      }
    } catch (err) {
      ctx.fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** People of a picked folder: a sub-folder per person, or a loose photo per person. */
export function groupPeople(files: File[]): Array<{ name: string; files: File[] }> {
  const people = new Map<string, File[]>();
  for (const f of files.filter(isImage)) {
    const parts = (f.webkitRelativePath || f.name).split('/');
    const name =
      parts.length >= 3
        ? (parts[parts.length - 2] as string)
        : f.name
            .replace(/\.[^.]+$/, '')
            .replace(/[-_ ]?\d+$/, '')
            .replace(/[-_]+/g, ' ');
    const list = people.get(name) ?? [];
    list.push(f);
    people.set(name, list);
  }
  return [...people.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => ({ name, files: list.sort((a, b) => a.name.localeCompare(b.name)).slice(0, MAX_PHOTOS) }));
}

export function importPanel(ctx: ScreenContext, collection: Collection, onDone: () => void): HTMLElement {
  const s = ctx.text(strings);
  const folder = h('input', { type: 'file', name: 'folder', multiple: true, webkitdirectory: true });
  const start = h('button', { type: 'submit' }, s.start);
  const stop = h('button', { type: 'button', class: 'secondary', hidden: true }, s.cancel);
  const bar = h('progress', { max: 1, value: 0, 'aria-label': s.progress, hidden: true });
  const status = h('p', { role: 'status', class: 'import-status' });
  const results = h('div', {});
  let running: AbortController | null = null;
  stop.addEventListener('click', () => running?.abort());
  ctx.signal.addEventListener('abort', () => running?.abort());
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title' }, s.importTitle),
    field(s.folder, folder, { help: s.importHelp }),
    h('div', { class: 'toolbar' }, start, stop),
    bar,
    status,
    results,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const people = groupPeople([...(folder.files ?? [])]);
    clear(results);
    if (people.length === 0) {
      status.textContent = s.noImages;
      return;
    }
    running = new AbortController();
    const signal = running.signal;
    start.disabled = true;
    stop.hidden = false;
    bar.hidden = false;
    bar.max = people.length;
    bar.value = 0;
    const rows: Array<[string, HTMLElement]> = [];
    let enrolled = 0;
    let refused = 0;
    for (const [i, p] of people.entries()) {
      if (signal.aborted) break;
      status.textContent = fill(s.progressText, { done: i, total: people.length, name: p.name });
      const r = await enrolWithAnswers(
        ctx,
        { name: p.name, collection: collection.code, files: p.files },
        signal,
      ).catch((err: unknown) => ({ person: null, answers: [], error: String(err) }));
      if (signal.aborted && !r.person) break;
      if (r.person) enrolled++;
      else refused++;
      const why =
        r.error ??
        r.answers
          .filter((a) => !a.accepted)
          .map((a) => `${a.file.name}: ${(a as { reason: string }).reason}`)
          .join('; ');
      rows.push([
        p.name,
        r.person
          ? h('span', { class: 'ok-text' }, `${s.accepted}${why ? ` (${why})` : ''}`)
          : h('span', { class: 'error-text' }, fill(s.refused, { reason: why || '—' })),
      ]);
      bar.value = i + 1;
    }
    const done = enrolled + refused;
    status.textContent =
      done < people.length
        ? fill(s.importStopped, { enrolled, refused, left: people.length - done })
        : fill(s.importDone, { enrolled, refused });
    results.append(table(s.importTitle, [s.person, s.result], rows));
    start.disabled = false;
    stop.hidden = true;
    running = null;
    onDone();
  });
  return form;
}

export function searchPanel(ctx: ScreenContext, collection: Collection): HTMLElement {
  const s = ctx.text(strings);
  const photo = h('input', { type: 'file', name: 'probe', accept: 'image/jpeg,image/png,image/webp' });
  const submit = h('button', { type: 'submit' }, s.search);
  const out = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'panel', novalidate: true, 'aria-labelledby': 'search-title' },
    h('h2', { id: 'search-title' }, s.searchTitle),
    field(s.probe, photo, { help: s.searchHelp }),
    submit,
    out,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(out);
    const file = photo.files?.[0];
    if (!file) {
      out.append(h('p', { class: 'error-text' }, s.needPhoto));
      photo.focus();
      return;
    }
    submit.disabled = true;
    try {
      const image = await new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsDataURL(file);
      });
      const minScore = 0.85;
      const found = await ok(
        ctx.api.POST('/v2/face-recognition/search', {
          body: { image, collection_id: collection.code, min_score: minScore, search_mode: 'ACCURATE', max_results: 5 },
          signal: ctx.signal,
        }),
      );
      if (found.data.length === 0) {
        out.append(h('p', { class: 'muted' }, fill(s.noHits, { min: minScore })));
        return;
      }
      out.append(
        h('h3', {}, s.hits),
        table(
          s.hits,
          [s.photo, s.person, s.score],
          found.data.map((hit) => {
            const t = hit.thumbnails[0]?.thumbnail;
            return [
              t ? h('img', { class: 'thumb', src: thumbSrc(t), alt: fill(s.thumbAlt, { name: hit.name }) }) : '—',
              h('a', { href: `#/persons/${hit._id}` }, hit.name),
              hit.score.toFixed(2),
            ];
          }),
        ),
      );
    } catch (err) {
      ctx.fail(err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
