"""What a study can be fed: recordings, text transcripts and survey sheets.

One reader per input kind, each returning a ``Transcript`` (text sources have no audio, and
times only where the file had them) plus the speaker names the file revealed, which go to
the study's always-redact list exactly as a Teams transcript's names do. A text source then
joins the normal path at detection: same review, same register, same exports.

Errors are ``SourceError``: a ``MediaError`` (the type batch and the app already report as
"this input cannot be used"), so one bad file never stops a batch.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from ..core.model import Transcript
from ..core.progress import FractionProgress
from ..media import MEDIA_EXTENSIONS, MediaError

TRANSCRIPT_EXTENSIONS: frozenset[str] = frozenset({".docx", ".txt", ".vtt", ".srt"})
SURVEY_EXTENSIONS: frozenset[str] = frozenset({".xlsx", ".csv", ".tsv"})
TEXT_EXTENSIONS = TRANSCRIPT_EXTENSIONS | SURVEY_EXTENSIONS


class SourceKind(str, enum.Enum):
    MEDIA = "media"
    TRANSCRIPT = "transcript"
    SURVEY = "survey"


class SourceError(MediaError):
    """A text transcript or sheet that cannot be read; ``str()`` names the file and what to do."""


@dataclass
class SourceResult:
    """A read source: its transcript, the person names its speaker labels showed (always
    redacted, and given a pseudonym now so the labels are replaced), and other names it held
    (a survey's Name column: always redacted)."""

    transcript: Transcript
    names: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def kind_of(path: Path | str) -> SourceKind | None:
    """What a file is by its extension, or None for anything a study cannot take."""
    suffix = Path(path).suffix.lower()
    if suffix in MEDIA_EXTENSIONS:
        return SourceKind.MEDIA
    if suffix in TRANSCRIPT_EXTENSIONS:
        return SourceKind.TRANSCRIPT
    if suffix in SURVEY_EXTENSIONS:
        return SourceKind.SURVEY
    return None


def is_text_source(path: Path | str) -> bool:
    """A source without audio: it skips decode, transcription and speakers."""
    return kind_of(path) in (SourceKind.TRANSCRIPT, SourceKind.SURVEY)


def read_transcript_file(path: Path) -> SourceResult:
    """A text transcript (.docx, .txt, .vtt, .srt) as a Transcript; dispatches by extension."""
    from . import captions, document, plaintext  # cycle: they import SourceResult from here

    suffix = Path(path).suffix.lower()
    reader = {".vtt": captions.read, ".srt": captions.read, ".docx": document.read,
              ".txt": plaintext.read}.get(suffix)
    if reader is None:
        raise SourceError(path, f"{suffix or 'a file without extension'} is not a transcript "
                          "format Anonyscribe reads", "save it as .docx, .txt, .vtt or .srt")
    return reader(Path(path))


def read_source(path: Path, private_folder: Path | None = None,
                progress: FractionProgress | None = None) -> SourceResult:
    """Any text source as a Transcript. A survey sheet reads its column choices from (and
    saves proposed ones to) ``private_folder``, the recording's folder in the study."""
    if kind_of(path) is SourceKind.SURVEY:
        from . import survey  # cycle: sources.survey imports SourceResult from here

        return survey.read(Path(path), private_folder, progress)
    return read_transcript_file(Path(path))
