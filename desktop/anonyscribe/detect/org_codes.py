"""ORGANISATION said as a code or letters: numbered and lettered wards ("ward 7B", "ward
b two", "on Huntsman 5"), unit codes ("on D6", "s eleven"), halls and wings named by a
letter, initialisms said letter by letter and capitals no list knows."""

from __future__ import annotations

import re

from ..core.model import Span
from .dates import CALENDAR_WORDS
from .lexicon import STOP
from .numbers import NUMBER_WORDS
from .org_base import OrgBase
from .org_words import AT_WORDS, BODY_TAILS, UNIT_ACRONYMS, function_word
from .text import FILLERS, Chunk, Tok

_CAPS = re.compile(r"^[A-Z]{3,6}$")
_WARD_CODE = re.compile(r"^\d{1,2}[A-Za-z]?$")
# A ward's code in one word, a letter and a number ("f2", "g4", "6b"), said after another.
_JOINED_CODE = re.compile(r"^(?:[a-z]\d{1,2}[a-z]?|\d{1,2}[a-z])$")
# Capitalised words said "on <word> <number>" that are no ward: grades, floors, pages, routes.
_NOT_WARD_NAMES = {"band", "level", "floor", "page", "step", "stage", "grade", "year", "day",
                   "week", "module", "section", "channel", "line", "platform", "route", "bus",
                   "table", "bay", "bed", "room", "chapter", "question", "part", "phase",
                   "tier", "key", "form", "series", "season", "episode", "list", "slide", "item",
                   "number", "no", "version", "block", "zone", "pod", "gate", "junction", "exit",
                   "the", "ward", "call", "shift", "rota", "nights", "days", "covid", "radio",
                   "bbc", "itv", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                   "oct", "nov", "dec", "f", "st", "ct", "fy", "ms", "mrs", "mr", "dr"}
_TIMES = {"pm", "am", "o'clock", "hours", "minutes", "mins", "days", "weeks", "years", "percent"}
# Parts of a hospital said beside a ward that are no ward's name ("ward nine and recovery").
_HOSPITAL_AREAS = {"recovery", "resus", "majors", "minors", "triage", "outpatients",
                   "reception", "admin", "pharmacy", "radiology", "xray", "x-ray", "endoscopy",
                   "dialysis", "labour", "delivery", "community", "clinic", "clinics", "rehab",
                   "discharge", "discharges", "admissions", "theatre", "theatres", "paeds",
                   "maternity", "bank", "agency", "home", "lunch", "breaks", "handover",
                   "transfers", "beds", "bays", "corridors", "stores", "wards", "units"}
# Halls, wings and blocks named by a letter: prison halls, hospital blocks ("d hall", "C wing").
_LETTER_SITES = {"hall", "wing", "block", "division", "landing", "spur", "house"}
# "Ward 23", "Ward 7B", "ward b", "Ward C21", "Ward A604": a ward's number or code.
_WARD_NUMBER = re.compile(r"^(?:\d{1,3}[a-z]?|[a-z]\d?|[A-Z]{1,2}\d{0,4}[A-Z]?)$", re.I)
# Wards and units named by a code, said where someone works: "on D6", "on s eleven", "on 3
# South", "h four and h five". Not: a/i (words), m (motorways), q (questions), f (foundation
# years), vitamins (B12, D3), phone networks (4G).
_UNIT_CODE = re.compile(r"^[A-Za-z]\d{1,3}[A-Za-z]?$")
_DIGIT_LETTER = re.compile(r"^\d{1,2}[A-FH-Za-fh-z]$")
_CODE_CUES = {"on", "onto", "to", "from", "at"}
_NOT_CODE_LETTERS = {"a", "i", "m", "q", "f"}
_NOT_CODES = {"b12", "b6", "d3", "a4", "a5", "e4", "covid19", "c19", "g7", "p45", "p60"}
_COUNTS = NUMBER_WORDS - {"oh", "o", "zero", "nought", "nil", "double", "triple", "treble"}
_COMPASS_WINGS = {"north", "south", "east", "west"}
# Letter pairs said for what is no organisation: A&E, R&D, Q&A, B&B, T&Cs, P&L.
_NOT_LETTER_PAIRS = {"ae", "rd", "qa", "bb", "tc", "pl", "sm", "bw"}
# Two letters after "the"/"at" that name no organisation: the GP, the IT, the PE, the TV.
_NOT_TWO_LETTERS = {"gp", "it", "pe", "tv", "pc", "ot", "pt", "hr", "iv", "ed", "ae", "ni", "uk",
                    "us", "eu", "dj", "mp", "ok", "ct", "mr", "er", "ms", "dr", "fy", "st",
                    "id", "cv", "pa", "md", "dn", "hv", "qa", "am", "pm", "ep", "bp", "mg", "ml",
                    "ib", "gb", "ad", "bc", "ps", "xl", "vr", "ai", "ie", "eg", "op", "nb", "xy"}
