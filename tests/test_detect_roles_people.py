"""Issue 12 (session 5): posts, word-names, places and months said in passing.

Each rule family through the real Detector with positives and negatives of our own (names,
places and posts invented here, none taken from any annotated set).
"""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector
from test_detect_generic import covered, untouched
from test_detect_generic import spans as found


# -- ROLE: a post with two fields joined by "and" -------------------------------------------
@pytest.mark.parametrize("text, role", [
    ("i work with tobiah he's a speech and language therapist on the stroke unit",
     "speech and language therapist"),
    ("Our health and safety officer, Marguerite, checked the fire doors.",
     "health and safety officer"),
])
def test_title_with_two_fields(det: Detector, text: str, role: str) -> None:
    assert found(det, text).get(role) == "ROLE"


def test_two_posts_joined_by_and_stay_two(det: Detector) -> None:
    got = found(det, "Ngozi and district nurse Halloran went out together.")
    assert got.get("Ngozi") == "PERSON"
    assert "Ngozi and district nurse" not in got


# -- ROLE: bare post said of its holder ------------------------------------------------------
@pytest.mark.parametrize("text, role", [
    ("On the night shift the sister said we had to wait.", "sister"),
    ("if you need a bed you ring the registrar and wait", "registrar"),
    ("Matron rang me on my day off.", "Matron"),
    ("The consultant is Dr Abiodun, he's fair.", "consultant"),
    ("the physio wendell told me to rest it", "physio"),
    ("I was locked out. Ewan, the locksmith, came at midnight.", "locksmith"),
])
def test_bare_post_said_of_one_person(det: Detector, text: str, role: str) -> None:
    assert covered(det, text, role)


@pytest.mark.parametrize("text, part", [
    ("Nurses are tired and doctors are leaving.", "Nurses"),
    ("My sister said I should apply.", "sister"),
    ("I'd like to be a registrar one day.", "registrar"),
    ("Sister wards across the region share a rota.", "Sister"),
])
def test_generic_posts_and_family_stay_unflagged(det: Detector, text: str, part: str) -> None:
    assert untouched(det, text, part)


def test_cue_with_an_adverb_and_the_new_head(det: Detector) -> None:
    assert covered(det, "I'm also the verger at the parish church.", "verger")
    assert covered(det, "the new head of radiology starts in a fortnight", "head of radiology")
    assert untouched(det, "We were at the head of the queue.", "head")


def test_modifier_at_sentence_start(det: Detector) -> None:
    text = "Respondent 4: Paediatric sonographer, two days a week."
    assert covered(det, text, "Paediatric sonographer")
    text = "Respondent 4: Sending radiographers home early saves money."
    assert untouched(det, text, "Sending")


# -- PERSON: word-names that are also weekdays, months or flagged-never words --------------
@pytest.mark.parametrize("text, name", [
    ("The new porter is Sunday Adeyemi-Cole from Lagos.", "Sunday Adeyemi-Cole"),
    ("On the ward round Sunday said nothing at all.", "Sunday"),
    ("our bank nurse sunday was brilliant with the family", "sunday"),
    ("April Ferreira joined us from the agency.", "April Ferreira"),
])
def test_calendar_word_names_in_name_contexts(det: Detector, text: str, name: str) -> None:
    assert found(det, text).get(name) == "PERSON"


@pytest.mark.parametrize("text, part", [
    ("We met on Sunday and again last Sunday.", "Sunday"),
    ("It rained in April. April said nothing, it was a month.", "rained in April"),
    ("every sunday said the vicar the bells ring", "sunday"),
])
def test_weekdays_and_months_stay_dates_or_nothing(det: Detector, text: str,
                                                   part: str) -> None:
    got = [s for s in det.detect_text(text) if s.type == "PERSON"]
    start = text.index(part)
    assert not any(s.start < start + len(part) and start < s.end for s in got)


def test_word_name_at_sentence_start_with_surname_or_post(det: Detector) -> None:
    assert found(det, "Hope Tshabalala. She trained me.").get("Hope Tshabalala") == "PERSON"
    text = "On Monday I asked. Grace, the practice educator, signed it off."
    assert found(det, text).get("Grace") == "PERSON"
    assert untouched(det, "I looked it up. Grace, the word, means a gift.", "Grace")


