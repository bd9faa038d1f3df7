"""Diarization error rate: the score bench/diarization.py reports, checked on known cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonyscribe.speakers.der import diarization_error, read_rttm
from anonyscribe.speakers.turns import Turn

REF = [Turn(0.0, 10.0, "alice"), Turn(10.0, 20.0, "bob")]


def test_perfect_and_renamed_hypothesis_score_zero() -> None:
    assert diarization_error(REF, REF).der == 0.0
    renamed = [Turn(0.0, 10.0, "S2"), Turn(10.0, 20.0, "S1")]
    assert diarization_error(REF, renamed).der == 0.0


def test_error_kinds_without_collar() -> None:
    hyp = [Turn(0.0, 8.0, "S1"), Turn(10.0, 15.0, "S2"), Turn(15.0, 20.0, "S1"),
           Turn(20.0, 22.0, "S2")]
    e = diarization_error(REF, hyp, collar=0.0)
    assert e.total == pytest.approx(20.0)
    assert e.missed == pytest.approx(2.0)       # 8-10 s unlabelled
    assert e.false_alarm == pytest.approx(2.0)  # 20-22 s nobody spoke
    assert e.confusion == pytest.approx(5.0)    # 15-20 s bob given to alice's label
    assert e.der == pytest.approx(9.0 / 20.0)


def test_one_speaker_for_two_is_confusion_and_collar_forgives_edges() -> None:
    one = [Turn(0.0, 20.0, "S1")]
    assert diarization_error(REF, one, collar=0.0).der == pytest.approx(0.5)
    late = [Turn(0.0, 10.2, "S1"), Turn(10.2, 20.0, "S2")]
    assert diarization_error(REF, late, collar=0.0).der > 0.0
    assert diarization_error(REF, late, collar=0.25).der == 0.0


def test_overlap_is_scored() -> None:
    ref = [Turn(0.0, 10.0, "a"), Turn(5.0, 10.0, "b")]
    e = diarization_error(ref, [Turn(0.0, 10.0, "x")], collar=0.0)
    assert e.total == pytest.approx(15.0) and e.missed == pytest.approx(5.0)


def test_read_rttm(shared_speech_dir: Path, tmp_path: Path) -> None:
    turns = read_rttm(shared_speech_dir / "pyannote_sample.rttm")
    assert len(turns) == 10 and {t.speaker for t in turns} == {"speaker90", "speaker91"}
    assert turns[0].start == pytest.approx(6.69) and turns[0].end == pytest.approx(7.12)
    bad = tmp_path / "bad.rttm"
    bad.write_text("SPEAKER x 1 abc\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.rttm, line 1"):
        read_rttm(bad)
