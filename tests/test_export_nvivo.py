"""NVivo rows: a Word table and a tab-separated text of the same rows."""

from __future__ import annotations

import re

import docx
import pytest

from anonyscribe.export import write_format
from test_export_common import assert_no_original, expected_turns, sample

SPAN = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d) - (\d\d):(\d\d):(\d\d)\.(\d)$")


def _span(text: str) -> tuple[float, float]:
    m = SPAN.match(text)
    assert m, text
    g = [int(x) for x in m.groups()]
    return (g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 10, g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 10)


def _check_rows(rows: list[list[str]], s) -> None:
    expected = expected_turns(s)
    assert len(rows) == len(expected)
    starts = []
    for (span, speaker, content), (e_speaker, e_start, e_end, e_text) in zip(
            rows, expected, strict=True):
        start, end = _span(span)
        assert start == pytest.approx(e_start, abs=0.05)
        assert end == pytest.approx(e_end, abs=0.05)
        assert start <= end
        assert speaker == e_speaker
        assert content == e_text
        starts.append(start)
    assert starts == sorted(starts)
    assert_no_original("\n".join("\t".join(r) for r in rows), s.originals)


def test_nvivo_docx_table_and_tab_text(tmp_path):
    s = sample()
    paths = write_format("nvivo", s.anonymised, tmp_path, "interview-001", s.originals)
    assert [p.name for p in paths] == ["interview-001_nvivo.docx", "interview-001_nvivo.txt"]
    document = docx.Document(str(paths[0]))
    assert [p.text for p in document.paragraphs if p.text.strip()] == []  # rows only
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Timespan", "Speaker", "Content"]
    _check_rows(cells[1:], s)

    raw = paths[1].read_bytes()
    lines = raw.decode("utf-8-sig").split("\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert {line.count("\t") for line in lines} == {2}
    rows = [line.split("\t") for line in lines]
    _check_rows(rows, s)
    assert rows == cells[1:]


def test_tabs_and_line_breaks_in_text_never_split_a_row(tmp_path):
    s = sample()
    s.anonymised.segments[0].text = "first\tpart\nsecond line\r\nthird"
    (_docx, txt) = write_format("nvivo", s.anonymised, tmp_path, "x", s.originals)
    lines = txt.read_text("utf-8-sig").splitlines()
    assert {line.count("\t") for line in lines} == {2}
    assert lines[0].split("\t")[2] == "first part second line third"
