"""Numbers and contacts: phones, NHS numbers, staff/registration numbers, postcodes, emails.

Speech recognition writes numbers as words ("oh seven seven double oh nine..."), so digit
sequences are read from digits and number words alike before they are classified.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..core.model import Span
from .config import DetectionConfig
from .text import Chunk, Tok

UNITS = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2",
         "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
         "nine": "9"}
TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
         "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
         "nineteen": "19"}
TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6",
        "seventy": "7", "eighty": "8", "ninety": "9"}
REPEAT = {"double": 2, "triple": 3, "treble": 3}
NUMBER_WORDS = frozenset(UNITS) | frozenset(TEENS) | frozenset(TENS) | frozenset(REPEAT)
_JOINERS = {"-", "(", ")", "+", ","}

POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")
POSTCODE_TEXT = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
_SPOKEN_EMAIL = re.compile(
    r"\b([a-z0-9]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[a-z0-9]+)*)\s+at\s+"
    r"([a-z0-9]+(?:\s+dot\s+[a-z0-9]+)*\s+dot\s+(?:com|net|org|uk|nhs|gov|ac|co|edu|io|info))"
    r"\b", re.IGNORECASE)


@dataclass
class DigitRun:
    """Consecutive digits or number words: the digits they spell and where they lie."""

    digits: str
    start_tok: int
    end_tok: int  # exclusive
    words: int  # how many tokens were number words (not digits)


def nhs_checksum_ok(digits: str) -> bool:
    """The NHS number check digit (modulus 11)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _token_digits(toks: list[Tok], i: int) -> tuple[str, int] | None:
    """Digits spelled by the token(s) at ``i`` and how many tokens they took."""
    t = toks[i].lower
    if t.isdigit():
        return t, 1
    if t in UNITS:
        return UNITS[t], 1
    if t in TEENS:
        return TEENS[t], 1
    if t in TENS:
        nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
        if nxt in UNITS and UNITS[nxt] != "0" and nxt not in {"oh", "o"}:
            return TENS[t] + UNITS[nxt], 2
        return TENS[t] + "0", 1
    if t in REPEAT and i + 1 < len(toks):
        inner = _token_digits(toks, i + 1)
        if inner and len(inner[0]) == 1:
            return inner[0] * REPEAT[t], 1 + inner[1]
    if "-" in t:
        parts = t.split("-")
        if all(p.isdigit() for p in parts):
            return "".join(parts), 1
        if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS:
            return TENS[parts[0]] + UNITS[parts[1]], 1
    if t == "hundred":
        return "00", 1
    return None


def digit_runs(toks: list[Tok], text: str) -> Iterator[DigitRun]:
    i, n = 0, len(toks)
    while i < n:
        got = _token_digits(toks, i)
        if got is None or toks[i].lower == "hundred":
            i += 1
            continue
        start, digits, words = i, "", 0
        while i < n:
            if toks[i].text in _JOINERS and digits:
                if i + 1 < n and _token_digits(toks, i + 1) and toks[i].text != ",":
                    i += 1
                    continue
                break
            got = _token_digits(toks, i)
            if got is None:
                break
            if i > start and "\n" in text[toks[i - 1].end:toks[i].start]:
                break
            digits += got[0]
            words += 0 if toks[i].lower.replace("-", "").isdigit() else got[1]
            i += got[1]
        if toks[start].lower == "o" and words and digits.startswith("0") and len(digits) < 3:
            continue
        yield DigitRun(digits, start, i, words)


