#!/usr/bin/env bash
# Build the macOS app and disk image on a Mac (Apple silicon or Intel: the build is native):
#   build environment -> PyInstaller (dist/Anonyscribe.app) -> smoke test -> .dmg
# Needs Python 3.11+ (python.org or Homebrew). See make_dmg.sh for signing and notarization.
set -euo pipefail
cd "$(dirname "$0")/../.."
. packaging/venv.sh

make_build_venv
run_pyinstaller
if [ "${1:-}" != "--no-smoke" ]; then
  log "smoke test (macOS has no 'unshare': the network is not cut here)"
  "$VPY" packaging/smoke_test.py dist/Anonyscribe.app --json build/smoke-report.json
fi
packaging/macos/make_dmg.sh dist/Anonyscribe.app
