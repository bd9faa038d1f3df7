"""Take the README's screenshots (start page, queue, review, export): the real app, on a real
processed recording, under Xvfb.

    python scripts/screenshot.py [--out-dir docs] [--model base]

Processes the bundled synthetic sample interview (resources/sample) into a throwaway study
with the real model and detector, opens it in the app, adds a broken file and a second
recording (caught while it is transcribed), makes a few review decisions with the keyboard,
opens the export dialog, and grabs each screen. Without a display it re-runs itself under
``xvfb-run`` (``apt-get install xvfb``). Nothing is downloaded; the study lives in a
temporary folder.
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
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs")
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
    from anonyscribe.processing import Engines, process_recording

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


def save(widget: object, out: Path) -> None:
    """Grab one widget (the window or a dialog) as a small PNG."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    pixmap = widget.grab()  # type: ignore[attr-defined]
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out), "PNG", 9):
        sys.exit(f"could not write {out}")
    print(f"{out}: {pixmap.width()}x{pixmap.height()}, {out.stat().st_size / 1024:.0f} KB")


def wait_for(condition: object, seconds: float, what: str) -> None:
    import time

    end = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > end:
            sys.exit(f"gave up waiting for {what}")
        wait(100)


def grab(study_dir: Path, rec_id: str, out_dir: Path, decide: int) -> None:
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from anonyscribe.core.study import Study
    from anonyscribe.gui.app import make_application
    from anonyscribe.gui.main_window import MainWindow
    from anonyscribe.gui.settings import AppSettings

    app = make_application()  # noqa: F841 - kept alive for the whole run
    settings = AppSettings(study_dir.parent / "prefs.ini")
    pilot = study_dir.parent / "Pilot interviews"
    with Study.open(pilot) as study:
        study.save()
    settings.add_recent(pilot)
    settings.mark_opened(pilot, time.time() - 3 * 86400)
    settings.add_recent(study_dir)
    settings.mark_opened(study_dir, time.time() - 86400)
    window = MainWindow(settings)
    window.resize(WIDTH, HEIGHT)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window._show_start()
    wait(300)
    save(window, out_dir / "screenshot-start.png")

    if not window.open_study(study_dir):
        sys.exit("; ".join(window.errors))
    inbox = study_dir.parent / "inbox"
    inbox.mkdir()
    broken = inbox / "Interview 4 - Teams export.m4a"
    broken.write_bytes(b"\x00\x00\x00\x18ftypM4A half a download" * 40)
    second = ROOT / "tests" / "data" / "speech" / "batch_1.m4a"
    if second.is_file():
        shutil.copyfile(second, inbox / "Interview 2 - ward sister.m4a")
    window.add_paths(sorted(inbox.iterdir(), reverse=True))
    rows = window.queue_model.rows
    wait_for(lambda: any(r.status == "failed" for r in rows), 120, "the broken file")
    wait_for(lambda: not window.worker.busy() or any(
        r.running and r.stage in ("transcribe", "speakers") and r.stage_fraction > 0.1
        for r in rows), 300, "the second recording's transcription")
    window.queue_view.select(rec_id)
    window.statusBar().clearMessage()
    wait(300)
    save(window, out_dir / "screenshot-queue.png")
    wait_for(lambda: not window.worker.busy(), 300, "the queue to finish")

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
    review.go_to_time(review.overview.duration * 0.35)
    wait(300)
    review.player.pause()
    window.statusBar().clearMessage()
    wait(800)
    save(window, out_dir / "screenshot-review.png")

    dialog = window.show_export_dialog()
    if dialog is None:
        sys.exit("the export dialog did not open")
    wait_for(lambda: dialog.names_settled(), 120, "the export file names")
    wait(300)
    save(dialog, out_dir / "screenshot-export.png")
    dialog.reject()
    window.close()


def main() -> None:
    args = parse_args()
    ensure_display()
    work = Path(tempfile.mkdtemp(prefix="anonyscribe-screenshot-"))
    try:
        study_dir = work / "Ward managers 2024"
        print(f"Processing the sample interview with '{args.model}'…")
        rec_id = make_study(study_dir, args.model)
        grab(study_dir, rec_id, args.out_dir.resolve(), args.decide)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
