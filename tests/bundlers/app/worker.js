// The Web Worker case: the package runs inside a dedicated worker.
import * as sdk from 'messagemedia-conversations-sdk';
import { check } from './check.js';

self.onmessage = (e) => {
  check(sdk, e.data).then(
    (result) => self.postMessage(result),
    (err) => self.postMessage({ error: `${err && err.name}: ${err && err.message}` }),
  );
};
