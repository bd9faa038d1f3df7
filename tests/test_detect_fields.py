"""Issue 12 (session 8): a post alone in a field of a survey export or table, and no
identifier across two fields.

Through the real rules-only Detector with rows of our own (invented posts, trusts and places).
"""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector

ROW = '"2025-02-11 09:30:12","{post}","Kestrelford Trust","We need more staff on nights."'


@pytest.mark.parametrize("line, post", [
    (ROW.format(post="Speech and language therapist"), "Speech and language therapist"),
    (ROW.format(post="Paramedic"), "Paramedic"),
    (ROW.format(post="Orthoptist"), "Orthoptist"),
    ("| 7 | Blackwater | Occupational therapist | more staff |", "Occupational therapist"),
    ("17\tDietitian\tTrawsfynydd\tfewer forms", "Dietitian"),
    ("[R31] Q1: Podiatrist | Q2: Glenmorran Clinic | Q3: fine", "Podiatrist"),
    ("[R32] Q1: Locum pharmacist (weekends) | Q2: various", "Locum pharmacist"),
    ("Q1: Student", "Student"),
])
def test_a_field_holding_only_a_post_is_a_role(det: Detector, line: str, post: str) -> None:
    got = {s.text: s.type for s in det.detect_text(line)}
    assert got.get(post) == "ROLE", got


@pytest.mark.parametrize("line, word", [
    (ROW.format(post="Carer"), "Carer"),  # a lone relationship word: a family carer
    (ROW.format(post="Yes"), "Yes"),
    (ROW.format(post="Nursing"), "Nursing"),  # a field of work, not a post
    ('"Q3","The manager never listens","Other"', "The manager never listens"),  # a sentence
    ("[R33] Q3: The manager never listens | Q4: no", "The manager never listens"),
    ("[R34] Q2: Nursing", "Nursing"),
])
def test_other_fields_are_no_post(det: Detector, line: str, word: str) -> None:
    got = {s.text for s in det.detect_text(line) if s.type == "ROLE"}
    assert word not in got, got


@pytest.mark.parametrize("line", [
    ROW.format(post="Paramedic"),
    '"12","Pellworth Community Trust","Harbourside","fine"',
    "| 3 | Pellworth Community Trust | Harbourside |",
])
def test_no_span_runs_across_two_fields(det: Detector, line: str) -> None:
    for s in det.detect_text(line):
        assert '","' not in s.text and "|" not in s.text and "\t" not in s.text, s


@pytest.mark.parametrize("text, post", [
    ("Record 03 of 12\nRole: Associate\nWhere: Harlowmere Dental", "Associate"),
    ("Record 04 of 12\nRole: DN\nWhere: Orrinsby", "DN"),
    ("Job title: Decontamination lead\nComment: parking", "Decontamination lead"),
    ("Occupation: Receptionist.\n", "Receptionist"),
    ("  position: ward clerk (nights)\n", "ward clerk (nights)"),  # the note is the field's
])
def test_a_labelled_post_field_is_a_role(det: Detector, text: str, post: str) -> None:
    got = {s.text: s.type for s in det.detect_text(text)}
    assert got.get(post) == "ROLE", got


@pytest.mark.parametrize("text", [
    "Role: n/a\nWhere: Orrinsby",
    "Role: Prefer not to say\n",
    "Role: it was mostly paperwork, honestly\n",  # a sentence after a label
    "Her role: keeping the notes\n",  # not a field: the label does not start the line
    "The job: it was hard\n",
])
def test_other_labelled_lines_are_no_post(det: Detector, text: str) -> None:
    got = [s.text for s in det.detect_text(text) if s.type == "ROLE"]
    assert got == [], got


@pytest.mark.parametrize("text, post", [
    ("#4410 · Student · Glanrhyd clinic · The lift is slow", "Student"),
    ("#4411 · Dental nurse · Pencoed", "Dental nurse"),
    ('"Honestly just the team." (HCA, Ty Penwern, 3 yrs)', "HCA"),
    ('"The CEO knows my name." (Housekeeper, Ty Penwern, 15 yrs)', "Housekeeper"),
])
def test_a_post_in_a_dotted_field_or_an_attribution_is_a_role(det: Detector, text: str,
                                                              post: str) -> None:
    got = {s.text: s.type for s in det.detect_text(text)}
    assert got.get(post) == "ROLE", got


@pytest.mark.parametrize("text, word", [
    ("#4412 · Fine · nothing to add", "Fine"),
    ("I said (honestly, it was fine) and left", "honestly"),
    ("we went (by bus, in the rain) to the clinic", "by bus"),
    ('"Fewer forms." (Carer, Ty Penwern, 2 yrs)', "Carer"),  # a relationship word alone
])
def test_other_dotted_or_bracketed_words_are_no_post(det: Detector, text: str,
                                                     word: str) -> None:
    got = {s.text for s in det.detect_text(text) if s.type == "ROLE"}
    assert word not in got, got
