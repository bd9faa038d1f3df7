"""Where each timed word of a turn stands in its text: the one link between characters and
seconds, used by review (play a finding, follow the player, paragraph times) and the
anonymised audio (which stretch to cover). Pure and Qt-free."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from .model import Segment

WordSpan = tuple[int, int, float, float]  # char start, char end, t0, t1

# A recognised word found further than this past the previous one was edited away.
_MAX_GAP = 40
# Words this far apart are two timed pieces of a turn: timed exports lay no text over the
# pause between them (``labels.timed_pieces``, ``export.subtitles``).
PIECE_PAUSE_S = 0.6
# A moment this long after a turn's end still belongs to it (the player runs past a word).
_TURN_TAIL_S = 0.5


def word_spans(seg: Segment) -> list[WordSpan]:
    """(char start, char end, t0, t1) of each timed word found, in order, in the turn's text;
    a word edited away is skipped (it no longer says what the text says)."""
    low = seg.text.casefold()
    spans: list[WordSpan] = []
    cursor = 0
    for w in seg.words:
        token = w.text.strip().casefold()
        if not token:
            continue
        at = low.find(token, cursor)
        if at < 0 or at - cursor > _MAX_GAP:  # edited away: keep looking from here
            continue
        spans.append((at, at + len(token), float(w.start), float(w.end)))
        cursor = at + len(token)
    return spans


def time_at(seg: Segment, spans: Sequence[WordSpan], offset: int) -> float:
    """When the character at ``offset`` of a turn is spoken: the start of the word holding it
    (or the first word after it); interpolated over the turn when no word is timed there."""
    for _, end, t0, _ in spans:
        if end > offset:
            return t0
    if not seg.text:
        return seg.start
    frac = min(max(offset / len(seg.text), 0.0), 1.0)
    return seg.start + frac * max(seg.end - seg.start, 0.0)


TurnStarts = list[tuple[float, int]]  # (start, segment id), sorted: what ``turn_at`` searches


def turn_starts(segments: Iterable[Segment]) -> TurnStarts:
    return sorted((s.start, s.id) for s in segments)


def turn_at(starts: TurnStarts, seconds: float) -> int | None:
    """The id of the last turn starting at or before ``seconds``; None before the first."""
    i = bisect.bisect_right(starts, (seconds, float("inf"))) - 1
    return starts[i][1] if i >= 0 else None


def word_at(seg: Segment, spans: Sequence[WordSpan], seconds: float) -> tuple[int, int] | None:
    """(char start, char end) of the word of ``seg`` spoken at ``seconds``: the whole turn
    when it has no timed words; None when ``seconds`` is well past the turn's end."""
    if seconds > seg.end + _TURN_TAIL_S:
        return None
    if not spans:
        return 0, len(seg.text)
    j = bisect.bisect_right([sp[2] for sp in spans], seconds) - 1
    start, end, _, _ = spans[max(j, 0)]
    return start, end
