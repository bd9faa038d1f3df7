"""The small review-ready study the GUI tests open: one recording with a made-up transcript
and its findings (no audio: the player says so and review works without it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from anonyscribe.core.model import Finding, Transcript
from anonyscribe.core.study import RecordingEntry, Study


def flagged(transcript: Transcript, flags: Sequence[tuple[int, str, str]]) -> list[Finding]:
    """A pending finding for each (turn, text, type), at the text's first place in the turn."""
    out = []
    for seg, text, type_ in flags:
        at = transcript.segments[seg].text.index(text)
        out.append(Finding(seg, at, at + len(text), type_, text, 0.8, "test"))
    return out


def review_study(tmp_path: Path, transcript: Transcript,
                 findings: list[Finding]) -> Study:
    """An open study (``tmp_path/study``) whose recording ``rec-a`` is ready for review."""
    name = transcript.recording.name
    s = Study.open(tmp_path / "study")
    s.recordings["rec-a"] = RecordingEntry("rec-a", name, str(tmp_path / f"missing-{name}"),
                                           status="review")
    s.save_transcript("rec-a", transcript)
    s.save_findings("rec-a", findings)
    s.save()
    return s
