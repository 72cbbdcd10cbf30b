import { createHash } from 'node:crypto';

// The console's HTML shell. It carries no data and no inline code but the import map (browsers read import maps
// only inline), which the Content-Security-Policy allows by its hash; everything else is a module or the style
// sheet under the content-hash asset path.

export interface RenderedConsole {
  html: string;
  /** CSP script-src entries for the inline import map. */
  scriptHashes: string[];
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export function renderConsolePage(input: {
  assetBase: string;
  modules: string[];
  imports: Record<string, string>;
}): RenderedConsole {
  const imports = Object.fromEntries(Object.entries(input.imports).map(([k, v]) => [k, `${input.assetBase}/${v}`]));
  const importMap = JSON.stringify({ imports });
  const preload = [...input.modules.map((m) => `${input.assetBase}/${m}`), ...Object.values(imports)]
    .map((href) => `<link rel="modulepreload" href="${href}">`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Facegate console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${input.assetBase}/console.css">
<script type="importmap">${importMap}</script>
${preload}
<script type="module" src="${input.assetBase}/main.js"></script>
</head>
<body>
<div id="app"><main id="main"><p class="boot">Loading the console…</p>
<noscript><p>The Facegate console needs JavaScript.</p></noscript></main></div>
</body>
</html>
`;
  return { html, scriptHashes: [sha256(importMap)] };
}
