"""MAXQDA .txt and .docx: reopened with a plain reader and with python-docx."""

from __future__ import annotations

import re
import zipfile
from datetime import date

import docx
import pytest

from anonyscribe.export import common, write_format
from test_export_common import assert_no_original, expected_turns, sample

# MAXQDA's speaker rule: the name ends at the paragraph's first colon, within 63 characters.
TURN = re.compile(r"^(?P<speaker>[^:]{1,62}): (?P<text>.*) #(\d\d):(\d\d):(\d\d)-(\d)#$")


def _seconds(m: re.Match[str]) -> float:
    h, mi, s, t = (int(g) for g in m.groups()[2:])
    return h * 3600 + mi * 60 + s + t / 10


def _check_paragraphs(paragraphs: list[str], s) -> None:
    header, turns = paragraphs[:4], paragraphs[4:]
    assert header[0] == "Anonymised transcript"
    assert header[1] == "Recording interview-001"
    assert header[2].startswith("Duration 1 h 02 min")
    assert "Anonyscribe" in header[3] and "2024-05-01" in header[3]
    for line in header:
        assert ":" not in line[:63], "a header line would be taken for a speaker"
    expected = expected_turns(s)
    assert len(turns) == len(expected)
    ends = []
    for para, (speaker, _start, end, text) in zip(turns, expected, strict=True):
        m = TURN.match(para)
        assert m, para
        assert m["speaker"] == speaker
        assert m["text"] == text
        assert _seconds(m) == pytest.approx(end, abs=0.05)
        ends.append(_seconds(m))
    assert ends == sorted(ends)
    assert ends[-1] > 3600  # past one hour, hh grows, not mm
    assert_no_original("\n".join(paragraphs), s.originals)


def test_txt_paragraph_per_turn_speaker_first_stamp_last(tmp_path):
    s = sample()
    (path,) = write_format("txt", s.anonymised, tmp_path, "interview-001", s.originals,
                               exported=date(2024, 5, 1))
    assert path.name == "interview-001.txt"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    paragraphs = [p for p in raw.decode("utf-8-sig").split("\n\n") if p.strip()]
    header = paragraphs[0].split("\n")
    _check_paragraphs(header + [p.strip() for p in paragraphs[1:]], s)
    text = raw.decode("utf-8-sig")
    assert "Zoë" not in text and "café" not in text and "[Location ?]" in text  # pending
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary left


def test_colon_in_text_keeps_speaker_colon_first(tmp_path):
    s = sample()
    (path,) = write_format("txt", s.anonymised, tmp_path, "interview-001", s.originals)
    para = next(p for p in path.read_text("utf-8-sig").split("\n\n") if "Happy to" in p)
    assert para.index(":") == len("[Person 1]")
    assert para.startswith("[Person 1]: Happy to: I work at")


def test_docx_same_paragraphs_bold_speaker(tmp_path):
    s = sample()
    (path,) = write_format("docx", s.anonymised, tmp_path, "interview-001", s.originals,
                               exported=date(2024, 5, 1))
    doc = docx.Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    _check_paragraphs(paragraphs, s)
    turn_paras = doc.paragraphs[4:]
    assert all(p.runs[0].bold and p.runs[0].text.endswith(":") for p in turn_paras)
    txt_dir = tmp_path / "txt"
    (txt,) = write_format("txt", s.anonymised, txt_dir, "interview-001", s.originals,
                              exported=date(2024, 5, 1))
    txt_paras = [p.strip() for p in txt.read_text("utf-8-sig").split("\n\n")[1:]]
    assert [p.text for p in turn_paras] == txt_paras


def test_docx_metadata_is_empty(tmp_path):
    s = sample()
    (path,) = write_format("docx", s.anonymised, tmp_path, "interview-001", s.originals)
    props = docx.Document(str(path)).core_properties
    for name in ("author", "last_modified_by", "title", "subject", "comments", "keywords",
                 "category", "content_status", "identifier", "version"):
        assert getattr(props, name) == "", name
    assert props.revision == 1
    assert props.created == props.modified == common.FIXED_TIME
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        app = zf.read("docProps/app.xml").decode()
        everything = " ".join(zf.read(n).decode("utf-8", "replace") for n in names)
    assert "docProps/custom.xml" not in names
    assert not any(n.startswith("customXml/") or "thumbnail" in n for n in names)
    for tag in ("Template", "Company", "Manager", "TitlesOfParts", "HyperlinkBase"):
        assert f"<{tag}" not in app
    assert "python-docx" not in everything
    assert "Meeting Recording" not in everything and "20231012" not in everything
