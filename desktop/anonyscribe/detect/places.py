"""LOCATION: towns, districts, counties, countries, streets and house addresses."""

from __future__ import annotations

import re

from ..core.model import Span
from .config import DetectionConfig
from .dates import CALENDAR_WORDS
from .lexicon import BARE_CONTRACTIONS, STOP, Lexicon
from .numbers import NUMBER_WORDS
from .text import FILLERS, Chunk, Tok

# Words before "estate" that say what kind of estate, not which one.
_GENERIC_ESTATE = {"council", "housing", "industrial", "business", "trading", "retail", "new",
                   "big", "private", "local", "social", "real", "rough", "old", "same", "whole"}
# Words after a place name that make a named estate, village part or landmark of it.
_FEATURES = {"farm", "estate", "village", "park", "green", "heath", "common", "end", "vale",
             "valley", "hill", "hills", "moor", "fields", "gardens", "square", "cross",
             "bridge", "town", "road", "street", "lane", "avenue", "way", "drive", "crescent",
             "close", "terrace", "grove", "place", "row", "walk", "wharf", "quay", "docks",
             "parade", "precinct", "centre", "bay", "beach", "harbour", "marina", "point"}
# Compass words said before a place to name its part ("east Kent", "west clare").
_COMPASS = {"north", "south", "east", "west", "mid", "north-east", "north-west", "south-east",
            "south-west", "northeast", "northwest", "southeast", "southwest"}
# British motorways and A/B roads, Irish national and regional roads ("the N20", "the R257").
_ROAD = re.compile(r"^(?:[MA]\d{1,4}|B\d{3,4}|N\d{1,2}|R\d{3})(?:\(M\))?$")
# Letters of roads said aloud before number words ("the r two five seven").
_SAID_ROAD_LETTERS = {"a", "m", "b", "n", "r"}
_PLACE_AND = {"and", "or", "&"}
# Irish place names begin with the article ("an Daingean", "an Cheathrú Rua", "Baile an
# Fheirtéaraigh", "Baile na nGall"); the word after it looks Irish: a long vowel, a softened
# or eclipsed first consonant, or an Irish ending. English says "an" before a vowel sound and
# Scots "an" ("and") joins English-looking names ("aiberdeen an banff"), which this leaves.
_IRISH_ARTICLES = {"an", "na"}
_IRISH_LETTERS = re.compile(r"[áéíóú]")
_IRISH_START = re.compile(r"^(?:[bcdfgmpst]h|bhf|mb|gc|nd|ng|bp|dt|ts|n-|t-)")
_IRISH_END = re.compile(r"(?:ean|eann|aigh|ach|ín|án|ille)$")
_PAIR_PREPS = {"in", "from", "between", "across", "around", "round", "near", "covering"}
# Prepositions that end a street name read backwards ("the a686 near Garrigill Green").
_NOT_IN_STREET = {"near", "past", "opposite", "behind", "beside", "towards", "via", "outside"}


def accept_phrase(toks: list[Tok], lex: Lexicon, cased: bool) -> float:
    """How sure a gazetteer hit is a name here (0 = reject): by case and ordinariness."""
    words = [t for t in toks if t.is_word]
    if not words:
        return 0.0
    common = all(lex.is_word(t.lower) or t.lower in lex.first_names for t in words)
    if cased:
        sig = [t for t in words if t.lower not in STOP]
        if not sig or not all(t.is_cap or t.text.isdigit() for t in sig):
            return 0.0
        if common and len(words) == 1 and (words[0].sent_start or words[0].text.isupper()):
            return 0.0
        return 0.7 if common else 0.9
    if common:
        return 0.0
    return 0.8


