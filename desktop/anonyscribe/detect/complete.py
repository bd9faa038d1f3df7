"""Completion: a name is hidden only when every word of it is covered.

The rules and the learned step often find the telling word of an organisation's name and stop
short of the ordinary words around it: "Beith road surgery" found as the place "Beith",
"Berryfields medical centre" as the name "Berryfields", "the Alzheimer Society of Ireland" as
"Alzheimer Society" and "Ireland", "Nando's" as "Nando". One pass over the final spans, in
text order, grows a span over what completes it:

* the kind of place said after it ("surgery", "medical centre", "road surgery", "homecare");
* "of" and a span or capitalised words after an organisation ("Society of Ireland");
* a possessive "'s" that is part of an organisation's name ("St Mary's", "the Sheppy's"), or
  that makes a name a place ("at O'Hara's for years", not "at Sarah's house");
* the name before a span that is only a kind of place ("kind hands" before "homecare");
* the number of a grade said after it ("cnm two", "fy 2", "st six");
* the letters of an initialism said beside it ("dundalk i t", "t k maxx", "h m p durham");
* a name joined by "and" before an organisation that ends in its kind of place, which the
  two share ("Leigh and Atherton PCN", "Okoro and Daughters Care", "black and brown staff
  network"): every word of the name is covered, "and" too.

Nothing crosses a line, a label or a never-listed phrase (the engine's ``allowed`` test). Each
step looks at a bounded number of words after one span, so the pass stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..core.model import Span
from .lexicon import STOP
from .numbers import NUMBER_WORDS
from .org_words import NOT_A_NAME
from .text import FILLERS

ORG = "ORGANISATION"


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Kinds of place said after a name that make the whole an organisation ("Comrie colliery").
HEADS = _wordset("""
surgery surgeries practice hospital hospitals infirmary clinic centre center hospice college
university uni school academy homecare healthcare nursing care carers colliery mosque church
chapel temple gurdwara synagogue cathedral inn hotel pub bar tavern buses coaches taxis
memorial council institute society association foundation trust ltd limited plc llp cic
pharmacy chemist chemists recruitment staffing lodge manor dental dentistry medical opticians
agency network partners partnership hscp pcn federation co-op cooperative jail prison base
station barracks co service services
""")
# Kinds of place that follow a person's name in other senses too ("Sarah's house", "told Sam
# school was hard"): after a name they complete it only with another word between or after.
_WEAK_AFTER_PERSON = frozenset({"care", "school", "bar", "pub", "memorial", "network",
                                "partners", "society", "association", "trust", "co",
                                "service", "services"})
# Words that may stand between a name and its head ("Beith road surgery", "Cappamore day
# care", "Tralee ambulance base", "Hope Street health centre").
_BETWEEN = _wordset("""
road street lane avenue drive way close crescent terrace place square park hill green view
medical dental health day community general district regional memorial war ambulance
family group primary mental nursing home care and practice surgery village town city
county royal
""") | HEADS
_BETWEEN_ONLY = frozenset({"and"})  # never the last word
# Heads of an organisation whose name goes on with "of" ("Society of Ireland", "bank of").
_OF_HEADS = _wordset("""
society institute church school college university academy faculty department bank
association federation council board trust foundation centre center hospital order sisters
brothers friends league union royal
""")
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_WORD_BEFORE = re.compile(r"(?<![^\W_])[^\W_]+(?:[-'’][^\W_]+)*$")
_POSSESSIVE = re.compile(r"['’]s(?![^\W_])")
_GAP = re.compile(r"[ \t]+")
_GAP_BEFORE = re.compile(r"[ \t]+$")
# Grades said with their number after them; the number belongs to the post.
_GRADES = frozenset({"fy", "f", "st", "ct", "cnm", "imt", "cmt", "gpst", "spr", "str", "band"})
_DIGITS = re.compile(r"\d{1,2}[a-d]?$")
_MAX_BEFORE = 2
_LOOK_BACK = 80
_DETS = frozenset({"a", "an", "the"})
_MAX_AHEAD = 4
_GROWS = frozenset({ORG, "LOCATION", "PERSON"})  # not a post, a date or a number
# Kinds of place two names joined by "and" share ("Leigh and Atherton PCN", "the women and
# children's unit"): the completion heads and the kinds of unit inside a hospital.
_SHARED_HEADS = HEADS | frozenset({"unit", "ward", "wing", "team", "group", "hub", "clinic"})
_JOIN = re.compile(r"[ \t]+(?:and|&)[ \t]+$", re.IGNORECASE)
_WEEKDAYS = _wordset("monday tuesday wednesday thursday friday saturday sunday")


def complete(text: str, spans: list[Span], allowed: Callable[[Span], bool]) -> list[Span]:
    """``spans`` (sorted, disjoint) with each grown over the words that complete it; spans
    grown into are absorbed. The result is sorted and disjoint."""
    out: list[Span] = []
    i = 0
    while i < len(spans):
        sp = spans[i]
        floor = out[-1].end if out else 0
        for back in (_name_before, _letters_before):
            before = back(text, sp, floor)
            if before is not None and allowed(before):
                sp = before
        joined = _joined_before(text, sp, out[-1] if out else None)
        if joined is not None and allowed(joined):
            if out and joined.start < out[-1].end:
                out.pop()  # the name before "and" is part of this one
            sp = joined
        j = i + 1
        while True:
            grown, used = _grow(text, sp, spans, j)
            if grown is None or not allowed(grown):
                break
            sp, j = grown, used
        out.append(sp)
        i = j
    return out


def _grow(text: str, sp: Span, spans: list[Span], j: int) -> tuple[Span | None, int]:
    """One step of growth of ``sp`` (spans[j:] follow it): the grown span and the index of
    the first span it leaves alone, or (None, j)."""
    nxt = spans[j] if j < len(spans) else None
    end = sp.end
    if _last_word(sp) in _GRADES:
        words = _words_ahead(text, end)[:1]
        if words and (words[0][2] in NUMBER_WORDS or _DIGITS.match(words[0][2])):
            return _to(text, sp, words[0][1], sp.type, nxt, j), j
    if sp.type not in _GROWS:
        return None, j
    poss = _POSSESSIVE.match(text, end)
    if poss and (sp.type == ORG or _after_det(text, sp.start)):
        return _to(text, sp, poss.end(), ORG, nxt, j), j
    if poss and _at_place(text, sp.start) and _nothing_owned(text, poss.end()):
        return _to(text, sp, poss.end(), sp.type, nxt, j), j  # "a barmaid at o'hara's, then"
    words = _words_ahead(text, poss.end() if poss else end)
    head = _head_end(words, sp.type, bool(poss))
    if head is not None:
        return _absorb(text, sp, head, spans, j)
    letters = _letter_run(words)
    if letters is not None and not poss:
        return _to(text, sp, letters, sp.type, nxt, j), j
    if len(words) > 1 and words[0][2] == "of" and not poss and (
            sp.type == ORG or _last_word(sp) in _OF_HEADS):
        return _of_tail(text, sp, words, spans, j)
    return None, j


def _letter_run(words: list[tuple[int, int, str]]) -> int | None:
    """The end of two or more single letters said as an initialism ("i t", "h m p"), not
    only "a" and "i"; or None."""
    k = 0
    while k < len(words) and len(words[k][2]) == 1 and words[k][2].isalpha():
        k += 1
    if k < 2 or all(w[2] in "ai" for w in words[:k]):
        return None
    return words[k - 1][1]


def _letters_before(text: str, sp: Span, floor: int) -> Span | None:
    """An organisation, place or name said after its initialism's letters ("t k maxx",
    "h m p durham"): the span grown back over them."""
    if sp.type not in _GROWS:
        return None
    floor = max(floor, sp.start - _LOOK_BACK)
    start = pos = sp.start
    letters: list[str] = []
    while len(letters) < _MAX_AHEAD:
        gap = _GAP_BEFORE.search(text, floor, pos)
        m = _WORD_BEFORE.search(text, floor, gap.start()) if gap else None
        if m is None or len(m.group()) != 1 or not m.group().isalpha():
            break
        letters.append(m.group().lower())
        pos = m.start()
    if len(letters) < 2 or all(x in "ai" for x in letters):
        return None
    start = pos
    return Span(start, sp.end, sp.type, text[start:sp.end], sp.score, sp.source)


def _name_before(text: str, sp: Span, floor: int) -> Span | None:
    """A span that is only the kind of place ("homecare", "Care"), grown back over the up to
    ``_MAX_BEFORE`` words before it that name it ("kind hands homecare"); not past a stop
    word, a filler, the previous span (``floor``) or the start of the line."""
    words = [w.lower() for w in _WORD.findall(sp.text)]
    if sp.type not in _GROWS or not words or not all(w in HEADS for w in words):
        return None
    start = pos = sp.start
    floor = max(floor, sp.start - _LOOK_BACK)  # a bounded look: the pass stays linear
    taken = 0
    while taken < _MAX_BEFORE:
        gap = _GAP_BEFORE.search(text, floor, pos)
        m = _WORD_BEFORE.search(text, floor, gap.start()) if gap else None
        if m is None:
            break
        low = m.group().lower()
        if low == "and" and pos == sp.start:  # "Bush and Co": once, right before the span
            pos = m.start()
            continue
        if low in STOP or low in FILLERS or low in HEADS:
            break
        start = pos = m.start()
        taken += 1
    if start == sp.start:
        return None
    return Span(start, sp.end, ORG, text[start:sp.end], sp.score, sp.source)


def _joined_before(text: str, sp: Span, prev: Span | None) -> Span | None:
    """An organisation ending in its kind of place with a name joined before it by "and"
    that shares the kind ("Leigh and Atherton PCN", "Okoro and Daughters Care"): the span
    grown back over "and" and that name - the place found there (a short name with no kind
    of place of its own; not a person, "Sarah and Castle Surgery", nor an organisation of its
    own, "the Royal and Castle Hospital") or one word that is no small, time or head word."""
    words = [w.lower() for w in _WORD.findall(sp.text)]
    if sp.type != ORG or len(words) < 2 or words[-1] not in _SHARED_HEADS \
            or words[0] in _SHARED_HEADS:
        return None
    join = _JOIN.search(text, max(0, sp.start - 12), sp.start)
    if join is None:
        return None
    if prev is not None and prev.end == join.start():
        named = [w.lower() for w in _WORD.findall(prev.text)]
        if prev.type != "LOCATION" or not named or len(named) > 2 \
                or any(w in _SHARED_HEADS for w in named):
            return None
        start = prev.start
    else:
        m = _WORD_BEFORE.search(text, max(0, join.start() - 40), join.start())
        if m is None or (prev is not None and m.start() < prev.end) \
                or not _joinable(m.group(), sp.text):
            return None
        start = m.start()
    return Span(start, sp.end, ORG, text[start:sp.end], sp.score, sp.source)


def _joinable(word: str, name: str) -> bool:
    """Can ``word`` be the first of two names that share a kind of place: a word cased like
    the name's first, not a small word, filler, time or head word ("on Fridays and ...")."""
    low = word.lower()
    return word.isalpha() and len(word) > 1 and word[0].isupper() == name[0].isupper() \
        and low not in STOP and low not in FILLERS and low not in NOT_A_NAME \
        and low not in _SHARED_HEADS and low not in _WEEKDAYS \
        and not low.rstrip("s").endswith("day") and low not in NUMBER_WORDS


