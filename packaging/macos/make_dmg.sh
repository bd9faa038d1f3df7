#!/usr/bin/env bash
# Wrap dist/Anonyscribe.app in a compressed drag-to-Applications disk image (macOS only).
#
#   packaging/macos/make_dmg.sh [path/to/Anonyscribe.app]
#   -> dist/Anonyscribe-<version>-macos-<arch>.dmg
#
# Signing (optional; without it Gatekeeper asks the user to confirm on first open):
#   CODESIGN_IDENTITY="Developer ID Application: Your Org (TEAMID)"  signs app and image
#   NOTARY_PROFILE=<profile saved by 'xcrun notarytool store-credentials'>  notarizes, staples
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = Darwin ] || { echo "error: make_dmg.sh needs macOS (hdiutil)" >&2; exit 2; }
APP=${1:-dist/Anonyscribe.app}
[ -d "$APP" ] || { echo "error: $APP not found; build it: packaging/macos/build_macos.sh" >&2
                   exit 2; }
VERSION=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$APP/Contents/Info.plist")
DMG="dist/Anonyscribe-$VERSION-macos-$(uname -m).dmg"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  echo "signing $APP as $CODESIGN_IDENTITY (hardened runtime)"
  codesign --force --deep --options runtime --timestamp \
    --entitlements packaging/macos/entitlements.plist --sign "$CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
fi

cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Anonyscribe $VERSION" -srcfolder "$STAGE" -fs HFS+ \
  -format UDZO -imagekey zlib-level=9 -ov "$DMG"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$DMG"
fi
if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
fi
hdiutil verify "$DMG"
du -h "$DMG"
