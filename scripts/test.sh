#!/usr/bin/env bash
# Sets up everything the tests need and runs every test of the project.
#   scripts/test.sh            everything
#   QUICK=1 scripts/test.sh    skip the app build, end-to-end run, installers and benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# No stage may hang the run: each has a generous limit, and the node test runner ends a test (or
# hook) that hangs and exits even if something a test started is still holding on.
limit() { timeout --kill-after=30s "$@"; }
NODE_TEST=(node --test --test-concurrency=1 --test-timeout=240000 --test-force-exit)

step "Setup: system packages and npm dependencies"
scripts/setup.sh

step "GitHub workflows: actionlint"
actionlint

step "Rust: format, lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust: unit and integration tests (client, simulator, app core, bindings drift)"
cargo test --workspace --locked

step "UI: type check and component tests"
npm run check -w ui
npm test -w ui

step "OS keychain: a real Secret Service round trip (gnome-keyring in a private D-Bus session)"
# --workspace reuses the build above (one package alone resolves features differently).
scripts/with-session.sh cargo test --workspace --locked -- --ignored keyring

if [ "${QUICK:-0}" != 1 ]; then
  step "Build the app with its UI embedded, and the simulator"
  npx tauri build --debug --no-bundle
  cargo build -p cloud-sim --locked

  step "End to end: the real app window driven through WebKitWebDriver under Xvfb"
  limit 25m scripts/with-session.sh "${NODE_TEST[@]}" tests/e2e/

  step "Installers: build the .deb and .rpm, install the .deb, launch it, uninstall"
  limit 30m scripts/install-smoke.sh

  step "Benchmarks, quick mode (figures are printed, not judged)"
  BENCH_QUICK=1 cargo bench -p hasura-cloud --bench env_roundtrip --locked
  BENCH_QUICK=1 cargo bench -p app-core --bench env_diff --locked
  BENCH_QUICK=1 limit 10m scripts/with-session.sh node tests/bench/webview-filter.mjs
fi
