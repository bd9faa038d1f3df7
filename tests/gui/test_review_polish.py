"""Stumbles from issue 16: the findings' "Says" column, the speaker legend and the export
dialog's "not yet checked" page, a queue row ahead of study.json."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from anonyscribe.core.model import Speaker  # noqa: E402
from anonyscribe.core.study import Study  # noqa: E402
from anonyscribe.gui.export_dialog import PAGE_CHECK, PAGE_CHOOSE, ExportDialog  # noqa: E402
from anonyscribe.gui.review import ReviewWidget  # noqa: E402
from anonyscribe.gui.review.findings_panel import COL_TEXT  # noqa: E402
from anonyscribe.gui.workers import QueueWorker, SharedStudy  # noqa: E402

from .studies import flagged, review_study  # noqa: E402
from .test_workspace import _broken, _show, _transcript, window  # noqa: E402, F401

pytestmark = pytest.mark.gui

ORG = "Wakefield General Hospital"


def _study(tmp_path: Path, speakers: list[Speaker] | None = None) -> Study:
    t = _transcript()
    t.segments[3].text += f" She works at {ORG} now."
    if speakers is not None:
        t.speakers = speakers
    return review_study(tmp_path, t, flagged(t, [(3, ORG, "ORGANISATION"),
                                                 (3, "Dr Patel", "PERSON")]))


@pytest.fixture
def review(qtbot, tmp_path):
    s = _study(tmp_path)
    w = ReviewWidget(s, "rec-a")
    _show(qtbot, w)
    yield w
    s.close()


def _org_item(w: ReviewWidget):
    return next(w.panel.item(k) for k in w.panel._items if k[0] == "ORGANISATION")


def test_says_column_shows_an_organisation_in_full_with_and_without_preview(qtbot, review):
    w = review
    item = _org_item(w)
    needed = w.panel.tree.fontMetrics().horizontalAdvance(item.text(COL_TEXT))
    assert w.panel.tree.columnWidth(COL_TEXT) >= needed, "cut off with the preview closed"
    w.show_preview(True)
    qtbot.waitUntil(lambda: w.preview.isVisible())
    assert w.panel.tree.columnWidth(COL_TEXT) >= needed, "cut off with the preview open"
    # Even dragged as narrow as the splitter allows, a typical name stays whole.
    sizes = w.splitter.sizes()
    w.splitter.setSizes([sizes[0] + sizes[2], sizes[1], 0])
    assert w.panel.width() >= w.panel.minimumWidth() > 0
    assert w.panel.tree.columnWidth(COL_TEXT) >= needed


def test_says_has_its_full_text_on_hover(review):
    item = _org_item(review)
    assert ORG in item.toolTip(COL_TEXT)
    assert "Organisation" in item.toolTip(COL_TEXT)


def test_legend_lists_a_shared_speaker_label_once(qtbot, tmp_path):
    s = _study(tmp_path, [Speaker("S1", "Speaker 1"), Speaker("S2", "Speaker 2"),
                          Speaker("S3", "Speaker 1")])
    w = ReviewWidget(s, "rec-a")
    _show(qtbot, w)
    legend = w.speaker_legend.text()
    assert legend.count("Speaker 1") == 1 and legend.count("Speaker 2") == 1
    assert legend.count("&#9632;") == 3  # each voice keeps its colour swatch
    s.close()


def test_not_yet_checked_page_lists_markers_and_fits_its_content(qtbot, tmp_path):
    s = _study(tmp_path)
    shared = SharedStudy(s)
    worker = QueueWorker(shared)  # never started: the page needs no worker answer
    dialog = ExportDialog(shared, worker)
    qtbot.addWidget(dialog)
    dialog.destination.setText(str(tmp_path / "out"))
    dialog.show()
    qtbot.waitExposed(dialog)
    full = dialog.size()
    dialog._export_clicked()
    assert dialog.pages.currentIndex() == PAGE_CHECK
    listed = dialog.pending_list.toPlainText()
    assert "interview.wav: 2 not yet checked" in listed
    assert "[Organisation ?] ×1" in listed and "[Person ?] ×1" in listed
    assert dialog.height() < full.height() * 0.75, "the check page is mostly empty"
    qtbot.waitUntil(lambda: dialog.pending_list.verticalScrollBar().maximum() == 0,
                    timeout=2000)  # its lines show whole
    dialog.back_button.click()
    assert dialog.pages.currentIndex() == PAGE_CHOOSE and dialog.size() == full
    dialog.close()
    s.close()


def test_a_queue_row_shows_a_status_only_once_it_is_saved(qtbot, window, tmp_path,  # noqa: F811
                                                          monkeypatch):
    """The worker can fail a broken file before the GUI has drawn its row (a busy machine):
    the row must not show "failed" while study.json still says "queued"."""
    window.open_study(tmp_path / "s")
    saving_failed = threading.Event()
    save = Study.save

    def slow_save(study: Study) -> None:  # a slow disk, while the worker records the failure
        if (threading.current_thread() is not threading.main_thread()
                and any(e.status == "failed" for e in study.recordings.values())):
            saving_failed.set()
            time.sleep(0.5)
        save(study)

    monkeypatch.setattr(Study, "save", slow_save)
    enqueue = window.worker.enqueue

    def enqueue_then_lag(rec_id: str) -> None:  # the GUI thread falls behind the worker
        enqueue(rec_id)
        saving_failed.wait(30)

    monkeypatch.setattr(window.worker, "enqueue", enqueue_then_lag)
    shown: list[tuple[str, str]] = []
    upsert = window.queue_model.upsert

    def upsert_and_compare(entry, pending=None):
        row = upsert(entry, pending)
        saved = json.loads((tmp_path / "s" / "study.json").read_text())
        shown.append((row.status, saved["recordings"][0]["status"]))
        return row

    monkeypatch.setattr(window.queue_model, "upsert", upsert_and_compare)
    window.add_paths([_broken(tmp_path / "inbox")])
    qtbot.waitUntil(lambda: bool(window.queue_model.rows)
                    and window.queue_model.rows[0].status == "failed", timeout=30000)
    assert shown and all(row == saved for row, saved in shown), shown
