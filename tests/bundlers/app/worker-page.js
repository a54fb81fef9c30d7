// The Web Worker case's page: starts the bundled worker, hands it the sandbox, shows its answer.
const q = new URLSearchParams(location.search);
const worker = new Worker('./worker.js');
worker.onmessage = (e) => { window.__result = e.data; document.body.textContent = JSON.stringify(e.data); };
worker.onerror = (e) => { window.__result = { error: `worker error: ${e.message}` }; };
worker.postMessage({ baseUrl: q.get('api'), username: q.get('key'), password: q.get('secret') });