def test_lower_case_word_name_after_a_post(det: Detector) -> None:
    text = "participant: and the team lead joy is lovely she sorted the rota"
    assert found(det, text).get("joy") == "PERSON"
    assert untouched(det, "participant: there was no joy in it for the team at all", "joy")


def test_lower_case_line_with_an_acronym_reads_as_lower_case(det: Detector) -> None:
    text = ("Q1. Tell us about your job.\n\nRespondent 6: the sonographer temitope adeleke "
            "got me onto the MRI course\n")
    assert covered(det, text, "temitope adeleke")


# -- LOCATION ------------------------------------------------------------------------------
def test_place_joined_to_a_place(det: Detector) -> None:
    text = "Our patients come from Keswick and Threlkeld mostly."
    assert covered(det, text, "Threlkeld")
    assert "Threlkeld" not in [s.text for s in det.detect_text(text) if s.type == "PERSON"]
    text = "participant: our patients come from keswick and threlkeld mostly"
    assert found(det, text).get("threlkeld") == "LOCATION"
    got = found(det, "She lives in Keswick and Marjorie visits her.")
    assert got.get("Marjorie") != "LOCATION"


def test_lower_case_road_number_and_near_place(det: Detector) -> None:
    text = "participant: we got stuck on the a686 near garrigill green for an hour"
    got = found(det, text)
    assert got.get("a686") == "LOCATION"
    assert covered(det, text, "garrigill green")
    assert untouched(det, "participant: we printed it on a4 paper near enough", "a4")


# -- DATE: a month pinned to one year --------------------------------------------------------
@pytest.mark.parametrize("text, month", [
    ("The post was vacant until October.", "October"),
    ("participant: she's been off since november with her back", "november"),
    ("I applied, in June, and heard nothing.", "June"),
])
def test_pinned_bare_month(det: Detector, text: str, month: str) -> None:
    assert found(det, text).get(month) == "DATE"


@pytest.mark.parametrize("text, part", [
    ("The audit is usually in October and November.", "October"),
    ("Every year in June the students arrive.", "June"),
    ("participant: in may be a bit late", "may"),
])
def test_habitual_months_stay_unflagged(det: Detector, text: str, part: str) -> None:
    assert untouched(det, text, part)


def test_weekday_name_with_surname_is_the_name_again_later(det: Detector) -> None:
    text = ("Our chaplain was Monday Ezeh-Obi. Monday retired in the end. "
            "We still meet on Monday mornings and Monday evening.")
    got = [(s.text, s.start) for s in det.detect_text(text) if s.type == "PERSON"]
    second = text.index("Monday retired")
    assert ("Monday", second) in got
    assert not any(s >= text.index("on Monday") for _, s in got)


def test_two_ordinary_word_places_joined_by_and(det: Detector) -> None:
    text = "participant: i cover the surgeries in poplar and bow most days"
    assert found(det, text).get("poplar") == "LOCATION"
    assert found(det, text).get("bow") == "LOCATION"
    assert untouched(det, "participant: we work in theatres and wards on nights", "wards")


def test_course_named_after_a_post_is_no_post(det: Detector) -> None:
    text = "Maybe the assistant practitioner course next year, if there's money."
    assert untouched(det, text, "assistant practitioner")
    assert covered(det, "She's our assistant practitioner now.", "assistant practitioner")


def test_pinned_month_before_a_new_clause(det: Detector) -> None:
    text = "participant: it's been empty since october the deputy covers it"
    assert found(det, text).get("october") == "DATE"


def test_posts_listed_after_a_cued_post(det: Detector) -> None:
    text = "I was a porter, HCA, and then a phlebotomist for years."
    got = found(det, text)
    assert got.get("HCA") == "ROLE"
    assert got.get("phlebotomist") == "ROLE"  # "for years" is no specialty
    assert untouched(det, "I was a porter and the rest of them laughed.", "rest")


def test_never_listed_word_name_called_out_or_described(det: Detector) -> None:
    text = "interviewer: that's everything\nparticipant: ok\ninterviewer: cheers shona\n"
    assert found(det, text).get("shona") == "PERSON"
    text = "Participant: There's Kayode, and Friday, he's a porter on nights."
    assert found(det, text).get("Friday") == "PERSON"
    assert untouched(det, "We worked Thursday and Friday, it was busy.", "Friday")
    assert untouched(det, "participant: they speak shona at home mostly", "shona")


