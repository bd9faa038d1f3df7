"""Issue 12 (session 8): postcodes, IDs, phones and e-mails as people say or write them.

Positives and decoys of our own (every number, code and address is invented; none is taken from
an annotated set), through the real rules-only Detector: outcodes said in part, Irish Eircode
routing keys and Dublin districts, codes read as letters and digits, Scotland's CHI and Northern
Ireland's H&C numbers, dialling codes, addresses with made-up domains or said in pieces - and
the numbers that are none of these (doses, grades, wards, times, table rows).
"""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector
from test_detect_generic import covered

GRAMMAR = {"DATE", "POSTCODE", "ID", "PHONE", "EMAIL", "NHS_NUMBER"}


def typed(det: Detector, text: str, part: str) -> set[str]:
    """The types of the spans that overlap ``part``."""
    start = text.index(part)
    end = start + len(part)
    return {s.type for s in det.detect_text(text) if s.start < end and start < s.end}


@pytest.mark.parametrize("text, code", [
    # postcodes said in part, the rest forgotten or corrected
    ("p: we're on mill lane s k four three something i never remember the rest", "s k four three"),
    ("r: my postcode is n e six one no i'll text it you", "n e six one"),
    ("q: where did you grow up\nr: i grew up in b nine mostly", "b nine"),
    ("p: the depot is t s one seven and then i drive out", "t s one seven"),
    # Ireland
    ("R: Post it to F92 KX3P. Most of Letterkenny is F92 anyway.", "F92"),
    ("Nurse: We moved out to Dublin 24 when the kids came.", "Dublin 24"),
    ("p: she lives in dublin eleven near the shops", "dublin eleven"),
    # the area as one token ("ls nine") or typed with a space ("CF 24")
    ("p: we moved out to wf ten when the baby came", "wf ten"),
    ("p: the depot's over in bt twelve by the motorway", "bt twelve"),
    ("Respondent: We're both in NG 7, the students' end.", "NG 7"),
    ("p: it's s k nine four r x no four r w sorry", "four r w"),
    ("p: she's out in wn5 now near the park", "wn5"),
])
def test_postcodes_said_in_part(det: Detector, text: str, code: str) -> None:
    assert covered(det, text, code)
    assert "POSTCODE" in typed(det, text, code)


@pytest.mark.parametrize("text, code, typ", [
    ("p: they logged it on datix a c two two seven one four nine",
     "a c two two seven one four nine", "ID"),
    ("P: Her CHI is 1503874412, it's on the letter.", "1503874412", "ID"),
    ("p: my h and c number is four one two oh eight eight three five six one",
     "four one two oh eight eight three five six one", "ID"),
    ("p: it's a belfast number oh two eight nine and then i forget", "oh two eight nine", "PHONE"),
    ("Participant: write to m.okafor@community.trust.local if you want it.",
     "m.okafor@community.trust.local", "EMAIL"),
    ("p: the address is north dot tees dot bereavement team at nhs dot net",
     "north dot tees dot bereavement team at nhs dot net", "EMAIL"),
    ("p: his nhs number is six one two, four four eight, nine oh one seven",
     "six one two, four four eight, nine oh one seven", "NHS_NUMBER"),
    ("P: The flat's postcode is m14 6pl, near the park.", "m14 6pl", "POSTCODE"),
    ("p: my eircode is k thirty two w x four seven", "k thirty two w x four seven", "POSTCODE"),
    ("p: ring me plus four four seven seven double oh nine oh oh six one two",
     "plus four four seven seven double oh nine oh oh six one two", "PHONE"),
    ("p: just ask switchboard for bleep four one seven", "four one seven", "PHONE"),
    ("Participant: My Irish mobile is +353 86 555 0192.", "+353 86 555 0192", "PHONE"),
    ("Participant: Office is 0161.496.0871, any time.", "0161.496.0871", "PHONE"),
    ("p: it's amara osei all one word at outlook dot com",
     "amara osei all one word at outlook dot com", "EMAIL"),
    ("Participant: Or +44 (0)161 496 0871 from abroad.", "+44 (0)161 496 0871", "PHONE"),
    ("p: text me on seven seven double oh nine oh oh three one two",
     "seven seven double oh nine oh oh three one two", "PHONE"),
    ("P: My extension is 5521 if the desk is empty.", "5521", "PHONE"),
    ("P: I put in a complaint, 6619204, and heard nothing.", "6619204", "ID"),
    ("P: Payroll wanted my national insurance, JT 40 11 72 B, again.", "JT 40 11 72 B", "ID"),
    ("P: My badge number ends in 3390, if security ask.", "3390", "ID"),
    ("P: The police gave me a crime reference, 14/55102/22, weeks later.", "14/55102/22", "ID"),
    ("p: the job ref is k l dash i n c dash two two four one",
     "k l dash i n c dash two two four one", "ID"),
    ("p: my pps number is eight eight one two three four five w a.",
     "eight eight one two three four five w a", "ID"),
])
def test_codes_phones_and_addresses(det: Detector, text: str, code: str, typ: str) -> None:
    assert covered(det, text, code)
    assert typ in typed(det, text, code)


@pytest.mark.parametrize("text, part", [
    ("I'm a PO5 on the council scale, not a band.", "PO5"),
    ("The scan showed ST 2 changes, so cardiology came.", "ST 2"),
    ("p: give it to me two at a time", "me two"),
    ("p: i was in hr two years", "hr two"),
    ("p: we took the a1 then the m6 up", "a1"),
    # cue words count only as whole words: "pin" is not in "opinion", "ref" not in "referral"
    ("In my opinion 2350 was too many for one team.", "2350"),
    ("After the referral they saw 4471 people that year.", "4471"),
    ("Groups G1-G4 met on Tuesdays.", "G1"),
    ("The session ran 14:30-16:00 in the mess room.", "30-16"),
    ("She's an 84-yr-old lady on the list.", "84-yr-old"),
    ("Give 20mg of the B12 at night.", "20mg"),
    ("He's on ward twenty two now.", "twenty two"),
    ("we do one on one sessions with them", "one on one"),
    ("at oh two hundred the alarm went", "oh two hundred"),
    ("We take the A14 then the M11 in.", "A14"),
    ("The new build cost £2400000 in the end.", "2400000"),
    ("a catchment of 310000 people across the valleys", "310000"),
    ("she's got the new Galaxy22 phone now", "Galaxy22"),
])
def test_number_decoys_are_not_codes(det: Detector, text: str, part: str) -> None:
    assert not typed(det, text, part) & GRAMMAR


def test_survey_row_numbers_are_not_references(det: Detector) -> None:
    rows = "\n".join(f"ref {n:04d} | Nursing | {n % 4 + 1} | answer about the placement"
                     for n in range(12, 17))
    text = "Placement survey export.\n" + rows + "\nMy staff number is 00394412."
    for n in range(12, 17):
        assert "ID" not in typed(det, text, f"ref {n:04d}"), n
    assert "ID" in typed(det, text, "00394412")  # a real cue still gives an ID


def test_a_financial_year_is_a_date_not_a_reference(det: Detector) -> None:
    text = "P: The reference period was 2021/22 in the report."
    assert typed(det, text, "2021/22") == {"DATE"}
