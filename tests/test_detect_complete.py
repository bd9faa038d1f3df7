"""Completion (detect/complete.py): a span grows over the words that complete an
organisation's name, and over nothing else. Examples are our own."""

from __future__ import annotations

import re

import pytest

from anonyscribe.core.model import Span
from anonyscribe.detect.complete import complete


def _spans(text: str, marked: list[tuple[str, str]]) -> list[Span]:
    """Spans over the first occurrence of each (surface, type) at or after the last one."""
    out, pos = [], 0
    for surface, typ in marked:
        m = re.compile(re.escape(surface)).search(text, pos)
        assert m, surface
        out.append(Span(m.start(), m.end(), typ, surface, 0.6, "test"))
        pos = m.end()
    return out


def _done(text: str, marked: list[tuple[str, str]], allowed=lambda sp: True
          ) -> list[tuple[str, str]]:
    return [(s.text, s.type) for s in complete(text, _spans(text, marked), allowed)]


@pytest.mark.parametrize(("text", "marked", "want"), [
    # the kind of place said after a name, with street or service words between
    ("we go to Abbotsfield road surgery on Fridays", [("Abbotsfield", "LOCATION")],
     [("Abbotsfield road surgery", "ORGANISATION")]),
    ("she moved to Pellow medical centre last year", [("Pellow", "PERSON")],
     [("Pellow medical centre", "ORGANISATION")]),
    ("the council cant find carers so we phone marigold homecare", [("marigold", "PERSON")],
     [("marigold homecare", "ORGANISATION")]),
    ("my dad was a miner at Drumcarrow colliery for years", [("Drumcarrow", "LOCATION")],
     [("Drumcarrow colliery", "ORGANISATION")]),
    ("out of Kilbrennan ambulance base mostly", [("Kilbrennan", "LOCATION")],
     [("Kilbrennan ambulance base", "ORGANISATION")]),
    # "of" after an organisation: a span or capitalised words
    ("it's the Tinnelly Society of Ireland now", [("Tinnelly Society", "ORGANISATION"),
                                                  ("Ireland", "LOCATION")],
     [("Tinnelly Society of Ireland", "ORGANISATION")]),
    ("we go to Harrowgate Church of God on Sundays", [("Harrowgate Church", "ORGANISATION")],
     [("Harrowgate Church of God", "ORGANISATION")]),
    ("i was in the bank of ireland for years", [("bank", "ORGANISATION"),
                                               ("ireland", "LOCATION")],
     [("bank of ireland", "ORGANISATION")]),
    # a possessive that is part of the name
    ("then I was at Quillan's on the high street", [("Quillan", "ORGANISATION")],
     [("Quillan's", "ORGANISATION")]),
    ("a Saturday job at a Brennock's in town", [("Brennock", "PERSON")],
     [("Brennock's", "ORGANISATION")]),
    ("she works at Pellow's pharmacy now", [("Pellow", "PERSON")],
     [("Pellow's pharmacy", "ORGANISATION")]),
    # the name before a span that is only the kind of place
    ("we phone golden willow homecare first", [("homecare", "PERSON")],
     [("golden willow homecare", "ORGANISATION")]),
    ("firms like Marsh and Co do the legal side", [("Co", "PERSON")],
     [("Marsh and Co", "ORGANISATION")]),
    # the number of a grade
    ("hi everyone, priyanka cnm two on ward six", [("priyanka cnm", "PERSON")],
     [("priyanka cnm two", "PERSON")]),
    ("im an st 6 in geriatrics", [("st", "ROLE")], [("st 6", "ROLE")]),
    # the letters of an initialism beside it
    ("then nursing in carlow i t for three years", [("carlow", "LOCATION")],
     [("carlow i t", "LOCATION")]),
    ("a recovery worker in h m p brinford the local jail", [("brinford", "LOCATION")],
     [("h m p brinford", "LOCATION")]),
    # a name joined by "and" to an organisation whose kind of place both share
    ("across Brindle and Hawkmoor PCN this year", [("Brindle", "LOCATION"),
                                                   ("Hawkmoor PCN", "ORGANISATION")],
     [("Brindle and Hawkmoor PCN", "ORGANISATION")]),
    ("i chair the polish and czech staff network", [("czech staff network", "ORGANISATION")],
     [("polish and czech staff network", "ORGANISATION")]),
    ("she runs Okoro & Daughters Care now", [("Daughters Care", "ORGANISATION")],
     [("Okoro & Daughters Care", "ORGANISATION")]),
])
def test_grows_over_what_completes_a_name(text, marked, want):
    assert _done(text, marked) == want


