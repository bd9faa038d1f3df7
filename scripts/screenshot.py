"""Take docs/screenshot-review.png: the real app, on a real processed recording, under Xvfb.

    python scripts/screenshot.py [--out docs/screenshot-review.png] [--model base]

Processes the bundled synthetic sample interview (resources/sample) into a throwaway study
with the real model and detector, opens it in the app, makes a few review decisions with the
keyboard, and grabs the window. Without a display it re-runs itself under ``xvfb-run``
(``apt-get install xvfb``). Nothing is downloaded; the study lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "resources" / "sample"
WIDTH, HEIGHT = 1280, 800


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-review.png")
    parser.add_argument("--model", default="base", help="speech model (default: base)")
    parser.add_argument("--decide", type=int, default=3,
                        help="how many findings to decide before the grab")
    return parser.parse_args()


def ensure_display() -> None:
    """Re-run under a virtual X server when there is no display (CI, SSH)."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") or \
            os.environ.get("ANONYSCRIBE_UNDER_XVFB"):
        return
    if shutil.which("xvfb-run") is None:
        sys.exit("No display and no xvfb-run: apt-get install xvfb, or run with a display.")
    env = dict(os.environ, ANONYSCRIBE_UNDER_XVFB="1")
    args = ["xvfb-run", "-a", "-s", f"-screen 0 {WIDTH + 100}x{HEIGHT + 100}x24",
            sys.executable, *sys.argv]
    os.execvpe("xvfb-run", args, env)


def make_study(folder: Path, model: str) -> str:
    """A study with the sample interview transcribed and flagged; returns its recording id."""
    from anonyscribe.core.study import Study
    from anonyscribe.pipeline import Engines, process_recording

    samples = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix.lower() in {".mp4", ".wav"})
    if not samples:
        sys.exit(f"No sample recording in {SAMPLE_DIR}.")
    with Study.open(folder) as study:
        study.settings.model = model
        entry = study.add_recording(samples[0])
        study.save()
        process_recording(study, entry, Engines(model=model),
                          progress=lambda stage, f: print(f"  {stage} {f:.0%}", end="\r"))
        print()
        return entry.id


def wait(ms: int) -> None:
    """Run the event loop for ``ms`` (QTest.qWait would hold the GIL and stall the workers)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def grab(study_dir: Path, rec_id: str, out: Path, decide: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from anonyscribe.gui.app import make_application
    from anonyscribe.gui.main_window import MainWindow
    from anonyscribe.gui.settings import AppSettings

    app = make_application()
    window = MainWindow(AppSettings(study_dir.parent / "prefs.ini"))
    window.resize(WIDTH, HEIGHT)
    window.show()
    QTest.qWaitForWindowExposed(window)
    if not window.open_study(study_dir):
        sys.exit("; ".join(window.errors))
    review = window.open_review(rec_id)
    if review is None:
        sys.exit("the recording did not reach the review stage")
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window, 5000):
        sys.exit("the window never became active, so keys would go nowhere")
    wait(500)
    review.view.setFocus()
    for _ in range(decide):
        current = review.current_finding
        if current is None:
            break
        keep = current.type in ("ROLE", "DATE")  # show a kept finding as well as replaced ones
        before = review.session.counts()[0]
        QTest.keyClick(review.view, Qt.Key.Key_R if keep else Qt.Key.Key_A)
        wait(150)
        if review.session.counts()[0] == before:
            sys.exit("a review key did nothing")
    window.statusBar().clearMessage()
    wait(800)
    app.processEvents()
    pixmap = window.grab()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out), "PNG"):
        sys.exit(f"could not write {out}")
    print(f"{out}: {pixmap.width()}x{pixmap.height()}, {out.stat().st_size / 1024:.0f} KB")
    window.close()


def main() -> None:
    args = parse_args()
    ensure_display()
    work = Path(tempfile.mkdtemp(prefix="anonyscribe-screenshot-"))
    try:
        study_dir = work / "Sample study"
        print(f"Processing the sample interview with '{args.model}'…")
        rec_id = make_study(study_dir, args.model)
        grab(study_dir, rec_id, args.out.resolve(), args.decide)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
