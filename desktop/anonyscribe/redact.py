"""What redaction shares: the log line, overlap rules and propagation of accepted text.

The labelling and rendering themselves live in ``labels`` (``plan``, ``render``): one place
assigns labels, so the review screen, the preview and every export agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .core.model import Decision, Finding, Transcript


@dataclass
class LogEntry:
    """One line of the anonymisation log (private): what was replaced, where, how often."""

    recording: str
    type: str
    original: str
    replacement: str
    count: int
    first_time: float
    source: str = ""


def non_overlapping(findings: list[Finding]) -> list[Finding]:
    """Accepted findings of one segment, left to right; where two overlap the longer wins."""
    chosen: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if chosen and f.start < chosen[-1].end:
            if f.end > chosen[-1].end:
                prev = chosen[-1]
                if (f.end - f.start) > (prev.end - prev.start):
                    chosen[-1] = f
            continue
        chosen.append(f)
    return chosen


def accepted_originals(findings: list[Finding]) -> set[str]:
    return {f.text for f in findings if f.decision is Decision.ACCEPTED and f.text.strip()}


def propagate(transcript: Transcript, findings: list[Finding]) -> list[Finding]:
    """Accepted text elsewhere in the transcript, not yet covered by any finding, as new
    accepted findings: replacing "Sarah" once means replacing every "Sarah".

    An occurrence the reviewer rejected stays rejected (it overlaps an existing finding).
    """
    texts = sorted({f.text for f in findings if f.decision is Decision.ACCEPTED
                    and len(f.text.strip()) > 1}, key=len, reverse=True)
    if not texts:
        return []
    types = {f.text: f.type for f in findings if f.decision is Decision.ACCEPTED}
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in texts) + r")(?!\w)",
                         re.IGNORECASE)
    by_segment: dict[int, list[tuple[int, int]]] = {}
    for f in findings:
        by_segment.setdefault(f.segment_id, []).append((f.start, f.end))
    lower_types = {t.casefold(): ty for t, ty in types.items()}
    added: list[Finding] = []
    for seg in transcript.segments:
        taken = by_segment.get(seg.id, [])
        for m in pattern.finditer(seg.text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            type_ = lower_types.get(m.group(0).casefold(), "OTHER")
            added.append(Finding(seg.id, m.start(), m.end(), type_, m.group(0), 1.0,
                                 "propagated", Decision.ACCEPTED))
            taken.append((m.start(), m.end()))
    return added
