#!/usr/bin/env bash
# Builds the dashboard into dynamo-net's classpath resources: index.html, app.js, app.css.
# Same source, same bytes: no timestamps, no hashes, no source maps.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
OUT=../dynamo-net/src/main/resources/io/dynamo/net/ui

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

node_modules/.bin/tsc --noEmit -p .

mkdir -p "$OUT"
node_modules/.bin/esbuild src/main.ts \
  --bundle --format=iife --target=es2020 --platform=browser \
  --minify --legal-comments=none --log-level=warning \
  "--banner:js=/* Dynamo dashboard, built from dynamo-ui/ by build.sh. Do not edit. */" \
  --outfile="$OUT/app.js"
cp src/index.html "$OUT/index.html"
cp src/app.css "$OUT/app.css"

ls -l "$OUT"
