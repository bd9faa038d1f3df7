"""ORGANISATION named in Welsh or Irish: the kind of place comes first ("Ysgol y Berwyn",
"meddygfa'r minffordd", "ionad sláinte an spidéil"), and Welsh names of homes and sites join
two words with "y"/"yr" ("tan y fron", "hafod y parc"), which English never does."""

from __future__ import annotations

from ..core.model import Span
from .lexicon import STOP, Lexicon
from .text import Chunk, Tok

# Welsh and Irish words for a school, college, hospital, surgery, hospice, centre, care home,
# hall, chapel, church, pharmacy, unit: said before the name.
HEADS = frozenset({
    "ysgol", "coleg", "prifysgol", "ysbyty", "meddygfa", "hosbis", "canolfan", "cartref",
    "plas", "neuadd", "capel", "eglwys", "fferyllfa", "uned", "scoil", "gaelscoil", "coláiste",
    "colaiste", "ospidéal", "ospideal", "ionad", "cógaslann", "cogaslann", "aonad"})
# Articles and "of the" between the kind and the name ("ysgol y berwyn", "ionad ... an spidéil").
LINKERS = frozenset({"y", "yr", "'r", "an", "na"})
_MAX_NAME = 4


def celtic_names(chunk: Chunk, lex: Lexicon) -> list[Span]:
    """Welsh and Irish names of places of work and homes in a chunk."""
    out: list[Span] = []
    toks = chunk.toks
    for i, t in enumerate(toks):
        head = t.lower.removesuffix("'r").removesuffix("’r")
        if head in HEADS and (not chunk.cased or t.is_cap):
            end = _name_after(toks, i + 1, chunk, lex, elided=head != t.lower)
            if end > i + 1:
                s, e = t.start, toks[end - 1].end
                out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.85, "celtic-name"))
        elif t.lower in ("y", "yr") and 0 < i < len(toks) - 1 and _joined_by_y(toks, i, lex):
            s, e = toks[i - 1].start, toks[i + 1].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.5, "welsh-y-name"))
    return out


def _name_after(toks: list[Tok], k: int, chunk: Chunk, lex: Lexicon, elided: bool) -> int:
    """Index after the name that follows a Welsh or Irish kind of place at toks[k - 1]; k when
    there is none (an English word after it: "plas is", "coleg and"). A name ends its line,
    at a lower-case word in cased text, and after its first word at an English word
    ("meddygfa'r llan last spring")."""
    j, end = k, k
    while j < len(toks) and j - k < _MAX_NAME:
        w = toks[j]
        if "\n" in chunk.text[toks[j - 1].end:w.start] or not w.is_word \
                or not w.is_alpha and w.lower not in LINKERS:
            break
        if w.lower in LINKERS:
            j += 1  # only counts when a name word follows it
            continue
        if w.lower in STOP or chunk.cased and not w.is_cap or end > k and w.text.isascii() \
                and lex.is_word(w.lower) and w.lower not in lex.place_words:
            break
        j += 1
        end = j
    if end == k and elided:
        return k
    return end


def _joined_by_y(toks: list[Tok], i: int, lex: Lexicon) -> bool:
    """'tan y fron', 'blas y dyffryn': two words joined by "y"/"yr", the second not English
    (a letter "y" in "x y z" or "the y axis" has no Welsh word after it)."""
    before, after = toks[i - 1], toks[i + 1]
    return before.is_word and after.is_word and before.is_alpha and after.is_alpha \
        and len(before.text) >= 2 and len(after.text) >= 3 and before.lower not in STOP \
        and after.lower not in STOP and not lex.is_word(after.lower) \
        and after.lower not in LINKERS and before.end + 1 == toks[i].start \
        and toks[i].end + 1 == after.start
