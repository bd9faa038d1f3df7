"""MAXQDA Word document: the same paragraphs as the .txt (see ``text.py`` for why), with the
speaker label in bold, and no identifying document properties (see ``common.scrub_document``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..core.model import Transcript
from .common import export_turns, f4_stamp, header_lines, new_document, save_docx, timed


def build(transcript: Transcript, stem: str, exported: date | None = None):
    """The python-docx Document (not saved), for tests and for callers that add to it."""
    document = new_document()
    title, *rest = header_lines(transcript, stem, exported)
    document.add_heading(title, level=1)
    for line in rest:
        document.add_paragraph(line)
    stamped = timed(transcript)
    for turn in export_turns(transcript):
        para = document.add_paragraph()
        para.add_run(f"{turn.speaker}:").bold = True
        para.add_run(f" {turn.text} {f4_stamp(turn.end)}" if stamped else f" {turn.text}")
    return document


def write(transcript: Transcript, paths: list[Path], stem: str,
          exported: date | None = None) -> None:
    (path,) = paths
    save_docx(build(transcript, stem, exported), path)