_TWO_LETTER_CUES = {"the", "at", "from", "to"}


def _ward_letter(toks: list[Tok], k: int) -> bool:
    """A ward's letter said after its number: b-h always, 'a' only before a pause."""
    w = toks[k].lower
    if len(w) != 1 or w not in "abcdefgh":
        return False
    return w != "a" or k + 1 >= len(toks) or not toks[k + 1].is_word


# Words after "ward five a" that make the "a" an article ("on ward five a lot").
_A_NOUNS = {"lot", "bit", "few", "couple", "day", "week", "month", "year", "night", "while",
            "little", "long", "good", "number", "shift", "time", "fortnight"}


def _ward_a(toks: list[Tok], k: int) -> bool:
    """'ward five a since june': the letter a of a ward's code, not an article before a noun."""
    if toks[k].lower != "a" or k + 1 >= len(toks):
        return False
    nxt = toks[k + 1]
    return nxt.is_word and nxt.lower not in _A_NOUNS and nxt.lower not in NUMBER_WORDS \
        and nxt.pos not in ("NOUN", "ADJ", "PROPN", "NUM", "ADV", "X", "")


def _number_compound(word: str) -> bool:
    """'twenty-three', 'forty-one': a number written with a hyphen."""
    parts = word.split("-")
    return len(parts) == 2 and all(p in NUMBER_WORDS for p in parts)


# Marks between "the wards" and the coded wards it lists ("on the wards - West 1, West 2").
_LIST_MARKS = {",", "-", "–", "—", ":"}
# Words a coded ward's name is listed after ("on the ward, Medical 3", "Hospital, Medical 2").
_WARD_LEADS = {"ward", "wards", "hospital", "infirmary"}
# Heads numbered like wards: "Ward 7B", "Unit 5B", "unit five b".
_NUMBERED_HEADS = {"ward", "unit"}


def _unit_number(toks: list[Tok], j: int) -> bool:
    """Is a unit's number said at toks[j] ('5B', 'five b', 'twelve'): a code with a digit or
    one or two number words; not a letter ('unit s t sixteen': a postcode spelled) nor a phone
    number read out ('the day unit oh two oh seven ...')."""
    w = toks[j].lower
    if any(c.isdigit() for c in w):
        return len(w) <= 4
    if w not in _COUNTS or w == "one" and j + 1 < len(toks) and toks[j + 1].lower in _COUNTS:
        return False
    k = j
    while k < len(toks) and toks[k].lower in NUMBER_WORDS:
        k += 1
    return k - j <= 2


def _inward_follows(toks: list[Tok], k: int) -> bool:
    """Does a postcode's inward code start at toks[k] ('one q x', '1QX'): a digit and two
    letters?"""
    if k >= len(toks):
        return False
    w = toks[k].lower
    if re.fullmatch(r"\d[a-z]{2}", w):
        return True
    return (w in _COUNTS or w.isdigit() and len(w) == 1) and k + 2 < len(toks) \
        and all(len(toks[n].text) == 1 and toks[n].is_alpha for n in (k + 1, k + 2))


