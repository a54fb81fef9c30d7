#!/usr/bin/env bash
# `make wasm`: the wasm engine into the npm package (npm/wasm/, gitignored). Cargo builds
# incrementally; wasm-bindgen and wasm-opt (~15 s) run only when the module changed.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
built=target/wasm32-unknown-unknown/wasm-release/conversations_wasm.wasm
out=npm/wasm

"$CARGO" build -p conversations-wasm --target wasm32-unknown-unknown --profile wasm-release
if [ ! -f "$out/conversations_bg.wasm" ] || [ ! -f "$out/conversations.js" ] || [ "$built" -nt "$out/conversations_bg.wasm" ]; then
  rm -rf "$out.tmp"
  wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" --out-name conversations "$built"
  # The features Rust enables by default for wasm32-unknown-unknown (the module uses externref).
  npm/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-multivalue \
    "$out.tmp/conversations_bg.wasm" -o "$out.tmp/conversations_bg.wasm"
  rm -rf "$out" && mv "$out.tmp" "$out"
fi
node bindings-wasm/package.mjs npm
