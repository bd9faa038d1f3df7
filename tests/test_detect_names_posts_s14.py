"""Session 14: one contraction concept; kinds of false names and posts removed; names and
posts found where the sentence says so. Names and sentences invented here."""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from anonyscribe.detect.lexicon import BARE_CONTRACTIONS, CONTRACTIONS
from detect_helpers import type_at as _at


# -- contractions without their apostrophe ---------------------------------------------------
def test_contractions_come_from_their_endings() -> None:
    for form in ("theres", "im", "youd", "theyll", "didnt", "cant", "wont", "couldve"):
        assert form in CONTRACTIONS and form in BARE_CONTRACTIONS
    for word in ("bent", "ant", "went", "mint", "heard"):
        assert word not in CONTRACTIONS  # words that only end like a contraction


def test_contractions_that_are_words_too_are_not_bare() -> None:
    for form in ("shed", "well", "ill", "wed"):
        assert form in CONTRACTIONS and form not in BARE_CONTRACTIONS


def test_a_contraction_without_its_apostrophe_is_no_name(det: Detector) -> None:
    text = "so yeah theyd already gone and youd think theres someone but there isnt really"
    for word in ("theyd", "youd", "theres", "isnt"):
        assert _at(det, text, word) is None
