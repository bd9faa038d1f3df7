"""The review screen shows the plan's labels: same-person merges from the panel, undo, and the
preview pane, exactly as the export will write them."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from anonyscribe.core.model import (  # noqa: E402
    Decision,
    Finding,
    RecordingInfo,
    Segment,
    Speaker,
    Transcript,
)
from anonyscribe.core.study import RecordingEntry, Study  # noqa: E402
from anonyscribe.gui.review import ReviewWidget  # noqa: E402
from anonyscribe.gui.review.findings_panel import COL_LABEL  # noqa: E402

pytestmark = pytest.mark.gui


def _recording(study: Study, rec_id: str, text: str, names: list[str],
               decision: Decision) -> None:
    findings = [Finding(0, text.index(n), text.index(n) + len(n), "PERSON", n, 0.8, "test",
                        decision) for n in names]
    study.recordings[rec_id] = RecordingEntry(rec_id, f"{rec_id}.m4a", "", status="review")
    study.save_transcript(rec_id, Transcript(RecordingInfo(f"{rec_id}.m4a", 4.0),
                                             [Segment(0, 0.0, 3.0, text, "S1")],
                                             [Speaker("S1", "Speaker 1")]))
    study.save_findings(rec_id, findings)
    study.save()


@pytest.fixture
def widget(qtbot, tmp_path: Path):
    study = Study.open(tmp_path / "study")
    _recording(study, "a", "Bernadette Kowalczyk said hello.", ["Bernadette Kowalczyk"],
               Decision.ACCEPTED)
    _recording(study, "b", "Tom and Bernadette Cowalknik came.", ["Tom", "Bernadette Cowalknik"],
               Decision.PENDING)
    w = ReviewWidget(study, "b")
    qtbot.addWidget(w)
    w.show_preview(True)
    yield w
    study.close()


def test_panel_proposes_same_person_and_merge_is_undoable(widget):
    w = widget
    key = ("PERSON", "bernadette cowalknik")
    assert w.panel.item(key).text(COL_LABEL) == "[Person ?]  same as [Person 1]?"
    assert w.preview.toPlainText().count("[Person ?]") == 2  # pending: the export's marker
    w.panel.tree.setCurrentItem(w.panel.item(key))
    assert w.panel.same_candidates()[0][:2] == ("[Person 1]", "Bernadette Kowalczyk")
    w.panel.accept_button.click()
    assert w.panel.item(key).text(COL_LABEL) == "[Person 2]"
    assert "[Person ?] and [Person 2] came." in w.preview.toPlainText()
    assert w.same_person(key, "Bernadette Kowalczyk")
    assert w.panel.item(key).text(COL_LABEL) == "[Person 1]"
    assert "[Person ?] and [Person 1] came." in w.preview.toPlainText()
    assert w.session.preview().segments[0].text == "[Person ?] and [Person 1] came."
    w.undo_stack.undo()
    assert w.panel.item(key).text(COL_LABEL) == "[Person 2]"
    assert "[Person ?] and [Person 2] came." in w.preview.toPlainText()
    w.undo_stack.redo()
    assert w.panel.item(key).text(COL_LABEL) == "[Person 1]"
