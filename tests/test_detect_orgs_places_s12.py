"""Issue 12 (session 12, organisations, places, dates): halls, wings and blocks named by a
letter, unit codes in a list, names given as examples of a kind of organisation, shops and
pubs said as a surname with 's, a town's part ("east Kent", "Wicklow town"), day and month
without the year beside a time, bank holidays. Each with what must stay unflagged.
Sentences invented here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from detect_helpers import type_at


def _typed(det: Detector, text: str, typ: str) -> list[str]:
    return [s.text for s in det.detect_text(text) if s.type == typ]


def test_halls_wings_and_blocks_named_by_a_letter(det: Detector) -> None:
    cases = [("the officers on b hall and f hall were short again", "f hall"),
             ("we start in a hall then c hall before lunch", "a hall"),
             ("My brother did two years on D Wing.", "D Wing"),
             ("the x ray is past the shop in block c and up the stairs", "block c")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_an_article_before_hall_or_block_is_no_letter(det: Detector) -> None:
    for text in ["we lived in a block of flats by the river for years",
                 "they hired a hall for the party and a wing was closed",
                 "i booked a hall in town"]:
        assert _typed(det, text, "ORGANISATION") == [], text


def test_unit_codes_listed_after_a_ward_code(det: Detector) -> None:
    text = "i float between ward c3 c4 and h2 most days"
    assert type_at(det, text, "c4") == "ORGANISATION"
    assert type_at(det, text, "h2") == "ORGANISATION"
    assert type_at(det, "she sends the bloods up from f9 at night", "f9") == "ORGANISATION"


def test_foundation_years_are_no_unit_code(det: Detector) -> None:
    for text in ["he starts as an f1 in august and f2 after that",
                 "i was on f2 rotation in the summer"]:
        assert _typed(det, text, "ORGANISATION") == [], text


def test_names_given_as_examples_of_a_kind_of_organisation(det: Detector) -> None:
    cases = [("we get staff from an agency like bramble or kestrel when short", "kestrel"),
             ("Smaller providers like Larkfield and Harewood Homecare pay better.", "Larkfield"),
             ("the charities like lantern do the food parcels", "lantern")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_like_without_a_name_after_a_kind_of_organisation(det: Detector) -> None:
    for text in ["agencies like that are the worst for it",
                 "a company like ours never pays on time",
                 "firms like the big ones take all the staff"]:
        assert _typed(det, text, "ORGANISATION") == [], text


def test_shops_and_pubs_said_as_a_surname_with_s(det: Detector) -> None:
    cases = [("We met outside Brannigan's after the match.", "Brannigan's"),
             ("Item 4 ; Counter assistant ; Dunleavy's, Castlebar", "Dunleavy's"),
             ("She got the paint from Quigley's Hardware on the corner.", "Quigley's Hardware")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_possessives_that_name_no_shop(det: Detector) -> None:
    for text in ["My dad has Parkinson's and it is getting worse.",
                 "It was the Council's fault, not the school's.",
                 "She took Brannigan's car to the station."]:
        assert not any("'s" in t for t in _typed(det, text, "ORGANISATION")), text


def test_a_towns_part_is_part_of_the_place(det: Detector) -> None:
    assert type_at(det, "She moved to east Kent after the course.", "east Kent") == "LOCATION"
    assert type_at(det, "They found him in Tipperary town that night.",
                   "Tipperary town") == "LOCATION"


def test_day_and_month_beside_a_time_or_after_on(det: Detector) -> None:
    assert type_at(det, "Okafor, Ruth  12/04 08:15\nmorning all", "12/04") == "DATE"
    assert type_at(det, "the audit is due on 21/6 so be ready", "21/6") == "DATE"
    assert type_at(det, "We have the Whit Monday rota to sort.", "Whit Monday") == "DATE"
    assert type_at(det, "it flooded over the May bank holiday", "May bank holiday") == "DATE"


def test_fractions_and_scores_are_no_date(det: Detector) -> None:
    for text in ["she scored 7/10 on the quiz", "about 3/4 of the ward were off",
                 "we were on 2/3 staffing all week"]:
        assert _typed(det, text, "DATE") == [], text


def test_an_ambulance_service_said_without_service(det: Detector) -> None:
    assert type_at(det, "If the Scottish Ambulance come out, they take her in.",
                   "Scottish Ambulance") == "ORGANISATION"
    assert type_at(det, "i did six years with north yorkshire ambulance before this",
                   "north yorkshire ambulance") == "ORGANISATION"
    assert _typed(det, "we rang for an ambulance and the ambulance crew came",
                  "ORGANISATION") == []


def test_two_areas_after_the_name_the_body_that_covers_them(det: Detector) -> None:
    text = "The referrals all go through the ICB, Dorset and Wiltshire, in the end."
    assert type_at(det, text, "Dorset and Wiltshire") == "ORGANISATION"
    assert type_at(det, "We cover the Dorset and Wiltshire area from the one office.",
                   "Dorset and Wiltshire") != "ORGANISATION"


def test_a_forms_field_for_the_place_of_work(det: Detector) -> None:
    text = ("Interview 4 of 12. The answers were typed by the researcher.\n"
            "Role: Dental nurse\nWhere: Sunny Teeth, Pontefract\nStarted: last year\n")
    assert type_at(det, text, "Sunny Teeth") == "ORGANISATION"
    text = ("Interview 5 of 12. The answers were typed by the researcher.\n"
            "Role: Dental nurse\nWhere: community dental service\n")
    assert _typed(det, text, "ORGANISATION") == []


def test_a_firm_called_gives_its_name(det: Detector) -> None:
    assert type_at(det, "they sent us on a course from a firm called blue heron in march",
                   "blue heron") == "ORGANISATION"


def test_bodies_named_by_their_place(det: Detector) -> None:
    cases = [("for the low moods theres bolton mind and the gp", "bolton mind"),
             ("the dinners are at the old street mosque on fridays", "old street mosque"),
             ("The charity is national, but the Grantham branch runs itself.", "Grantham branch"),
             ("my granda drank at the ashington miners welfare", "ashington miners welfare"),
             ("then citizens advice kirklees helped with the forms", "citizens advice kirklees")]
    for text, part in cases:
        assert type_at(det, text, part) == "ORGANISATION", text


def test_a_place_before_an_ordinary_word_names_no_body(det: Detector) -> None:
    for text in ["i always keep bolton in mind when we plan",
                 "we go to the church in bolton on sundays",
                 "she has a branch of the family in wigan"]:
        assert _typed(det, text, "ORGANISATION") == [], text


def test_spoken_postcodes_and_lower_case_eircodes(det: Detector) -> None:
    assert type_at(det, "and the letters go to the unit, ls nine seven tf. thanks",
                   "ls nine seven tf") == "POSTCODE"
    assert type_at(det, "and the eircode is a65 f4e2, if you need it",
                   "a65 f4e2") == "POSTCODE"
    assert _typed(det, "we start at nine at the gate and eat at seven up the road",
                  "POSTCODE") == []


def test_who_someone_drives_or_cleans_for(det: Detector) -> None:
    assert type_at(det, "her son drives for swiftline coaches out of perth",
                   "swiftline") == "ORGANISATION"
    for text in ["he used to drive for miles just to see her",
                 "she drives for the kids every morning", "i cleaned for pennies back then"]:
        assert _typed(det, text, "ORGANISATION") == [], text


def test_a_clock_number_is_an_id(det: Detector) -> None:
    assert type_at(det, "one man, clock number 52816, was there thirty years",
                   "52816") == "ID"


def test_a_post_with_s_is_no_shop(det: Detector) -> None:
    assert _typed(det, "The Carer's letter came on time, and the Nurse's too.",
                  "ORGANISATION") == []


def test_names_joined_to_a_ward(det: Detector) -> None:
    text = "the bloods on ward four and heron and kestrel then back down"
    assert type_at(det, text, "heron") == "ORGANISATION"
    assert type_at(det, text, "kestrel") == "ORGANISATION"
    for text in ["i was on ward nine and recovery after that",
                 "on ward five and thats where i met her",
                 "ward six and nights on the bank"]:
        assert [t for t in _typed(det, text, "ORGANISATION") if "ward" not in t] == [], text
