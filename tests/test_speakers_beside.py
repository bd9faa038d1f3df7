"""The speaker stage beside the recogniser (``diarize.start_beside``): on machines with cores
to spare the diarizer starts on the decoded samples while recognition runs, and the speaker
stage collects the same turns it would have made afterwards; on 2 cores nothing starts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anonyscribe.core.cancel import Cancelled, CancelToken
from anonyscribe.core.study import Study
from anonyscribe.processing import Engines, process_recording
from anonyscribe.speakers import diarization_available
from anonyscribe.speakers import diarize as diarization

needs_diarizer = pytest.mark.skipif(not diarization_available(),
                                    reason="optional diarizer not installed")


@pytest.mark.parametrize(("cores", "workers"),
                         [(1, 0), (2, 0), (3, 0), (4, 1), (7, 1), (8, 2), (16, 4), (64, 4)])
def test_only_machines_with_cores_to_spare_run_speakers_beside(cores: int, workers: int) -> None:
    assert diarization.spare_workers(cores) == workers


def test_on_two_cores_nothing_starts() -> None:
    if diarization.spare_workers() > 0:
        pytest.skip("this machine has cores to spare")
    audio = np.zeros(16000, np.float32)
    assert diarization.start_beside(audio, 2) is None and diarization._ahead is None


@pytest.fixture
def interview(speech_dir: Path) -> np.ndarray:
    from anonyscribe.media import decode

    return decode(speech_dir / "interview.wav")


@pytest.fixture
def fresh_shared(monkeypatch: pytest.MonkeyPatch) -> diarization.Diarizer:
    """The process-wide diarizer, new: whether ``diarize`` ran it shows in its ``calls``."""
    shared = diarization.Diarizer()
    monkeypatch.setattr(diarization, "_shared", shared)
    return shared


@needs_diarizer
@pytest.mark.slow
def test_a_run_begun_beside_is_collected_not_run_again(interview: np.ndarray,
                                                       fresh_shared: diarization.Diarizer
                                                       ) -> None:
    want = diarization.Diarizer()(interview, num_speakers=2)
    run = diarization.start_beside(interview, 2, workers=1)
    assert run is not None
    seen: list[float] = []
    try:
        got = diarization.diarize(interview, 2, progress=seen.append)
    finally:
        run.drop()
    assert got.turns == want.turns and got.overlaps == want.overlaps and got.turns
    assert fresh_shared.calls == {}  # the shared diarizer never ran
    assert seen and seen[-1] == 1.0 and diarization._ahead is None


@needs_diarizer
@pytest.mark.slow
def test_other_samples_or_count_are_run_afresh(interview: np.ndarray,
                                               fresh_shared: diarization.Diarizer) -> None:
    run = diarization.start_beside(interview, 2, workers=1)
    assert run is not None
    try:
        diarization.diarize(interview, None)  # another count
        assert fresh_shared.calls
        fresh_shared.calls.clear()
        diarization.diarize(interview.copy(), 2)  # other samples
        assert fresh_shared.calls
    finally:
        run.drop()
    assert diarization._ahead is None


@needs_diarizer
def test_cancel_while_collecting_stops_the_run(interview: np.ndarray) -> None:
    run = diarization.start_beside(np.tile(interview, 8), 2, workers=1)
    assert run is not None
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        diarization.diarize(run.audio, 2, cancel=cancel)
    with pytest.raises(Cancelled):
        run.future.result(timeout=60)  # the background run stopped too
    assert diarization._ahead is None


@needs_diarizer
@pytest.mark.slow
def test_the_pipeline_gives_the_same_speakers_beside_as_after(
        speech_dir: Path, tiny_transcriber, detector, tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch, fresh_shared: diarization.Diarizer) -> None:
    engines = Engines(model="tiny.en", speakers="diarize", _transcriber=tiny_transcriber,
                      _detector=detector)

    def process(name: str) -> tuple:
        with Study.open(tmp_path / name) as study:
            entry = study.add_recording(speech_dir / "interview.wav")
            process_recording(study, entry, engines)
            t = study.load_transcript(entry.id)
        return [(s.start, s.end, s.speaker) for s in t.segments], t.speaker_times

    after = process("after")
    assert fresh_shared.calls
    fresh_shared.calls.clear()
    started: list[diarization.HeadStart] = []
    real_start = diarization.start_beside

    def start(audio, num_speakers, workers=None):  # noqa: ANN001, ANN202
        run = real_start(audio, num_speakers, 1)  # as on a 4-core machine
        started.append(run)
        return run

    monkeypatch.setattr(diarization, "spare_workers", lambda cores=None: 1)
    monkeypatch.setattr(diarization, "start_beside", start)
    beside = process("beside")
    assert len(started) == 1 and started[0].future.done()
    assert fresh_shared.calls == {}  # the speaker stage collected the run begun beside
    assert beside == after and diarization._ahead is None
