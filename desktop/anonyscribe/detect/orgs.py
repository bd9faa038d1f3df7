"""ORGANISATION: NHS bodies from the ODS gazetteer, their spoken short forms and initialisms,
named wards, units, teams, practices, universities and staff networks."""

from __future__ import annotations

import re

from ..core.model import Span
from .config import DetectionConfig
from .lexicon import STOP, Lexicon
from .numbers import NUMBER_WORDS
from .places import accept_phrase
from .text import FILLERS, Chunk, Tok

_WARD_NUMBER = re.compile(r"^(?:\d{1,3}[a-z]?|[a-z]\d?|[A-Z]{1,2}\d{0,2})$", re.I)


class OrganisationRecognizer:
    def __init__(self, cfg: DetectionConfig, lex: Lexicon) -> None:
        self.lex = lex
        self.heads = cfg.words("organisation", "heads")
        self.unit_heads = cfg.words("organisation", "unit_heads")
        self.generic = cfg.words("organisation", "generic_before_unit")
        self.openers = cfg.words("organisation", "name_openers")
        self.cues = cfg.words("organisation", "workplace_cues")
        self.generic_single = cfg.words("organisation", "generic_single")

    def _workplace_cue(self, toks: list[Tok], i: int, single: bool,
                       possessive: bool = False) -> bool:
        """Is toks[i] said as a place of work: "at (the) X", "moved to X", "joined the X"?

        Lower-case names made of ordinary words ("good hope", "midland met") are taken only
        here; a single ordinary word ("heartlands") needs the surest cue, "at".
        """
        j = i - 1
        while j >= 0 and (toks[j].lower in FILLERS or toks[j].lower == "the"):
            j -= 1
        if j < 0:
            return False
        prev = toks[j].lower
        if single and not possessive:
            return prev == "at"
        return prev in self.cues
    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for m in lex.organisations.find(toks):
            seg = toks[m.start_tok:m.end_tok]
            single = len([t for t in seg if t.is_word]) == 1
            if single and seg[0].lower in lex.place_words and not m.entry.possessive:
                continue  # a town: the place recognizer decides
            if single and seg[0].lower in lex.first_names and not m.entry.possessive and (
                    m.start_tok == 0 or toks[m.start_tok - 1].lower not in ("the", "at")):
                continue  # a name unless "the Freeman" / "at Freeman"
            score = accept_phrase(seg, lex, chunk.cased)
            if not score and not chunk.cased and len(seg) > 1 and seg[-1].lower in self.heads:
                score = 0.55  # "city hospital": ordinary words, but a named hospital
            said_poss = m.entry.possessive and m.end_tok < len(toks) \
                and toks[m.end_tok].lower == "'s"
            if not score and not chunk.cased \
                    and self._workplace_cue(toks, m.start_tok, single, said_poss) \
                    and not (single and seg[0].lower in self.generic_single):
                score = 0.55  # "over at heartlands", "moving over to the midland met"
            if not score:
                continue
            end = seg[-1].end
            if said_poss:
                end = toks[m.end_tok].end
            s = seg[0].start
            base = 0.95 if not single else 0.85
            out.append(Span(s, end, "ORGANISATION", text[s:end], base * score / 0.9 * 0.95
                            if score < 0.9 else base, "nhs-gazetteer"))
        for t in toks:
            if len(t.text) >= 3 and t.text.upper() in lex.initialisms:
                if t.text.isupper():
                    out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.85, "initialism"))
                elif not chunk.cased and len(t.text) >= 4 and not lex.is_word(t.lower):
                    out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.5, "initialism"))
        out.extend(self._wards(chunk))
        out.extend(self._named_units(chunk))
        out.extend(self._universities(chunk))
        for i, t in enumerate(toks[1:], 1):  # "the Royal" (the local Royal hospital)
            if t.text == "Royal" and toks[i - 1].lower == "the" and chunk.cased:
                e = t.end
                if i + 1 < len(toks) and toks[i + 1].is_cap and toks[i + 1].is_word \
                        and not toks[i + 1].sent_start:
                    e = toks[i + 1].end
                out.append(Span(t.start, e, "ORGANISATION", text[t.start:e], 0.6, "the-royal"))
        return out

    def _wards(self, chunk: Chunk) -> list[Span]:
        """'Ward 23', 'ward twenty three', 'Ward 7B'."""
        out = []
        toks = chunk.toks
        for i, t in enumerate(toks[:-1]):
            if t.lower != "ward":
                continue
            j = i + 1
            nxt = toks[j]
            if nxt.lower in NUMBER_WORDS:
                while j + 1 < len(toks) and toks[j + 1].lower in NUMBER_WORDS:
                    j += 1
            elif not _WARD_NUMBER.match(nxt.text) or nxt.lower in {"a", "i"} or (
                    nxt.text.isalpha() and len(nxt.text) > 1 and not nxt.text.isupper()):
                continue
            if nxt.lower in {"one", "a"} and chunk.text[nxt.end:nxt.end + 1] not in " .,":
                continue
            s, e = t.start, toks[j].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.9, "ward-number"))
        return out

    def _named_units(self, chunk: Chunk) -> list[Span]:
        """'Fitzroy Ward', 'Emergency Assessment Unit', 'croydon home treatment team'."""
        out = []
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks):
            if t.lower not in self.heads or i == 0:
                continue
            if chunk.cased and not t.is_cap:
                continue
            names: list[Tok] = []
            j = i - 1
            while j >= 0 and len(names) < 5:
                w = toks[j]
                if w.lower == "'s" and names == [] and j > 0:
                    j -= 1
                    continue
                if not w.is_word or w.lower in STOP or (not chunk.cased and w.lower in FILLERS):
                    if w.lower in ("and", "of", "&") and names and j > 0 and \
                            (toks[j - 1].is_cap if chunk.cased else False):
                        names.insert(0, w)
                        j -= 1
                        continue
                    break
                if chunk.cased and not w.is_cap:
                    break
                names.insert(0, w)
                j -= 1
            while names and names[0].lower in ("and", "of", "&"):
                names.pop(0)
            if not names:
                continue
            if chunk.cased:
                if len(names) == 1 and names[0].sent_start and lex.is_word(names[0].lower):
                    continue
                if all(n.lower in self.generic or n.lower in self.heads for n in names) and \
                        t.lower in self.unit_heads and len(names) < 2:
                    continue
                score = 0.8
            else:
                # lower case: the run must start with a name-like word (not a dictionary word)
                full = list(names)
                k = 0
                while k < len(names) and lex.is_word(names[k].lower):
                    k += 1
                if k < len(names):
                    while k > 0 and names[k - 1].lower in self.openers:
                        k -= 1
                    names = names[k:]
                    score = 0.6
                elif t.lower in self.unit_heads and len(full) >= 2 and all(
                        n.pos in ("NOUN", "ADJ", "PROPN") for n in full[-2:]) \
                        and full[-1].lower not in self.generic:
                    names = full[-3:]
                    score = 0.45  # "acute assessment unit": ordinary words naming a unit
                elif t.lower == "ward" and len(full) == 1 \
                        and full[0].pos in ("NOUN", "PROPN", "ADJ") \
                        and full[0].lower not in self.generic and full[0].i > 0 \
                        and toks[full[0].i - 1].lower in ("the", "on"):
                    names = full
                    score = 0.45  # "on osprey ward": wards are often named after birds, trees
                else:
                    continue
            s, e = names[0].start, t.end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], score, "named-unit"))
        return out

    def _universities(self, chunk: Chunk) -> list[Span]:
        out = []
        toks = chunk.toks
        for i, t in enumerate(toks[:-2]):
            if t.lower == "university" and toks[i + 1].lower == "of":
                k = i + 2
                while k < len(toks) and toks[k].is_word and (
                        toks[k].is_cap or (not chunk.cased and not self.lex.is_word(toks[k].lower))
                ) and k < i + 5:
                    k += 1
                if k > i + 2:
                    s, e = t.start, toks[k - 1].end
                    out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.9, "university"))
        return out
