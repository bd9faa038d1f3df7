"""Intervals on one line (seconds or sample indices) joined where they overlap or nearly
touch: one rule for the voiced time the transcript must cover and the stretches a check
decodes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

N = TypeVar("N", int, float)


def joined(intervals: Iterable[tuple[N, N]], gap: N | float = 0) -> list[tuple[N, N]]:
    """``intervals`` sorted, empty ones dropped, and any that start within ``gap`` of the
    previous one's end joined to it."""
    out: list[list[N]] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if out and start - out[-1][1] <= gap:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]
