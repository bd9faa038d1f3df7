"""Issue 12 (session 5): organisations and ID numbers said in passing.

Each rule family through the real Detector, with positives and negatives of our own (every
organisation, person and number here is invented for the test, none taken from an annotated
set). Entity recall needs every word of a name covered, so most checks use ``covered``.
"""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector
from anonyscribe.detect.text import is_cased, tokenize
from test_detect_generic import covered, untouched
from test_detect_generic import spans as found


# -- organisations where a workplace is said ----------------------------------------------
@pytest.mark.parametrize("text, org", [
    ("Most weekends I do sessions with Lighthouse, the youth service.", "Lighthouse"),
    ("I got a lot of help from Quiet Harbour when I left.", "Quiet Harbour"),
    ("There is a little charity called Second Kettle that does the bereavement groups.",
     "Second Kettle"),
    ("Young carers go to Bluebell for respite.", "Bluebell"),
])
def test_capitalised_name_in_a_workplace_slot(det: Detector, text: str, org: str) -> None:
    assert covered(det, text, org)


def test_workplace_slot_negatives(det: Detector) -> None:
    text = ("I moved to Wakefield in June and went to Teams meetings on Mondays. "
            "It's for Bands 6 and above. Suddenly I was alone.")
    for part in ("June", "Teams", "Mondays", "Bands", "Suddenly I"):
        assert found(det, text).get(part) != "ORGANISATION", part
    assert untouched(det, "We talk to the families through WhatsApp now.", "WhatsApp")
    assert untouched(det, "The deputy I've worked with is great, look at who's leading.", "who's")
    assert untouched(det, "I got a letter from Boots about it.", "Boots")
    assert untouched(det, "He was moved to the Neonatal ICU overnight.", "Neonatal")


def test_unknown_lower_case_brand_after_at(det: Detector) -> None:
    text = "Before that I was a receptionist at smilebright in Carlisle."
    assert found(det, text).get("smilebright") == "ORGANISATION"
    # a word missing from the dictionary after "for the" is not a brand
    text = "The board paid for the backfill in the end."
    assert found(det, text).get("backfill") != "ORGANISATION"


def test_capitalised_run_holding_a_town(det: Detector) -> None:
    text = "The drop-in is run on Fridays. Carlisle Refugee Welcome host it in the church hall."
    assert covered(det, text, "Carlisle Refugee Welcome")
    text = "Volunteers come through Community Action Kendal mostly."
    assert covered(det, text, "Community Action Kendal")
    # a place of two words is a place, not an organisation
    text = "She lives in Sutton Coldfield now."
    assert found(det, text).get("Sutton Coldfield") == "LOCATION"


def test_title_case_run_with_small_words(det: Detector) -> None:
    text = "The housing side goes through Hands Across The Valley, a small charity."
    assert covered(det, text, "Hands Across The Valley")


def test_names_joined_by_and_and_extended(det: Detector) -> None:
    text = "We use Larchfield Staffing and Pennant Nurses and both cost a fortune."
    assert covered(det, text, "Pennant Nurses")
    text = "Families are referred to the Hollins Hospice Penrith for day care."
    assert covered(det, text, "Hollins Hospice Penrith")
    # a sentence after a name stays out of it
    text = "I worked at Larchfield Staffing. Then I moved on."
    assert found(det, text).get("Larchfield Staffing") == "ORGANISATION"
    assert untouched(det, text, "Then")


def test_hospital_named_after_a_royal(det: Detector) -> None:
    text = "I did six months at the Princess Beatrice, on the surgical side."
    assert covered(det, text, "Princess Beatrice")
    assert untouched(det, "Princess Beatrice visited the ward once.", "Princess")


def test_military_units_and_barracks(det: Detector) -> None:
    text = "I served with 4 Field Hospital Regiment and was based at Carlisle barracks."
    assert covered(det, text, "4 Field Hospital Regiment")
    assert covered(det, text, "Carlisle barracks")


def test_a_found_organisation_is_found_again(det: Detector) -> None:
    text = ("He was admitted to Lapwing Hospital Harrogate for months. "
            "Lapwing were fine about it. I'm an advocate with Bracken. "
            "On paper, Bracken is just the brand.")
    got = [(s.text, s.type) for s in det.detect_text(text)]
    assert got.count(("Bracken", "ORGANISATION")) == 2
    assert ("Lapwing", "ORGANISATION") in got
    # a lower-case guess made of dictionary words is not spread over the text
    text = ("the contract is held by lantern and then later the lantern in the hall broke "
            "and the lantern was gone")
    lanterns = [s for s in det.detect_text(text) if s.text == "lantern"]
    assert len(lanterns) <= 1


