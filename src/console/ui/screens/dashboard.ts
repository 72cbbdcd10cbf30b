import { ok } from '../api.js';
import { field, h } from '../dom.js';
import { format } from '../i18n.js';
import type { Screen, ScreenContext } from '../screen.js';
import { reasonLabel } from './validation-words.js';
import { projectNames } from './validations.js';

// The tenant at a glance, from `GET /v2/stats/validations`: validations per day by outcome, why they failed, the
// liveness and match score bands over time, and the webhooks still waiting to be delivered. Each chart is an SVG
// drawn from the figures (no library) with the same figures in a table beside it, for screen readers and for
// anyone who wants the numbers.

const strings = {
  en: {
    title: 'Dashboard',
    period: 'Period',
    last: 'Last {n} days',
    project: 'Project',
    allProjects: 'All projects',
    show: 'Show',
    total: 'Validations',
    succeeded: 'Succeeded',
    failed: 'Failed',
    expired: 'Expired',
    open: 'Still open',
    successRate: 'Success rate',
    backlog: 'Webhooks waiting',
    backlogHelp: 'Events not yet delivered to your webhook URLs (retrying or queued).',
    perDay: 'Validations per day, by outcome',
    perDaySummary: '{total} validations over {days} days: {ok} succeeded, {bad} failed, {expired} expired.',
    day: 'Day',
    reasons: 'Why attempts failed',
    reason: 'Reason',
    count: 'Count',
    noReasons: 'No failed attempt in this period.',
    scores: 'Scores over time',
    liveness: 'Liveness score (p10, median, p90)',
    match: 'Match score of found faces (p10, median, p90)',
    noScores: 'No scored attempt in this period.',
    scoresSummary: '{what}: median from {first} to {last} over {days} days.',
    p10: 'p10',
    p50: 'Median',
    p90: 'p90',
    n: 'Attempts',
    figures: 'Figures as a table',
    validations: 'Open the validations',
  },
  es: {
    title: 'Panel',
    period: 'Periodo',
    last: 'Últimos {n} días',
    project: 'Proyecto',
    allProjects: 'Todos los proyectos',
    show: 'Mostrar',
    total: 'Validaciones',
    succeeded: 'Correctas',
    failed: 'Fallidas',
    expired: 'Caducadas',
    open: 'Aún abiertas',
    successRate: 'Tasa de éxito',
    backlog: 'Webhooks en espera',
    backlogHelp: 'Eventos aún no entregados a sus URL de webhook (reintentando o en cola).',
    perDay: 'Validaciones por día, según el resultado',
    perDaySummary: '{total} validaciones en {days} días: {ok} correctas, {bad} fallidas, {expired} caducadas.',
    day: 'Día',
    reasons: 'Por qué fallaron los intentos',
    reason: 'Motivo',
    count: 'Cantidad',
    noReasons: 'Ningún intento fallido en este periodo.',
    scores: 'Puntuaciones en el tiempo',
    liveness: 'Puntuación de la prueba de vida (p10, mediana, p90)',
    match: 'Puntuación de coincidencia de los rostros encontrados (p10, mediana, p90)',
    noScores: 'Ningún intento puntuado en este periodo.',
    scoresSummary: '{what}: mediana de {first} a {last} en {days} días.',
    p10: 'p10',
    p50: 'Mediana',
    p90: 'p90',
    n: 'Intentos',
    figures: 'Las cifras en una tabla',
    validations: 'Abrir las validaciones',
  },
};

type Strings = (typeof strings)['en'];

interface Band {
  day: string;
  p10: number;
  p50: number;
  p90: number;
  count?: number;
}
interface Stats {
  days: Array<{ day: string; byStatus: Record<string, number> }>;
  reasons: Array<{ reason: string; count: number }>;
  scores: { liveness: Band[]; match: Band[] };
  webhookBacklog: number;
}

const PERIODS = [7, 30, 90];
const DAY_MS = 86_400_000;
/** Outcome colours, each at least 4.5:1 on white, in the order the bars stack. */
const SERIES = [
  { key: 'ok', colour: '#146c2e' },
  { key: 'bad', colour: '#b3261e' },
  { key: 'expired', colour: '#5f6670' },
  { key: 'open', colour: '#8a5300' },
] as const;
type SeriesKey = (typeof SERIES)[number]['key'];