class OrgCodes(OrgBase):
    """Wards, units and bodies named by codes and letters."""

    def _wards(self, chunk: Chunk) -> list[Span]:
        """'Ward 23', 'ward twenty three', 'Ward 7B', and units numbered the same way ('Unit
        5B', 'unit five b'; not 'the unit 2 years ago'). Not a postcode said after "ward"
        ('post it to the ward n eighteen one q x': the number rules find it)."""
        out = []
        toks = chunk.toks
        for i, t in enumerate(toks[:-1]):
            if t.lower not in _NUMBERED_HEADS:
                continue
            j = i + 1
            nxt = toks[j]
            if t.lower == "unit" and (not _unit_number(toks, j)
                                      or "\n" in chunk.text[t.end:nxt.start]):
                continue  # "on the unit\na1 (00:12)": the next line's label
            if nxt.lower in NUMBER_WORDS or _number_compound(nxt.lower):
                while j + 1 < len(toks) and (toks[j + 1].lower in NUMBER_WORDS
                                             or _number_compound(toks[j + 1].lower)):
                    j += 1
                if j + 1 < len(toks) and (_ward_letter(toks, j + 1) or _ward_a(toks, j + 1)):
                    j += 1  # "ward seven c", "ward twelve b", "ward five a since june"
            elif len(nxt.text) == 1 and nxt.text.isalpha() and nxt.lower != "i" \
                    and j + 1 < len(toks) and (toks[j + 1].lower in NUMBER_WORDS
                                               or toks[j + 1].text.isdigit()) \
                    and (nxt.lower != "a" or toks[j + 1].lower in _COUNTS - {"one"}):
                if _inward_follows(toks, j + 2):
                    continue  # "ward n eighteen one q x": a postcode's inward code follows
                j += 1  # "ward b two", "Ward C 3", "ward a four"
            elif not _WARD_NUMBER.match(nxt.text) or nxt.lower in {"a", "i"} or (
                    nxt.text.isalpha() and len(nxt.text) > 1 and not nxt.text.isupper()):
                continue
            if nxt.lower in {"one", "a"} and chunk.text[nxt.end:nxt.end + 1] not in " .,":
                continue
            if j + 1 < len(toks) and toks[j + 1].lower in _COMPASS_WINGS and (
                    toks[j + 1].is_cap or not chunk.cased):
                j += 1  # "ward c four west", "Ward 2 East"
            unit = t.lower == "unit"
            if unit and (j + 1 < len(toks) and toks[j + 1].lower in _TIMES
                         or i and toks[i - 1].lower in ("a", "an", "each", "every")
                         or chunk.cased and not t.is_cap and i and toks[i - 1].lower != "on"):
                continue  # "the unit 2 years ago", "a unit 3 essay": a unit of a course
            s, e = t.start, toks[j].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.6 if unit else 0.9,
                            "unit-number" if unit else "ward-number"))
        return out

    def _coded_wards(self, chunk: Chunk) -> list[Span]:
        """'on Huntsman 5', 'a staff nurse on Inpatient 1': a ward is often a name with a
        number, said after "on" (worked on, bank on), after "the ward(s)" and a comma or dash
        ('on the wards - West 1, West 2'), or listed after one ('West 1, West 2'); not a
        band, level, date or page."""
        out = []
        toks = chunk.toks
        ends: set[int] = set()  # token indices where a coded ward ended
        for i in range(1, len(toks) - 1):
            t, num = toks[i], toks[i + 1]
            if not self._coded_ward_cue(toks, i, ends) or not t.is_cap or not t.is_alpha \
                    or t.text.isupper() \
                    or t.lower in STOP or t.lower in _NOT_WARD_NAMES or t.lower in CALENDAR_WORDS \
                    or not _WARD_CODE.match(num.text) or chunk.text[t.end:num.start] != " ":
                continue
            after = toks[i + 2] if i + 2 < len(toks) else None
            if after is not None and (after.text in (":", "/", ".") and i + 3 < len(toks)
                                      and toks[i + 3].text.isdigit() or after.lower in _TIMES):
                continue  # "on Level 3.5", "on Friday 5 pm"
            ends.add(i + 1)
            out.append(Span(t.start, num.end, "ORGANISATION", chunk.text[t.start:num.end], 0.5,
                            "coded-ward"))
        return out

    @staticmethod
    def _coded_ward_cue(toks: list[Tok], i: int, ends: set[int]) -> bool:
        """Is toks[i] where a coded ward's name goes: after "on", after "ward(s)" or a
        hospital and a comma, dash or colon, or after a coded ward and a comma or "and"?"""
        prev = toks[i - 1]
        if prev.lower == "on":
            return True
        if prev.text not in _LIST_MARKS and prev.lower not in ("and", "or"):
            return False
        if i - 2 in ends:
            return True  # "West 1, West 2"
        return prev.text in _LIST_MARKS and i >= 2 and toks[i - 2].lower in _WARD_LEADS

    def _unit_codes(self, chunk: Chunk) -> list[Span]:
        """'on D6', 'on s eleven', 'at t5', 'on 6D', 'on 3 South', 'C4 East', and a second code
        joined to one ('h four and h five', 't4? or t5?'): wards and units named by a code,
        said where someone works (low score: the review decides)."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        ends: set[int] = set()  # token indices where a code ended
        for i in range(1, len(toks)):
            prev, t = toks[i - 1].lower, toks[i]
            joined = prev in ("and", "or", ",") and (i - 2 in ends or (
                i >= 3 and toks[i - 2].text == "?" and i - 3 in ends)) \
                or i - 1 in ends or self._ward_code_before(toks, i)
            if prev not in _CODE_CUES and not joined or "\n" in text[toks[i - 1].end:t.start]:
                continue  # not "... take people to\ns2 (00:02:08):", a speaker's label
            j = self._code_end(toks, i, prev == "on" or joined, chunk.cased, joined)
            if j is None:
                continue
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if nxt is not None and (nxt.lower in _TIMES or nxt.text in (":", "/", "(")):
                continue  # "at t5 pm"? "on 3/4", "to s2 (00:02:08)"
            if nxt is not None and nxt.lower in _COMPASS_WINGS and (
                    nxt.is_cap or not chunk.cased):
                j += 1  # "C4 East"
            ends.add(j)
            s, e = t.start, toks[j].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], 0.5, "unit-code"))
        return out

    @staticmethod
    def _ward_code_before(toks: list[Tok], i: int) -> bool:
        """'ward f1 f2 and g4': toks[i] follows (or is joined to) a code said after 'ward'."""
        j = i - 2 if i >= 2 and toks[i - 1].lower in ("and", "or", ",") else i - 1
        return j >= 1 and _UNIT_CODE.match(toks[j].text) is not None \
            and toks[j - 1].lower in ("ward", "wards")

    @staticmethod
    def _code_end(toks: list[Tok], i: int, on: bool, cased: bool,
                  listed: bool = False) -> int | None:
        """Where a unit's code starting at toks[i] ends, or None if it is no code. A code
        listed after another may start with any letter ("f1 f2 and g4"); alone, "f1"/"f2"
        are foundation years, "f7" a unit."""
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        letter_ok = t.lower[:1] not in _NOT_CODE_LETTERS or listed and t.lower[:1] != "a" \
            or t.lower[:1] == "f" and t.lower[1:] not in ("1", "2")
        if _UNIT_CODE.match(t.text) and letter_ok \
                and t.lower not in _NOT_CODES and (t.text[0].isupper() or not cased):
            return i  # "D6", "t5", "C21"
        if len(t.text) == 1 and t.is_alpha and t.lower not in _NOT_CODE_LETTERS \
                and nxt is not None and nxt.lower in _COUNTS and (t.is_cap or not cased):
            j = i + 1  # "s eleven", "h four", "d twenty one"
            while j + 1 < len(toks) and toks[j + 1].lower in _COUNTS - {"hundred"} and j < i + 2:
                j += 1
            return None if (t.lower, toks[i + 1].lower) in {("b", "twelve"), ("b", "six"),
                                                            ("d", "three")} else j
        if not on:
            return None
        if _DIGIT_LETTER.match(t.text) and (t.text[-1].isupper() or not cased):
            return i  # "on 6D"
        if cased and t.text.isdigit() and len(t.text) <= 2 and nxt is not None \
                and nxt.lower in _COMPASS_WINGS and nxt.is_cap:
            return i + 1  # "on 3 South"
        if not cased and t.lower in _COUNTS and t.lower != "one" and _ward_letter(toks, i + 1) \
                if i + 1 < len(toks) else False:
            return i + 1  # "on nine a", "on twelve b"
        return None

    def _spoken_letters(self, chunk: Chunk) -> list[Span]:
        """Lower case: initialisms said letter by letter, 'the n and n', 'r d and e', 'p and k
        council', and two letters after 'the'/'at' ('the j p'); not A&E, R&D, the GP, a
        spelled word, or a code with a number after it."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text

        def letter(k: int) -> bool:
            return 0 <= k < len(toks) and len(toks[k].text) == 1 and toks[k].is_alpha

        for i, t in enumerate(toks):
            if t.lower == "and" and letter(i - 1) and letter(i + 1) \
                    and toks[i + 1].lower not in ("a", "i"):
                s = i - 1
                while s > 0 and letter(s - 1) and s > i - 3 and toks[s - 1].lower not in "ai":
                    s -= 1  # not "a b and c options"
                if letter(s - 1) or letter(i + 2) or (
                        s == i - 1 and toks[s].lower + toks[i + 1].lower in _NOT_LETTER_PAIRS):
                    continue
                e = i + 1
                if e + 1 < len(toks) and toks[e + 1].lower in BODY_TAILS:
                    e += 1  # "p and k council"
                if e + 1 < len(toks) and (toks[e + 1].lower in _COUNTS
                                          or toks[e + 1].text.isdigit()):
                    continue
                out.append(Span(toks[s].start, toks[e].end, "ORGANISATION",
                                text[toks[s].start:toks[e].end], 0.5, "spoken-letters"))
            elif t.lower in _TWO_LETTER_CUES and letter(i + 1) and letter(i + 2) \
                    and "\n" not in text[t.end:toks[i + 2].start] \
                    and not letter(i + 3) and not letter(i - 1) \
                    and toks[i + 1].lower + toks[i + 2].lower not in _NOT_TWO_LETTERS \
                    and "a" not in (toks[i + 1].lower, toks[i + 2].lower) \
                    and (toks[i + 1].lower + toks[i + 2].lower).upper() not in self.lex.acronyms:
                nxt = toks[i + 3] if i + 3 < len(toks) else None
                if nxt is not None and (nxt.lower in NUMBER_WORDS or nxt.text.isdigit()):
                    continue  # "the f y one", "in b b six"
                s, e = toks[i + 1].start, toks[i + 2].end
                out.append(Span(s, e, "ORGANISATION", text[s:e], 0.4, "spoken-letters"))
        return out

    def _lettered_sites(self, chunk: Chunk) -> list[Span]:
        """'so a hall c hall d hall', 'on C wing', 'the lift in block b': halls, wings and
        blocks named by one letter. Not the article "a" ("a block of flats") unless another
        lettered site is beside it, nor "i"."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        found: list[tuple[int, int]] = []  # token ranges of sites named by a letter
        for i, t in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            if len(t.text) == 1 and t.is_alpha and t.lower != "i" \
                    and nxt.lower in _LETTER_SITES and text[t.end:nxt.start] == " " \
                    and (not chunk.cased or t.is_cap and not t.sent_start):
                after = toks[i + 2] if i + 2 < len(toks) else None
                if after is not None and after.lower in ("of", "'s"):
                    continue  # "a block of flats", "a hall of residence"
                found.append((i, i + 1))
            elif t.lower in _LETTER_SITES and len(nxt.text) == 1 and nxt.is_alpha \
                    and nxt.lower not in ("a", "i") and text[t.end:nxt.start] == " " \
                    and (not chunk.cased or nxt.is_cap) and (
                        i + 2 >= len(toks) or not toks[i + 2].is_word
                        or toks[i + 2].lower in STOP):
                found.append((i, i + 1))  # "block b", "Wing C"
        near = [a for a, _ in found]
        for a, b in found:
            if toks[a].lower == "a" and not chunk.cased \
                    and not any(0 < abs(x - a) <= 4 for x in near):
                continue  # "a hall", "a block": an article unless in a list of them (cased
                # text: a capital "A" inside a sentence is the letter, "does A wing")
            s, e = toks[a].start, toks[b].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], 0.5, "lettered-site"))
        return out

    def _unknown_initialisms(self, chunk: Chunk) -> list[Span]:
        """'the nearest ED is the SWAH', 'ABUHB took four months', 'the Brunel ICU': capitals
        no list knows, said where a place of work goes, are a guess worth a look (low
        score); a unit acronym after a name makes the name a unit."""
        out: list[Span] = []
        if not chunk.cased:
            return out
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks):
            if i == 0 or not _CAPS.match(t.text):
                continue
            prev = toks[i - 1]
            lw = t.lower
            if lw in UNIT_ACRONYMS:
                if prev.is_cap and prev.is_word and not prev.sent_start \
                        and not lex.is_word(prev.lower) and not prev.text.isupper():
                    out.append(Span(prev.start, t.end, "ORGANISATION",
                                    chunk.text[prev.start:t.end], 0.55, "named-unit-acronym"))
                continue
            if lw in lex.acronyms or lw in lex.never or t.text in lex.initialisms \
                    or lex.is_word(lw):
                continue
            # where a workplace goes, or four letters or more opening a sentence or joined by
            # "and" ("ABUHB took four months", "SWAST and ...")
            said = prev.lower in AT_WORDS or len(lw) >= 4 and (
                t.sent_start or prev.lower in ("and", "or", ","))
            if not said:
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and (nxt.lower in self.role_words or nxt.lower in self.heads):
                continue  # "the EDI lead", "the QI team": the rules for those decide
            out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.35, "unknown-initialism"))
        return out

    def _joined_wards(self, chunk: Chunk, found: list[Span]) -> list[Span]:
        """Lower case: 'on ward ten and larch and damson': one-word names joined by 'and'/'or'
        to a ward found here are wards too (wards are named after trees, birds, people); not
        a kind of area ('and theatres'), a shift or a count."""
        out: list[Span] = []
        toks = chunk.toks
        for sp in found:
            if sp.type != "ORGANISATION" or sp.score < 0.5 or not sp.text.lower().startswith(
                    "ward") and sp.source not in ("unit-code", "lettered-site"):
                continue
            k = chunk.tok_at(sp.end)
            while k is not None and k + 1 < len(toks) and toks[k].lower in ("and", "or"):
                w = toks[k + 1]
                nxt = toks[k + 2] if k + 2 < len(toks) else None
                if not w.is_alpha or len(w.text) < 3 or function_word(w) or w.lower in FILLERS \
                        or w.lower in NUMBER_WORDS or w.lower in CALENDAR_WORDS \
                        or w.lower in _NOT_WARD_NAMES or w.lower in self.generic \
                        or w.lower in self.heads or w.lower in self.unit_heads \
                        or w.lower in self.role_words or w.lower in UNIT_ACRONYMS \
                        or w.lower in _HOSPITAL_AREAS or w.lower[:-1] in STOP \
                        or w.lower.endswith(("ing", "ly")) or nxt is not None \
                        and nxt.is_word and nxt.lower not in STOP:
                    break
                out.append(Span(w.start, w.end, "ORGANISATION", w.text, 0.4, "ward-joined"))
                k += 2
        return out

    def _joined_codes(self, chunk: Chunk, found: list[Span]) -> list[Span]:
        """'across amu ward f1 f2 and g4': codes said after a ward's code, one after the
        other or joined by 'and'/'or'/',', are wards too (a letter and a number in one
        word), in lower-case speech inside cased text too."""
        out: list[Span] = []
        for sp in found:
            if sp.type == "ORGANISATION" and sp.score >= 0.5 and sp.text.lower().startswith(
                    "ward"):
                self._codes_after(chunk, chunk.tok_at(sp.end), out)
        return out

    @staticmethod
    def _codes_after(chunk: Chunk, k: int | None, out: list[Span]) -> None:
        toks = chunk.toks
        while k is not None and k < len(toks):
            j = k + 1 if toks[k].lower in ("and", "or", ",") else k
            if j >= len(toks) or not _JOINED_CODE.match(toks[j].lower) \
                    or "\n" in chunk.text[toks[k - 1].end:toks[j].start]:
                break
            w = toks[j]
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if nxt is not None and nxt.is_word and nxt.lower not in STOP \
                    and not _JOINED_CODE.match(nxt.lower):
                break  # "and a4 paper": a noun goes on
            out.append(Span(w.start, w.end, "ORGANISATION", w.text, 0.45, "ward-joined"))
            k = j + 1

