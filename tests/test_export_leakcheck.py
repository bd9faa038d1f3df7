"""The leak check finds planted originals anywhere in a file, and exports refuse to keep one."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonyscribe.core.files import TEMP_PREFIX
from anonyscribe.export import LeakError, export_study, leakcheck, write_format
from anonyscribe.export.common import save_docx
from anonyscribe.export.docx import build
from test_export_common import assert_no_original, sample


def _clean_docx(tmp_path: Path, name: str = "clean.docx"):
    s = sample()
    document = build(s.anonymised, "interview-001")
    return s, document, tmp_path / name


def _parts(leaks: list[leakcheck.Leak]) -> set[str]:
    return {leak.part for leak in leaks}


def test_clean_export_has_no_leak_even_for_names_that_are_font_names(tmp_path):
    s, document, path = _clean_docx(tmp_path)
    save_docx(document, path)
    # "Latha", "Mangal", "Georgia" are names of people and of fonts in the Word template.
    assert leakcheck.scan([path], [*s.originals, "Latha", "Mangal", "Georgia"]) == []


def test_planted_in_header(tmp_path):
    s, document, path = _clean_docx(tmp_path)
    document.sections[0].header.paragraphs[0].text = "Participant Jane Smith, ward 4"
    save_docx(document, path)
    leaks = leakcheck.scan([path], s.originals)
    assert any(p.startswith("word/header") for p in _parts(leaks))
    assert s.originals[leaks[0].term] in ("Jane", "Jane Smith")


def test_planted_in_a_core_property(tmp_path):
    s, document, path = _clean_docx(tmp_path)
    document.core_properties.title = "Leeds interview"
    document.save(str(path))  # as a writer that forgot to scrub would
    assert _parts(leakcheck.scan([path], s.originals)) == {"docProps/core.xml"}
    save_docx(document, path)  # the export path scrubs it away
    assert leakcheck.scan([path], s.originals) == []


def test_name_split_across_runs_is_found(tmp_path):
    s, document, path = _clean_docx(tmp_path)
    para = document.add_paragraph()
    para.add_run("Ja")
    para.add_run("ney said hello")
    save_docx(document, path)
    leaks = leakcheck.scan([path], s.originals)
    assert [s.originals[leak.term] for leak in leaks] == ["Janey"]


def test_planted_in_file_name(tmp_path):
    s = sample()
    path = tmp_path / "Interview_JaneSmith_2023.txt"
    path.write_text("nothing to see", encoding="utf-8")
    leaks = leakcheck.scan([path], s.originals)
    assert _parts(leaks) == {"file name"}
    assert all("jane" not in str(leak).casefold() for leak in leaks)
    error = LeakError("txt", leaks)
    assert "file name" in str(error) and "jane" not in str(error).casefold()


def test_case_whitespace_and_apostrophes_are_ignored_short_names_need_word_edges(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("worked at st  james’s HOSPITAL; also Alan", encoding="utf-8")
    leaks = leakcheck.scan([path], ["St James's Hospital", "Al", "2023"])
    assert [leak.term for leak in leaks] == [0]
    path.write_text("Interview 12 March 2023, with Al.", encoding="utf-8")
    assert {leak.term for leak in leakcheck.scan([path], ["Al", "2023"])} == {0, 1}
    path.write_text("[Person 1]: yes #00:20:23-5# exported 2023-05-01", encoding="utf-8")
    assert leakcheck.scan([path], ["2023", "20", "23"]) == []


@pytest.mark.parametrize("pad", [0, 70_000])  # short text; one searched around each needle
def test_an_ordinary_longer_word_is_not_the_original_but_a_name_made_longer_is(tmp_path, pad):
    """The review replaces whole words, so "Frankly" beside an accepted "Frank" could never
    be cleared: it is not a leak. A longer word that is no ordinary word still is."""
    path = tmp_path / "t.txt"
    filler = "and so on " * (pad // 10)
    originals = ["Frank", "chair", "Grace", "Bradford", "Hannah", "Smith"]
    path.write_text(filler + "Frankly the chairs were fine, gracefully done; an armchair",
                    encoding="utf-8")
    assert [leak.term for leak in leakcheck.scan([path], originals)] == []
    for planted, term in [("FRANK rang", 0), ("Frank's car", 0), ("a Bradfordian", 3),
                          ("the Hannahs came", 4), ("JaneSmith said", 5), ("chair-led", 1),
                          ("unfrankly", 0)]:
        path.write_text(filler + "Frankly, " + planted, encoding="utf-8")
        assert [leak.term for leak in leakcheck.scan([path], originals)] == [term], planted


def test_export_refuses_and_leaves_nothing_when_text_still_has_an_original(tmp_path):
    s = sample()
    s.anonymised.segments[3].text = "And I sat in with Zoë Ångström, as the café was closed."
    for fmt in ("txt", "docx", "nvivo", "srt", "vtt"):
        with pytest.raises(LeakError) as err:
            write_format(fmt, s.anonymised, tmp_path, "interview-001", s.originals)
        assert fmt in str(err.value)
        assert_no_original(str(err.value), s.originals)
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_leaking_speaker_label_or_stem(tmp_path):
    s = sample()
    s.anonymised.speakers[2].label = "Leeds observer"
    with pytest.raises(LeakError):
        write_format("docx", s.anonymised, tmp_path, "interview-001", s.originals)
    s = sample()
    with pytest.raises(LeakError, match="file name") as err:
        write_format("txt", s.anonymised, tmp_path, "Interview_with_Jane_Smith",
                         s.originals)
    assert "jane" not in str(err.value).casefold()
    with pytest.raises(LeakError):
        export_study("qdpx", [("interview-001", s.anonymised)], tmp_path, name="Leeds-study",
                     originals=s.originals)
    assert list(tmp_path.iterdir()) == []


def test_a_crash_mid_write_leaves_only_sweepable_temporaries(tmp_path, monkeypatch):
    s = sample()

    def crash(*_args):  # simulate a fault: the writer dies after writing half a file
        raise OSError("disk full")

    from anonyscribe.export import _WRITERS

    monkeypatch.setitem(_WRITERS, "txt", crash)
    with pytest.raises(OSError, match="disk full"):
        write_format("txt", s.anonymised, tmp_path, "interview-001", s.originals)
    assert all(p.name.startswith(TEMP_PREFIX) for p in tmp_path.iterdir())
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_lists_the_valid_ones(tmp_path):
    s = sample()
    with pytest.raises(ValueError, match="docx, nvivo, srt, txt, vtt"):
        write_format("pdf", s.anonymised, tmp_path, "x")


def test_no_export_carries_the_original_file_name_or_path(tmp_path):
    s = sample()
    paths = [p for fmt in ("txt", "docx", "nvivo", "srt", "vtt")
             for p in write_format(fmt, s.anonymised, tmp_path, "interview-001",
                                       s.originals)]
    paths += export_study("qdpx", [("interview-001", s.anonymised)], tmp_path,
                          originals=s.originals)
    private = [s.raw.recording.name, Path(s.raw.recording.name).stem, "Meeting Recording",
               "20231012", s.raw.recording.sha256, "/private/"]
    assert leakcheck.scan(paths, private) == []
    assert leakcheck.scan(paths, s.originals) == []
    assert len(paths) == 7
