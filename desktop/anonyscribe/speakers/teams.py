"""Microsoft Teams' own transcripts (.vtt and .docx) as a source of speaker names and turns.

Teams knows who spoke (each participant's account), so its cues label our turns better than
any diarizer. We take only names and times from it: the text stays ours (faster-whisper's,
with word timings) unless the user chooses Teams' text. Every name Teams shows, and any name
in the meeting title, is also an identifier that must be redacted, hence
``names_for_always_list``.

Teams' clock starts when transcription starts, which is not always when the recording starts,
so the two are aligned by the shift (within +-30 s) that best matches their words to ours, or
failing that their speech to ours.
"""

from __future__ import annotations

import bisect
import copy
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import docx
import numpy as np
from docx.opc.exceptions import PackageNotFoundError

from ..core.model import Segment, Transcript
from .turns import Turn, assign_speakers, build_speaker_list, merge_adjacent

MAX_SHIFT_S = 30.0


class TeamsFormatError(ValueError):
    """A Teams transcript that cannot be read; the message names the file and what to do."""


@dataclass
class TeamsCue:
    """One caption: who (may be empty), when (seconds, Teams' clock) and what Teams heard."""

    start: float
    end: float
    speaker: str
    text: str


@dataclass
class TeamsTranscript:
    """A parsed Teams transcript; ``title`` is the meeting title when the file states it."""

    path: Path
    cues: list[TeamsCue] = field(default_factory=list)
    title: str = ""

    @property
    def speakers(self) -> list[str]:
        """Speaker names as Teams wrote them, in order of first appearance."""
        seen: list[str] = []
        for c in self.cues:
            if c.speaker and c.speaker not in seen:
                seen.append(c.speaker)
        return seen


# -- times ---------------------------------------------------------------------------------

_TIME = r"-?\d+(?::-?\d+){0,3}(?:[.,]\d+)?"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:\s+.*)?$")


def parse_time(text: str) -> float:
    """Seconds from "01:02:03.450", "1:2:3,45", "02:03.4", "3.5" or "-00:00:01.200".

    Teams writes un-padded fields and, at the start of some meetings, negative times.
    """
    text = text.strip()
    sign = -1.0 if text.startswith("-") else 1.0
    parts = text.lstrip("-").replace(",", ".").split(":")
    if not parts or len(parts) > 4 or any(p in ("", "-") for p in parts):
        raise ValueError(f"not a time: {text!r}")
    if len(parts) == 4:  # hh:mm:ss:ff (frames) appears in some exports; treat ff as 1/100 s
        parts = [parts[0], parts[1], f"{parts[2]}.{parts[3]}"]
    value = 0.0
    for p in parts:
        value = value * 60.0 + abs(float(p))
    return sign * value


# -- WebVTT --------------------------------------------------------------------------------

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[^>]*>")
_COLON_SPEAKER = re.compile(r"^\s*([^\W\d][\w'’.,()\- ]{0,60}?)\s*:\s+(.+)$", re.DOTALL)


def _clean(text: str) -> str:
    text = html.unescape(_TAG.sub("", text))
    text = text.replace("\u200e", "").replace("\u200f", "").replace("\xa0", " ")
    return " ".join(text.split())


def _voices(payload: str) -> list[tuple[str, str]]:
    """(speaker, text) parts of a cue's text: ``<v Name>`` tags, else a "Name: text" prefix."""
    marks = list(_VOICE.finditer(payload))
    if not marks:
        text = _clean(payload)
        m = _COLON_SPEAKER.match(text)
        if m and len(m.group(1).split()) <= 5 and not m.group(1).strip().isdigit():
            return [(m.group(1).strip(), m.group(2).strip())]
        return [("", text)] if text else []
    parts = []
    lead = _clean(payload[: marks[0].start()])
    if lead:
        parts.append(("", lead))
    for k, m in enumerate(marks):
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(payload)
        parts.append((_clean(m.group(1) or ""), _clean(payload[m.end(): stop])))
    return [(s, t) for s, t in parts if t]


def _split_cue(start: float, end: float, parts: list[tuple[str, str]]) -> list[TeamsCue]:
    """Several voices in one cue share its time in proportion to their text."""
    total = sum(len(t) for _, t in parts) or 1
    out, t0 = [], start
    for spk, text in parts:
        t1 = t0 + (end - start) * len(text) / total
        out.append(TeamsCue(t0, t1, spk, text))
        t0 = t1
    return out


