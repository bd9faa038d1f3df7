"""Issue 12 (session 11, organisations): wards and units named by a code ("on d eight", "on P3",
"on 3 South", "h four and h five"), initialisms said letter by letter in lower case ("the n and
n", "r d and e", "the j p"), lower-case care agencies ("from coastal care") and homes and sites
("at mulberry house", "at forest bank"), and more one-word sites ("to the jubilee"). Each with
what must stay unflagged. Sentences invented here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from detect_helpers import type_at


def _orgs(det: Detector, text: str) -> list[str]:
    return [s.text for s in det.detect_text(text) if s.type == "ORGANISATION"]


def test_unit_codes_said_where_someone_works(det: Detector) -> None:
    cases = [("i work on d eight most weeks now", "d eight"),
             ("the new matron on s eleven rang me", "s eleven"),
             ("I'm a housekeeper on P3, the neuro ward.", "P3"),
             ("Ravi is on D6 today and Sam floats.", "D6"),
             ("She was a ward clerk on 3 South for years.", "3 South"),
             ("The pharmacist on 6D signed it off.", "6D"),
             ("and the lists on h four and h five in the morning", "h five"),
             ("she went to t5 on the friday", "t5")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_codes_that_are_no_unit_stay_unflagged(det: Detector) -> None:
    for text in ["we went on the m six and he's on b twelve injections",
                 "i was on a four hour wait in the department",
                 "She was on F1 rotation and answers to Q12 were short.",
                 "We moved the phones on 5G last year.",
                 "He's on B12 and D3 from the GP.",
                 "the meeting is at 5 pm on Level 3"]:
        assert _orgs(det, text) == [], text


def test_initialisms_said_letter_by_letter(det: Detector) -> None:
    cases = [("and if it's bad they go to the n and n in norwich", "n and n"),
             ("and the r d and e up in exeter", "r d and e"),
             ("the p and k council rate is not enough", "p and k council"),
             ("she was at the j p in gorleston for years", "j p")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_letter_pairs_that_name_no_organisation(det: Detector) -> None:
    for text in ["she came in to a and e and waited",
                 "the r and d manager signed it",
                 "his prison number ended d k and i wrote it down",
                 "the g p said the i t people would ring",
                 "the f y one asked me for bloods"]:
        assert _orgs(det, text) == [], text


def test_lower_case_care_agencies(det: Detector) -> None:
    cases = [("the carers that came were from coastal care and they were fine", "coastal care"),
             ("i was a support worker with hafod care before", "hafod care"),
             ("one provider evergreen community care recruits from abroad",
              "evergreen community care")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_kinds_of_care_are_no_agency(det: Detector) -> None:
    for text in ["she needs wound care and social care from the district nurses",
                 "he went for respite care and then into intensive care",
                 "they do a lot of mouth care with pressure care on nights"]:
        assert _orgs(det, text) == [], text


def test_lower_case_homes_and_sites_named_with_ordinary_words(det: Detector) -> None:
    cases = [("i was a care assistant at red house the nursing home", "red house"),
             ("the tier four beds at sunflower house are full", "sunflower house"),
             ("before that i was at forest bank in salford", "forest bank"),
             ("the deputy at ferry view is brilliant", "ferry view")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_ordinary_houses_parks_and_banks_stay_unflagged(det: Detector) -> None:
    for text in ["we parked in the car park and went back to my house",
                 "they moved to a council house near the town hall",
                 "i do bank at weekends and he was at the crown court"]:
        assert _orgs(det, text) == [], text


def test_more_one_word_sites_said_as_a_place_of_work(det: Detector) -> None:
    assert type_at(det, "he was transferred to the jubilee.", "jubilee") == "ORGANISATION"
    assert type_at(det, "she came over from the knoll", "knoll") == "ORGANISATION"
    assert type_at(det, "we walked down to the vale of the river", "vale") is None


def test_ward_codes_with_a_letter_a_or_a_wing(det: Detector) -> None:
    cases = [("the roof's been leaking into ward five a since january", "ward five a"),
             ("we had a man on ward c four west in december", "ward c four west"),
             ("my cousin is a staff nurse on ward a four and he says come", "ward a four")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text
    spans = _orgs(det, "i was on ward five a lot of the time and on ward seven a few weeks")
    assert spans == ["ward five", "ward seven"]


def test_listed_sites_said_in_lower_case_without_a_cue(det: Detector) -> None:
    assert type_at(det, "mine was part of forth valley the mental health unit",
                   "forth valley") == "ORGANISATION"
    assert type_at(det, "she came over from the freeman and stayed", "freeman") == "ORGANISATION"


def test_lower_case_practices_named_before_what_they_are(det: Detector) -> None:
    cases = [("i trained at rookery dental in newmarket", "rookery dental"),
             ("the practice manager at um the avenue surgery in southall", "avenue surgery")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_kinds_of_practice_and_surgery_stay_unflagged(det: Detector) -> None:
    for text in ["the dentist from the community dental and then day surgery",
                 "he is recovering from knee surgery at home",
                 "she was at the surgery and rang the pharmacy and the health centre"]:
        assert _orgs(det, text) == [], text


def test_a_speakers_label_after_a_cue_is_no_unit(det: Detector) -> None:
    text = ("s1 (00:02:05): and the hospitals you take people to\n"
            "s2 (00:02:08): mainly the royal\ns1 (00:02:10): and\ns2 (00:02:12): aye\n")
    assert "s2" not in _orgs(det, text)
