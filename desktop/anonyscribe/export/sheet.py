"""Survey sheets: the researcher's own sheet again, free text anonymised, chosen columns
dropped; and a REFI-QDA project with respondents as cases and closed answers as variables.

Both re-read the original sheet row by row (it stays untouched) and take every free-text
cell from the anonymised transcript: a free-text cell never reaches the output from the
original. The sheet starts with a "Respondent" column ("Respondent #12"), the name the review,
the log and the project use for that row.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.cell import WriteOnlyCell

from ..core.files import atomic_open, atomic_path
from ..sources.sheet import Cell, SheetLayout, all_rows
from ..sources.survey import SurveyOptions, respondent_label
from .common import APP_NAME, FIXED_TIME, clean_label, clean_text
from .qdpx import NS, _add_value, _el, _variable_type, new_guid

RESPONDENT = "Respondent"
_FORMULA_START = ("=", "+", "-", "@")


@dataclass
class SurveyAnswers:
    """What an export of one sheet needs: where it came from, how to read it, the choice,
    and the anonymised text of each answer keyed by (data row, column)."""

    source: Path
    layout: SheetLayout
    options: SurveyOptions
    answers: Mapping[tuple[int, int], str]

    def kept(self) -> list[int]:
        return [i for i in range(len(self.layout.names)) if i not in self.options.drop_columns]

    def closed(self) -> list[int]:
        return [i for i in self.kept() if i not in self.options.text_columns]


def _rows(data: SurveyAnswers) -> Iterator[list[Cell]]:
    """The output rows, streamed: header rows, then one row per non-empty respondent."""
    kept = data.kept()
    text_cols = set(data.options.text_columns)
    header_rows = data.layout.header_rows
    for k, row in enumerate(all_rows(data.source, data.layout)):
        row = list(row) + [None] * (len(data.layout.names) - len(row))
        if k < header_rows:
            yield [RESPONDENT if k == 0 else None] + [row[i] for i in kept]
            continue
        r = k - header_rows
        if all(v is None for v in row):
            continue
        out: list[Cell] = [respondent_label(r)]
        for i in kept:
            # A free-text cell comes only from the anonymised answers, never from the original.
            out.append(data.answers.get((r, i), None) if i in text_cols else row[i])
        yield out


def write_xlsx(data: SurveyAnswers, path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    _scrub(wb)
    ws = wb.create_sheet(clean_label(data.layout.sheet_name or "Responses")[:31])
    for row in _rows(data):
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # an answer that starts with "=" is text, not a formula
            cells.append(cell)
        ws.append(cells)
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)


def _scrub(wb) -> None:
    props = wb.properties
    props.creator = APP_NAME
    props.lastModifiedBy = None
    props.title = props.subject = props.description = props.keywords = None
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text  # Excel would run it as a formula (CSV injection)
    return text


def write_csv(data: SurveyAnswers, path: Path) -> None:
    delimiter = data.layout.delimiter or ","
    with atomic_open(Path(path), "w", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        for row in _rows(data):
            writer.writerow([_csv_value(v) for v in row])


# -- REFI-QDA project ----------------------------------------------------------------------

@dataclass
class _Doc:
    name: str
    guid: str
    text_guid: str
    parts: list[str]
    selections: list[tuple[int, int, int]]  # (row, start, end) in characters


def _answer_rows(data: SurveyAnswers) -> dict[int, dict[int, Cell]]:
    """Closed answers per data row (only rows that have any answer kept)."""
    closed = data.closed()
    out: dict[int, dict[int, Cell]] = {}
    for k, row in enumerate(all_rows(data.source, data.layout)):
        if k < data.layout.header_rows:
            continue
        values = {i: row[i] for i in closed if i < len(row) and row[i] is not None}
        if values:
            out[k - data.layout.header_rows] = values
    return out


def _documents(data: SurveyAnswers) -> list[_Doc]:
    """One document per respondent ("Question" then the answer, per question) or per question
    ("Respondent n: answer" per line); each answer's span kept for the respondent's case."""
    q = data.layout.questions
    by_doc: dict[str, _Doc] = {}
    per_question = data.options.per == "question"
    for (r, c), text in sorted(data.answers.items(),
                               key=lambda kv: (kv[0][1], kv[0][0]) if per_question else kv[0]):
        text = clean_text(text)
        if not text:
            continue
        name = clean_label(q[c]) if per_question else respondent_label(r)
        doc = by_doc.setdefault(name, _Doc(name, new_guid(), new_guid(), [], []))
        pos = sum(len(p) + 1 for p in doc.parts)
        line = f"{respondent_label(r)}: {text}" if per_question else f"{q[c]}\n{text}\n"
        doc.parts.append(line)
        start = pos + (len(respondent_label(r)) + 2 if per_question else len(q[c]) + 1)
        doc.selections.append((r, start, start + len(text)))
    return list(by_doc.values())


def _typed(values: list[Cell]) -> tuple[str, list[Cell]]:
    plain = [v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in values]
    kind = _variable_type([v for v in plain if v is not None])  # type: ignore[misc]
    if kind == "Text":
        plain = [None if v is None else str(v) for v in plain]
    return kind, plain


def project_xml(data: SurveyAnswers, name: str) -> tuple[bytes, list[_Doc]]:
    docs = _documents(data)
    closed = _answer_rows(data)
    rows = sorted({r for (r, _c) in data.answers} | set(closed))
    project = etree.Element(f"{{{NS}}}Project", nsmap={None: NS}, name=clean_label(name),
                            origin=APP_NAME)
    columns = data.closed()
    kinds, guids = {}, {}
    for i in columns:
        kind, _ = _typed([closed.get(r, {}).get(i) for r in rows])
        kinds[i], guids[i] = kind, new_guid()
    if columns:
        variables = _el(project, "Variables")
        for i in columns:
            _el(variables, "Variable", guid=guids[i], name=clean_label(data.layout.names[i]),
                typeOfVariable=kinds[i])
    sel_guids: dict[int, list[str]] = {}
    doc_of: dict[int, list[str]] = {}
    selection_ids = {(doc.guid, k): new_guid() for doc in docs for k in range(len(doc.selections))}
    per_question = data.options.per == "question"
    for doc in docs:
        for k, (r, _s, _e) in enumerate(doc.selections):
            if per_question:
                sel_guids.setdefault(r, []).append(selection_ids[(doc.guid, k)])
            else:
                doc_of.setdefault(r, []).append(doc.guid)
    cases = _el(project, "Cases")
    for r in rows:
        if r not in sel_guids and r not in doc_of and not closed.get(r):
            continue
        case = _el(cases, "Case", guid=new_guid(), name=respondent_label(r))
        for i in columns:
            value = closed.get(r, {}).get(i)
            if value is None:
                continue
            _kind, (typed,) = _typed([value])
            _add_value(case, guids[i], kinds[i], typed if kinds[i] != "Text" else str(value))
        for guid in dict.fromkeys(doc_of.get(r, [])):
            _el(case, "SourceRef", targetGUID=guid)
        for guid in sel_guids.get(r, []):
            _el(case, "SelectionRef", targetGUID=guid)
    sources = _el(project, "Sources")
    for doc in docs:
        src = _el(sources, "TextSource", guid=doc.guid, name=doc.name,
                  plainTextPath=f"internal://{doc.text_guid}.txt")
        if per_question:
            for k, (r, s, e) in enumerate(doc.selections):
                _el(src, "PlainTextSelection", guid=selection_ids[(doc.guid, k)],
                    name=respondent_label(r), startPosition=str(s), endPosition=str(e))
    xml = etree.tostring(project, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return xml, docs


def write_qdpx(data: SurveyAnswers, path: Path, name: str) -> None:
    xml, docs = project_xml(data, name)
    with atomic_path(Path(path)) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for doc in docs:
            zf.writestr(f"Sources/{doc.text_guid}.txt", "\n".join(doc.parts).encode("utf-8"))