def _of_tail(text: str, sp: Span, words: list[tuple[int, int, str]], spans: list[Span],
             j: int) -> tuple[Span | None, int]:
    """"<organisation> of <span or Capitalised words>": the name goes on past "of"."""
    nxt = spans[j] if j < len(spans) else None
    after = words[1][0]
    if nxt is not None and nxt.start == after:
        return _absorb(text, sp, nxt.end, spans, j)
    end = None
    for s, e, low in words[1:]:
        if not text[s].isupper() or low in _DETS:
            break
        end = e
    if end is None:
        return None, j
    return _absorb(text, sp, end, spans, j)


def _absorb(text: str, sp: Span, end: int, spans: list[Span], j: int) -> tuple[Span, int]:
    """``sp`` grown to ``end`` (at least) as an organisation, with every span it reaches."""
    while j < len(spans) and spans[j].start < end:
        end = max(end, spans[j].end)
        j += 1
    return Span(sp.start, end, ORG, text[sp.start:end], sp.score, sp.source), j


def _to(text: str, sp: Span, end: int, typ: str, nxt: Span | None, j: int) -> Span | None:
    if nxt is not None and nxt.start < end:
        return None
    return Span(sp.start, end, typ, text[sp.start:end], sp.score, sp.source)


def _after_det(text: str, start: int) -> bool:
    """Is the span said after "a"/"the" ("a Nando's", "the Sheppy's"): a shop, not a person."""
    before = text[max(0, start - 5):start]
    m = re.search(r"(?:^|\s)(a|an|the)\s+$", before, re.IGNORECASE)
    return m is not None


