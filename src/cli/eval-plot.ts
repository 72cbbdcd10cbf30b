import type { ErrorRates } from '../domain/biometric-metrics.js';

// The eval command's chart, drawn as plain SVG: a DET curve (FRR against FAR, log axes) and the genuine and
// impostor score histograms. No chart library: the two panels are a few dozen elements.

const W = 960;
const H = 420;
const PANEL = { w: 400, h: 320, top: 50 };
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

function detPanel(curve: readonly ErrorRates[], x0: number): string {
  const lo = -5;
  const lx = (v: number) => x0 + ((Math.log10(Math.max(v, 1e-5)) - lo) / -lo) * PANEL.w;
  const ly = (v: number) => PANEL.top + PANEL.h - ((Math.log10(Math.max(v, 1e-5)) - lo) / -lo) * PANEL.h;
  const parts: string[] = [];
  for (let e = lo; e <= 0; e++) {
    const v = 10 ** e;
    parts.push(
      `<line x1="${lx(v)}" y1="${PANEL.top}" x2="${lx(v)}" y2="${PANEL.top + PANEL.h}" stroke="#ddd"/>`,
      `<line x1="${x0}" y1="${ly(v)}" x2="${x0 + PANEL.w}" y2="${ly(v)}" stroke="#ddd"/>`,
      `<text x="${lx(v)}" y="${PANEL.top + PANEL.h + 16}" font-size="11" text-anchor="middle">1e${e}</text>`,
      `<text x="${x0 - 6}" y="${ly(v) + 4}" font-size="11" text-anchor="end">1e${e}</text>`,
    );
  }
  const pts = curve.map((p) => `${lx(p.far).toFixed(1)},${ly(p.frr).toFixed(1)}`).join(' ');
  parts.push(
    `<polyline fill="none" stroke="#c0392b" stroke-width="2" points="${pts}"/>`,
    `<rect x="${x0}" y="${PANEL.top}" width="${PANEL.w}" height="${PANEL.h}" fill="none" stroke="#333"/>`,
    `<text x="${x0 + PANEL.w / 2}" y="${PANEL.top + PANEL.h + 34}" font-size="13" text-anchor="middle">false accept rate</text>`,
    `<text x="${x0 - 44}" y="${PANEL.top + PANEL.h / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 ${x0 - 44} ${PANEL.top + PANEL.h / 2})">false reject rate</text>`,
    `<text x="${x0 + PANEL.w / 2}" y="${PANEL.top - 12}" font-size="15" text-anchor="middle">DET curve</text>`,
  );
  return parts.join('\n');
}

function histogramPanel(genuine: readonly number[], impostor: readonly number[], x0: number): string {
  const bins = 50;
  const lo = -0.4;
  const hi = 1;
  const count = (xs: readonly number[]) => {
    const h = new Array<number>(bins).fill(0);
    for (const x of xs) h[Math.min(bins - 1, Math.max(0, Math.floor(((x - lo) / (hi - lo)) * bins)))]!++;
    return h.map((c) => c / Math.max(1, xs.length));
  };
  const g = count(genuine);
  const im = count(impostor);
  const peak = Math.max(...g, ...im, 1e-9);
  const bw = PANEL.w / bins;
  const bars = (h: number[], colour: string) =>
    h
      .map((v, i) => {
        const bh = (v / peak) * PANEL.h;
        return `<rect x="${(x0 + i * bw).toFixed(1)}" y="${(PANEL.top + PANEL.h - bh).toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${colour}" fill-opacity="0.55"/>`;
      })
      .join('\n');
  const ticks = [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8, 1]
    .map((t) => {
      const x = x0 + ((t - lo) / (hi - lo)) * PANEL.w;
      return `<text x="${x}" y="${PANEL.top + PANEL.h + 16}" font-size="11" text-anchor="middle">${t}</text>`;
    })
    .join('\n');
  return [
    bars(im, '#2980b9'),
    bars(g, '#27ae60'),
    ticks,
    `<rect x="${x0}" y="${PANEL.top}" width="${PANEL.w}" height="${PANEL.h}" fill="none" stroke="#333"/>`,
    `<text x="${x0 + PANEL.w / 2}" y="${PANEL.top + PANEL.h + 34}" font-size="13" text-anchor="middle">cosine similarity (share of pairs per bin, scaled)</text>`,
    `<text x="${x0 + PANEL.w / 2}" y="${PANEL.top - 12}" font-size="15" text-anchor="middle">Scores</text>`,
    `<rect x="${x0 + 10}" y="${PANEL.top + 10}" width="12" height="12" fill="#27ae60"/><text x="${x0 + 28}" y="${PANEL.top + 21}" font-size="12">genuine (${genuine.length})</text>`,
    `<rect x="${x0 + 10}" y="${PANEL.top + 28}" width="12" height="12" fill="#2980b9"/><text x="${x0 + 28}" y="${PANEL.top + 39}" font-size="12">impostor (${impostor.length})</text>`,
  ].join('\n');
}

export function evalPlotSvg(
  curve: readonly ErrorRates[],
  genuine: readonly number[],
  impostor: readonly number[],
  title: string,
): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${W / 2}" y="20" font-size="14" text-anchor="middle">${esc(title)}</text>
${detPanel(curve, 70)}
${histogramPanel(genuine, impostor, 530)}
</svg>
`;
}
