"""Text and survey sources in the review screen: no player, headings shown, same review."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from anonyscribe.batch import run_batch  # noqa: E402
from anonyscribe.core.study import Study  # noqa: E402
from anonyscribe.gui.review import ReviewWidget  # noqa: E402
from anonyscribe.processing import Engines  # noqa: E402
from make_sources import forms_xlsx, service_docx  # noqa: E402


@pytest.fixture
def study(tmp_path: Path, detector):
    src = tmp_path / "in"
    src.mkdir()
    service_docx(src / "interview 7.docx")
    forms_xlsx(src / "survey.xlsx", n=5)
    run_batch([src], tmp_path / "out", tmp_path / "study",
              engines=Engines(speakers="none", _detector=detector))
    with Study.open(tmp_path / "study") as s:
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


def test_adding_a_sheet_asks_for_its_columns_first(qtbot, tmp_path: Path, detector):
    from anonyscribe.gui.main_window import MainWindow
    from anonyscribe.gui.settings import AppSettings
    from anonyscribe.gui.survey_dialog import SurveyColumnsDialog
    from anonyscribe.sources import survey

    window = MainWindow(AppSettings(tmp_path / "settings.ini"),
                        engines=Engines(speakers="none", _detector=detector))
    qtbot.addWidget(window)
    assert window.open_study(tmp_path / "study")
    sheet = forms_xlsx(tmp_path / "survey.xlsx", n=8)
    window.add_paths([sheet])
    qtbot.waitUntil(lambda: window.survey_dialog is not None, timeout=10000)
    dialog: SurveyColumnsDialog = window.survey_dialog
    roles = [c.currentIndex() for c in dialog.combos]
    assert roles == [2, 2, 2, 2, 2, 1, 1, 0, 0]  # the proposal: drop ids/times/email/name
    dialog.combos[8].setCurrentIndex(2)  # the researcher drops the second question
    dialog.per_question.setChecked(True)
    dialog.accept()
    (entry,) = window.shared.recordings.values()
    plan = survey.load_plan(window.shared.folder(entry.id))
    assert (plan.options.text_columns, plan.options.per) == ([7], "question")
    assert 8 in plan.options.drop_columns and not plan.proposed
    qtbot.waitUntil(lambda: window.shared.recordings[entry.id].status == "review",
                    timeout=60000)
    t = window.shared.load_transcript(entry.id)
    assert {s.heading for s in t.segments} == {survey.read_layout(sheet).questions[7]}
    window.close_study()
