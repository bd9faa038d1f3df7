"""Plain .txt transcripts: typed notes, a service's text, Teams text pasted, our own .txt and
NVivo exports read back (see ``common.parse_lines`` for the shapes)."""

from __future__ import annotations

from pathlib import Path

from . import SourceResult
from .common import build_transcript, parse_lines, read_text


def read(path: Path) -> SourceResult:
    lines = read_text(path).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    turns, title = parse_lines(lines)
    return build_transcript(path, turns, title)
