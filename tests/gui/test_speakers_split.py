"""Repairing who said what in review: split a turn at a word, swap voices, name the roles;
undo, redo, and the exports (.vtt, .docx) show the repair."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")
docx = pytest.importorskip("docx")

from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu  # noqa: E402

from anonyscribe.core.model import Decision  # noqa: E402
from anonyscribe.core.study import Study  # noqa: E402
from anonyscribe.exporting import export_recording  # noqa: E402
from anonyscribe.speakers.teams import parse_vtt  # noqa: E402

from . import test_review_widget as base  # noqa: E402

study, widget = base.study, base.widget  # the review screen's fixtures
block_text, press = base.block_text, base.press

pytestmark = pytest.mark.gui


def on_disk(study: Study):
    return Study.open(study.root, lock=False).load_transcript("rec-a")


def put_cursor(w, seg: int, text: str) -> None:
    c = w.view.textCursor()
    c.setPosition(w.view.doc_position(seg, w.session.segment(seg).text.index(text)) + 1)
    w.view.setTextCursor(c)


def test_split_a_turn_at_a_word_by_key_undo_redo_export(qtbot, widget, study, tmp_path):
    w = widget
    # Turn 1 holds the answer "Thank you Sarah." and the next question: split before "How".
    put_cursor(w, 1, "How long")
    press(qtbot, w, Qt.Key.Key_S)
    t = on_disk(study)
    assert [s.text for s in t.segments][1:3] == [
        "Thank you Sarah.", "How long have you been a ward manager there?"]
    assert [s.speaker for s in t.segments] == ["S1", "S2", "S1", "S1", "S2"]
    assert t.segments[2].start == t.segments[2].words[0].start
    assert [w_.text.strip() for w_ in t.segments[2].words][:2] == ["How", "long"]
    # the finding in the moved text moved with its words
    manager = next(f for f in w.session.findings if f.text == "ward manager")
    assert manager.segment_id == t.segments[2].id
    assert w.session.segment(manager.segment_id).text[manager.start:manager.end] == \
        "ward manager"
    assert block_text(w, 2, header=True).startswith("Speaker 1")
    assert block_text(w, 2).startswith("How long")
    assert w.undo_stack.undoText().startswith("Split the turn at")

    w.undo_stack.undo()
    t = on_disk(study)
    assert len(t.segments) == 4 and t.segments[1].text.startswith("Thank you Sarah. How long")
    saved_manager = next(f for f in Study.open(study.root, lock=False).load_findings("rec-a")
                         if f.text == "ward manager")
    assert saved_manager.segment_id == 1
    assert block_text(w, 1).startswith("Thank you Sarah. How long")

    w.undo_stack.redo()
    t = on_disk(study)
    assert len(t.segments) == 5 and t.segments[2].speaker == "S1"

    # Export: the split shows in the .vtt voices and the .docx paragraphs.
    w.session.set_decision([f.id for f in w.session.findings], Decision.ACCEPTED)
    out = tmp_path / "out"
    paths = export_recording(Study.open(study.root, lock=False), "rec-a", out, ["vtt", "docx"])
    vtt = next(p for p in paths if p.suffix == ".vtt")
    voices = [(c.speaker, c.text) for c in parse_vtt(vtt.read_text("utf-8"))]
    said = [v for v, text in voices if "How long" in text]
    thanks = [v for v, text in voices if "Thank you" in text]
    assert said and thanks and said[0] != thanks[0]
    document = docx.Document(str(next(p for p in paths if p.suffix == ".docx")))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    how = next(i for i, p in enumerate(paragraphs) if "How long" in p)
    assert "Thank you" not in paragraphs[how]
    assert any("Thank you" in p for p in paragraphs[:how])


def _pick(qtbot, path: list[str]) -> None:
    """On the next popup menu, trigger the entry at ``path`` (submenus, then the entry)."""
    def poll() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, poll)
            return
        current = menu
        for name in path[:-1]:
            current = next(a.menu() for a in current.actions() if a.text() == name)
        action = next(a for a in current.actions() if a.text().startswith(path[-1]))
        menu.close()
        action.trigger()
    QTimer.singleShot(0, poll)


def test_split_to_a_new_speaker_from_the_menu_swap_and_name_roles(qtbot, widget, study):
    w = widget
    at = w.session.segment(2).text.index("Sarah Thompson is")
    rect = w.view.cursorRect(_cursor_at(w, 2, at + 2))
    where = w.view.viewport().mapToGlobal(QPoint(rect.center().x(), rect.center().y()))
    _pick(qtbot, ["Split here, give the rest to", "A new speaker"])
    w._context_menu(where)
    qtbot.waitUntil(lambda: len(on_disk(study).segments) == 5)
    t = on_disk(study)
    assert t.segments[3].text.startswith("Sarah Thompson is my full name")
    assert t.segments[3].speaker == "S3" and t.speaker_label("S3") == "Speaker 3"
    w.undo_stack.undo()
    assert len(on_disk(study).segments) == 4 and {s.id for s in on_disk(study).speakers} == {
        "S1", "S2"}

    # Swap the two voices for the whole recording, then undo.
    put_cursor(w, 0, "Hello")
    _pick(qtbot, ["Swap speakers with", "Speaker 2"])
    w._context_menu(w.view.mapToGlobal(w.view.cursorRect().center()))
    qtbot.waitUntil(lambda: on_disk(study).segments[0].speaker == "S2")
    assert [s.speaker for s in on_disk(study).segments] == ["S2", "S1", "S2", "S1"]
    w.undo_stack.undo()
    assert [s.speaker for s in on_disk(study).segments] == ["S1", "S2", "S1", "S2"]

    # S2 asks the questions ("How long...?", "And you live in Leeds?"): the interviewer.
    assert w.session.suggested_roles() == {"S2": "Interviewer", "S1": "Participant"}
    assert w.name_roles()
    assert on_disk(study).speaker_label("S2") == "Interviewer"
    assert on_disk(study).speaker_label("S1") == "Participant"
    w.undo_stack.undo()  # one step undoes both names
    assert on_disk(study).speaker_label("S2") == "Speaker 2"
    assert on_disk(study).speaker_label("S1") == "Speaker 1"


def _cursor_at(w, seg: int, offset: int):
    c = w.view.textCursor()
    c.setPosition(w.view.doc_position(seg, offset))
    return c


def test_study_settings_say_what_the_recordings_are(qtbot):
    from anonyscribe.core.study import RecordingKind, StudySettings
    from anonyscribe.gui.study_dialog import StudySettingsDialog

    settings = StudySettings()
    dialog = StudySettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.kind_box.currentData() == RecordingKind.INTERVIEW.value  # the default
    assert dialog.group_size.isHidden()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(RecordingKind.FOCUS_GROUP.value))
    assert not dialog.group_size.isHidden()
    dialog.group_size.setValue(5)
    dialog.apply_to(settings)
    assert settings.expected_speakers() == 5
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData(RecordingKind.OTHER.value))
    dialog.apply_to(settings)
    assert settings.expected_speakers() is None
    reopened = StudySettingsDialog(settings)
    qtbot.addWidget(reopened)
    assert reopened.kind_box.currentData() == RecordingKind.OTHER.value


def test_renaming_an_unnamed_voice_offers_its_role(qtbot, widget):
    w = widget
    seen = []

    def look(dialog):
        seen.append(dialog.textValue())
        dialog.reject()

    w.set_current(None)
    put_cursor(w, 1, "How long")  # Speaker 2 asks the questions
    base.when_modal(qtbot, look)
    press(qtbot, w, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: len(seen) == 1)
    put_cursor(w, 0, "Hello")
    base.when_modal(qtbot, look)
    w.rename_current_speaker()
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == ["Interviewer", "Participant"]
