"""Numbers and contacts: phones, NHS numbers, staff/registration numbers, postcodes, emails.

Speech recognition writes numbers as words ("oh seven seven double oh nine..."), so digit
sequences are read from digits and number words alike before they are classified.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..core.model import Span
from .config import DetectionConfig
from .lexicon import STOP, Lexicon
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
_TLD = r"(?:com|net|org|uk|nhs|gov|ac|co|edu|io|info|scot|wales|ie)"
# A part of a spoken address: "chikwanha seventy two", number words said after the word.
_EMAIL_NUM = ("(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
              "thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
              "forty|fifty|sixty|seventy|eighty|ninety|double|triple)")
_EMAIL_PART = rf"[a-z0-9]+(?:[._'’-][a-z0-9]+)*(?:\s+{_EMAIL_NUM})*"
# A domain part, said as a word or spelled out letter by letter ("n h s dot net").
_DOMAIN_PART = r"(?:[a-z](?:\s+[a-z]){1,5}|[a-z0-9]+)"
# Mail providers people name without the ending ("bob at gmail").
_PROVIDERS = r"(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|btinternet|aol|protonmail)"
_SPOKEN_EMAIL = re.compile(
    rf"\b({_EMAIL_PART}(?:\s+(?:dot|underscore|dash|hyphen)\s+{_EMAIL_PART})*)"
    r"\s+(?:at|@)\s+"
    rf"({_DOMAIN_PART}(?:\s+dot\s+{_DOMAIN_PART})*\s+dot\s+{_TLD}|"
    rf"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.{_TLD}|{_PROVIDERS}(?![\s.]+dot\b))"
    r"\b", re.IGNORECASE)
# Parts of a spoken address joined by "dot" right before the part the match starts with.
_DOT_CHAIN = re.compile(r"\b(?:[a-z0-9]+\s+(?:dot|underscore)\s+)+[a-z0-9]+\s+$", re.I)
# "... all one word at ...", "... no spaces at ...": how the name part is written, said
# between it and "at"; the words before it are the name part.
_ONE_WORD = re.compile(r"(?:\b([a-z0-9]+)\s+)?(?P<how>(?:all\s+)?(?:one|no|lower))\s+$", re.I)
# Words said before an address that are never part of it.
_EMAIL_LEAD_STOP = {"is", "it's", "its", "email", "e-mail", "mail", "me", "on", "at", "my",
                    "address", "use", "try", "send", "to", "it", "was", "and", "or", "the",
                    "contact", "reach", "work", "personal", "one", "that's", "thats", "um",
                    "uh", "er", "erm", "so", "just", "yeah", "ok", "okay", "well", "s"}
# Postcode areas of the UK (the letters before the first digit).
_AREAS_TEXT = """
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN
LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM
SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
"""
AREAS = frozenset(_AREAS_TEXT.split())
_AREA_WORDS = {"IN", "AS", "AT", "ON", "IS", "IT", "TO"}
# Areas that are also words or common abbreviations ("me", "st", "hr", "iv", "ml"): said or
# written as one token, they are a district only where a postcode is expected.
_COMMON_TWO_TEXT = """
me so ha pa la ex eh ca yo ta hr ox co de en se ne nw sw st po pe pr ss sa le ll iv pl ml rm hp
cm ch ct dd ts da ba wa al ab gu sm dt wc ip sp tr ol
"""
_COMMON_TWO = frozenset(_COMMON_TWO_TEXT.split())
# An outcode in lower case ("bb1", "cf24"), not part of a full postcode or a longer token.
_LOWER_OUTCODE = re.compile(r"(?<![\w-])([a-z]{1,2})(\d[a-z\d]?)(?![\w-])(?!\s?\d[a-z]{2}\b)")
# An outcode written with a space ("LS 9", "CF 24").
_SPACED_OUTCODE = re.compile(r"\b([A-Z]{2}) (\d{1,2})\b(?!\d|[.,]\d|[:/%-]|\s*(?:percent|per cent|"
                             r"years?|months?|weeks?|days?|hours?|minutes?|mg|ml|kg|am|pm)\b)")
_DISTRICT_LETTERS = "ABCDEFGHJKPSTUW"  # letters a district may end in (SW1A, EC2V)
OUTCODE = re.compile(r"\b([A-Z]{1,2})(\d[A-Z\d]?)\b")
# Before a letter-digit token that is a grade or label, not a district: "a PO6", "S1-S5".
# A sector after a written outcode, the last letters left off ("ME12 3-something", "LS9 7.").
_SECTOR = re.compile(r" \d[A-Z]?(?=[-–,.;:!?\"|)]|[ \t]*$)", re.MULTILINE)
# Capitals written just before a slashed reference ("PALS 25/1182").
_REF_PREFIX = re.compile(r"\b[A-Z]{2,6}[ -]$")
_GRADE_OR_RANGE = re.compile(r"(?:\ban?\s|[-–])$", re.I)
_POSTCODE_CUES = ("postcode", "post code", "eircode", "live in", "living in", "lives in",
                  "grew up", "brought up", "born in", "lived in", "area", "based in",
                  "address", "near", "round", "move to", "moved to", "out in", "flat in",
                  "home is",
                  "road ", "street ", "avenue ", "lane ", "drive ", "crescent ", "estate ")


@dataclass
class DigitRun:
    """Consecutive digits or number words: the digits they spell and where they lie."""

    digits: str
    start_tok: int
    end_tok: int  # exclusive
    words: int  # how many tokens were number words (not digits)


# An internal number that reaches one person: an extension, a bleep, a pager.
_EXTENSION = re.compile(r"\b(?:extension|ext\.?|bleep|pager)\s*(?:number\s*)?(?:is\s*)?$",
                        re.I)
# Words after a number that make it an amount or a count.
_COUNTED = re.compile(r"\s*(?:pounds|quid|euros?|dollars|people|patients|staff|steps|beds|"
                      r"miles|km|calls|visits|users|residents|members|words|hours|minutes|"
                      r"a\s+year|per\s+(?:year|annum|month))\b", re.I)
# Digit groups joined by slashes ("12/34567/19"), not part of a longer token.
_SLASHED = re.compile(r"(?<![\w/.])\d{1,8}(?:/\d{1,8}){1,3}(?![\w/]|\.\d)")
# Scotland's CHI and Northern Ireland's Health and Care numbers: ten digits, the CHI's
# starting with a birth date, so they can look like a phone number.
_SCOT_NI_CUE = re.compile(r"\b(?:chi|h\s*(?:&|and)\s*c|health\s+and\s+care)\b", re.I)
# A line that starts with a word and a number, as rows of a table or survey export do.
_ROW_START = re.compile(r"^[ \t]*(?:([#A-Za-z]+)[ \t]*[#:.]?[ \t]*)?\d+\b", re.MULTILINE)


def row_key(text: str, start: int) -> bool:
    """Is the number at ``start`` a row number: at a line's start (after one word such as
    "ref", "row", "#") in a text where at least three lines start the same way? Survey
    exports number their answers; those numbers identify no one."""
    line = text.rfind("\n", 0, start) + 1
    m = _ROW_START.match(text, line)
    if m is None or m.end() < start or m.start() > start:
        return False
    word = (m.group(1) or "").casefold()
    rows = 0
    for other in _ROW_START.finditer(text):
        rows += (other.group(1) or "").casefold() == word
        if rows >= 3:
            return True
    return False


# A code opening a line, after at most one short word or a bracket ("K-2201 / ...", "ID 7c4a",
# "[S-0401]", "#P021"): a row's label when three lines or more open with a code of that shape.
_LINE_CODE = re.compile(r"^[ \t]*(?:(?P<word>[#A-Za-z]{1,4})[ \t]*[#:.]?[ \t]+)?[\[(#]?"
                        r"(?P<code>[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*)(?![\w/-])", re.MULTILINE)


def _code_shape(word: str | None, code: str) -> tuple[str, int, str]:
    """What row labels share: the word before, the length, where the dashes and slashes are."""
    return ((word or "").casefold(), len(code),
            "".join(c if c in "-/" else "." for c in code))


def row_code(text: str, start: int, end: int) -> bool:
    """Is the code at ``start:end`` a row label: opening its line (after at most one short
    word) in a text where at least three lines open with a code of the same shape? Survey
    exports label their rows ("K-2201", "ID 7c4a"); those labels identify no one."""
    line = text.rfind("\n", 0, start) + 1
    m = _LINE_CODE.match(text, line)
    if m is None or m.start("code") != start or m.end("code") != end:
        return False
    shape = _code_shape(m.group("word"), m.group("code"))
    rows = 0
    for other in _LINE_CODE.finditer(text):
        code = other.group("code")
        if any(c.isdigit() for c in code) and _code_shape(other.group("word"), code) == shape:
            rows += 1
            if rows >= 3:
                return True
    return False


@lru_cache(maxsize=32)
def cue_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a list of cue words or phrases, matched as whole words (a plural or
    possessive allowed: "incidents", "PIN's")."""
    alts = sorted({r"\s+".join(re.escape(w) for w in c.split()) for c in words if c.strip()},
                  key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?:s|['’]s)?(?!\w)", re.IGNORECASE)


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
    if "." in t and t.startswith("0"):  # "0113.496.0123": a phone number typed with dots
        joined = t.replace(".", "")
        if joined.isdigit() and len(joined) in (10, 11):
            return joined, 1
    if t == "hundred":
        return "00", 1
    return None


def _phone_so_far(digits: str) -> bool:
    """Could these digits be the first groups of a phone number (a comma may follow)?"""
    return (digits.startswith("0") and 3 <= len(digits) <= 8) or \
        (digits.startswith("44") and 4 <= len(digits) <= 9)


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
                if i + 1 < n and _token_digits(toks, i + 1) and (
                        toks[i].text != "," or _phone_so_far(digits)):
                    i += 1  # "0113, 496, 2345": a phone number read out in groups
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


# Letters said by their names in a spoken code ("ay bee one two"); only inside a code run.
LETTER_NAMES = frozenset({"ay", "bee", "cee", "dee", "eff", "gee", "aitch", "haitch", "jay",
                          "kay", "el", "em", "en", "pee", "cue", "ar", "ess", "tee", "vee",
                          "ex", "zed", "zee"})
_CODE_JOINERS = frozenset({"dash", "hyphen", "slash", "stroke"})
# A letter or two and a number written as one word in a code read out ("p51", "h91", "b7").
_KEY_TOKEN = re.compile(r"^[a-z]{1,2}\d{1,2}[a-z]?$")
_POSTCODE_WORDS = ["postcode", "post code", "eircode"]
# Words right before a code read out ("the number was a four four..."): there "a" is a letter.
_CODE_LEADS = frozenset({"is", "was", "number", "ref", "reference", "pin", "code", ":", "id",
                         "like", "example"})  # "each has a number, like a four four seven..."


def _letter_then_digits(toks: list[Tok], j: int) -> bool:
    """'a b one one nine four', 'i n c two four oh one': "a" or "i" read as a letter, followed
    by one to four other single letters and then at least three digits (the words "a" and
    "i" are never followed by that)."""
    k = j + 1
    while k < len(toks) and k <= j + 4 and _single_letter(toks, k):
        k += 1
    return k > j + 1 and k + 3 <= len(toks) \
        and all(_code_digit(toks[m].lower) for m in range(k, k + 3))


def _last_letter(toks: list[Tok], j: int, digits: int) -> bool:
    """'... seven t a.': "a" or "i" closing a code after another read-out letter, at the end of
    a sentence or turn (the word "a" is followed by what it introduces)."""
    return digits >= 4 and j > 0 and len(toks[j - 1].text) == 1 and toks[j - 1].text.isalpha() \
        and (j + 1 == len(toks) or not toks[j + 1].is_word)


def _single_letter(toks: list[Tok], j: int) -> bool:
    """Is toks[j] a letter read out (one letter, not the words "a" and "i")?"""
    return j < len(toks) and len(toks[j].text) == 1 and toks[j].text.isalpha() \
        and toks[j].lower not in ("a", "i")


def _mixed_unique(code: str) -> bool:
    """Is an Eircode's unique part (its last four) a mix of letters and digits ("t6k2")? A
    routing key and four digits or four letters alone may be other things ("a12 2024")."""
    tail = code[-4:]
    return any(c.isdigit() for c in tail) and any(c.isalpha() for c in tail)


def _code_digit(w: str) -> bool:
    return w in UNITS or w in REPEAT or w.isdigit()


def _inward(toks: list[Tok], j: int) -> int:
    """Index after an inward code ('three a b', '6LH') starting at j, else 0."""
    if j >= len(toks):
        return 0
    w = toks[j].lower
    if re.fullmatch(r"\d[a-z]{2}", w):
        return j + 1
    if w in UNITS or (w.isdigit() and len(w) == 1):
        if j + 2 < len(toks) and all(len(toks[k].text) == 1 and toks[k].text.isalpha()
                                     for k in (j + 1, j + 2)):
            return j + 3
        if j + 1 < len(toks) and re.fullmatch(r"[a-z]{2}", toks[j + 1].lower) and (
                toks[j + 1].text.isupper() or _lower_inward(toks, j + 1)):
            return j + 2
    return 0


# Letters an inward code may end in (not C I K M O V), and two-letter words made of them.
_INWARD_LETTERS = frozenset("abdefghjlnpqrstuwxyz")
_INWARD_WORDS = frozenset({"as", "at", "be", "by", "he", "we", "up", "us", "an", "ah", "eh",
                           "uh", "er", "ha", "ye", "ya", "yr", "hr", "pt", "tx", "rx", "hx"})


def _lower_inward(toks: list[Tok], k: int) -> bool:
    """'ml seven four le.': two letters said as one lower-case token that end an inward
    code; only before a pause, a line's end included (not "nine at the door"), and not a
    two-letter word."""
    w = toks[k].lower
    return toks[k].text.islower() and all(c in _INWARD_LETTERS for c in w) \
        and w not in _INWARD_WORDS and (k + 1 >= len(toks) or not toks[k + 1].is_word
                                         or toks[k + 1].sent_start)


_CORRECTION = frozenset({"no", "sorry", "mean", "i", "or", "um", "uh", "er", "erm", "it's",
                         "its", "actually", "wait"})


def _corrected_inward(toks: list[Tok], j: int) -> tuple[int, int] | None:
    """Where an inward code is said again after a correction ('... seven t f no seven t g'),
    its token range; else None."""
    k = j
    while k < len(toks) and k - j < 4 and toks[k].lower in _CORRECTION | {",", "."}:
        k += 1
    if k == j or not any(toks[n].lower in ("no", "sorry", "mean", "actually", "or")
                         for n in range(j, k)):
        return None
    end = _inward(toks, k)
    return (k, end) if end else None


def _partial_inward(toks: list[Tok], j: int) -> int:
    """Index after the start of an inward code said in part ('two b', 'eight'): a digit and
    up to two single letters, the rest forgotten or corrected; else 0."""
    if j >= len(toks) or not (toks[j].lower in UNITS or toks[j].lower.isdigit()
                              and len(toks[j].lower) == 1) or toks[j].lower == "o":
        return 0
    k = j + 1
    while k < len(toks) and k - j <= 2 and len(toks[k].text) == 1 and toks[k].text.isalpha() \
            and toks[k].lower not in ("a", "i"):
        k += 1
    return k


def _more_digits(toks: list[Tok], j: int) -> bool:
    """Does a digit follow the one at toks[j] (a number going on, not a postcode's sector)?"""
    return j + 1 < len(toks) and _code_digit(toks[j + 1].lower)


# Irish Eircodes: a routing key ("H91", "D6W") and the full code ("H91 R6K2"); Dublin's
# postal districts ("Dublin 7", "dublin fifteen", "D15").
_ROUTING = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W)"
_EIRCODE = re.compile(rf"\b({_ROUTING}) ?(?=[0-9AC-FHKNPRTV-Y]{{0,3}}\d)[0-9AC-FHKNPRTV-Y]{{4}}\b")
_ROUTING_KEY = re.compile(rf"\b{_ROUTING}\b")
_EIRCODE_ANY_CASE = re.compile(_EIRCODE.pattern, re.IGNORECASE)
_DUBLIN_DISTRICT = re.compile(
    r"\bdublin\s+(?:[1-9]|1\d|2[0-4]|6w|one|two|three|four|five|six(?:\s+w\b)?|seven|eight|"
    r"nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty(?:[\s-](?:one|two|three|four))?)\b(?!\s*(?:%|percent|years?|months?|weeks?|days?|"
    r"times|hours?|minutes?|people|patients|of\b))"
    r"|\bD(?:0[1-9]|1\d|2[0-4]|6W)\b", re.I)


# One written code of letters and digits, parts joined by "-" or "/" ("P0047712", "SH-017",
# "MC-INC-30491", "HV/22/014"): payroll, study, case and incident references.
_MIXED_CODE = re.compile(r"(?<![\w/-])(?=[A-Za-z0-9/-]*\d)(?=[A-Za-z0-9/-]*[A-Za-z])"
                         r"[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*(?![\w/]|-\w)")
# Digits with a unit or ordinal ("4th", "10am", "20mg", "1990s", "3-day"): not codes.
_MEASURE = re.compile(r"^\d+(?:st|nd|rd|th|s|am|pm|k|m|kg|g|mg|mcg|ml|l|mm|cm|km|mmol|hr|hrs|h|"
                      r"yr|yrs|mins?|secs?|x|p|d|ish|bn|gb|mb)$|^\d+(?:-[a-z]+)+$", re.I)
# Lower-case written tokens that look like codes but are not ("covid-19", "H1N1", "band7",
# the "B1078" road).
_NOT_CODE_START = re.compile(r"covid|sars|h\d+n")
_NOT_CODE = re.compile(r"[a-z]+\d|[a-z]{3,}\d\d|[abm]\d{1,4}m?")  # "windows10", "iphone12"


class NumberRecognizer:
    """PHONE, NHS_NUMBER, ID, POSTCODE and spelled-out EMAIL."""

    def __init__(self, cfg: DetectionConfig, lex: Lexicon | None = None) -> None:
        self.lex = lex
        self.id_context = sorted(cfg.words("numbers", "id_context"))
        self.nhs_context = sorted(cfg.words("numbers", "nhs_context"))
        # Letters and digits read out one by one are a code wherever a number or code is
        # being given, not only after the words that make a bare number an ID.
        self.code_context = sorted(set(self.id_context) | {"number", "code", " id", "reg",
                                                           "licence", "passport", "account",
                                                           "participant", "study"})

    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        text, toks = chunk.text, chunk.toks
        runs = list(digit_runs(toks, text))
        for run in runs:
            span = self._classify(run, chunk)
            if span:
                out.append(span)
        out.extend(self._grouped_nhs(runs, chunk))
        out.extend(self._postcodes(chunk))
        out.extend(self._outcodes(chunk))
        out.extend(self._spaced_outcodes(chunk))
        out.extend(self._lower_outcodes(chunk))
        out.extend(self._spoken_postcodes(chunk))
        out.extend(self._irish_postcodes(chunk))
        out.extend(self._spelled_codes(chunk))
        out.extend(self._mixed_codes(chunk))
        out.extend(self._slashed_refs(chunk))
        for m in _SPOKEN_EMAIL.finditer(text):
            s = self._email_lead(toks, m.start())
            chain = _DOT_CHAIN.search(text, max(0, s - 80), s)
            if chain and s == m.start():  # "lewisham dot recovery college at ...": ASR split
                s = chain.start()          # one part of the address into two words
            said = _ONE_WORD.search(text, max(0, m.start() - 60), m.start())
            if said and s == m.start() and m.group(1).lower() in ("word", "spaces", "space",
                                                                   "case"):
                # "jane smith all one word at gmail dot com": the name part before the words
                s = self._email_lead(toks, said.start(1)) if said.group(1) \
                    and said.group(1).lower() not in _EMAIL_LEAD_STOP else said.start("how")
            if m.group(1).lower() in STOP and s == m.start():
                continue  # "we were at gmail", "the talk was at ...": no address
            score = 0.85 if " dot " in m.group(2) or "." in m.group(2) else 0.6
            out.append(Span(s, m.end(), "EMAIL", text[s:m.end()], score, "spoken-email"))
        return out

    @staticmethod
    def _spoken_mix(toks: list[Tok], i: int, j: int) -> bool:
        """A letter between number words ('oh eight j oh two'): a code read out, not a
        letter and a number said one after the other ('ward b two')."""
        kinds = ["d" if _code_digit(t.lower) or t.lower in TEENS or t.lower in TENS else "l"
                 for t in toks[i:j]]
        return any(kinds[n] == "l" and "d" in kinds[:n] and "d" in kinds[n + 1:]
                   for n in range(len(kinds)))

    def _after_place(self, toks: list[Tok], i: int) -> bool:
        """'bishopbriggs g sixty four': an outcode said right after a town's name."""
        return self.lex is not None and i > 0 and toks[i - 1].is_word \
            and toks[i - 1].lower in self.lex.place_words

    def _email_lead(self, toks: list[Tok], start: int) -> int:
        """Start of a spoken address whose first part was said in pieces: 'j smith at ...',
        'f o l a at ...', 'priya k at ...': single letters and words before the match, up
        to four, stopping at the words that introduce an address."""
        k = next((n for n, t in enumerate(toks) if t.start == start), None)
        if k is None:
            return start
        n = k
        while n > 0 and k - n < 4:
            w = toks[n - 1]
            if not w.is_word or not w.text.isalpha() or w.lower in _EMAIL_LEAD_STOP \
                    or len(w.text) > 12 or len(w.text) > 1 and self.lex is not None \
                    and self.lex.is_word(w.lower) and w.lower not in self.lex.first_names:
                break  # "i think john at ...": ordinary words are not part of it
            n -= 1
        if n == k:
            return start
        pieces = toks[n:k]
        if all(len(p.text) == 1 for p in pieces) or len(pieces) <= 2:
            return pieces[0].start
        return start

    def _context(self, text: str, start: int, words: list[str], width: int = 60) -> bool:
        """Is one of ``words`` said in the ``width`` characters before ``start``, as whole
        words ("ref" in "ref 4471", not in "referral"; "pin" not in "opinion")?"""
        return cue_regex(tuple(words)).search(text, max(0, start - width), start) is not None

    def _classify(self, run: DigitRun, chunk: Chunk) -> Span | None:
        d = run.digits
        toks = chunk.toks
        start, end = toks[run.start_tok].start, toks[run.end_tok - 1].end
        if run.start_tok and toks[run.start_tok - 1].lower in ("+", "plus") \
                and (d.startswith("44") or 10 <= len(d) <= 13):
            start = toks[run.start_tok - 1].start
        surface = chunk.text[start:end]
        spoken = run.words >= 3
        if start and chunk.text[start - 1] == ":" or row_key(chunk.text, start):
            return None  # "10:30-11:40" (a time); "ref 0031 | ..." (a table's row number)
        if 3 <= len(d) <= 5 and _EXTENSION.search(chunk.text, max(0, start - 16), start):
            return Span(start, end, "PHONE", surface, 0.45, "extension")  # "bleep six six two"
        if len(d) < 4 or (run.words and not spoken and not d.isdigit()):
            return None
        if spoken and d[:2] in ("01", "02", "07") and len(d) in (4, 5) and not any(
                toks[k].lower == "hundred" for k in range(run.start_tok, run.end_tok)):
            return Span(start, end, "PHONE", surface, 0.5, "spoken-dialling-code")
        if run.words and run.words < 4 and len(d) < 6:
            return None
        if len(d) == 10 and _SCOT_NI_CUE.search(chunk.text, max(0, start - 40), start):
            return Span(start, end, "ID", surface, 0.9, "chi-hc-number")  # not a phone
        if start < toks[run.start_tok].start and 10 <= len(d) <= 13 and not d.startswith("44"):
            return Span(start, end, "PHONE", surface, 0.85, "intl-phone")  # "+353 87 123 4567"
        if (d.startswith("0") and len(d) in (10, 11)) or (d.startswith("44") and len(d) == 12):
            return Span(start, end, "PHONE", surface, 0.9, "uk-phone")
        if len(d) == 10 and nhs_checksum_ok(d):
            return Span(start, end, "NHS_NUMBER", surface, 0.97, "nhs-checksum")
        if len(d) == 10 and self._context(chunk.text, start, self.nhs_context):
            return Span(start, end, "NHS_NUMBER", surface, 0.7, "nhs-context")
        if d.startswith("440") and len(d) == 13:  # "+44 (0)113 496 0123"
            return Span(start, end, "PHONE", surface, 0.9, "uk-phone")
        if len(d) == 10 and d.startswith("7") and spoken:  # a mobile said without its 0
            return Span(start, end, "PHONE", surface, 0.7, "uk-mobile-no-zero")
        if self._context(chunk.text, start, self.id_context) and len(d) >= 4:
            if len(d) == 4 and (d.startswith("19") or d.startswith("20")):
                return None
            return Span(start, end, "ID", surface, 0.85, "id-context")
        if len(d) >= 6 and not self._amount(chunk.text, start, end, d, run):
            return Span(start, end, "ID", surface, 0.45, "long-number")
        return None

    @staticmethod
    def _amount(text: str, start: int, end: int, digits: str, run: DigitRun) -> bool:
        """Money or a count, not an identifier: '£1500000', '250000 pounds', '120000 people',
        a round number written in digits ('14000')."""
        return text[max(0, start - 1):start] in ("£", "$", "€") \
            or not run.words and digits.endswith("000") or bool(_COUNTED.match(text, end))

    def _outcodes(self, chunk: Chunk) -> Iterator[Span]:
        """'LS9', 'BT9', 'CF24' on their own: a postcode district; surer after 'postcode'."""
        text = chunk.text
        for m in OUTCODE.finditer(text):
            if m.group(1) not in AREAS or POSTCODE_TEXT.match(text, m.start()):
                continue
            if m.group(1) in ("M", "A") and text[max(0, m.start() - 4):m.start()].lower() \
                    in ("the ", " on ", "off "):
                continue  # "the M62": a road, the place recognizer names it
            if _GRADE_OR_RANGE.search(text, max(0, m.start() - 4), m.start()) \
                    or text[m.end():m.end() + 2][:1] in ("-", "–") \
                    and text[m.end() + 1:m.end() + 2].isalnum():
                continue  # "I'm a PO6" (a grade), "S1-S5 = students" (a range of labels)
            district = m.group(2)
            if len(district) == 2 and district[1].isalpha() \
                    and district[1] not in _DISTRICT_LETTERS:
                continue
            cue = self._context(text, m.start(), list(_POSTCODE_CUES), 40)
            sector = _SECTOR.match(text, m.end())  # "ME12 3-something": the rest unsaid
            e = sector.end() if sector else m.end()
            yield Span(m.start(), e, "POSTCODE", text[m.start():e], 0.8 if cue else 0.5,
                       "outcode")

    def _lower_outcodes(self, chunk: Chunk) -> Iterator[Span]:
        """'he's up in bb1 i think': an outcode typed or transcribed in lower case, in text
        that is all lower case; two-letter areas that are not words, or after a cue."""
        if chunk.cased:
            return
        text = chunk.text
        for m in _LOWER_OUTCODE.finditer(text):
            area = m.group(1).upper()
            if area not in AREAS or m.group(1) in _COMMON_TWO or area in _AREA_WORDS:
                continue
            cue = self._context(text, m.start(), list(_POSTCODE_CUES), 40)
            if len(area) == 1 and not cue:
                continue  # "a1", "m6", "b12": roads and vitamins unless a postcode is meant
            yield Span(m.start(), m.end(), "POSTCODE", m.group(), 0.8 if cue else 0.5,
                       "outcode")

    def _spaced_outcodes(self, chunk: Chunk) -> Iterator[Span]:
        """'we're in LS 9', 'the depot's CF 24': an outcode typed with a space; a guess
        without a postcode cue, and never for areas that are also words ("ST 3", "HR 2")."""
        text = chunk.text
        for m in _SPACED_OUTCODE.finditer(text):
            area = m.group(1)
            if area not in AREAS or area.lower() in _COMMON_TWO \
                    or POSTCODE_TEXT.match(text, m.start()):
                continue
            cue = self._context(text, m.start(), list(_POSTCODE_CUES), 40)
            yield Span(m.start(), m.end(), "POSTCODE", m.group(), 0.8 if cue else 0.45,
                       "outcode")

    def _spoken_postcodes(self, chunk: Chunk) -> Iterator[Span]:
        """'l s nine', 'c f twenty four three a b', 'm twenty two': letters then numbers."""
        toks, text = chunk.toks, chunk.text
        n = len(toks)
        for i, t in enumerate(toks):
            # "ls nine", "cf twenty four": the area written as one token by speech recognition
            said_whole = len(t.text) == 2 and t.text.isalpha() and t.text.upper() in AREAS \
                and t.text.upper() not in _AREA_WORDS and (t.text.isupper() or not chunk.cased)
            if not said_whole and (len(t.text) != 1 or not t.text.isalpha()):
                continue
            area, j = t.text.upper(), i + 1
            if not said_whole and j < n and len(toks[j].text) == 1 and toks[j].text.isalpha() \
                    and area + toks[j].text.upper() in AREAS:
                area, j = area + toks[j].text.upper(), j + 1
            if area not in AREAS or (i and len(toks[i - 1].text) == 1
                                     and toks[i - 1].text.isalpha()):
                continue
            got = _token_digits(toks, j) if j < n else None
            if got is None or len(got[0]) > 2 or toks[j].lower == "hundred":
                continue
            j += got[1]
            end = j
            inward = _inward(toks, j)
            if not inward and j + 1 < n and toks[j].text == ",":
                inward = _inward(toks, j + 1)  # "t s six, seven r q": a pause between halves
            cue = self._context(text, t.start, list(_POSTCODE_CUES), 60)
            if inward:
                end = inward
            elif (len(area) == 1 or area in _AREA_WORDS or said_whole and t.lower in _COMMON_TWO) \
                    and not cue and not self._after_place(toks, i):
                continue  # "b two", "is three": a postcode only where one is expected
            elif (cue or len(area) == 2) and _partial_inward(toks, j):
                end = _partial_inward(toks, j)  # "d d five two b ... i always forget the end"
            elif (cue or len(area) == 2) and j + 1 < n and toks[j].text == "," \
                    and _partial_inward(toks, j + 1) and not _more_digits(toks, j + 1):
                end = _partial_inward(toks, j + 1)  # "f y five, two something": the rest unsaid
                cue = True  # an outward code, a pause and a sector: a postcode's shape
            s, e = t.start, toks[end - 1].end
            score = 0.85 if inward or cue else 0.5 if said_whole else 0.45
            yield Span(s, e, "POSTCODE", text[s:e], score, "spoken-postcode")
            fix = _corrected_inward(toks, end)
            if fix:  # "l s nine seven t f no seven t g": the end said again, corrected
                yield Span(toks[fix[0]].start, toks[fix[1] - 1].end, "POSTCODE",
                           text[toks[fix[0]].start:toks[fix[1] - 1].end], 0.8, "spoken-postcode")

    def _grouped_nhs(self, runs: list[DigitRun], chunk: Chunk) -> Iterator[Span]:
        """An NHS number read in its three groups with pauses ("four eight five, seven seven
        three, four five six one"): runs split by commas that make ten digits together."""
        toks, text = chunk.toks, chunk.text
        for k in range(len(runs) - 2):
            group = runs[k:k + 3]
            if [len(r.digits) for r in group] != [3, 3, 4] or any(
                    toks[b.start_tok - 1].text != "," or b.start_tok - 1 != a.end_tok
                    for a, b in zip(group, group[1:], strict=False)):
                continue
            digits = "".join(r.digits for r in group)
            s, e = toks[group[0].start_tok].start, toks[group[-1].end_tok - 1].end
            if nhs_checksum_ok(digits):
                yield Span(s, e, "NHS_NUMBER", text[s:e], 0.9, "nhs-checksum")
            elif self._context(text, s, self.nhs_context):
                yield Span(s, e, "NHS_NUMBER", text[s:e], 0.7, "nhs-context")

    def _irish_postcodes(self, chunk: Chunk) -> Iterator[Span]:
        """A routing key alone ("everything in Connemara is H91") where the text gives a full
        Eircode with that key or an Eircode/postcode cue; Dublin postal districts."""
        text = chunk.text
        keys = {m.group(1).upper() for m in _EIRCODE.finditer(text)}
        for m in _ROUTING_KEY.finditer(text):
            if _EIRCODE.match(text, m.start()):
                continue  # the full code: the [[pattern]] "eircode" finds it
            if m.group().upper() in keys or self._context(text, m.start(), ["eircode"], 80):
                yield Span(m.start(), m.end(), "POSTCODE", m.group(), 0.6, "routing-key")
        for m in _EIRCODE_ANY_CASE.finditer(text):  # "the eircode is r93 x7k2"
            if _EIRCODE.match(text, m.start()):
                continue
            if self._context(text, m.start(), ["eircode", "postcode", "post code"], 40):
                yield Span(m.start(), m.end(), "POSTCODE", m.group(), 0.8, "eircode-lower")
            elif _mixed_unique(m.group()):  # "where i lived is n91 t6k2": the shape says it
                yield Span(m.start(), m.end(), "POSTCODE", m.group(), 0.6, "eircode-lower")
        for m in _DUBLIN_DISTRICT.finditer(text):
            if m.group()[0] == "d" and m.group()[1].isdigit() and chunk.cased:
                continue
            yield Span(m.start(), m.end(), "POSTCODE", m.group(), 0.7, "dublin-district")

    def _spelled_codes(self, chunk: Chunk) -> Iterator[Span]:
        """'my pin is one six h zero eight two two o': letters and digits read out one by one
        after an ID cue (a PIN, a staff or reference number)."""
        toks, text = chunk.toks, chunk.text
        i = 0
        while i < len(toks):
            j, letters, digits = i, 0, 0
            while j < len(toks) and j - i < 16:
                if j > i and "\n" in text[toks[j - 1].end:toks[j].start]:
                    break  # a code ends with its turn ("... six two\nq: and")
                w = toks[j].lower
                if w in UNITS or w.isdigit() or w in REPEAT:
                    digits += len(w) if w.isdigit() else 1
                elif len(w) == 1 and w.isalpha() and (w not in ("a", "i") or (
                        digits or letters or j == i and i and toks[i - 1].lower in _CODE_LEADS)
                        and (j + 1 < len(toks) and _code_digit(toks[j + 1].lower))
                        or _letter_then_digits(toks, j) or _last_letter(toks, j, digits)
                        or (digits or letters) and _single_letter(toks, j + 1)):
                    letters += 1  # "one two a three", "p a one one", "was a four": a letter
                elif w in LETTER_NAMES and (digits or letters or j + 1 < len(toks) and (
                        toks[j + 1].lower in LETTER_NAMES or _code_digit(toks[j + 1].lower))):
                    letters += 1  # "ay bee one two three"
                elif w in _CODE_JOINERS and (digits or letters) and j + 1 < len(toks) and (
                        _code_digit(toks[j + 1].lower) or len(toks[j + 1].lower) == 1):
                    pass  # "c r two oh two one dash oh four"
                elif 2 <= len(w) <= 3 and toks[j].text.isupper() and w.isalpha():
                    letters += len(w)  # "KC 40 77 19"
                elif w in TEENS or w in TENS:
                    digits += 2
                elif _KEY_TOKEN.match(w) and (letters or digits or j + 1 < len(toks) and (
                        _code_digit(toks[j + 1].lower) or _single_letter(toks, j + 1))
                        and "\n" not in text[toks[j].end:toks[j + 1].start]):
                    letters += sum(c.isalpha() for c in w)  # "eircode p51 w x eight four"
                    digits += sum(c.isdigit() for c in w)
                elif w == "," and (digits or letters) and j + 1 < len(toks) \
                        and (_single_letter(toks, j + 1) or _code_digit(toks[j + 1].lower)
                             and _single_letter(toks, j + 2)) \
                        and self._context(text, toks[i].start, _POSTCODE_WORDS, 30):
                    pass  # "post code j e three, five h b": read out in two halves
                else:
                    break
                j += 1
            while j > i + 1 and toks[j - 1].text == ",":
                j -= 1
            span = self._code_span(toks, text, i, j, letters, digits)
            if span is not None:
                yield span
                i = j
                continue
            i = max(j, i + 1)

    def _code_span(self, toks: list[Tok], text: str, i: int, j: int, letters: int,
                   digits: int) -> Span | None:
        """Is toks[i:j], read out as letters and digits, a code? How sure?"""
        if j <= i:
            return None
        s, e = toks[i].start, toks[j - 1].end
        joined = any(toks[k].lower in _CODE_JOINERS for k in range(i, j))
        cue = self._context(text, s, self.code_context, 160)
        if letters and digits >= 2 and self._context(text, s, _POSTCODE_WORDS, 30):
            # "my eircode is d twenty four x y two seven": read out where a postcode is asked
            return Span(s, e, "POSTCODE", text[s:e], 0.85, "spelled-postcode")
        if (letters or joined and cue) and digits >= 3 and letters + digits >= 5:
            if cue:  # "twenty twenty three slash oh four four one" after "case number"
                return Span(s, e, "ID", text[s:e], 0.8, "spelled-code")
            if letters >= 2 and digits >= 4:  # "w e b four four one two": a code, cue or not
                return Span(s, e, "ID", text[s:e], 0.5, "spelled-code")
            if digits >= 4 and letters + digits >= 6 or self._spoken_mix(toks, i, j):
                return Span(s, e, "ID", text[s:e], 0.4, "spelled-code")  # no cue: a guess
        elif letters and digits >= 2 and letters + digits >= 3 \
                and self._context(text, s, self.code_context, 24):
            return Span(s, e, "ID", text[s:e], 0.7, "spelled-code")  # "study id was p zero seven"
        return None

    def _slashed_refs(self, chunk: Chunk) -> Iterator[Span]:
        """'crime reference 12/34567/19', 'ref 2023/0456': digit groups joined by slashes
        after a cue, one of them too long for a date ('2019/20' and '3/6/75' are dates)."""
        text = chunk.text
        for m in _SLASHED.finditer(text):
            groups = m.group().split("/")
            if max(len(g) for g in groups) < 4 or len(groups) == 2 and len(groups[0]) == 4 \
                    and len(groups[1]) == 2:
                continue
            if self._context(text, m.start(), self.code_context, 40):
                pre = _REF_PREFIX.search(text, max(0, m.start() - 8), m.start())
                s = pre.start() if pre else m.start()  # "reference PALS 25/1182": one code
                yield Span(s, m.end(), "ID", text[s:m.end()], 0.85, "slashed-reference")

    def _mixed_codes(self, chunk: Chunk) -> Iterator[Span]:
        """'my payroll number is P0047712', 'participant SH-017': a written token mixing
        letters and digits with at least five of them is a code - sure after a word that
        gives a number or code, a low guess without one (grades, roads and outcodes are
        shorter or listed; measures, ordinals and 'covid-19' are not codes)."""
        text = chunk.text
        for m in _MIXED_CODE.finditer(text):
            code = m.group()
            alnum = sum(c.isalnum() for c in code)
            digits = sum(c.isdigit() for c in code)
            near = self._context(text, m.start(), self.code_context, 24)
            if alnum < (3 if near else 5) or digits < 2 or _MEASURE.match(code) \
                    or POSTCODE.match(code.upper()):
                continue  # "participant P07" (a cue right before) but not a bare "A12"
            lower = code.casefold()
            if self.lex is not None and (lower in self.lex.acronyms or lower in self.lex.never):
                continue
            if _NOT_CODE_START.match(lower) or _NOT_CODE.fullmatch(lower):
                continue  # "covid-19", "H1N1", "band7", the "B1078" road
            if row_code(text, m.start(), m.end()):
                continue  # "K-2201 / Staff nurse / ...": a survey export's row label
            cue = self._context(text, m.start(), self.code_context, 40)
            yield Span(m.start(), m.end(), "ID", code, 0.8 if cue else 0.4, "mixed-code")

    def _postcodes(self, chunk: Chunk) -> Iterator[Span]:
        text = chunk.text
        for m in POSTCODE_TEXT.finditer(text):
            s = m.group()
            if not chunk.cased or s.isupper() or s[:2].isupper():
                yield Span(m.start(), m.end(), "POSTCODE", s, 0.9, "postcode")
            elif re.match(r"[a-z]+", s).group().upper() in AREAS:  # "ls9 7tf" typed quickly
                yield Span(m.start(), m.end(), "POSTCODE", s, 0.7, "postcode")
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
