// ESM entry of messagemedia-conversations-sdk/testing (the same module as testing.js).
import { createRequire } from 'node:module';

const testing = createRequire(import.meta.url)('./testing.js');

export const { startSandbox, sandboxBinary } = testing;
export default testing;