class NumberRecognizer:
    """PHONE, NHS_NUMBER, ID, POSTCODE and spelled-out EMAIL."""

    def __init__(self, cfg: DetectionConfig) -> None:
        self.id_context = sorted(cfg.words("numbers", "id_context"))
        self.nhs_context = sorted(cfg.words("numbers", "nhs_context"))

    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        text, toks = chunk.text, chunk.toks
        for run in digit_runs(toks, text):
            span = self._classify(run, chunk)
            if span:
                out.append(span)
        out.extend(self._postcodes(chunk))
        out.extend(self._spelled_codes(chunk))
        for m in _SPOKEN_EMAIL.finditer(text):
            out.append(Span(m.start(), m.end(), "EMAIL", m.group(), 0.85, "spoken-email"))
        return out

    def _context(self, text: str, start: int, words: list[str], width: int = 60) -> bool:
        before = text[max(0, start - width):start].casefold()
        return any(w in before for w in words)

    def _classify(self, run: DigitRun, chunk: Chunk) -> Span | None:
        d = run.digits
        toks = chunk.toks
        start, end = toks[run.start_tok].start, toks[run.end_tok - 1].end
        if run.start_tok and toks[run.start_tok - 1].text == "+":
            start = toks[run.start_tok - 1].start
        surface = chunk.text[start:end]
        spoken = run.words >= 3
        if len(d) < 4 or (run.words and not spoken and not d.isdigit()):
            return None
        if run.words and run.words < 4 and len(d) < 6:
            return None
        if (d.startswith("0") and len(d) in (10, 11)) or (d.startswith("44") and len(d) == 12):
            return Span(start, end, "PHONE", surface, 0.9, "uk-phone")
        if len(d) == 10 and nhs_checksum_ok(d):
            return Span(start, end, "NHS_NUMBER", surface, 0.97, "nhs-checksum")
        if len(d) == 10 and self._context(chunk.text, start, self.nhs_context):
            return Span(start, end, "NHS_NUMBER", surface, 0.7, "nhs-context")
        if self._context(chunk.text, start, self.id_context) and len(d) >= 4:
            if len(d) == 4 and (d.startswith("19") or d.startswith("20")):
                return None
            return Span(start, end, "ID", surface, 0.85, "id-context")
        if len(d) >= 6:
            return Span(start, end, "ID", surface, 0.45, "long-number")
        return None

    def _spelled_codes(self, chunk: Chunk) -> Iterator[Span]:
        """'my pin is one six h zero eight two two o': letters and digits read out one by one
        after an ID cue (a PIN, a staff or reference number)."""
        toks, text = chunk.toks, chunk.text
        i = 0
        while i < len(toks):
            j, letters, digits = i, 0, 0
            while j < len(toks) and j - i < 14:
                w = toks[j].lower
                if w in UNITS or w.isdigit() or w in REPEAT:
                    digits += len(w) if w.isdigit() else 1
                elif len(w) == 1 and w.isalpha() and w not in ("a", "i"):
                    letters += 1
                elif w in TEENS or w in TENS:
                    digits += 2
                else:
                    break
                j += 1
            if letters and digits >= 4 and letters + digits >= 6 and \
                    self._context(text, toks[i].start, self.id_context, 160):
                s, e = toks[i].start, toks[j - 1].end
                yield Span(s, e, "ID", text[s:e], 0.8, "spelled-code")
                i = j
                continue
            i = max(j, i + 1)

    def _postcodes(self, chunk: Chunk) -> Iterator[Span]:
        text = chunk.text
        for m in POSTCODE_TEXT.finditer(text):
            s = m.group()
            if not chunk.cased or s.isupper() or s[:2].isupper():
                yield Span(m.start(), m.end(), "POSTCODE", s, 0.9, "postcode")
        toks = chunk.toks
        for i, t in enumerate(toks):  # spelled out: "b seven one three h j"
            if not (len(t.lower) <= 3 and t.lower[0].isalpha() and t.lower.isalnum()):
                continue
            acc = ""
            for j in range(i, min(i + 9, len(toks))):
                w = toks[j].lower
                if len(w) <= 3 and w.isalnum() and not w.isdigit() and w not in UNITS \
                        and (len(w) == 1 or any(c.isdigit() for c in w)):
                    acc += w.upper()
                elif w in UNITS or w.isdigit():
                    acc += UNITS.get(w, w)
                else:
                    break
                if len(acc) >= 5 and POSTCODE.match(acc) and j > i + 1:
                    yield Span(t.start, toks[j].end, "POSTCODE", text[t.start:toks[j].end],
                               0.85, "spoken-postcode")
                    break
