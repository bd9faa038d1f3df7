"""Text and survey sources in the review screen: no player, headings shown, same review."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from anonyscribe.batch import run_batch  # noqa: E402
from anonyscribe.core.study import Study  # noqa: E402
from anonyscribe.gui.review import ReviewWidget  # noqa: E402
from anonyscribe.pipeline import Engines  # noqa: E402
from make_sources import forms_xlsx, service_docx  # noqa: E402


@pytest.fixture
def study(tmp_path: Path, detector):
    src = tmp_path / "in"
    src.mkdir()
    service_docx(src / "interview 7.docx")
    forms_xlsx(src / "survey.xlsx", n=5)
    run_batch([src], tmp_path / "out", engines=Engines(speakers="none", _detector=detector))
    with Study.open(tmp_path / "out" / "private") as s:
        yield s


def _widget(qtbot, study: Study, name: str) -> ReviewWidget:
    (entry,) = [e for e in study.recordings.values() if e.name == name]
    widget = ReviewWidget(study, entry.id)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.player.broken, timeout=3000)
    return widget


def test_text_transcript_review_has_no_player(qtbot, study):
    widget = _widget(qtbot, study, "interview 7.docx")
    assert not widget.player.play_button.isEnabled()
    assert "no audio" in widget.player.message.text()
    body = widget.view.toPlainText()
    assert "Joanne Fairbairn" in body and "00:00" not in body  # the file had no times


def test_survey_review_shows_respondent_and_question(qtbot, study):
    widget = _widget(qtbot, study, "survey.xlsx")
    first = widget.view.toPlainText().splitlines()[0]
    assert first.startswith("Respondent #1") and "What barriers to progression" in first
    assert widget.session.counts()[1] > 0  # answers are flagged and reviewed like turns
