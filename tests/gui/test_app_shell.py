"""The app shell without a speech model: studies, settings, start page, dialogs, drops, errors.

Real widgets, real study folders in tmp_path, real QSettings (in a temporary INI file).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from anonyscribe.core.study import Study  # noqa: E402
from anonyscribe.gui.about_dialog import AboutDialog  # noqa: E402
from anonyscribe.gui.main_window import PAGE_QUEUE, PAGE_START, MainWindow  # noqa: E402
from anonyscribe.gui.queue_view import (  # noqa: E402
    STAGES,
    Row,
    StagePace,
    format_duration,
    format_eta,
)
from anonyscribe.gui.settings import AppSettings  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(tmp_path / "prefs" / "anonyscribe.ini")


@pytest.fixture
def window(qtbot, settings: AppSettings):
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_preferences_live_in_the_given_file_and_forget_missing_studies(tmp_path: Path) -> None:
    s = AppSettings(tmp_path / "p.ini")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    s.add_recent(a)
    s.add_recent(b)
    s.add_recent(a)  # re-opening moves it to the top, no duplicate
    s.set_last_study(b)
    again = AppSettings(tmp_path / "p.ini")
    assert again.recent_studies() == [a.resolve(), b.resolve()]
    assert again.last_study() == b.resolve()
    assert Path(again.file_name).parent == tmp_path
    b.rmdir()
    assert again.recent_studies() == [a.resolve()]
    assert again.last_study() is None


def test_new_study_opens_on_the_friendly_empty_queue(window: MainWindow, tmp_path: Path) -> None:
    assert window.pages.currentIndex() == PAGE_START
    folder = tmp_path / "Study A"
    assert window.open_study(folder)
    assert (folder / "study.json").is_file()
    assert window.pages.currentIndex() == PAGE_QUEUE
    assert window.queue_view.stack.currentIndex() == 0  # empty state
    empty_texts = [w.text() for w in window.queue_view.stack.widget(0).findChildren(
        type(window.summary))]
    assert "Drop Teams recordings here" in empty_texts
    assert "Study A" in window.windowTitle()
    assert window.menus.add_files_action.isEnabled()
    assert not window.menus.export_action.isEnabled()  # nothing processed yet
    window.close_study_by_user()
    assert window.pages.currentIndex() == PAGE_START
    assert window.app_settings.last_study() is None
    assert window.start_page.recent.rowCount() == 1
    assert window.start_page.recent.item(0, 0).text() == "Study A"
    assert window.start_page.recent.item(0, 1).text() == "0"  # recordings
    assert window.start_page.recent.item(0, 3).text().startswith("today")
    with Study.open(folder):  # the lock was released
        pass


def test_a_study_open_elsewhere_says_so_and_stays_untouched(window: MainWindow,
                                                            tmp_path: Path, qtbot) -> None:
    folder = tmp_path / "busy"
    holder = Study.open(folder)
    holder.save()
    try:
        assert not window.open_study(folder)
        assert "is open in Anonyscribe (process" in window.errors[-1]
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert boxes and "Close that window" in boxes[-1].text()
        assert window.pages.currentIndex() == PAGE_START
    finally:
        holder.close()
    assert window.open_study(folder)


def test_restart_reopens_the_last_study(qtbot, settings: AppSettings, tmp_path: Path) -> None:
    folder = tmp_path / "s"
    first = MainWindow(settings)
    qtbot.addWidget(first)
    assert first.open_study(folder)
    first.close()  # quitting keeps the study as the one to reopen
    second = MainWindow(AppSettings(settings.file_name))
    qtbot.addWidget(second)
    assert second.restore_last_study()
    assert second.shared is not None and second.shared.root == folder
    second.close()


def test_a_reopened_study_shows_what_processing_noted(qtbot, settings: AppSettings,
                                                       tmp_path: Path) -> None:
    """A note such as "the voices sound too alike" is kept on the recording, so the row
    still says it after the app is closed and opened again."""
    from anonyscribe.core.status import RecordingStatus
    from anonyscribe.speakers import ALIKE_NOTE

    folder, rec = tmp_path / "s", tmp_path / "interview.wav"
    rec.write_bytes(b"RIFF")  # never decoded here: only registered
    with Study.open(folder) as study:
        entry = study.add_recording(rec)
        entry.status, entry.notes = RecordingStatus.REVIEW, [ALIKE_NOTE]
        study.save()
    win = MainWindow(settings)
    qtbot.addWidget(win)
    assert win.open_study(folder)
    (row,) = win.queue_model.rows
    assert row.message == ALIKE_NOTE
    assert ALIKE_NOTE in win.queue_model.data(win.queue_model.index(0, 2),
                                              Qt.ItemDataRole.ToolTipRole)
    win.close()


def _drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(window.width() / 2, window.height() / 2)
    with warnings.catch_warnings():  # the only constructor PySide6 offers is marked deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)


def test_dropping_a_broken_recording_shows_why_in_plain_words(window: MainWindow, qtbot,
                                                              tmp_path: Path) -> None:
    window.open_study(tmp_path / "s")
    folder = tmp_path / "inbox"
    folder.mkdir()
    broken = folder / "Interview 3.m4a"
    broken.write_bytes(b"this is not audio at all " * 40)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    _drop(window, [folder])
    qtbot.waitUntil(lambda: bool(window.queue_model.rows)
                    and window.queue_model.rows[0].status == "failed", timeout=30000)
    row = window.queue_model.rows[0]
    assert len(window.queue_model.rows) == 1  # the PDF was skipped, not queued
    assert row.name == "Interview 3.m4a"
    assert "Interview 3.m4a" in row.message
    assert row.status_text().startswith("Failed: ")
    assert "Interview 3.m4a" not in row.status_text()  # the row names it already
    assert row.message in window.queue_model.data(
        window.queue_model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    saved = json.loads((tmp_path / "s" / "study.json").read_text())
    assert saved["recordings"][0]["status"] == "failed"
    assert saved["recordings"][0]["error"] == row.message
    window.queue_view.select(row.rec_id)
    assert window.queue_view.retry_button.isEnabled()
    assert not window.queue_view.review_button.isEnabled()


def test_time_left_covers_every_stage_and_names_the_stage() -> None:
    pace = StagePace()
    row = Row("rec-1", "a.wav", duration=600)
    row.start()
    row.progress("load", 0.0, now=0.0, pace=pace)
    row.progress("transcribe", 0.0, now=20.0, pace=pace)  # loading the model is not the pace
    assert row.eta == pytest.approx(sum(pace.expected(s, 600) for s in STAGES[1:]))
    row.progress("transcribe", 0.5, now=80.0, pace=pace)
    # half transcribed in 60 s: 60 s more, then speakers, identifiers and saving
    later = sum(pace.expected(s, 600) for s in ("speakers", "detect", "save"))
    assert row.eta == pytest.approx(60 + later)
    assert row.status_text() == "Transcribing 50 % · speakers next"
    assert 0.3 < row.fraction < 0.5  # one smooth bar: transcription is most of the job
    row.progress("speakers", 0.0, now=140.0, pace=pace)  # transcription took 120 s
    assert pace.seconds_per_second["transcribe"] == pytest.approx(0.3 * 0.5 + 0.7 * 0.2)
    assert row.status_text() == "Telling speakers apart · identifiers next"
    row.tick(now=140.0 + pace.expected("speakers", 600) + 30, pace=pace)  # speakers overran by 30 s
    assert row.eta is None  # no made-up "under a minute"
    assert row.eta_text().startswith("speakers taking longer")
    assert format_eta(3700) == "about 1 h 02 min"
    assert format_duration(3725) == "1:02:05"
    assert format_duration(65) == "1:05"


def test_about_lists_version_and_licences(window: MainWindow) -> None:
    dialog = window.show_about()
    assert isinstance(dialog, AboutDialog)
    cells = {dialog.licences.item(r, c).text() for r in range(dialog.licences.rowCount())
             for c in range(2)}
    for expected in ("MIT", "LGPL v3", "Open Government Licence v3.0"):
        assert expected in cells
    names = " ".join(cells)
    for component in ("Whisper", "faster-whisper", "spaCy", "Presidio", "PySide6",
                      "Organisation Data Service"):
        assert component in names
    dialog.close()


def test_study_settings_are_saved_in_the_study(window: MainWindow, tmp_path: Path,
                                               qtbot) -> None:
    window.open_study(tmp_path / "s")
    dialog = window.edit_study_settings()
    models = [dialog.model_box.itemText(i) for i in range(dialog.model_box.count())]
    assert "tiny.en" in models
    assert models[-1] == "Choose a model folder…"
    dialog.model_box.setCurrentIndex(models.index("tiny.en"))
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("cy"))
    dialog.vocabulary.setPlainText("Pinderfields\n\n  Dewsbury  \n")
    dialog.format_boxes["srt"].setChecked(True)
    dialog.format_boxes["txt"].setChecked(False)
    dialog.accept()
    saved = json.loads((tmp_path / "s" / "study.json").read_text())["settings"]
    assert saved["model"] == "tiny.en"
    assert saved["language"] == "cy"
    assert saved["vocabulary"] == ["Pinderfields", "Dewsbury"]
    assert set(saved["formats"]) == {"docx", "srt", "log"}  # the private log always


def test_shortcuts_sheet_lists_the_app_and_review_keys(window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    rows = {dialog.table.item(r, 1).text(): dialog.table.item(r, 0).text()
            for r in range(dialog.table.rowCount())}
    assert rows["New study"] == "Ctrl+N"
    review_rows = [what for what in rows if what.startswith("Accept")]
    assert review_rows and rows[review_rows[0]] == "A"  # published by the review screen
    dialog.close()


ENTRY_CHECK = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from anonyscribe.gui.app import main, make_application
from anonyscribe.gui.main_window import MainWindow

app = make_application()


def look_then_quit():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    print("OPEN", windows[0].shared.root if windows and windows[0].shared else None, flush=True)
    app.quit()


QTimer.singleShot(1000, look_then_quit)
sys.exit(main(sys.argv[1:]))
"""


