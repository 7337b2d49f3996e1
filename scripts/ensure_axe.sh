#!/usr/bin/env bash
# Fetches axe-core (pinned) from the npm registry for the accessibility tests, once.
set -euo pipefail
VERSION=4.14.1
DEST=build/axe-core-$VERSION
if [ -f "$DEST/axe.min.js" ]; then exit 0; fi
mkdir -p "$DEST"
tmp=$(mktemp -d)
(cd "$tmp" && npm pack --silent "axe-core@$VERSION" >/dev/null)
tar -xzf "$tmp"/axe-core-$VERSION.tgz -C "$tmp"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$DEST/"
rm -rf "$tmp"
