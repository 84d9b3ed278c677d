#!/usr/bin/env bash
# The deploy path runs `npm ci`, which refuses a lockfile that is incomplete or out of step with the
# package.json files. This checks both on a copy of the manifests (node_modules untouched):
#   1. `npm install --package-lock-only` on the copy leaves package-lock.json byte for byte unchanged;
#   2. `npm ci --dry-run` on the copy accepts it.
# npm drops other platforms' optional packages (biome's, esbuild's, sharp's) when it rewrites a
# lockfile over an existing node_modules; this is what catches that.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cp package.json package-lock.json "$tmp/"
for ws in $(node -e 'for (const w of require("./package.json").workspaces ?? []) console.log(w)'); do
  mkdir -p "$tmp/$ws"
  cp "$ws/package.json" "$tmp/$ws/"
done

quiet=(--ignore-scripts --no-audit --no-fund --loglevel=error)
if ! (cd "$tmp" && npm install --package-lock-only "${quiet[@]}" >"$tmp/install.log" 2>&1); then
  echo "check-lockfile: npm install --package-lock-only failed:" >&2
  cat "$tmp/install.log" >&2
  exit 1
fi
if ! cmp -s package-lock.json "$tmp/package-lock.json"; then
  echo "check-lockfile: package-lock.json is incomplete or out of step; npm install would change it:" >&2
  diff <(grep -E '^    "' package-lock.json) <(grep -E '^    "' "$tmp/package-lock.json") | head -20 >&2 || true
  echo "Fix: npm install --package-lock-only (on a complete lockfile this changes nothing), then commit package-lock.json." >&2
  exit 1
fi
if ! (cd "$tmp" && npm ci --dry-run "${quiet[@]}" >"$tmp/ci.log" 2>&1); then
  echo "check-lockfile: npm ci refuses package-lock.json:" >&2
  grep -E 'Missing|Invalid|EUSAGE|error' "$tmp/ci.log" | head -10 >&2
  exit 1
fi
echo "check-lockfile: package-lock.json is complete and in step (npm ci accepts it, npm install keeps it)"
