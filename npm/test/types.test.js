'use strict';

// The .d.ts files: typed usage of both surfaces compiles under --strict; misuse does not.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const dir = path.join(__dirname, 'types');
const tsc = path.join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc');
const FLAGS = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node'];

function compile(files) {
  const r = spawnSync(process.execPath, [tsc, ...FLAGS, ...files], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('typescript is installed (npm install in npm/)', () => {
  assert.ok(fs.existsSync(tsc), 'run `npm install` in npm/ first');
});

test('ok.ts and ok.mts (both surfaces, CJS and ESM types) compile with --strict', { skip: !fs.existsSync(tsc) && 'no typescript' }, () => {
  const { status, out } = compile(['ok.ts', 'ok.mts']);
  assert.equal(status, 0, out);
});

test('bad.ts fails to compile, exactly on the lines marked BAD', { skip: !fs.existsSync(tsc) && 'no typescript' }, () => {
  const { status, out } = compile(['bad.ts']);
  assert.notEqual(status, 0, 'bad.ts compiled');
  const marked = fs.readFileSync(path.join(dir, 'bad.ts'), 'utf8').split('\n')
    .map((line, i) => (/\/\/ BAD/.test(line) ? i + 1 : 0)).filter(Boolean);
  const failed = [...new Set([...out.matchAll(/^bad\.ts\((\d+),\d+\): error/gm)].map((m) => Number(m[1])))];
  assert.deepEqual(failed.sort((a, b) => a - b), marked, out);
});
