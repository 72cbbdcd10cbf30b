import { type ErrorRates, probit } from '../domain/biometric-metrics.js';

// The eval command's chart, drawn as plain SVG: a DET curve on normal-deviate (probit) axes, as ISO/IEC 19795-1
// draws it, with the EER and the flows' default thresholds marked; and the genuine and impostor score histograms on
// a log count axis, so that the few impostor pairs that set the false accept rate show. No chart library: the two
// panels are a few hundred elements.

/** A threshold drawn on both panels: where the API's rule puts it in FAR/FRR, and the cosine it stands for. */
export interface PlotThreshold {
  label: string;
  cosine: number;
  far: number;
  frr: number;
}

export interface EvalPlot {
  title: string;
  curve: readonly ErrorRates[];
  /** Raw cosine similarities. */
  genuine: readonly number[];
  impostor: readonly number[];
  eer: ErrorRates;
  thresholds: readonly PlotThreshold[];
  /** API scores to mark on the histogram's top axis, with the cosine each stands for. */
  scoreTicks: ReadonlyArray<{ score: number; cosine: number }>;
}

const W = 1000;
const H = 480;
const PANEL = { w: 400, h: 320, top: 80 };
const GRID = '#e3e3e3';
const CURVE = '#c0392b';
const GENUINE = '#27ae60';
const IMPOSTOR = '#2980b9';
const MARKS = ['#8e44ad', '#d35400', '#16a085'];
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
const f1 = (x: number) => x.toFixed(1);
const rate = (x: number) => (x === 0 ? '0' : x < 0.01 ? x.toExponential(1) : `${(x * 100).toFixed(1)} %`);
const percentLabel = (v: number) => `${Number((v * 100).toPrecision(1))}%`;

/** The DET axis's lowest rate: a decade at or below one error in n, so a single error is still on the chart. */
const lowestRate = (n: number) => 10 ** Math.min(-2, Math.floor(Math.log10(1 / Math.max(n, 1))));
const HIGHEST_RATE = 0.5;

