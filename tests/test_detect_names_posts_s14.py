"""Session 14: one contraction concept; kinds of false names and posts removed; names and
posts found where the sentence says so. Names and sentences invented here."""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from anonyscribe.detect.lexicon import BARE_CONTRACTIONS, CONTRACTIONS
from anonyscribe.detect.roles import not_held
from anonyscribe.detect.tags import code_tags
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


# -- speaker tags and field starts ------------------------------------------------------------
def test_tags_with_long_dashes_underscores_or_tildes_are_codes() -> None:
    generic = frozenset({"int", "interviewer"})
    text = "int --- so what do you do\nrgn --- i run the unit\nint --- and\nrgn --- yes\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: False)} == {"int", "rgn"}
    text = "int_ hello\nsw_ i work nights\nint_ ok\nsw_ fine\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: False)} == {"int", "sw"}
    text = "int ~ hi\nbryony ~ hello\nint ~ ok\nbryony ~ fine\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: w == "bryony")} == {"int"}


def test_welsh_question_and_answer_tags_are_no_names(det: Detector) -> None:
    text = ("holi — beth yw eich swydd\nateb — i'm a district nurse in bala\n"
            "holi — and the team\nateb — small, five of us\n")
    assert _at(det, text, "holi") is None and _at(det, text, "ateb") is None


def test_a_capital_after_a_field_separator_starts_the_field(det: Detector) -> None:
    text = ("Row 4 | Band 6 | My deputy does the rota and Ward nurses cover.\n"
            "Row 5 — Ward/site: Elm Ward — Kiran Dhillon said so.\n")
    assert _at(det, text, "My") is None
    assert _at(det, text, "Ward/site") is None and _at(det, text, "Ward/") is None
    assert _at(det, text, "Kiran Dhillon") == "PERSON"


def test_a_title_before_a_name_is_no_post(det: Detector) -> None:
    text = "My supervisor is Professor Okafor, and the Professor of Surgery chairs it."
    assert _at(det, text, "Professor") is None
    assert _at(det, text, "Okafor") == "PERSON"


# -- the lower-case unknown-word name rule --------------------------------------------------
def test_a_thing_someone_has_or_a_language_is_no_name(det: Detector) -> None:
    text = ("so i did my fcps in lahore and my pvg is done, we speak bisaya at home and "
            "a few hiligaynon speakers too, and i work with oyelaran on nights")
    for word in ("fcps", "pvg", "bisaya", "hiligaynon"):
        assert _at(det, text, word) is None, word
    assert _at(det, text, "oyelaran") == "PERSON"


# -- word-names where the sentence says person ------------------------------------------------
def test_a_word_name_before_the_post_it_holds_is_a_name(det: Detector) -> None:
    text = "so on nights it's me and comfort the hca, she's brilliant with the families"
    assert _at(det, text, "comfort") == "PERSON"
    assert _at(det, text, "hca") == "ROLE"
    text = "i hope the nurse is ok and we trust the doctor, honestly we do"
    assert _at(det, text, "hope") is None and _at(det, text, "trust") is None


# -- posts nobody holds -------------------------------------------------------------------------
def test_a_post_wished_wanted_or_asked_about_is_held_by_nobody() -> None:
    for before in ("honestly we need a second ", "i'd like to be a ", "maybe become a ",
                   "a dad once asked for a ", "and what does a ", "she wants an "):
        assert not_held(before + "pharmacist", len(before)), before
    for before in ("i applied for a ", "she's a ", "we need the ", "i was a "):
        assert not not_held(before + "pharmacist", len(before)), before


def test_a_wanted_post_is_not_flagged_but_a_held_one_is(det: Detector) -> None:
    text = "On nights we need a second porter. Dilys is a porter on days."
    assert _at(det, text, "porter") is None
    assert _at(det, text, "porter", nth=1) == "ROLE"


def test_a_word_after_call_me_is_a_nickname(det: Detector) -> None:
    text = "my name's bartholomew but everyone calls me tiff, and the kids call me back later"
    assert _at(det, text, "tiff") == "PERSON"
    assert _at(det, text, "back") is None
    text = "honestly the patients call me names sometimes and they called me stupid once"
    assert _at(det, text, "names") is None and _at(det, text, "stupid") is None


def test_a_unit_word_before_the_post_is_no_name(det: Detector) -> None:
    text = "on one ward the nurse in charge let me in and on every ward the sister knew me"
    assert _at(det, text, "ward") is None


def test_a_word_name_opening_a_field_is_no_name_but_a_full_name_is(det: Detector) -> None:
    text = ("Row 2 / Porter / Hope someone reads these.\nRow 3 ~ Carer ~ Faith in the team.\n"
            "Row 4 | Porter | Grace Okonjo was our trainer.\n")
    assert _at(det, text, "Hope") is None and _at(det, text, "Faith") is None
    assert _at(det, text, "Grace Okonjo") == "PERSON"


def test_a_language_named_by_the_sentence_is_no_name(det: Detector) -> None:
    text = ("my first language is chakma and at home we speak mostly tripuri, "
            "and the kokborok language too, but my colleague is anjuli")
    for word in ("chakma", "kokborok"):
        assert _at(det, text, word) is None, word


def test_long_question_and_answer_tags_are_codes() -> None:
    generic = frozenset({"agallamh", "freagra", "ceist"})
    text = "agallamh - cad é do phost\nfreagra - i'm a nurse\nagallamh - agus\nfreagra - yes\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: False)} \
        == {"agallamh", "freagra"}


def test_tags_in_angle_or_square_brackets_are_codes() -> None:
    generic = frozenset({"int", "a", "q"})
    text = "<int> tell me\n<phm> i run the dispensary\n<int> and\n<phm> yes\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: False)} == {"int", "phm"}
    text = "[q] hello\n[b] i'm the ot\n[q] ok\n[b] fine\n[laughs] sorry\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: False)} == {"q", "b"}
    text = "<int> hi\n<bryony> hello\n<int> ok\n<bryony> fine\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: w == "bryony")} == {"int"}
