import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AssetBundle, JAVASCRIPT, type StaticAsset } from '../http/static-assets.js';
import { consoleCss } from './console-styles.js';

// The console's browser files, read once at start: the modules tsc compiled from src/console/ui/ (screens/ included),
// the typed client package's module, openapi-fetch's own ESM build from node_modules, and the style sheet. All sit
// under one content-hash path, so a new build never meets a stale cached module.

export type ConsoleAsset = StaticAsset;

export interface ConsoleAssets {
  version: string;
  assets: Map<string, ConsoleAsset>;
  /** Every browser module, entry first, for modulepreload. */
  modules: string[];
  /** Bare specifier → asset name, for the shell's import map. */
  imports: Record<string, string>;
}

/** This file is dist/src/console/console-assets.js; tsc puts the browser modules beside it. */
const uiDir = fileURLToPath(new URL('./ui/', import.meta.url));
/** The client package as the root build compiles it (tsconfig paths map `@facegate/client` to its source). */
const clientModule = fileURLToPath(new URL('../../packages/client/src/index.js', import.meta.url));
const ENTRY = 'main.js';

function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = `${dir}${name}`;
    if (statSync(path).isDirectory()) out.push(...walk(`${path}/`, `${prefix}${name}/`));
    else if (/\.js(\.map)?$/.test(name) && !/\.test\.js(\.map)?$/.test(name)) out.push(`${prefix}${name}`);
  }
  return out;
}

export function loadConsoleAssets(dir = uiDir): ConsoleAssets {
  const files = walk(dir);
  if (!files.includes(ENTRY)) throw new Error(`the console is not built: ${dir}${ENTRY} is missing`);
  const bundle = new AssetBundle();
  const add = bundle.add.bind(bundle);
  const js = JAVASCRIPT;
  for (const f of files) add(f, readFileSync(`${dir}${f}`), f.endsWith('.map') ? 'application/json' : js);
  const require = createRequire(import.meta.url);
  // openapi-fetch's package.json maps `import` to dist/index.mjs; its source map line is dropped as the map is not
  // served.
  const fetchEsm = require.resolve('openapi-fetch').replace(/index\.cjs$/, 'index.mjs');
  const vendorFetch = readFileSync(fetchEsm, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  add('vendor/openapi-fetch.js', Buffer.from(vendorFetch, 'utf8'), js);
  const client = readFileSync(clientModule, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  add('vendor/facegate-client.js', Buffer.from(client, 'utf8'), js);
  add('console.css', Buffer.from(consoleCss, 'utf8'), 'text/css; charset=utf-8');
  const modules = files.filter((f) => f.endsWith('.js'));
  return {
    version: bundle.version(),
    assets: bundle.assets,
    modules: [ENTRY, ...modules.filter((m) => m !== ENTRY)],
    imports: { 'openapi-fetch': 'vendor/openapi-fetch.js', '@facegate/client': 'vendor/facegate-client.js' },
  };
}
