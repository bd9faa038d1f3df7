"""Long recordings: Stop answers within 2 s wherever it is pressed, progress keeps moving, and
the features of a long recording do not need many copies of it in memory.

A minute of real speech stands in for an interview (a 2-hour run is ``bench/long_recording.py``):
the batch runs in a thread as in the app, and Stop is pressed at the points where the work is
longest out of Python's reach: right as transcription starts (decoding, voice detection and the
first 30 s window) and in the middle of it.
"""

from __future__ import annotations

import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from anonyscribe.batch import BatchOptions, BatchResult, Reporter, run_batch
from anonyscribe.core.cancel import CancelToken
from anonyscribe.core.files import TEMP_PREFIX
from anonyscribe.core.layout import default_private
from anonyscribe.core.study import Study

pytestmark = pytest.mark.slow

CANCEL_WITHIN_S = 2.0


class Recorder(Reporter):
    """Keeps every progress report with its time; fires ``hit`` at the chosen one."""

    def __init__(self, trigger: tuple[str, float] | None = None) -> None:
        self.events: list[tuple[float, str, float]] = []
        self.trigger = trigger
        self.hit = threading.Event()

    def progress(self, stage: str, fraction: float) -> None:
        self.events.append((time.monotonic(), stage, fraction))
        if self.trigger and stage == self.trigger[0] and fraction >= self.trigger[1]:
            self.hit.set()


def _in_thread(**kwargs: object) -> tuple[threading.Thread, dict[str, BatchResult]]:
    box: dict[str, BatchResult] = {}
    thread = threading.Thread(target=lambda: box.update(result=run_batch(**kwargs)),
                              daemon=True)
    thread.start()
    return thread, box


@pytest.mark.parametrize(
    "stage, at, delay",
    [("transcribe", 0.0, 0.4), ("transcribe", 0.01, 0.3), ("detect", 0.0, 0.0)],
    ids=["decoding and first window", "inside a later window", "detection"])
def test_cancel_returns_within_two_seconds(tmp_path: Path, long_speech: Path, tiny_engines,
                                           stage: str, at: float, delay: float) -> None:
    """Stop is pressed ``delay`` s after the chosen progress report, so it lands inside a
    long call (FFmpeg, voice detection, a CTranslate2 window, spaCy), not between two."""
    out = tmp_path / "out"
    token = CancelToken()
    reporter = Recorder((stage, at))
    thread, box = _in_thread(inputs=[long_speech], out_dir=out, options=BatchOptions(auto=True),
                             engines=tiny_engines, reporter=reporter, cancel=token)
    assert reporter.hit.wait(120), f"never reached {stage} {at}: {reporter.events[-3:]}"
    time.sleep(delay)
    pressed = time.monotonic()
    token.cancel()
    thread.join(30)
    took = time.monotonic() - pressed
    assert not thread.is_alive()
    print(f"cancel {delay} s after {stage} {at}: returned in {took:.3f} s")
    assert took <= CANCEL_WITHIN_S, f"cancel took {took:.2f} s"
    (item,) = box["result"].items
    assert item.status == "cancelled"
    with Study.open(default_private(out)) as study:
        (entry,) = study.recordings.values()
        assert entry.status == "queued"
        assert study.has_transcript(entry.id) == (stage == "detect")
        assert not study.has_findings(entry.id)
    assert list(out.rglob(f"{TEMP_PREFIX}*")) == []
    assert not [p for p in out.iterdir() if p.is_file()]


def test_progress_moves_steadily_to_the_end(tmp_path: Path, long_speech: Path,
                                            tiny_engines) -> None:
    reporter = Recorder()
    result = run_batch([long_speech], tmp_path / "out",
                       options=BatchOptions(auto=True), engines=tiny_engines,
                       reporter=reporter)
    assert [i.status for i in result.items] == ["done"]
    stages = [s for _, s, _ in reporter.events]
    order = [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s]
    assert order == ["probe", "transcribe", "detect", "save"], order
    fractions = [f for _, s, f in reporter.events if s == "transcribe"]
    assert fractions == sorted(fractions), "transcription progress went backwards"
    assert fractions[-1] == 1.0
    steps = sorted(set(fractions))
    assert len(steps) >= 4, steps  # one report per segment, not just start and end
    assert max(b - a for a, b in zip(steps, steps[1:], strict=False)) <= 0.6, steps


