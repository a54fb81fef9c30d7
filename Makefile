# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# here when missing (and skipped when present).
SHELL := /bin/bash
.DEFAULT_GOAL := test
CARGO ?= cargo
NPM_DIR := npm
ADDON := $(NPM_DIR)/conversations.linux-x64-gnu.node

.PHONY: test fuzz reliability rust-test lint addon node-deps node-test demo sandbox-bin package clean

## Every test: formatting, lints, Rust, Node, fuzzing (bounded).
test: lint rust-test node-test reliability fuzz

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings
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

node-test: addon node-deps sandbox-bin
	node --test --test-concurrency=2 $(NPM_DIR)/test/

## Reliability (tests/reliability/): the fault matrix, cancellation, credential canary and soak on
## every engine present, then schemathesis against the sandbox. The Rust client's half of the
## matrix (core/tests/reliability.rs) runs in rust-test.
reliability: addon node-deps sandbox-bin
	node --test --test-concurrency=1 tests/reliability/
	tests/reliability/schemathesis.sh

## Fuzz each target for FUZZ_SECONDS (default 20); long runs: FUZZ_SECONDS=600 make fuzz.
fuzz:
	scripts/fuzz.sh

sandbox-bin:
	$(CARGO) build -p conversations-sandbox

examples/node/node_modules/.package-lock.json: examples/node/package.json
	cd examples/node && npm install --no-audit --no-fund --no-package-lock
	touch $@

## The README's demo: the Node quickstart against a fresh sandbox.
demo: addon sandbox-bin examples/node/node_modules/.package-lock.json
	@scripts/with-sandbox.sh node examples/node/quickstart.js {URL}

clean:
	$(CARGO) clean
	rm -f $(ADDON)
