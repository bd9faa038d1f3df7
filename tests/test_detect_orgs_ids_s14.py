"""Session 14 (organisations and codes): local groups named before what they are (food banks,
women's aid, supporters' clubs, members' networks and associations), churches of two saints,
care firms that "cares", numbered speaker tags with a full stop ("R1."), codes read out after
"like a", and lower-case Eircodes whose shape says what they are. Each with what must stay as
it was. Sentences invented here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from anonyscribe.detect.tags import code_tags
from detect_helpers import type_at

GENERIC = frozenset({"interviewer", "participant", "respondent", "r", "p", "int"})


def _orgs(det: Detector, text: str) -> list[str]:
    return [s.text for s in det.detect_text(text) if s.type == "ORGANISATION"]


def test_local_groups_named_before_what_they_are(det: Detector) -> None:
    cases = [("we send a lot of families to the kelty community foodbank now",
              "kelty community foodbank"),
             ("she volunteers with the fenland women's aid on tuesdays", "fenland women's aid"),
             ("my uncle ran the partick supporters club for years", "partick supporters club"),
             ("i joined the somali and sudanese staff network last year",
              "somali and sudanese staff network"),
             ("She chairs the Goan nurses' association in Swindon.", "Goan nurses' association")]
    for text, part in cases:
        assert part in _orgs(det, text), text


def test_kinds_of_group_with_no_name_are_left(det: Detector) -> None:
    for text in ["people queue at the food bank every friday",
                 "we raised it through the staff network in june",
                 "there is the international nurse network too",
                 "the housing association fixed the boiler"]:
        assert not [s for s in det.detect_text(text) if "group-body" in s.source], text


def test_churches_of_two_saints_are_one_name(det: Detector) -> None:
    for text, part in [("we meet at st cuthbert and st aidan's after the service",
                        "st cuthbert and st aidan's"),
                       ("mass is at sts cyril and methodius on a sunday",
                        "sts cyril and methodius"),
                       ("the youth club is at st john the evangelist", "st john the evangelist")]:
        assert part in _orgs(det, text), text
    assert "st cuthbert and" not in " ".join(_orgs(det, "i went to st cuthbert and then home"))


def test_a_care_firm_that_cares(det: Detector) -> None:
    assert "heather cares" in _orgs(det, "the carers come from heather cares most mornings")
    assert not _orgs(det, "nobody really cares about the night shift")


def test_numbered_tags_with_a_full_stop_are_codes() -> None:
    text = "R1. so what do you do\nE1. i fix the boilers\nR1. and then\nE1. more boilers\n"
    assert {text[s:e] for s, e in code_tags(text, GENERIC, lambda w: False)} == {"R1", "E1"}
    plain = "Yes. I did that\nNo. Never\nYes. Again\nNo. Never\n"
    assert code_tags(plain, GENERIC, lambda w: False) == []


def test_a_numbered_tag_is_no_postcode(det: Detector) -> None:
    text = ("R1. so tell me what you do\nE1. i look after the estates\nR1. and the team\n"
            "E1. two of us and a plumber\n")
    assert type_at(det, text, "E1") is None
    assert type_at(det, "we moved to E1 in the end, near the market", "E1") == "POSTCODE"


def test_a_code_read_out_after_like_a(det: Detector) -> None:
    text = "every client has a number, like a seven three one nine k p, on the file"
    assert type_at(det, text, "a seven three one nine k p") == "ID"
    assert type_at(det, "it was like a four hour wait in the end", "a four") is None


def test_a_lower_case_eircode_by_its_shape(det: Detector) -> None:
    assert type_at(det, "the house we rented is f92 x2w7 i think", "f92 x2w7") == "POSTCODE"
    assert type_at(det, "the m50 2024 roadworks were bad", "m50 2024") != "POSTCODE"
