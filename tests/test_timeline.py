"""core/timeline.py: the one link between characters and seconds, pure."""

from __future__ import annotations

import pytest

from anonyscribe.core.model import Segment, Word
from anonyscribe.core.timeline import time_at, turn_at, turn_starts, word_at, word_spans


def _turn(id_: int, start: float, text: str, timed: str | None = None) -> Segment:
    """A turn whose words were recognised as ``timed`` (the text may since have been edited)."""
    recognised = (timed if timed is not None else text).split()
    words = [Word(" " + w, start + i * 0.5, start + i * 0.5 + 0.4)
             for i, w in enumerate(recognised)]
    return Segment(id=id_, start=start, end=start + 0.5 * len(recognised), text=text,
                   speaker="S1", words=words)


def test_word_spans_skip_a_word_edited_away():
    seg = _turn(0, 10.0, "I saw Dr Smith at Leeds", timed="I saw Dr Smyth at Leeds")
    spans = word_spans(seg)
    assert [seg.text[s:e] for s, e, _, _ in spans] == ["I", "saw", "Dr", "at", "Leeds"]
    assert spans[-1][2:] == (12.5, 12.9)


def test_time_at_takes_the_word_holding_the_offset_or_interpolates():
    seg = _turn(0, 10.0, "Hello there Sarah")
    spans = word_spans(seg)
    assert time_at(seg, spans, seg.text.index("Sarah") + 2) == 11.0  # inside "Sarah"
    assert time_at(seg, spans, seg.text.index(" there")) == 10.5  # a space: the next word
    bare = Segment(id=1, start=20.0, end=24.0, text="abcd", speaker="S1")  # no words
    assert time_at(bare, [], 2) == pytest.approx(22.0)
    assert time_at(bare, [], 99) == pytest.approx(24.0)
    assert time_at(Segment(id=2, start=5.0, end=6.0, text="", speaker="S1"), [], 0) == 5.0


def test_turn_and_word_at_a_moment():
    turns = [_turn(7, 3.0, "second turn here"), _turn(4, 0.0, "first turn")]
    starts = turn_starts(turns)
    assert turn_at(starts, -0.1) is None
    assert turn_at(starts, 0.0) == 4 and turn_at(starts, 2.9) == 4
    assert turn_at(starts, 3.0) == 7 and turn_at(starts, 99.0) == 7
    seg = turns[0]
    spans = word_spans(seg)
    assert word_at(seg, spans, 3.6) == (7, 11)  # "turn", spoken from 3.5 s
    assert word_at(seg, spans, 2.0) == (0, 6)  # before the first word: the first word
    assert word_at(seg, spans, seg.end + 0.4) == (12, 16)  # the player runs past a word
    assert word_at(seg, spans, seg.end + 0.6) is None
    assert word_at(seg, [], 3.6) == (0, len(seg.text))  # no timed words: the whole turn
