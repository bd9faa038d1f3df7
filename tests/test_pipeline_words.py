"""The app keeps every word raw faster-whisper writes: nothing after recognition (speaker
turns cut at voice changes, markers of speech without words, saving) drops or changes a word.

Raw faster-whisper runs on the same file with the app's own settings (``Transcriber.options``);
the app runs the whole path of the batch and the GUI (``process_recording``), speakers on.
Where faster-whisper falls back to sampling (temperature > 0) the two runs draw different
random numbers and may legitimately differ, so the clip must be one decoded greedily
throughout, which the test checks first."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonyscribe.core.study import Study
from anonyscribe.processing import Engines, process_recording
from anonyscribe.speakers import diarization_available

# real speech, two voices taking turns (a telephone-style conversation), 30 s
CLIP = "pyannote_sample.wav"


def _raw_words(transcriber, path: Path) -> list[str]:  # noqa: ANN001
    segments, _ = transcriber.whisper.transcribe(str(path), **transcriber.options())
    segments = list(segments)
    assert segments, "raw faster-whisper heard nothing"
    assert all(s.temperature == 0.0 for s in segments), (
        "the clip was partly decoded by sampling: raw and app may differ by chance")
    return [w.word.strip() for s in segments if s.text.strip() for w in s.words or []
            if w.word.strip()]


@pytest.mark.slow
@pytest.mark.skipif(not diarization_available(), reason="optional diarizer not installed")
def test_app_keeps_every_word_raw_faster_whisper_writes(
        shared_speech_dir: Path, tiny_transcriber, detector, tmp_path: Path) -> None:  # noqa: ANN001
    path = shared_speech_dir / CLIP
    raw = _raw_words(tiny_transcriber, path)
    engines = Engines(model="tiny.en", speakers="auto", num_speakers=2,
                      _transcriber=tiny_transcriber, _detector=detector)
    with Study.open(tmp_path / "study") as study:
        entry = study.add_recording(path)
        process_recording(study, entry, engines)
        transcript = study.load_transcript(entry.id)
    saved = [w.text for s in transcript.segments for w in s.words]
    assert len({s.speaker for s in transcript.segments}) == 2  # the speaker stage ran
    assert saved == raw
