"""Text sources in a study with recordings: one register, one set of pseudonyms, one review.

Real faster-whisper (tiny.en) on a real recording, real detector, real files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx

from anonyscribe.batch import BatchOptions, run_batch
from anonyscribe.core.study import Study
from anonyscribe.review.session import ReviewSession
from make_sources import forms_xlsx, teams_docx


def _service(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("Interviewer: Who supported you when you moved to the diabetes service?")
    d.add_paragraph("Participant: Hannah Price did. She runs the clinic in Bradford and she "
                    "put me forward for the course.")
    d.add_paragraph("Interviewer: And before that?")
    d.add_paragraph("Participant: Before that I was in York, nobody there knew Hannah Price.")
    d.save(str(path))
    return path


def test_audio_and_text_sources_share_pseudonyms(tmp_path: Path, speech_dir: Path,
                                                tiny_engines):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(speech_dir / "batch_1.m4a", src / "interview 1.m4a")  # "Doctor Hannah Price
    _service(src / "interview 2.docx")                                 #  ... in Bradford."
    out = tmp_path / "out"
    result = run_batch([src], out, tmp_path / "study", BatchOptions(auto=True, formats=["txt"]),
                       engines=tiny_engines)
    assert [i.status for i in result.items] == ["done", "done"], [i.message for i in
                                                                   result.items]
    audio = (out / "interview_1.txt").read_text("utf-8-sig")
    text = (out / "interview_2.txt").read_text("utf-8-sig")
    with Study.open(tmp_path / "study") as study:
        labels = {o: e.label for e in study.register.entries.values() for o in e.originals}
    assert {"Hannah Price", "Bradford"} <= set(labels)
    for body in (audio, text):  # the same pseudonym in the recording and in the text
        assert not re.search(r"hannah|price|bradford", body, re.I), body
        assert labels["Hannah Price"] in body
    # (the register is keyed by type: "Bradford" shares a label wherever the detector gives
    # it the same type, which is detection's business, not the source's)
    assert "#00:" in audio and "#00:" not in text  # the text source had no times
    assert "Participant: " in text and "Interviewer: " in text


def test_review_session_opens_text_and_survey_sources(tmp_path: Path, detector):
    from anonyscribe.processing import Engines

    src = tmp_path / "in"
    src.mkdir()
    teams_docx(src / "Marcus interview.docx")
    forms_xlsx(src / "survey.xlsx", n=20)
    out = tmp_path / "out"
    result = run_batch([src], out, tmp_path / "study",
                       engines=Engines(speakers="none", _detector=detector))
    assert [i.status for i in result.items] == ["review", "review"]
    with Study.open(tmp_path / "study") as study:
        by_name = {e.name: e for e in study.recordings.values()}
        teams = ReviewSession(study, by_name["Marcus interview.docx"].id)
        # the speakers' names are on the always list and their labels are replaced in preview
        always = {t["text"] for t in study.terms.always}
        assert {"Marcus Whitfield", "Hannah Price"} <= always
        assert teams.preview_speaker("S2").startswith("[Person ")
        assert any(f.text == "Barts Health" for f in teams.findings)
        sheet = ReviewSession(study, by_name["survey.xlsx"].id)
        seg = sheet.transcript.segments[0]
        assert sheet.transcript.speaker_label(seg.speaker) == "Respondent #1"
        assert seg.heading.startswith("What barriers")
