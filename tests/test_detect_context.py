"""Round-2 rule families through the real Detector: context cues in lower-case speech output,
nicknames, echoes, roles said as posts, spelled codes and event months.

Sentences are our own (not from the dev set); each positive has a negative beside it.
"""

from __future__ import annotations

from pathlib import Path

from anonyscribe.detect.engine import Detector

HELDOUT = Path(__file__).resolve().parent / "data" / "detect_heldout"


def covered(det: Detector, text: str, part: str, nth: int = 0) -> bool:
    """Is every character of the nth occurrence of ``part`` inside some span?"""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    end = start + len(part)
    pos = start
    for s in sorted(det.detect_text(text), key=lambda s: s.start):
        if s.start <= pos < s.end:
            pos = s.end
    return pos >= end


def types_over(det: Detector, text: str, part: str) -> set[str]:
    start = text.index(part)
    return {s.type for s in det.detect_text(text) if s.start < start + len(part)
            and start < s.end}


# -- people: word-names in lower case ------------------------------------------------------
def test_word_name_with_cues_on_both_sides(det: Detector) -> None:
    text = "i: so who ran it\np: the trainer was this guy mark and he said we could leave early"
    assert covered(det, text, "mark")
    assert not types_over(det, "p: you will see what i mean and we can mark it later", "mark")


def test_word_name_after_relation_was(det: Detector) -> None:
    text = "p: so my mentor was faith and she's a ward manager so she knew the ropes"
    assert covered(det, text, "faith")
    assert not types_over(det, "p: so i lost faith and she's never been back", "faith")


def test_known_name_propagates_only_in_name_contexts(det: Detector) -> None:
    text = ("p: my line manager was joy adebayo she's lovely\n"
            "p: then i asked joy about the post and she said go for it\n"
            "p: i got no joy from hr though")
    assert covered(det, text, "joy", nth=1)
    assert not types_over(det, text[text.index("no joy"):], "joy")


def test_names_listed_together(det: Detector) -> None:
    text = "p: they mix us up all the time they call me rosalie or grace it is always"
    assert covered(det, text, "rosalie")
    assert covered(det, text, "grace")
    assert not types_over(det, "p: it was a matter of luck or grace period i suppose", "grace")


def test_vocative_in_quotes(det: Detector) -> None:
    text = 'Then Ruth turned to me and said, "Comfort, you are ready for this."'
    assert covered(det, text, "Comfort")
    assert not types_over(det, "It was a comfort to me, Ruth said.", "comfort")


# -- organisations: nicknames, workplace cues, echoes -------------------------------------
def test_hospital_nicknames(det: Detector) -> None:
    text = "i did my training at the JR and then moved to jimmy's and now i'm at the royal berks"
    for part in ("JR", "jimmy's", "royal berks"):
        assert covered(det, text, part), part


def test_ordinary_word_org_needs_workplace_cue(det: Detector) -> None:
    assert covered(det, "p: then i got a job over at good hope on the day unit", "good hope")
    assert not types_over(det, "p: there was good hope that things would change", "good hope")


def test_false_start_and_initials_echo(det: Detector) -> None:
    text = "p: i trained at city um city university and now i work for oxleas"
    assert covered(det, text, "city", nth=0)
    text = "p: i'm at the maudsley so slam south london and maudsley and i love it"
    assert covered(det, text, "slam")
    assert not types_over(det, "p: don't slam the door on the way out", "slam")


def test_university_short_forms(det: Detector) -> None:
    text = "p: i did my degree at oxford brookes and my masters at manchester met"
    assert covered(det, text, "oxford brookes")
    assert covered(det, text, "manchester met")


# -- places --------------------------------------------------------------------------------
def test_ordinary_word_place_needs_home_cue(det: Detector) -> None:
    assert covered(det, "p: we've always lived in reading so it's home", "reading")
    assert covered(det, "p: i live in west brom now near the park", "west brom")
    assert not types_over(det, "p: i was interested in reading the policy", "reading")


# -- roles, IDs, dates ---------------------------------------------------------------------
def test_post_said_without_article(det: Detector) -> None:
    assert "ROLE" in types_over(det, "I was appointed as coordinator last spring.", "coordinator")
    assert not types_over(det, "She works well as a coordinator of volunteers.", "coordinator")


def test_role_phrases(det: Detector) -> None:
    text = "I went to the Freedom to Speak Up Guardian about it."
    assert covered(det, text, "Freedom to Speak Up Guardian")


def test_spelled_code_after_id_cue(det: Detector) -> None:
    text = "p: my pin is um it's nine eight c one two three four e yeah"
    assert covered(det, text, "nine eight c one two three four e")
    assert not types_over(det, "p: it was one of those days a b c one two three", "c one two")


def test_month_with_event_only(det: Detector) -> None:
    assert covered(det, "p: the new cohort started in october and it's going well", "october")
    got = types_over(det, "p: it's usually quiet in january and february", "january")
    assert "DATE" not in got


# -- our own held-out snippets ---------------------------------------------------------------
def test_heldout_snippets_recall(det: Detector) -> None:
    """Our three held-out snippets: every gold identifier should be covered (allow one miss)."""
    import re

    gold_rx = re.compile(r"\{\{([A-Z_]+):([^{}]*)\}\}")
    missed, total = [], 0
    for path in sorted(HELDOUT.glob("*.txt")):
        src = path.read_text(encoding="utf-8")
        text = gold_rx.sub(lambda m: m.group(2), src)
        spans = det.detect_text(text)
        pos = 0
        for m in gold_rx.finditer(src):
            start = m.start() - pos
            pos += len(m.group()) - len(m.group(2))
            end = start + len(m.group(2))
            total += 1
            if not any(s.start <= start and end <= s.end for s in spans) and not all(
                    any(s.start <= w.start() + start and w.end() + start <= s.end for s in spans)
                    for w in re.finditer(r"\w+", m.group(2))):
                missed.append(m.group())
    assert total > 50
    assert len(missed) <= 2, missed
