"""ROLE: job titles by their grammar (modifiers + band + specialty + head noun + "of/for X"),
not bare professions used generically ("nurses like me", "as a doctor")."""

from __future__ import annotations

import re

from ..core.model import Span
from .config import DetectionConfig
from .lexicon import STOP, Lexicon
from .numbers import NUMBER_WORDS
from .text import FILLERS, Chunk, Tok

_OWNERS = {"my", "our", "the", "his", "her", "their", "your"}
_PLAIN_ADJ_TEXT = """
good great hard new old little big nice lovely brilliant amazing fantastic excellent supportive
poor bad young best first only other same different real proper actual current previous former
last next main whole own better worse busy fab awful decent white black asian brown female male
"""
_PLAIN_ADJ = frozenset(_PLAIN_ADJ_TEXT.split())
_CONTENT_POS = {"NOUN", "PROPN", "ADJ"}
_BAND_NUMBERS = NUMBER_WORDS | {"8", "eight"}  # before a band letter: "band eight a", "8 a"


class RoleRecognizer:
    def __init__(self, cfg: DetectionConfig, lex: Lexicon) -> None:
        self.lex = lex
        self.heads = cfg.words("role", "heads") | {"professional", "leader"}
        self.suffixes = tuple(cfg.section("role").get("head_suffixes", []))
        self.mods = cfg.words("role", "modifiers")
        self.relationship = cfg.words("role", "relationship")
        self.posts_alone = cfg.words("role", "posts_alone")
        self.post_cues = cfg.words("role", "post_cues")
        phrases = sorted(cfg.words("role", "phrases"), key=len, reverse=True)
        self._phrases = re.compile(r"(?<!\w)(?:" + "|".join(
            r"\s+".join(re.escape(w) for w in p.split()) for p in phrases) + r")(?!\w)",
            re.IGNORECASE) if phrases else None

    def is_head(self, t: Tok) -> bool:
        w = t.lower
        if w in self.heads:
            return True
        return len(w) >= 7 and w.endswith(self.suffixes) and w.isalpha()

    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            if not t.is_word or not self.is_head(t):
                continue
            span = self._phrase(chunk, i)
            if span:
                out.append(span)
        if self._phrases is not None:
            for m in self._phrases.finditer(chunk.text):
                out.append(Span(m.start(), m.end(), "ROLE", m.group(), 0.75, "role-phrase"))
        return out

    def _named_post(self, toks: list[Tok], i: int) -> bool:
        """'appointed as coordinator', 'starting as sister': a post, said without "a"."""
        return i >= 2 and toks[i - 1].lower == "as" and toks[i - 2].lower in self.post_cues

    def _band(self, toks: list[Tok], j: int) -> int:
        """If toks[j] ends a 'band 7' / 'band eight a' expression, its first index, else -1."""
        k = j
        while k >= 0 and (toks[k].lower in NUMBER_WORDS or toks[k].lower[:1].isdigit()
                          or (toks[k].lower in ("a", "b", "c", "d") and k > 0
                              and toks[k - 1].lower in _BAND_NUMBERS)) \
                and k > j - 3:
            k -= 1
        if k < j and k >= 0 and toks[k].lower == "band":
            return k
        return -1

    def _phrase(self, chunk: Chunk, i: int) -> Span | None:
        toks, cased = chunk.toks, chunk.cased
        head = toks[i]
        if i + 1 < len(toks) and self.is_head(toks[i + 1]) and toks[i + 1].lower not in (
                "lead", "head", "director", "chair", "executive"):
            return None  # a modifier of the next head ("consultant geriatrician")
        left: list[Tok] = []
        has_band = has_mod = False
        j = i - 1
        while j >= 0 and len(left) < 6:
            w = toks[j]
            band_start = self._band(toks, j)
            if band_start >= 0:
                left[:0] = toks[band_start:j + 1]
                has_band = True
                j = band_start - 1
                continue
            if not w.is_word:
                if w.text == "-" and left:
                    j -= 1
                    continue
                break
            lw = w.lower
            if lw in FILLERS and left and j > 0 and self._roleish(toks[j - 1], cased, head):
                left.insert(0, w)
                j -= 1
                continue
            if lw in self.mods:
                has_mod = True
            elif not self._roleish(w, cased, head):
                break
            left.insert(0, w)
            j -= 1
        while left and left[0].lower in FILLERS:
            left.pop(0)
        right_end = self._complement(chunk, i, bool(left) or head.lower == "consultant",
                                     head.lower in (
            "head", "director", "lead", "chair", "deputy", "officer", "matron"))
        band_end = self._band_after(toks, i, right_end)
        if band_end:
            right_end, has_band = band_end, True
        first = left[0] if left else head
        last_end = right_end if right_end else head.end
        words = [x.lower for x in left if x.lower not in FILLERS] + [head.lower]
        phrase = " ".join(words)
        prev = toks[first.i - 1].lower if first.i > 0 else ""
        plural = head.lower.endswith("s") and head.lower[:-1] in self.heads
        if plural and not (cased and head.is_cap and (left or right_end)):
            return None
        if not left and not right_end:
            if phrase in self.posts_alone and prev in _OWNERS:
                score = 0.5
            elif self._named_post(toks, i):
                score = 0.55
            elif cased and head.is_cap and not head.sent_start and phrase not in (
                    "doctor", "nurse", "sister", "head", "lead"):
                score = 0.45
            else:
                return None
        else:
            if phrase in self.relationship and not right_end:
                return None
            if not left and right_end and head.lower in ("lead", "head", "chair") and \
                    not (cased and head.is_cap) and prev not in _OWNERS:
                return None
            if has_band:
                score = 0.9
            elif has_mod or right_end or (cased and head.is_cap):
                score = 0.8
            else:
                score = 0.6
        if prev in ("a", "an") and first.i >= 2 and toks[first.i - 2].lower in (
                "be", "become", "becoming") and not has_band:
            return None  # "I'd like to be a service manager": aspiration, not a post
        s = first.start
        return Span(s, last_end, "ROLE", chunk.text[s:last_end], score, "role-grammar")

    def _roleish(self, w: Tok, cased: bool, head: Tok) -> bool:
        lw = w.lower
        if lw in STOP or lw in _PLAIN_ADJ or lw in NUMBER_WORDS or lw[:1].isdigit():
            return False
        if cased and head.is_cap:
            return w.is_cap
        if cased and w.is_cap and not head.is_cap:
            return False
        return w.pos in _CONTENT_POS and not (w.pos == "PROPN" and cased)

    def _band_after(self, toks: list[Tok], i: int, right_end: int) -> int:
        """'staff nurse band five': a band said after the title."""
        j = i + 1
        while j < len(toks) and toks[j].start < right_end:
            j += 1
        if j + 1 < len(toks) and toks[j].lower == "band":
            k = j + 1
            while k < len(toks) and k <= j + 2 and (toks[k].lower in NUMBER_WORDS
                                                   or toks[k].lower[:1].isdigit()):
                k += 1
            if k > j + 1:
                return toks[k - 1].end
        return 0

    def _complement(self, chunk: Chunk, i: int, has_left: bool, takes_of: bool) -> int:
        """End of 'of Nursing for Surgery' / 'for children's services' / 'in charge'."""
        toks = chunk.toks
        if i + 2 >= len(toks):
            return 0
        if toks[i + 1].lower == "in" and toks[i + 2].lower == "charge":
            return toks[i + 2].end
        if not (has_left or takes_of):
            return 0
        preps = ("of", "for", "in") if has_left else ("of", "for")
        end, j = 0, i + 1
        for _ in range(2):  # up to two: "Director of Nursing for Theatres"
            if j >= len(toks) or toks[j].lower not in preps:
                break
            got, j = self._one_complement(chunk, j + 1)
            if not got:
                break
            end = got
        return end

    def _one_complement(self, chunk: Chunk, j: int) -> tuple[int, int]:
        toks, cased = chunk.toks, chunk.cased
        end, taken = 0, 0
        caps = cased and j < len(toks) and toks[j].is_cap
        while j < len(toks) and taken < 4:
            w = toks[j]
            if w.lower in FILLERS or (w.lower == "for" and taken == 0) or (
                    w.lower == "the" and taken == 0 and toks[j - 1].lower != "in"):
                j += 1
                continue
            if w.lower == "'s" and taken:
                end = w.end
                j += 1
                continue
            if w.lower in ("and", "&") and taken and j + 1 < len(toks) and (
                    toks[j + 1].is_cap if caps else toks[j + 1].pos in _CONTENT_POS):
                j += 1
                continue
            if not w.is_word or w.lower in STOP or w.lower in NUMBER_WORDS:
                break
            if caps and not (w.is_cap or w.text.isupper()):
                break
            if not caps and (w.pos not in _CONTENT_POS or (cased and w.is_cap)
                             or taken >= 3):
                break
            end = w.end
            taken += 1
            j += 1
        return end, j
