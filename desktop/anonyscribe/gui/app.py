"""Start the desktop app: offline switches first, then Qt, then the last study (if any).

``python -m anonyscribe.gui [STUDY_FOLDER] [--settings FILE]``. With no folder, the study that
was open when the app last stopped is reopened, which is what makes a crash lose nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import (
    __version__,
    offline,  # noqa: F401 - before any library that might look for the network
)

# In a frozen app (PyInstaller) resources/ sits at the root of the bundle.
ICON = Path(getattr(sys, "_MEIPASS", "") or Path(__file__).resolve().parents[3]) \
    / "resources" / "icons" / "anonyscribe.svg"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="anonyscribe-app",
                                     description="Anonyscribe desktop app")
    parser.add_argument("study", nargs="?", type=Path,
                        help="study folder to open (default: the last one)")
    parser.add_argument("--settings", type=Path, default=None,
                        help="app preferences file (default: the user's own)")
    parser.add_argument("--version", action="version", version=f"Anonyscribe {__version__}")
    return parser.parse_args(list(argv))


def make_application(argv: Sequence[str] = ()) -> object:
    """The QApplication, named so QSettings and the window manager know the app."""
    # Qt loads here, not at the top: the offline switches run first (see the docstring).
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["anonyscribe", *argv])
    app.setApplicationName("Anonyscribe")
    app.setOrganizationName("Anonyscribe")
    app.setApplicationVersion(__version__)
    if ICON.is_file():
        app.setWindowIcon(QIcon(str(ICON)))
    return app


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Qt and the window load only after the arguments parse and the offline switches ran.
    from PySide6.QtCore import QTimer

    from .main_window import MainWindow
    from .settings import AppSettings

    app = make_application()
    window = MainWindow(AppSettings(args.settings))
    # However the app ends (Quit, closing the window, the session logging out), the worker
    # stops and the study's lock is released before Python tears Qt down.
    app.aboutToQuit.connect(window.close_study)  # type: ignore[attr-defined]
    window.show()
    if args.study is not None:
        QTimer.singleShot(0, lambda: window.open_study(args.study))
    else:
        QTimer.singleShot(0, window.restore_last_study)
    return app.exec()  # type: ignore[attr-defined]


if __name__ == "__main__":
    raise SystemExit(main())
