"""Issue 12 (session 10): names and posts said without the usual cues. Speaker names alone on
a line before the turn's time (Teams, Zoom, Otter), nicknames ("big Davy"), Irish surnames
split at the apostrophe after a title ("doctor o sullivan"), names said as what someone is
called or thanked ("calls me Mo", "Thank you, May."), lower-case names typed in cased text
after a post, and "the <post>" said of its one holder. Names and sentences invented here.
"""

from __future__ import annotations

from anonyscribe.detect.engine import Detector


def _at(det: Detector, text: str, part: str, nth: int = 0) -> str | None:
    """The type of the span covering the ``nth`` occurrence of ``part``, or None."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    end = start + len(part)
    for s in det.detect_text(text):
        if s.start <= start and end <= s.end:
            return s.type
    return None


# -- speaker names alone on their line before the time --------------------------------------
def test_name_lines_before_a_time_are_speakers(det: Detector) -> None:
    text = ("Thorne, Blessing   0:03\nso tell me about your week\n\n"
            "Gurney, Hope   0:10\nit was long honestly\n\n"
            "Kettle, Mark Anthony   00:01:52\nand the rota\n\n"
            "Wrenna Castell (she/her)   0:42:10\nyes\n\n"
            "Adjei, Nana Ama 2:03 PM\nhi all\n\n"
            "Tobiah Quarrie | 0:03:10\nok\n")
    for name in ("Thorne, Blessing", "Gurney, Hope", "Kettle, Mark Anthony",
                 "Wrenna Castell", "Adjei, Nana Ama", "Tobiah Quarrie"):
        assert _at(det, text, name) == "PERSON", name
    assert _at(det, text, "PM") is None  # the time's, not a name


def test_generic_name_lines_and_headings_are_not_names(det: Detector) -> None:
    text = ("Unknown Speaker   0:12\nhello\n\nSpeaker 2   0:20\nhi\n\n"
            "Interviewer   0:31\nshall we start\n\nMemo 3 (4 Feb 2023, 10:30)\nnote\n")
    for word in ("Unknown", "Speaker", "Interviewer", "Memo"):
        assert _at(det, text, word) != "PERSON", word


# -- nicknames and split Irish surnames -------------------------------------------------------
def test_big_and_wee_before_a_name_are_part_of_it(det: Detector) -> None:
    text = "on nights there is big tavish and big gaz and he calls her wee oriel."
    assert _at(det, text, "big tavish") == "PERSON"
    assert _at(det, text, "big gaz") == "PERSON"


def test_big_and_wee_before_words_stay_words(det: Detector) -> None:
    text = "The big picture is that the wee ones go home early and big changes came."
    for word in ("big picture", "wee ones", "big changes"):
        assert _at(det, text, word) is None, word


def test_an_o_surname_after_a_title_is_a_name(det: Detector) -> None:
    text = "the gp is doctor o sullivan and the director is miss o hare now"
    assert _at(det, text, "o sullivan") == "PERSON"
    assert _at(det, text, "o hare") == "PERSON"
    assert _at(det, text, "miss") is None  # a title, not a name listed after "and"


def test_o_without_a_title_is_not_a_surname(det: Detector) -> None:
    text = "oh well o dear it was a mess and o hare and hounds is a game"
    assert _at(det, text, "o hare") is None


# -- what someone is called or thanked by ------------------------------------------------------
def test_called_and_thanked_names(det: Detector) -> None:
    text = ("Everyone calls me Bliss at work. There's a man, I'll call him J, who came. "
            "Interviewer: Thank you, May.\nParticipant: Cheers Grace!")
    assert _at(det, text, "Bliss") == "PERSON"
    assert _at(det, text, "J") == "PERSON"
    assert _at(det, text, "May") == "PERSON"
    assert _at(det, text, "Grace") == "PERSON"


def test_thanks_and_calls_before_words_are_not_names(det: Detector) -> None:
    text = ("Thank you very much. Cheers all! It may rain. Thanks so much. She calls me back "
            "and I call her daily. We met in May.")
    for word in ("very", "all", "back", "daily", "May"):
        assert _at(det, text, word) != "PERSON", word


# -- lower-case names typed in cased text after a post ---------------------------------------
def test_lower_case_name_after_a_post_in_cased_text(det: Detector) -> None:
    text = ("Ref 0041 | Nursing (adult) | placement at Elgin. ward sister aileen found it "
            "for me. The hygienist Carol was off.")
    assert _at(det, text, "aileen") == "PERSON"
    assert _at(det, text, "Carol") == "PERSON"


def test_lower_case_words_in_cased_text_stay_words(det: Detector) -> None:
    text = "Ref 0042 | Nursing | The ward sister found it. The carol service was lovely."
    assert _at(det, text, "carol") is None
    assert _at(det, text, "found") is None


# -- "the <post>" said of its one holder ---------------------------------------------------------
def test_the_post_said_of_one_holder(det: Detector) -> None:
    text = ("I wrote to the governor. The anaesthetist in main theatres was kind. "
            "the cpn then rang. We told the chaplain.")
    for post in ("governor", "anaesthetist", "cpn", "chaplain"):
        assert _at(det, text, post) == "ROLE", post


def test_the_post_as_an_attribute_or_a_place_is_not_flagged(det: Detector) -> None:
    text = ("You see the GP first. The registrar rota is bad. The specialist nurses came. "
            "Ask the consultant body. Nurses are tired.")
    assert _at(det, text, "GP") is None
    assert _at(det, text, "registrar") is None
    assert _at(det, text, "specialist") is None
    assert _at(det, text, "Nurses") is None


# -- names split into syllables by speech recognition ---------------------------------------
def test_split_syllables_that_sound_like_a_name(det: Detector) -> None:
    text = ("my clinical lead there is shaw nah and the matron is re bin and the speech "
            "therapist e van came in")
    for part in ("shaw nah", "re bin", "e van"):
        assert _at(det, text, part) == "PERSON", part


def test_short_words_after_a_cue_that_join_into_no_name_stay_words(det: Detector) -> None:
    text = ("and i said so now we go to the shop and it was a bit mad and she is a bit of a "
            "pain and the nurse is on leave and my friend was so kind")
    for part in ("so now", "a bit", "on leave", "so kind"):
        assert _at(det, text, part) is None, part


# -- a given name said twice, the second time with its surname --------------------------------
def test_a_name_said_again_with_its_surname(det: Detector) -> None:
    text = ("our rep is trust trust mbeki from harare and the ward manager will will "
            "adebanjo is calm")
    assert _at(det, text, "trust", 0) == "PERSON"
    assert _at(det, text, "trust mbeki") == "PERSON"
    assert _at(det, text, "will", 0) == "PERSON"
    assert _at(det, text, "will adebanjo") == "PERSON"


def test_words_said_twice_stay_words(det: Detector) -> None:
    text = "it was very very good and bye bye then and the the hospital and no no way"
    for part in ("very", "bye", "the the", "no no"):
        assert _at(det, text, part) is None, part


# -- a name the document knows, said again in syllables -----------------------------------------
def test_syllables_of_a_name_found_in_the_document(det: Detector) -> None:
    text = ("the carers are manvir and andreas then later man veer rang and and rea s "
            "came too")
    assert _at(det, text, "man veer") == "PERSON"
    assert _at(det, text, "and rea s") == "PERSON"


def test_short_words_without_such_a_name_stay_words(det: Detector) -> None:
    text = ("the carers are manvir and andreas and the man ran in and we went to the man "
            "who was so so busy and read s notes")
    for part in ("the man", "man ran", "so so", "read s"):
        assert _at(det, text, part) is None, part


# -- a respondent's post in the bracket that heads an answer -------------------------------------
def test_bracketed_post_heading_an_answer(det: Detector) -> None:
    text = ('R-005 (Carer, Oak View): my manager is good.\nR-007 (Housekeeper): Cleaning '
            'is care too.\n"More staff." (Porter; Cardiff)\n')
    for post in ("Carer", "Housekeeper", "Porter"):
        assert _at(det, text, post) == "ROLE", post


def test_bracketed_words_that_are_no_post_heading(det: Detector) -> None:
    text = ('We met (see above): fine.\n"Fewer forms." (Carer, Ty Penwern, 2 yrs)\n'
            "I went (with Sam; my friend) home.\n")
    assert _at(det, text, "see above") is None
    assert _at(det, text, "Carer") is None  # after a quote: most often a family carer
