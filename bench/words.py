"""Words of two transcriptions of the same recording, compared: with each other and with the
references of the clips a bench recording is built from (``long_recording.layout``).

Whether the app keeps every word raw faster-whisper writes is a question of words, not of
joined text: the speaker stage may cut a segment where the voice changes and speech without
words gets a marker segment, which change the text but no word.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from long_recording import Placed
from models import normalise

# (word, start s, end s) as the recogniser wrote it
Timed = tuple[str, float, float]
# A word belongs to a clip when its middle lies within this of the clip's ends (words are
# stamped a little loosely; the pauses between clips are 0.4-1.6 s).
EDGE_S = 0.3


@dataclass(frozen=True)
class Errors:
    """Word edits that turn a reference into a hypothesis."""

    substituted: int = 0
    deleted: int = 0
    inserted: int = 0
    reference: int = 0

    @property
    def total(self) -> int:
        return self.substituted + self.deleted + self.inserted

    @property
    def rate(self) -> float:
        return self.total / max(self.reference, 1)

    def __add__(self, other: Errors) -> Errors:
        return Errors(self.substituted + other.substituted, self.deleted + other.deleted,
                      self.inserted + other.inserted, self.reference + other.reference)

    def __str__(self) -> str:
        return (f"{self.rate:.1%} of {self.reference} ({self.substituted} substituted, "
                f"{self.deleted} deleted, {self.inserted} inserted)")


def scored(words: Sequence[Timed]) -> list[Timed]:
    """Each word as the scorer's words (lower case, no punctuation, hyphens split), timed."""
    return [(w, start, end) for text, start, end in words for w in normalise(text)]


def errors(reference: Sequence[str], hypothesis: Sequence[str]) -> Errors:
    """Word-level Levenshtein alignment, counted by kind."""
    n = len(hypothesis)
    # each cell: (cost, substituted, deleted, inserted), smallest cost, then fewest edits kept
    previous = [(j, 0, 0, j) for j in range(n + 1)]
    for i, r in enumerate(reference, 1):
        current = [(i, 0, i, 0)] + [(0, 0, 0, 0)] * n
        for j, h in enumerate(hypothesis, 1):
            c, s, d, ins = previous[j - 1]
            best = (c, s, d, ins) if r == h else (c + 1, s + 1, d, ins)
            c, s, d, ins = previous[j]
            best = min(best, (c + 1, s, d + 1, ins))
            c, s, d, ins = current[j - 1]
            current[j] = min(best, (c + 1, s, d, ins + 1))
        previous = current
    _, s, d, ins = previous[-1]
    return Errors(s, d, ins, len(reference))


def reference_errors(words: Sequence[Timed], placed: Sequence[Placed]) -> Errors:
    """Errors against the references of the clips that have one (``<clip>.txt``, mono), each
    clip's place in the recording scored against the words said within it."""
    total = Errors()
    for p in placed:
        reference = _reference(p.clip)
        if reference is None:
            continue
        inside = [w for w, a, b in scored(words)
                  if p.start - EDGE_S <= (a + b) / 2 <= p.end + EDGE_S]
        total = total + errors(normalise(reference), inside)
    return total


def differences(a: Sequence[Timed], b: Sequence[Timed], placed: Sequence[Placed] = (),
                limit: int = 8) -> list[str]:
    """Where ``b``'s words differ from ``a``'s, at most ``limit`` places, each with its time;
    clip by clip where the recording's ``placed`` clips are known (a recording of clips said
    over and over would otherwise align one round of them with the next)."""
    spans = [(p.start - EDGE_S, p.end + EDGE_S) for p in placed] or [(float("-inf"),
                                                                      float("inf"))]
    out: list[str] = []
    for lo, hi in spans:
        wa = [w for w in scored(a) if lo <= (w[1] + w[2]) / 2 < hi]
        wb = [w for w in scored(b) if lo <= (w[1] + w[2]) / 2 < hi]
        matcher = difflib.SequenceMatcher(a=[w for w, _, _ in wa], b=[w for w, _, _ in wb],
                                          autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            at = wa[i1][1] if i1 < len(wa) else wb[j1][1] if j1 < len(wb) else lo
            out.append(f"{at:7.1f} s: '{' '.join(w for w, _, _ in wa[i1:i2])}' -> "
                       f"'{' '.join(w for w, _, _ in wb[j1:j2])}'")
    return out[:limit] + ([f"... {len(out) - limit} more"] if len(out) > limit else [])


def _reference(clip: Path) -> str | None:
    path = clip.with_suffix(".txt")
    if not path.is_file():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return " ".join(lines)
