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
