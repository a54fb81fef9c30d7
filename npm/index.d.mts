// ESM types: the same declarations as index.d.ts, plus the default export of index.mjs.
import * as sdk from './index.js';

export * from './index.js';
export default sdk;
