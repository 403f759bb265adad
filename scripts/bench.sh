#!/usr/bin/env bash
# The desktop benchmark: the app against the floor set by the webview itself, a Tauri hello world
# (bench/baseline) on the same Tauri and build profile. Figures and how to read them:
# docs/benchmarks.md.
#
#   scripts/bench.sh                  full: release builds of the app, the baseline and the
#                                     simulator, .deb packages of both, 10 start-ups each, 1,000
#                                     calls; compared with docs/benchmarks.json, then written there
#                                     (commit it if the run is one to keep)
#   BENCH_QUICK=1 scripts/bench.sh    quick, so that it cannot rot: the debug builds scripts/test.sh
#                                     has made, 2 start-ups, 100 calls; results in target/bench/
#
# Everything runs headless in scripts/with-session.sh (private D-Bus, keychain, Xvfb). Timings
# are printed and compared, never judged: the exit status only says whether the bench ran.
set -euo pipefail
cd "$(dirname "$0")/.."

# One cargo call builds the app, the baseline and the simulator together, so that Tauri and every
# other dependency are compiled once with the same features for both (built one by one, the
# baseline would resolve features on its own and compile its dependencies again). The feature is
# the one `tauri build` turns on: the UI embedded in the binary.
CARGO_ARGS=(--workspace --locked --features hasura-cloud-desktop/custom-protocol)

if [ -n "${BENCH_QUICK:-}" ]; then
  # After scripts/test.sh this is a no-op: it has built the same.
  [ -f ui/dist/index.html ] || npm run build -w ui
  cargo build "${CARGO_ARGS[@]}"
  profile=debug
  export BENCH_OUT="${BENCH_OUT:-$PWD/target/bench/desktop-quick.json}"
else
  npm run build -w ui
  cargo build --release "${CARGO_ARGS[@]}"
  # The .deb of each, from the binaries just built.
  npx tauri bundle --bundles deb
  (cd bench/baseline && npx tauri bundle --bundles deb)
  profile=release
  deb() { find target/release/bundle/deb -maxdepth 1 -name "$1" -printf '%T@ %p\n' | sort -n | tail -n1 | cut -d' ' -f2-; }
  APP_DEB="$PWD/$(deb 'Hasura Cloud Desktop_*.deb')"
  BASELINE_DEB="$PWD/$(deb 'hcd-bench-baseline_*.deb')"
  export APP_DEB BASELINE_DEB
  export BENCH_OUT="${BENCH_OUT:-$PWD/docs/benchmarks.json}"
fi
export APP_BINARY="$PWD/target/$profile/hasura-cloud-desktop"
export BASELINE_BINARY="$PWD/target/$profile/hcd-bench-baseline"
export SIM_BINARY="$PWD/target/$profile/cloud-sim"

exec scripts/with-session.sh node tests/bench/desktop.mjs