const NS = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string | number>, ...children: Array<Node | string>): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

const grouped = (byStatus: Record<string, number>): Record<SeriesKey, number> => ({
  ok: (byStatus['validated'] ?? 0) + (byStatus['completed'] ?? 0),
  bad: byStatus['failed'] ?? 0,
  expired: byStatus['expired'] ?? 0,
  open: (byStatus['new'] ?? 0) + (byStatus['pending'] ?? 0),
});

const shortDay = (day: string, lang: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function figuresTable(s: Strings, caption: string, head: string[], rows: Array<Array<string | number>>): HTMLElement {
  return h(
    'details',
    {},
    h('summary', {}, s.figures),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, caption),
        h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...rows.map((r) =>
            h('tr', {}, ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td', {}, String(c))))),
          ),
        ),
      ),
    ),
  );
}

function perDayChart(s: Strings, ctx: ScreenContext, stats: Stats, labels: Record<SeriesKey, string>): HTMLElement {
  const W = 720;
  const H = 220;
  const pad = { l: 36, r: 8, t: 10, b: 28 };
  const days = stats.days.map((d) => ({ day: d.day, g: grouped(d.byStatus) }));
  const max = Math.max(1, ...days.map((d) => d.g.ok + d.g.bad + d.g.expired + d.g.open));
  const slot = (W - pad.l - pad.r) / Math.max(1, days.length);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const totals = days.reduce(
    (a, d) => ({ ok: a.ok + d.g.ok, bad: a.bad + d.g.bad, expired: a.expired + d.g.expired, open: a.open + d.g.open }),
    { ok: 0, bad: 0, expired: 0, open: 0 },
  );
  const summary = format(s.perDaySummary, {
    total: totals.ok + totals.bad + totals.expired + totals.open,
    days: days.length,
    ok: totals.ok,
    bad: totals.bad,
    expired: totals.expired,
  });
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, class: 'chart' });
  chart.append(svg('title', {}, summary));
  for (const tick of [0, Math.round(max / 2), max]) {
    chart.append(
      svg('line', { x1: pad.l, x2: W - pad.r, y1: y(tick), y2: y(tick), stroke: '#d0d5db' }),
      svg(
        'text',
        { x: pad.l - 6, y: y(tick) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#4f5862' },
        String(tick),
      ),
    );
  }
  const labelEvery = Math.ceil(days.length / 10);
  days.forEach((d, i) => {
    let base = 0;
    const x = pad.l + i * slot + slot * 0.15;
    for (const series of SERIES) {
      const v = d.g[series.key];
      if (!v) continue;
      const rect = svg('rect', {
        x,
        width: Math.max(1, slot * 0.7),
        y: y(base + v),
        height: y(base) - y(base + v),
        fill: series.colour,
      });
      rect.append(svg('title', {}, `${shortDay(d.day, ctx.lang)}: ${labels[series.key]} ${v}`));
      chart.append(rect);
      base += v;
    }
    if (i % labelEvery === 0) {
      chart.append(
        svg(
          'text',
          { x: x + slot * 0.35, y: H - 8, 'text-anchor': 'middle', 'font-size': 11, fill: '#4f5862' },
          shortDay(d.day, ctx.lang),
        ),
      );
    }
  });
  const legend = h(
    'ul',
    { class: 'legend' },
    ...SERIES.map((series) => {
      const swatch = svg(
        'svg',
        { width: 12, height: 12, 'aria-hidden': 'true' },
        svg('rect', { width: 12, height: 12, fill: series.colour }),
      );
      return h('li', {}, swatch, ' ', labels[series.key]);
    }),
  );
  legend.style.cssText = 'list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0;margin:.5rem 0';
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'dash-per-day' },
    h('h2', { id: 'dash-per-day' }, s.perDay),
    chart as unknown as Node,
    legend,
    figuresTable(
      s,
      s.perDay,
      [s.day, labels.ok, labels.bad, labels.expired, labels.open],
      days.map((d) => [d.day, d.g.ok, d.g.bad, d.g.expired, d.g.open]),
    ),
  );
}