# --- memory: features of a long recording --------------------------------------------------------

def _features_peak(extractor, audio) -> tuple[object, int]:  # noqa: ANN001
    tracemalloc.start()
    try:
        features = extractor(audio, chunk_length=30)
        return features, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_blocked_features_are_identical_and_memory_stays_flat(long_speech: Path) -> None:
    """The app's feature extractor gives faster-whisper's numbers bit for bit (one float32
    step apart was enough to make the two write different words from a 10-minute
    recording), and its memory grows with the recording by under 2 bytes per byte of audio
    (the power spectrum and the features themselves), where faster-whisper's own needs
    about 13."""
    from faster_whisper.feature_extractor import FeatureExtractor

    from anonyscribe.media import decode
    from anonyscribe.transcribe.features import BLOCK_FRAMES, BlockedFeatureExtractor

    speech = decode(long_speech)
    noise = np.random.default_rng(5).standard_normal(len(speech)).astype(np.float32) * 0.01
    minute = np.concatenate([speech, noise])[: 60 * 16000]
    threshold = 2 * BLOCK_FRAMES * 160 - 160  # the shortest input that takes the blocked path
    ours, theirs = BlockedFeatureExtractor(), FeatureExtractor()
    for n in (threshold + 1, 3 * len(minute) + 37):
        audio = np.resize(minute, n)
        a, peak_theirs = _features_peak(theirs, audio)
        b, peak_ours = _features_peak(ours, audio)
        assert a.shape == b.shape and np.array_equal(a, b), n
    long_audio = np.resize(minute, 9 * len(minute))
    _, peak_long = _features_peak(ours, long_audio)
    growth = (peak_long - peak_ours) / (long_audio.nbytes - audio.nbytes)
    assert growth <= 2.0, f"memory grows {growth:.1f} bytes per byte of audio"
    assert peak_long < peak_theirs, "ours on 3 times the audio should still need less"


class _SlowDetector:
    """Simulates the fault: a detection that cannot look at the Stop token, on the detector
    the whole queue shares. Counts how many calls run at once."""

    def __init__(self) -> None:
        self.active = self.most = 0
        self.lock = threading.Lock()

    def set_terms(self, terms) -> None:  # noqa: ANN001
        pass

    def detect_transcript(self, transcript) -> list:  # noqa: ANN001
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        time.sleep(0.6)
        with self.lock:
            self.active -= 1
        return []


def test_a_stage_stopped_midway_finishes_before_the_next_uses_the_detector(
        tmp_path: Path, speech_dir: Path) -> None:
    from anonyscribe.core.cancel import Cancelled
    from anonyscribe.core.model import RecordingInfo, Segment, Transcript
    from anonyscribe.processing import Engines, process_recording

    study = Study.open(tmp_path / "study")
    entries = [study.add_recording(speech_dir / n) for n in ("interview.wav", "batch_1.m4a")]
    for e in entries:
        study.save_transcript(e.id, Transcript(RecordingInfo(e.name), [Segment(0, 0, 1, "Hi.")]))
    fake = _SlowDetector()
    engines = Engines(speakers="none", _detector=fake)
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        process_recording(study, entries[0], engines, cancel=cancel)
    assert time.perf_counter() - t0 < 0.55  # Stop answered while the detection still ran
    process_recording(study, entries[1], engines)  # the next recording in the queue
    assert fake.most == 1, "two detections ran at once on the shared detector"
    assert study.has_findings(entries[1].id) and not study.has_findings(entries[0].id)
    study.close()
