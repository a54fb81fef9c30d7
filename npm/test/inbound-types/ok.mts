// The same surface from ESM.
import { createCallbackHandler, parseCallback } from 'messagemedia-conversations-sdk';
import { startSandbox } from 'messagemedia-conversations-sdk/testing';

const h = createCallbackHandler((e) => { void e.raw; });
void h;
void parseCallback;
const sb = await startSandbox();
await sb.close();
