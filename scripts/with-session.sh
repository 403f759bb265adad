#!/usr/bin/env bash
# Runs a command as on a desktop, but headless and private: its own D-Bus session, an unlocked
# gnome-keyring (the Secret Service the OS keychain uses on Linux), a virtual X display, and
# XDG folders in a temporary directory so nothing touches $HOME.
#   scripts/with-session.sh <command> [args...]
set -euo pipefail

if [ -z "${HCD_IN_SESSION:-}" ]; then
  tmp=$(mktemp -d)
  mkdir -p "$tmp"/{run,data,config,cache}
  chmod 700 "$tmp/run"
  # Set before the bus starts, or gnome-keyring, dconf and WebKit write into $HOME.
  export XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
  export HCD_IN_SESSION="$tmp"
  status=0
  dbus-run-session -- "$0" "$@" || status=$?
  # The document portal may still have its FUSE mount there; cleaning up must not change the result.
  fusermount -uz "$tmp/run/doc" 2>/dev/null || true
  rm -rf "$tmp" 2>/dev/null || true
  exit "$status"
fi

# Inside the private bus: create and unlock the login keyring (the password is throwaway).
eval "$(printf 'throwaway-session-password' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

# A virtual display; -displayfd picks a free display number.
display_file="$HCD_IN_SESSION/display"
Xvfb -displayfd 3 -screen 0 1280x860x24 -nolisten tcp 3>"$display_file" 2>"$HCD_IN_SESSION/xvfb.log" &
xvfb=$!
# The keyring daemon ends with the bus; the display ends here.
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s "$display_file" ] && break
  sleep 0.1
done
[ -s "$display_file" ] || { echo "Xvfb did not start: $(cat "$HCD_IN_SESSION/xvfb.log")" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$display_file")"

"$@"
