"""SubRip (.srt) and WebVTT (.vtt) captions: for ATLAS.ti, QualCoder and any media player.

One cue per speaker turn, split where a turn runs past ``MAX_SECONDS`` or two lines of text;
without word times (exports never see them) a split shares the segment's time out by the
length of the text on each side. WebVTT carries the speaker as a voice tag
(``<v Speaker 1>``); SubRip has none, so the label starts the cue text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.files import write_text
from ..core.model import Transcript
from .common import Part, millis, turns

MAX_SECONDS = 7.0
LINE_CHARS = 42
MAX_CHARS = 2 * LINE_CHARS
MIN_CUE = 0.1
# A pseudonym ("[Person 1]", "[NHS number 2],") is one word: never split across cues or lines.
_WORD = re.compile(r"\S*\[[^\]]*\]\S*|\S+")


@dataclass
class Cue:
    start: float
    end: float
    speaker: str
    text: str


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def _balanced(words: list[str], groups: int) -> list[list[str]]:
    """Split words into ``groups`` runs of about equal length in characters."""
    total = sum(len(w) + 1 for w in words)
    out: list[list[str]] = [[]]
    used = 0
    for w in words:
        if out[-1] and len(out) < groups and used >= total * len(out) / groups:
            out.append([])
        out[-1].append(w)
        used += len(w) + 1
    return out


def _split_part(part: Part) -> list[Part]:
    """Split a segment into pieces within the limits, timed by their share of the text; more
    pieces are tried until every one fits (or each is a single word)."""
    length = part.end - part.start
    words = words_of(part.text)
    n = max(1, math.ceil(length / MAX_SECONDS), math.ceil(len(part.text) / MAX_CHARS))
    while True:
        pieces = _pieces(part, words, min(n, len(words)))
        if n >= len(words) or all(
                p.end - p.start <= MAX_SECONDS and len(p.text) <= MAX_CHARS for p in pieces):
            return pieces
        n += 1


def _pieces(part: Part, words: list[str], n: int) -> list[Part]:
    if n <= 1:
        return [part]
    length = part.end - part.start
    total = sum(len(w) + 1 for w in words)
    out: list[Part] = []
    done = 0
    for group in _balanced(words, n):
        start = part.start + length * done / total
        done += sum(len(w) + 1 for w in group)
        out.append(Part(start, part.start + length * done / total, " ".join(group)))
    return out


def _pack(speaker: str, parts: list[Part]) -> list[Cue]:
    """Join a turn's short segments into cues up to the time and length limits."""
    cues: list[Cue] = []
    for part in parts:
        last = cues[-1] if cues else None
        joined = f"{last.text} {part.text}" if last else ""
        if last and part.end - last.start <= MAX_SECONDS and len(joined) <= MAX_CHARS:
            last.end, last.text = max(last.end, part.end), joined
        else:
            cues.append(Cue(part.start, part.end, speaker, part.text))
    return cues


def cues(transcript: Transcript) -> list[Cue]:
    """Cues in time order, each at least ``MIN_CUE`` long and none overlapping the next."""
    out: list[Cue] = []
    for turn in turns(transcript):
        pieces = [p for part in turn.parts for p in _split_part(part)]
        out.extend(_pack(turn.speaker, pieces))
    out.sort(key=lambda c: c.start)
    for cue, nxt in zip(out, out[1:], strict=False):
        if cue.end > nxt.start:
            cue.end = max(nxt.start, cue.start + MIN_CUE)
    for cue in out:
        cue.end = max(cue.end, cue.start + MIN_CUE)
    return out


def wrap(text: str) -> str:
    """At most two lines: break between the words nearest the middle when the text is long."""
    words = words_of(text)
    if len(text) <= LINE_CHARS or len(words) < 2:
        return text
    best = min(range(1, len(words)),
               key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return f"{' '.join(words[:best])}\n{' '.join(words[best:])}"


def render_srt(transcript: Transcript) -> str:
    blocks = []
    for n, cue in enumerate(cues(transcript), 1):
        text = wrap(f"{cue.speaker}: {cue.text}".replace("-->", "->"))
        blocks.append(f"{n}\n{millis(cue.start, ',')} --> {millis(cue.end, ',')}\n{text}\n")
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_vtt(transcript: Transcript) -> str:
    blocks = ["WEBVTT\n"]
    for cue in cues(transcript):
        times = f"{millis(cue.start, '.')} --> {millis(cue.end, '.')}"
        text = wrap(_vtt_escape(cue.text))
        blocks.append(f"{times}\n<v {_vtt_escape(cue.speaker)}>{text}\n")
    return "\n".join(blocks)


def write_srt(transcript: Transcript, paths: list[Path], stem: str,
              exported: date | None = None) -> None:
    (path,) = paths
    write_text(path, render_srt(transcript))


def write_vtt(transcript: Transcript, paths: list[Path], stem: str,
              exported: date | None = None) -> None:
    (path,) = paths
    write_text(path, render_vtt(transcript))
