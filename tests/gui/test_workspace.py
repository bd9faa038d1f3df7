"""The review workspace a researcher meets: start page, new study, queue actions, and the
review editor's paragraphs, colours, overview, search, keys and dialogs. Real widgets, real
study folders, the real detector where a type is guessed."""

from __future__ import annotations

import json
import math
import struct
import wave
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, QUrl, Slot  # noqa: E402
from PySide6.QtGui import QDesktopServices  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QMessageBox  # noqa: E402

from anonyscribe.core.model import (  # noqa: E402
    Decision,
    RecordingInfo,
    Segment,
    Speaker,
    Transcript,
    Word,
)
from anonyscribe.core.study import RecordingKind  # noqa: E402
from anonyscribe.detect.guess import guess_type  # noqa: E402
from anonyscribe.gui.main_window import PAGE_QUEUE, PAGE_REVIEW, MainWindow  # noqa: E402
from anonyscribe.gui.review import ReviewWidget  # noqa: E402
from anonyscribe.gui.review.review_widget import AddFindingDialog  # noqa: E402
from anonyscribe.gui.review.shortcuts import ShortcutsDialog  # noqa: E402
from anonyscribe.gui.review.transcript_view import paragraph_mark  # noqa: E402
from anonyscribe.gui.settings import AppSettings  # noqa: E402
from anonyscribe.gui.start_page import NewStudyDialog  # noqa: E402

from .studies import flagged, review_study  # noqa: E402

pytestmark = pytest.mark.gui

LONG_TURN = ("I started on the ward in the spring and it was hard at first, because the team "
             "was new and nobody knew the rota or the patients. Then the funding changed and "
             "everything moved again. Mark Ellis ran the unit then. He was a good ward manager "
             "and everyone trusted him.")
TURNS = [
    ("S1", "Thank you for coming in. Could you tell me about your work?"),
    ("S2", LONG_TURN),
    ("S1", "And where was that? Was it in Leeds?"),
    ("S2", "Yes, in Leeds, near the station. I spoke to Dr Patel about it."),
]
FLAGS = [(1, "Mark Ellis", "PERSON"), (2, "Leeds", "LOCATION"), (3, "Leeds", "LOCATION"),
         (3, "Dr Patel", "PERSON")]


def _transcript() -> Transcript:
    """Word timings at a steady pace, with a 3 s pause after "again." in the long turn."""
    segments, t = [], 0.0
    for i, (speaker, text) in enumerate(TURNS):
        words, start = [], t
        for w in text.split():
            words.append(Word(" " + w, t, t + 0.3))
            t += 0.4 + (3.0 if w == "again." else 0.0)
        segments.append(Segment(i, start, t, text, speaker, words))
        t += 1.0
    return Transcript(RecordingInfo("interview.wav", t), segments,
                      [Speaker("S1", "Interviewer"), Speaker("S2", "Participant")])


@pytest.fixture
def study(tmp_path: Path):
    t = _transcript()
    s = review_study(tmp_path, t, flagged(t, FLAGS))
    yield s
    s.close()


def _show(qtbot, w) -> None:
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)


@pytest.fixture
def widget(qtbot, study):
    w = ReviewWidget(study, "rec-a")
    _show(qtbot, w)
    w.view.setFocus()
    return w


_TEST = [0]  # which test is running: a poller started in an earlier one stops


@pytest.fixture(autouse=True)
def _one_test_at_a_time():
    _TEST[0] += 1
    yield
    _TEST[0] += 1


def when_modal(handle, kind: type = QDialog, tries: int = 500) -> None:
    """Run ``handle(dialog)`` on the next modal ``kind`` dialog (dialogs block in exec());
    stops at the end of the test, so a later test's dialog is never answered by this one."""
    mine = _TEST[0]

    def poll(left: int) -> None:
        if _TEST[0] != mine:
            return
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            handle(dialog)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(0, lambda: poll(tries))


def _select(w: ReviewWidget, seg: int, text: str) -> None:
    start = w.session.segment(seg).text.index(text)
    w.view.select_text(seg, start, start + len(text))


# -- review editor ---------------------------------------------------------------------------
def test_long_turn_reads_as_paragraphs_with_clickable_times(qtbot, widget):
    w = widget
    body = w.view.document().findBlockByNumber(3).text()  # the long turn's text block
    seg = w.session.segment(1)
    after = seg.text.index("Mark Ellis")  # the 3 s pause follows "again."
    when = next(wd.start for wd in seg.words if wd.text.strip() == "Mark")
    assert paragraph_mark(when) in body
    assert body.replace(paragraph_mark(when), "") != body
    # the finding after the break still maps to its words, and the text stays the turn's
    f = next(f for f in w.session.findings if f.text == "Mark Ellis")
    a, b = w.view.finding_range(f)
    assert w.view.document().characterAt(a) == "M" and b - a == len("Mark Ellis")
    assert w.view.text_position(a) == (1, after)
    # clicking the paragraph's time asks for that moment of the recording
    doc_at = w.view.doc_position(1, after) - len(paragraph_mark(when)) + 3
    from PySide6.QtGui import QTextCursor
    c = QTextCursor(w.view.document())
    c.setPosition(doc_at)
    with qtbot.waitSignal(w.view.time_clicked, timeout=2000) as sig:
        qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=w.view.cursorRect(c).center())
    assert sig.args == [pytest.approx(when)]


