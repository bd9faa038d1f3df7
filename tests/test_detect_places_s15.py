"""Session 15 (places): Irish place names said with their article, whose words look Irish
(a long vowel, a softened or eclipsed first consonant, an Irish ending). Names invented or
built from common Irish place-name parts here."""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector


def _irish(det: Detector, text: str) -> list[str]:
    return [s.text for s in det.detect_text(text) if s.source == "irish-name"]


@pytest.mark.parametrize(("text", "name"), [
    ("i do the home visits out to an cheathrú bheag on tuesdays", "an cheathrú bheag"),
    ("the clinic is in an fhairche most weeks", "an fhairche"),
    ("she lives out in baile an ghleanntáin now", "baile an ghleanntáin"),
    ("Our team covers the coast. I am based in An Mhóinín Rua, two days a week, and the "
     "rest of the time I am out on the road visiting people.", "An Mhóinín Rua"),
])
def test_irish_names_with_their_article(det: Detector, text: str, name: str) -> None:
    assert name in _irish(det, text), text


def test_an_irish_name_is_covered_whole(det: Detector) -> None:
    text = "her mother is from baile na ngabhar, near the coast"
    i = text.index("baile")
    j = text.index(",")
    assert any(s.start <= i and j <= s.end for s in det.detect_text(text))


@pytest.mark.parametrize("text", [
    "i'm an fy2 at the general and an sho before that",
    "we cant find an nhs dentist anywhere",
    "we went to aiberdeen an banff an elgin for the courts",
    "it was an honour to work there, an absolute pleasure",
    "i did an svq and an hnc at the college",
    "and then an she's like no way",
])
def test_english_and_scots_an_is_no_irish_name(det: Detector, text: str) -> None:
    assert not _irish(det, text), text
