"""Where each timed word of a turn stands in its text: the one link between characters and
seconds, used by review (play a finding, paragraph times) and the anonymised audio (which
stretch to cover). Pure and Qt-free."""

from __future__ import annotations

from .model import Segment

WordSpan = tuple[int, int, float, float]  # char start, char end, t0, t1

# A recognised word found further than this past the previous one was edited away.
_MAX_GAP = 40


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