class PlaceRecognizer:
    def __init__(self, cfg: DetectionConfig, lex: Lexicon) -> None:
        self.lex = lex
        self.streets = cfg.words("location", "street_words")
        self.home_verbs = cfg.words("location", "home_verbs")
        self.origin_words = cfg.words("location", "origin_words")
        self.org_heads = cfg.words("organisation", "heads")
        self.titles = cfg.words("person", "titles")

    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        common: dict[int, int] = {}  # ordinary-word hits in lower case: start -> end token
        for m in self.lex.places.find(toks):
            seg = toks[m.start_tok:m.end_tok]
            score = accept_phrase(seg, self.lex, chunk.cased)
            if not score and not chunk.cased and self._home_cue(toks, m.start_tok):
                score = 0.55  # "i live in tower hamlets", "royal berkshire in reading"
            if not score and not chunk.cased:
                common[m.start_tok] = m.end_tok
            if m.start_tok and toks[m.start_tok - 1].lower in self.titles and (
                    toks[m.start_tok - 1].is_cap or not chunk.cased):
                continue  # "Mr Abernethy", "Dr Kendal": a person named after a place
            if score:
                s, e = seg[0].start, seg[-1].end
                k = m.end_tok
                if k < len(toks) and toks[k].lower in _FEATURES and (
                        toks[k].is_cap or not chunk.cased or toks[k].lower == "town"):
                    e = toks[k].end  # "Broadwater Farm", "Gipton estate", "Wicklow town"
                b = m.start_tok - 1
                if b >= 0 and toks[b].lower in _COMPASS and toks[b].end + 1 == seg[0].start:
                    s = toks[b].start  # "east Kent", "west clare": a part of the place
                out.append(Span(s, e, "LOCATION", text[s:e], score * 0.95, "place-gazetteer"))
        out.extend(self._addresses(chunk))
        out.extend(self._cued(chunk))
        out.extend(self._coordinated(chunk, out))
        out.extend(self._place_pairs(chunk, common))
        out.extend(self._irish_names(chunk))
        return out

    def _irish_names(self, chunk: Chunk) -> list[Span]:
        """Irish place names said with their article ("an daingean", "An Clochán Liath",
        "baile an fheirtéaraigh"): the article, the Irish-looking word after it, up to two
        more words no English list has, and one such word before ("baile", "rann")."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks[:-1]):
            if t.lower not in _IRISH_ARTICLES or not self._irish_word(toks[i + 1], chunk):
                continue
            e = i + 1
            while e + 1 < len(toks) and e < i + 3 and self._foreign(toks[e + 1], chunk) \
                    and toks[e].end + 1 == toks[e + 1].start:
                e += 1
            s = i
            if i and self._foreign(toks[i - 1], chunk) and toks[i - 1].end + 1 == t.start:
                s = i - 1
            a, b = toks[s].start, toks[e].end
            out.append(Span(a, b, "LOCATION", chunk.text[a:b], 0.55, "irish-name"))
        return out

    def _foreign(self, w: Tok, chunk: Chunk) -> bool:
        """A word no English list has, cased as a name where the text is cased."""
        return w.text.isalpha() and len(w.text) >= 3 and w.lower not in STOP \
            and w.lower not in FILLERS and not self.lex.is_word(w.lower) \
            and not w.text.isupper() and (w.is_cap or not chunk.cased)

    def _irish_word(self, w: Tok, chunk: Chunk) -> bool:
        low = w.lower
        return self._foreign(w, chunk) and (len(low) >= 4 or _IRISH_LETTERS.search(low)) \
            and (bool(_IRISH_LETTERS.search(low)) or bool(_IRISH_START.match(low))
                 or bool(_IRISH_END.search(low)))

    @staticmethod
    def _place_pairs(chunk: Chunk, common: dict[int, int]) -> list[Span]:
        """'a secondary in poplar and bow': two places the gazetteer knows, joined by 'and'
        after 'in'/'from'/'between', are places even when each is also an ordinary word."""
        out: list[Span] = []
        toks = chunk.toks
        for a, a_end in common.items():
            b = a_end + 1
            if b not in common or toks[a_end].lower not in _PLACE_AND or a == 0 \
                    or toks[a - 1].lower not in _PAIR_PREPS:
                continue
            for s_tok, e_tok in ((a, a_end), (b, common[b])):
                s, e = toks[s_tok].start, toks[e_tok - 1].end
                out.append(Span(s, e, "LOCATION", chunk.text[s:e], 0.45, "place-pair"))
        return out

    def _coordinated(self, chunk: Chunk, found: list[Span]) -> list[Span]:
        """'from Belleek and Garrison', 'in Brae or Voe': a name joined by 'and'/'or' to a
        place found here is a place too (a capital in cased text, an unknown word in
        lower case); not a person's given name."""
        out: list[Span] = []
        toks = chunk.toks
        for sp in found:
            i = chunk.tok_at(sp.end)
            if i is None or i + 1 >= len(toks) or toks[i].lower not in _PLACE_AND \
                    or toks[i].start != sp.end + 1:
                continue
            if toks[i + 1].lower == "then" and i + 2 < len(toks):
                i += 1  # "byker and then walker"
            k = i + 1
            while k < len(toks) and k < i + 4 and self._coordinate_word(toks[k], chunk.cased):
                k += 1
            if k == i + 1:
                continue
            s, e = toks[i + 1].start, toks[k - 1].end
            out.append(Span(s, e, "LOCATION", chunk.text[s:e], 0.45, "place-and-place"))
        return out

    def _coordinate_word(self, t: Tok, cased: bool) -> bool:
        lw = t.lower
        if not t.is_word or not lw.isalpha() or lw in STOP or lw in self.lex.never \
                or lw in self.org_heads or lw in NUMBER_WORDS or lw in FILLERS:
            return False
        if lw in self.lex.first_names and lw not in self.lex.place_words:
            return False  # "Leeds and Sarah": a person, for the person rules
        if cased:
            return t.is_cap and not t.sent_start and not t.text.isupper()
        return (not self.lex.is_word(lw) or lw in self.lex.place_words) and len(lw) >= 3

    def _cued(self, chunk: Chunk) -> list[Span]:
        """'County Clare', 'Co. Tyrone', 'the M62', 'i live in dennistoun', 'I grew up in
        Llanrug': a place by its grammar, when no list knows it."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for i, t in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            if t.lower in ("county", "co") and nxt.is_word and (nxt.is_cap or not chunk.cased) \
                    and (t.is_cap or not chunk.cased) and nxt.lower not in STOP \
                    and not lex.is_word(nxt.lower) or (
                        t.lower in ("county", "co") and chunk.cased and (t.is_cap or t.lower
                                                                           == "county")
                        and nxt.is_cap and not nxt.sent_start and nxt.lower not in STOP):
                out.append(Span(t.start, nxt.end, "LOCATION", text[t.start:nxt.end], 0.75,
                                "county"))
            if t.lower in ("isle", "isles") and nxt.lower == "of" and i + 2 < len(toks) \
                    and toks[i + 2].is_word and toks[i + 2].lower not in STOP \
                    and (t.is_cap or not chunk.cased):
                e = toks[i + 2].end  # "the Isle of Lewis", "isle of wight"
                out.append(Span(t.start, e, "LOCATION", text[t.start:e], 0.7, "isle-of"))
            road = nxt.text if chunk.cased else nxt.text.upper()
            if _ROAD.match(road) and t.lower in (("the", "on", "off", "via", "onto", "near")
                                                 if chunk.cased else ("the", "via", "onto")):
                out.append(Span(nxt.start, nxt.end, "LOCATION", nxt.text, 0.6, "road-number"))
            elif nxt.lower in _SAID_ROAD_LETTERS and t.lower in ("the", "off", "via", "onto") \
                    and i + 2 < len(toks) and toks[i + 2].lower in NUMBER_WORDS:
                k = i + 2  # "off the a six two nine", "down the m six": a road said aloud
                while k < len(toks) and k < i + 6 and toks[k].lower in NUMBER_WORDS:
                    k += 1
                e = toks[k - 1].end
                out.append(Span(nxt.start, e, "LOCATION", text[nxt.start:e], 0.5,
                                "road-number"))
            if t.lower == "junction" and (t.is_cap or not chunk.cased) and (
                    nxt.text.isdigit() and len(nxt.text) <= 2 or nxt.lower in NUMBER_WORDS):
                k = i + 1  # "the M1 at Junction 36", "off junction twenty eight"
                while k < len(toks) and k < i + 4 and (toks[k].lower in NUMBER_WORDS
                                                       or k == i + 1 and toks[k].text.isdigit()):
                    k += 1
                e = toks[k - 1].end
                out.append(Span(t.start, e, "LOCATION", text[t.start:e], 0.5, "junction"))
            if not self._home_cue(toks, i + 1) or not nxt.is_word or nxt.lower in STOP \
                    or nxt.lower in FILLERS or nxt.lower in NUMBER_WORDS \
                    or nxt.lower in CALENDAR_WORDS:
                continue  # "back in March" is a month
            if chunk.cased:
                if not nxt.is_cap or nxt.sent_start:
                    continue
                k = i + 2
                while k < len(toks) and k < i + 4 and toks[k].is_cap and toks[k].is_word \
                        and not toks[k].sent_start:
                    k += 1
            else:
                if lex.is_word(nxt.lower) or len(nxt.lower) < 3:
                    continue
                k = i + 2
                if k < len(toks) and toks[k].lower in _FEATURES:
                    k += 1  # "near fullwell cross", "up in hillside estate"
            s, e = nxt.start, toks[k - 1].end
            out.append(Span(s, e, "LOCATION", text[s:e], 0.55, "home-cue"))
        return out

    def _home_cue(self, toks: list[Tok], i: int) -> bool:
        """Is toks[i] said as where someone lives or comes from, or where a named place is?"""
        j = i - 1
        while j >= 0 and toks[j].lower in FILLERS:
            j -= 1
        if j >= 1 and toks[j].lower == "the" and toks[j - 1].lower in ("in", "near", "round",
                                                                        "from"):
            j -= 1  # "she lives up in the Gorbals", "we're from the Shankill"
        if j < 1:
            return False
        prep = toks[j].lower
        k = j - 1
        while k > 0 and toks[k].lower in FILLERS:
            k -= 1
        before = toks[k].lower
        if prep in ("in", "to", "near", "round", "around") and before in self.home_verbs:
            return True
        if prep == "near" and toks[i].lower not in self.lex.first_names:
            return True  # "barkingside near fullwell cross", "a farm near Brough"
        if prep == "at" and before in ("over", "out", "up", "down", "round"):
            return True  # "we were over at Polruan", "a farm out at Ravenstonedale"
        if prep == "from" and before in self.origin_words:
            return True
        return prep == "in" and (before in self.lex.place_words or before in self.org_heads)

    def _addresses(self, chunk: Chunk) -> list[Span]:
        """'41 Chestnut Avenue', 'Stowell Street', 'forty one chestnut avenue'."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            if t.lower not in self.streets or i == 0:
                continue
            if chunk.cased and not t.is_cap and not (
                    t.lower == "estate" and toks[i - 1].is_cap and not toks[i - 1].sent_start):
                continue  # but "the Lesnes estate", as people write it
            j = i - 1
            names: list[Tok] = []
            while j >= 0 and len(names) < 3:
                w = toks[j]
                if not w.is_word or w.lower in STOP or w.lower in NUMBER_WORDS \
                        or w.text[0].isdigit() or _ROAD.match(w.text.upper()):
                    break
                if w.lower in _NOT_IN_STREET and not (
                        j and toks[j - 1].sent_start and toks[j - 1].is_word
                        and toks[j - 1].lower not in STOP):
                    break  # but "reddish near houldsworth square": an answer, one place
                if chunk.cased and not w.is_cap:
                    break
                if "'" in w.text and w.lower.split("'")[0] in STOP \
                        or w.lower.replace("'", "") in BARE_CONTRACTIONS:
                    break  # "you'll walk", "we'd drive", "mum dont drive", "doesn't drive"
                names.insert(0, w)
                j -= 1
            if not names:
                continue
            k = j
            while k >= 0 and (toks[k].text[0].isdigit() or toks[k].lower in NUMBER_WORDS) \
                    and toks[k].is_word:
                k -= 1
            has_number = k < j
            start_tok = toks[k + 1] if has_number else names[0]
            if not chunk.cased and not has_number and all(
                    self.lex.is_word(n.lower) for n in names) and not self._named_estate(
                    toks, names, t):
                continue
            if chunk.cased and len(names) == 1 and names[0].sent_start and not has_number:
                continue
            score = 0.9 if has_number else 0.75
            s, e = start_tok.start, t.end
            out.append(Span(s, e, "LOCATION", chunk.text[s:e], score, "address"))
            out.extend(self._locality(chunk, i + 1))
        return out

    @staticmethod
    def _named_estate(toks: list[Tok], names: list[Tok], head: Tok) -> bool:
        """'on the lodge park estate', 'from the meadow farm estate': two or more ordinary
        words before 'estate' after 'the' name one estate (not 'the council estate')."""
        first = names[0].i
        return head.lower == "estate" and len(names) >= 2 and first >= 2 \
            and toks[first - 1].lower == "the" and toks[first - 2].lower in (
                "on", "in", "from", "off", "near", "round") \
            and not any(n.lower in _GENERIC_ESTATE for n in names)

    def _locality(self, chunk: Chunk, j: int) -> list[Span]:
        """'41 Chestnut Avenue, Low Fell, NE9': the district named after a street."""
        toks = chunk.toks
        if not chunk.cased or j + 1 >= len(toks) or toks[j].text != ",":
            return []
        k = j + 1
        while k < len(toks) and k <= j + 3 and toks[k].is_word and toks[k].is_cap \
                and not toks[k].text.isupper() and not toks[k].text[0].isdigit():
            k += 1
        if k == j + 1:
            return []
        s, e = toks[j + 1].start, toks[k - 1].end
        return [Span(s, e, "LOCATION", chunk.text[s:e], 0.7, "address-locality")]
