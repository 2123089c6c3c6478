#!/usr/bin/env bash
# `npm test`: the whole check a fresh clone must pass, and what CI runs.
#   setup (idempotent) -> typecheck src/ and test/ (strict) -> unit tests -> every notebook executed
#   in quick mode into build/site-quick -> tests that open those pages in headless Chromium offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser

echo "test: typecheck and compile the tests"
rm -rf build
npx tsc -p tsconfig.test.json

echo "test: execute the notebooks in quick mode"
node scripts/book.js --no-setup --quick --out build/site-quick

echo "test: unit, parity and page tests"
RL_WORKBOOK_SITE="$PWD/build/site-quick" node --test --test-concurrency=1 build/test/
