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


def test_a_spoken_postcode_with_its_sector_only(det: Detector) -> None:
    text = "and home is p r nine, four something, i never remember the end"
    assert type_at(det, text, "p r nine, four") == "POSTCODE"
    phone = "the postcode was l s nine, two three four five and then the phone"
    assert type_at(det, phone, "l s nine, two") is None


def test_a_written_outcode_with_its_sector_only(det: Detector) -> None:
    text = "I moved out to Penarth, CF64 2-something, last spring."
    assert type_at(det, text, "CF64 2") == "POSTCODE"
    assert type_at(det, "We saw CF64 3 times a week that year.", "CF64 3") is None


def test_capitals_before_a_slashed_reference_are_part_of_it(det: Detector) -> None:
    text = "A family complained, reference CRT 24/0917, about the visiting hours."
    assert type_at(det, text, "CRT 24/0917") == "ID"


def test_welsh_and_irish_names_put_the_kind_of_place_first(det: Detector) -> None:
    for text, part in [("she teaches maths at Ysgol Bro Dinefwr now.", "Ysgol Bro Dinefwr"),
                       ("i did my placement at meddygfa'r llan last spring", "meddygfa'r llan"),
                       ("the nurse from ionad sláinte na ceathrún came out", "ionad sláinte na "
                                                                               "ceathrún")]:
        assert part in _orgs(det, text), text
    for text in ["the coleg was good and the ysgol too", "ysgol and then work"]:
        assert not [s for s in det.detect_text(text) if s.source == "celtic-name"], text


def test_welsh_homes_joined_by_y(det: Detector) -> None:
    text = "we go into the homes, bron y garth and pen yr allt mostly"
    assert "bron y garth" in _orgs(det, text) and "pen yr allt" in _orgs(det, text)
    plain = "plot it on the x y axis and mark the y intercept"
    assert not [s for s in det.detect_text(plain) if s.source == "welsh-y-name"]


def test_bodies_named_by_their_area(det: Detector) -> None:
    for text, part in [("the money comes from south west london icb now", "south west london icb"),
                       ("we answer to the icb for derby and derbyshire", "icb for derby and "
                                                                          "derbyshire"),
                       ("i moved to nhs greater glasgow last year", "nhs greater glasgow")]:
        assert part in _orgs(det, text), text
    assert not [s for s in det.detect_text("nhs england sets the targets")
                if s.source == "nhs-area"]


def test_places_named_for_our_lady(det: Detector) -> None:
    for text, part in [("she was moved to our lady of lourdes for the scan", "our lady of lourdes"),
                       ("He volunteers at Our Lady's on Sundays.", "Our Lady's")]:
        assert part in _orgs(det, text), text
    assert not _orgs(det, "our lady at the desk was lovely")


def test_a_port_named_by_its_town(det: Detector) -> None:
    assert "port of dover" in _orgs(det, "my dad worked for the port of dover for years")
    assert not [s for s in det.detect_text("it was our first port of call")
                if s.source == "port-of"]
    text = "he came off a ship at the port, the port of dover, with a bad chest"
    assert type_at(det, text, "port") is None  # the kind of place, not a name said again


def test_irish_roads_and_motorway_junctions(det: Detector) -> None:
    for text, part in [("it's an hour down the n25 in the winter", "n25"),
                       ("we lost signal on the r two six one near the coast", "r two six one"),
                       ("the lorry jacknifed on the M6 at Junction 19 again", "Junction 19"),
                       ("there was a crash at junction twenty three", "junction twenty three")]:
        assert type_at(det, text, part) == "LOCATION", text
    assert type_at(det, "the junction was busy and we waited", "junction") is None


def test_a_practice_named_after_its_doctors(det: Detector) -> None:
    for text, part in [("i'm registered with dr okonkwo and partners on the high street",
                        "dr okonkwo and partners"),
                       ("She moved to Patel and Partners last year.", "Patel and Partners")]:
        assert part in _orgs(det, text), text
    assert not [s for s in det.detect_text("we met the family and partners of patients")
                if s.source == "partnership"]


def test_firms_named_by_their_trade(det: Detector) -> None:
    assert "Torridon Haulage" in _orgs(det, "My brother drives for Torridon Haulage now.")
    assert "kintail coaches" in _orgs(det, "the kids go to school with kintail coaches")
    assert not _orgs(det, "we bought the new cars and some frozen foods")
