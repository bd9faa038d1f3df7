"""The transcript's words as another run of the recogniser might have written them: a few
words missed, question marks and full stops dropped or added, sentences merged or split at
pauses, word times a little off.

Why: the interview's speaker decisions (who asks, one voice or two) read the words, and a
change the researcher cannot see (one float step in the features) moved dev and held-out
clips by 25-35 DER points. A decision worth trusting holds on such copies:
``bench/perturb_words.py`` counts how often one moves. Seeded: the same transcript always
gives the same copies. Pure Python; the input is never changed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from enum import Enum

import numpy as np

from ..core.model import Transcript, Word

DROP_SHARE = (0.05, 0.10)  # share of the words left out, drawn per copy
QUESTION_DROP = 1 / 3  # a "?" lost (a question heard as a statement)
STOP_DROP = 1 / 6  # a "." lost
STOP_ADD = 0.03  # a "." after a word with none
MERGE_SHARE = 0.2  # full stops before a short pause turned into commas
MERGE_PAUSE_S = 0.6  # ... shorter than the pause that ends a sentence anyway
SPLIT_SHARE = 1 / 3  # pauses inside a sentence given a full stop
SPLIT_PAUSE_S = 0.25
JITTER_S = (0.05, 0.10)  # a word's times moved by this much either way


class Change(Enum):
    """One way the words may change between runs of the recogniser."""

    DROP = "drop"
    PUNCTUATION = "punct"
    REGROUP = "regroup"
    JITTER = "jitter"


def _words(t: Transcript) -> list[Word]:
    return [w for seg in t.segments if not seg.unheard for w in seg.words]


def _end(text: str) -> str:
    return text.rstrip()[-1:] if text.strip() else ""


def _cut(text: str) -> str:
    return text.rstrip()[:-1]


def drop_words(t: Transcript, rng: np.random.Generator) -> None:
    """Some of the words left out (``DROP_SHARE``): the recogniser missed them."""
    p = rng.uniform(*DROP_SHARE)
    for seg in t.segments:
        seg.words = [w for w in seg.words if rng.random() >= p]


def punctuation(t: Transcript, rng: np.random.Generator) -> None:
    """Some "?" and "." dropped, a few "." added."""
    for w in _words(t):
        end = _end(w.text)
        if end == "?" and rng.random() < QUESTION_DROP:
            w.text = _cut(w.text) + ("." if rng.random() < 0.5 else "")
        elif end == "." and rng.random() < STOP_DROP:
            w.text = _cut(w.text)
        elif end.isalnum() and rng.random() < STOP_ADD:
            w.text = w.text.rstrip() + "."


def regroup(t: Transcript, rng: np.random.Generator) -> None:
    """Sentences merged (a full stop before a short pause made a comma) and split (a pause
    inside a sentence given a full stop)."""
    ws = sorted(_words(t), key=lambda w: w.start)
    for a, b in zip(ws, ws[1:], strict=False):
        pause = b.start - a.end
        end = _end(a.text)
        if end in ".!" and pause < MERGE_PAUSE_S and rng.random() < MERGE_SHARE:
            a.text = _cut(a.text) + ","
        elif end.isalnum() and pause >= SPLIT_PAUSE_S and rng.random() < SPLIT_SHARE:
            a.text = a.text.rstrip() + "."


def jitter(t: Transcript, rng: np.random.Generator) -> None:
    """Each word's start and end moved by ``JITTER_S`` either way (its length kept)."""
    for w in _words(t):
        shift = rng.uniform(*JITTER_S) * rng.choice([-1.0, 1.0])
        w.start, w.end = max(0.0, w.start + shift), max(0.0, w.end + shift)
    for seg in t.segments:
        seg.words.sort(key=lambda w: w.start)


CHANGES: dict[Change, Callable[[Transcript, np.random.Generator], None]] = {
    Change.DROP: drop_words, Change.PUNCTUATION: punctuation, Change.REGROUP: regroup,
    Change.JITTER: jitter}


def reworded(t: Transcript, change: Change, seed: int) -> Transcript:
    """A copy of ``t`` with its words changed one way (``change``), seeded."""
    out = copy.deepcopy(t)
    CHANGES[change](out, np.random.default_rng(seed))
    return out
