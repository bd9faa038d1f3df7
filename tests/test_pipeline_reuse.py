"""The pipeline uses work already done: a recording is decoded once, speakers included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import anonyscribe.media as media
import anonyscribe.processing as processing
import anonyscribe.transcribe.coverage as coverage
import anonyscribe.transcribe.runner as runner
from anonyscribe.core.study import Study
from anonyscribe.processing import Engines, process_recording
from anonyscribe.speakers import diarization_available


class _DecodeCounter:
    """Wraps the real decoder (it still runs) and remembers what it returned."""

    def __init__(self, real) -> None:  # noqa: ANN001
        self.real = real
        self.results: list[np.ndarray] = []

    def __call__(self, *args, **kwargs) -> np.ndarray:  # noqa: ANN002, ANN003
        out = self.real(*args, **kwargs)
        self.results.append(out)
        return out


def _process_once(tmp_path: Path, speech_dir: Path, engines: Engines) -> None:
    """The interview processed in a new study; it must come out with text."""
    with Study.open(tmp_path / "study") as study:
        entry = study.add_recording(speech_dir / "interview.wav")
        process_recording(study, entry, engines)
        assert study.load_transcript(entry.id).segments


@pytest.mark.slow
@pytest.mark.skipif(not diarization_available(), reason="optional diarizer not installed")
def test_speakers_reuse_the_decoded_audio(speech_dir: Path, tiny_transcriber, detector,
                                          tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    counter = _DecodeCounter(media.decode)
    monkeypatch.setattr(media, "decode", counter)  # what the speaker stage imports
    monkeypatch.setattr(runner, "decode", counter)  # the name the transcriber calls
    seen: list[np.ndarray] = []
    import anonyscribe.speakers.diarize as diarize_mod

    real_diarize = diarize_mod.diarize

    def diarize(audio, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(audio)
        return real_diarize(audio, *args, **kwargs)

    monkeypatch.setattr(diarize_mod, "diarize", diarize)
    _process_once(tmp_path, speech_dir, Engines(
        model="tiny.en", speakers="diarize", _transcriber=tiny_transcriber, _detector=detector))
    assert len(counter.results) == 1, "the recording was decoded more than once"
    assert len(seen) == 1 and seen[0] is counter.results[0]


def test_without_speakers_the_unheard_check_reuses_the_decoded_audio(
        speech_dir: Path, tiny_transcriber, detector, tmp_path: Path,  # noqa: ANN001
        monkeypatch) -> None:  # noqa: ANN001
    """Speakers off: the check for speech without words runs the voice detector on the
    samples the recogniser heard, not on a second decode of the file."""
    counter = _DecodeCounter(media.decode)
    monkeypatch.setattr(runner, "decode", counter)
    monkeypatch.setattr(coverage, "decode", counter)
    checked: list[object] = []
    real_voiced = coverage.voiced_times

    def voiced_times(source):  # noqa: ANN001, ANN202
        checked.append(source)
        return real_voiced(source)

    monkeypatch.setattr(processing, "voiced_times", voiced_times)
    _process_once(tmp_path, speech_dir, Engines(
        model="tiny.en", speakers="none", _transcriber=tiny_transcriber, _detector=detector))
    assert len(counter.results) == 1, "the recording was decoded more than once"
    assert len(checked) == 1 and checked[0] is counter.results[0]
