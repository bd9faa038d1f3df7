"""Each recognizer family, through the real Detector (real spaCy model, real word lists).

Sentences are our own, not from the dev set; every positive has a negative beside it.
"""

from __future__ import annotations

from anonyscribe.core.model import RecordingInfo, Segment, Speaker, Transcript
from anonyscribe.core.study import Terms
from anonyscribe.detect.engine import Detector
from anonyscribe.detect.numbers import nhs_checksum_ok


def found(det: Detector, text: str) -> dict[str, str]:
    """text of each span -> its type."""
    return {s.text: s.type for s in det.detect_text(text)}


def covered(det: Detector, text: str, part: str) -> bool:
    start = text.index(part)
    end = start + len(part)
    spans = det.detect_text(text)
    pos = start
    for s in sorted(spans, key=lambda s: s.start):
        if s.start <= pos < s.end:
            pos = s.end
    return pos >= end


# -- people -------------------------------------------------------------------------------
def test_person_cased_full_name_and_title(det: Detector) -> None:
    text = "My mentor was Dr Oluwaseun Bakare, and I also worked with Priya Raman on the ward."
    got = found(det, text)
    assert got.get("Oluwaseun Bakare") == "PERSON"
    assert got.get("Priya Raman") == "PERSON"
    assert "Dr" not in "".join(got)  # the title stays outside


def test_person_word_names_need_context(det: Detector) -> None:
    assert covered(det, "Yesterday I met Hope Mensah from the bank.", "Hope Mensah")
    words = found(det, "We live in hope, and by the grace of God it will work out.")
    assert not any(t == "PERSON" for t in words.values()), words


def test_person_lower_case_asr(det: Detector) -> None:
    text = ("interviewer: so tell me about it\nparticipant: yeah so i'm oluwaseun and my "
            "line manager was priya she was great um and i said to her i'm tired")
    got = found(det, text)
    assert got.get("oluwaseun") == "PERSON"
    assert got.get("priya") == "PERSON"
    assert "tired" not in got


def test_person_known_name_flagged_everywhere(det: Detector) -> None:
    text = "Mrs Okonjo-Adeyemi chaired it. Later Okonjo-Adeyemi wrote to me."
    spans = [s for s in det.detect_text(text) if "Okonjo" in s.text]
    assert len(spans) == 2


def test_speaker_labels(det: Detector) -> None:
    text = "Interviewer: Hello.\nSarah: Hi there.\n[00:01:02] Participant: Fine."
    spans = det.detect_text(text)
    assert [s.text for s in spans if s.type == "PERSON"] == ["Sarah"]
    assert not any("Interviewer" in s.text or "00:01" in s.text for s in spans)
    t = Transcript(RecordingInfo("x"), [Segment(0, 0, 1, "Hello there.", "S1")],
                   [Speaker("S1", "Tunde"), Speaker("S2", "Interviewer")])
    assert det.names_in_labels(t) == ["Tunde"]


# -- roles ----------------------------------------------------------------------------------
def test_roles_with_modifiers(det: Detector) -> None:
    text = ("I was the Interim Deputy Director of Nursing, then a Band 8a lead pharmacist, "
            "and my matron, Ayodele, backed me.")
    got = found(det, text)
    assert got.get("Interim Deputy Director of Nursing") == "ROLE"
    assert got.get("Band 8a lead pharmacist") == "ROLE"
    assert got.get("matron") == "ROLE"


def test_roles_not_generic(det: Detector) -> None:
    got = found(det, "Nurses like me rarely get on. My line manager said I could "
                     "be a doctor one day, or a matron.")
    assert not any(t == "ROLE" for t in got.values()), got


# -- organisations and places -----------------------------------------------------------
def test_org_gazetteer_short_forms_and_initialisms(det: Detector) -> None:
    text = ("I moved from Sheffield Teaching Hospitals to GSTT, then did a year on "
            "Ward 14 at Whipps Cross.")
    got = found(det, text)
    assert got.get("Sheffield Teaching Hospitals") == "ORGANISATION"
    assert got.get("GSTT") == "ORGANISATION"
    assert got.get("Ward 14") == "ORGANISATION"
    assert got.get("Whipps Cross") == "ORGANISATION"


def test_org_not_national_bodies(det: Detector) -> None:
    got = found(det, "NHS England and the NHS Leadership Academy run Stepping Up for the Trust.")
    assert got == {}, got


