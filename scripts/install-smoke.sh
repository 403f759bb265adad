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
# hasura-cloud-desktop:// links start the app with the link (its .desktop file says so), and the
# third-party licenses are installed beside it.
desktop="/usr/share/applications/Hasura Cloud Desktop.desktop"
grep -qx 'MimeType=x-scheme-handler/hasura-cloud-desktop' "$desktop" || { echo "$desktop does not handle hasura-cloud-desktop:// links" >&2; status=1; }
grep -qx 'Exec=hasura-cloud-desktop %u' "$desktop" || { echo "$desktop does not pass the link to the app" >&2; status=1; }
test -s /usr/share/doc/hasura-cloud-desktop/THIRD-PARTY-LICENSES.txt || { echo "the third-party licenses are not installed" >&2; status=1; }
APP_BINARY=/usr/bin/hasura-cloud-desktop scripts/with-session.sh node --test --test-timeout=240000 --test-force-exit tests/install/ || status=$?
$SUDO apt-get remove -y -qq hasura-cloud-desktop
if [ -e /usr/bin/hasura-cloud-desktop ] || dpkg-query -W -f='${Status}' hasura-cloud-desktop 2>/dev/null | grep -q 'install ok installed'; then
  echo "uninstall left the app behind" >&2
  exit 1
fi
exit "$status"
