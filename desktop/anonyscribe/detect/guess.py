"""Which type the detector would give a span of text the reviewer selected (Flag dialog)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from ..core.model import Span


class _Detects(Protocol):
    def detect_text(self, text: str) -> list[Span]: ...


def best_type(spans: Iterable[Span], start: int, end: int) -> str | None:
    """The type of the span overlapping ``[start, end)`` the most (None: no overlap)."""
    best, most = None, 0
    for sp in spans:
        overlap = min(sp.end, end) - max(sp.start, start)
        if overlap > most:
            best, most = sp.type, overlap
    return best


def guess_type(detector: _Detects, text: str, start: int, end: int) -> str | None:
    """Detect in the selection's own context first (a job title reads as one in its
    sentence), then on the selected words alone."""
    found = best_type(detector.detect_text(text), start, end)
    if found is None and text[start:end].strip():
        piece = text[start:end]
        found = best_type(detector.detect_text(piece), 0, len(piece))
    return found