def test_org_lower_case(det: Detector) -> None:
    text = "i work on um the osprey ward at the royal bournemouth and before that at derriford"
    assert covered(det, text, "osprey ward")
    assert covered(det, text, "royal bournemouth")


def test_locations_and_addresses(det: Detector) -> None:
    text = "I grew up in Accra and now live at 12 Holloway Crescent, Kings Heath, B14 7QP."
    got = found(det, text)
    assert got.get("Accra") == "LOCATION"
    assert got.get("12 Holloway Crescent") == "LOCATION"
    assert got.get("B14 7QP") == "POSTCODE"
    assert covered(det, text, "Kings Heath")


# -- dates ------------------------------------------------------------------------------------
def test_dates_that_identify(det: Detector) -> None:
    text = "I qualified in 2009, started on 3rd May 2015 and left in june twenty nineteen."
    got = {k for k, v in found(det, text).items() if v == "DATE"}
    assert {"2009", "3rd May 2015", "june twenty nineteen"} <= got


def test_dates_vague_are_not_flagged(det: Detector) -> None:
    got = found(det, "A few years ago, in the spring, after Christmas, six years in total, "
                     "usually today or in the sixties.")
    assert not any(t == "DATE" for t in got.values()), got


# -- numbers and contacts ---------------------------------------------------------------------
def test_nhs_checksum() -> None:
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")


def test_numbers_spoken_and_digits(det: Detector) -> None:
    text = ("ring me on oh seven seven double oh nine double oh one two three, my nhs "
            "number is 943 476 5919 and my staff number is four four one two nine zero")
    got = found(det, text)
    assert got.get("oh seven seven double oh nine double oh one two three") == "PHONE"
    assert got.get("943 476 5919") == "NHS_NUMBER"
    assert got.get("four four one two nine zero") == "ID"


def test_numbers_negative(det: Detector) -> None:
    got = found(det, "We had two or three nurses and one or two doctors on 12 beds.")
    assert got == {}, got


def test_contacts(det: Detector) -> None:
    text = ("Email me at a.okafor@example.org or k dot mensah at nhs dot net, "
            "or see https://example.org/x. The GMC number is 7012345.")
    got = found(det, text)
    assert got.get("a.okafor@example.org") == "EMAIL"
    assert got.get("k dot mensah at nhs dot net") == "EMAIL"
    assert "URL" in got.values()
    assert got.get("7012345") == "ID"


# -- lists, scores, transcript anchoring -----------------------------------------------------
def test_terms_always_and_never() -> None:
    det = Detector(terms=Terms(always=[{"text": "Kestrel House", "type": "LOCATION"}],
                               never=["Whipps Cross"]))
    got = found(det, "We met at Kestrel House near Whipps Cross.")
    assert got.get("Kestrel House") == "LOCATION"
    assert "Whipps Cross" not in got
    det.set_terms(Terms())
    assert "Whipps Cross" in found(det, "We met at Kestrel House near Whipps Cross.")


def test_scores_order_review(det: Detector) -> None:
    spans = {s.text: s.score for s in det.detect_text(
        "My NHS number is 943 476 5919 and I work at Leeds Teaching Hospitals with "
        "someone called Zorbitan.")}
    assert spans["943 476 5919"] >= 0.95
    assert spans["Leeds Teaching Hospitals"] >= 0.9
    assert spans["Zorbitan"] < spans["Leeds Teaching Hospitals"]


def test_detect_transcript_anchors_per_segment(det: Detector) -> None:
    segs = [Segment(0, 0, 2, "Hello, I'm Ngozi Eze.", "S1"),
            Segment(1, 2, 4, "I work at Whipps Cross on Ward 7.", "S2")]
    t = Transcript(RecordingInfo("x"), segs)
    fs = det.detect_transcript(t)
    for f in fs:
        assert t.segment(f.segment_id).text[f.start:f.end] == f.text
        assert f.decision.value == "pending"
    assert {(f.segment_id, f.text) for f in fs} >= {(0, "Ngozi Eze"), (1, "Whipps Cross"),
                                                   (1, "Ward 7")}


def test_long_text_is_chunked(det: Detector) -> None:
    line = "Participant: I worked with Oluwaseun Bakare at Whipps Cross for years.\n"
    text = line * 120  # ~1,400 words, many chunks
    spans = det.detect_text(text)
    names = [s for s in spans if s.text == "Oluwaseun Bakare"]
    assert len(names) == 120
    assert all(text[s.start:s.end] == s.text for s in spans)
