"""What the transcript readers share: speaker turns from lines, times, names, the Transcript.

A transcript someone typed or a service delivered comes in a handful of shapes, and the same
lines parser serves .docx paragraphs and .txt lines alike:

* Teams' own layouts ("Name   0:03" then the text; or a "0:00:03.1 --> 0:00:05" range, the
  name, the text): parsed by ``speakers.teams``, as for Teams files beside recordings;
* "Name: text" paragraphs, optionally with a time ("[00:01:02] Name: text",
  "Name (00:01:02): text") and our own MAXQDA end stamp ("... #00:01:02-5#");
* NVivo rows (``00:00:01.0 - 00:00:04.5<TAB>Speaker<TAB>text``), as our NVivo export writes;
* anything else: one segment per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.model import RecordingInfo, Segment, Speaker, Transcript
from ..core.study import file_sha256
from ..speakers.teams import (
    TeamsCue,
    TeamsTranscript,
    display_name,
    names_for_always_list,
    parse_docx_lines,
    parse_time,
)
from . import SourceError, SourceResult

PLAIN_LABEL = "Text"
# Timed pieces of one speaker closer than this are one turn (Teams cuts sentences up).
JOIN_GAP_S = 2.0
_T = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?"
_F4 = re.compile(r"\s*#(\d{1,2}):(\d{2}):(\d{2})-(\d)#\s*$")
_LEADING_TIME = re.compile(rf"^\s*[\[(]?({_T})[\])]?\s+(?=\S)")
_NAME = r"[^\W\d_][\w'’.\- ]{0,40}?"
# "Name: text", Teams' "Surname, Forename (Organisation): text", "[Person 1]: text"
_SPEAKER = re.compile(
    rf"^(?P<name>{_NAME}(?:,\s*{_NAME})?(?:\s*\((?!{_T}\))[^()]{{1,60}}\))?|\[[^\]]{{1,40}}\])\s*"
    rf"(?:[\[(](?P<time>{_T})[\])])?\s*:\s+(?P<text>\S.*)$", re.DOTALL)
_NVIVO = re.compile(rf"^\s*({_T})\s*-\s*({_T})\s*$")
# Teams' own paragraph "Jane Smith stopped transcription": not part of the conversation.
_EVENT_LINE = re.compile(r"^.{1,100}\b(?:started|stopped) transcription\.?$", re.IGNORECASE)
_OWN_HEADER = re.compile(r"^(Anonymised transcript|Recording |Duration \d|Exported \d{4}-)")
# Speaker labels that name a role, not a person: they stay, and never go to always-redact.
ROLE_WORDS = {
    "interviewer", "interviewee", "participant", "respondent", "facilitator", "moderator",
    "speaker", "researcher", "unknown", "text", "note", "notes", "question", "answer", "q", "a",
    "i", "p", "r", "int", "ir", "ie", "resp", "group", "all", "both", "several", "everyone",
    "member", "observer", "chair", "host", "guest", "patient", "nurse", "doctor", "carer",
    "clinician", "staff", "parent", "child", "mother", "father", "co-facilitator", "inaudible",
}


@dataclass
class RawTurn:
    """A turn as the file states it: who ("" unknown), what, and when (None: not stated)."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None


def read_text(path: Path) -> str:
    """A text file's contents whatever Windows or a Mac saved it as (BOM, UTF-16, cp1252)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"it cannot be read ({exc.strerror or exc})",
                          "check that the file is there and you may open it") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def is_role(label: str) -> bool:
    """"Interviewer", "P3", "Speaker 2", "[Person 1]": a role or pseudonym, not a name."""
    text = label.strip()
    if not text or text.startswith("[") or any(c.isdigit() for c in text):
        return True
    first = re.split(r"[\s\-_]+", text.casefold())[0].strip(".")
    return first in ROLE_WORDS or not text[0].isupper()


def _stamp(text: str) -> tuple[str, float | None]:
    m = _F4.search(text)
    if m is None:
        return text, None
    h, mi, s, t = (int(g) for g in m.groups())
    return text[: m.start()].rstrip(), h * 3600 + mi * 60 + s + t / 10


def speaker_line(line: str) -> RawTurn | None:
    """A "Name: text" paragraph (with any of the time forms), or None."""
    body, end = _stamp(line)
    start = None
    lead = _LEADING_TIME.match(body)
    if lead:
        start, body = parse_time(lead.group(1)), body[lead.end():]
    m = _SPEAKER.match(body)
    if m is None:
        return None
    name = m.group("name").strip()
    if len(name.split()) > 5 or name.endswith("."):
        return None
    bare = re.sub(r"\s*\([^()]*\)$", "", name)
    if "," in bare and not all(w[0].isupper() for w in bare.replace(",", " ").split()):
        return None  # "I went there, and: then" is a sentence; "Kowalski, Diane:" a name
    if m.group("time"):
        start = parse_time(m.group("time"))
    return RawTurn(name, m.group("text").strip(), start, end)


def _nvivo_rows(lines: list[str]) -> list[RawTurn] | None:
    rows = [ln.split("\t") for ln in lines if ln.strip()]
    if not rows or any(len(r) != 3 or not _NVIVO.match(r[0]) for r in rows):
        return None
    out = []
    for span, speaker, text in rows:
        m = _NVIVO.match(span)
        assert m is not None
        out.append(RawTurn(speaker.strip(), text.strip(), parse_time(m.group(1)),
                           parse_time(m.group(2))))
    return out


def parse_lines(lines: list[str]) -> tuple[list[RawTurn], str]:
    """Turns and a title from a transcript's lines (a blank line ends a paragraph)."""
    nvivo = _nvivo_rows(lines)
    if nvivo is not None:
        return nvivo, ""
    cues, title = parse_docx_lines([ln for ln in lines if not _EVENT_LINE.match(ln.strip())])
    if any(c.speaker for c in cues):
        return [RawTurn(c.speaker, c.text, c.start, c.end) for c in cues], title
    paragraphs = _paragraphs(lines)
    while paragraphs and _OWN_HEADER.match(paragraphs[0]):
        paragraphs.pop(0)  # the header our own export writes: nothing of the interview
    spoken = [speaker_line(p) for p in paragraphs]
    labelled = [t for t in spoken if t is not None]
    repeated = {t.speaker for t in labelled if sum(u.speaker == t.speaker for u in labelled) > 1}
    if labelled and len(labelled) * 2 >= len(paragraphs) and repeated:
        return _with_speakers(paragraphs, spoken), ""
    return [RawTurn("", p) for p in paragraphs], ""


