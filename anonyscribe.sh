#!/usr/bin/env bash
# One entry point for a fresh machine (Linux/macOS):
#   ./anonyscribe.sh app     set up (first time) and open the desktop app
#   ./anonyscribe.sh test    set up (first time) and run the whole test suite
#   ./anonyscribe.sh demo    set up (first time) and anonymise the sample recording
#   ./anonyscribe.sh batch … any 'anonyscribe' command (batch, detect, models, export)
# Setup makes a private virtual environment in .venv; nothing is installed system-wide
# except, on Debian/Ubuntu as root, the few system libraries Qt and the tests need.
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY=${PYTHON:-python3}

system_packages() {
  # Qt's offscreen/xcb platform libraries, espeak-ng for speech fixtures, xvfb for screenshots.
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    local need=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
                libglib2.0-0 libnss3 libasound2 libpulse0 libxcb-cursor0 libxcb-icccm4
                libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0
                libxcb-image0 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxi6
                espeak-ng xvfb)
    local missing=()
    for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
  fi
}

setup() {
  local extras=$1
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$extras"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[$extras]"
    touch "$stamp"
  fi
}

cmd=${1:-app}
shift || true
case "$cmd" in
  app)
    system_packages; setup gui
    exec "$VENV/bin/python" -m anonyscribe.gui "$@" ;;
  test)
    system_packages; setup test
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/ruff" check desktop tests bench
    exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@" ;;
  demo)
    setup gui
    out=${1:-demo-output}
    "$VENV/bin/anonyscribe" batch resources/sample --out "$out" --auto
    echo "Anonymised files are in $out (private files in $out/private)." ;;
  *)
    setup gui
    exec "$VENV/bin/anonyscribe" "$cmd" "$@" ;;
esac