# Words before a possessive said as a place ("at O'Hara's", "outside Hennigan's").
_AT_PLACE = re.compile(r"(?:^|\s)(?:at|in|outside|from|into|to|near|behind|opposite|by)"
                       r"(?:\s+the)?\s+$", re.IGNORECASE)
# What may follow such a possessive when nothing is owned: the clause goes on or ends.
_AFTER_PLACE = re.compile(r"\s*(?:[.,;:?!)\]\n-]|$|(?:in|on|at|for|and|or|but|so|then|now|"
                          r"when|with|till|until|since|yeah|um|uh|er|erm)\b)", re.IGNORECASE)


def _at_place(text: str, start: int) -> bool:
    """Is the span said where a place is ("at", "in", "outside" before it)?"""
    return _AT_PLACE.search(text[max(0, start - 16):start]) is not None


def _nothing_owned(text: str, pos: int) -> bool:
    """Does nothing owned follow a possessive ending at ``pos`` ("at O'Hara's for years",
    not "at Sarah's house")?"""
    return _AFTER_PLACE.match(text, pos) is not None


def _words_ahead(text: str, pos: int) -> list[tuple[int, int, str]]:
    """Up to ``_MAX_AHEAD`` words after ``pos``, separated by spaces only (on one line, no
    punctuation between)."""
    out: list[tuple[int, int, str]] = []
    while len(out) < _MAX_AHEAD:
        gap = _GAP.match(text, pos)
        if gap is None:
            break
        m = _WORD.match(text, gap.end())
        if m is None:
            break
        out.append((m.start(), m.end(), m.group().lower()))
        pos = m.end()
    return out


def _head_end(words: list[tuple[int, int, str]], typ: str, poss: bool) -> int | None:
    """Where the run of words after a span that names its kind of place ends, or None."""
    best = None
    for k, (_, e, low) in enumerate(words):
        if low not in _BETWEEN:
            break
        if low in HEADS and low not in _BETWEEN_ONLY:
            if typ == "PERSON" and k == 0 and low in _WEAK_AFTER_PERSON:
                continue
            best = e
    return best


def _last_word(sp: Span) -> str:
    words = _WORD.findall(sp.text)
    return words[-1].lower() if words else ""
