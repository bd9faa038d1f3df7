"""The private anonymisation log (.csv, .xlsx) and the ethics report."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from anonyscribe.core.model import Decision
from anonyscribe.export import LeakError, PrivateFolderError, write_log
from anonyscribe.export.log import COLUMNS
from anonyscribe.redact import LogEntry
from test_export_common import assert_no_original, sample


def _decisions(s) -> dict[str, int]:
    counts = {d.value: 0 for d in Decision}
    for f in s.findings:
        counts[f.decision.value] += 1
    return counts


def _expected_rows(s) -> set[tuple[str, str, str, str, int]]:
    counts: dict[tuple[str, str], int] = {}
    for f in s.findings:
        if f.decision is Decision.ACCEPTED:
            counts[(f.text, f.type)] = counts.get((f.text, f.type), 0) + 1
    return {(text, s.register.find(type_, text).label, type_, s.raw.recording.name, n)
            for (text, type_), n in counts.items()}


def test_csv_and_xlsx_hold_the_key(tmp_path):
    s = sample()
    paths = write_log(s.log, tmp_path / "private", _decisions(s))
    assert [p.name for p in paths] == ["anonymisation-log.csv", "anonymisation-log.xlsx",
                                       "anonymisation-report.txt"]
    rows = list(csv.reader(io.StringIO(paths[0].read_text("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    got = {(r[0], r[1], r[2], r[3], int(r[4])) for r in rows[1:]}
    assert got == _expected_rows(s)
    first = {r[0]: r[5] for r in rows[1:]}
    assert first["Jane Smith"] == "00:00:00" and first["Janey"] == "01:01:40"

    ws = openpyxl.load_workbook(paths[1]).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert tuple(values[0]) == COLUMNS
    assert {(r[0], r[1], r[2], r[3], int(r[4])) for r in values[1:]} == got


def test_formula_like_original_stays_text_in_xlsx(tmp_path):
    entries = [LogEntry("rec.m4a", "OTHER", "=HYPERLINK(\"x\")", "[Redacted 1]", 1, 0.0)]
    paths = write_log(entries, tmp_path)
    ws = openpyxl.load_workbook(paths[1]).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=HYPERLINK(\"x\")"


def test_report_counts_by_type_and_decisions_without_original_text(tmp_path):
    s = sample()
    decisions = _decisions(s)
    *_, report = write_log(s.log, tmp_path, decisions)
    text = report.read_text("utf-8")
    assert_no_original(text, s.originals)
    assert s.raw.recording.name not in text and "Meeting" not in text
    accepted = [f for f in s.findings if f.decision is Decision.ACCEPTED]
    assert f"Replacements made  {len(accepted)}" in text
    people = [f for f in accepted if f.type == "PERSON"]
    labels = {s.register.find("PERSON", f.text).label for f in people}
    person = next(line for line in text.splitlines() if line.strip().startswith("Person"))
    assert person.split()[1] == str(len(labels)) and person.split()[-2] == str(len(people))
    assert f"Accepted  {decisions['accepted']:>6}" in text
    assert f"Rejected  {decisions['rejected']:>6}" in text
    assert f"Pending   {decisions['pending']:>6}" in text
    assert "replaced by a marker such as [Person ?]" in text


def test_report_that_would_leak_is_refused(tmp_path):
    entries = [LogEntry("rec.m4a", "Leeds General", "Leeds General", "[Location 1]", 1, 0.0)]
    with pytest.raises(LeakError):  # a type name that is itself an original
        write_log(entries, tmp_path)
    assert not (tmp_path / "anonymisation-report.txt").exists()


def test_log_never_goes_into_the_anonymised_folder(tmp_path):
    s = sample()
    shared = tmp_path / "anonymised"
    for private in (shared, shared / "log"):
        with pytest.raises(PrivateFolderError):
            write_log(s.log, private, anonymised_dir=shared)
    assert not shared.exists()
    assert write_log(s.log, tmp_path / "private", anonymised_dir=shared)
