"""The one place that decides output file names, redacted like the text they name.

Teams calls a recording "Interview with Jane Smith-20231012_140512-Meeting Recording.mp4":
the name alone identifies the participant and the day. An exported file name therefore goes
through the same redaction as the transcript (accepted originals, optionally a detector),
loses anything that looks like a date or time, and is reduced to ASCII letters, digits,
``-`` and ``_`` so it is safe on every file system and in every coding app.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .core.model import ENTITY_TYPES, Span
from .core.register import IdentityKey
from .detect.similar import same_name

MAX_STEM = 100
# What recording apps write around a name ("Interview with …-Meeting Recording"): never an
# identifier by itself, so never replaced or searched for on its own.
FILE_NAME_WORDS = frozenset({
    "meeting", "recording", "recorded", "interview", "interviews", "with", "and", "call",
    "audio", "video", "focus", "group", "transcript", "session", "part", "the", "of", "for"})
DEFAULT_FALLBACK = "recording"
# Detections in a file name below this score (context guesses) are left alone: a file name
# has no context to judge a guess by ("pyannote_sample" is not a person).
FILE_NAME_MIN_SCORE = 0.5

# Files each export format writes, as suffixes appended to the stem.
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "txt": (".txt",),
    "docx": (".docx",),
    "nvivo": ("_nvivo.docx", "_nvivo.txt"),
    "srt": (".srt",),
    "vtt": (".vtt",),
    "qdpx": (".qdpx",),
    "xlsx": (".xlsx",),  # survey sheets: the researcher's sheet, free text anonymised
    "csv": (".csv",),
    "audio": (".m4a",),
}
LOG_FILES = ("anonymisation-log.csv", "anonymisation-log.xlsx")
REPORT_FILE = "anonymisation-report.txt"

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {
    f"lpt{i}" for i in range(10)}
_SEPARATORS = re.compile(r"[\s\-_.,;:!?'\"`~()\[\]{}<>+&=#@$%^*|\\/]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}
_WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
}
_ORDINAL = re.compile(r"^\d{1,2}(st|nd|rd|th)$", re.IGNORECASE)
_TIME_TOKEN = re.compile(r"^\d{1,2}[hH]\d{2}$")


def fold(text: str) -> str:
    """ASCII, lower-case form used to compare names: "Siobhán" and "SIOBHAN" are the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _keep_case_ascii(token: str) -> str:
    """Strip accents, keep case, drop what has no ASCII form ("Zoë" -> "Zoe")."""
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode(
        "ascii", "ignore").decode()


def tokens(text: str) -> list[str]:
    """Split a file name into words: on separators, camelCase humps, nothing else."""
    out: list[str] = []
    for part in _SEPARATORS.split(text):
        out.extend(p for p in _CAMEL.split(part) if p)
    return out


def _is_dateish(token: str) -> bool:
    low = token.casefold()
    if low in _MONTHS or low in _WEEKDAYS or _ORDINAL.match(token) or _TIME_TOKEN.match(token):
        return True
    return token.isdigit() and len(token) >= 4


def _date_mask(words: list[str]) -> list[bool]:
    """True for years, yyyymmdd/hhmmss runs, month and day names, and the short numbers
    beside them (the "12" and "10" of "12-10-2023"); a lone "2" or "001" stays (an
    interview number)."""
    dateish = [_is_dateish(w) for w in words]
    mask = list(dateish)
    for i, w in enumerate(words):
        if not dateish[i] and w.isdigit() and len(w) <= 2:
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(words)]
            mask[i] = any(dateish[j] or words[j].isdigit() for j in near)
    return mask


def _drop_dates(words: list[str]) -> list[str]:
    return [w for w, date in zip(words, _date_mask(words), strict=True) if not date]


def _placeholder(label: str) -> str:
    """ "[Person 1]" -> "Person-1": the pseudonym's type and number, never the original."""
    inner = re.sub(r"[\[\](){}]", "", label).strip()
    return re.sub(r"\s+", "-", inner) or "Redacted"


