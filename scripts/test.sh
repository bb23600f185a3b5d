#!/usr/bin/env bash
# Runs the whole test suite: Rust unit and integration tests, hostile requests against
# `sotay serve` (Python 3), the JavaScript search client's tests (Node's test runner) and
# the browser checks in headless Chromium. Installs what is
# missing (Debian packages, npm packages) first, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test"
cargo test --all-targets

echo "== hostile requests against sotay serve (127.0.0.1 only)"
python3 tests/hostile/serve.py target/debug/sotay

if [ -d tests/js ]; then
  echo "== node --test tests/js"
  node --test tests/js/
fi

if [ -x tests/browser/run.sh ] || [ -f tests/browser/run.sh ]; then
  echo "== browser tests (headless Chromium, nginx)"
  bash tests/browser/run.sh
  echo "== live reload in Chromium (sotay serve under CSP)"
  node --test tests/browser/serve/
fi
