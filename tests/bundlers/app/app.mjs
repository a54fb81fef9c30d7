// Node (ESM), Bun and Deno: `<runtime> app.mjs <baseUrl> <key> <secret>` prints the result as JSON.
import * as sdk from 'messagemedia-conversations-sdk';
import { check } from './check.js';

const [baseUrl, username, password] = (globalThis.Deno ? Deno.args : process.argv.slice(2));
console.log(JSON.stringify(await check(sdk, { baseUrl, username, password })));
