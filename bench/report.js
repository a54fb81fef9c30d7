'use strict';

// Renders run.js's results as bench/RESULTS.md: the targets of issue #8 first (with the "before"
// figures of bench/baseline.json), then every measured figure with its spread.

const fs = require('node:fs');

const OPS = ['listAppUsers', 'sendMessage'];
// r.percall's key for the native engine on node:http selected explicitly ('native' is its default
// transport: Rust I/O in the addon, issue #18).
const NATIVE_NODE = 'native, node:http transport';
const f = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(d));
const us = (s) => `${f(s.median, 1)} (${f(s.p25, 1)}–${f(s.p75, 1)})`;
const kib = (b) => `${f(b / 1024, 1)} KiB`;

/** The figures the targets are judged on; `null` when not measured in this run. */
function keyFigures(r) {
  const worst = (engine, mode, field, surfaces = ['sdk modern', 'sdk compat']) => {
    const pc = r.percall[engine];
    if (!pc) return null;
    let w = -Infinity;
    for (const op of OPS) for (const v of surfaces) w = Math.max(w, pc[mode][op][v][field]);
    return w;
  };
  const imp = (name) => r.imports?.[name]?.overMs ?? null;
  return {
    nativeVsHttpSeq: worst('native', 'seq', 'vsHttp'),
    nativeVsHttpPar: worst('native', 'par', 'vsHttp'),
    nativeVsFetchSeq: worst('native', 'seq', 'vsFetch'),
    modernVsHttpPar: worst('native', 'par', 'vsHttp', ['sdk modern']),
    compatVsHttpPar: worst('native', 'par', 'vsHttp', ['sdk compat']),
    nativeVsUndiciSeq: worst('native', 'seq', 'vsUndici'),
    nativeVsUndiciPar: worst('native', 'par', 'vsUndici'),
    nodeVsHttpSeq: worst(NATIVE_NODE, 'seq', 'vsHttp'),
    nodeVsHttpPar: worst(NATIVE_NODE, 'par', 'vsHttp'),
    wasmVsFetchSeq: worst('wasm', 'seq', 'vsFetch'),
    wasmVsFetchPar: worst('wasm', 'par', 'vsFetch'),
    rustVsRawSeq: r.rust ? Math.max(...OPS.map((op) => r.rust.client.seq[op].ratio)) : null,
    rustVsRawPar: r.rust ? Math.max(...OPS.map((op) => r.rust.client.par[op].ratio)) : null,
    importRequireMs: imp('require (native)'),
    importImportMs: imp('import (native)'),
    importFirstClientMs: imp('require + first client (native)'),
    importWasmMs: r.imports?.['require + first client (wasm)'] ? imp('require + first client (wasm)') : null,
    decodeRatio: r.decode.native?.history.ratio ?? null,
    decodeRatioWasm: r.decode.wasm?.history.ratio ?? null,
    wasmGzipKB: r.wasmGzipBytes ? r.wasmGzipBytes / 1000 : null,
    browserVsFetchSeq: r.browser ? Math.max(...OPS.map((op) => r.browser.percall.seq[op].ratio)) : null,
    browserVsFetchPar: r.browser ? Math.max(...OPS.map((op) => r.browser.percall.par[op].ratio)) : null,
    browserTotalGzipKB: r.browser ? r.browser.entries.find((e) => e.name.includes('(default)')).totalGzip / 1000 : null,
    rssGrowthSettledMiB: r.memory ? rssGrowth(r.memory, 'settled') : null,
    rssGrowthMiB: r.memory ? rssGrowth(r.memory, 'loaded') : null,
    rssGrowthOverRawMiB: r.memory && r.memoryRaw ? rssGrowth(r.memory, 'loaded') - rssGrowth(r.memoryRaw, 'loaded') : null,
    nativeCpuVsHttpSeq: r.percall.native
      ? Math.max(...OPS.flatMap((op) => ['sdk modern', 'sdk compat'].map((v) => r.percall.native.seq[op][v].cpuVsHttp ?? NaN))) : null,
  };
}

/** RSS growth 1k → end in MiB, `settled` or `loaded` (see memory.js); older results had one sample. */
function rssGrowth(m, when) {
  const rss = (at) => (at[when] ?? at).rss;
  return (rss(m.atEnd) - rss(m.at1k)) / (1 << 20);
}

