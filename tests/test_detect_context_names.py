"""Issue 12 (session 9, round 2): a weekday, month or never-flagged word found as a name only
through its context ("Sunday Okonkwo", "my friend sunday was", "so im christian christian
ogundipe") is passed on to its later mentions, but never where the words around it make it
the day, the month or the word. Names and sentences invented here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from detect_helpers import type_at as _at


def test_lower_case_later_mentions_are_passed_on(det: Detector) -> None:
    text = ("my friend sunday was a carer there. we went round to see sunday and she said "
            "fine. so i rang sunday again and sunday said no.")
    assert _at(det, text, "sunday", 0) == "PERSON"  # the context itself
    assert _at(det, text, "sunday", 1) == "PERSON"  # "see sunday and"
    assert _at(det, text, "sunday", 2) == "PERSON"  # "rang sunday again"


def test_surname_context_passes_the_given_name_on(det: Detector) -> None:
    text = ("so im christian christian ogundipe from the unit. i rang christian again then "
            "christian was out. it is a christian charity and she is christian.")
    assert _at(det, text, "christian ogundipe") == "PERSON"
    assert _at(det, text, "christian", 0) == "PERSON"  # "im christian"
    assert _at(det, text, "christian", 2) == "PERSON"  # "rang christian again"
    assert _at(det, text, "christian", 3) == "PERSON"  # "then christian was"
    assert _at(det, text, "christian", 4) != "PERSON"  # "a christian charity"
    assert _at(det, text, "christian", 5) is None  # "she is christian"


def test_the_day_or_month_is_never_passed_on(det: Detector) -> None:
    text = ("my friend sunday was a carer there. on sunday we rest. every sunday morning "
            "is quiet. we went in april and last april too. two sunday shifts. april said hi.")
    for n in (1, 2):
        assert _at(det, text, "sunday", n) is None, n
    assert _at(det, text, "april", 0) != "PERSON"
    assert _at(det, text, "april", 1) != "PERSON"
    assert _at(det, text, "sunday", 3) is None  # "two sunday shifts"


def test_cased_text_passes_on_only_capitalised_mentions(det: Detector) -> None:
    text = ("Sunday Okonkwo joined us. Later Sunday rang me. On Sunday we met, and "
            "Sunday morning was quiet. The sunday rota is full.")
    assert _at(det, text, "Sunday", 1) == "PERSON"  # "Later Sunday rang"
    assert _at(det, text, "Sunday", 2) is None  # "On Sunday"
    assert _at(det, text, "Sunday", 3) is None  # "Sunday morning"
    assert _at(det, text, "sunday") is None


def test_no_context_name_no_passing_on(det: Detector) -> None:
    text = "we see patients on sunday. sunday is busy. i see sunday as a rest day."
    for n in range(3):
        assert _at(det, text, "sunday", n) is None, n
