#!/usr/bin/env bash
# `make wasm`: the wasm engine into the npm package (npm/wasm/, gitignored). Cargo builds
# incrementally; wasm-bindgen and wasm-opt (~15 s) run only when the module changed.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO=${CARGO:-cargo}
built=target/wasm32-unknown-unknown/wasm-release/conversations_wasm.wasm
out=npm/wasm

"$CARGO" build -p conversations-wasm --target wasm32-unknown-unknown --profile wasm-release
if [ ! -f "$out/conversations_bg.wasm" ] || [ ! -f "$out/conversations.mjs" ] || [ "$built" -nt "$out/conversations_bg.wasm" ]; then
  rm -rf "$out.tmp"
  wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" --out-name conversations "$built"
  # The features Rust enables by default for wasm32-unknown-unknown (the module uses externref).
  # --converge: rerun -Oz while it still shrinks the module; --zero-filled-memory: the module
  # defines its memory, which a new instance zero-fills; the producers and target_features
  # sections are read by no runtime. The import/export/module names become one or two letters
  # (the hashed wasm-bindgen names were 2 KB of the gzipped module): minify-glue.mjs renames them
  # in the glue from wasm-opt's mapping.
  names=target/wasm-bindgen-names.json
  features="--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
    --enable-sign-ext --enable-reference-types --enable-multivalue"
  # Names first (alone: under --converge the pass would print its mapping once per round).
  # shellcheck disable=SC2086
  npm/node_modules/.bin/wasm-opt --minify-imports-and-exports-and-modules $features \
    "$out.tmp/conversations_bg.wasm" -o "$out.tmp/conversations_bg.wasm" > "$names"
  # shellcheck disable=SC2086
  npm/node_modules/.bin/wasm-opt -Oz --converge --zero-filled-memory --strip-producers --strip-target-features \
    $features "$out.tmp/conversations_bg.wasm" -o "$out.tmp/conversations_bg.wasm"
  node bindings-wasm/minify-glue.mjs "$out.tmp" "$names"
  # The glue is an ES module: .mjs says so to every tool whatever the nearest package.json's
  # "type" (the package is "commonjs"; webpack read a .js glue as CommonJS and broke ./streamed).
  mv "$out.tmp/conversations.js" "$out.tmp/conversations.mjs"
  rm -rf "$out" && mv "$out.tmp" "$out"
fi
node bindings-wasm/package.mjs npm
