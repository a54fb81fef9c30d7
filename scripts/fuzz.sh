#!/usr/bin/env bash
# Coverage-guided fuzzing of response decoding and request building (fuzz/, cargo-fuzz/libFuzzer).
#   scripts/fuzz.sh            # every target for FUZZ_SECONDS (default 20) each: the `make test` run
#   FUZZ_SECONDS=600 scripts/fuzz.sh decode   # a long run of one target
# Seeds come from the conformance vectors; a crash fails the run and leaves its input under
# fuzz/artifacts/ (turn it into a vector in tests/vectors/ once fixed).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode request)

# cargo-fuzz drives libFuzzer through rustc's unstable sanitizer flags: the stable toolchain
# accepts them with RUSTC_BOOTSTRAP (the machine has one toolchain and no nightly to fetch).
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz --version 2>/dev/null | grep -q '0.13'; then
  cargo install cargo-fuzz --version '^0.13' --locked || cargo install cargo-fuzz --version '^0.13'
fi

python3 - <<'PY'
import base64, glob, json, os
ops = ["createSendMessage", "getAppUserMessages", "getAppUserById", "getAppUsers",
       "createConfigureAccount", "createIntegrateFacebookPage", "getFacebookPages",
       "getFacebookAuthorisationURL"]
for t in ("decode", "request"):
    os.makedirs(f"fuzz/corpus/{t}", exist_ok=True)
n = 0
for path in sorted(glob.glob("tests/vectors/*.json")):
    doc = json.load(open(path, encoding="utf-8"))
    for case in doc["cases"]:
        n += 1
        op = ops.index(case["op"]) if case.get("op") in ops else 0
        if case["kind"] == "decode":
            r = case["response"]
            body = base64.b64decode(r["bodyBase64"]) if "bodyBase64" in r else r["body"].encode()
            seed = bytes([op]) + r["status"].to_bytes(2, "big") + body
            open(f"fuzz/corpus/decode/vec{n}", "wb").write(seed)
        elif case["kind"] == "request":
            cfg = json.dumps(case.get("config", doc["config"]))
            body = "" if case.get("body") is None else json.dumps(case["body"])
            seed = "\0".join([cfg, "x" * op, case.get("id") or "", body, ""])
            open(f"fuzz/corpus/request/vec{n}", "wb").write(seed.encode())
        elif case["kind"] == "retry":
            seed = "\0".join(["", "x" * op, "", "", case.get("retryAfter") or ""])
            open(f"fuzz/corpus/request/vec{n}", "wb").write(seed.encode())
PY

for t in "${targets[@]}"; do
  echo "fuzzing $t for ${seconds}s"
  log=$(mktemp)
  if ! cargo fuzz run -O "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"; rm -f "$log"; echo "fuzz target $t FAILED"; exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done' "$log" | sed "s/^/  $t: /"
  rm -f "$log"
done
