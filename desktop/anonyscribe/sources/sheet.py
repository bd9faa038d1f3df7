"""Survey exports as rows: .xlsx streamed with openpyxl's read-only mode, .csv/.tsv in
whatever encoding and delimiter the survey tool or Excel chose.

The layouts met in practice: Microsoft Forms and JISC Online Surveys (one header row),
REDCap (one header row, raw names or labels), Qualtrics (three: short names, question text,
``{"ImportId": ...}``). ``read_layout`` finds which, from the first rows only; ``rows``
streams the data rows, so a 50,000-row sheet never sits in memory whole.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl

from . import SourceError
from .document import check_office_file

Cell = str | int | float | bool | datetime | date | time | None
SNIFF_BYTES = 64 << 10
DELIMITERS = ",;\t|"
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"')


@dataclass
class SheetLayout:
    """How a sheet is laid out; saved with the study so the export rewrites it the same way.

    ``names``: a column's name (row 1); ``questions``: its question text (Qualtrics' row 2,
    otherwise the name). CSV only: ``encoding`` and ``delimiter`` as found.
    """

    header_rows: int = 1
    names: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    tool: str = "sheet"
    encoding: str = ""
    delimiter: str = ""
    sheet_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SheetLayout:
        return cls(**data)


def is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".tsv")


# -- CSV -----------------------------------------------------------------------------------

def _encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (Excel's "CSV")."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sniffing boundary
            return "cp1252"
    return "utf-8"


def _delimiter(sample: str, path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    first = sample.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _open_csv(path: Path, layout: SheetLayout | None = None) -> tuple[io.TextIOBase, str, str]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise SourceError(path, f"it cannot be read ({exc.strerror or exc})",
                          "check that the file is there and you may open it") from exc
    if not head.strip():
        raise SourceError(path, "the file is empty", "export the responses again")
    encoding = layout.encoding if layout and layout.encoding else _encoding(head)
    sample = head.decode(encoding, errors="replace").replace("\r\n", "\n")
    delimiter = layout.delimiter if layout and layout.delimiter else _delimiter(sample, path)
    fh = open(path, encoding=encoding, errors="replace", newline="")  # noqa: SIM115
    return fh, encoding, delimiter


def _csv_rows(path: Path, layout: SheetLayout | None) -> Iterator[list[Cell]]:
    fh, encoding, delimiter = _open_csv(path, layout)
    with fh:
        for row in csv.reader(fh, delimiter=delimiter):
            yield [c if c != "" else None for c in row]


# -- XLSX ----------------------------------------------------------------------------------

def _workbook(path: Path):
    check_office_file(path, "Excel")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad package
        raise SourceError(path, f"Excel cannot be read from it ({type(exc).__name__})",
                          "open it in Excel and save it again as .xlsx, then add the new "
                          "copy") from exc


def _xlsx_rows(path: Path, layout: SheetLayout | None) -> Iterator[list[Cell]]:
    wb = _workbook(path)
    try:
        ws = wb[layout.sheet_name] if layout and layout.sheet_name in wb.sheetnames else \
            wb.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield [_text_or_value(v) for v in row]
    finally:
        wb.close()


def _text_or_value(value: Any) -> Cell:
    if isinstance(value, str):
        return value if value.strip() else None
    return value


def row_count(path: Path) -> int | None:
    """Rows in the sheet (header included) if cheaply known: for progress only."""
    try:
        if is_csv(path):
            with open(path, "rb") as fh:
                return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        wb = _workbook(path)
        try:
            ws = wb.worksheets[0]
            if ws.max_row:
                return ws.max_row
            member = ws._worksheet_path  # no dimension record: count the rows' tags instead
        finally:
            wb.close()
        return _count_row_tags(path, member)
    except (OSError, SourceError, zipfile.BadZipFile, KeyError, AttributeError):
        return None


def _count_row_tags(path: Path, member: str) -> int:
    """Rows in a worksheet without a dimension record (some writers leave it out), by one
    streaming pass over its XML: a fraction of the time reading the cells takes."""
    count, tail = 0, b""
    with zipfile.ZipFile(path) as zf, zf.open(member) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            tail = data[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")
    return count


# -- layout ----------------------------------------------------------------------------------

def all_rows(path: Path, layout: SheetLayout | None = None) -> Iterator[list[Cell]]:
    """Every row, header rows included, as lists of cell values (None for an empty cell)."""
    return _csv_rows(path, layout) if is_csv(path) else _xlsx_rows(path, layout)


def _tool(names: list[str], header_rows: int) -> str:
    low = {n.casefold() for n in names}
    if header_rows == 3 or "responseid" in low:
        return "Qualtrics"
    if {"id", "start time", "completion time"} <= low:
        return "Microsoft Forms"
    if "record_id" in low or "record id" in low or any(n.endswith("_complete") for n in low):
        return "REDCap"
    if {"response id", "started", "completed"} & low and any(re.match(r"^\d+(\.\w+)*\.? ", n)
                                                            for n in names):
        return "JISC Online Surveys"
    return "sheet"


def read_layout(path: Path) -> SheetLayout:
    """The header rows and column names, from the top of the sheet."""
    head: list[list[Cell]] = []
    rows = all_rows(path)
    try:
        for row in rows:
            head.append(row)
            if len(head) == 3:
                break
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()
    if not head or not any(v is not None for v in head[0]):
        raise SourceError(path, "its first row is empty, so the questions cannot be found",
                          "put the column headings (questions) in the first row")
    width = max(len(r) for r in head)
    names = [_heading(head[0], i) for i in range(width)]
    header_rows, questions = 1, list(names)
    if len(head) >= 3 and any(isinstance(v, str) and _IMPORT_ID.match(v) for v in head[2]):
        header_rows = 3
        questions = [_heading(head[1], i) or names[i] for i in range(width)]
    layout = SheetLayout(header_rows, names, questions, _tool(names, header_rows))
    if is_csv(path):
        fh, layout.encoding, layout.delimiter = _open_csv(path)
        fh.close()
    return layout


def _heading(row: list[Cell], i: int) -> str:
    value = row[i] if i < len(row) else None
    return " ".join(str(value).split()) if value is not None else f"Column {column_letter(i)}"


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA", as Excel names columns."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def data_rows(path: Path, layout: SheetLayout,
              progress: Callable[[float], None] | None = None) -> Iterator[tuple[int, list[Cell]]]:
    """(data row number from 0, cells padded to the header's width), streamed."""
    total = row_count(path) if progress else None
    width = len(layout.names)
    for k, row in enumerate(all_rows(path, layout)):
        if k < layout.header_rows:
            continue
        if progress and total and k % 500 == 0:
            progress(min(1.0, k / total))
        if len(row) < width:
            row = row + [None] * (width - len(row))
        yield k - layout.header_rows, row
