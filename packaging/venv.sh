# Sourced by the build scripts (bash on Linux, macOS and Git Bash on Windows): makes the build
# environment from the versions pinned in pyproject.toml, plus PyInstaller, and runs PyInstaller.
#   make_build_venv   -> sets VPY (the environment's python); BUILD_VENV overrides the folder
#   run_pyinstaller   -> dist/Anonyscribe (or dist/Anonyscribe.app on macOS)
# Must be sourced from the repository root.

PYINSTALLER_PIN="pyinstaller==6.22.3"
PILLOW_PIN="pillow==12.3.0"  # only for the .ico/.icns icon on Windows and macOS

log() { printf '\n== %s\n' "$*"; }

_requirements() {
  # pyproject's pinned dependencies + the GUI; Qt as Essentials + Addons (Multimedia), which
  # leaves out the WebEngine and PDF wheels the 'pyside6' meta-package would pull in.
  "$1" - <<'EOF'
import re, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for req in project["dependencies"] + project["optional-dependencies"]["gui"]:
    m = re.fullmatch(r"pyside6==(\S+)", req.strip(), re.IGNORECASE)
    print(f"pyside6-essentials=={m[1]}\npyside6-addons=={m[1]}" if m else req)
EOF
  echo "$PYINSTALLER_PIN"
  case "$(uname -s)" in Linux) ;; *) echo "$PILLOW_PIN" ;; esac
}

make_build_venv() {
  local py=${PYTHON:-python3} venv=${BUILD_VENV:-build/venv}
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "error: building needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
         exit 2; }
  if [ ! -d "$venv" ]; then
    log "creating $venv"
    "$py" -m venv "$venv"
  fi
  VPY="$venv/bin/python"
  [ -x "$VPY" ] || VPY="$venv/Scripts/python.exe"  # Windows layout
  mkdir -p build
  _requirements "$VPY" > build/requirements.txt
  if ! cmp -s build/requirements.txt "$venv/.anonyscribe-requirements"; then
    log "installing pinned packages into $venv"
    "$VPY" -m pip install -q --upgrade pip
    "$VPY" -m pip install -q -r build/requirements.txt
    cp build/requirements.txt "$venv/.anonyscribe-requirements"
  fi
}

run_pyinstaller() {
  log "PyInstaller $("$VPY" -m PyInstaller --version)"
  rm -rf dist/Anonyscribe dist/Anonyscribe.app
  local t0=$SECONDS
  # The spec imports anonyscribe from desktop/ (no install needed) and re-hashes every model.
  PYTHONPATH="$(pwd)/desktop" QT_QPA_PLATFORM=offscreen "$VPY" -m PyInstaller \
    --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/anonyscribe.spec
  echo "PyInstaller took $((SECONDS - t0)) s"
}

app_version() {
  PYTHONPATH=desktop "$VPY" -c 'import anonyscribe; print(anonyscribe.__version__)'
}