function detPanel(p: EvalPlot, x0: number): string {
  const loFar = lowestRate(p.impostor.length);
  const loFrr = lowestRate(p.genuine.length);
  // A rate of 0 (or below the axis) is drawn on the axis edge; so is one above 50 %.
  const axis = (lo: number) => {
    const a = probit(lo);
    const b = probit(HIGHEST_RATE);
    return (v: number) => (Math.min(Math.max(probit(Math.max(v, lo)), a), b) - a) / (b - a);
  };
  const ax = axis(loFar);
  const ay = axis(loFrr);
  const lx = (v: number) => x0 + ax(v) * PANEL.w;
  const ly = (v: number) => PANEL.top + PANEL.h - ay(v) * PANEL.h;
  const ticks = (lo: number) => {
    const out: number[] = [];
    for (let e = Math.round(Math.log10(lo)); e < 0; e++)
      for (const m of [1, 2, 5]) if (m * 10 ** e <= HIGHEST_RATE) out.push(m * 10 ** e);
    return out;
  };
  // Label the decades, and 2 % .. 50 % where the axis is wide enough for them.
  const labelled = (v: number) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 || v >= 0.02;
  const parts: string[] = [];
  for (const v of ticks(loFar)) {
    parts.push(
      `<line x1="${f1(lx(v))}" y1="${PANEL.top}" x2="${f1(lx(v))}" y2="${PANEL.top + PANEL.h}" stroke="${GRID}"/>`,
    );
    if (labelled(v))
      parts.push(
        `<text x="${f1(lx(v))}" y="${PANEL.top + PANEL.h + 16}" font-size="11" text-anchor="middle">${percentLabel(v)}</text>`,
      );
  }
  for (const v of ticks(loFrr)) {
    parts.push(`<line x1="${x0}" y1="${f1(ly(v))}" x2="${x0 + PANEL.w}" y2="${f1(ly(v))}" stroke="${GRID}"/>`);
    if (labelled(v))
      parts.push(`<text x="${x0 - 6}" y="${f1(ly(v) + 4)}" font-size="11" text-anchor="end">${percentLabel(v)}</text>`);
  }
  // FAR = FRR, where the EER lies.
  const d0 = Math.max(loFar, loFrr);
  parts.push(
    `<line x1="${f1(lx(d0))}" y1="${f1(ly(d0))}" x2="${f1(lx(HIGHEST_RATE))}" y2="${f1(ly(HIGHEST_RATE))}" stroke="#999" stroke-dasharray="4 4"/>`,
  );
  const pts: string[] = [];
  for (const e of p.curve) {
    const pt = `${f1(lx(e.far))},${f1(ly(e.frr))}`;
    if (pts.at(-1) !== pt) pts.push(pt);
  }
  parts.push(`<polyline fill="none" stroke="${CURVE}" stroke-width="2" points="${pts.join(' ')}"/>`);
  if (!Number.isNaN(p.eer.far)) {
    const eer = (p.eer.far + p.eer.frr) / 2;
    parts.push(
      `<circle cx="${f1(lx(eer))}" cy="${f1(ly(eer))}" r="5" fill="#fff" stroke="#333" stroke-width="2"/>`,
      `<text x="${f1(lx(eer) + 9)}" y="${f1(ly(eer) + 14)}" font-size="12">EER ${rate(eer)}</text>`,
    );
  }
  p.thresholds.forEach((t, i) => {
    const colour = MARKS[i % MARKS.length]!;
    const x = lx(t.far);
    const y = ly(t.frr);
    parts.push(
      `<rect x="${f1(x - 5)}" y="${f1(y - 5)}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${f1(x + 9)}" y="${f1(y - 6 - 14 * i)}" font-size="12" fill="${colour}">${esc(`${t.label}: FAR ${rate(t.far)}, FRR ${rate(t.frr)}`)}</text>`,
    );
  });
  const cx = x0 + PANEL.w / 2;
  const cy = PANEL.top + PANEL.h / 2;
  parts.push(
    `<rect x="${x0}" y="${PANEL.top}" width="${PANEL.w}" height="${PANEL.h}" fill="none" stroke="#333"/>`,
    `<text x="${cx}" y="${PANEL.top + PANEL.h + 34}" font-size="13" text-anchor="middle">false accept rate (normal deviate scale; 0 on the edge)</text>`,
    `<text x="${x0 - 48}" y="${cy}" font-size="13" text-anchor="middle" transform="rotate(-90 ${x0 - 48} ${cy})">false reject rate</text>`,
    `<text x="${cx}" y="${PANEL.top - 38}" font-size="15" text-anchor="middle">DET curve</text>`,
  );
  return parts.join('\n');
}

