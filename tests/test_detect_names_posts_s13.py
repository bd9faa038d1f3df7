"""Issue 12 (session 13): kinds of false names and posts removed - speaker codes, words that
are forms of ordinary words, posts and names run across a line, posts as labels. Names and
sentences invented here."""

from __future__ import annotations

from anonyscribe.core.model import Span
from anonyscribe.detect.engine import Detector
from anonyscribe.detect.tags import abbreviates, code_tags, is_generic
from detect_helpers import type_at as _at

GENERIC = frozenset({"interviewer", "participant", "respondent", "researcher", "moderator",
                     "speaker", "int", "iv", "p", "spk"})


# -- speaker codes ------------------------------------------------------------------------------
def test_a_tag_that_shortens_a_label_word_is_generic() -> None:
    assert abbreviates("ivw", "interviewer")
    assert abbreviates("rsp", "respondent")
    assert not abbreviates("kofi", "interviewer")
    assert not abbreviates("interviewer", "interviewer")
    assert is_generic("spkC", GENERIC) and is_generic("p07", GENERIC)
    assert not is_generic("bryony", GENERIC)
    assert not is_generic("rob", GENERIC | {"respondent"})  # not "ro" + a letter


def test_codes_beside_an_interviewers_tag_are_found_but_given_names_are_not() -> None:
    text = ("ivw: tell me about it\nhcp > i do the clinic\nivw: and then\nhcp > the rest\n"
            "ivw: ok\nbryony: hello\nivw: hi\nbryony: yes\n")
    spans = {text[s:e] for s, e in code_tags(text, GENERIC, lambda w: w == "bryony")}
    assert spans == {"ivw", "hcp"}
    initials = "INT: hello\nMK: hi there\nINT: so\nMK: yes\nPT: a code\nPT: again\n"
    spans = {initials[s:e] for s, e in code_tags(initials, GENERIC, lambda w: False)}
    assert spans == {"INT", "PT"}  # "PT" shortens participant; "MK" are someone's initials
    named = "Mod: names please\nRob: Rob, a nurse\nMod: and\nRob: yes\n"
    assert {named[s:e] for s, e in code_tags(named, GENERIC | {"moderator"}, lambda w: False)} \
        == {"Mod"}  # a capitalised name beside a moderator's code stays a name


def test_tags_without_an_interviewers_code_or_said_once_are_left() -> None:
    text = "KW: so where were we\nQW: the clinic\nKW: right\nQW: yes\n"
    assert code_tags(text, GENERIC, lambda w: False) == []
    assert code_tags("ivw: hello there\nhcp > once only\n", GENERIC, lambda w: False) == []
    assert code_tags("hcp > the clinic\nhcp: and again\n", GENERIC, lambda w: False) == []


def test_a_participants_code_is_not_a_name_but_a_named_speaker_is(det: Detector) -> None:
    coded = ("int: so tell me about your job\nsa: i work at the surgery with rhiannon\n"
             "int: and how long\nsa: about six years now\n")
    assert _at(det, coded, "sa") is None
    assert _at(det, coded, "sa", 1) is None
    named = ("int: so tell me about your job\nbronwen: i work at the surgery\n"
             "int: and how long\nbronwen: about six years now\n")
    assert _at(det, named, "bronwen") == "PERSON"


def test_initials_as_tags_stay_names_without_an_interviewers_code(det: Detector) -> None:
    text = "TQ: hello there how are you\nWZ: fine thanks\nTQ: good good\nWZ: yes\n"
    assert _at(det, text, "TQ") == "PERSON"


def test_a_post_or_a_welsh_label_word_as_a_speakers_label_is_no_name(det: Detector) -> None:
    text = ("Researcher: tell me about yourself\nCarer: I'm Orla Brennan and I look after "
            "my husband\nResearcher: thanks\nCarer: yes\n"
            "Cyfwelydd: Diolch.\nCyfranogwr: Croeso.\n")
    assert _at(det, text, "Carer") is None
    assert _at(det, text, "Cyfwelydd") is None
    assert _at(det, text, "Orla Brennan") == "PERSON"


# -- forms of ordinary words ---------------------------------------------------------------------
def test_forms_of_ordinary_words_are_not_names(det: Detector) -> None:
    text = ("well theres the ward and im on nights and whos on with me i dont know\n"
            "he was on the pregabalin and the olanzapine and we were waitin for the italians\n")
    for word in ("theres", "im", "whos", "pregabalin", "olanzapine", "waitin", "italians"):
        assert _at(det, text, word) is None, word


def test_names_beside_ordinary_forms_are_still_names(det: Detector) -> None:
    text = ("i rang oluwaseun about the pregabalin\n"
            "Rachel Burns rang me on Monday and Miles said he would come.\n")
    assert _at(det, text, "oluwaseun") == "PERSON"
    assert _at(det, text, "Rachel Burns") == "PERSON"
    assert _at(det, text, "Miles") == "PERSON"


def test_an_adjective_after_my_manager_is_is_not_a_name(det: Detector) -> None:
    text = "my manager is lovely but she has fourteen teams\nmy manager is grace and she is good\n"
    assert _at(det, text, "lovely") is None
    assert _at(det, text, "grace") == "PERSON"


# -- nothing runs across a line -----------------------------------------------------------------
def test_a_post_does_not_run_across_a_line_into_a_label(det: Detector) -> None:
    text = ("interviewer: what do you think of the team\nclinician: its a good team\n"
            "interviewer: and the job\nclinician: hard\n")
    assert not any("\n" in s.text for s in det.detect_text(text))


def test_a_name_does_not_run_across_a_line_into_a_field_label(det: Detector) -> None:
    text = ("Role: Associate\nWhere: Kirkgate Dental, Pontefract\nComment: my supervisor is "
            "kind.\nRole: Nurse\nWhere: Ossett\nComment: fine\n")
    assert _at(det, text, "Comment") is None
    assert _at(det, text, "Comment", 1) is None


def test_a_surname_that_is_a_workplace_word_does_not_spread(det: Detector) -> None:
    text = "Then Declan Ward said hello.\nWard nurses are stretched. Declan said so.\n"
    found = [Span(5, 16, "PERSON", "Declan Ward", 0.8, "person-rules")]
    spread = {text[s.start:s.end] for s in det._propagate(text, found, True)}
    assert "Declan" in spread  # the given name is passed on
    assert "Ward" not in spread  # the workplace word is not


def test_a_function_word_taken_once_for_a_name_does_not_spread(det: Detector) -> None:
    text = "so im with the team in the morning and theres more in the evening\n"
    found = [Span(3, 5, "PERSON", "im", 0.6, "person-rules"),
             Span(49, 55, "PERSON", "theres", 0.6, "person-rules"),
             Span(29, 31, "PERSON", "in", 0.6, "person-rules")]
    assert det._propagate(text, found, False) == []
    named = [Span(0, 4, "PERSON", "will", 0.6, "person-rules")]
    spread = det._propagate("will said so and will rang later\n", named, False)
    assert [s.text for s in spread] == ["will", "will"]  # a given name that is a word


# -- a post named in a course or a clinic -------------------------------------------------------
def test_a_post_before_a_course_or_a_clinic_is_nobodys(det: Detector) -> None:
    text = ("i applied for the paramedic degree at the uni\n"
            "and on tuesdays i run the pharmacist clinic in the town\n"
            "the paramedic on the car was kind\n")
    assert _at(det, text, "paramedic") != "ROLE"
    assert _at(det, text, "pharmacist") != "ROLE"
    assert _at(det, text, "paramedic", 1) == "ROLE"
