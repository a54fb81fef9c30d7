// A page's app: the sandbox's URL and credentials come in the query string; the result goes to
// window.__result for the runner (and to the page, for a person looking at it).
import * as sdk from 'messagemedia-conversations-sdk';
import { check } from './check.js';

const q = new URLSearchParams(location.search);
check(sdk, { baseUrl: q.get('api'), username: q.get('key'), password: q.get('secret') }).then(
  (result) => { window.__result = result; },
  (err) => { window.__result = { error: `${err && err.name}: ${err && err.message}` }; },
).finally(() => { document.body.textContent = JSON.stringify(window.__result); });