def parse_vtt(text: str, source: str = "transcript") -> list[TeamsCue]:
    """Cues of a Teams (or any) WebVTT file, with ``<v>`` voices, NOTE blocks and cue ids."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    cues: list[TeamsCue] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        if lines[0].strip().startswith(("NOTE", "STYLE", "REGION")):
            continue  # comments (Teams writes duration, language, confidence here) and styling
        timing_at = next((i for i, ln in enumerate(lines) if "-->" in ln), None)
        if timing_at is None:
            continue  # the WEBVTT header alone, or a stray line
        m = _TIMING.match(lines[timing_at])
        if m is None:
            raise TeamsFormatError(
                f"{source}: cannot read the time line {lines[timing_at].strip()!r}; "
                "export the transcript from Teams again, or choose another speaker method")
        start, end = parse_time(m.group(1)), parse_time(m.group(2))
        if end < start:
            start, end = end, start
        payload = "\n".join(lines[timing_at + 1:])
        parts = _voices(payload)
        if parts:
            cues.extend(_split_cue(start, end, parts))
    return cues


# -- .docx ---------------------------------------------------------------------------------

_DOCX_HEADER = re.compile(
    r"^(?P<name>.*?\S)\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)$")
_DOCX_RANGE = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})\s*$")
_EVENT = re.compile(r"\b(started|stopped) transcription\b", re.IGNORECASE)
_WORDS_PER_S = 2.5


def _looks_like_name(text: str) -> bool:
    """A speaker header names a person: a few capitalised words, maybe "Surname, Forename"."""
    core = re.sub(r"\([^)]*\)", "", text).replace(",", " ").strip()
    words = core.split()
    if not words or len(words) > 6:
        return False
    return all(w[0].isupper() or not w[0].isalpha() for w in words)


def _docx_lines(path: Path) -> list[str]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise TeamsFormatError(
            f"{path}: this is not a Word transcript or it is damaged ({exc}); download the "
            "transcript from Teams again, or choose another speaker method") from exc
    lines: list[str] = []
    for para in document.paragraphs:
        lines.extend(para.text.replace("\r", "\n").split("\n"))
        lines.append("")  # paragraph boundary
    return lines


def parse_docx_lines(lines: list[str]) -> tuple[list[TeamsCue], str]:
    """Cues and meeting title from the lines of a Teams .docx transcript.

    Two layouts exist: "Name   0:03" followed by the text (new Teams), and
    "0:00:03.120 --> 0:00:05.000", "Name", text (classic Teams).
    """
    cues: list[TeamsCue] = []
    title_lines: list[str] = []
    cur: dict | None = None
    expect_name = False

    def close() -> None:
        if cur is not None and cur["text"]:
            cues.append(TeamsCue(cur["start"], cur["end"], cur["speaker"],
                                 " ".join(" ".join(cur["text"]).split())))

    for raw in lines:
        line = raw.strip()
        if not line:
            expect_name = False if cur is None or cur["text"] else expect_name
            continue
        rng = _DOCX_RANGE.match(line)
        if rng:
            close()
            cur = {"start": parse_time(rng.group(1)), "end": parse_time(rng.group(2)),
                   "speaker": "", "text": []}
            expect_name = True
            continue
        hdr = _DOCX_HEADER.match(line)
        if hdr and _looks_like_name(hdr.group("name")):
            close()
            cur = {"start": parse_time(hdr.group("time")), "end": None,
                   "speaker": hdr.group("name").strip(), "text": []}
            expect_name = False
            continue
        if cur is None:
            title_lines.append(line)
            continue
        if expect_name and not cur["text"] and not cur["speaker"] and _looks_like_name(line):
            cur["speaker"] = line
            expect_name = False
            continue
        if _EVENT.search(line) and not cur["text"]:
            continue
        cur["text"].append(line)
        expect_name = False
    close()
    _fill_ends(cues)
    cues = [c for c in cues if not _EVENT.search(c.text) or len(c.text.split()) > 4]
    return cues, (title_lines[0] if title_lines else "")


def _fill_ends(cues: list[TeamsCue]) -> None:
    """Cues with a start only end at the next cue, or after their words at a talking pace."""
    for k, c in enumerate(cues):
        if c.end is None:
            spoken = c.start + max(1.0, len(c.text.split()) / _WORDS_PER_S)
            nxt = cues[k + 1].start if k + 1 < len(cues) else spoken
            c.end = max(c.start, min(nxt, spoken))


# -- reading and finding -------------------------------------------------------------------

def read_teams_transcript(path: Path) -> TeamsTranscript:
    """Parse a Teams .vtt or .docx transcript; ``TeamsFormatError`` says what is wrong."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".vtt":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_text(encoding="cp1252", errors="replace")
        except OSError as exc:
            raise TeamsFormatError(f"{path}: cannot be read ({exc.strerror})") from exc
        cues = parse_vtt(text, str(path))
        title = ""
    elif suffix == ".docx":
        cues, title = parse_docx_lines(_docx_lines(path))
    else:
        raise TeamsFormatError(f"{path}: not a Teams transcript (expected .vtt or .docx)")
    if not cues:
        raise TeamsFormatError(
            f"{path}: no captions with times were found in it; download the transcript from "
            "Teams again (as .vtt or .docx), or choose another speaker method")
    return TeamsTranscript(path, cues, title)


