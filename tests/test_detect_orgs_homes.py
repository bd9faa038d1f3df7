"""Issue 12 (session 10, third round): homes and sites named with one ordinary word. Care homes,
hospices, day centres and units are often named after trees in the plural ("the Beeches",
"the elms"), and local sites with one ordinary word said as a place of work ("at the
grange", "from the general"); wards after trees said "at <tree> ward". Sentences invented
here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector


def _type(det: Detector, text: str, part: str) -> str | None:
    """The type of the span covering ``part`` (first occurrence), or None."""
    start = text.index(part)
    end = start + len(part)
    for s in det.detect_text(text):
        if s.start <= start and end <= s.end:
            return s.type
    return None


def test_tree_plurals_after_the_are_homes(det: Detector) -> None:
    cases = [("mum is in the sycamores now in her own room", "sycamores"),
             ("i was a night carer at the poplars for two years", "poplars"),
             ("then she went to the hawthorns, which was nicer", "hawthorns"),
             ("Our respite beds are at The Larches in Selby.", "Larches"),
             ("R-04 (Carer, the Maples): short staffed", "Maples"),
             ("the yews\nyeah the yews is the dementia unit", "yews")]
    for text, part in cases:
        assert _type(det, text, part) == "ORGANISATION", text


def test_tree_plurals_as_trees_or_without_the_are_not_homes(det: Detector) -> None:
    for text, part in [("we planted oaks along the drive", "oaks"),
                       ("i cut back the elms hedge on sunday", "elms"),
                       ("Beware: the larches shed their needles in autumn.", "larches")]:
        assert _type(det, text, part) is None, text


def test_one_word_sites_said_as_a_place_of_work(det: Detector) -> None:
    cases = [("before that i was a porter at the manor and then agency", "manor"),
             ("we get a lot of referrals from the county.", "county"),
             ("she joined the priory in twenty twenty", "priory"),
             ("he was transferred to the general", "general")]
    for text, part in cases:
        assert _type(det, text, part) == "ORGANISATION", text


def test_one_word_sites_as_ordinary_words_are_not_flagged(det: Detector) -> None:
    for text, part in [("i agree with the general idea of it", "general"),
                       ("we went to the county show on saturday", "county"),
                       ("she talked about the manor of speaking", "manor"),
                       ("the general feeling is that it works", "general"),
                       ("they drove up to the mount of olives", "mount")]:
        assert _type(det, text, part) is None, text


def test_wards_named_after_trees_after_at_or_from(det: Detector) -> None:
    assert _type(det, "the ward manager at rowan ward rang me", "rowan ward") == "ORGANISATION"
    assert _type(det, "we took two from hazel ward today", "hazel ward") == "ORGANISATION"
    assert _type(det, "she went back to the surgical ward at night", "surgical") is None
