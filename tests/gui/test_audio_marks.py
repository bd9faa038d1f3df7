"""Marking by hand what the anonymised audio must cover (issue 19): Shift+drag on the overview
bar, or M on selected words; saved at once, undoable, shown on the bar, and read by the
audio export's coverage (the text never changes)."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from anonyscribe.exporting import audio_coverage  # noqa: E402
from anonyscribe.gui.review import ReviewWidget  # noqa: E402
from anonyscribe.review.text import word_around  # noqa: E402

from .test_workspace import _show, study  # noqa: E402, F401

pytestmark = pytest.mark.gui


@pytest.fixture
def review(qtbot, study):  # noqa: F811
    w = ReviewWidget(study, "rec-a")
    _show(qtbot, w)
    return w


def _saved(w: ReviewWidget) -> list[tuple[float, float]]:
    return [(m.start, m.end) for m in w.session.study.load_audio_marks("rec-a")]


def test_shift_drag_on_the_bar_marks_a_stretch_and_undo_takes_it_away(qtbot, review) -> None:
    bar = review.overview
    y = bar.height() // 2
    a, b = bar.x_of(10.0), bar.x_of(14.0)
    QTest.mousePress(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     QPoint(round(a), y))
    QTest.mouseMove(bar, QPoint(round(b), y))
    QTest.mouseRelease(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                       QPoint(round(b), y))
    [(start, end)] = _saved(review)
    step = bar.duration / (bar.width() - 4)  # one pixel, in seconds
    assert abs(start - 10.0) <= 2 * step and abs(end - 14.0) <= 2 * step
    assert bar._marks == [(start, end)]  # drawn on the bar
    assert bar.mark_at(bar.x_of(12.0)) == review.session.audio_marks[0].id
    before = [s.text for s in review.session.transcript.segments]
    review.undo_stack.undo()
    assert _saved(review) == [] and bar._marks == []
    review.undo_stack.redo()
    assert _saved(review) == [(start, end)]
    assert [s.text for s in review.session.study.load_transcript("rec-a").segments] == before


def test_a_plain_click_still_only_seeks(qtbot, review) -> None:
    bar = review.overview
    with qtbot.waitSignal(bar.seek_requested):
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(bar.x_of(5.0)), bar.height() // 2))
    assert _saved(review) == []


def test_m_covers_the_selected_words_by_their_times(qtbot, review) -> None:
    seg = review.session.transcript.segments[1]
    words = seg.text.split()
    start = seg.text.index(words[1])
    end = seg.text.index(words[2]) + len(words[2])
    cursor = review.view.textCursor()
    cursor.setPosition(review.view.doc_position(seg.id, start))
    cursor.setPosition(review.view.doc_position(seg.id, end), QTextCursor.MoveMode.KeepAnchor)
    review.view.setTextCursor(cursor)
    review.view.setFocus()
    QTest.keyClick(review.view, Qt.Key.Key_M)
    assert _saved(review) == [pytest.approx((seg.words[1].start, seg.words[2].end), abs=1e-3)]
    coverage = audio_coverage(review.session.study, "rec-a")
    assert coverage.marked == 1
    assert any(s.start <= seg.words[1].start and seg.words[2].end <= s.end
               for s in coverage.stretches)

    mark = review.session.audio_marks[0]  # the bar's right-click menu calls this
    assert review.unmark_audio(mark.id) and _saved(review) == []
    review.undo_stack.undo()
    assert _saved(review) == [(mark.start, mark.end)]


def test_m_without_a_selection_covers_the_word_at_the_cursor(qtbot, review) -> None:
    seg = review.session.transcript.segments[0]
    word = seg.text.split()[2]
    at = seg.text.index(word) + 1
    cursor = review.view.textCursor()
    cursor.setPosition(review.view.doc_position(seg.id, at))
    review.view.setTextCursor(cursor)
    review.view.setFocus()
    QTest.keyClick(review.view, Qt.Key.Key_M)
    assert _saved(review) == [pytest.approx((seg.words[2].start, seg.words[2].end), abs=1e-3)]


def test_a_slip_of_the_mouse_marks_nothing(review) -> None:
    assert not review.mark_audio(3.0, 3.02)
    assert _saved(review) == [] and "at least" in review.banner.text()


def test_word_around() -> None:
    assert word_around("Hello Rachel Morgan.", 8) == (6, 12)
    assert word_around("Hello Rachel Morgan.", 12) == (6, 12)  # just after the word
    assert word_around("Hello  there", 6) is None  # between two words
    assert word_around("O'Connor-Smith said", 3) == (0, 14)
