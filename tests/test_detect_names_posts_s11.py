"""Issue 12 (session 11): names and posts on text the rules were never tuned on. A word-name
right after a post in lower-case speech, where the next words say it is the holder's name.
Names and sentences invented here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from detect_helpers import type_at as _at


# -- a word-name after a post -----------------------------------------------------------------
def test_a_word_name_after_a_post_said_again_or_with_a_verb_is_a_name(det: Detector) -> None:
    text = ("and the stores coordinator coral coral sends us the list\n"
            "and the receptionist there ivy refers everyone to the hub\n"
            "on the unit the bed manager there amber is brilliant with us\n")
    assert _at(det, text, "coral") == "PERSON"
    assert _at(det, text, "coral", 1) == "PERSON"
    assert _at(det, text, "ivy") == "PERSON"
    assert _at(det, text, "amber") == "PERSON"


def test_a_word_after_a_post_without_such_words_stays_a_word(det: Detector) -> None:
    text = ("i was the surgeon ha cause i wore the blue scrubs\n"
            "the porter there will help and the nurse there said so\n"
            "the gardener rose early and the porter there summer holidays were long\n"
            "the carer there faith groups are a help and the driver there rose steadily\n"
            "and the cleaner there lots of us knew\n")
    for word in ("ha", "will", "rose", "summer", "faith", "lots"):
        assert _at(det, text, word) != "PERSON", word


# -- a name said again as speech recognition heard it ------------------------------------------
def test_a_name_sounded_out_beside_it_is_the_name(det: Detector) -> None:
    text = ("and my wife prudence es pay ronce no sorry my wife esperance es pay ronce came\n"
            "our porter is tadhg tie g he says\n"
            "hca: yes my name is mbuyi em boo yee from the congo\n")
    for part in ("tie g", "em boo yee"):
        assert _at(det, text, part) == "PERSON", part
    assert _at(det, text, "es pay ronce", 1) == "PERSON"  # after esperance
    assert _at(det, text, "es pay ronce") is None  # after prudence: not its sound


def test_words_after_a_name_that_do_not_sound_like_it_stay_words(det: Detector) -> None:
    text = ("i told tom to me it was fine and mary more or less ran it\n"
            "so rachel its fine and the consultant doctor tudur whos new is kind\n"
            "then karen needed more time\n")
    for part in ("to me", "more or", "its fine", "whos", "needed"):
        assert _at(det, text, part) != "PERSON", part


# -- a post listed after a name ----------------------------------------------------------------
def test_a_post_listed_after_a_name_is_its_holders(det: Detector) -> None:
    text = ("it gets its meds from us catriona and the hca\n"
            "the doctors were there and nadia and the gp came later\n")
    assert _at(det, text, "hca") == "ROLE"
    assert _at(det, text, "gp") == "ROLE"


def test_a_plural_or_a_longer_phrase_after_a_name_is_not_a_post(det: Detector) -> None:
    text = ("i was with lorna and the carers are good\n"
            "we had kasia and the gp surgery rang\n"
            "the manager for abbeygate and our sister home\n")
    assert _at(det, text, "carers") is None
    assert _at(det, text, "gp surgery") != "ROLE"
    assert _at(det, text, "sister") is None
