"""Survey exports as sources: Forms .xlsx (200 responses), Qualtrics .csv (three header rows,
cp1252, semicolons); proposals; the anonymised sheet reopened; the .qdpx validated."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from anonyscribe.batch import BatchOptions, run_batch
from anonyscribe.core.model import Decision
from anonyscribe.core.study import Study
from anonyscribe.export.leakcheck import scan
from anonyscribe.sources import read_source, sheet, survey
from make_sources import FORMS_HEADER, forms_rows, forms_xlsx, qualtrics_csv

XSD = Path(__file__).resolve().parents[2] / "shared" / "data" / "refi-qda" / "project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def test_forms_layout_and_proposal(tmp_path: Path):
    path = forms_xlsx(tmp_path / "Leadership survey.xlsx")
    layout = sheet.read_layout(path)
    assert layout.tool == "Microsoft Forms" and layout.header_rows == 1
    assert layout.names == FORMS_HEADER
    proposal = survey.propose(path, layout)
    assert [FORMS_HEADER[i] for i in proposal.text_columns] == [
        "What barriers to progression have you experienced?", "What should the Trust do next?"]
    assert [FORMS_HEADER[i] for i in proposal.drop_columns] == [
        "ID", "Start time", "Completion time", "Email", "Name"]


def test_forms_answers_become_turns(tmp_path: Path):
    path = forms_xlsx(tmp_path / "survey.xlsx")
    folder = tmp_path / "rec"
    seen: list[float] = []
    result = read_source(path, folder, progress=seen.append)
    t = result.transcript
    rows = forms_rows()
    filled = sum(1 for r in rows for v in r[7:] if v)
    assert len(t.segments) == filled
    first = t.segments[0]
    assert t.speaker_label(first.speaker) == "Respondent #1"
    assert first.heading == "What barriers to progression have you experienced?"
    assert first.text == rows[0][7]
    assert all(s.start == 0 and s.end == 0 for s in t.segments)
    plan = survey.load_plan(folder)
    assert plan is not None and plan.proposed and len(plan.cells) == filled
    # respondents' names (the Name column) go to always-redact, parts too
    names = {n.casefold() for n in result.terms}
    assert rows[0][4].casefold() in names and rows[0][4].split()[0].casefold() in names


def test_resolve_columns_by_heading_letter_number(tmp_path: Path):
    layout = sheet.read_layout(forms_xlsx(tmp_path / "s.xlsx", n=3))
    assert survey.resolve_columns(layout, ["Email,E", "3"], tmp_path) == [3, 4, 2]
    assert survey.resolve_columns(layout, ["what should the trust"], tmp_path) == [8]
    with pytest.raises(survey.SourceError, match="no column matches"):
        survey.resolve_columns(layout, ["Postcode"], tmp_path)


def _cells(path: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows]


def _validate(qdpx: Path) -> etree._Element:
    with zipfile.ZipFile(qdpx) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        names = set(zf.namelist())
    for src in root.iterfind(".//q:TextSource", NS):
        assert src.get("plainTextPath").replace("internal://", "Sources/") in names
    if XSD.exists():
        schema = etree.XMLSchema(etree.parse(str(XSD)))
        assert schema.validate(root), schema.error_log
    return root


def test_batch_exports_the_sheet_anonymised_and_a_valid_project(tmp_path: Path, detector):
    src = forms_xlsx(tmp_path / "in" / "Leadership survey.xlsx") if (
        tmp_path / "in").mkdir() is None else None
    out = tmp_path / "out"
    from anonyscribe.processing import Engines

    engines = Engines(speakers="none", _detector=detector)
    result = run_batch([src], out, tmp_path / "study", BatchOptions(auto=True, formats=["docx"]),
                       engines=engines)
    assert [i.status for i in result.items] == ["done"], result.items[0].message
    xlsx, qdpx = out / "Leadership_survey.xlsx", out / "Leadership_survey.qdpx"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [qdpx.name, xlsx.name]

    with Study.open(tmp_path / "study") as study:
        (entry,) = study.recordings.values()
        findings = study.load_findings(entry.id)
        accepted = {f.text for f in findings if f.decision is Decision.ACCEPTED}
        always = {t["text"] for t in study.terms.always}
    rows = forms_rows()
    # every name the answers hold was flagged and accepted
    assert any("Leeds Teaching Hospitals" in a or "Barts Health" in a for a in accepted)
    assert accepted and scan([xlsx, qdpx], sorted(accepted | always)) == []

    got = _cells(xlsx)
    assert got[0] == ["Respondent", *FORMS_HEADER[5:]]  # ID, times, email, name dropped
    assert len(got) == 201
    text = "\n".join(str(v) for row in got for v in row if v is not None)
    for original in accepted | {r[3] for r in rows} | {r[4] for r in rows}:
        assert original.casefold() not in text.casefold(), original
    for k, row in enumerate(rows):  # closed answers kept exactly; free text in place
        assert got[k + 1][:3] == [f"Respondent #{k + 1}", row[5], row[6]]
        assert (got[k + 1][4] is None) == (row[8] is None)
    assert "[Person " in text and "[Organisation " in text
    named = {m.group(1) for r in rows for m in re.finditer(r"manager (\w+ \w+) at", r[7])}
    assert len(named) > 20
    assert [n for n in named if n in text] == []  # every manager named in an answer is hidden

    root = _validate(qdpx)
    cases = root.findall(".//q:Case", NS)
    assert len(cases) == 200 and cases[0].get("name") == "Respondent #1"
    variables = {v.get("name"): v.get("typeOfVariable") for v in root.iterfind(".//q:Variable",
                                                                                NS)}
    assert variables == {"Which programme did you attend?": "Text",
                         "How would you rate it (1-5)?": "Integer"}
    assert len(root.findall(".//q:TextSource", NS)) == 200


def test_cli_survey_qualtrics_csv_per_question(tmp_path: Path, capsys, monkeypatch):
    from anonyscribe import cli
    from anonyscribe.detect.engine import Detector

    path = qualtrics_csv(tmp_path / "placement survey.csv")
    layout = sheet.read_layout(path)
    assert (layout.tool, layout.header_rows, layout.delimiter, layout.encoding) == (
        "Qualtrics", 3, ";", "cp1252")
    assert layout.questions[5].startswith("What would improve your placement? (café")
    assert cli.main(["survey", str(path), "--list-columns"]) == 0
    listed = capsys.readouterr().out
    assert "free text  What would improve" in listed and "drop       Recipient Email" in listed

    monkeypatch.setattr("anonyscribe.processing.Engines.detector",
                        property(lambda self: _shared_detector(Detector)))
    out = tmp_path / "out"
    code = cli.main(["survey", str(path), "--out", str(out), "--private", str(tmp_path / "s"),
                     "--text-columns", "Q2_TEXT",
                     "--drop-columns", "StartDate,EndDate,ResponseId,RecipientEmail",
                     "--per", "question", "--auto"])
    assert code == 0, capsys.readouterr().err
    with open(out / "placement_survey.csv", encoding="utf-8-sig", newline="") as fh:
        got = list(csv.reader(fh, delimiter=";"))
    assert got[0] == ["Respondent", "Q1", "Q2_TEXT"]
    assert got[1][0] == "" and got[1][2].startswith("What would improve")  # question row kept
    assert len(got) == 3 + 30
    assert "café" in got[4][2] and "[Person " in got[4][2]
    assert not any("@example.ac.uk" in c or c.startswith("R_1") for r in got for c in r)
    root = _validate(out / "placement_survey.qdpx")
    sources = root.findall(".//q:TextSource", NS)
    assert len(sources) == 1  # one document: the one free-text question
    selections = root.findall(".//q:PlainTextSelection", NS)
    assert len(selections) == 30
    assert len(root.findall(".//q:Case/q:SelectionRef", NS)) == 30
    with zipfile.ZipFile(out / "placement_survey.qdpx") as zf:
        body = zf.read(sources[0].get("plainTextPath").replace("internal://", "Sources/")
                       ).decode("utf-8")
    first = selections[0]
    answer = body[int(first.get("startPosition")):int(first.get("endPosition"))]
    assert answer == got[3][2]


_DETECTOR: list[object] = []


def _shared_detector(cls):  # noqa: ANN001, ANN202 - one real detector for the CLI test
    if not _DETECTOR:
        _DETECTOR.append(cls())
    return _DETECTOR[0]


def test_leak_check_reads_sheet_cells_not_row_numbers(tmp_path: Path):
    """A sheet of 2,000 rows: an accepted year ("1931") is not "found" in ``<row r="1931">``,
    while a name left in any cell still is."""
    from anonyscribe.export.sheet import SurveyAnswers, write_xlsx

    path = tmp_path / "s.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Team", "Comment"])
        w.writerows([["Ward 5", f"Fine ({i})."] for i in range(2000)])
    layout = sheet.read_layout(path)
    answers = {(r, 1): f"Fine ({r})." for r in range(2000)}
    answers[(1930, 1)] = "Fine ([Date 1])."  # the accepted "1930" replaced in its answer
    out = tmp_path / "out.xlsx"
    write_xlsx(SurveyAnswers(path, layout, survey.SurveyOptions([1]), answers), out)
    assert scan([out], ["1930"]) == []
    answers[(5, 1)] = "Ask Marguerite Delacroix."
    write_xlsx(SurveyAnswers(path, layout, survey.SurveyOptions([1]), answers), out)
    assert [leak.part for leak in scan([out], ["Marguerite Delacroix", "Ward 5"])] == [
        "xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"]


def test_leak_check_ignores_guid_member_names(tmp_path: Path):
    """A .qdpx's sources are named by random GUIDs; one holding "1931" is not a leak, a
    member named after a person still is."""
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Sources/3F2A17B2-1931-4D1E-9A2B-7E5F6A1B2C3D.txt", "fine")
    assert scan([path], ["1931"]) == []
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Sources/Marguerite Delacroix.txt", "fine")
    assert [leak.part for leak in scan([path], ["Marguerite Delacroix"])] == ["member name"]


@pytest.mark.parametrize("tool, header, row", [
    ("REDCap", ["record_id", "redcap_survey_identifier", "staff_survey_timestamp", "role",
                "comments", "staff_survey_complete"],
     ["{i}", "", "2024-05-01 10:{i:02d}", "1", "Comment {i}: the handover on Ward {i} with "
      "Sister Ruth Ogunleye was rushed.", "2"]),
    ("JISC Online Surveys", ["Response ID", "Started", "Completed", "1. Your site",
                             "2. What could we do better?"],
     ["{i}", "01/05/2024 10:00", "01/05/2024 10:{i:02d}", "North",
      "Answer {i}: more time for reflection, fewer meetings on Fridays please."]),
])
def test_redcap_and_jisc_layouts(tmp_path: Path, tool: str, header: list[str], row: list[str]):
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows([[c.format(i=i) for c in row] for i in range(12)])
    layout = sheet.read_layout(path)
    assert layout.tool == tool
    proposal = survey.propose(path, layout)
    assert [header[i] for i in proposal.text_columns] == [header[-2 if tool == "REDCap" else -1]]
    assert [header[i] for i in proposal.drop_columns] == header[:3]


def test_leak_count_in_a_big_text_equals_a_full_scan():
    """The windowed search of big texts finds exactly what a full scan finds."""
    import random

    from anonyscribe.export import leakcheck

    rnd = random.Random(5)
    originals = ["1931", "Al", "Siobhán O'Neill", "Leeds  General", "ward 12", "Ann-Marie"]
    pieces = ["Respondent #1931", "x1931", "1931.", "Al", "also", "Siobhán O’Neill",
              "SIOBHÁN o'neill", "Leeds General", "leeds\\n  general", "ward 12", "ward 123",
              "Ann-Marie", "ann marie", "filler text", "(1931)", "Alan", "Al."]
    text = " ".join(rnd.choice(pieces) for _ in range(20_000))
    assert len(text) > leakcheck.WINDOWED
    terms = leakcheck.compile_terms(originals)
    full = {t.index: sum(1 for _ in t.pattern.finditer(text)) for t in terms}
    got = leakcheck.count_text(text, terms)
    assert {i: n for i, n in full.items() if n} == dict(got)
    assert all(got.values())
