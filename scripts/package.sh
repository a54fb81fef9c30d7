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
cp LICENSE CHANGELOG.md "$stage/"
# The sandbox for messagemedia-conversations-sdk/testing and `npx conversations-sandbox` (linux-x64).
cargo build -p conversations-sandbox --profile sandbox-dist
mkdir -p "$stage/bin" && cp target/sandbox-dist/conversations-sandbox "$stage/bin/conversations-sandbox-linux-x64"
tarball=$(cd "$stage" && npm pack --silent --pack-destination "$PWD/../../../dist" | tail -n1)
echo "dist/$tarball ($(du -k "dist/$tarball" | cut -f1) KiB)"
# The tarball as consumers resolve it: publint (package.json, exports, files) and
# are-the-types-wrong (types per resolution mode), pinned in tools/docs/; an error (for publint,
# also a warning: --strict) fails the build. attw ignores, each by design: node10 (no `exports` support; the root still resolves),
# untyped-resolution (the original SDK's deep paths lib/**, untyped in the original too) and
# cjs-resolves-to-esm (`./streamed` is ESM-only: it streams the wasm with top-level await).
tools=tools/docs/node_modules/.bin
if [ -x "$tools/publint" ] && [ -x "$tools/attw" ]; then
  "$tools/publint" --strict "dist/$tarball"
  "$tools/attw" "dist/$tarball" --profile node16 --ignore-rules untyped-resolution cjs-resolves-to-esm --format ascii
else
  echo "package.sh: publint/attw not installed (make docs-tools); skipping the tarball checks" >&2
fi
