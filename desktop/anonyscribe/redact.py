"""Decisions + register -> anonymised transcript and the anonymisation log.

Only accepted findings are replaced. The anonymised transcript has the same shape as the raw
one (speakers, turns, times) but no words list, so no export can reach an original word by
accident: exports read this and nothing else.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from .core.model import Decision, Finding, Transcript
from .core.register import Register, normalise


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


def _non_overlapping(findings: list[Finding]) -> list[Finding]:
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


def redact(
    transcript: Transcript, findings: list[Finding], register: Register
) -> tuple[Transcript, list[LogEntry]]:
    """Replace every accepted finding by its pseudonym; return the copy and the log entries."""
    out = copy.deepcopy(transcript)
    out.recording.path = ""
    out.recording.sha256 = ""
    by_segment: dict[int, list[Finding]] = {}
    for f in findings:
        if f.decision is Decision.ACCEPTED:
            by_segment.setdefault(f.segment_id, []).append(f)
    log: dict[tuple[str, str], LogEntry] = {}
    for seg in out.segments:
        seg.words = []
        todo = _non_overlapping(by_segment.get(seg.id, []))
        if not todo:
            continue
        parts: list[str] = []
        cursor = 0
        for f in todo:
            label = register.label_for(f.type, f.text)
            parts.append(seg.text[cursor:f.start])
            parts.append(label)
            cursor = f.end
            key = (f.type, f.text)
            entry = log.get(key)
            if entry is None:
                log[key] = LogEntry(transcript.recording.name, f.type, f.text, label, 1,
                                    seg.start, f.source)
            else:
                entry.count += 1
        parts.append(seg.text[cursor:])
        seg.text = "".join(parts)
    _redact_speaker_labels(out, findings, register)
    return out, list(log.values())


def _redact_speaker_labels(out: Transcript, findings: list[Finding], register: Register) -> None:
    """A speaker label that is an accepted name is replaced like the name itself."""
    names = {normalise(f.text): f for f in findings
             if f.decision is Decision.ACCEPTED and f.type == "PERSON"}
    for sp in out.speakers:
        hit = names.get(normalise(sp.label))
        if hit is not None:
            sp.label = register.label_for("PERSON", hit.text)
        elif register.find("PERSON", sp.label) is not None:
            sp.label = register.label_for("PERSON", sp.label)
