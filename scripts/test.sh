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

# Every cargo call builds the whole workspace with the app's UI embedded (the feature `tauri build`
# turns on), so lints, tests, the keychain test, the app and the simulator share one build instead
# of resolving features differently and compiling the dependencies again.
CARGO_ARGS=(--workspace --locked --features hasura-cloud-desktop/custom-protocol)

step "Release scripts: version from a tag, signing secrets, latest.json from sample .sig files"
node --test scripts/release/release.test.mjs

step "UI: build (the app embeds it), and the third-party licenses About shows"
npm run build -w ui
npm run licenses

step "Rust: format, lints"
cargo fmt --all -- --check
cargo clippy "${CARGO_ARGS[@]}" --all-targets -- -D warnings

step "Rust: unit and integration tests (client, simulator, app core, bindings drift)"
cargo test "${CARGO_ARGS[@]}"

step "UI: type check and component tests"
npm run check -w ui
npm test -w ui

step "OS keychain: a real Secret Service round trip (gnome-keyring in a private D-Bus session)"
scripts/with-session.sh cargo test "${CARGO_ARGS[@]}" -- --ignored keyring

if [ "${QUICK:-0}" != 1 ]; then
  step "Build the app (debug, UI embedded) and the simulator"
  cargo build "${CARGO_ARGS[@]}"

  step "End to end: the real app window driven through WebKitWebDriver under Xvfb"
  # Without a GPU, WebKit composites through Mesa's software rasterizer on threads of its own,
  # where it has been seen to crash; the end-to-end run tests our code, so it paints without
  # compositing (no compositor or llvmpipe threads in the web process: docs/ARCHITECTURE.md).
  # The installer smoke test and the benchmarks keep the rendering a person gets.
  WEBKIT_DISABLE_COMPOSITING_MODE=1 limit 25m scripts/with-session.sh "${NODE_TEST[@]}" tests/e2e/

  step "Installers: build the .deb and .rpm, install the .deb, launch it, uninstall"
  limit 30m scripts/install-smoke.sh

  step "Benchmarks, quick mode (figures are printed, not judged)"
  # Quick mode reuses the debug build; the figures in docs/benchmarks.md come from full runs.
  BENCH_QUICK=1 cargo bench "${CARGO_ARGS[@]}" --profile dev --bench env_roundtrip --bench env_diff
  # The app against a bare Tauri window: start-up, memory, IPC, 5,000 projects, 10,000 env vars.
  BENCH_QUICK=1 limit 10m scripts/bench.sh
fi