function bandChart(
  s: Strings,
  ctx: ScreenContext,
  title: string,
  id: string,
  bands: Band[],
  colour: string,
): HTMLElement {
  const section = h('section', { class: 'panel', 'aria-labelledby': id }, h('h3', { id }, title));
  if (!bands.length) {
    section.append(h('p', { class: 'muted' }, s.noScores));
    return section;
  }
  const W = 720;
  const H = 180;
  const pad = { l: 36, r: 8, t: 10, b: 28 };
  const step = (W - pad.l - pad.r) / Math.max(1, bands.length - 1);
  const x = (i: number) => (bands.length === 1 ? (W + pad.l - pad.r) / 2 : pad.l + i * step);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - Math.max(0, Math.min(1, v)));
  const first = bands[0]!;
  const last = bands[bands.length - 1]!;
  const summary = format(s.scoresSummary, {
    what: title,
    first: first.p50.toFixed(2),
    last: last.p50.toFixed(2),
    days: bands.length,
  });
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, class: 'chart' });
  chart.append(svg('title', {}, summary));
  for (const tick of [0, 0.5, 1]) {
    chart.append(
      svg('line', { x1: pad.l, x2: W - pad.r, y1: y(tick), y2: y(tick), stroke: '#d0d5db' }),
      svg(
        'text',
        { x: pad.l - 6, y: y(tick) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#4f5862' },
        tick.toFixed(1),
      ),
    );
  }
  const upper = bands.map((b, i) => `${x(i)},${y(b.p90)}`);
  const lower = bands.map((b, i) => `${x(i)},${y(b.p10)}`).reverse();
  chart.append(
    svg('polygon', { points: [...upper, ...lower].join(' '), fill: colour, 'fill-opacity': 0.18, stroke: 'none' }),
  );
  chart.append(
    svg('polyline', {
      points: bands.map((b, i) => `${x(i)},${y(b.p50)}`).join(' '),
      fill: 'none',
      stroke: colour,
      'stroke-width': 2,
    }),
  );
  const labelEvery = Math.ceil(bands.length / 8);
  bands.forEach((b, i) => {
    const dot = svg('circle', { cx: x(i), cy: y(b.p50), r: 3, fill: colour });
    dot.append(
      svg('title', {}, `${shortDay(b.day, ctx.lang)}: ${b.p10.toFixed(2)} / ${b.p50.toFixed(2)} / ${b.p90.toFixed(2)}`),
    );
    chart.append(dot);
    if (i % labelEvery === 0) {
      chart.append(
        svg(
          'text',
          { x: x(i), y: H - 8, 'text-anchor': 'middle', 'font-size': 11, fill: '#4f5862' },
          shortDay(b.day, ctx.lang),
        ),
      );
    }
  });
  section.append(
    chart as unknown as Node,
    figuresTable(
      s,
      title,
      [s.day, s.p10, s.p50, s.p90, s.n],
      bands.map((b) => [b.day, b.p10.toFixed(2), b.p50.toFixed(2), b.p90.toFixed(2), b.count ?? '—']),
    ),
  );
  return section;
}

function reasonsSection(s: Strings, ctx: ScreenContext, stats: Stats): HTMLElement {
  const section = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'dash-reasons' },
    h('h2', { id: 'dash-reasons' }, s.reasons),
  );
  if (!stats.reasons.length) {
    section.append(h('p', { class: 'muted' }, s.noReasons));
    return section;
  }
  const max = Math.max(...stats.reasons.map((r) => r.count));
  const rows = stats.reasons.map((r) => {
    const bar = h('span', { 'aria-hidden': 'true' });
    bar.style.cssText = `display:inline-block;height:.8rem;background:#b3261e;border-radius:2px;width:${Math.max(2, (r.count / max) * 12)}rem;vertical-align:middle`;
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, reasonLabel(ctx.lang, r.reason), ' ', h('code', { class: 'muted' }, r.reason)),
      h('td', {}, h('span', { class: 'count' }, r.count), ' ', bar),
    );
  });
  section.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'failure-reasons' },
        h('caption', { class: 'visually-hidden' }, s.reasons),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, s.reason), h('th', { scope: 'col' }, s.count))),
        h('tbody', {}, ...rows),
      ),
    ),
  );
  return section;
}