# -- lower case -------------------------------------------------------------------------------
def test_lower_case_guess_after_a_strong_cue(det: Detector) -> None:
    assert covered(det, "the day centre is run by the quiet fox and it's lovely", "quiet fox")
    assert covered(det, "the contract's with pelham so we get paid late", "pelham")
    assert untouched(det, "i worked for years on nights and it was run by the council",
                     "years")
    assert untouched(det, "i worked for years on nights and it was run by the council",
                     "council")


def test_lower_case_council_with_and(det: Detector) -> None:
    text = "we're commissioned by kendal and south lakeland council now"
    assert covered(det, text, "kendal and south lakeland council")


def test_lower_case_school_and_house(det: Detector) -> None:
    text = "i cover st aidan's catholic primary and then there's lindow house for the older ones"
    assert covered(det, text, "st aidan's catholic primary")
    assert covered(det, text, "lindow house")
    assert untouched(det, "we stayed in the house all day and the primary was shut", "house")


# -- IDs ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("My payroll number is Q0093317 if you need it.", "Q0093317"),
    ("The incident was logged as KX-INC-55102 on the system.", "KX-INC-55102"),
    ("You're participant TR-044 in our records.", "TR-044"),
    ("The case reference is ADS-0071934.", "ADS-0071934"),
])
def test_written_letter_digit_codes(det: Detector, text: str, code: str) -> None:
    assert found(det, text).get(code) == "ID"


def test_letter_digit_code_without_cue_is_a_low_guess(det: Detector) -> None:
    spans = {s.text: s for s in det.detect_text("He wrote Z4481902 on the back of the form.")}
    assert spans["Z4481902"].type == "ID" and spans["Z4481902"].score < 0.5


def test_letter_digit_negatives(det: Detector) -> None:
    text = ("After covid-19 I did a 12-hour shift on the 4th at 10am, gave 20mg, "
            "then my FY2 year in the 1990s off the M62.")
    for part in ("covid-19", "12-hour", "10am", "20mg", "1990s", "M62"):
        assert found(det, text).get(part) != "ID", part


def test_spoken_code_starting_with_a(det: Detector) -> None:
    text = "and his prison number was a seven seven one two f k and we had to"
    assert covered(det, text, "a seven seven one two f k")
    assert untouched(det, "it was a four hour wait and then a two day course", "a four")


def test_shop_possessive_numbered_committee_and_college_initials(det: Detector) -> None:
    assert covered(det, "Before nursing I was a cashier at Pennington's. Then uni.", "Pennington's")
    assert covered(det, "The study went through Mercia REC 3 in the spring.", "Mercia REC 3")
    assert covered(det, "I did my access course in Tralee IT before moving.", "Tralee IT")
    # a grade after a plural word stays out
    assert found(det, "It's only open to Bands 6 and above.").get("Bands") != "ORGANISATION"


def test_lower_case_guess_is_found_again_only_where_a_workplace_is_said(det: Detector) -> None:
    text = ("the contract is held by lantern community health and later the manager at "
            "lantern rang me about the lantern in the garden")
    spans = [(s.start, s.text) for s in det.detect_text(text)]
    at = text.index("at lantern") + 3
    assert (at, "lantern") in spans
    garden = text.index("the lantern in") + 4
    assert all(s != garden for s, _ in spans)


def test_ordinary_word_university_after_through(det: Detector) -> None:
    assert covered(det, "we do our training through edge hill and it's fine", "edge hill")


def test_name_before_what_kind_of_organisation_it_is(det: Detector) -> None:
    assert covered(det, "then he went to lantern the homeless charity for a bed", "lantern")
    assert covered(det, "We sent him to Kindling, the youth charity, in the end.", "Kindling")
    # no cue before the words: a verb, not a name; "a working group" is no organisation
    assert untouched(det, "i rang the agency and nobody answered", "rang")
    assert untouched(det, "and then onto a working group about retention", "onto")


def test_name_said_to_be_an_organisation(det: Detector) -> None:
    assert covered(det, "the agency was pulse and they paid weekly", "pulse")
    assert covered(det, "The agency was Tidewater, based in town.", "Tidewater")
    assert covered(det, "I worked in the Co-op on Saturdays.", "Co-op")
    assert untouched(det, "the agency was fine and the practice is closed", "fine")
    assert untouched(det, "the agency was fine and the practice is closed", "closed")


@pytest.mark.parametrize("text, code", [
    ("the case number was twenty twenty three slash oh four four one ok",
     "twenty twenty three slash oh four four one"),
    ("it was logged as w e b four four one two on the system", "w e b four four one two"),
    ("the study id was p zero seven and that's it", "p zero seven"),
    ("I'm participant P07 in the study.", "P07"),
    ("my hcpc is p a one one four four seven if you need it", "p a one one four four seven"),
])
def test_more_spoken_and_short_codes(det: Detector, text: str, code: str) -> None:
    assert covered(det, text, code)