function loadBaseline(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const TARGETS = [
  ['per-call, native engine (default transport) / raw node:http keep-alive (sequential, worst op & surface)', 'nativeVsHttpSeq', '≤ 1.10', (x) => x <= 1.10, 2],
  ['… same, 64 in flight', 'nativeVsHttpPar', '≤ 1.10', (x) => x <= 1.10, 2],
  ['… native engine on node:http (selected), sequential', 'nodeVsHttpSeq', '≤ 1.10', (x) => x <= 1.10, 2],
  ['… native engine on node:http (selected), 64 in flight', 'nodeVsHttpPar', '≤ 1.10', (x) => x <= 1.10, 2],
  ['issue #18: per-call, native engine (default transport) / raw node:http, sequential, worst op & surface', 'nativeVsHttpSeq', '≤ 0.95', (x) => x <= 0.95, 2],
  ['issue #18: … modern client, 64 in flight, worst op', 'modernVsHttpPar', '≤ 0.80', (x) => x <= 0.80, 2],
  ['issue #18: … compat surface, 64 in flight, worst op', 'compatVsHttpPar', '≤ 0.85', (x) => x <= 0.85, 2],
  ['… / raw undici Pool.request (sequential, worst op & surface; ≈ via raw node:http)', 'nativeVsUndiciSeq', '—', () => true, 2],
  ['… same, 64 in flight', 'nativeVsUndiciPar', '—', () => true, 2],
  ['… client CPU per call / raw node:http\'s (sequential; diagnostic)', 'nativeCpuVsHttpSeq', '—', () => true, 2],
  ['per-call, native engine / raw fetch (sequential)', 'nativeVsFetchSeq', '≈ 0.5', () => true, 2],
  ['per-call, wasm engine in Node / raw fetch (sequential)', 'wasmVsFetchSeq', '≤ 1.15', (x) => x <= 1.15, 2],
  ['… same, 64 in flight', 'wasmVsFetchPar', '≤ 1.15', (x) => x <= 1.15, 2],
  ['Rust client / raw reqwest (sequential, worst op)', 'rustVsRawSeq', '≤ 1.05', (x) => x <= 1.05, 3],
  ['… same, 64 in flight', 'rustVsRawPar', '≤ 1.05', (x) => x <= 1.05, 3],
  ['import over bare node: `require` (native), ms', 'importRequireMs', '≤ +15 ms', (x) => x <= 15, 1],
  ['import over bare node: `import` (native), ms', 'importImportMs', '≤ +15 ms', (x) => x <= 15, 1],
  ['require + first client (loads the addon), ms', 'importFirstClientMs', '≤ +15 ms', (x) => x <= 15, 1],
  ['require + first client (wasm engine), ms', 'importWasmMs', '≤ +15 ms', (x) => x <= 15, 1],
  ['decode 10k-message history / JSON.parse (native)', 'decodeRatio', '≤ 2.0', (x) => x <= 2.0, 2],
  ['decode 10k-message history / JSON.parse (wasm)', 'decodeRatioWasm', '≤ 2.0', (x) => x <= 2.0, 2],
  ['wasm gzipped, KB', 'wasmGzipKB', '≤ 60 KB', (x) => x <= 60, 1],
  ['per-call, wasm engine in Chromium / hand-written fetch (sequential, worst op)', 'browserVsFetchSeq', '≤ 1.10', (x) => x <= 1.10, 2],
  ['… same, 64 in flight', 'browserVsFetchPar', '≤ 1.10', (x) => x <= 1.10, 2],
  ['what a browser downloads for the default entry (esbuild --minify bundle, wasm inlined), gzip, KB', 'browserTotalGzipKB', '≤ 75 KB', (x) => x <= 75, 1],
  ['RSS growth 1k → 100k calls, MiB (package, settled: 6 s idle + full GC)', 'rssGrowthSettledMiB', '< 5 MiB', (x) => x < 5, 2],
  ['… same, right after the calls (V8 young generation still enlarged)', 'rssGrowthMiB', '—', () => true, 2],
  ['… same right after the calls, beyond the same calls made with node:http by hand, MiB', 'rssGrowthOverRawMiB', '—', () => true, 2],
];

function render(r, baseline) {
  const k = keyFigures(r);
  const b = baseline?.figures ?? {};
  const L = [];
  L.push('# Benchmarks (issues #8, #14, #18)', '');
  L.push(`Written by \`make bench\` (bench/run.js) in ${f(r.seconds, 0)} s on ${r.cpus} cores, Node ${r.node}; `
    + `1-minute load average ${f(r.load[0], 2)} at the start, ${f(r.load[1], 2)} at the end. `
    + 'The machine is shared and noisy: every ratio is taken between variants interleaved in the same '
    + 'rounds of one process (median of per-round ratios); times are medians with the p25–p75 spread. '
    + 'Nothing here is asserted by tests.', '');
  L.push('## Targets', '');
  L.push(`| figure | target | before${baseline?.label ? ` (${baseline.label})` : ''} | now | met |`);
  L.push('|---|---|---|---|---|');
  for (const [label, key, target, ok, d] of TARGETS) {
    const now = k[key];
    const met = now === null ? 'n/a (not built)' : target === '—' ? '' : ok(now) ? 'yes' : '**no**';
    L.push(`| ${label} | ${target} | ${b[key] === undefined || b[key] === null ? 'n/a' : f(b[key], d)} | ${now === null ? 'n/a (not built)' : f(now, d)} | ${met} |`);
  }
  L.push('');

  L.push('## 1. Per-call time (µs per call, median and p25–p75 of per-round means)', '');
  L.push('Local keep-alive node:http server in its own process; canned bodies. "raw" variants send the same '
    + 'headers and parse the JSON body, as a careful hand-written call would. Ratios are per-round, then the median. '
    + 'The native engine runs in a process without fetch or undici, one process per Node transport: its default '
    + '(Rust I/O in the addon, issue #18) and node:http selected explicitly (`CONVERSATIONS_TRANSPORT=node`). '
    + 'The raw fetch and raw undici (`Pool.request`, undici from bench/io/package-lock.json) rows come from a separate '
    + 'process against raw node:http, and ratios to them go through raw node:http (marked ≈). Client CPU is this '
    + 'process\'s user+system time per call (all its threads: the addon\'s I/O thread too): the client\'s own cost, '
    + 'less disturbed by the server and other load.', '');
  const headings = { native: 'native engine, default transport', [NATIVE_NODE]: 'native engine, node:http transport (selected)', wasm: 'wasm engine' };
  for (const [key, heading] of Object.entries(headings)) {
    const pc = r.percall[key];
    L.push(`### ${heading}`, '');
    if (!pc) {
      L.push(key === 'wasm' ? 'n/a (not built): `make wasm` builds npm/wasm/, then `make bench` picks it up.' : 'n/a (not measured in this run)', '');
      continue;
    }
    L.push('| op | mode | variant | µs/call | / raw node:http | / raw fetch | / raw undici | client CPU µs/call | CPU / raw node:http |',
      '|---|---|---|---|---|---|---|---|---|');
    for (const [mode, label] of [['seq', 'sequential'], ['par', '64 in flight']]) {
      for (const op of OPS) {
        for (const [name, row] of Object.entries(pc[mode][op])) {
          const vs = (field) => `${row.bridged?.includes(field) ? '≈ ' : ''}${f(row[field])}`;
          const vsHttp = row.note ? `(${row.note}) ${f(row.vsHttp)}` : f(row.vsHttp);
          L.push(`| ${op} | ${label} | ${name} | ${us(row.us)} | ${vsHttp} | ${vs('vsFetch')} | ${vs('vsUndici')} | ${row.cpuUs ? us(row.cpuUs) : 'n/a'} | ${f(row.cpuVsHttp)} |`);
        }
      }
    }
    L.push('');
  }
  L.push('### Rust: `conversations_core::Client` vs reqwest called raw (same server, same reqwest settings)', '');
  if (r.rust) {
    L.push('| op | mode | raw reqwest µs | our client µs | ratio |', '|---|---|---|---|---|');
    for (const [mode, label] of [['seq', 'sequential'], ['par', '64 in flight']]) {
      for (const op of OPS) {
        const c = r.rust.client[mode][op];
        L.push(`| ${op} | ${label} | ${us(c.raw)} | ${us(c.sdk)} | ${f(c.ratio, 3)} |`);
      }
    }
  } else L.push('skipped (BENCH_SKIP_RUST=1)');
  L.push('');

  L.push(`## 2. Import cost (median of ${r.imports['bare node'].ms.n} process starts each, interleaved)`, '');
  L.push('| command | ms (p25–p75) | over bare node, ms | peak RSS MiB | over bare, MiB |', '|---|---|---|---|---|');
  for (const [name, s] of Object.entries(r.imports)) {
    L.push(`| ${name} | ${us(s.ms)} | ${f(s.overMs, 1)} | ${f(s.rssMiB, 1)} | ${f(s.overRssMiB, 1)} |`);
  }
  L.push('', '`require`/`import` load only the JS layer (the engine loads on the first client); the "first client" row '
    + 'adds loading the addon or wasm module.', '');

  L.push('## 3. Decode', '');
  L.push('| engine | body | JSON.parse alone, ms | package decode, ms | ratio |', '|---|---|---|---|---|');
  for (const engine of ['native', 'wasm']) {
    const d = r.decode[engine];
    if (!d) {
      L.push(`| ${engine} | 10,000 messages | n/a (not built) | | |`);
      continue;
    }
    const ms = (s) => ({ median: s.median / 1000, p25: s.p25 / 1000, p75: s.p75 / 1000 });
    L.push(`| ${engine} | 10,000 messages, ${f(d.history.bytes / 1e6, 2)} MB | ${us(ms(d.history.parse))} | ${us(ms(d.history.pkg))} | ${f(d.history.ratio)} |`);
  }
  L.push('', 'Engine fixed costs per call (µs, in-process, tiny bodies):', '');
  L.push(`| step | ${['native', 'wasm'].filter((e) => r.decode[e]).join(' | ')} |`, `|---|${['native', 'wasm'].filter((e) => r.decode[e]).map(() => '---|').join('')}`);
  for (const step of Object.keys(r.decode.native.micro)) {
    L.push(`| ${step} | ${['native', 'wasm'].filter((e) => r.decode[e]).map((e) => us(r.decode[e].micro[step])).join(' | ')} |`);
  }
  L.push('');
  if (r.rust) {
    L.push('Rust decode (criterion, median and 95 % interval):', '');
    L.push('| benchmark | time | throughput MiB/s |', '|---|---|---|');
    for (const [name, d] of Object.entries(r.rust.decode)) {
      const t = d.ns > 1e6 ? `${f(d.ns / 1e6, 2)} ms (${f(d.lo / 1e6, 2)}–${f(d.hi / 1e6, 2)})` : `${f(d.ns / 1e3, 2)} µs (${f(d.lo / 1e3, 2)}–${f(d.hi / 1e3, 2)})`;
      L.push(`| ${name} | ${t} | ${f(d.mibps, 0)} |`);
    }
    L.push('');
  }

  L.push('## 4. Sizes', '');
  L.push('| artifact | size |', '|---|---|');
  L.push(`| npm tarball (${r.pkg.files} files) | ${kib(r.pkg.tarballBytes)} |`);
  L.push(`| unpacked | ${kib(r.pkg.unpackedBytes)} |`);
  L.push(`| native addon (linux-x64-gnu, release; engine and Rust I/O, both Node transports use it) | ${kib(r.pkg.addonBytes)} |`);
  L.push(`| native addon, gzip -9 (its share of the tarball) | ${r.pkg.addonGzipBytes ? kib(r.pkg.addonGzipBytes) : 'n/a'} |`);
  L.push(`| wasm, raw | ${r.wasmBytes ? kib(r.wasmBytes) : 'n/a (not built)'} |`);
  L.push(`| wasm, gzip -9 | ${r.wasmGzipBytes ? `${kib(r.wasmGzipBytes)} (${f(r.wasmGzipBytes / 1000, 1)} KB)` : 'n/a (not built)'} |`);
  L.push('');

  L.push('## 5. Memory (listAppUsers and sendMessage alternating, 16 in flight)', '');
  L.push('Each sample is taken twice: right after the calls (3 forced GCs), and settled (6 s idle, full GC, 6 s, full GC). '
    + 'Under sustained allocation V8 enlarges its young generation ("heap total") whoever allocates; after a few seconds of '
    + 'low allocation a full GC shrinks it again and its pages go back to the OS. The settled figure is what the process kept.', '');
  const mib = (x) => f(x / (1 << 20), 1);
  L.push('| process | after | when | RSS MiB | heap used MiB | heap total MiB | external MiB |', '|---|---|---|---|---|---|---|');
  for (const [label, m] of [['package (native engine)', r.memory], ['node:http by hand', r.memoryRaw]]) {
    if (!m) continue;
    for (const when of ['loaded', 'settled']) {
      const at1k = m.at1k[when] ?? m.at1k;
      const atEnd = m.atEnd[when] ?? m.atEnd;
      const row = (at, calls) => `| ${label} | ${calls} | ${when} | ${mib(at.rss)} | ${mib(at.heapUsed)} | ${mib(at.heapTotal)} | ${mib(at.external)} |`;
      L.push(row(at1k, '1,000 calls'), row(atEnd, `${m.calls.toLocaleString('en')} calls`));
      L.push(`| ${label} | growth | ${when} | ${f((atEnd.rss - at1k.rss) / (1 << 20), 2)} | ${f((atEnd.heapUsed - at1k.heapUsed) / (1 << 20), 2)} | ${f((atEnd.heapTotal - at1k.heapTotal) / (1 << 20), 2)} | |`);
    }
  }
  L.push('');
  if (r.idle) {
    L.push('### Memory per idle client (bench/io/run.js --idle)', '');
    L.push(`Each row a fresh process: one client makes a call (module loading, JIT and the addon's shared I/O runtime are in the `
      + `baseline), then ${r.idle['raw node:http']?.kept ?? 'n'} more clients make one call each and stay idle; after full GCs, the growth `
      + 'divided by the clients. Tens of KiB are at the resolution of RSS pages on a shared machine.', '');
    L.push('| client | RSS KiB/client | JS heap + external KiB/client |', '|---|---|---|');
    for (const [name, m] of Object.entries(r.idle)) L.push(`| ${name} | ${f(m.rssKiB, 1)} | ${f(m.jsKiB, 1)} |`);
    L.push('');
  }

  if (r.browser) {
    const b = r.browser;
    L.push('## 6. Browser (headless Chromium, issue #14)', '');
    L.push(`${b.chromium}. bench/browser.mjs: one local server answers the page, the bundle and the API (same origin). `
      + 'Each entry option is bundled by esbuild (--bundle --minify) into a page that makes one client and one call; '
      + `first call = navigation start → the call's result, median (p25–p75) of ${b.loads} fresh loads (new context: no cache). `
      + '"client" is the time `new ConversationsClient` takes (where the inlined options decode and compile the module).', '');
    L.push('| browser entry option | JS raw | JS gzip | .wasm raw | .wasm gzip | total gzip | module evaluated, ms | client, ms | first call, ms |');
    L.push('|---|---|---|---|---|---|---|---|---|');
    for (const e of b.entries) {
      L.push(`| ${e.name} | ${kib(e.jsBytes)} | ${kib(e.jsGzip)} | ${e.wasmBytes ? kib(e.wasmBytes) : '—'} | ${e.wasmGzip ? kib(e.wasmGzip) : '—'} `
        + `| ${kib(e.totalGzip)} (${f(e.totalGzip / 1000, 1)} KB) | ${f(e.evaluatedMs.median, 0)} | ${f(e.clientMs.median, 1)} | ${us(e.firstCallMs)} |`);
    }
    L.push('');
    L.push(`Per call (µs, median and p25–p75 of ${b.rounds} pairs of batches; ratio = median of per-pair ratios): the package's client `
      + '(`sdk modern`, the wasm engine doing its own fetch) against a hand-written `fetch` with the same headers, status check and JSON parse.', '');
    L.push('"Renderer task µs/call" is the page main thread\'s time inside tasks (CDP `Performance.getMetrics` TaskDuration) per call: '
      + 'wall time, so also stretched by other load, but blind to the network service and the server.', '');
    L.push('| op | mode | raw fetch µs/call | sdk modern µs/call | sdk / raw fetch | renderer task µs/call, raw / sdk | ratio |', '|---|---|---|---|---|---|---|');
    for (const [mode, label] of [['seq', 'sequential'], ['par', '64 in flight']]) {
      for (const op of OPS) {
        const row = b.percall[mode][op];
        L.push(`| ${op} | ${label} | ${us(row['raw fetch'])} | ${us(row['sdk modern'])} | ${f(row.ratio)} (${f(row.ratioSpread.p25)}–${f(row.ratioSpread.p75)}) `
          + `| ${f(row['raw fetch cpu']?.median, 0)} / ${f(row['sdk modern cpu']?.median, 0)} | ${f(row.cpuRatio)} |`);
      }
    }
    L.push('');
  }

  return `${L.join('\n')}\n`;
}

module.exports = { render, keyFigures, loadBaseline, NATIVE_NODE };
