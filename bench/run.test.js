'use strict';

// The bench's own arithmetic (not its figures): ratios to the hand-written calls measured in
// another process go through raw node:http, and the report marks them as such.
// Run: node --test bench/run.test.js

const test = require('node:test');
const assert = require('node:assert/strict');
const { bridge } = require('./run');

const row = (vsHttp, extra = {}) => ({ us: { median: 1, p25: 1, p75: 1 }, vsHttp, cpuVsHttp: vsHttp, ...extra });

function handRun() {
  const rows = () => ({
    'raw node:http': row(1, { vsFetch: 0.5, vsUndici: 1.25 }),
    'raw fetch': row(2, { vsFetch: 1, vsUndici: 2.5 }),
    'raw undici': row(0.8, { vsFetch: 0.4, vsUndici: 1 }),
  });
  return { seq: { listAppUsers: rows(), sendMessage: rows() }, par: { listAppUsers: rows(), sendMessage: rows() } };
}

test('a package run gets the fetch and undici rows and its ratios to them through raw node:http', () => {
  const rows = () => ({ 'raw node:http': row(1), 'sdk modern': row(0.6) });
  const run = { seq: { listAppUsers: rows(), sendMessage: rows() }, par: { listAppUsers: rows(), sendMessage: rows() } };
  bridge(run, handRun());
  const par = run.par.sendMessage;
  assert.equal(par['sdk modern'].vsUndici, 0.6 * 1.25);
  assert.equal(par['sdk modern'].vsFetch, 0.6 * 0.5);
  assert.deepEqual(par['sdk modern'].bridged, ['vsFetch', 'vsUndici']);
  assert.equal(par['raw undici'].note, 'own process');
  assert.equal(par['raw undici'].vsHttp, 0.8);
});

test('a hand-written call measured in the run itself is not bridged', () => {
  const rows = () => ({ 'raw node:http': row(1, { vsFetch: 0.3 }), 'raw fetch': row(3.3, { vsFetch: 1 }), 'sdk modern': row(0.6, { vsFetch: 0.2 }) });
  const run = { seq: { listAppUsers: rows(), sendMessage: rows() }, par: { listAppUsers: rows(), sendMessage: rows() } };
  bridge(run, handRun());
  const seq = run.seq.listAppUsers;
  assert.equal(seq['sdk modern'].vsFetch, 0.2);
  assert.deepEqual(seq['sdk modern'].bridged, ['vsUndici']);
  assert.equal(seq['raw fetch'].note, undefined);
});
