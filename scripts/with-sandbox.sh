#!/usr/bin/env bash
# Runs a command with a fresh sandbox: starts target/debug/conversations-sandbox on a free port,
# exports SANDBOX_URL, runs "$@" (with {URL} replaced by the URL), stops the sandbox, and exits
# with the command's status.
set -euo pipefail
bin=${SANDBOX_BIN:-target/debug/conversations-sandbox}
log=$(mktemp)
"$bin" --port 0 ${SANDBOX_ARGS:-} >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -n1 || true)
  [ -n "$url" ] && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.05
done
[ -n "${url:-}" ] || { echo "sandbox did not start" >&2; cat "$log" >&2; exit 1; }
export SANDBOX_URL=$url
args=()
for a in "$@"; do args+=("${a//\{URL\}/$url}"); done
set +e
"${args[@]}"
status=$?
exit $status
