import { fileURLToPath } from 'node:url';

/** The checkout's root: this file compiles to dist/src/package-root.js. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
