// The conformance-vector runner (format: README.md here), shared by every JS runtime: the Node
// tests (npm/test/vectors.test.js, native or wasm engine) and headless Chromium
// (tests/browser/vectors.test.js). Plain ES2022, no Node or browser API beyond atob and
// TextEncoder, so the same logic runs everywhere. A case it cannot run fails; nothing is skipped.

/** Canonical JSON (sorted keys) of plain data, for deep equality that ignores key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).filter((k) => value[k] !== undefined).sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value === undefined ? null : value);
}

function fail(message) {
  throw new Error(message);
}

function sameJson(actual, expected, what) {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) fail(`${what}:\n  expected ${e}\n  actual   ${a}`);
}

function checkError(actual, expected, where) {
  if (!actual) fail(`${where}: expected an error ${JSON.stringify(expected)}, got none`);
  for (const key of Object.keys(expected)) sameJson(actual[key] ?? null, expected[key], `${where}: error.${key}`);
}

function bytesOf(response) {
  if (typeof response.bodyBase64 === 'string') return Uint8Array.from(atob(response.bodyBase64), (c) => c.charCodeAt(0));
  if (typeof response.body === 'string') return new TextEncoder().encode(response.body);
  return fail('decode case needs response.body or response.bodyBase64');
}

function runRequest(Engine, config, c) {
  const engine = new Engine(config);
  const configError = engine.configError();
  if (c.error && configError) {
    checkError(configError, c.error, 'configError()');
    return;
  }
  const body = typeof c.bodyJson === 'string' ? c.bodyJson
    : c.body === undefined || c.body === null ? null : JSON.stringify(c.body);
  const passthrough = c.passthrough === true;
  const built = passthrough ? engine.request(c.op, c.id ?? null, body, true) : engine.request(c.op, c.id ?? null, body);
  if (c.request) {
    if ((built.error ?? null) !== null) fail(`unexpected error ${JSON.stringify(built.error)}`);
    sameJson({ method: built.method, url: built.url, headers: built.headers, body: built.body }, c.request, 'request');
  } else if (c.error) {
    checkError(built.error, c.error, 'request()');
  } else {
    fail('request case has neither "request" nor "error"');
  }
  // The optional fast path (ENGINE.md) must build the same request, or the same error.
  if (typeof engine.requestLine === 'function') {
    const line = passthrough ? engine.requestLine(c.op, c.id ?? null, body, true) : engine.requestLine(c.op, c.id ?? null, body);
    if (line.charCodeAt(0) === 123) {
      if (!c.error) fail(`requestLine: unexpected error ${line}`);
      checkError(JSON.parse(line).error, c.error, 'requestLine()');
    } else {
      if (!c.request) fail(`requestLine: expected an error, got ${JSON.stringify(line)}`);
      const nl = line.indexOf('\n');
      sameJson(nl < 0 ? { url: line, body: null } : { url: line.slice(0, nl), body: line.slice(nl + 1) },
        { url: c.request.url, body: c.request.body }, 'requestLine');
    }
  }
}

function runDecode(Engine, config, c) {
  const engine = new Engine(config);
  const { response } = c;
  if (!response || typeof response.status !== 'number') fail('decode case needs response.status');
  const result = JSON.parse(engine.decode(c.op, response.status, bytesOf(response)));
  if ('output' in c) {
    if ((result.error ?? null) !== null) fail(`unexpected error ${JSON.stringify(result.error)}`);
    sameJson(result.ok, c.output, 'output');
  } else if (c.error) {
    checkError(result.error, c.error, 'decode()');
  } else {
    fail('decode case has neither "output" nor "error"');
  }
}

function runRetry(Engine, config, c) {
  const engine = new Engine(config);
  for (const key of ['op', 'attempt', 'outcome', 'status', 'elapsedMs', 'nowMs', 'random', 'delayMs']) {
    if (!(key in c)) fail(`retry case lacks "${key}"`);
  }
  // The pipeline's question after an attempt (ENGINE.md, after), the attempt having been sent
  // with the full per-attempt timeout.
  const report = {
    op: c.op, attempt: c.attempt, budgetMs: engine.policy().timeoutMs, elapsedMs: c.elapsedMs, nowMs: c.nowMs, random: c.random,
  };
  if (c.outcome === 'status') Object.assign(report, { status: c.status, retryAfter: c.retryAfter ?? null });
  else report.failure = c.outcome;
  const next = engine.after(report);
  const delay = next.end === null ? next.delayMs : -1;
  if (!(Math.abs(delay - c.delayMs) <= 0.001)) fail(`delayMs: expected ${c.delayMs}, actual ${delay}`);
}

// Inbound callbacks (callbacks.json): the Engine class's static parseCallback.
function runCallback(Engine, _config, c) {
  if (typeof Engine.parseCallback !== 'function') fail('the engine has no static parseCallback');
  const date = Object.entries(c.headers ?? {}).find(([name]) => name.toLowerCase() === 'date');
  const result = JSON.parse(Engine.parseCallback(date ? date[1] : null, bytesOf(c), c.maxAgeMs ?? -1, c.nowMs ?? 0));
  if ('event' in c) {
    if ((result.error ?? null) !== null) fail(`unexpected error ${JSON.stringify(result.error)}`);
    sameJson(result.ok, c.event, 'event');
  } else if (c.error) {
    checkError(result.error, c.error, 'parseCallback()');
  } else {
    fail('callback case has neither "event" nor "error"');
  }
}

const RUNNERS = { request: runRequest, decode: runDecode, retry: runRetry, callback: runCallback };

/**
 * Runs every case of one vector file against an Engine class (npm/ENGINE.md).
 * @param {new (config: object) => any} Engine
 * @param {{ config?: object, cases: any[] }} doc the parsed file
 * @returns {{ name: string, error: string | null }[]} one entry per case, `error` null when it passed
 */
export function runFile(Engine, doc) {
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) return [{ name: '(file)', error: 'file has no cases' }];
  const names = new Set();
  return doc.cases.map((c) => {
    const name = typeof c.name === 'string' ? c.name : '(unnamed)';
    try {
      if (typeof c.name !== 'string' || names.has(c.name)) fail(`case name missing or repeated: ${c.name}`);
      names.add(c.name);
      const run = RUNNERS[c.kind] ?? fail(`unknown kind ${JSON.stringify(c.kind)}`);
      run(Engine, c.config ?? doc.config ?? {}, c);
      return { name, error: null };
    } catch (err) {
      return { name, error: String(err && err.message ? err.message : err) };
    }
  });
}
