#!/usr/bin/env bash
# Hostile input to the sandbox: schemathesis (property-based API fuzzing from the sandbox's own
# OpenAPI description) against a --seed-demo sandbox, control endpoints excluded; it must find no
# 5xx or other check failure, the sandbox must stay up, and the seeded state must be intact.
# Installs schemathesis into .tools/ (gitignored) when missing; fails loudly if PyPI is out of
# reach. ST_MAX_EXAMPLES (per operation and phase) and ST_SEED bound and reproduce a run.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.tools/schemathesis
version=4.32.5
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  echo "installing schemathesis $version into $venv"
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"; then
    echo "FAILED: could not install schemathesis from PyPI (needed by 'make reliability')" >&2
    exit 1
  fi
fi

if [ "${1:-}" != "--with-url" ]; then
  export SANDBOX_ARGS=--seed-demo
  exec scripts/with-sandbox.sh "$0" --with-url "{URL}"
fi

url=$2
out=test-output/reliability
mkdir -p "$out"
rm -f "$out"/schemathesis-*.json
node tests/reliability/sandbox-state.js snapshot "$url" "$out/state-before.json"
status=0
# One worker: with two, hypothesis parses lambda sources on concurrent threads and CPython 3.11
# can fail with "AST constructor recursion depth mismatch" (a runtime error, not a finding).
.tools/schemathesis/bin/schemathesis run "$url/openapi.json" --url "$url" \
  --auth sandbox-key:sandbox-secret --exclude-tag sandbox-control \
  --max-examples "${ST_MAX_EXAMPLES:-200}" --seed "${ST_SEED:-20261125}" --workers 1 \
  --report json --report-json-path "$out/schemathesis.json" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`schemathesis: ${r.test_cases.generated} test cases over ${r.operations.tested}/${r.operations.selected} operations, ${r.test_cases.with_failures} with failures, ${r.errors.length} errors, seed ${r.seed}, ${Math.round(r.running_time)} s`);
' "$PWD/$out/schemathesis.json"
[ "$status" -eq 0 ] || { echo "FAILED: schemathesis found problems (exit $status)" >&2; exit "$status"; }
node tests/reliability/sandbox-state.js check "$url" "$out/state-before.json"