def test_assessor_is_a_post(det: Detector) -> None:
    assert covered(det, "My practice assessor is Nuala, she's great.", "practice assessor")


def test_word_names_said_as_names(det: Detector) -> None:
    assert found(det, "Participant: Her name was Monday, a lovely lady.").get("Monday") == "PERSON"
    assert found(det, "participant: we call him friday on the ward").get("friday") == "PERSON"
    assert untouched(det, "Participant: The clinic was on Monday, a long day.", "Monday")
    text = "Participant: When I started it was hard. Mercy is our ward clerk, she knows everyone."
    assert found(det, text).get("Mercy") == "PERSON"
    text = "Participant: When I started it was hard. Mercy is a virtue, they say."
    assert untouched(det, text, "Mercy")


def test_possessive_cue_and_nursing_acronyms(det: Detector) -> None:
    got = found(det, "Participant: My aunt's a phlebotomist and Tunde's a CPN in Hull.")
    assert got.get("phlebotomist") == "ROLE"
    assert got.get("CPN") == "ROLE"
    assert untouched(det, "Participant: The ward's a mess and the car's a wreck.", "mess")


def test_weekday_name_after_a_relation(det: Detector) -> None:
    text = "participant: my cousin saturday drove me and we met on saturday at ten"
    got = [(s.text, s.start) for s in det.detect_text(text) if s.type == "PERSON"]
    assert ("saturday", text.index("saturday drove")) in got
    assert ("saturday", text.index("saturday at")) not in got


def test_over_at_a_village_and_street_names(det: Detector) -> None:
    text = "participant: we were over at porthallow all weekend"
    assert found(det, text).get("porthallow") == "LOCATION"
    got = found(det, "Participant: I was born in Truro and she lives on Tregolls Road now.")
    assert got.get("Tregolls Road") == "LOCATION"


def test_year_after_back_in(det: Detector) -> None:
    assert found(det, "participant: we came here way back in eighty two").get(
        "eighty two") == "DATE"
    assert untouched(det, "participant: i'll be back in twenty minutes", "twenty")
    assert untouched(det, "Participant: Back in 12 hours, I promise.", "12")


def test_lower_case_name_ends_a_title(det: Detector) -> None:
    text = "participant: doctor okereke consultant in renal medicine was kind to me"
    got = found(det, text)
    assert got.get("okereke") == "PERSON"
    assert got.get("consultant in renal medicine") == "ROLE"


def test_new_before_a_cued_post(det: Detector) -> None:
    assert found(det, "participant: there's a new anp called femi").get("anp") == "ROLE"
    assert untouched(det, "participant: there's a new rota every week", "rota")


def test_person_named_after_a_place_and_estates_in_lower_case(det: Detector) -> None:
    text = ("Participant: I saw Mr Kendal in clinic and I grew up in Leeds, on the Halton "
            "Moor estate.")
    got = found(det, text)
    assert got.get("Kendal") == "PERSON"
    assert got.get("Halton Moor estate") == "LOCATION"
    assert untouched(det, "Participant: I live in Leeds on a council estate.", "council")


def test_bare_post_at_sentence_start_with_a_speech_verb(det: Detector) -> None:
    text = "Participant: I was new on the unit. Registrar told me to go home."
    assert covered(det, text, "Registrar")
    assert untouched(det, "Participant: I was new. Registrars are busy people.", "Registrars")


def test_wished_post_with_a_band_is_no_post(det: Detector) -> None:
    text = "participant: i'd love to be a band seven ward manager one day"
    assert untouched(det, text, "ward manager")
    text = "participant: then she went on to be a band seven ward manager at the hospice"
    assert covered(det, text, "band seven ward manager")


def test_lower_case_bare_post_opens_a_clause(det: Detector) -> None:
    text = "participant: and registrar said no and every doctor said yes"
    assert covered(det, text, "registrar")
    assert untouched(det, text, "doctor")


def test_bare_post_as_subject_of_a_past_clause(det: Detector) -> None:
    text = "participant: that night the anaesthetist was brilliant and the hca on nights left"
    assert covered(det, text, "anaesthetist")
    assert covered(det, text, "hca")
    assert untouched(det, "Participant: I know the anaesthetist is responsible for it.",
                     "anaesthetist")


