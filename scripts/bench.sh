#!/usr/bin/env bash
# The desktop benchmark: the app against the floor set by the webview itself, a Tauri hello world
# (bench/baseline) on the same Tauri and build profile. Figures and how to read them:
# docs/benchmarks.md.
#
#   scripts/bench.sh                  full: release builds of the app and the baseline with their
#                                     .deb packages, 10 start-ups each, 1,000 calls; compared with
#                                     docs/benchmarks.json, then written there (commit it if the
#                                     run is one to keep)
#   BENCH_QUICK=1 scripts/bench.sh    quick, so that it cannot rot: the debug app and simulator
#                                     (scripts/test.sh has built them), the baseline built in
#                                     debug, 2 start-ups, 100 calls; results in target/bench/
#
# Everything runs headless in scripts/with-session.sh (private D-Bus, keychain, Xvfb). Timings
# are printed and compared, never judged: the exit status only says whether the bench ran.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${BENCH_QUICK:-}" ]; then
  [ -x target/debug/hasura-cloud-desktop ] || npx tauri build --debug --no-bundle
  [ -x target/debug/cloud-sim ] || cargo build -p cloud-sim --locked
  (cd bench/baseline && npx tauri build --debug --no-bundle)
  export APP_BINARY="$PWD/target/debug/hasura-cloud-desktop"
  export BASELINE_BINARY="$PWD/target/debug/hcd-bench-baseline"
  export BENCH_OUT="${BENCH_OUT:-$PWD/target/bench/desktop-quick.json}"
else
  # The .deb of each, and their release binaries. The simulator is the same debug build on both
  # sides of every comparison.
  npx tauri build --bundles deb
  (cd bench/baseline && npx tauri build --bundles deb)
  cargo build -p cloud-sim --locked
  export APP_BINARY="$PWD/target/release/hasura-cloud-desktop"
  export BASELINE_BINARY="$PWD/target/release/hcd-bench-baseline"
  deb() { find target/release/bundle/deb -maxdepth 1 -name "$1" -printf '%T@ %p\n' | sort -n | tail -n1 | cut -d' ' -f2-; }
  APP_DEB="$PWD/$(deb 'Hasura Cloud Desktop_*.deb')"
  BASELINE_DEB="$PWD/$(deb 'hcd-bench-baseline_*.deb')"
  export APP_DEB BASELINE_DEB
  export BENCH_OUT="${BENCH_OUT:-$PWD/docs/benchmarks.json}"
fi

exec scripts/with-session.sh node tests/bench/desktop.mjs
