#!/usr/bin/env bash
# Build the Windows installer (run in Git Bash on Windows, as the CI does):
#   build environment -> PyInstaller -> smoke test -> Inno Setup per-user installer.
# Needs Python 3.11+ and Inno Setup 6 (iscc.exe on PATH, or ISCC=path\to\ISCC.exe).
# Output: dist/Anonyscribe-<version>-windows-x64-setup.exe
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/venv.sh

make_build_venv
run_pyinstaller
if [ "${1:-}" != "--no-smoke" ]; then
  log "smoke test (Windows has no 'unshare': the network is not cut here)"
  "$VPY" packaging/smoke_test.py dist/Anonyscribe --json build/smoke-report.json
fi
ISCC=${ISCC:-$(command -v iscc || command -v ISCC || echo "/c/Program Files (x86)/Inno Setup 6/ISCC.exe")}
log "Inno Setup: $ISCC"
"$ISCC" "/DAppVersion=$(app_version)" packaging/windows/anonyscribe.iss
ls -l dist/*setup.exe