_TEAMS_SUFFIX = re.compile(
    r"[-_ ]+\d{8}[_ ]\d{4,6}(?:[-_ ]+Meeting[ _]Recording)?$|[-_ ]+Meeting[ _]Recording$",
    re.IGNORECASE)


def meeting_title(recording_name: str) -> str:
    """The meeting title in a Teams recording's file name (date stamp and suffix removed)."""
    stem = Path(recording_name).stem if "." in recording_name else recording_name
    return _TEAMS_SUFFIX.sub("", stem).strip(" -_")


def find_teams_transcript(recording_path: Path) -> Path | None:
    """A Teams transcript saved beside the recording: same name with .vtt/.docx, or the
    meeting's "<title> - Transcript.vtt" / "<title>-<date>-Meeting Transcript.docx"."""
    recording_path = Path(recording_path)
    folder = recording_path.parent
    if not folder.is_dir():
        return None
    stem = recording_path.stem
    title = meeting_title(recording_path.name)
    bases = [stem, re.sub(r"Meeting[ _]Recording$", "Meeting Transcript", stem, flags=re.I)]
    for t in (title, stem):
        bases += [f"{t} - Transcript", f"{t}-Transcript", f"{t} Transcript", f"{t}_Transcript"]
    files = {p.name.casefold(): p for p in folder.iterdir() if p.is_file()}
    for ext in (".vtt", ".docx"):
        for base in bases:
            hit = files.get(f"{base}{ext}".casefold())
            if hit is not None and hit != recording_path:
                return hit
    return None


# -- names -----------------------------------------------------------------------------------

# Title words that are not names; and name parts too common as words to redact on their own.
_TITLE_WORDS = {
    "interview", "interviews", "meeting", "recording", "transcript", "call", "chat", "catch",
    "catchup", "catch-up", "focus", "group", "session", "teams", "microsoft", "study", "research",
    "participant", "participants", "follow", "follow-up", "debrief", "weekly", "monthly", "daily",
    "team", "project", "sync", "review", "discussion", "workshop", "staff", "patient", "nurse",
    "doctor", "dr", "mr", "mrs", "ms", "miss", "prof", "professor", "with", "and", "the", "of",
    "for", "to", "re", "part", "round", "wave", "visit", "pilot", "trial", "nhs", "trust",
    "online", "virtual", "zoom", "audio", "video", "new", "final", "draft", "copy", "test",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "general", "channel", "standup", "stand-up", "planning", "intro",
    "ward", "clinic", "unit", "hospital", "practice", "surgery", "centre", "center", "service",
    "department", "board", "gp", "nurses", "doctors", "carers", "member", "members",
    "feedback", "consultation", "appointment", "case", "notes", "recorded", "phone",
}
_COMMON_WORDS = {
    "will", "may", "mark", "grace", "hope", "rose", "bill", "sue", "pat", "ray", "joy", "faith",
    "june", "april", "summer", "rich", "frank", "gene", "dawn", "amber", "ruby", "jack", "rob",
    "art", "chase", "drew", "guy", "hunter", "lane", "reed", "sandy", "stone", "wood", "young",
    "king", "white", "black", "brown", "green", "long", "short", "little", "hall", "bell",
    "page", "price", "love", "bishop", "cook", "baker", "rock", "norman", "best", "park", "miles",
    "north", "south", "west", "east", "ward", "field", "english", "french", "said", "well",
    "sky", "max", "don", "van", "de", "la", "le", "al", "bin",
}
_NOT_NAME_PARTS = _COMMON_WORDS | _TITLE_WORDS
_NAME_TOKEN = re.compile(r"^[^\W\d_]+(?:['’\-.][^\W\d_]+)*\.?$")


def display_name(teams_name: str) -> str:
    """How a Teams account name reads as a speaker label: "SMITH, Jane (Trust)" -> "Jane Smith"."""
    name = re.sub(r"\s*[\(\[][^\)\]]*[\)\]]", "", teams_name).strip()
    if name.count(",") == 1:
        surname, forename = (p.strip() for p in name.split(","))
        if surname and forename:
            name = f"{forename} {surname}"
    words = [w.capitalize() if w.isupper() and len(w) > 2 else w for w in name.split()]
    return " ".join(words) or teams_name.strip()


