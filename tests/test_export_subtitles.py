"""SRT and WebVTT, read back with small parsers written here (not the exporter's code)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from anonyscribe.export import write_format
from test_export_common import assert_no_original, expected_turns, sample

TIME = r"(\d\d):(\d\d):(\d\d)[,.](\d\d\d)"


@dataclass
class ReadCue:
    start: float
    end: float
    speaker: str
    text: str
    lines: int


def _secs(groups: tuple[str, ...]) -> float:
    h, m, s, ms = (int(g) for g in groups)
    return h * 3600 + m * 60 + s + ms / 1000


def parse_srt(text: str) -> list[ReadCue]:
    cues = []
    for n, block in enumerate(text.strip().split("\n\n"), 1):
        index, times, *body = block.split("\n")
        assert index == str(n)
        m = re.fullmatch(rf"{TIME} --> {TIME}", times)
        assert m, times
        joined = " ".join(body)
        speaker, _, said = joined.partition(": ")
        cues.append(ReadCue(_secs(m.groups()[:4]), _secs(m.groups()[4:]), speaker, said,
                            len(body)))
    return cues


def parse_vtt(text: str) -> list[ReadCue]:
    header, *blocks = text.strip().split("\n\n")
    assert header == "WEBVTT"
    cues = []
    for block in blocks:
        times, *body = block.split("\n")
        m = re.fullmatch(rf"{TIME} --> {TIME}", times)
        assert m, times
        v = re.fullmatch(r"<v ([^>]+)>(.*)", " ".join(body), re.S)
        assert v, body
        said = v[2].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append(ReadCue(_secs(m.groups()[:4]), _secs(m.groups()[4:]),
                            v[1].replace("&amp;", "&"), said, len(body)))
    return cues


def _check(cues: list[ReadCue], s) -> None:
    starts = [c.start for c in cues]
    assert starts == sorted(starts)
    for cue, nxt in zip(cues, cues[1:], strict=False):
        assert cue.end <= nxt.start + 1e-6, "cues overlap"
    for cue in cues:
        assert 0 < cue.end - cue.start <= 7.0 + 1e-6
        assert cue.lines <= 2
    # Joining the cues of each turn gives back the turn, speaker and text.
    rebuilt: list[list] = []
    for cue in cues:
        if rebuilt and rebuilt[-1][0] == cue.speaker:
            rebuilt[-1][1] += " " + cue.text
        else:
            rebuilt.append([cue.speaker, cue.text])
    assert [tuple(r) for r in rebuilt] == [(t[0], t[3]) for t in expected_turns(s)]
    assert cues[-1].end > 3600
    assert len(cues) > len(expected_turns(s))  # the long turns were split
    assert_no_original(" ".join(c.text for c in cues), s.originals)


def test_srt_cues(tmp_path):
    s = sample()
    (path,) = write_format("srt", s.anonymised, tmp_path, "interview-001", s.originals)
    assert path.suffix == ".srt"
    _check(parse_srt(path.read_text("utf-8")), s)


def test_vtt_cues_with_voice_tags(tmp_path):
    s = sample()
    s.anonymised.segments[3].text = "I sat in <quietly> & took notes --> then left."
    (path,) = write_format("vtt", s.anonymised, tmp_path, "interview-001", s.originals)
    text = path.read_text("utf-8")
    body = [line for line in text.splitlines() if not re.fullmatch(rf"{TIME} --> {TIME}", line)]
    assert not any("<quietly>" in line or "-->" in line for line in body)
    cues = parse_vtt(text)
    _check(cues, s)
    assert {c.speaker for c in cues} == {"Interviewer", "[Person 1]", "Observer"}
    assert any("<quietly> & took notes" in c.text for c in cues)