def _paragraphs(lines: list[str]) -> list[str]:
    """Non-empty paragraphs: lines between blank lines; a new "Name:" line starts one too."""
    out: list[str] = []
    cur: list[str] = []
    for raw in lines + [""]:
        line = raw.strip()
        if not line or (cur and speaker_line(line) is not None):
            if cur:
                out.append(" ".join(cur))
            cur = [line] if line else []
            continue
        cur.append(line)
    return out


def _with_speakers(paragraphs: list[str], spoken: list[RawTurn | None]) -> list[RawTurn]:
    """Labelled paragraphs as turns; an unlabelled one continues the turn before it, and lines
    before the first label (a title, a date) are kept as text of their own (our own export's
    header is dropped: it was written by us and holds nothing of the interview)."""
    out: list[RawTurn] = []
    for para, turn in zip(paragraphs, spoken, strict=True):
        if turn is not None:
            out.append(turn)
        elif out and out[-1].speaker:
            out.append(RawTurn(out[-1].speaker, _stamp(para)[0]))
        elif not _OWN_HEADER.match(para):
            out.append(RawTurn("", para))
    return out


def _fill_times(turns: list[RawTurn]) -> bool:
    """Times for every turn when the file gave some: an end stamp closes the span the
    previous stamp opened (as in f4 and our .txt), a missing end is the next start."""
    if not any(t.start is not None or t.end is not None for t in turns):
        return False
    prev_end = 0.0
    for k, t in enumerate(turns):
        if t.start is None:
            t.start = prev_end
        if t.end is None:
            nxt = next((u.start for u in turns[k + 1:] if u.start is not None), None)
            t.end = max(t.start, nxt if nxt is not None else t.start)
        prev_end = max(prev_end, t.end)
    return True


def _join(turns: list[RawTurn]) -> list[RawTurn]:
    out: list[RawTurn] = []
    for t in turns:
        last = out[-1] if out else None
        if (last is not None and last.speaker == t.speaker and last.end is not None
                and t.start is not None and t.start - last.end <= JOIN_GAP_S):
            last.text = f"{last.text} {t.text}"
            last.end = max(last.end, t.end or t.start)
        else:
            out.append(t)
    return out


def build_transcript(path: Path, turns: list[RawTurn], title: str = "") -> SourceResult:
    """The Transcript of a text source, and the names that must go to always-redact."""
    turns = [t for t in turns if t.text.strip()]
    if not turns:
        raise SourceError(path, "it holds no text", "check that this is the transcript you "
                          "meant, and that it was saved with its content")
    if _fill_times(turns):
        turns = _join(turns)
    ids: dict[str, str] = {}
    segments = []
    for n, t in enumerate(turns):
        sid = ids.setdefault(t.speaker, f"S{len(ids) + 1}")
        segments.append(Segment(n, t.start or 0.0, t.end or 0.0, " ".join(t.text.split()), sid))
    speakers = [Speaker(sid, shown_label(name)) for name, sid in ids.items()]
    people = [TeamsCue(0.0, 0.0, name, "") for name in ids if name and not is_role(name)]
    names = names_for_always_list(TeamsTranscript(path, people, title), path.name)
    duration = max((s.end for s in segments), default=0.0)
    info = RecordingInfo(name=path.name, duration=duration, sha256=file_sha256(path),
                         path=str(path))
    return SourceResult(Transcript(recording=info, segments=segments, speakers=speakers,
                                   model="text"), names)


def shown_label(name: str) -> str:
    """How a label from the file is shown: roles as written, names as Teams would print them."""
    if not name:
        return PLAIN_LABEL
    return name if is_role(name) else display_name(name)
