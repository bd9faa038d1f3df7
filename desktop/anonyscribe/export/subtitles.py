"""SubRip (.srt) and WebVTT (.vtt) captions: for ATLAS.ti, QualCoder and any media player.

One cue per speaker turn, split where a turn runs past ``MAX_SECONDS`` or two lines of text;
without word times (exports never see them) a split shares the segment's time out by the
length of the text on each side. WebVTT carries the speaker as a voice tag
(``<v Speaker 1>``); SubRip has none, so the label starts the cue text.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.files import write_text
from ..core.intervals import joined
from ..core.model import SpeakerTime, Transcript
from ..core.timeline import PIECE_PAUSE_S
from .common import Part, clean_label, export_turns, millis

MAX_SECONDS = 7.0
LINE_CHARS = 42
MAX_CHARS = 2 * LINE_CHARS
MIN_CUE = 0.1
# Speaker times (diarizer/channels) beside the words: how far a cue may widen over its
# speaker's voice, how near a voice must be to count as the cue's, and the shortest voice
# without words worth a cue of its own.
STRETCH_S = 1.5
TOUCH_S = 0.1
MIN_EXTRA_S = 0.3
UNCLEAR = "[unclear]"
CROSSTALK = "[crosstalk]"
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
    """Join a turn's short segments into cues up to the time and length limits; never
    across a pause (``PIECE_PAUSE_S``): a cue over it would show the text where nobody
    speaks."""
    cues: list[Cue] = []
    for part in parts:
        last = cues[-1] if cues else None
        joined = f"{last.text} {part.text}" if last else ""
        if (last and part.end - last.start <= MAX_SECONDS and len(joined) <= MAX_CHARS
                and part.start - last.end < PIECE_PAUSE_S):
            last.end, last.text = max(last.end, part.end), joined
        else:
            cues.append(Cue(part.start, part.end, speaker, part.text))
    return cues


def _word_cues(transcript: Transcript) -> list[Cue]:
    """Cues of transcribed words in time order, each at least ``MIN_CUE`` long and none
    overlapping the next."""
    out: list[Cue] = []
    for turn in export_turns(transcript):
        pieces = [p for part in turn.parts for p in _split_part(part)]
        out.extend(_pack(turn.speaker, pieces))
    out.sort(key=lambda c: c.start)
    for cue, nxt in zip(out, out[1:], strict=False):
        if cue.end > nxt.start:
            cue.end = max(nxt.start, cue.start + MIN_CUE)
    for cue in out:
        cue.end = max(cue.end, cue.start + MIN_CUE)
    return out


def _stretch(out: list[Cue], voices: list[Cue]) -> None:
    """Widen each cue over its speaker's voice around it (at most ``STRETCH_S`` each side and
    never into a neighbouring cue): word times end early and start late, the voice does not."""
    bounds = [(c.start, c.end) for c in out]
    for i, cue in enumerate(out):
        lo = bounds[i - 1][1] if i > 0 else 0.0
        hi = bounds[i + 1][0] if i + 1 < len(out) else math.inf
        near = [v for v in voices if v.speaker == cue.speaker
                and v.start <= cue.end + TOUCH_S and v.end >= cue.start - TOUCH_S]
        if near:
            start = min(v.start for v in near)
            end = max(v.end for v in near)
            cue.start = min(cue.start, max(lo, start, cue.start - STRETCH_S))
            cue.end = max(cue.end, min(hi, end, cue.end + STRETCH_S))


def _inside(t: float, spans: list[Cue]) -> Cue | None:
    return next((v for v in spans if v.start <= t < v.end), None)


def _trim(out: list[Cue], main: list[Cue], voices: list[Cue]) -> None:
    """Pull in each cue's start where it lies on another speaker's voice alone, and its end
    where its own voice is not heard (another's or nobody's), to its own voice, at most
    ``STRETCH_S``: segment ends, and text shared out over a segment, run late and early;
    the voice times do not. A start in silence stays: the recogniser heard a first word
    there that a soft onset may hide from the voice detector (real clips lost speech)."""
    labels = {c.speaker for c in out}
    owns = {s: [v for v in voices if v.speaker == s] for s in labels}
    others = {s: [v for v in main if v.speaker != s] for s in labels}
    for cue in out:
        own, other = owns[cue.speaker], others[cue.speaker]
        at = _inside(cue.start, other)
        if at is not None and _inside(cue.start, own) is None:
            back = [v.start for v in own if cue.start < v.start < at.end]
            cue.start = min(min([at.end, *back]), cue.start + STRETCH_S,
                            max(cue.start, cue.end - MIN_CUE))
        if _inside(cue.end - 1e-6, own) is None:
            at = _inside(cue.end - 1e-6, other)
            back = [v.end for v in own if cue.end - STRETCH_S < v.end < cue.end]
            if at is not None or back:  # silence: only back to where its voice stopped
                cue.end = max(max([at.start if at else -math.inf, *back]),
                              cue.end - STRETCH_S, min(cue.end, cue.start + MIN_CUE))


def _reach(spans: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Starts, and the furthest end so far, of spans sorted by start (for ``bisect``)."""
    return [a for a, _ in spans], list(itertools.accumulate((b for _, b in spans), max))


