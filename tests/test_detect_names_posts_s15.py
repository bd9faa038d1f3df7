"""Session 15: the grammar that introduces a post widened (cues typed without apostrophe,
initialism posts, a title in apposition to a name, a plural owner in a title); kinds of false
names removed. Names and sentences invented here."""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from anonyscribe.detect.similar import pieces, said_together
from detect_helpers import type_at as _at


# -- copula cues without their apostrophe -------------------------------------------------------
def test_a_post_after_a_cue_typed_without_apostrophe(det: Detector) -> None:
    text = "and thats morag, shes a porter on nights and hes a radiographer at the hub"
    assert _at(det, text, "porter") == "ROLE"
    assert _at(det, text, "radiographer") == "ROLE"


def test_a_generic_word_after_such_a_cue_stays_generic(det: Detector) -> None:
    text = "so shes a nurse like the rest of us and hes a worker really"
    assert _at(det, text, "nurse") is None
    assert _at(det, text, "worker") is None


# -- initialism posts ------------------------------------------------------------------------
def test_an_initialism_post_with_its_mention_ended_is_one_holders(det: Detector) -> None:
    text = ("Evenings were quiet. We had an ODP from the agency, and the SLT was away. "
            "Then the CPN, the dietitian and the pharmacist all came.")
    assert _at(det, text, "ODP") == "ROLE"
    assert _at(det, text, "SLT") == "ROLE"
    assert _at(det, text, "CPN") == "ROLE"


def test_an_initialism_before_a_noun_or_after_like_is_no_post(det: Detector) -> None:
    text = ("Two of them want to do the ODP degree next year. Honestly I felt like an HCA "
            "all week. The CPN rota changes on Fridays.")
    assert _at(det, text, "ODP") is None
    assert _at(det, text, "HCA") is None
    assert _at(det, text, "CPN") is None


def test_the_gp_alone_is_still_left(det: Detector) -> None:
    text = "Most of them never see the GP, and a GP is hard to get."
    assert _at(det, text, "GP") is None


# -- a title in apposition to a name ---------------------------------------------------------
def test_a_title_after_a_name_and_a_comma_is_hers(det: Detector) -> None:
    text = ("Welcome. Present: Marguerite Ollivant, administrator, and Tobias Wren, "
            "lecturer in health economics.")
    assert _at(det, text, "administrator") == "ROLE"
    assert _at(det, text, "lecturer in health economics") == "ROLE"


def test_a_plural_or_a_title_running_on_is_no_apposition(det: Detector) -> None:
    text = ("We thanked Marguerite Ollivant, porters and cleaners alike. Then Tobias, "
            "porter rota first.")
    assert _at(det, text, "porters") is None
    assert _at(det, text, "porter") is None


# -- a plural owner inside a title -------------------------------------------------------------
def test_a_plural_owner_is_part_of_the_title(det: Detector) -> None:
    text = "I'm a children's nurse at the hospice, and she's the veterans' support worker."
    assert _at(det, text, "children's nurse") == "ROLE"
    assert _at(det, text, "veterans' support worker") == "ROLE"


def test_a_persons_possessive_is_not_part_of_the_title(det: Detector) -> None:
    text = "I'm Dominika's nurse this week, and the children's ward was full."
    assert _at(det, text, "Dominika's nurse") is None
    assert _at(det, text, "children's ward") is None


# -- false names -------------------------------------------------------------------------------
def test_a_plural_post_is_no_name(det: Detector) -> None:
    text = "and then the locums came and the carers were great so the locums stayed"
    assert _at(det, text, "locums") != "PERSON"
    assert _at(det, text, "carers") != "PERSON"


def test_an_unknown_word_after_a_is_a_thing(det: Detector) -> None:
    text = "so we sat in a portakabin for a year and a zorbeltin came from the supplier"
    assert _at(det, text, "portakabin") != "PERSON"
    assert _at(det, text, "zorbeltin") != "PERSON"


def test_an_unknown_word_after_a_copula_and_a_is_still_flagged(det: Detector) -> None:
    text = "and tegwyn shes an emt on the crew so we rang her"
    assert _at(det, text, "emt") is not None


def test_pieces_glued_to_a_digit_are_not_said_together() -> None:
    text = "BA yr2 and kee ron"
    toks = pieces(text)
    assert [t.word for t in toks[:2]] == ["ba", "yr"]
    assert not said_together(text, toks[0:2])  # "yr" runs into "2"
    assert said_together(text, toks[-2:])