function histogramPanel(p: EvalPlot, x0: number): string {
  const width = 0.02;
  const lo = Math.min(-0.4, Math.floor([...p.impostor, ...p.genuine].reduce((m, x) => Math.min(m, x), 0) / 0.2) * 0.2);
  const hi = 1;
  const bins = Math.round((hi - lo) / width);
  const count = (xs: readonly number[]) => {
    const h = new Array<number>(bins).fill(0);
    for (const x of xs) h[Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)))]!++;
    return h;
  };
  const g = count(p.genuine);
  const im = count(p.impostor);
  // Counts on a log axis from 0.5, so that a bin of one pair still has a visible bar.
  const top = 10 ** Math.max(1, Math.ceil(Math.log10(Math.max(...g, ...im, 1))));
  const floor = 0.5;
  const ly = (c: number) =>
    PANEL.top + PANEL.h - (Math.log10(Math.max(c, floor) / floor) / Math.log10(top / floor)) * PANEL.h;
  const lx = (x: number) => x0 + ((x - lo) / (hi - lo)) * PANEL.w;
  const bw = PANEL.w / bins;
  const bars = (h: number[], colour: string) =>
    h
      .flatMap((c, i) =>
        c === 0
          ? []
          : [
              `<rect x="${f1(x0 + i * bw)}" y="${f1(ly(c))}" width="${f1(bw)}" height="${f1(PANEL.top + PANEL.h - ly(c))}" fill="${colour}" fill-opacity="0.45" stroke="${colour}" stroke-width="0.6"/>`,
            ],
      )
      .join('\n');
  const parts: string[] = [];
  for (let c = 1; c <= top; c *= 10)
    parts.push(
      `<line x1="${x0}" y1="${f1(ly(c))}" x2="${x0 + PANEL.w}" y2="${f1(ly(c))}" stroke="${GRID}"/>`,
      `<text x="${x0 - 6}" y="${f1(ly(c) + 4)}" font-size="11" text-anchor="end">${c}</text>`,
    );
  for (let t = Math.ceil(lo / 0.2) * 0.2; t <= hi + 1e-9; t += 0.2)
    parts.push(
      `<text x="${f1(lx(t))}" y="${PANEL.top + PANEL.h + 16}" font-size="11" text-anchor="middle">${Number(t.toFixed(1))}</text>`,
    );
  for (const s of p.scoreTicks)
    parts.push(
      `<line x1="${f1(lx(s.cosine))}" y1="${PANEL.top}" x2="${f1(lx(s.cosine))}" y2="${PANEL.top - 5}" stroke="#333"/>`,
      `<text x="${f1(lx(s.cosine))}" y="${PANEL.top - 8}" font-size="11" text-anchor="middle">${s.score}</text>`,
    );
  parts.push(bars(im, IMPOSTOR), bars(g, GENUINE));
  if (!Number.isNaN(p.eer.threshold))
    parts.push(
      `<line x1="${f1(lx(p.eer.threshold))}" y1="${PANEL.top}" x2="${f1(lx(p.eer.threshold))}" y2="${PANEL.top + PANEL.h}" stroke="#333" stroke-dasharray="3 3"/>`,
      `<text x="${f1(lx(p.eer.threshold) - 4)}" y="${PANEL.top + 16}" font-size="11" text-anchor="end">EER</text>`,
    );
  p.thresholds.forEach((t, i) => {
    const colour = MARKS[i % MARKS.length]!;
    const x = lx(t.cosine);
    parts.push(
      `<line x1="${f1(x)}" y1="${PANEL.top}" x2="${f1(x)}" y2="${PANEL.top + PANEL.h}" stroke="${colour}" stroke-width="1.5"/>`,
      `<text x="${f1(x + 4)}" y="${PANEL.top + 16 + 14 * i}" font-size="12" fill="${colour}">${esc(t.label)}</text>`,
    );
  });
  const cx = x0 + PANEL.w / 2;
  const cy = PANEL.top + PANEL.h / 2;
  parts.push(
    `<rect x="${x0}" y="${PANEL.top}" width="${PANEL.w}" height="${PANEL.h}" fill="none" stroke="#333"/>`,
    `<text x="${cx}" y="${PANEL.top + PANEL.h + 34}" font-size="13" text-anchor="middle">cosine similarity (bins of ${width})</text>`,
    `<text x="${cx}" y="${PANEL.top - 22}" font-size="11" text-anchor="middle">API score</text>`,
    `<text x="${x0 - 44}" y="${cy}" font-size="13" text-anchor="middle" transform="rotate(-90 ${x0 - 44} ${cy})">pairs per bin (log)</text>`,
    `<text x="${cx}" y="${PANEL.top - 38}" font-size="15" text-anchor="middle">Scores</text>`,
    `<rect x="${x0 + 10}" y="${PANEL.top + 10}" width="12" height="12" fill="${GENUINE}"/><text x="${x0 + 28}" y="${PANEL.top + 21}" font-size="12">genuine (${p.genuine.length})</text>`,
    `<rect x="${x0 + 10}" y="${PANEL.top + 28}" width="12" height="12" fill="${IMPOSTOR}"/><text x="${x0 + 28}" y="${PANEL.top + 39}" font-size="12">impostor (${p.impostor.length})</text>`,
  );
  return parts.join('\n');
}

export function evalPlotSvg(p: EvalPlot): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${W / 2}" y="20" font-size="14" text-anchor="middle">${esc(p.title)}</text>
${detPanel(p, 80)}
${histogramPanel(p, 570)}
</svg>
`;
}
