"""Phrase gazetteers matched over tokens, tolerant of case, punctuation and ASR spacing.

Entries are keyed by their normalised letters with the spaces taken out, so "St. James's",
"st james" and "stjames" all meet the same key; a set of key prefixes lets the scan stop as
soon as no entry can continue, which keeps matching linear in practice (no per-entry regex).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .text import Tok

_STRIP = re.compile(r"['’.\-]")
_SYNONYMS = {"saint": "st", "&": "and", "centre": "center", "ctr": "center"}
_SKIP = {"'s", ".", ",", "-"}
MAX_TOKENS = 10


@lru_cache(maxsize=1 << 16)  # the same words again and again, in every document
def norm_token(word: str) -> str:
    w = _STRIP.sub("", word.casefold())
    return _SYNONYMS.get(w, w)


def split_words(surface: str) -> list[str]:
    return [w for w in re.findall(r"[\w&]+(?:['’][\w]+)*", surface)]


@dataclass(frozen=True)
class Entry:
    """A gazetteer entry: its surface as listed and how many words it has."""

    surface: str
    n_words: int
    possessive: bool


@dataclass(frozen=True)
class Match:
    start_tok: int  # index in the token list
    end_tok: int  # exclusive
    entry: Entry


class Gazetteer:
    """A set of phrases; ``find`` yields every (longest-per-start) match in a token list."""

    def __init__(self, surfaces: Iterable[str]) -> None:
        self.keys: dict[str, Entry] = {}
        self.prefixes: set[str] = set()
        for s in surfaces:
            self.add(s)

    def add(self, surface: str) -> None:
        words = [re.sub(r"['’]s$", "", w) for w in split_words(surface)]
        if words and words[0].casefold() == "the":
            words = words[1:]
        if not words:
            return
        key = "".join(norm_token(w) for w in words)
        if len(key) < 2:
            return
        poss = surface.endswith(("'s", "’s")) or (key in self.keys and self.keys[key].possessive)
        if key not in self.keys or poss:
            self.keys[key] = Entry(surface, len(words), poss)
        for i in range(1, len(key)):
            self.prefixes.add(key[:i])

    def __contains__(self, phrase: str) -> bool:
        return "".join(norm_token(w) for w in split_words(phrase)) in self.keys

    def find(self, toks: list[Tok]) -> Iterator[Match]:
        """Longest match starting at each word token; callers resolve overlaps."""
        keys, prefixes = self.keys, self.prefixes
        n = len(toks)
        for i in range(n):
            t = toks[i]
            if not t.is_word:
                continue
            acc = ""
            best: Match | None = None
            j = i
            words = 0
            while j < n and words < MAX_TOKENS:
                tj = toks[j]
                if tj.lower in _SKIP or (not tj.is_word and tj.text != "&"):
                    if tj.lower == "'s" or tj.text in ".-,":
                        j += 1
                        continue
                    break
                acc += norm_token(tj.text)
                words += 1
                j += 1
                if acc in keys:
                    best = Match(i, j, keys[acc])
                if acc not in prefixes:
                    break
            if best is not None:
                yield best
