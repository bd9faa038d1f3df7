"""Issue 12 (session 8): words of lower-case ASR and chat that are never names: contractions
written without their apostrophe ("im", "theres") and transcription tools' speaker tags
("[spk 2]"). Lines of our own through the real rules-only Detector; names beside them are still
found."""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector


@pytest.mark.parametrize("text, word, name", [
    ("voice 2: yeah so im with caoimhe brannock at the depot", "im", "caoimhe brannock"),
    ("p1: theres only me and ruairi on nights", "theres", "ruairi"),
    ("p2: ive worked with ngozi for years, thats the truth", "ive", "ngozi"),
    ("[spk 1] whos on with eilidh today", "spk", "eilidh"),
    ("[spk 2] theyre short so im covering for dafydd", "theyre", "dafydd"),
])
def test_contractions_and_speaker_tags_are_no_names(det: Detector, text: str, word: str,
                                                    name: str) -> None:
    got = {s.text.lower(): s.type for s in det.detect_text(text)}
    assert word not in got, got
    assert got.get(name) == "PERSON", got