const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

export const screen: Screen = {
  route: /^#\/(?:dashboard(?:\?(.*))?)?$/,
  nav: 'dashboard',
  async render(ctx, match) {
    const s = ctx.text(strings);
    ctx.setTitle(s.title);
    const params = new URLSearchParams(match[1] ?? '');
    const days = PERIODS.includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;
    const project = params.get('project') ?? '';
    const loading = h('p', { class: 'muted', role: 'status' }, ctx.t('loading'));
    ctx.root.append(h('h1', {}, s.title), loading);

    const now = Date.now();
    const query = { from: utcDay(now - (days - 1) * DAY_MS), to: utcDay(now), ...(project ? { project } : {}) };
    const [projects, res] = await Promise.all([
      projectNames(ctx),
      ok(ctx.api.GET('/v2/stats/validations', { params: { query }, signal: ctx.signal })),
    ]);
    const stats = res.data as Stats;

    const periodSelect = h(
      'select',
      { name: 'days' },
      ...PERIODS.map((n) => h('option', { value: n, selected: n === days }, format(s.last, { n }))),
    );
    const projectSelect = h(
      'select',
      { name: 'project' },
      h('option', { value: '' }, s.allProjects),
      ...[...projects.entries()].map(([id, name]) => h('option', { value: id, selected: id === project }, name)),
    );
    const form = h(
      'form',
      { class: 'toolbar', 'aria-label': s.period },
      field(s.period, periodSelect),
      field(s.project, projectSelect),
      h('button', { type: 'submit' }, s.show),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = new URLSearchParams({ days: periodSelect.value });
      if (projectSelect.value) next.set('project', projectSelect.value);
      ctx.navigate(`#/dashboard?${next.toString()}`);
    });

    const labels: Record<SeriesKey, string> = { ok: s.succeeded, bad: s.failed, expired: s.expired, open: s.open };
    const totals = stats.days.reduce(
      (a, d) => {
        const g = grouped(d.byStatus);
        return { ok: a.ok + g.ok, bad: a.bad + g.bad, expired: a.expired + g.expired, open: a.open + g.open };
      },
      { ok: 0, bad: 0, expired: 0, open: 0 },
    );
    const all = totals.ok + totals.bad + totals.expired + totals.open;
    const finished = totals.ok + totals.bad + totals.expired;
    const card = (label: string, value: string | number, id: string, help?: string) =>
      h(
        'div',
        { class: 'panel card', id },
        h('p', { class: 'muted' }, label),
        h('p', { class: 'figure' }, String(value)),
        help ? h('p', { class: 'help' }, help) : null,
      );
    const cards = h(
      'div',
      { class: 'cards' },
      card(s.total, all, 'card-total'),
      card(s.succeeded, totals.ok, 'card-succeeded'),
      card(s.failed, totals.bad, 'card-failed'),
      card(s.successRate, finished ? `${Math.round((totals.ok / finished) * 100)} %` : '—', 'card-rate'),
      card(s.backlog, stats.webhookBacklog, 'card-backlog', s.backlogHelp),
    );
    cards.style.cssText =
      'display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:1rem;align-items:start;margin-bottom:1rem';
    for (const f of cards.querySelectorAll<HTMLElement>('.figure'))
      f.style.cssText = 'font-size:1.8rem;font-weight:700;margin:0';
    for (const c of cards.querySelectorAll<HTMLElement>('.card')) c.style.marginBottom = '0';

    loading.remove();
    ctx.root.append(
      form,
      cards,
      perDayChart(s, ctx, stats, labels),
      reasonsSection(s, ctx, stats),
      h(
        'section',
        { 'aria-labelledby': 'dash-scores' },
        h('h2', { id: 'dash-scores' }, s.scores),
        bandChart(s, ctx, s.liveness, 'dash-liveness', stats.scores.liveness, '#0b57d0'),
        bandChart(s, ctx, s.match, 'dash-match', stats.scores.match, '#6a1b9a'),
      ),
      h('p', {}, h('a', { href: '#/validations' }, s.validations)),
    );
    for (const c of ctx.root.querySelectorAll<SVGElement>('svg.chart')) {
      c.style.cssText = 'width:100%;height:auto;display:block';
    }
  },
};
