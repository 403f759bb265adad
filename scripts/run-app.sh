#!/usr/bin/env bash
# Sets everything up and launches the app in development mode. Choose "Try the sandbox" on the
# first screen to use the built-in simulator without a Hasura Cloud account.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec npx tauri dev