def test_speakers_have_colours_and_a_legend(widget):
    w = widget
    header = w.view.document().findBlockByNumber(0)
    colours = set()
    for seg_index in (0, 1):
        block = w.view.document().findBlockByNumber(2 * seg_index)
        fmt = block.begin().fragment().charFormat()
        colours.add(fmt.foreground().color().name())
    assert len(colours) == 2  # two voices, two colours
    assert header.text().startswith("Interviewer")
    assert "Interviewer" in w.speaker_legend.text() and "Participant" in w.speaker_legend.text()


def test_a_wraps_to_the_first_undecided_finding(qtbot, widget):
    w = widget
    order = w.session.ordered()
    w.session.set_decision([f.id for f in order[1:-1]], Decision.REJECTED)
    w.set_current(order[-1])
    qtbot.keyClick(w.view, Qt.Key.Key_A)
    assert w.session.finding(order[-1].id).decision is Decision.ACCEPTED
    assert w.current_finding.id == order[0].id  # wrapped past the decided ones
    qtbot.keyClick(w.view, Qt.Key.Key_R)
    assert w.session.counts() == (len(order), len(order))
    assert "Every finding is decided" in w.banner.text()


def test_flag_dialog_proposes_the_detectors_type(qtbot, widget, detector):
    w = widget
    w.type_guesser = lambda text, a, b: guess_type(detector, text, a, b)
    seen: dict[str, str] = {}

    def read_and_cancel(dialog) -> None:
        assert isinstance(dialog, AddFindingDialog)
        seen["type"] = dialog.type_box.currentData()
        dialog.reject()

    for seg, text, expected in ((1, "ward manager", "ROLE"), (3, "near the station", None)):
        seen.clear()
        _select(w, seg, text)
        when_modal(read_and_cancel, AddFindingDialog)
        qtbot.keyClick(w.view, Qt.Key.Key_F)
        assert "type" in seen  # the dialog opened (the second time: keys came back)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view, timeout=2000)
        if expected:
            assert seen["type"] == expected
    # words already flagged elsewhere keep their type, detector or not
    w.type_guesser = None
    c = w.session.segment(3).text.index("Patel")
    assert w.guess_type(3, c - 3, c + len("Patel")) == "PERSON"


def test_focus_returns_to_the_transcript_after_dialogs(qtbot, widget):
    w = widget
    qtbot.keyClick(w.view, Qt.Key.Key_F1)
    sheet = w.findChild(ShortcutsDialog)
    assert sheet is not None and sheet.isVisible()
    sheet.reject()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view, timeout=2000)
    seen = []
    when_modal(lambda dialog: (seen.append(dialog.windowTitle()), dialog.reject()),
               QInputDialog)
    qtbot.keyClick(w.view, Qt.Key.Key_F2)  # the rename dialog, cancelled
    assert seen == ["Rename speaker"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.view, timeout=2000)
    before = w.current_finding
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J)  # keys work without a click
    assert w.current_finding is not before