def _name_parts(name: str) -> list[str]:
    return [p for p in re.split(r"[\s,]+", name)
            if len(p) > 1 and _NAME_TOKEN.match(p) and p.casefold().strip(".") not in
            _NOT_NAME_PARTS]


def names_in_title(title: str) -> list[str]:
    """Person names in a meeting title: capitalised runs that are not title words.

    "Interview with Jane Smith" -> ["Jane Smith"]; "Focus group 3" -> [].
    """
    title = unicodedata.normalize("NFC", meeting_title(title))
    tokens = re.split(r"[\s/&+|:;()\[\],]+|\s-\s|_", title)
    names: list[str] = []
    run: list[str] = []
    for tok in tokens + [""]:
        clean = tok.strip(".-'’")
        if (clean and _NAME_TOKEN.match(clean) and clean[0].isupper()
                and clean.casefold() not in _TITLE_WORDS
                and not (clean.isupper() and len(clean) <= 3)):
            run.append(clean)
            continue
        if run:
            names.append(" ".join(run))
            run = []
    return names


def names_for_always_list(teams_transcript: TeamsTranscript | None,
                          recording_name: str) -> list[str]:
    """Every name to redact everywhere in the study: Teams speakers (as Teams wrote them, as
    labelled, and each distinctive part) and names in the meeting title or file name."""
    out: list[str] = []

    def add(name: str) -> None:
        name = " ".join(name.split()).strip(" ,")
        if len(name) > 1 and name.casefold() not in (n.casefold() for n in out):
            out.append(name)

    parts_of: list[str] = []
    if teams_transcript is not None:
        for spk in teams_transcript.speakers:  # account names: always, whatever they look like
            bare = re.sub(r"\s*[\(\[][^\)\]]*[\)\]]", "", spk).strip() or spk
            add(bare)
            add(display_name(spk))
            parts_of.append(display_name(spk))
    titles = [recording_name]
    if teams_transcript is not None and teams_transcript.title:
        titles.insert(0, teams_transcript.title)
    for title in titles:
        for name in names_in_title(title):
            if _name_parts(name):
                add(name)
                parts_of.append(name)
    for name in parts_of:
        for part in _name_parts(name):
            add(part)
    return out


# -- aligning Teams' clock with ours -------------------------------------------------------

def _norm_word(w: str) -> str:
    return re.sub(r"[^\w']", "", w.casefold())


def _our_words(transcript: Transcript) -> list[tuple[float, str]]:
    out = []
    for seg in transcript.segments:
        if seg.words:
            out += [((w.start + w.end) / 2, _norm_word(w.text)) for w in seg.words]
        else:
            ws = seg.text.split()
            for i, w in enumerate(ws):
                out.append((seg.start + (i + 0.5) * (seg.end - seg.start) / len(ws), _norm_word(w)))
    return [(t, w) for t, w in out if len(w) >= 3]


def _their_words(cues: list[TeamsCue]) -> list[tuple[float, str]]:
    out = []
    for c in cues:
        ws = c.text.split()
        for i, w in enumerate(ws):
            out.append((c.start + (i + 0.5) * (c.end - c.start) / len(ws), _norm_word(w)))
    return [(t, w) for t, w in out if len(w) >= 3]


