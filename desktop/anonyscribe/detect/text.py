"""Tokens with character offsets, and what every recognizer needs to know about a chunk.

Our rules work on a simple, predictable tokenisation (words keep inner hyphens and
apostrophes; a possessive 's is its own token, so spans can leave it out as annotators do).
spaCy runs once per chunk and its entities and part-of-speech tags are attached here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Letters: Latin with its accents, Latin Extended Additional too (Vietnamese "Thảo", "Nguyễn").
_L = "A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF"
_TOKEN = re.compile(rf"[{_L}]+(?:[-'’.][{_L}]+)*|\S")
_POSSESSIVE = re.compile(r"^(.+?)(['’]s)$", re.IGNORECASE)
# What ends a sentence, a clause or a field: after a dash or a bullet a capital says nothing
# ("Porter — Ward/site:", "> My deputy"). A table's bar is left out: its cells are often
# names or places on their own ("| Lakeview |").
_SENT_END = {".", "?", "!", ":", ";", '"', "“", "”", "(", "[", "]", ")", "…", "—", "–", "•",
             ">"}
FILLERS = frozenset({"um", "uh", "er", "erm", "uhm", "mm", "hmm", "ah", "like", "eh"})


@dataclass(slots=True)
class Tok:
    """One token: its text, offsets into the chunk, and cheap derived forms."""

    text: str
    start: int
    end: int
    lower: str
    i: int = 0
    sent_start: bool = False
    pos: str = ""

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_alpha(self) -> bool:
        return self.text.replace("-", "").replace("'", "").isalpha()


def tokenize(text: str) -> list[Tok]:
    """Split into tokens, possessive 's separate, with sentence-start flags."""
    toks: list[Tok] = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        pm = _POSSESSIVE.match(word) if len(word) > 2 else None
        if pm and pm.group(1).lower() not in {"it", "that", "what", "there", "he", "she",
                                               "who", "let", "here", "where"}:
            base = pm.group(1)
            toks.append(Tok(base, m.start(), m.start() + len(base), base.lower()))
            toks.append(Tok(pm.group(2), m.start() + len(base), m.end(), "'s"))
        else:
            if len(word) > 1 and word.endswith(".") and word.count(".") == 1:  # "St." -> "St" + "."
                toks.append(Tok(word[:-1], m.start(), m.end() - 1, word[:-1].lower()))
                toks.append(Tok(".", m.end() - 1, m.end(), "."))
                continue
            toks.append(Tok(word, m.start(), m.end(), word.lower()))
    prev_end = "."
    line_start = 0
    for i, t in enumerate(toks):
        t.i = i
        newline = "\n" in text[line_start:t.start] if i else True
        t.sent_start = prev_end in _SENT_END or newline
        prev_end = t.text if not t.is_word else ""
        line_start = t.end
    return toks


@dataclass
class Chunk:
    """A stretch of text (one or more turns) with tokens and spaCy's view of it."""

    text: str
    toks: list[Tok]
    ents: list[tuple[int, int, str]] = field(default_factory=list)  # char start, end, label
    cased: bool = True  # False for all-lower-case ASR output
    blocked: list[tuple[int, int]] = field(default_factory=list)  # labels, timestamps

    def tok_at(self, char: int) -> int | None:
        """Index of the token starting at ``char`` (binary search)."""
        lo, hi = 0, len(self.toks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.toks[mid].start < char:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self.toks) else None


def is_cased(toks: list[Tok]) -> bool:
    """Is this normally-cased text? ASR output that never capitalises is treated differently.

    The pronoun "i" in lower case is the surest sign; otherwise, capitals inside sentences.
    """
    words = [t for t in toks if t.is_word and t.text[0].isalpha()]
    lower_i = sum(1 for t in words if t.text == "i")
    upper_i = sum(1 for t in words if t.text == "I" and not t.sent_start)
    caps = sum(1 for t in words if t.is_cap and not t.sent_start)
    if lower_i > upper_i:  # but survey answers mix a few lower-case lines into cased text,
        return caps >= 0.05 * len(words)  # and ASR output has hardly a capital (< 1 %)
    if upper_i:
        return True
    return caps >= max(1, 0.02 * len(words))