def test_on_call_posts_and_grades_as_subject(det: Detector) -> None:
    text = "participant: the on call surgical registrar came and the f2 was lovely"
    assert covered(det, text, "on call surgical registrar")
    assert covered(det, text, "f2")
    assert untouched(det, "Participant: The F1 track is long and I was on call.", "F1")


def test_over_in_a_place_but_back_in_a_month(det: Detector) -> None:
    text = "participant: my sister's over in drumquin now"
    assert found(det, text).get("drumquin") == "LOCATION"
    got = found(det, "Participant: Back in March I moved to Leeds, then back in Truro.")
    assert got.get("March") != "LOCATION"
    assert got.get("Truro") == "LOCATION"


def test_ward_post_with_its_unit(det: Detector) -> None:
    text = "participant: i'm starting as charge nurse on the acute medical unit next month"
    assert found(det, text).get("charge nurse on the acute medical unit") == "ROLE"
    text = "Participant: When I started I was a sister on the ward and loved it."
    assert found(det, text).get("sister") == "ROLE"


def test_post_as_an_attribute_is_no_holder(det: Detector) -> None:
    text = "Participant: The registrar rota changed and the matron role is new."
    assert untouched(det, text, "registrar")
    assert untouched(det, text, "matron")
    assert covered(det, "Participant: I went and asked the registrar.", "registrar")


# -- ROLE (session 6): a post word beside a name the person rules found --------------------
@pytest.mark.parametrize("text, role", [
    ("speaker 2: on our team the deputy is tegwen and she does the rota", "deputy"),
    ("participant: the ot is branwen she comes tuesdays", "ot"),
    ("We were shown round by Tamsin, the trainer. She taught us the hoist.", "trainer"),
    ("The PEF there, Rhiannon, is great with students.", "PEF"),
    ("and the reg on nights, Hallgrim, talked me through it", "reg"),
])
def test_post_beside_a_found_name(det: Detector, text: str, role: str) -> None:
    assert found(det, text).get(role) == "ROLE"


@pytest.mark.parametrize("text, part", [
    ("speaker 2: my manager is tegwen and she does the rota", "manager"),
    ("My tutor is Dr Quillfeather, she marks fairly.", "tutor"),
    ("participant: my sister is branwen she lives nearby", "sister"),
    ("The patient, Hallgrim, was discharged.", "patient"),
])
def test_relationship_and_family_beside_a_name_stay_unflagged(det: Detector, text: str,
                                                              part: str) -> None:
    assert untouched(det, text, part)


# -- ROLE (session 6): a bare post, a phrase about where, then a clause about its holder ----
@pytest.mark.parametrize("text, role", [
    ("The counsellor at the old infirmary was so gentle with us.", "counsellor"),
    ("the optometrist from the mobile team who visited was lovely", "optometrist"),
    ("The tutor on my prescribing course at the college was very fair.", "tutor"),
])
def test_bare_post_with_a_phrase_then_a_clause(det: Detector, text: str, role: str) -> None:
    assert covered(det, text, role)


def test_bare_post_with_a_phrase_but_no_holder(det: Detector) -> None:
    assert untouched(det, "The tutor on a course like that is responsible for marking.",
                     "tutor")
    assert untouched(det, "the tutor in each group is there to help", "tutor")


# -- ROLE (session 6): cue words, grades and titles the grammar missed ------------------------
@pytest.mark.parametrize("text, role", [
    ("Her father had been a shipwright on the Clyde.", "shipwright"),
    ("speaker 2: last year we had an f two who was brilliant", "f two"),
    ("speaker 2: so the oh nurse saw me on the monday", "oh nurse"),
    ("I'm a hospital at home practitioner now.", "hospital at home practitioner"),
    ("our lifting and handling champion was good", "lifting and handling champion"),
    ("The TRiM assessor rang the next day.", "TRiM assessor"),
    ("The nominated individual, Mr Pennycook, signs it off.", "nominated individual"),
])
def test_titles_the_grammar_now_builds(det: Detector, text: str, role: str) -> None:
    assert covered(det, text, role)


@pytest.mark.parametrize("text, part", [
    ("It has been a long week for everyone.", "long week"),
    ("oh I don't know, it was fine", "oh"),
    ("Our base is the specialist dementia care unit in town.", "specialist"),
    ("The team is a nurse led clinic on Fridays.", "nurse"),
])
def test_no_post_in_ordinary_phrases(det: Detector, text: str, part: str) -> None:
    assert untouched(det, text, part)
