"""Session 16: organisations, IDs and dates. A specialty said alone before "ward", "unit",
"team" or "clinic" is a kind of unit, not a named one; a code read out may start with the
letters "a" or "i" before other letters. Sentences invented here."""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from detect_helpers import type_at as _at


# -- a kind of unit is no named unit ------------------------------------------------------------
def test_a_specialty_before_a_unit_word_is_a_kind_of_unit(det: Detector) -> None:
    text = ("before that i was on the stroke ward for a year and then a gp practice in town, "
            "and my sister works in the burns unit with the perinatal team")
    assert _at(det, text, "stroke ward") != "ORGANISATION"
    assert _at(det, text, "gp practice") != "ORGANISATION"
    assert _at(det, text, "burns unit") != "ORGANISATION"
    assert _at(det, text, "perinatal team") != "ORGANISATION"


def test_a_unit_with_a_name_of_its_own_is_still_found(det: Detector) -> None:
    text = "before that i was on osprey ward for a year and then the acute frailty unit"
    assert _at(det, text, "osprey ward") == "ORGANISATION"
    assert _at(det, text, "acute frailty unit") == "ORGANISATION"


# -- codes read out that start with "a" or "i" -------------------------------------------------
def test_a_code_read_out_may_start_with_the_letters_a_or_i(det: Detector) -> None:
    text = ("the log number was i n c three one oh eight two two and the other one was "
            "a p x seven seven four oh one, she wrote them down")
    assert _at(det, text, "i n c three one oh eight two two") == "ID"
    assert _at(det, text, "a p x seven seven four oh one") == "ID"


def test_the_words_a_and_i_before_letters_without_digits_are_no_code(det: Detector) -> None:
    text = "so i got a b in the exam and i m not sure, i did a c in maths twice"
    assert _at(det, text, "a b in") is None
    assert _at(det, text, "a c in") is None
