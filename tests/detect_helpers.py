"""Helpers shared by the detection rule tests."""

from __future__ import annotations

from anonyscribe.detect.engine import Detector


def type_at(det: Detector, text: str, part: str, nth: int = 0) -> str | None:
    """The type of the span covering the ``nth`` occurrence of ``part``, or None."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    end = start + len(part)
    for s in det.detect_text(text):
        if s.start <= start and end <= s.end:
            return s.type
    return None
