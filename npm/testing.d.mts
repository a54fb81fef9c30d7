// ESM types of messagemedia-conversations-sdk/testing: the same declarations as testing.d.ts
// (a .d.mts, so that TypeScript reads the ESM entry as ESM).
import * as testing from './testing.js';

export * from './testing.js';
export default testing;
