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


# -- a possessive said as a place --------------------------------------------------------------
def test_a_name_with_s_said_as_a_place_is_covered_whole(det: Detector) -> None:
    text = "so i was the pharmacist at o'brennan's in town and then a barmaid at mcardle's, yeah"
    spans = det.detect_text(text)
    for part in ("o'brennan's", "mcardle's"):
        s = text.index(part)
        assert any(sp.start <= s and s + len(part) <= sp.end for sp in spans), part


def test_a_possessive_before_what_is_owned_keeps_the_name_alone(det: Detector) -> None:
    text = "we stayed at o'brennan's caravan for the week, and then with maeve"
    s = text.index("o'brennan's")
    assert not any(sp.start <= s and s + len("o'brennan's caravan") <= sp.end
                   for sp in det.detect_text(text))


# -- a stretch of months -----------------------------------------------------------------------
def test_months_said_from_one_to_the_other_are_dates(det: Detector) -> None:
    text = "We advertised for a receptionist from October to February. Nobody applied."
    assert _at(det, text, "October") == "DATE"
    assert _at(det, text, "February") == "DATE"


def test_a_stretch_of_months_that_recurs_is_no_date(det: Detector) -> None:
    text = "The café usually opens from April to October. We close from June to August every year."
    assert _at(det, text, "April") is None
    assert _at(det, text, "June") is None


# -- postcodes read out: a routing key as one word, two halves -------------------------------
def test_a_postcode_read_out_with_its_key_as_one_word_or_in_halves(det: Detector) -> None:
    text = ("she gave the eircode, t23 k y seven one, then her brother's post code, "
            "g e four, two n d, and rang off")
    spans = det.detect_text(text)
    for part in ("t23 k y seven one", "g e four, two n d"):
        s = text.index(part)
        assert any(sp.type == "POSTCODE" and sp.start <= s and s + len(part) <= sp.end
                   for sp in spans), part


def test_letters_and_numbers_in_a_list_are_no_postcode(det: Detector) -> None:
    text = "we did one, two, three laps on the a1, a2 and then b4 and went home"
    assert not any(sp.type in ("POSTCODE", "ID") for sp in det.detect_text(text))


# -- care firms named after who holds them or who uses them -----------------------------------
def test_a_care_firm_after_its_holder_or_a_user_is_found(det: Detector) -> None:
    text = ("she was the owner of marigold care for years, and on nights we use "
            "bramble homecare mostly")
    assert _at(det, text, "marigold care") == "ORGANISATION"
    assert _at(det, text, "bramble homecare") == "ORGANISATION"


def test_a_kind_of_care_after_of_is_no_firm(det: Detector) -> None:
    text = "there was a lot of excellent care and the quality of personal care was fine"
    assert _at(det, text, "excellent care") is None
    assert _at(det, text, "personal care") is None


# -- ward codes listed after a ward ------------------------------------------------------------
def test_ward_codes_listed_after_a_ward_are_wards_in_cased_text_too(det: Detector) -> None:
    text = ("[Ruth Amadi] 10:02 AM: i cover ward c3 c5 and d2 and my deputy covers the rest. "
            "Kate Moss was on ward b1 and a4 paper was everywhere.")
    assert _at(det, text, "c5") == "ORGANISATION"
    assert _at(det, text, "d2") == "ORGANISATION"
    assert _at(det, text, "a4") is None