def test_short_code_needs_a_cue_right_before(det: Detector) -> None:
    got = found(det, "We went up the A12 and then the B1078 later, then onto the M6.")
    assert all(got.get(road) != "ID" for road in ("A12", "B1078", "M6"))
    got = found(det, "the room was c twelve and the bus was a forty two")
    assert "ID" not in got.values()


def test_listed_name_joined_to_a_found_one_in_lower_case(det: Detector) -> None:
    assert covered(det, "i was at hairmyres then good hope for a year", "good hope")
    # with nothing found before it, an ordinary-word listed name stays a phrase
    assert untouched(det, "we live in good hope that it works", "good hope")


def test_staff_network_after_its_initials(det: Detector) -> None:
    assert covered(det, "I chair the REACH network at the trust.", "REACH network")
    assert found(det, "The NHS network is big.").get("NHS network") is None


def test_ward_codes_with_longer_numbers(det: Detector) -> None:
    got = found(det, "We met on Ward B512 and moved to Ward K7C later.")
    assert got.get("Ward B512") == "ORGANISATION"
    assert got.get("Ward K7C") == "ORGANISATION"
    assert found(det, "The ward is quiet at night.").get("ward") is None


def test_more_id_cues(det: Detector) -> None:
    assert found(det, "My student number was 1180442 back then.").get("1180442") == "ID"
    assert found(det, "Her crime number is 4471 if it helps.").get("4471") == "ID"
    assert found(det, "We had 4471 students in 2019.").get("4471") != "ID"


def test_area_or_listed_name_joined_in_lower_case(det: Detector) -> None:
    assert covered(det, "i was at nhs lothian then nhs tayside then fife", "fife")
    assert covered(det, "i used to work at the lgi and the jimmy's", "jimmy's")
    assert untouched(det, "i was at the lgi and then i went home", "home")


def test_listed_possessive_name_after_at(det: Detector) -> None:
    assert covered(det, "i did my rotation at tommy's and loved it", "tommy's")


def test_lower_case_body_takes_the_words_after_it(det: Detector) -> None:
    text = "i was at the royal berkshire hospital foundation trust for years"
    assert covered(det, text, "royal berkshire hospital foundation trust")
    assert untouched(det, text, "years")


def test_unknown_initialism_opening_a_sentence(det: Detector) -> None:
    text = "We applied in May. QVUHB took four months to reply."
    assert found(det, text).get("QVUHB") == "ORGANISATION"
    # national bodies and short everyday capitals stay alone
    assert untouched(det, "Last year. MHRA took four months to reply.", "MHRA")
    assert found(det, "Last year. ASAP was all it said.").get("ASAP") != "ORGANISATION"


# -- ORGANISATION (session 6): sites said in passing -----------------------------------------
@pytest.mark.parametrize("text, org", [
    ("then i moved to royal harrogate for two years", "royal harrogate"),
    ("She trained at Royal Derby before coming here.", "Royal Derby"),
    ("speaker 2: there was a sister from dr jenner's who helped", "dr jenner's"),
    ("He was transferred over to Sir Ambrose's in the end.", "Sir Ambrose's"),
    ("We spent the evening at Clementine's across the river.", "Clementine's"),
])
def test_site_said_in_passing(det: Detector, text: str, org: str) -> None:
    assert found(det, text).get(org) == "ORGANISATION"


def test_royal_towns_stay_towns(det: Detector) -> None:
    got = found(det, "She grew up in Royal Wootton Bassett and moved away.")
    assert got.get("Royal Wootton Bassett") == "LOCATION"


def test_lower_case_employer_after_a_post_for(det: Detector) -> None:
    text = "speaker 2: i'm a care coordinator for silver linnet we cover the villages"
    assert covered(det, text, "silver linnet")
    for text, part in (("speaker 2: i'm a nurse for older people now", "older"),
                       ("speaker 2: i'm a carer for my dad", "dad"),
                       ("speaker 2: i was a nurse for children with asthma", "children")):
        assert untouched(det, text, part), text


# -- casing (session 6): a survey with a few lower-case answers is still cased text -----------
def test_mixed_case_survey_is_read_as_cased(det: Detector) -> None:
    survey = ("Respondent 1: Senior carer with Tindleford Homecare, nights mainly.\n\n"
              "Respondent 2: im a driver and i do the rounds\n\n"
              "Respondent 3: Half our staff came through Marrowby Care Partners from Kerala.\n")
    assert is_cased(tokenize(survey))
    assert covered(det, survey, "Marrowby Care Partners")
    asr = ("speaker 1: so i was at the Hub that day\n"
           + "speaker 2: and then i went home and i rang my mum and she said come over\n" * 3)
    assert not is_cased(tokenize(asr))
