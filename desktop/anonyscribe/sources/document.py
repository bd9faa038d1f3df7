"""Word transcripts: Teams' .docx (both layouts), a transcription service's "Name: text"
paragraphs, our own MAXQDA and NVivo (table) exports, or plain paragraphs.

A password-protected .docx is an encrypted OLE file, not a ZIP: python-docx cannot open it,
and the message says to save an unprotected copy.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from . import SourceError, SourceResult
from .common import RawTurn, build_transcript, parse_lines

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files and old .doc


def check_office_file(path: Path, app: str) -> None:
    """Say plainly why an Office file cannot be opened, before the library does."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise SourceError(path, f"it cannot be read ({exc.strerror or exc})",
                          "check that the file is there and you may open it") from exc
    if not head:
        raise SourceError(path, "the file is empty", "save it again from " + app)
    if head == OLE_MAGIC:
        raise SourceError(path, "it is password-protected (or an old binary Office file)",
                          f"open it in {app}, remove the password (or save as the current "
                          "format), and add the copy")
    if not zipfile.is_zipfile(path):
        raise SourceError(path, "it is damaged or not really a " + path.suffix + " file",
                          f"open it in {app} and save it again, then add the new copy")


def _lines(document) -> list[str]:
    lines: list[str] = []
    for para in document.paragraphs:
        lines.extend(para.text.replace("\r", "\n").split("\n"))
        lines.append("")
    return lines


def _table_turns(document) -> list[RawTurn]:
    """Rows of a transcript table (NVivo: Timespan | Speaker | Content), as turns."""
    rows = []
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) == 3 and cells[0].casefold() != "timespan":
                rows.append("\t".join(cells))
    turns, _ = parse_lines(rows) if rows else ([], "")
    return turns


def read(path: Path) -> SourceResult:
    check_office_file(path, "Word")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad package
        raise SourceError(path, f"Word cannot be read from it ({type(exc).__name__})",
                          "open it in Word and save it again, then add the new copy") from exc
    turns, title = parse_lines(_lines(document))
    table = _table_turns(document)
    if table and len(table) >= len(turns):
        turns, title = table, ""
    return build_transcript(path, turns, title)
