#!/usr/bin/env bash
# Builds the publishable tarball: the npm/ package with the release (LTO) linux-x64 addon and,
# when built, the wasm engine. The working tree's npm/*.node (the fast debug build the tests use)
# is left alone: the package is staged under target/package/.
# Also ships the sandbox binary (bin/conversations-sandbox-linux-x64).
# Output: dist/messagemedia-conversations-sdk-<version>.tgz
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p conversations-node --release
stage=target/package/npm
rm -rf "$stage" && mkdir -p "$stage" dist
tar -C npm --exclude=node_modules --exclude='*.node' --exclude=test --exclude=test-support -cf - . | tar -C "$stage" -xf -
cp target/release/libconversations_node.so "$stage/conversations.linux-x64-gnu.node"
# The sandbox for messagemedia-conversations-sdk/testing and `npx conversations-sandbox` (linux-x64).
cargo build -p conversations-sandbox --profile sandbox-dist
mkdir -p "$stage/bin" && cp target/sandbox-dist/conversations-sandbox "$stage/bin/conversations-sandbox-linux-x64"
tarball=$(cd "$stage" && npm pack --silent --pack-destination "$PWD/../../../dist" | tail -n1)
echo "dist/$tarball ($(du -k "dist/$tarball" | cut -f1) KiB)"