def test_ctrl_f_finds_and_selects_text(qtbot, widget):
    w = widget
    qtbot.keyClick(w.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.search.isVisible()
    assert QApplication.focusWidget() is w.search.field
    qtbot.keyClicks(w.search.field, "leeds")
    assert w.view.textCursor().selectedText() == "Leeds"
    assert w.search.count.text() == "1 of 2"
    first = w.view.selection()
    qtbot.keyClick(w.search.field, Qt.Key.Key_Return)
    assert w.search.count.text() == "2 of 2"
    assert w.view.selection() != first and w.view.textCursor().selectedText() == "Leeds"
    qtbot.keyClick(w.search.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert w.view.selection() == first
    qtbot.keyClick(w.search.field, Qt.Key.Key_Escape)
    assert not w.search.isVisible()
    assert QApplication.focusWidget() is w.view
    assert w.view.selection() == first  # ready to flag with F


def _tone(path: Path, seconds: float, rate: int = 8000) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(struct.pack("<h", int(6000 * math.sin(i / 6)))
                                 for i in range(int(seconds * rate))))
    return path


def test_clicking_the_overview_seeks_the_player(qtbot, study, tmp_path):
    pytest.importorskip("PySide6.QtMultimedia")
    duration = _transcript().recording.duration
    w = ReviewWidget(study, "rec-a", media_path=_tone(tmp_path / "tone.wav", duration))
    _show(qtbot, w)
    qtbot.waitUntil(lambda: w.player.ready or w.player.broken, timeout=5000)
    if not w.player.ready:
        pytest.skip(f"no audio backend here: {w.player.message.text()}")
    qtbot.waitUntil(lambda: w.player.slider.maximum() > 0, timeout=5000)
    bar = w.overview
    x = int(bar.x_of(duration * 0.6))
    target = bar.seconds_at(x)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(x, bar.height() // 2))
    qtbot.waitUntil(lambda: abs(w.player.position() - target) < 1.0, timeout=5000)
    assert bar.position == pytest.approx(target, abs=1.0)
    where = w.session.word_spoken_at(target)
    assert where is None or w.view._playing is not None  # the words there are highlighted
    w.player.pause()


# -- start page, new study, queue ---------------------------------------------------------------
@pytest.fixture
def window(qtbot, tmp_path: Path):
    win = MainWindow(AppSettings(tmp_path / "prefs" / "a.ini"))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_new_study_dialog_creates_the_folder_with_what_the_recordings_are(qtbot, window,
                                                                          tmp_path: Path):
    dialog = window.new_study()
    assert isinstance(dialog, NewStudyDialog)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()  # no name yet
    dialog.where.setText(str(tmp_path / "projects"))
    qtbot.keyClicks(dialog.name, "Ward managers 2024")
    assert "projects/Ward managers 2024" in dialog.path_note.text().replace("\\", "/")
    dialog.kind_buttons[RecordingKind.FOCUS_GROUP].setChecked(True)
    dialog.group_size.setValue(6)
    dialog.language.setCurrentIndex(dialog.language.findData("cy"))
    dialog.accept()
    folder = tmp_path / "projects" / "Ward managers 2024"
    saved = json.loads((folder / "study.json").read_text())["settings"]
    assert (saved["recording_kind"], saved["group_size"], saved["language"]) == \
        ("focus_group", 6, "cy")
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_QUEUE, timeout=3000)
    assert window.shared is not None and window.shared.root == folder


def test_new_study_refuses_a_folder_full_of_other_files(qtbot, window, tmp_path: Path):
    busy = tmp_path / "Downloads"
    busy.mkdir()
    (busy / "something.pdf").write_bytes(b"%PDF")
    dialog = window.new_study()
    dialog.where.setText(str(tmp_path))
    dialog.name.setText("Downloads")
    assert "already holds other files" in dialog.error.text()
    assert not dialog.buttons.buttons()[0].isEnabled()
    dialog.reject()


def test_start_page_shows_recordings_and_findings_to_check(qtbot, window, study):
    root = study.root
    study.close()
    window.app_settings.add_recent(root)
    window.app_settings.mark_opened(root)
    window._show_start()
    table = window.start_page.recent
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(3)] == ["study", "1", "4 finding(s)"]
    assert table.item(0, 3).text().startswith("today")


