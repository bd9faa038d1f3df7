"""Session 16: kinds of false posts and names removed (a chair sat in, words that are no
part of a post, posts that name a course or a scheme, speaker codes that stand for a post).
Names and sentences invented here."""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from anonyscribe.detect.roles import not_held
from anonyscribe.detect.tags import code_tags
from detect_helpers import type_at as _at


def _span(text: str, part: str) -> tuple[int, int]:
    s = text.index(part)
    return s, s + len(part)


# -- a chair that is a seat -------------------------------------------------------------------
def test_a_chair_sat_in_is_no_post() -> None:
    for text in ("he was asleep in his chair by the fire", "she would not sit in the chair",
                 "we waited months for a power chair", "my dad fell out of a chair",
                 "they painted her chair blue"):
        assert not_held(text, *_span(text, "chair")), text


def test_the_chair_of_a_group_is_still_a_post() -> None:
    for text in ("the chair is morwenna pascoe", "I spoke to the chair, Ifan Rees",
                 "our network chair rang me", "she was chair of the board"):
        assert not not_held(text, *_span(text, "chair")), text


def test_a_chair_in_the_chair_grammar(det: Detector) -> None:
    text = "Grandad sat in his chair all day. The chair of the forum, Teodora Vasquez, came."
    assert _at(det, text, "chair") is None
    assert _at(det, text, "chair", 1) == "ROLE"


# -- words that are no part of a post ----------------------------------------------------------
def test_a_correction_or_a_plural_before_a_title_is_not_in_the_post(det: Detector) -> None:
    text = "the reg that week was dr a sorry doctor quennell and the nurses sister okeke helped"
    assert _at(det, text, "sorry doctor") is None
    assert _at(det, text, "nurses sister") is None
    text = "and the consultant doctor quennell came on the ward round with the ward sister"
    assert _at(det, text, "consultant doctor") == "ROLE"
    assert _at(det, text, "ward sister") == "ROLE"


def test_a_post_before_a_scheme_or_an_award_is_no_post(det: Detector) -> None:
    text = "Please keep the overseas midwife buddy scheme going. I did the clinical tutor award."
    assert _at(det, text, "overseas midwife") is None
    assert _at(det, text, "clinical tutor") is None
    text = "Our clinical tutor, Branwen, runs it."
    assert _at(det, text, "clinical tutor") == "ROLE"


# -- speaker codes that stand for a post -------------------------------------------------------
def test_a_tag_that_begins_a_post_said_in_the_text_is_a_code() -> None:
    generic = frozenset({"res", "researcher"})
    text = "res: tell me about you\nnur: i'm the lead nurse on the unit\nres: ok\nnur: yes\n"
    assert {text[s:e] for s, e in code_tags(
        text, generic, lambda w: w == "nur", {"nurse"}, lambda w: True)} == {"res", "nur"}
    text = "res: tell me about you\nnur: i run the unit\nres: ok\nnur: yes\n"  # no post said
    assert {text[s:e] for s, e in code_tags(
        text, generic, lambda w: w == "nur", {"nurse"}, lambda w: True)} == {"res"}


def test_initials_that_spell_a_post_said_in_the_text_are_a_code() -> None:
    generic = frozenset({"int", "interviewer"})
    words = {"practice", "manager", "the", "at"}
    text = ("INT: what do you do\nPM: I'm the practice manager at the surgery\nINT: ok\n"
            "PM: yes\n")
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: False,
                                            {"manager"}, words.__contains__)} == {"INT", "PM"}
    text = "INT: what do you do\nPM: I'm Priya Mistry, the manager\nINT: ok\nPM: yes\n"
    assert {text[s:e] for s, e in code_tags(text, generic, lambda w: w == "priya",
                                            {"manager"}, words.__contains__)} == {"INT"}


def test_initials_of_a_name_stay_a_name(det: Detector) -> None:
    text = ("INT: thanks for coming\nKD: I'm Kerensa Dunne, I'm the ward manager\nINT: ok\n"
            "KD: yes it's busy\n")
    assert _at(det, text, "KD") == "PERSON"


# -- a post the speaker was taken for, one there is none of -----------------------------------
def test_a_post_someone_was_taken_for_is_held_by_no_one() -> None:
    for before in ("a visitor thought I was the ", "they asked me if i was the ",
                   "people think youre the ", "Being mistaken for a ",
                   "some days they ask am i really the ", "there's no ", "I'm not the ",
                   "and there is no ", "she is now the most "):
        text = before + "radiographer"
        assert not_held(text, len(before), len(text)), before


def test_a_post_after_i_think_or_a_correction_is_still_held() -> None:
    for before in ("I think she is the ", "i think the ", "he's a ctl no ",
                   "I asked the ", "we have the "):
        text = before + "radiographer"
        assert not not_held(text, len(before), len(text)), before


def test_a_body_a_thing_or_a_trait_alone_is_no_post(det: Detector) -> None:
    text = "The GDC is the regulator. Our technician is a genius with the scanner."
    assert _at(det, text, "regulator") is None and _at(det, text, "genius") is None
    text = "I'm a pharmacist. He was a regulator at the GDC for ten years."
    assert _at(det, text, "pharmacist") == "ROLE"


# -- a given name that is also a language or a people's name ----------------------------------
def test_a_language_name_said_as_a_given_name(det: Detector) -> None:
    text = "the cover nurse at the health centre, shona, rang me about it"
    assert _at(det, text, "shona") == "PERSON"
    text = "we had a lot of help from claire and shona on the ward that week"
    assert _at(det, text, "shona") == "PERSON"
    text = "the charge nurse today is shona and the hca is bilal"
    assert _at(det, text, "shona") == "PERSON"
    text = "interviewer: thank you shona how can we send the voucher"
    assert _at(det, text, "shona") == "PERSON"


def test_a_language_stays_a_language(det: Detector) -> None:
    text = "she speaks english and shona at home, and her mum only speaks shona"
    assert _at(det, text, "shona") is None and _at(det, text, "shona", 1) is None
    text = "the families here are mostly irish and tamil, some polish"
    assert _at(det, text, "tamil") is None


def test_two_peoples_before_a_noun_are_no_names(det: Detector) -> None:
    text = "lots of fijian and nepali families live round the barracks"
    assert _at(det, text, "nepali") is None
