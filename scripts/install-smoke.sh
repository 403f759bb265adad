#!/usr/bin/env bash
# Builds the release .deb and .rpm, installs the .deb into the system, launches the installed
# binary under Xvfb and checks its first screen, then uninstalls it and checks nothing is left.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

npx tauri build --bundles deb,rpm
target="${CARGO_TARGET_DIR:-target}"
deb=$(ls -t "$target"/release/bundle/deb/*.deb | head -n1)
rpm=$(ls -t "$target"/release/bundle/rpm/*.rpm | head -n1)
echo "built: $deb ($(du -h "$deb" | cut -f1)), $rpm ($(du -h "$rpm" | cut -f1)), binary $(du -h "$target"/release/hasura-cloud-desktop | cut -f1)"
dpkg-deb --field "$deb" Depends

$SUDO apt-get install -y -qq "$(realpath "$deb")"
test -x /usr/bin/hasura-cloud-desktop
status=0
APP_BINARY=/usr/bin/hasura-cloud-desktop scripts/with-session.sh node --test --test-timeout=240000 --test-force-exit tests/install/ || status=$?
$SUDO apt-get remove -y -qq hasura-cloud-desktop
if [ -e /usr/bin/hasura-cloud-desktop ] || dpkg-query -W -f='${Status}' hasura-cloud-desktop 2>/dev/null | grep -q 'install ok installed'; then
  echo "uninstall left the app behind" >&2
  exit 1
fi
exit "$status"