def _offset_by_words(transcript: Transcript, cues: list[TeamsCue],
                     max_shift: float, step: float = 0.2) -> float | None:
    """The shift most word matches agree on (ours minus theirs), or None if too few agree."""
    ours, theirs = _our_words(transcript), _their_words(cues)
    if not ours or not theirs:
        return None
    where: dict[str, list[float]] = {}
    for t, w in theirs:
        where.setdefault(w, []).append(t)
    common = Counter(w for _, w in ours)
    votes: Counter[int] = Counter()
    deltas: dict[int, list[float]] = {}
    for t, w in ours:
        times = where.get(w)
        if not times or len(times) > 40 or common[w] > 40:
            continue
        lo = bisect.bisect_left(times, t - max_shift - 2)
        hi = bisect.bisect_right(times, t + max_shift + 2)
        for tt in times[lo:hi]:
            d = t - tt
            k = int(round(d / step))
            votes[k] += 1
            deltas.setdefault(k, []).append(d)
    if not votes:
        return None
    smoothed = {k: votes[k - 1] + votes[k] + votes[k + 1] for k in votes}
    best, score = max(smoothed.items(), key=lambda kv: (kv[1], -abs(kv[0])))
    runner_up = max((v for k, v in smoothed.items() if abs(k - best) > 3), default=0)
    if score < 5 or score < 2 * runner_up:
        return None
    near = sorted(d for k in (best - 1, best, best + 1) for d in deltas.get(k, []))
    return near[len(near) // 2]


def _activity(spans: list[tuple[float, float]], n: int, step: float, origin: float) -> list[int]:
    grid = [0] * n
    for a, b in spans:
        for i in range(max(0, int((a - origin) / step)), min(n, int((b - origin) / step) + 1)):
            grid[i] = 1
    return grid


def _offset_by_activity(transcript: Transcript, cues: list[TeamsCue],
                        max_shift: float, step: float = 0.1) -> float:
    """The shift that best lines up their speech with ours; 0 unless clearly better than 0."""
    ours = [(w.start, w.end) for s in transcript.segments for w in s.words] or \
        [(s.start, s.end) for s in transcript.segments]
    theirs = [(c.start, c.end) for c in cues]
    if not ours or not theirs:
        return 0.0
    origin = min(min(a for a, _ in ours), min(a for a, _ in theirs)) - max_shift
    end = max(max(b for _, b in ours), max(b for _, b in theirs)) + max_shift
    n = int((end - origin) / step) + 2
    a = np.array(_activity(ours, n, step, origin), dtype=np.float64)
    b = np.array(_activity(theirs, n, step, origin), dtype=np.float64)
    a -= a.mean()
    b -= b.mean()
    lags = range(-int(max_shift / step), int(max_shift / step) + 1)
    scores = [float(np.dot(a[max(0, k):n + min(0, k)], b[max(0, -k):n - max(0, k)]))
              for k in lags]
    best = int(np.argmax(scores))
    zero = scores[len(scores) // 2]
    if scores[best] <= zero * 1.05 + 1e-9:
        return 0.0
    return list(lags)[best] * step


def estimate_offset(transcript: Transcript, cues: list[TeamsCue],
                    max_shift: float = MAX_SHIFT_S) -> float:
    """Seconds to add to Teams' times to land on the recording's (within +-``max_shift``)."""
    by_words = _offset_by_words(transcript, cues, max_shift)
    if by_words is not None and abs(by_words) <= max_shift:
        return by_words
    return _offset_by_activity(transcript, cues, max_shift)


# -- labelling -----------------------------------------------------------------------------

@dataclass
class TeamsLabelling:
    """The relabelled transcript, the shift applied to Teams' times, and speaker labels."""

    transcript: Transcript
    offset: float
    labels: dict[str, str]


def _speaker_ids(teams: TeamsTranscript) -> dict[str, str]:
    """Teams name -> our id ("S1", "S2"... in order of first appearance)."""
    return {name: f"S{k}" for k, name in enumerate(teams.speakers, start=1)}


def teams_turns(teams: TeamsTranscript, offset: float = 0.0) -> tuple[list[Turn], dict[str, str]]:
    """Turns in our clock, and each speaker id's display name."""
    ids = _speaker_ids(teams)
    turns = [Turn(c.start + offset, c.end + offset, ids[c.speaker])
             for c in teams.cues if c.speaker]
    return turns, {sid: display_name(name) for name, sid in ids.items()}


def _teams_text_transcript(transcript: Transcript, teams: TeamsTranscript, offset: float,
                           labels: dict[str, str]) -> Transcript:
    """Teams' own captions as our segments (no word timings), for users who prefer its text."""
    ids = _speaker_ids(teams)
    segs = [Segment(0, max(0.0, c.start + offset), max(0.0, c.end + offset), c.text,
                    ids.get(c.speaker, "S0")) for c in teams.cues]
    segs = merge_adjacent(segs)
    for n, seg in enumerate(segs):
        seg.id = n
    out = copy.deepcopy(transcript)
    out.segments = segs
    out.speakers = build_speaker_list(transcript, segs, labels)
    return out


def label_with_teams(transcript: Transcript, teams: TeamsTranscript, *,
                     use_teams_text: bool = False) -> TeamsLabelling:
    """Our transcript with Teams' speakers; Teams' text replaces ours only if asked to."""
    offset = estimate_offset(transcript, teams.cues) if transcript.segments else 0.0
    turns, labels = teams_turns(teams, offset)
    if not turns:
        raise TeamsFormatError(
            f"{teams.path}: the transcript names no speakers, so it cannot label turns; "
            "choose another speaker method")
    if use_teams_text:
        out = _teams_text_transcript(transcript, teams, offset, labels)
    else:
        out = assign_speakers(transcript, turns, labels=labels)
    return TeamsLabelling(out, offset, labels)