def _broken(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "Interview 3.m4a"
    path.write_bytes(b"this is not audio at all " * 40)
    return path


def test_adding_a_recording_twice_says_it_is_already_there(qtbot, window, tmp_path):
    window.open_study(tmp_path / "s")
    path = _broken(tmp_path / "inbox")
    window.add_paths([path])
    qtbot.waitUntil(lambda: bool(window.queue_model.rows)
                    and window.queue_model.rows[0].status == "failed", timeout=30000)
    row = window.queue_model.rows[0]
    window.queue_view.resize(900, 400)
    index = window.queue_model.index(0, 2)
    assert window.queue_view.table.rowHeight(0) > window.queue_view.table.fontMetrics().height()
    shown = window.queue_model.data(index).casefold()
    assert row.message.split(": ", 1)[-1].casefold() in shown  # the whole message, in words
    window.add_paths([path])
    qtbot.waitUntil(lambda: "Already in this study" in window.queue_view.info.text(),
                    timeout=30000)
    assert "Interview 3.m4a" in window.queue_view.info.text()
    assert "nothing new added" in window.queue_view.info.text()
    assert len(window.queue_model.rows) == 1


def test_delete_removes_a_failed_row_and_its_files(qtbot, window, tmp_path):
    window.open_study(tmp_path / "s")
    path = _broken(tmp_path / "inbox")
    window.add_paths([path])
    qtbot.waitUntil(lambda: bool(window.queue_model.rows)
                    and window.queue_model.rows[0].status == "failed", timeout=30000)
    rec_id = window.queue_model.rows[0].rec_id
    window.queue_view.select(rec_id)
    assert window.queue_view.remove_button.isEnabled()

    def yes(box) -> None:
        assert isinstance(box, QMessageBox) and "not touched" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    when_modal(yes, QMessageBox)
    window.queue_view.table.setFocus()
    qtbot.keyClick(window.queue_view.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not window.queue_model.rows, timeout=3000)
    saved = json.loads((tmp_path / "s" / "study.json").read_text())
    assert saved["recordings"] == []
    assert not (tmp_path / "s" / "recordings" / rec_id).exists()
    assert path.is_file()  # the recording itself stays
    assert window.queue_view.stack.currentIndex() == 0  # back to the empty state


def test_queue_context_menu_offers_remove_reveal_and_retry(qtbot, window, tmp_path):
    window.open_study(tmp_path / "s")
    window.add_paths([_broken(tmp_path / "inbox")])
    qtbot.waitUntil(lambda: bool(window.queue_model.rows)
                    and window.queue_model.rows[0].status == "failed", timeout=30000)
    table = window.queue_view.table
    pos = table.visualRect(window.queue_model.index(0, 0)).center()
    table.customContextMenuRequested.emit(pos)
    menu = window.queue_view.context_menu
    enabled = {a.text().split("\t")[0]: a.isEnabled() for a in menu.actions()}
    menu.close()
    assert enabled["Retry"] and enabled["Remove from the study"]
    assert enabled["Show the recording in its folder"]
    assert not enabled["Review"] and not enabled["Cancel"]


def test_escape_from_search_stays_in_the_review_then_goes_back(qtbot, window, study):
    root = study.root
    study.close()
    assert window.open_study(root)
    window.queue_view.select("rec-a")
    window.queue_view.table.setFocus()
    qtbot.keyClick(window.queue_view.table, Qt.Key.Key_Return)  # Enter opens the review
    review = window.review
    assert review is not None and window.pages.currentIndex() == PAGE_REVIEW
    qtbot.waitUntil(review.isVisible)
    review.open_search()
    qtbot.keyClick(review.search.field, Qt.Key.Key_Escape)
    assert window.pages.currentIndex() == PAGE_REVIEW  # Esc closed the search only
    window.show_shortcuts().reject()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is review.view, timeout=2000)


def test_preferences_remember_the_last_media_folder_and_when_studies_were_opened(tmp_path):
    settings = AppSettings(tmp_path / "p.ini")
    media = tmp_path / "Teams recordings"
    media.mkdir()
    assert settings.media_folder() == ""
    settings.set_media_folder(media)
    study = tmp_path / "study"
    study.mkdir()
    settings.add_recent(study)
    settings.mark_opened(study, 1_700_000_000.0)
    again = AppSettings(tmp_path / "p.ini")  # as after a restart
    assert again.media_folder() == str(media)
    assert again.opened_times() == {str(study.resolve()): 1_700_000_000.0}
    media.rmdir()
    assert again.media_folder() == ""  # a folder that went away is not offered


def test_a_failed_row_has_no_empty_bar(qtbot, window, tmp_path):
    window.open_study(tmp_path / "s")
    window.add_paths([_broken(tmp_path / "inbox")])
    qtbot.waitUntil(lambda: bool(window.queue_model.rows)
                    and window.queue_model.rows[0].status == "failed", timeout=30000)
    assert window.queue_model.data(window.queue_model.index(0, 3)) == ""  # no "0 %"
    assert window.queue_model.data(window.queue_model.index(0, 4)) == ""  # no time left


def test_the_queue_says_when_everything_will_be_done() -> None:
    from anonyscribe.gui.queue_view import STAGES, QueueModel, Row, StagePace

    pace = StagePace()
    model = QueueModel()
    model.rows = [Row("a", "a.wav", duration=300, status="review"),
                  Row("b", "b.wav", duration=600), Row("c", "c.wav", duration=1200,
                                                       status="transcribed")]
    running = model.rows[1]
    running.start()
    assert model.queue_eta(pace) is None  # no estimate yet for the running one: no total
    running.progress("transcribe", 0.0, now=0.0, pace=pace)
    expected_c = sum(pace.expected(s, 1200) for s in STAGES[2:])  # transcript already saved
    assert model.queue_eta(pace) == pytest.approx(running.eta + expected_c)


class _FileManager(QObject):
    """Stands in for the desktop's file manager through Qt's own URL-handler hook."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


def test_show_in_folder_opens_the_recordings_folder(qtbot, window, tmp_path):
    window.open_study(tmp_path / "s")
    path = _broken(tmp_path / "inbox")
    window.add_paths([path])
    qtbot.waitUntil(lambda: bool(window.queue_model.rows)
                    and window.queue_model.rows[0].status == "failed", timeout=30000)
    manager = _FileManager()
    QDesktopServices.setUrlHandler("file", manager, "show")
    try:
        window.queue_view.reveal_requested.emit(window.queue_model.rows[0].rec_id)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(p) for p in manager.opened] == [path.parent]
