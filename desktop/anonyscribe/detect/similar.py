"""Is this spelling the same name as one the study already knows?

Speech recognition spells a rare name differently each time ("Kowalczyk", "Cowalknik"), and a
file name or Teams transcript often has the right spelling. Detection uses this to flag
near-misses of known names; review uses it to propose "same person" merges. One rule, used by
both, so a proposal and a flag never disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

_WORD = re.compile(r"[^\W\d_]+")
# A word as a name's piece: letters, inner apostrophes and hyphens ("o'hare", "adeyemi-cole").
_PIECE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Letters that sound alike in names, folded to one (a small, deliberately coarse key).
_FOLD = str.maketrans({"c": "k", "q": "k", "z": "s", "v": "f", "w": "f", "y": "i", "j": "g",
                       "x": "s", "d": "t", "b": "p", "e": "i", "o": "u"})
_DIGRAPHS = (("ph", "f"), ("ck", "k"), ("sch", "s"), ("sh", "s"), ("ch", "k"), ("cz", "s"),
             ("th", "t"), ("gh", "g"), ("kh", "k"), ("dh", "d"), ("wr", "r"), ("kn", "n"))


def fold(text: str) -> str:
    """Lower case, accents removed ("Siobhán" -> "siobhan")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def phonetic_key(word: str) -> str:
    """A coarse sound key: digraphs folded, like-sounding letters merged, vowels after the
    first letter dropped, doubles collapsed ("Kowalczyk" and "Cowalsik" -> "kflsk")."""
    w = fold(word)
    for spelled, sound in _DIGRAPHS:
        w = w.replace(spelled, sound)
    w = w.translate(_FOLD)
    if not w:
        return ""
    key = w[0] + "".join(ch for ch in w[1:] if ch not in "aiuh")
    return re.sub(r"(.)\1+", r"\1", key)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (two short strings; names are short)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similar_word(a: str, b: str) -> bool:
    """Two single name words that could be one name misheard or misspelt.

    Short words must match closely (Ann/Anne yes, John/Joan no); longer ones may differ by a
    letter of their sound key or a few letters (Wozniak/Vozniack, Kowalczyk/Cowalknik).
    """
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    shortest, longest = min(len(fa), len(fb)), max(len(fa), len(fb))
    distance = edit_distance(fa, fb)
    if shortest < 5:
        return shortest >= 3 and distance == 1 and (fa.startswith(fb) or fb.startswith(fa))
    ka, kb = phonetic_key(fa), phonetic_key(fb)
    if ka == kb:
        return True
    if min(len(ka), len(kb)) >= 4 and edit_distance(ka, kb) <= 1 and distance <= longest // 2:
        return True
    return fa[0] == fb[0] and distance <= (1 if longest <= 6 else longest // 3)


def same_name(a: str, b: str) -> bool:
    """Could two name surfaces mean the same person? Every word of the shorter one must be
    similar to a word of the longer one ("Bernadette Cowalknik" ~ "Bernadette Kowalczyk",
    "Kowalczyk" ~ "Bernadette Kowalczyk"); different first names never match."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return all(any(similar_word(s, w) for w in long_) for s in short)


# Spellings that sound alike, folded before syllables are compared with a name ("kee ron" ~
# Kieran, "shaw nah" ~ Shauna): long vowels, silent h, doubled letters.
_SOUNDS = (("ph", "f"), ("ck", "k"), ("ee", "i"), ("ea", "i"), ("ie", "i"), ("ey", "i"),
           ("y", "i"), ("aw", "o"), ("au", "o"), ("oa", "o"), ("oo", "u"), ("ou", "u"),
           ("ay", "e"), ("ai", "e"), ("ah", "a"), ("eh", "e"), ("oh", "o"), ("c", "k"),
           ("q", "k"), ("z", "s"), ("x", "ks"), ("v", "f"))
_VOWELS = frozenset("aeiou")


def sound(word: str) -> str:
    """A spelling folded to how it sounds ("keeron" -> "kiron", "shawnah" -> "shona")."""
    w = word.casefold()
    for spelled, said in _SOUNDS:
        w = w.replace(spelled, said)
    if len(w) > 2 and w.endswith("h"):
        w = w[:-1]
    return re.sub(r"(.)\1+", r"\1", w)


def sound_keys(word: str) -> list[str]:
    """The sound and its variants with one vowel left open ("kiron" -> "kiron", "k*ron",
    "kir*n"): two spellings match if they share a key (a vowel apart at most)."""
    w = sound(word)
    return [w] + [w[:k] + "*" + w[k + 1:] for k, ch in enumerate(w) if ch in _VOWELS]


class Piece(NamedTuple):
    """A word of the text as a possible piece of a name: offsets and lower-case form."""

    start: int
    end: int
    word: str


class _Bounded(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def pieces(text: str) -> list[Piece]:
    """The text's words as name pieces, in order."""
    return [Piece(m.start(), m.end(), m.group().lower()) for m in _PIECE.finditer(text)]


def said_together(text: str, run: Sequence[_Bounded]) -> bool:
    """One space between each piece and the next: said in one breath, so possibly one word
    that speech recognition cut up (a comma, a pause or a line between makes them two).
    Not pieces glued to a digit or a letter outside them ("BA yr2", "BDS3"): a code's."""
    if not run or text[run[-1].end:run[-1].end + 1].isalnum() \
            or run[0].start and text[run[0].start - 1].isalnum():
        return False
    return all(text[a.end:b.start] == " " for a, b in zip(run, run[1:], strict=False))


def joined_sounds_like(joined: str, by_key: Mapping[str, Iterable[str]]) -> bool:
    """Pieces joined back ("eefa", "teegan") and a name of ``by_key`` (names by
    ``phonetic_key``) with the same key, at most two letters apart (Eva, Teagan): joining
    leaves a letter or two of the spelling wrong, the sound key survives it."""
    return any(edit_distance(joined, n) <= 2 for n in by_key.get(phonetic_key(joined), ()))
