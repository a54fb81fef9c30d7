# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# here when missing (and skipped when present).
SHELL := /bin/bash
.DEFAULT_GOAL := test
CARGO ?= cargo
NPM_DIR := npm
ADDON := $(NPM_DIR)/conversations.linux-x64-gnu.node
# The wasm-bindgen-cli version must equal the wasm-bindgen crate's in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)

.PHONY: bench bench-instructions test fuzz reliability rust-test lint addon node-deps node-test demo sandbox-bin package clean wasm wasm-tools chromium browser-test dashboard

## Every test: formatting, lints, Rust, Node, fuzzing (bounded).
test: lint rust-test node-test browser-test reliability fuzz

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
package:
	scripts/package.sh

node-deps: $(NPM_DIR)/node_modules/.package-lock.json
$(NPM_DIR)/node_modules/.package-lock.json: $(NPM_DIR)/package.json $(wildcard $(NPM_DIR)/package-lock.json)
	cd $(NPM_DIR) && npm ci --no-audit --no-fund
	touch $@

node-test: addon wasm node-deps sandbox-bin
	node --test --test-concurrency=2 $(NPM_DIR)/test/
	@echo "--- the same modern, compat and vector tests on the wasm engine"
	CONVERSATIONS_ENGINE=wasm node --test --test-concurrency=2 $(NPM_DIR)/test/client.test.js $(NPM_DIR)/test/compat.test.js $(NPM_DIR)/test/vectors.test.js

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

## examples/dashboard/ over a sandbox with the demo world; prints the URL to open.
dashboard: wasm sandbox-bin
	node examples/dashboard/serve.mjs

## Reliability (tests/reliability/): the fault matrix on every engine (native, wasm in Node,
## Chromium), cancellation, credential canary and soak, then schemathesis against the sandbox.
## The Rust client's half of the matrix (core/tests/reliability.rs) runs in rust-test.
reliability: addon wasm chromium node-deps sandbox-bin
	node --test --test-concurrency=1 tests/reliability/
	tests/reliability/schemathesis.sh

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

## Benchmarks (issue #8) into bench/RESULTS.md: the release addon and the wasm engine as packaged,
## a local keep-alive server, then bench/run.js. The Rust benches build without LTO to fit the
## 10-minute budget; each compares variants inside one binary, so ratios are unaffected.
BENCH_CARGO := CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16
bench: wasm
	$(CARGO) build -p conversations-node --release
	$(BENCH_CARGO) $(CARGO) bench -p conversations-core --features client --no-run
	$(BENCH_CARGO) node bench/run.js

## User-space instructions per call (callgrind), raw node:http vs the package: repeatable to ~0.5 %.
bench-instructions:
	$(CARGO) build -p conversations-node --release
	rm -rf target/bench-pkg && mkdir -p target/bench-pkg
	cp -r $(NPM_DIR)/index.js $(NPM_DIR)/package.json $(NPM_DIR)/lib target/bench-pkg/
	cp target/release/libconversations_node.so target/bench-pkg/conversations.linux-x64-gnu.node
	BENCH_PKG=target/bench-pkg node bench/instructions.js

clean:
	$(CARGO) clean
	rm -f $(ADDON)