def _near(index: tuple[list[float], list[float]], a: float, b: float) -> range:
    """Positions of the spans (sorted, see ``_reach``) that may overlap [a, b]."""
    return range(bisect.bisect_right(index[1], a), bisect.bisect_left(index[0], b))


def _under_others(main: list[Cue], second: list[Cue], words: list[Cue]) -> list[Cue]:
    """``[crosstalk]`` where a voice heard (``main``) lies under another speaker's words
    while that speaker's own voice is heard too: both talk, the words are the other's (the
    recogniser wrote one voice; left out, the first voice had no cue there at all)."""
    heard: dict[str, list[tuple[float, float]]] = {}
    for v in main + second:
        heard.setdefault(v.speaker, []).append((v.start, v.end))
    spans = {s: joined(x) for s, x in heard.items()}
    index = {s: _reach(x) for s, x in spans.items()}
    at_words = _reach([(c.start, c.end) for c in words])
    out: list[Cue] = []
    for v in main:
        near = [words[i] for i in _near(at_words, v.start, v.end)]
        for a, b in _minus((v.start, v.end), [c for c in near if c.speaker == v.speaker]):
            for c in near:
                if c.speaker == v.speaker or c.end <= a or c.start >= b:
                    continue
                lo, hi = max(a, c.start), min(b, c.end)
                for k in _near(index.get(c.speaker, ([], [])), lo, hi):
                    x0, x1 = spans[c.speaker][k]
                    if min(hi, x1) - max(lo, x0) >= MIN_EXTRA_S:
                        out.append(Cue(max(lo, x0), min(hi, x1), v.speaker, CROSSTALK))
    return out


def _minus(span: tuple[float, float], holes: list[Cue]) -> list[tuple[float, float]]:
    """``span`` without the time the ``holes`` cover."""
    pieces = [span]
    for h in holes:
        if h.end <= span[0] or h.start >= span[1]:
            continue
        nxt = []
        for a, b in pieces:
            if h.start > a:
                nxt.append((a, min(b, h.start)))
            if h.end < b:
                nxt.append((max(a, h.end), b))
        pieces = [(a, b) for a, b in nxt if b > a]
    return pieces


def _voice_cues(spans: list[Cue], holes: list[Cue], text: str) -> list[Cue]:
    """A cue saying ``text`` for each stretch of voice no hole covers, if long enough."""
    return [Cue(a, b, v.speaker, text) for v in spans for a, b in _minus((v.start, v.end), holes)
            if b - a >= MIN_EXTRA_S]


def cues(transcript: Transcript) -> list[Cue]:
    """Cues in time order. Word cues never overlap one another. Where the speaker method
    heard more than the recogniser wrote (``Transcript.speaker_times``), cues are widened over
    their speaker's voice and pulled in where they run onto another speaker's voice alone,
    voice with no words gets an ``[unclear]`` cue of its own, and a second voice talking
    over a turn (or heard under another speaker's words while they talk) gets a
    ``[crosstalk]`` cue at the same time."""
    out = _word_cues(transcript)
    if not transcript.speaker_times:
        return out

    def voice(t: SpeakerTime) -> Cue:
        return Cue(t.start, t.end, clean_label(transcript.speaker_label(t.speaker)), "")

    main = [voice(t) for t in transcript.speaker_times if not t.overlap]
    second = [voice(t) for t in transcript.speaker_times if t.overlap]
    _stretch(out, main)
    _trim(out, main, main + second)
    words = list(out)
    out += _voice_cues(main, words, UNCLEAR)
    out += _under_others(main, second, words)
    for label in {v.speaker for v in second}:
        own = [c for c in out if c.speaker == label]
        out += _voice_cues([v for v in second if v.speaker == label], own, CROSSTALK)
    out.sort(key=lambda c: (c.start, c.end))
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
