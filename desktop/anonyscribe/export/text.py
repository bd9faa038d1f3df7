"""MAXQDA plain text: one paragraph per speaker turn, ``Speaker: text #hh:mm:ss-t#``.

Why this shape: MAXQDA's focus-group import takes the text before the first colon of a
paragraph as the speaker when that colon is within 63 characters, so the label comes first
and the time stamp (which has colons of its own) goes at the end of the paragraph, in the
f4transkript form ``#00:01:02-5#`` that MAXQDA's "transcripts with timestamps" import links to
the recording. As in f4, a paragraph's stamp is the time its turn ends; the paragraph covers
the media from the previous stamp to its own. The header block has no colon at all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..core.files import write_text
from ..core.model import Transcript
from .common import export_turns, f4_stamp, header_lines, timed

BOM = "\ufeff"  # MAXQDA and NVivo on Windows read UTF-8 reliably only with a BOM


def paragraphs(transcript: Transcript) -> list[str]:
    """The turn paragraphs, in time order."""
    if not timed(transcript):
        return [f"{t.speaker}: {t.text}" for t in export_turns(transcript)]
    return [f"{t.speaker}: {t.text} {f4_stamp(t.end)}" for t in export_turns(transcript)]


def render(transcript: Transcript, stem: str, exported: date | None = None) -> str:
    """The whole file: header, a blank line, then the turns separated by blank lines."""
    blocks = ["\n".join(header_lines(transcript, stem, exported)), *paragraphs(transcript)]
    return "\n\n".join(blocks) + "\n"


def write(transcript: Transcript, paths: list[Path], stem: str,
          exported: date | None = None) -> None:
    (path,) = paths
    write_text(path, BOM + render(transcript, stem, exported))
