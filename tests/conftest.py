"""Shared fixtures. Others may append their own fixtures at the end of this file.

The model cache is pointed at a session temporary folder before any test runs, so tests never
read or write the real user cache (the 150 MB ``base`` assembly then happens there, once).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window ever needs a screen in tests

TESTS = Path(__file__).resolve().parent
SPEECH_DIR = TESTS / "data" / "speech"
SHARED_DIR = TESTS.parents[0].parent / "shared"
SHARED_SPEECH_DIR = SHARED_DIR / "data" / "speech"


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """ANONYSCRIBE_CACHE_DIR -> a session temporary folder (restored afterwards)."""
    previous = os.environ.get("ANONYSCRIBE_CACHE_DIR")
    cache = tmp_path_factory.mktemp("anonyscribe-cache")
    os.environ["ANONYSCRIBE_CACHE_DIR"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("ANONYSCRIBE_CACHE_DIR", None)
    else:
        os.environ["ANONYSCRIBE_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    """The committed espeak-ng fixtures (see tests/data/make_fixtures.py for what they say)."""
    return SPEECH_DIR


@pytest.fixture(scope="session")
def shared_speech_dir() -> Path:
    """The shared real-speech clips; tests using it skip when the folder is absent."""
    if not SHARED_SPEECH_DIR.is_dir():
        pytest.skip(f"shared speech clips not found at {SHARED_SPEECH_DIR}")
    return SHARED_SPEECH_DIR


@pytest.fixture(scope="session")
def tiny_transcriber(isolated_cache: Path):  # noqa: ANN201 - avoid importing faster-whisper here
    """One ``Transcriber("tiny.en")`` for the whole session (loading a model takes a while)."""
    from anonyscribe.transcribe.runner import Transcriber

    return Transcriber("tiny.en")


@pytest.fixture(scope="session")
def detector():  # noqa: ANN201 - avoid importing Presidio at collection time
    """One real ``Detector`` (spaCy + Presidio + our recognizers) for the whole session."""
    from anonyscribe.detect.engine import Detector

    return Detector()


@pytest.fixture
def tiny_engines(tiny_transcriber, detector):  # noqa: ANN001, ANN201
    """Pipeline engines sharing the session's model and detector (no speaker labelling)."""
    from anonyscribe.processing import Engines

    return Engines(model="tiny.en", speakers="none", _transcriber=tiny_transcriber,
                   _detector=detector)


# Different sentences, so no window of the long clip repeats itself (see ``long_speech``).
LONG_SPEECH_LINES = [
    "I started on the surgical ward about six years ago, straight after qualifying.",
    "The first winter was hard, because we were short of staff most nights.",
    "Handovers used to take forty minutes, and now they take about fifteen.",
    "We changed the way we record observations, which saved a lot of time.",
    "Some of the older patients found the new system confusing at first.",
    "Our manager pushed for more training, and that made a real difference.",
    "I think the biggest change was how we talk to families on the phone.",
    "Looking back, I would still choose nursing, but I would ask for more support.",
    "The pharmacy team started coming to the ward rounds twice a week.",
    "By the end of the year, sickness absence had gone down quite a bit.",
]


@pytest.fixture(scope="session")
def long_speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About a minute of real speech (16 kHz mono WAV) with pauses: long enough that
    transcription takes several seconds and several windows, for cancel and crash tests.

    The shared real clips when present, else the committed fixtures once each and different
    espeak-ng sentences (the fixtures five times over made tiny.en drop whole windows of
    repeated text, which tests of "speech without words" then counted), else the fixtures
    repeated.
    """
    import shutil
    import subprocess
    import wave

    import numpy as np

    from anonyscribe.media import decode

    folder = tmp_path_factory.mktemp("long")
    names = ["pyannote_sample.wav", "jfk.flac", "ami_ES2011a_headset0_40-46s.wav",
             "librispeech_2412-153948-0000.flac"]
    sources = [SHARED_SPEECH_DIR / n for n in names]
    if not all(p.is_file() for p in sources):
        fixtures = [SPEECH_DIR / n for n in ("interview.wav", "batch_1.m4a", "batch_2.mp3")]
        sources = fixtures * 5
        if shutil.which("espeak-ng") is not None:
            sources = list(fixtures)
            for i, line in enumerate(LONG_SPEECH_LINES):
                wav = folder / f"line{i}.wav"
                subprocess.run(["espeak-ng", "-v", "en-gb+m3" if i % 2 else "en-gb+f3",
                                "-s", "150", "-w", str(wav), line], check=True)
                sources.append(wav)
    pause = np.zeros(8000, dtype=np.float32)
    audio = np.concatenate([part for p in sources for part in (decode(p), pause)])
    out = folder / "long interview.wav"
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return out


@pytest.fixture(scope="session")
def rules_only_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled detection config with the learned second opinion switched off.

    The rule families' own tests use it: they pin what each rule does and does not flag,
    while the learned step's low-score suggestions are tested in test_detect_learned.py.
    """
    from anonyscribe.detect.config import switched_off

    return switched_off(tmp_path_factory.mktemp("detect-config"), "learned")


@pytest.fixture(scope="session")
def det(rules_only_config: Path):  # noqa: ANN201 - anonyscribe.detect.engine.Detector
    """One rules-only Detector for the rule families' test files (spaCy loaded once, not per
    file); a test that sets a study's terms puts back empty ones. A test file that needs
    another detector defines its own ``det``."""
    from anonyscribe.detect.engine import Detector

    return Detector(config=rules_only_config)
