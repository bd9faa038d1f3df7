#!/usr/bin/env bash
# Build the Linux bundle from a clean checkout, smoke-test it offline, and archive it.
#
#   packaging/build_linux.sh            environment + build + smoke test + dist/*.tar.gz
#   packaging/build_linux.sh --no-smoke skip the smoke test (never for a release)
#
# Makes its own environment in build/venv from the versions pinned in pyproject.toml (plus
# PyInstaller; packaging/venv.sh), so it needs only Python 3.11+; on Debian/Ubuntu as root it
# also installs the few system libraries Qt needs. BUILD_VENV=/path reuses another environment
# (it must hold the same pins). Output:
#   dist/Anonyscribe/                                  the one-folder app (./Anonyscribe)
#   dist/Anonyscribe-<version>-linux-<arch>.tar.gz     what researchers download
#   build/smoke-report.json                            size and start-up times measured
set -euo pipefail
cd "$(dirname "$0")/.."
. packaging/venv.sh
SMOKE=1
[ "${1:-}" = "--no-smoke" ] && SMOKE=0

system_packages() {
  # Libraries Qt loads at run time (offscreen/xcb), binutils (PyInstaller), unshare.
  command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || return 0
  local need=(binutils util-linux libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0
              libfontconfig1 libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4
              libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0
              libasound2 libpulse0)
  local missing=()
  for p in "${need[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing system libraries: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

archive() {
  local name
  name="Anonyscribe-$(app_version)-linux-$(uname -m)"
  log "archiving dist/$name.tar.gz"
  tar -C dist -czf "dist/$name.tar.gz" --transform "s,^Anonyscribe,$name," Anonyscribe
  du -sh dist/Anonyscribe "dist/$name.tar.gz"
}

system_packages
make_build_venv
run_pyinstaller
if [ "$SMOKE" = 1 ]; then
  log "smoke test: no network, empty home"
  "$VPY" packaging/smoke_test.py dist/Anonyscribe --require-offline --json build/smoke-report.json
fi
archive
