"""NVivo transcript rows: Timespan, Speaker, Content, as a Word table and as tab-separated text.

NVivo's "Import Transcript Entries" maps columns to its transcript fields; each row's
timespan is ``hh:mm:ss.s - hh:mm:ss.s`` so the row plays the matching stretch of the media.
Nothing but the rows goes in either file (an extra paragraph would become a row with no time).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..core.files import write_text
from ..core.model import Transcript
from .common import export_turns, hms_tenths, new_document, save_docx
from .text import BOM

COLUMNS = ("Timespan", "Speaker", "Content")


def rows(transcript: Transcript) -> list[tuple[str, str, str]]:
    """One row per speaker turn, in time order; no cell holds a tab or line break."""
    return [(f"{hms_tenths(t.start)} - {hms_tenths(t.end)}", t.speaker, t.text)
            for t in export_turns(transcript)]


def render_tsv(transcript: Transcript) -> str:
    return "".join("\t".join(row) + "\n" for row in rows(transcript))


def build_docx(transcript: Transcript):
    document = new_document()
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
    for row in rows(transcript):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    return document


def write(transcript: Transcript, paths: list[Path], stem: str,
          exported: date | None = None) -> None:
    docx_path, txt_path = paths
    save_docx(build_docx(transcript), docx_path)
    write_text(txt_path, BOM + render_tsv(transcript))
