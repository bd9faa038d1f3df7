"""Issue 12 (session 7): a post in apposition to a name, saints' wards, GP clusters and
practices named "<name> dental" in lower-case ASR.

Each rule family through the real rules-only Detector with positives and negatives of our
own (names, places and posts invented here, none taken from any annotated set).
"""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector
from test_detect_generic import spans as found


# -- ROLE: "<name>, a <post>," -------------------------------------------------------------------
@pytest.mark.parametrize("text, name, role", [
    ("We went round with Aoife Brannigan, a pharmacist, on the Tuesday.", "Aoife Brannigan",
     "pharmacist"),
    ("I had supervision from Tomasz, a psychotherapist, every month.", "Tomasz",
     "psychotherapist"),
    ("It was Ravindra, an anaesthetist.", "Ravindra", "anaesthetist"),
])
def test_post_in_apposition_after_a_name(det: Detector, text: str, name: str,
                                         role: str) -> None:
    got = found(det, text)
    assert got.get(name) == "PERSON" and got.get(role) == "ROLE", got


@pytest.mark.parametrize("text, word", [
    ("I asked Sam, a nurse would know where it was.", "nurse"),  # a clause, not an apposition
    ("Hers was a hard job, a porter told me.", "porter"),  # no name before the comma
    ("I rang Marta, my manager, straight away.", "manager"),  # who, not which post
])
def test_no_post_without_an_apposition_to_a_name(det: Detector, text: str, word: str) -> None:
    assert word not in found(det, text)


# -- ORGANISATION: a saint's ward, a GP cluster, "<name> dental" ---------------------------------
@pytest.mark.parametrize("text, org", [
    ("She works on St Columba's ward at nights.", "St Columba's ward"),
    ("He was moved to Saint Brigid's unit.", "Saint Brigid's unit"),
    ("We're in the Tregaron cluster for most things.", "Tregaron cluster"),
    ("participant: i'm an associate dentist at um brynmor dental in the town",
     "brynmor dental"),
])
def test_named_ward_cluster_and_practice(det: Detector, text: str, org: str) -> None:
    assert found(det, text).get(org) == "ORGANISATION"


@pytest.mark.parametrize("text", [
    "I went to Jenny's ward round and then home.",
    "The cluster meets monthly and the whole cluster is busy.",
    "participant: i trained in community dental and then did some private dental work",
])
def test_unnamed_ward_cluster_and_dental_stay_unflagged(det: Detector, text: str) -> None:
    got = found(det, text)
    assert not [t for t, typ in got.items() if typ == "ORGANISATION"], got


# -- PERSON: "<post> [most days] is <word-name>" ---------------------------------------------
@pytest.mark.parametrize("text, name", [
    ("participant: the activities coordinator is bonnie and she does the garden", "bonnie"),
    ("participant: and the charge nurse most days is sunny she's great", "sunny"),
    ("The lead pharmacist now is Gift, and she runs the audits.", "Gift"),
])
def test_word_name_said_as_who_holds_a_post(det: Detector, text: str, name: str) -> None:
    assert found(det, text).get(name) == "PERSON"


@pytest.mark.parametrize("text, word", [
    ("participant: the weather is sunny most days", "sunny"),
    ("participant: the nurse is patient with them", "patient"),
    ("participant: the best thing is joy in the work", "joy"),
])
def test_word_after_is_without_a_post_stays_a_word(det: Detector, text: str, word: str) -> None:
    assert word not in found(det, text)


# -- ORGANISATION: "on <Name> <number>" ------------------------------------------------------
def test_ward_named_with_a_number_after_on(det: Detector) -> None:
    got = found(det, "I'm a staff nurse on Inpatient 1 and I do bank on Carrow 6 when short.")
    assert got.get("Inpatient 1") == "ORGANISATION" and got.get("Carrow 6") == "ORGANISATION"


@pytest.mark.parametrize("text", [
    "I'm on Band 5 and I was on Level 3 for a year.",
    "We put it on Channel 4 and the meeting is on Friday 5 pm.",
    "She's on Teams 2 days a week.",
])
def test_grades_floors_and_days_after_on_are_no_ward(det: Detector, text: str) -> None:
    got = found(det, text)
    assert not [t for t, typ in got.items() if typ == "ORGANISATION"], got