def test_capitals_after_a_possessive_are_a_thing(det: Detector) -> None:
    text = "Thanks. My HCPC number is on the form, and Tadeusz Wrona signed it."
    assert _at(det, text, "HCPC") != "PERSON"
    assert _at(det, text, "Tadeusz Wrona") == "PERSON"


# -- a post, where its holder works, then the holder's name -------------------------------------
def test_a_post_and_where_its_holder_works_then_the_name(det: Detector) -> None:
    text = ("Referrals are slow. The GP in Aberfeldy, Dr Okonjo-Baird, sends most of them, "
            "and the pharmacist who runs the clinic is Tomasz Wierzbicki.")
    assert _at(det, text, "GP") == "ROLE"
    assert _at(det, text, "pharmacist") == "ROLE"


def test_a_place_that_a_post_modifies_then_a_name_is_no_post(det: Detector) -> None:
    text = "Referrals are slow. The GP surgery in Aberfeldy, Dr Okonjo-Baird said, is full."
    assert _at(det, text, "GP") is None


# -- heads: short forms, hyphenated posts, form labels ---------------------------------------------
def test_a_reg_a_trainer_and_a_hyphenated_post_are_posts(det: Detector) -> None:
    text = ("Sorry, he's a surgical reg, and I'm the OSCE trainer. I reported it to the "
            "sub-dean, Professor Aldous.")
    assert _at(det, text, "surgical reg") == "ROLE"
    assert _at(det, text, "OSCE trainer") == "ROLE"
    assert _at(det, text, "sub-dean") == "ROLE"


def test_a_hyphenated_modifier_before_lead_is_no_post(det: Detector) -> None:
    text = "We had a follow-up lead time of six weeks, which is far too long."
    assert _at(det, text, "follow-up") is None


def test_a_label_with_an_equals_sign_or_i_work_as_holds_a_post(det: Detector) -> None:
    text = ("[S-0101] Role = Phlebotomist ; Where = Outpatients ; fine.\n"
            "Response 4 · I work as: Team Leader, Reablement · I work at: north team\n")
    assert _at(det, text, "Phlebotomist") == "ROLE"
    assert _at(det, text, "Team Leader, Reablement") == "ROLE"


def test_a_labelled_empty_or_equation_is_no_post(det: Detector) -> None:
    text = "[S-0102] Role = n/a ; Where = Outpatients ; fine.\nwe said x = role and moved on\n"
    assert _at(det, text, "n/a") is None
    assert _at(det, text, "role") is None


def test_a_field_goes_on_after_and_only_with_another_field_word(det: Detector) -> None:
    text = ("so i'm the lecturer in nursing and midwifery and she's an ST5 in psychiatry and "
            "loved it")
    assert _at(det, text, "lecturer in nursing and midwifery") == "ROLE"
    assert _at(det, text, "loved") is None


# -- a given name that is a never-flagged word, named by its context --------------------------
def test_a_language_name_framed_as_a_holder_or_introduced_is_a_name(det: Detector) -> None:
    text = "The physio, Shona, comes every morning. The porter on nights, Sunday, helped."
    assert _at(det, text, "Shona") == "PERSON"
    assert _at(det, text, "Sunday") == "PERSON"


def test_a_language_after_a_comma_and_no_post_stays_a_language(det: Detector) -> None:
    text = "At home we speak English, Shona, and a bit of Ndebele."
    assert _at(det, text, "Shona") != "PERSON"
    text = "where are you from\nharare, i'm shona, my husband is ndebele"
    assert _at(det, text, "shona") != "PERSON"  # who she is, not her name


def test_a_word_name_with_its_post_in_brackets_is_a_name(det: Detector) -> None:
    text = ("Nights were short-staffed. Blessing (our HCA) is worth two. Patience (the "
            "virtue) is not.")
    assert _at(det, text, "Blessing") == "PERSON"
    assert _at(det, text, "Patience") != "PERSON"


def test_a_label_between_tildes_runs_to_the_next_tilde(det: Detector) -> None:
    text = ("reply 0007 ~ sent 2 May 2026 ~ post: Staff Nurse (Band 5) ~ base: north ~ fine\n"
            "reply 0008 ~ sent 3 May 2026 ~ post: n/a ~ base: south ~ fine\n")
    assert _at(det, text, "Staff Nurse (Band 5)") == "ROLE"
    assert _at(det, text, "n/a") is None


def test_the_owner_of_a_named_place_then_the_name(det: Detector) -> None:
    text = "The owner of Bracken Lodge, Mrs Tulloch-Reid, rings weekly."
    assert _at(det, text, "owner") == "ROLE"
    text = "We never met the owner of the place, sadly, and nobody else came."
    assert _at(det, text, "owner") is None