@pytest.mark.parametrize(("text", "marked"), [
    # a person's possessive is not part of the name, and their house is no organisation
    ("I went to Sarah's house after", [("Sarah", "PERSON")]),
    ("I told Tamsin school was hard", [("Tamsin", "PERSON")]),
    ("Kieran's care was poor", [("Kieran", "PERSON")]),
    # posts, dates and numbers never grow
    ("the ward manager practice nurse", [("ward manager", "ROLE")]),
    ("in March care homes closed", [("March", "DATE")]),
    # nothing crosses punctuation or a line
    ("we met in Leeds. Surgery was cancelled", [("Leeds", "LOCATION")]),
    ("from Pellow\nsurgery was fine", [("Pellow", "PERSON")]),
    # "of" with a lower-case ordinary word, or after a place
    ("the Harrowgate Trust of the future", [("Harrowgate Trust", "ORGANISATION")]),
    ("most of Leeds of course", [("Leeds", "LOCATION")]),
    # nothing named before a kind of place: a stop word, or another span's end
    ("we phone the homecare and", [("homecare", "ORGANISATION")]),
    ("i rang um homecare", [("homecare", "ORGANISATION")]),
    ("a grade of st mary", [("st", "ROLE")]),
    # "i" and "a" are words, not an initialism
    ("i live in leeds i think", [("leeds", "LOCATION")]),
    ("and so a i leeds", [("leeds", "LOCATION")]),
    # "and" before an organisation: a person, a time, a small word, a lower-case word before
    # a capitalised name, a name with its own kind of place, or no kind of place shared
    ("I rang Tamsin and Pellow Surgery", [("Tamsin", "PERSON"), ("Pellow Surgery",
                                                                  "ORGANISATION")]),
    ("on Fridays and Pellow Surgery on Mondays", [("Pellow Surgery", "ORGANISATION")]),
    ("days and nights and Pellow Surgery", [("Pellow Surgery", "ORGANISATION")]),
    ("it was me and Pellow Surgery", [("Pellow Surgery", "ORGANISATION")]),
    ("locums and Pellow Surgery", [("Pellow Surgery", "ORGANISATION")]),
    ("Tullow Hospital and Pellow Surgery", [("Tullow Hospital", "ORGANISATION"),
                                            ("Pellow Surgery", "ORGANISATION")]),
    ("Brindle and Hawkmoor", [("Brindle", "LOCATION"), ("Hawkmoor", "ORGANISATION")]),
    ("Tullow and Pellow Surgery", [("Tullow", "ORGANISATION"), ("Pellow Surgery",
                                                                "ORGANISATION")]),
])
def test_leaves_what_does_not_complete_a_name(text, marked):
    assert _done(text, marked) == marked


def test_never_grows_into_what_is_not_allowed():
    text = "we go to Abbotsfield road surgery"
    stop = text.index("surgery")
    assert _done(text, [("Abbotsfield", "LOCATION")],
                 allowed=lambda sp: sp.end <= stop) == [("Abbotsfield", "LOCATION")]


def test_a_grown_span_takes_in_the_spans_it_reaches():
    text = "trained through uws west of scotland uni at the campus"
    got = _done(text, [("uws west", "ORGANISATION"), ("scotland uni", "ORGANISATION")])
    assert got == [("uws west of scotland uni", "ORGANISATION")]


def test_through_the_detector(det):
    text = "His GP is at Tullyglass Street surgery, no, the health centre."
    i = text.index("Tullyglass")
    j = text.index(",")
    assert any(s.start <= i and s.end >= j for s in det.detect_text(text))
