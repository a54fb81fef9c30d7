# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# here when missing (and skipped when present).
SHELL := /bin/bash
.DEFAULT_GOAL := test
CARGO ?= cargo
NPM_DIR := npm
ADDON := $(NPM_DIR)/conversations.linux-x64-gnu.node
# The wasm-bindgen-cli version must equal the wasm-bindgen crate's in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)

.PHONY: bench bench-instructions bench-pkg bench-io dropin-deps test fuzz reliability postman rust-test lint addon node-deps node-test demo sandbox-bin package clean wasm wasm-tools chromium browser-test dashboard bundlers bundler-tools

## Every test: formatting, lints, Rust, Node, fuzzing (bounded).
test: lint rust-test node-test browser-test bundlers reliability postman fuzz

lint: wasm-tools
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings
	$(CARGO) clippy -p conversations-wasm --target wasm32-unknown-unknown -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --workspace --all-features --quiet

rust-test:
	$(CARGO) test --workspace --all-features

## The napi addon, debug build (fast to compile; tests use it).
addon:
	$(CARGO) build -p conversations-node
	cp target/debug/libconversations_node.so $(ADDON)

## The publishable tarball (release addon, and the wasm engine when built) in dist/.
package: docs-tools
	scripts/package.sh

node-deps: $(NPM_DIR)/node_modules/.package-lock.json
$(NPM_DIR)/node_modules/.package-lock.json: $(NPM_DIR)/package.json $(wildcard $(NPM_DIR)/package-lock.json)
	cd $(NPM_DIR) && npm ci --no-audit --no-fund
	touch $@

node-test: addon wasm node-deps sandbox-bin dropin-deps
	node --test --test-concurrency=2 $(NPM_DIR)/test/ tests/dropin/
	@echo "--- the same modern, compat, drop-in and vector tests on the wasm engine"
	CONVERSATIONS_ENGINE=wasm node --test --test-concurrency=2 $(NPM_DIR)/test/client.test.js $(NPM_DIR)/test/compat.test.js $(NPM_DIR)/test/vectors.test.js $(NPM_DIR)/test/newcomer.test.js tests/dropin/
	@echo "--- the suites that do I/O, on the native engine's other selectable I/O, node:http (about 25 s)"
	CONVERSATIONS_TRANSPORT=node node --test --test-concurrency=2 $(NPM_DIR)/test/client.test.js $(NPM_DIR)/test/compat.test.js $(NPM_DIR)/test/newcomer.test.js $(NPM_DIR)/test/sandbox-flow.test.js tests/dropin/

## The original SDK (../shared/original-sdk, read-only) copied into .tools/original-sdk with its three
## runtime dependencies pinned by tests/dropin/original/: the oracle of the side-by-side suite.
DROPIN_ORIGINAL := .tools/original-sdk
dropin-deps: $(DROPIN_ORIGINAL)/node_modules/.package-lock.json
$(DROPIN_ORIGINAL)/node_modules/.package-lock.json: tests/dropin/original/package.json tests/dropin/original/package-lock.json
	rm -rf $(DROPIN_ORIGINAL) && mkdir -p $(DROPIN_ORIGINAL)
	cp -r ../shared/original-sdk/lib ../shared/original-sdk/LICENSE $(DROPIN_ORIGINAL)/
	cp tests/dropin/original/package.json tests/dropin/original/package-lock.json $(DROPIN_ORIGINAL)/
	cd $(DROPIN_ORIGINAL) && npm ci --omit=dev --no-audit --no-fund

## The wasm engine into npm/wasm/ (prints its size): cargo (wasm-release profile), wasm-bindgen
## --target web, wasm-opt -Oz from the binaryen devDependency; see bindings-wasm/build.sh.
wasm: wasm-tools node-deps
	bindings-wasm/build.sh

wasm-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] \
	  || $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

chromium:
	@[ -x /usr/bin/chromium ] || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

## The browser build in headless Chromium: vectors, browser safety, errors, the dashboard end to end.
browser-test: wasm chromium node-deps sandbox-bin
	node --test --test-concurrency=1 tests/browser/

## The packed tarball in every bundler and runtime at zero configuration, each app calling the
## sandbox (tests/bundlers/run.mjs): esbuild, Vite 5/6/current (build and dev), webpack 5, Rollup,
## Parcel, bun build, a Web Worker (in Chromium); Node CJS/ESM, Bun, Deno, workerd. Prints a table.
## The tools are tests/bundlers/package.json's, pinned by its lockfile.
BUNDLERS_DIR := tests/bundlers
bundlers: wasm chromium node-deps sandbox-bin bundler-tools
	scripts/package.sh
	node $(BUNDLERS_DIR)/run.mjs

bundler-tools: $(BUNDLERS_DIR)/node_modules/.package-lock.json
$(BUNDLERS_DIR)/node_modules/.package-lock.json: $(BUNDLERS_DIR)/package.json $(BUNDLERS_DIR)/package-lock.json
	cd $(BUNDLERS_DIR) && npm ci --no-audit --no-fund
	touch $@

## examples/dashboard/ over a sandbox with the demo world; prints the URL to open.
dashboard: wasm sandbox-bin
	node examples/dashboard/serve.mjs

## Reliability (tests/reliability/): the fault matrix on every engine (native, wasm in Node,
## Chromium), cancellation, credential canary and soak, then schemathesis against the sandbox;
## then the native engine's matrix on node:http too (CONVERSATIONS_TRANSPORT=node; its default is
## the Rust I/O). The Rust client's half of the matrix (core/tests/reliability.rs) runs in rust-test.
reliability: addon wasm chromium node-deps sandbox-bin
	node --test --test-concurrency=1 tests/reliability/
	@echo "--- the native engine's fault matrix, cancellation and canary on node:http (about 35 s)"
	CONVERSATIONS_TRANSPORT=node node --test --test-concurrency=1 --test-name-pattern="native engine" tests/reliability/matrix.test.js
	tests/reliability/schemathesis.sh

