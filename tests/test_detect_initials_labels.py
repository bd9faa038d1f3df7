"""Issue 12 (session 9): a speaker's initials as the turn's label, with or without a colon
("MO  00:00:03  ok so", "TK: right"), are that speaker's name; generic labels and posts are
not. Through the real rules-only Detector with lines of our own."""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector


def _people(det: Detector, text: str) -> list[str]:
    return [s.text for s in det.detect_text(text) if s.type == "PERSON"]


@pytest.mark.parametrize("text, initials", [
    ("MO  00:00:03  ok recording started\nLW  00:00:08  so im a research nurse",
     ["MO", "LW"]),
    ("TK 0:41 right so tell me about the team\n", ["TK"]),
    ("[00:01:10] DA: and the rota?\n", ["DA"]),
    ("MO: ok recording started\n", ["MO"]),
])
def test_initials_labelling_a_turn_are_a_name(det: Detector, text: str,
                                              initials: list[str]) -> None:
    got = _people(det, text)
    assert all(i in got for i in initials), got


@pytest.mark.parametrize("text", [
    "IV  00:00:03  ok recording started\n",  # interviewer: a generic label
    "INT 0:12 and how long have you been there\n",
    "GP  00:02:01  the surgery was shut\n",  # a post, not a person
    "OK  00:00:04 so shall we start\n",  # an ordinary word said first
    "we met at 10:30 and ate\n",
])
def test_other_labels_are_no_name(det: Detector, text: str) -> None:
    got = _people(det, text)
    assert got == [], got
