"""Session 15 (organisations): what is named like a body but is a law, a scale, a benefit, a
campaign or a form is no organisation; a name joined by "and" to an organisation whose kind
of place both share is part of it (tested in test_detect_complete.py too). Sentences invented
here.
"""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector
from anonyscribe.detect.org_words import names_an_instrument


@pytest.mark.parametrize("name", ["Mental Capacity Act", "Barthel Coma Scale",
                                  "Carer's Allowance", "Adult Disability Payment",
                                  "Stop Smoking Campaign", "Google Forms", "waterlow score"])
def test_instruments_are_named(name: str) -> None:
    assert names_an_instrument(name)


@pytest.mark.parametrize("name", ["Actonbury Hospital", "Act", "Brindle Student Support Fund",
                                  "South Coast scheme", "Scalby Surgery", "Formby Practice",
                                  "Allowance Street Clinic"])
def test_bodies_are_not_instruments(name: str) -> None:
    assert not names_an_instrument(name)


def test_nothing_is_flagged_inside_an_instrument(det: Detector) -> None:
    """Not the instrument, nor a place or post inside its name ("Glasgow", "Carer")."""
    for text, name in [("She was sectioned under the Mental Capacity Act last spring.",
                        "Mental Capacity Act"),
                       ("He gets the Carer's Allowance but it barely covers the bus.",
                        "Carer's Allowance"),
                       ("With a stroke we check the Glasgow Coma Scale first.",
                        "Glasgow Coma Scale")]:
        i = text.index(name)
        j = i + len(name)
        assert not [s for s in det.detect_text(text) if s.start < j and i < s.end], text


def test_a_place_beside_an_instrument_is_still_flagged(det: Detector) -> None:
    text = "We moved to Glasgow and she gets the Carer's Allowance now."
    assert any(s.text == "Glasgow" for s in det.detect_text(text))


def test_shared_kind_of_place_through_the_detector(det: Detector) -> None:
    text = "i chair the black and brown staff network at the trust"
    i, j = text.index("black"), text.index(" at the")
    assert any(s.start <= i and s.end >= j and s.type == "ORGANISATION"
               for s in det.detect_text(text))


def _called(det: Detector, text: str) -> list[str]:
    return [s.text for s in det.detect_text(text) if s.source == "org-called"]


@pytest.mark.parametrize(("text", "name"), [
    ("the one by the chapel, people call it the hub, the manager is there", "hub"),
    ("the fish place, everyone still calls it the corran and the boats go out", "corran"),
    ("we call it pmu but on the signs its something else", "pmu"),
    ("its called kestrel now the co chair is good", "kestrel"),
    ("Nobody says the full name. Everyone calls it the Larches, even the managers. "
     "I have worked there for six years and I know every corner of it.", "Larches"),
])
def test_the_name_people_call_a_place(det: Detector, text: str, name: str) -> None:
    assert name in _called(det, text), text


@pytest.mark.parametrize("text", [
    "its called part of the job really",
    "we call it based at the county office",
    "we call it a day at five",
    "what do you call it, the thing with the wheels",
    "It's not easy. They call it burnout, I suppose. The managers talk about it a lot and "
    "nobody really knows what to do about the rota or the sickness.",
])
def test_what_is_called_but_names_no_place(det: Detector, text: str) -> None:
    assert not _called(det, text), text