def _replace_originals(words: list[str], originals: Mapping[str, str]) -> list[str]:
    """Swap every run of words spelling an accepted original for its placeholder."""
    folded = [fold(w) for w in words]
    items = sorted(originals.items(), key=lambda kv: -len(kv[0]))
    for original, label in items:
        target = [fold(t) for t in tokens(original)]
        if not target:
            continue
        n = len(target)
        i = 0
        while i + n <= len(words):
            if folded[i:i + n] == target:
                words[i:i + n] = [_placeholder(label)]
                folded[i:i + n] = ["\x00"]
            i += 1
        squashed = "".join(target)
        if len(squashed) >= 4:  # "janesmith" hidden inside one token
            for j, f in enumerate(folded):
                if squashed in f:
                    words[j] = _placeholder(label)
                    folded[j] = "\x00"
    return words


def _replace_detected(words: list[str], detect: Callable[[str], list[Span]]) -> list[str]:
    text = " ".join(words)
    starts: list[int] = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    out = list(words)
    for span in detect(text):
        stem = ENTITY_TYPES.get(span.type, "Redacted").replace(" ", "-")
        for i, s in enumerate(starts):
            e = s + len(words[i])
            if s < span.end and e > span.start:
                out[i] = stem
    return out


def _collapse(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if not out or out[-1] != w:
            out.append(w)
    return out


def _limit(stem: str) -> str:
    if len(stem) <= MAX_STEM:
        return stem
    cut = stem[:MAX_STEM]
    if "_" in cut[MAX_STEM // 2:]:
        cut = cut[:cut.rindex("_")]
    return cut.strip("_-")


def _finish(stem: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]", "", stem)
    stem = re.sub(r"_+", "_", stem).strip("_-")
    if stem.split(".")[0].casefold() in _WINDOWS_RESERVED:
        stem += "_file"
    return _limit(stem)


def _as_mapping(originals: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    if isinstance(originals, Mapping):
        return {str(k): str(v) for k, v in originals.items() if str(k).strip()}
    return {o: "Redacted" for o in originals if o and o.strip()}


def safe_stem(
    original_name: str,
    originals: Iterable[str] | Mapping[str, str] = (),
    detect: Callable[[str], list[Span]] | None = None,
    fallback: str = "",
) -> str:
    """A file-system-safe export name for ``original_name`` with no identifier left in it.

    ``originals`` are the accepted originals (or a mapping original -> pseudonym label, which
    gives placeholders like ``Person-1``); ``detect`` flags anything else (e.g. PERSON).
    When the result would be empty or still contain an original, ``fallback`` is used.
    """
    mapping = _as_mapping(originals)
    fallback_stem = _finish(re.sub(r"\s+", "_", _keep_case_ascii(fallback))) or DEFAULT_FALLBACK
    name = Path(original_name).name
    if Path(name).suffix and len(Path(name).suffix) <= 6:
        name = Path(name).stem
    words = _drop_dates(tokens(unicodedata.normalize("NFC", name)))
    words = _replace_originals(words, mapping)
    if detect is not None:
        words = _replace_detected(words, detect)
    words = _collapse([a for a in (_keep_case_ascii(w) for w in words) if a])
    stem = _finish("_".join(words))
    if not stem or not re.search(r"[A-Za-z0-9]", stem) or name_contains(stem, mapping):
        return fallback_stem
    return stem


@dataclass
class PlannedName:
    """An export stem from the labelling plan, with what it had to hide."""

    stem: str
    originals: list[str] = field(default_factory=list)  # identifiers the file name held
    identities: list[IdentityKey] = field(default_factory=list)  # plan labels it shows


def _type_word(type_: str) -> str:
    return ENTITY_TYPES.get(type_, "Redacted").replace(" ", "-")


def _mark(words: list[str], known: Mapping[str, str],
          detect: Callable[[str], list[Span]] | None) -> list[str | None]:
    """The identifier type of each word: known surfaces (study-wide), then the detector."""
    folded = [fold(w) for w in words]
    marks: list[str | None] = [None] * len(words)
    for surface, type_ in sorted(known.items(), key=lambda kv: -len(kv[0])):
        target = [fold(t) for t in tokens(surface)]
        n = len(target)
        if not n:
            continue
        for i in range(len(words) - n + 1):
            if folded[i:i + n] == target:
                marks[i:i + n] = [type_] * n
        squashed = "".join(target)
        if len(squashed) >= 5:  # "janesmith" inside one word
            for i, f in enumerate(folded):
                if squashed in f and len(f) > len(target[0]):
                    marks[i] = type_
    if detect is not None:
        text = " ".join(words)
        starts, pos = [], 0
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        for span in detect(text):
            for i, s in enumerate(starts):
                if s < span.end and s + len(words[i]) > span.start and marks[i] is None:
                    marks[i] = span.type
    for i, w in enumerate(words):  # "O" of "O'Connor", "J" of "Jane J Smith"
        if marks[i] is None and len(w) == 1 and w.isalpha() and i + 1 < len(words) \
                and marks[i + 1] == "PERSON":
            marks[i] = "PERSON"
    return marks


def _separators(name: str, words: list[str]) -> list[str]:
    """What stands before each word in the name ("'" before "Connor" in "O'Connor")."""
    out, cursor = [], 0
    for w in words:
        at = name.find(w, cursor)
        at = cursor if at < 0 else at
        out.append(name[cursor:at])
        cursor = at + len(w)
    return out


_WITHIN_NAME = re.compile(r"^[ '\u2019\u2018`-]?$")  # " ", "'", "-" without spaces around


def _extend_names(words: list[str], seps: list[str], marks: list[str | None]) -> None:
    """A person's name goes on over the capitalised words written right after it
    ("Sarah" + "O'Connor"), up to a date, a " - " or a word like "Meeting"."""
    for i in range(1, len(words)):
        w = words[i]
        if marks[i - 1] == "PERSON" and marks[i] != "PERSON" and w[:1].isupper() \
                and w.isalpha() and _WITHIN_NAME.match(seps[i]) \
                and fold(w) not in FILE_NAME_WORDS:
            marks[i] = "PERSON"


def _runs(marks: list[str | None]) -> list[tuple[int, int, str]]:
    runs: list[tuple[int, int, str]] = []
    for i, m in enumerate(marks):
        if m is None:
            continue
        if runs and runs[-1][1] == i and runs[-1][2] == m:
            runs[-1] = (runs[-1][0], i + 1, m)
        else:
            runs.append((i, i + 1, m))
    return runs


def _as_written(name: str, run: list[str]) -> str:
    """The run as the file name spells it ("Sarah O'Connor", not "Sarah O Connor")."""
    pattern = r"[\W_]*".join(re.escape(w) for w in run)
    m = re.search(pattern, name, re.IGNORECASE)
    return m.group(0) if m else " ".join(run)


def planned_stem(
    original_name: str,
    surfaces: Mapping[str, tuple[IdentityKey, str]],
    local: Iterable[IdentityKey] = (),
    terms: Mapping[str, str] | None = None,
    detect: Callable[[str], list[Span]] | None = None,
    fallback: str = "",
) -> PlannedName:
    """One rule for every recording's export name: each identifier in the file name (a known
    surface of the study, an always-flag term, or what ``detect`` finds) becomes the plan's
    label when the whole identifier is an accepted identity (``surfaces``: surface ->
    (identity, label)), or a near-miss of a name accepted in this recording (``local``),
    and its type word otherwise ("Interview_with_Person-1", "Interview_with_Person").
    Dates and times go. The identifiers found are returned for the leak check.
    """
    fallback_stem = _finish(re.sub(r"\s+", "_", _keep_case_ascii(fallback))) or DEFAULT_FALLBACK
    name = Path(original_name).name
    if Path(name).suffix and len(Path(name).suffix) <= 6:
        name = Path(name).stem
    name = unicodedata.normalize("NFC", name)
    words = tokens(name)
    dates = _date_mask(words)
    known = {s: ident[0] for s, (ident, _) in surfaces.items()}
    known.update(terms or {})
    by_words = {tuple(fold(t) for t in tokens(s)): (ident, label)
                for s, (ident, label) in surfaces.items()}
    local = set(local)
    people = {s: v for s, v in surfaces.items() if v[0] in local and v[0][0] == "PERSON"}
    result = PlannedName("")
    out: list[str] = []
    cursor = 0
    marks = [None if date or fold(w) in FILE_NAME_WORDS else m
             for w, date, m in zip(words, dates, _mark(words, known, detect), strict=True)]
    _extend_names(words, _separators(name, words), marks)
    for start, end, type_ in _runs(marks):
        out += [w for w, date in zip(words[cursor:start], dates[cursor:start], strict=True)
                if not date]
        cursor = end
        run = words[start:end]
        written = _as_written(name, run)
        result.originals.append(written)
        if type_ == "PERSON":
            result.originals += [w for w in run if len(w) >= 3]
        hit = by_words.get(tuple(fold(w) for w in run))
        if hit is None and type_ == "PERSON":
            near = {v for s, v in people.items() if same_name(written, s)}
            hit = near.pop() if len(near) == 1 else None
        if hit is not None and hit[0][0] == type_:
            out.append(_placeholder(hit[1]))
            result.identities.append(hit[0])
        else:
            out.append(_type_word(type_))
    out += [w for w, date in zip(words[cursor:], dates[cursor:], strict=True) if not date]
    out = _collapse([a for a in (_keep_case_ascii(w) for w in out) if a])
    stem = _finish("_".join(out))
    if not stem or not re.search(r"[A-Za-z0-9]", stem) or name_contains(
            stem, [*surfaces, *result.originals]):
        stem = fallback_stem
    result.stem = stem
    return result


Spelling = tuple[tuple[str, ...], str]  # folded words, and the same run together


def spelling(text: str) -> Spelling:
    """What ``spells`` compares: worked out once per name or original, not once per pair."""
    words = tuple(fold(w) for w in tokens(text))
    return words, "".join(words)


def spells(name: Spelling, original: Spelling) -> bool:
    """True when the name's words include the original's, or (five letters or more) the name
    run together holds the original run together ("JaneSmith", "jane_smith")."""
    words, squashed_name = name
    target, squashed = original
    if not target:
        return False
    n = len(target)
    if any(words[i:i + n] == target for i in range(len(words) - n + 1)):
        return True
    return len(squashed) >= 5 and squashed in squashed_name


def name_contains(name: str, originals: Iterable[str]) -> bool:
    """True when a file name still spells an original, however it is cased or separated."""
    found = spelling(name)
    return any(spells(found, spelling(original)) for original in originals)


def output_names(fmt: str, stem: str) -> list[str]:
    """The file names format ``fmt`` writes for ``stem``."""
    try:
        return [stem + suffix for suffix in FORMAT_SUFFIXES[fmt]]
    except KeyError:
        raise ValueError(
            f"unknown export format {fmt!r}; valid formats are {', '.join(sorted(FORMAT_SUFFIXES))}"
        ) from None


def unique_path(out_dir: Path, stem: str, suffix: str) -> Path:
    """``out_dir/stem+suffix``, or ``stem-2``, ``stem-3``... when that name is taken."""
    out_dir = Path(out_dir)
    candidate = out_dir / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = out_dir / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def unique_stem(out_dir: Path, stem: str, fmts: Iterable[str]) -> str:
    """A stem none of whose files (for every format in ``fmts``) exists yet in ``out_dir``,
    so two recordings that redact to the same name never overwrite each other."""
    out_dir = Path(out_dir)
    fmts = list(fmts)
    candidate, n = stem, 2
    while any((out_dir / name).exists() for f in fmts for name in output_names(f, candidate)):
        candidate = f"{stem}-{n}"
        n += 1
    return candidate
