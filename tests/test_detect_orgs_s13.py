"""Issue 12 (session 13, organisations and codes): units numbered like wards ("Unit 5B", "unit
five b"), a postcode said after "ward" left to the postcode rules, a spoken postcode ending a
line, and a chat's "to Everyone" that names no organisation. Each with what must stay as it
was. Sentences invented here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from detect_helpers import type_at


def _orgs(det: Detector, text: str) -> list[str]:
    return [s.text for s in det.detect_text(text) if s.type == "ORGANISATION"]


def test_units_numbered_like_wards(det: Detector) -> None:
    cases = [("She's a healthcare assistant on Unit 4C at the Royal.", "Unit 4C"),
             ("i was on unit seven b for a year then moved", "unit seven b"),
             ("Staff nurse :: Hollybank, Unit 9 :: too few staff", "Unit 9")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_units_that_are_no_place_stay_unflagged(det: Detector) -> None:
    for text in ["i joined the unit 2 years ago and never left",
                 "We wrote a unit 3 essay on ethics in the first term."]:
        assert not any(s.text.lower().startswith("unit") for s in det.detect_text(text)), text


def test_postcode_after_ward_is_a_postcode(det: Detector) -> None:
    text = "yeah send it to the ward m fourteen two b d or ring me"
    assert type_at(det, text, "m fourteen two b d") == "POSTCODE"


def test_ward_letter_and_number_still_a_ward(det: Detector) -> None:
    assert type_at(det, "i work on ward b two with the stroke team", "ward b two") \
        == "ORGANISATION"


def test_spoken_postcode_at_a_line_end(det: Detector) -> None:
    text = "and the letters go to the office, it's cf twenty four three ab\nthanks for that"
    assert type_at(det, text, "cf twenty four three ab") == "POSTCODE"


def test_two_letter_word_before_a_new_line_ends_no_postcode(det: Detector) -> None:
    text = "we moved to flat nine in january and the rent went up\nso that was that"
    assert not any(s.type == "POSTCODE" for s in det.detect_text(text))


def test_indefinite_pronoun_in_a_slot_is_no_organisation(det: Detector) -> None:
    for text in ["09:01:12 From Maryam Ali to Everyone: sorry my camera is off",
                 "We got no help from Anyone at all that winter."]:
        assert "Everyone" not in _orgs(det, text) and "Anyone" not in _orgs(det, text), text


def test_named_slot_guess_still_found(det: Detector) -> None:
    text = "We had support from Harbourlight for two years."
    assert type_at(det, text, "Harbourlight") is not None


def test_practices_named_with_ordinary_words(det: Detector) -> None:
    cases = [("we cover the two sites, with millbrook and the heron practice in town",
              "heron practice"),
             ("she moved over to the willow practice last spring", "willow practice"),
             ("the visits are at lowfield and the green street surgery on fridays",
              "green street surgery")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_kinds_of_practice_stay_unflagged(det: Detector) -> None:
    for text in ["we talk a lot about reflective practice in supervision",
                 "and the practice nurse does the bloods on mondays",
                 "she went back into general practice after the baby"]:
        assert not any(s.type == "ORGANISATION" and "practice" in s.text.lower()
                       for s in det.detect_text(text)), text


def test_coded_wards_listed_after_the_wards(det: Detector) -> None:
    text = "Handover at eight on the wards — Beech 1, Beech 2 and Cedar 3 most days."
    for part in ("Beech 1", "Beech 2", "Cedar 3"):
        assert type_at(det, text, part) == "ORGANISATION", part


def test_counted_names_after_a_comma_stay_unflagged(det: Detector) -> None:
    text = "We needed more staff, Band 5 mostly, and Level 3 was closed."
    assert _orgs(det, text) == []


def test_bare_contraction_is_no_name(det: Detector) -> None:
    text = "some of the families dont trust the council and theres another surgery in town"
    assert not any(s.text.lower().startswith(("dont", "theres")) for s in det.detect_text(text))


def test_row_labels_of_a_survey_are_no_id(det: Detector) -> None:
    text = ("K-3101 / Staff nurse / long shifts\nK-3102 / HCA / no parking\n"
            "K-3103 / Porter / fine\nK-3104 / Cleaner / my payroll number is P0047712\n")
    found = {s.text: s.type for s in det.detect_text(text)}
    assert not any(k.startswith("K-31") for k in found)
    assert found.get("P0047712") == "ID"


def test_capital_a_inside_a_sentence_is_a_wing_letter(det: Detector) -> None:
    text = "Then Marisol does A wing and the health care centre on Fridays."
    assert type_at(det, text, "A wing") == "ORGANISATION"
    assert not any(s.text.startswith("A block") for s in det.detect_text(
        "A block of flats went up by the station last year."))


def test_one_word_site_in_a_town(det: Detector) -> None:
    cases = [("she was a carer at the meadowlark in kendal for years", "meadowlark"),
             ("we sent him over to the lighthouse on harbour street for rehab", "lighthouse")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_kinds_of_building_in_a_town_stay_unflagged(det: Detector) -> None:
    for text in ["we go to the mosque in bradford on fridays",
                 "she did a course at the college in leeds",
                 "i met him at the weekend in york"]:
        assert not any(s.text in ("mosque", "college", "weekend") for s in det.detect_text(text))


def test_unit_before_a_phone_or_a_spelled_postcode_takes_neither(det: Detector) -> None:
    text = "or you ring the day unit oh one one three four nine six oh one two three"
    assert type_at(det, text, "oh one one three four nine six oh one two three") == "PHONE"
    text = "and send the form to the unit s t four two a b thanks"
    assert type_at(det, text, "s t four two a b") == "POSTCODE"


def test_drive_after_a_contraction_is_no_street(det: Detector) -> None:
    for text in ["a lot of the elderly patients dont drive so we go to them",
                 "his wife doesn't drive and the bus is every two hours"]:
        assert not any(s.type == "LOCATION" and "drive" in s.text for s in det.detect_text(text))
    text = "she lives at forty one kestrel drive near the park"
    assert type_at(det, text, "kestrel drive") == "LOCATION"


def test_condition_named_after_a_person_is_no_organisation(det: Detector) -> None:
    text = "Her dad was diagnosed with Parkinson's in the spring."
    assert _orgs(det, text) == []


def test_spoken_postcode_with_a_pause_between_its_halves(det: Detector) -> None:
    text = "the clinic moved, the postcode is c f ten, four b n now"
    assert type_at(det, text, "c f ten, four b n") == "POSTCODE"
    assert not any(s.type == "POSTCODE" for s in det.detect_text(
        "there were six, seven of us on the shift"))


def test_bracketed_row_labels_are_no_id(det: Detector) -> None:
    text = ("[R-0101] Role = Porter. Parking is a nightmare.\n"
            "[R-0102] Role = HCA. My staff number is HX40021 if you need it.\n"
            "[R-0103] Role = Nurse. Fine.\n")
    found = {s.text: s.type for s in det.detect_text(text)}
    assert not any(k.startswith("R-01") for k in found)
    assert found.get("HX40021") == "ID"


def test_unit_at_a_line_end_takes_no_label(det: Detector) -> None:
    text = "she had a fall on the unit\na1 (00:02:10): and then what happened"
    assert not any(s.text.startswith("unit") for s in det.detect_text(text))
