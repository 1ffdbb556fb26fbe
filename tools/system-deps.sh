#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the app and its tests need, when run as root with apt-get.
# Elsewhere it names what is missing and goes on (the Python part still installs).
set -euo pipefail
packages=(
  # Qt itself (every platform, offscreen included), the CJK font of the documents, PDF tools.
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-wqy-microhei poppler-utils
  # Qt's xcb platform plugin (a real X display): libqxcb.so and libQt6XcbQpa.so link all of
  # these; with one missing the app aborts at start, and Qt's hint may name the wrong one.
  libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0
  libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
  # The xcb test (tests/e2e/test_xcb_start.py): a virtual X server and a look at its windows.
  xvfb xauth x11-utils
)
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages (install them with: sudo apt-get install ${missing[*]})" >&2
fi
