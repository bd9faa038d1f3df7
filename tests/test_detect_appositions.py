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