## MessageMedia's own Postman collection (../shared/postman/, unchanged) with newman (pinned in
## tests/postman/package-lock.json) against a fresh sandbox: all 9 requests must answer 2xx.
postman: sandbox-bin tests/postman/node_modules/.package-lock.json
	node --test tests/postman/

tests/postman/node_modules/.package-lock.json: tests/postman/package.json tests/postman/package-lock.json
	cd tests/postman && npm ci --no-audit --no-fund
	touch $@

## Fuzz each target for FUZZ_SECONDS (default 20); long runs: FUZZ_SECONDS=600 make fuzz.
fuzz:
	scripts/fuzz.sh

sandbox-bin:
	$(CARGO) build -p conversations-sandbox

## Inbound (issue 16): the packed tarball in a fresh project without Rust (sandbox, callback
## receiver, fetch handler, watchInbound, npx), and the receiver examples and quickstart.
## The callback handler's own suite (npm/test/callback.test.js) runs in node-test.
.PHONY: inbound-test
test: inbound-test
inbound-test: addon node-deps sandbox-bin package
	node --test --test-concurrency=1 tests/inbound/

examples/node/node_modules/.package-lock.json: examples/node/package.json
	cd examples/node && npm install --no-audit --no-fund --no-package-lock
	touch $@

## The README's demo: the Node quickstart against a fresh sandbox.
demo: addon sandbox-bin examples/node/node_modules/.package-lock.json
	@scripts/with-sandbox.sh node examples/node/quickstart.js {URL}

## Benchmarks (issues #8, #14, #18) into bench/RESULTS.md: the release addon and the wasm engine as
## packaged, a local keep-alive server, then bench/run.js (the package on each Node transport against
## node:http and undici by hand; undici is bench/io's devDependency, from its lockfile). The Rust benches build without LTO to fit the
## 10-minute budget; each compares variants inside one binary, so ratios are unaffected.
BENCH_CARGO := CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16
bench: wasm bundler-tools bench/io/node_modules/.package-lock.json
	$(CARGO) build -p conversations-node --release
	$(BENCH_CARGO) $(CARGO) bench -p conversations-core --features client --no-run
	node --test bench/run.test.js
	$(BENCH_CARGO) node bench/run.js

## User-space instructions per call (callgrind), node:http and undici by hand vs the package on each
## Node transport: repeatable to ~0.5 %.
bench-instructions: bench-pkg bench/io/node_modules/.package-lock.json
	BENCH_PKG=target/bench-pkg node bench/instructions.js

## The package's JS layer with the release addon in target/bench-pkg (what the benches require).
bench-pkg:
	$(CARGO) build -p conversations-node --release
	rm -rf target/bench-pkg && mkdir -p target/bench-pkg
	cp -r $(NPM_DIR)/index.js $(NPM_DIR)/package.json $(NPM_DIR)/lib target/bench-pkg/
	cp target/release/libconversations_node.so target/bench-pkg/conversations.linux-x64-gnu.node

## Issue #18, the native engine's I/O candidates (bench/io/README.md): hand-written node:http and
## undici, node:http and undici driving the engine, and the package (on its default transport, the
## addon's Rust I/O). Prints the tables (instructions, time, memory, start-up, sizes; under 40 min
## on a quiet machine) and writes them to target/bench-io/. BENCH_IO_PARTS="time memory" runs only
## those parts.
bench-io: bench-pkg bench/io/node_modules/.package-lock.json
	node --test bench/io/
	node bench/io/run.js target/bench-pkg $(BENCH_IO_PARTS)

bench/io/node_modules/.package-lock.json: bench/io/package.json bench/io/package-lock.json
	cd bench/io && npm ci --no-audit --no-fund
	touch $@

clean:
	$(CARGO) clean
	rm -f $(ADDON)

## The README's runnable blocks (`<!-- runnable: KIND -->`), as pasted, against a sandbox: Node
## CJS, ESM, TypeScript, the browser one in Chromium, and the Rust quickstart as a cargo project (offline, the workspace's
## lockfile and target dir). See tests/readme/readme.test.js.
.PHONY: readme-test
test: readme-test
readme-test: addon wasm chromium node-deps sandbox-bin
	node --test --test-concurrency=1 tests/readme/

## The API reference, warnings as errors: TypeDoc for the npm package (target/docs/npm/) and
## rustdoc for the crates (target/doc/; with doc_cfg badges when a nightly toolchain is present,
## as docs.rs builds it). Tools pinned in tools/docs/ (also publint and attw for `make package`).
DOCS_TOOLS := tools/docs
.PHONY: docs docs-tools
test: docs
docs: docs-tools
	cd $(DOCS_TOOLS) && node_modules/.bin/typedoc --options typedoc.json
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --workspace --all-features --quiet
	@if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then \
	  RUSTDOCFLAGS="-D warnings --cfg docsrs" $(CARGO) +nightly doc --no-deps -p conversations-core --all-features --quiet --target-dir target/docsrs; fi
	@echo "API reference: target/docs/npm/index.html, target/doc/conversations_core/index.html"

docs-tools: $(DOCS_TOOLS)/node_modules/.package-lock.json
$(DOCS_TOOLS)/node_modules/.package-lock.json: $(DOCS_TOOLS)/package.json $(DOCS_TOOLS)/package-lock.json
	cd $(DOCS_TOOLS) && npm ci --no-audit --no-fund
	touch $@
