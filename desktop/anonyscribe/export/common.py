"""What every export format shares: speaker turns, time stamps, the header, clean .docx files.

Exports read only the anonymised transcript (``labels.render()``'s result), never raw text.
A "turn" is what coding apps call a paragraph: consecutive segments of one speaker merged, so
MAXQDA, NVivo and ATLAS.ti see one contribution per speaker change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import docx

from ..core.files import atomic_path
from ..core.model import Transcript

APP_NAME = "Anonyscribe"
# MAXQDA takes "Name:" at a paragraph start as a speaker when the colon is within 63 chars.
MAX_LABEL = 60
# Fixed document dates: the real ones would say when (and so roughly by whom) it was made.
FIXED_TIME = datetime(2000, 1, 1, tzinfo=timezone.utc)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_SPACES = re.compile(r"\s+")


class ExportError(ValueError):
    """The transcript cannot be exported as asked; the message says why and what to do."""


@dataclass
class Part:
    """One segment inside a turn (kept so subtitles can split long turns at segment ends)."""

    start: float
    end: float
    text: str


@dataclass
class ExportTurn:
    """One speaker's uninterrupted contribution as an export writes it (one paragraph, one
    line or one coded segment); not ``speakers.turns.Turn``, a diarizer's stretch of voice."""

    speaker: str
    start: float
    end: float
    text: str
    parts: list[Part] = field(default_factory=list)


def clean_text(text: str) -> str:
    """One line of printable text: no control characters, tabs or line breaks (they would
    split a paragraph, a table row or a tab-separated line and shift every speaker after)."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def clean_label(label: str) -> str:
    """A speaker label every app reads as one name: no colon, at most ``MAX_LABEL`` chars."""
    text = clean_text(label.replace(":", " ")).strip(" -")
    return text[:MAX_LABEL].rstrip() or "Speaker"


def export_turns(transcript: Transcript) -> list[ExportTurn]:
    """Segments in time order, consecutive ones of the same speaker merged into one turn."""
    out: list[ExportTurn] = []
    for seg in sorted(transcript.segments, key=lambda s: (s.start, s.end, s.id)):
        text = clean_text(seg.text)
        if not text:
            continue
        start, end = max(0.0, float(seg.start)), max(0.0, float(seg.end))
        end = max(end, start)
        label = clean_label(transcript.speaker_label(seg.speaker))
        if out and out[-1].speaker == label:
            turn = out[-1]
            turn.end = max(turn.end, end)
            turn.text = f"{turn.text} {text}".strip()
        else:
            turn = ExportTurn(label, start, end, text)
            out.append(turn)
        turn.parts.append(Part(start, end, text))
    return out


def timed(transcript: Transcript) -> bool:
    """False for a text source that had no times: its exports print none (not 00:00:00)."""
    return transcript.recording.duration > 0 or any(s.end > 0 for s in transcript.segments)


def duration(transcript: Transcript) -> float:
    ends = [s.end for s in transcript.segments]
    return max([transcript.recording.duration, *ends]) if ends else transcript.recording.duration


def _split(seconds: float, scale: int) -> tuple[int, int, int, int]:
    """(hours, minutes, seconds, fraction) with the fraction in 1/scale s, rounded once so
    59.96 s never prints as "00:00:60"."""
    total = round(max(0.0, seconds) * scale)
    frac = total % scale
    secs = total // scale
    return secs // 3600, secs // 60 % 60, secs % 60, frac


def hms(seconds: float) -> str:
    """``hh:mm:ss`` (whole seconds)."""
    h, m, s, _ = _split(seconds, 1)
    return f"{h:02d}:{m:02d}:{s:02d}"


def hms_tenths(seconds: float) -> str:
    """``hh:mm:ss.s`` as NVivo reads in a timespan."""
    h, m, s, t = _split(seconds, 10)
    return f"{h:02d}:{m:02d}:{s:02d}.{t}"


def f4_stamp(seconds: float) -> str:
    """``#hh:mm:ss-t#``: the f4transkript time stamp MAXQDA links to the media."""
    h, m, s, t = _split(seconds, 10)
    return f"#{h:02d}:{m:02d}:{s:02d}-{t}#"


def millis(seconds: float, sep: str) -> str:
    """``hh:mm:ss<sep>mmm`` (``,`` for SRT, ``.`` for WebVTT)."""
    h, m, s, ms = _split(seconds, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def duration_words(seconds: float) -> str:
    """"1 h 02 min 03 s": no colon, so MAXQDA never mistakes a header line for a speaker."""
    h, m, s, _ = _split(seconds, 1)
    return f"{h} h {m:02d} min {s:02d} s" if h else f"{m} min {s:02d} s"


def header_lines(transcript: Transcript, stem: str, exported: date | None = None) -> list[str]:
    """The block above the first turn. No line holds a colon (MAXQDA's speaker rule) and none
    names the original file: ``stem`` is the already-redacted export name."""
    day = (exported or date.today()).isoformat()
    lines = ["Anonymised transcript", f"Recording {clean_label(stem)}"]
    length = duration(transcript)
    if length > 0:
        lines.append(f"Duration {duration_words(length)}")
    lines.append(f"Exported {day}, anonymised with {APP_NAME}")
    return lines


# -- .docx hygiene -------------------------------------------------------------------------

_CORE_TEXT_FIELDS = ("author", "category", "comments", "content_status", "identifier",
                     "keywords", "language", "last_modified_by", "subject", "title", "version")
_DROP_PACKAGE_RELS = ("/thumbnail", "/custom-properties")
_DROP_DOCUMENT_RELS = ("/customXml", "/stylesWithEffects", "/glossaryDocument")
_MINIMAL_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>' + APP_NAME.encode() + b"</Application>"
    b"<DocSecurity>0</DocSecurity></Properties>"
)


def new_document():  # -> docx.document.Document (python-docx has no public type to import)
    """A blank python-docx document, stripped of the template's metadata."""
    document = docx.Document()
    scrub_document(document)
    return document


def _drop_rels(rels, suffixes: tuple[str, ...]) -> None:
    for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(suffixes)]:
        rels.pop(rid)


def scrub_document(document) -> None:
    """Empty every identifying property: author, last editor, title, subject, comments,
    keywords, category, template, company, revision, dates, custom properties, thumbnail."""
    props = document.core_properties
    for name in _CORE_TEXT_FIELDS:
        setattr(props, name, "")
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    if props.last_printed is not None:
        props.last_printed = FIXED_TIME
    package = document.part.package
    _drop_rels(package.rels, _DROP_PACKAGE_RELS)
    _drop_rels(document.part.rels, _DROP_DOCUMENT_RELS)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _MINIMAL_APP_XML  # python-docx keeps unknown parts as raw bytes


def save_docx(document, path: Path) -> None:
    """Scrub and save atomically (temp file, fsync, rename)."""
    scrub_document(document)
    with atomic_path(Path(path)) as tmp:
        document.save(str(tmp))
