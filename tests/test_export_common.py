"""Shared sample study for the export tests, and the helpers every format relies on.

The sample is built by hand from the dataclasses and run through the real ``redact()`` with
findings accepted, so every export test can check that the originals are gone. Other
``test_export_*`` modules import ``sample`` from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from anonyscribe.core.model import (
    Decision,
    Finding,
    RecordingInfo,
    Segment,
    Speaker,
    Transcript,
)
from anonyscribe.core.register import Register
from anonyscribe.export import common
from anonyscribe.labels import appearances, commit, plan, render
from anonyscribe.redact import LogEntry

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# (segment id, start, end, speaker, text): two speakers' turns past one hour, a colon in
# the text, non-ASCII names, a segment out of order, and a long turn for caption splitting.
RAW = [
    (0, 0.0, 4.2, "S1", "Hello Jane Smith, thanks for joining us from Leeds today."),
    (1, 4.6, 9.0, "S2", "Happy to: I work at St James's Hospital as a ward sister."),
    (2, 9.1, 12.4, "S2", "Zoë Ångström was my manager; call me on 07700 900123 any time."),
    (3, 12.9, 16.0, "S3", "And I sat in, as the café was closed."),
    (5, 3725.5, 3741.8, "S1", "Thanks Jane, that is everything from me. We covered the ward, "
     "the rota, how the team coped, and what you would change about the handover process "
     "if you were in charge of it tomorrow."),
    (4, 3700.0, 3724.9, "S2", "Before we stop: Jane Smith is not my real name at work, they "
     "call me Janey on Ward 12."),
]
SPEAKERS = [Speaker("S1", "Interviewer"), Speaker("S2", "Jane Smith"), Speaker("S3", "Observer")]
ACCEPT = [
    ("Jane Smith", "PERSON"), ("Jane", "PERSON"), ("Janey", "PERSON"), ("Leeds", "LOCATION"),
    ("St James's Hospital", "ORGANISATION"), ("Zoë Ångström", "PERSON"),
    ("07700 900123", "PHONE"), ("Ward 12", "LOCATION"),
]
REJECT = [("ward sister", "ROLE")]
PENDING = [("café", "LOCATION")]


@dataclass
class Sample:
    raw: Transcript
    anonymised: Transcript
    findings: list[Finding]
    log: list[LogEntry]
    register: Register
    originals: list[str] = field(default_factory=list)


def _find_all(seg: Segment, text: str, type_: str, decision: Decision,
              taken: list[tuple[int, int]]) -> list[Finding]:
    out = []
    for m in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", seg.text):
        if any(m.start() < e and m.end() > s for s, e in taken):
            continue  # "Jane" inside "Jane Smith" is already covered by the longer finding
        taken.append((m.start(), m.end()))
        out.append(Finding(seg.id, m.start(), m.end(), type_, text, 0.9, "test", decision))
    return out


def sample(recording_name: str = "Interview with Jane Smith-20231012_140512-Meeting "
           "Recording.mp4") -> Sample:
    raw = Transcript(
        recording=RecordingInfo(recording_name, duration=3742.0, sha256="ab" * 32,
                                path=f"/private/{recording_name}"),
        segments=[Segment(i, s, e, text, spk) for i, s, e, spk, text in RAW],
        speakers=[Speaker(sp.id, sp.label) for sp in SPEAKERS],
    )
    findings: list[Finding] = []
    for seg in raw.segments:
        taken: list[tuple[int, int]] = []
        for group, decision in ((ACCEPT, Decision.ACCEPTED), (REJECT, Decision.REJECTED),
                                (PENDING, Decision.PENDING)):
            for text, type_ in sorted(group, key=lambda g: -len(g[0])):
                findings.extend(_find_all(seg, text, type_, decision, taken))
    register = Register()
    p = plan(register, [appearances(raw, findings)])
    rendered = render(p, raw, findings)
    commit(register, p, p.order)
    anonymised, log = rendered.transcript, rendered.log
    originals = sorted({f.text for f in findings if f.decision is Decision.ACCEPTED})
    return Sample(raw, anonymised, findings, log, register, originals)


def assert_no_original(text: str, originals: list[str]) -> None:
    low = text.casefold()
    for original in originals:
        assert original.casefold() not in low, "an accepted original survived the export"


def expected_turns(s: Sample) -> list[tuple[str, float, float, str]]:
    """(speaker, start, end, text) per turn, derived independently of the export code."""
    segs = sorted(s.anonymised.segments, key=lambda g: g.start)
    out: list[list] = []
    for seg in segs:
        label = s.anonymised.speaker_label(seg.speaker)
        if out and out[-1][0] == label:
            out[-1][2] = seg.end
            out[-1][3] += " " + seg.text.strip()
        else:
            out.append([label, seg.start, seg.end, seg.text.strip()])
    return [tuple(t) for t in out]


# -- tests of the shared helpers --------------------------------------------------------------

def test_sample_is_really_redacted():
    s = sample()
    joined = " ".join(seg.text for seg in s.anonymised.segments)
    assert_no_original(joined, s.originals)
    assert "[Person 1]" in joined and "[Phone 1]" in joined
    assert "ward sister" in joined  # rejected: kept
    assert "café" not in joined and "[Location ?]" in joined  # pending: marked
    assert s.anonymised.speaker_label("S2") == "[Person 1]"


def test_turns_merge_same_speaker_and_sort_by_time():
    s = sample()
    got = [(t.speaker, t.start, t.end, t.text) for t in common.export_turns(s.anonymised)]
    assert got == expected_turns(s)
    assert [t[0] for t in got] == ["Interviewer", "[Person 1]", "Observer", "[Person 1]",
                                   "Interviewer"]
    starts = [t[1] for t in got]
    assert starts == sorted(starts)


@pytest.mark.parametrize(("seconds", "hms", "tenths", "f4", "srt"), [
    (0.0, "00:00:00", "00:00:00.0", "#00:00:00-0#", "00:00:00,000"),
    (59.96, "00:01:00", "00:01:00.0", "#00:01:00-0#", "00:00:59,960"),
    (3725.54, "01:02:06", "01:02:05.5", "#01:02:05-5#", "01:02:05,540"),
    (36000.0, "10:00:00", "10:00:00.0", "#10:00:00-0#", "10:00:00,000"),
])
def test_time_formats_round_once(seconds, hms, tenths, f4, srt):
    assert common.hms(seconds) == hms
    assert common.hms_tenths(seconds) == tenths
    assert common.f4_stamp(seconds) == f4
    assert common.millis(seconds, ",") == srt


def test_labels_lose_colons_line_breaks_and_excess_length():
    assert common.clean_label("Dr Ahmed: GP") == "Dr Ahmed GP"
    assert common.clean_label("Two\nlines\there") == "Two lines here"
    assert len(common.clean_label("x" * 200)) == common.MAX_LABEL
    assert common.clean_label(" : ") == "Speaker"


def test_header_has_no_colon_and_no_original_name():
    s = sample()
    lines = common.header_lines(s.anonymised, "interview-001")
    assert lines[0] == "Anonymised transcript"
    assert "Duration 1 h 02 min 22 s" in lines
    assert all(":" not in line for line in lines)
    assert_no_original("\n".join(lines), s.originals + ["Meeting Recording"])
