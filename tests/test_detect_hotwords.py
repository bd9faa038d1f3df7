"""Issue 12 item 5: names the study knows are passed to faster-whisper as hotwords.

Real parts: a real espeak-ng clip named after the person in it, the real tiny.en model, the
real Detector. bench/hotwords.py prints the same comparison with and without hotwords.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from anonyscribe.core.study import RecordingEntry, Study
from anonyscribe.processing import Engines, hotwords, process_recording

SAYS = ("Hello Siobhan Kowalczyk, thank you for joining us today. Siobhan, could you tell me "
        "about your work on the ward?")


def test_hotwords_are_vocabulary_then_file_name_names(tmp_path: Path, detector) -> None:  # noqa: ANN001
    study = Study(tmp_path / "study")
    study.register.set_label("PERSON", "Bernadette Okonjo", "[Participant]")  # not a hotword
    engines = Engines(vocabulary=["Datix", " "], speakers="none", _detector=detector)
    entry = RecordingEntry(id="r1", name="Interview with Tamsin Achterberg-20231012.wav",
                           path="unused.wav")
    words = hotwords(study, entry, engines)
    assert words[0] == "Datix"
    assert any("Tamsin" in w for w in words)
    assert "Bernadette Okonjo" not in words
    assert " " not in words


def test_hotwords_are_capped(tmp_path: Path, detector) -> None:  # noqa: ANN001
    engines = Engines(vocabulary=[f"Term{i:03d}" for i in range(200)], speakers="none",
                      _detector=detector)
    entry = RecordingEntry(id="r1", name="clip.wav", path="unused.wav")
    assert len(", ".join(hotwords(Study(tmp_path / "study"), entry, engines))) <= 400


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_name_in_file_name_is_spelled_right_and_found(tmp_path: Path, tiny_engines) -> None:  # noqa: ANN001
    clip = tmp_path / "Interview with Siobhan Kowalczyk.wav"
    subprocess.run(["espeak-ng", "-v", "en-gb+m3", "-s", "150", "-w", str(clip), SAYS],
                   check=True, capture_output=True)
    study = Study.open(tmp_path / "study")
    try:
        entry = study.add_recording(clip)
        process_recording(study, entry, tiny_engines)
        text = " ".join(s.text for s in study.load_transcript(entry.id).segments)
        found = {f.text for f in study.load_findings(entry.id) if f.type == "PERSON"}
    finally:
        study.close()
    assert "Kowalczyk" in text, text
    assert any("Kowalczyk" in f for f in found), found


def test_file_name_dates_and_separators_do_not_hide_names(tmp_path: Path, detector) -> None:  # noqa: ANN001
    engines = Engines(speakers="none", _detector=detector)
    entry = RecordingEntry(id="r1", name="Interview_with_Hannah_Okafor-20240101_0930.m4a",
                           path="unused.m4a")
    words = hotwords(Study(tmp_path / "study"), entry, engines)
    assert any("Okafor" in w for w in words), words