def test_entry_point_reopens_the_last_study_and_lets_go_of_it(tmp_path: Path) -> None:
    """``main()`` in its own process (it runs the event loop to the end, as the app does)."""
    import os
    import subprocess
    import sys

    prefs = AppSettings(tmp_path / "p.ini")
    folder = tmp_path / "last"
    with Study.open(folder) as study:
        study.save()
    prefs.set_last_study(folder)
    script = tmp_path / "entry.py"
    script.write_text(ENTRY_CHECK)
    out = subprocess.run([sys.executable, str(script), f"--settings={prefs.file_name}"],
                         capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"OPEN {folder}" in out.stdout
    with Study.open(folder):  # quitting released the study's lock
        pass
    version = subprocess.run([sys.executable, "-m", "anonyscribe.gui", "--version"],
                             capture_output=True, text=True, timeout=120)
    assert version.returncode == 0 and version.stdout.startswith("Anonyscribe ")


def test_a_damaged_study_file_is_named_with_what_to_do(window: MainWindow,
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "study.json").write_text('{"settings": {"model": ')  # cut off mid-write
    assert not window.open_study(folder)
    assert str(folder / "study.json") in window.errors[-1]
    assert "Restore it from a backup" in window.errors[-1]
    assert window.pages.currentIndex() == PAGE_START
    lock = Study(folder)._lock
    lock.acquire()  # the failed open let go of the study again
    lock.release()


EXIT_WHILE_BUSY = r'''
import sys, threading, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from anonyscribe.core.study import Study
from anonyscribe.gui.workers import QueueWorker, SharedStudy
app = QCoreApplication([])
worker = QueueWorker(SharedStudy(Study.open(Path(sys.argv[1]))))
busy = threading.Event()
def long_model_call():  # a detector load or a model window: not interruptible
    busy.set()
    time.sleep(2.0)
worker.start()
worker._submit(long_model_call)
busy.wait(30)
print("STOPPED" if worker.stop(wait_ms=100) else "STILL-RUNNING", flush=True)
del worker
'''


def test_closing_while_a_model_call_runs_does_not_abort_at_exit(tmp_path: Path) -> None:
    """The window's close waits a while for the worker, then lets it finish on its own; the
    process must still exit cleanly (Python destroying a running QThread aborts it)."""
    proc = subprocess.run([sys.executable, "-c", EXIT_WHILE_BUSY, str(tmp_path / "study")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "STILL-RUNNING" in proc.stdout, proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Destroyed while thread" not in proc.stderr
