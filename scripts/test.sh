#!/usr/bin/env bash
# Sets up what the tests need and runs every test of the project.
#   scripts/test.sh            everything
#   QUICK=1 scripts/test.sh    skip the benchmark smoke run
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Rust: format, lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust: unit and integration tests (client against the simulator over loopback HTTP)"
cargo test --workspace --locked

if [ "${QUICK:-0}" != 1 ]; then
  step "Benchmarks, quick mode (figures are printed, not judged)"
  BENCH_QUICK=1 cargo bench --workspace --locked --quiet
fi
