"""The document model: what a recording becomes, in words a researcher uses.

Transcript -> Segments (speaker turns) -> Words, plus Findings (possible identifiers)
anchored to a segment by character offsets, so that editing one turn's text never moves
the findings of another. Everything is plain dataclasses that round-trip through JSON,
with a schema version so that later releases can read what earlier ones saved.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1


class Decision(str, enum.Enum):
    """What the reviewer decided about a finding."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# Entity types, with the label stem used for pseudonyms ("[Person 1]").
ENTITY_TYPES: dict[str, str] = {
    "PERSON": "Person",
    "ORGANISATION": "Organisation",
    "ROLE": "Role",
    "LOCATION": "Location",
    "DATE": "Date",
    "EMAIL": "Email",
    "PHONE": "Phone",
    "NHS_NUMBER": "NHS number",
    "POSTCODE": "Postcode",
    "ID": "ID",
    "URL": "URL",
    "OTHER": "Redacted",
}


@dataclass
class Word:
    """One recognised word with its time in the recording (seconds)."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass
class Speaker:
    """A voice in the recording; ``label`` is what exports print before a turn."""

    id: str
    label: str


@dataclass
class Segment:
    """One speaker turn (or part of one): its text is the source of truth, words give timing."""

    id: int
    start: float
    end: float
    text: str
    speaker: str = "S1"
    words: list[Word] = field(default_factory=list)
    heading: str = ""  # what the turn answers (a survey question); empty for speech
    # True for a "[no transcript …]" turn: voice was heard here but no words were recognised
    # (see transcribe/coverage.py); the researcher listens to it.
    unheard: bool = False


@dataclass
class SpeakerTime:
    """When a voice is heard, as the speaker method found it (diarizer or stereo channels).

    Kept beside the words because the recogniser drops some speech (back-channels, cross-talk,
    mumbled ends of turns) that timed exports should still show; ``overlap`` marks a voice
    talking over another one.
    """

    start: float
    end: float
    speaker: str
    overlap: bool = False


@dataclass
class RecordingInfo:
    """Where a transcript came from. ``name`` is the original file name (private)."""

    name: str
    duration: float = 0.0
    sha256: str = ""
    path: str = ""


@dataclass
class Transcript:
    """A whole recording as text: speakers, turns, words and times."""

    recording: RecordingInfo
    segments: list[Segment] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    language: str = "en"
    model: str = ""
    schema_version: int = SCHEMA_VERSION
    speaker_times: list[SpeakerTime] = field(default_factory=list)

    def speaker_label(self, speaker_id: str) -> str:
        sp = _by_id(self, "speakers", speaker_id)
        return speaker_id if sp is None else sp.label

    def segment(self, segment_id: int) -> Segment:
        seg = _by_id(self, "segments", segment_id)
        if seg is None:
            raise KeyError(segment_id)
        return seg

    def ensure_speakers(self) -> None:
        """Give every speaker id used by a segment an entry with a readable default label."""
        known = {sp.id for sp in self.speakers}
        used = [seg.speaker for seg in self.segments] + [t.speaker for t in self.speaker_times]
        for sid in used:
            if sid not in known:
                n = len(self.speakers) + 1
                self.speakers.append(Speaker(id=sid, label=f"Speaker {n}"))
                known.add(sid)

    def word_count(self) -> int:
        return sum(len(seg.text.split()) for seg in self.segments)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        version = int(data.get("schema_version", 1))
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"this transcript was saved by a newer Anonyscribe (schema {version}); "
                "please update the app to open it"
            )
        segments = [
            Segment(
                id=int(s["id"]),
                start=float(s["start"]),
                end=float(s["end"]),
                text=s["text"],
                speaker=s.get("speaker", "S1"),
                words=[Word(**w) for w in s.get("words", [])],
                heading=s.get("heading", ""),
                unheard=bool(s.get("unheard", False)),
            )
            for s in data.get("segments", [])
        ]
        return cls(
            recording=RecordingInfo(**data["recording"]),
            segments=segments,
            speakers=[Speaker(**sp) for sp in data.get("speakers", [])],
            language=data.get("language", "en"),
            model=data.get("model", ""),
            schema_version=SCHEMA_VERSION,
            speaker_times=[SpeakerTime(float(t["start"]), float(t["end"]), str(t["speaker"]),
                                       bool(t.get("overlap", False)))
                           for t in data.get("speaker_times", [])],
        )


def _by_id(owner: Any, attr: str, key: Any) -> Any:
    """The first item of ``owner.<attr>`` whose ``id`` is ``key``, or None.

    Looked up in an index kept beside the list (not a dataclass field: never saved or
    compared) and rebuilt when the list is replaced, resized or its ids changed, so a survey
    with 50,000 respondents (one speaker each) is not searched from the start per answer."""
    items = getattr(owner, attr)
    cached = owner.__dict__.get(f"_index_{attr}")
    for attempt in range(2):
        if attempt or cached is None or cached[0] is not items or cached[1] != len(items):
            cached = (items, len(items), {it.id: i for i, it in reversed(list(enumerate(items)))})
            owner.__dict__[f"_index_{attr}"] = cached
        i = cached[2].get(key)
        if i is not None and items[i].id == key:
            return items[i]
    return None


def new_finding_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class Finding:
    """A stretch of one segment's text that may identify someone, and what to do about it.

    ``start``/``end`` are character offsets into ``Segment.text`` of ``segment_id``.
    ``source`` names the rule that found it ("manual" for the reviewer's own).
    """

    segment_id: int
    start: int
    end: int
    type: str
    text: str
    score: float = 0.5
    source: str = ""
    decision: Decision = Decision.PENDING
    id: str = field(default_factory=new_finding_id)

    def to_dict(self) -> dict[str, Any]:
        # Flat fields only: asdict's recursive deep copy made saving 1,500 findings 20x slower.
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["decision"] = self.decision.value
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        d = dict(data)
        d["decision"] = Decision(d.get("decision", "pending"))
        return cls(**d)


@dataclass(frozen=True)
class AudioMark:
    """Seconds of a recording the researcher marked by hand to be covered in the anonymised
    audio: a name the recogniser missed, misheard or timed badly, so the text has nothing
    to time it by. Only the audio export reads it; the text is never changed by a mark."""

    start: float
    end: float
    id: str = field(default_factory=new_finding_id)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "id": self.id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AudioMark:
        start, end = float(data["start"]), float(data["end"])
        if not 0 <= start < end:
            raise ValueError(f"a marked stretch must start before it ends: {start}-{end}")
        return cls(start, end, str(data["id"]))


@dataclass
class Span:
    """A finding over flat text (what detection returns before anchoring to segments)."""

    start: int
    end: int
    type: str
    text: str
    score: float
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
