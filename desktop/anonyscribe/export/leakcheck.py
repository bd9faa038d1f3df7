"""Re-read every written file and look for any accepted original: the last line of defence.

Redaction replaces what the reviewer accepted; this checks that nothing accepted survived
anywhere in what was written: body text, headers, footers, comments, document properties,
every XML part of a .docx/.xlsx/.qdpx (a name split across Word runs included), text files,
media tags, and the file names themselves. Matching ignores case, accents are compared as
written (NFC), whitespace and apostrophe variants match each other, and originals of four
characters or fewer must stand alone as a word so "Al" does not fire inside "also"; a longer
one inside a longer word counts unless that word is an ordinary English word ("Frankly" is not
"Frank", "chairs" not the accepted "chair"; "Bradfordian" still counts), because the review
replaces whole words only (``redact.propagate``) and could never clear such a refusal.

A ``Leak`` says where, never what: its message must be safe to show, log or file.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from ..naming import Spelling, spelling, spells
from ..resources import read_list, resources_dir
from .common import new_document, scrub_document

SHORT = 4
WINDOWED = 1 << 16  # texts longer than this are searched around each needle (``_count_near``)
BIG_BINARY = 32 << 20
EDGE = 8 << 20
TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".srt", ".vtt", ".xml", ".rels", ".qde", ".json",
                 ".md", ".html", ".htm", ".rtf"}
ZIP_SUFFIXES = {".docx", ".xlsx", ".qdpx", ".zip", ".pptx", ".odt"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A member named by a GUID we drew ("Sources/3F1931A2-....txt"): in a project of thousands of
# sources some GUID spells any accepted 4-digit number by chance.
_GUID_MEMBER = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
                          r"[0-9A-Fa-f]{12}$")
_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SHEET_LAYOUT = {"r", "spans", "s", "t", "ht", "customHeight", "customFormat", "dyDescent",
                 "ref", "min", "max", "width", "customWidth", "sqref"}
_APOSTROPHES = "'\u2019\u2018`\u02bc"


@dataclass(frozen=True)
class Leak:
    """An accepted original found in ``path`` at ``part`` ("file name", a ZIP member...).

    ``term`` is the original's index in the list given to ``scan``: the caller that holds the
    private list can look it up; the Leak itself never carries the text.
    """

    path: Path
    part: str
    term: int

    @property
    def in_name(self) -> bool:
        return self.part in ("file name", "member name")

    def __str__(self) -> str:
        # A name that leaks is not repeated: the message has to be safe to show and log.
        where = f"the {self.part}" if self.in_name else f"{self.path.name} ({self.part})"
        return f"an accepted identifier is still present in {where}"


class LeakError(RuntimeError):
    """An export still contained an accepted original; the file was deleted, not kept."""

    def __init__(self, fmt: str, leaks: list[Leak]) -> None:
        self.fmt = fmt
        self.leaks = leaks
        named = any(leak.in_name for leak in leaks)
        where = "; ".join(sorted({
            leak.part if named else f"{leak.path.name}, {leak.part}" for leak in leaks}))
        super().__init__(
            f"The {fmt} export was not written: an identifier you accepted for replacement "
            f"still appears in it ({where}). It was replaced in some places but not in "
            "this one. Open the transcript, search for the identifiers you accepted and accept "
            "the remaining occurrences (or fix the speaker names / export name), then export "
            "again."
        )


@dataclass(frozen=True)
class _Term:
    index: int
    original: str
    needle: str  # cheap pre-filter: the longest casefolded word of the original
    pattern: re.Pattern[str]
    byte_needles: tuple[bytes, ...]  # empty: too short or numeric to look for in binary
    spelling: Spelling  # for file and member names (``naming.spells``)
    wordy: bool = False  # letters: a match inside an ordinary longer word does not count


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _regex_body(original: str) -> str:
    parts = []
    for ch in original:
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in _APOSTROPHES:
            parts.append(f"[{re.escape(_APOSTROPHES)}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _compile(index: int, original: str) -> _Term | None:
    text = _nfc(original).strip()
    if len(text) < 2 or not any(c.isalnum() for c in text):
        return None
    body = _regex_body(text)
    has_letters = any(c.isalpha() for c in text)
    if not has_letters:
        # Numbers (years, ids) must stand alone, not sit inside a time stamp or a date
        # we wrote ourselves ("2024-05-01", "#00:12:30-5#").
        pattern = rf"(?<![\w:.,#/-]){body}(?![\w:#/]|[-.,]\d)"
    elif len(text) <= SHORT:
        pattern = rf"(?<!\w){body}(?!\w)"
    else:
        pattern = body
    words = re.findall(r"\w+", text.casefold())
    needle = max(words, key=len) if words else text.casefold()
    # In binary data (media tags) a short or numeric string turns up by chance; only names
    # of five characters or more are looked for there, as UTF-8 and as UTF-16.
    lowered = text.casefold()
    byte_needles = (lowered.encode("utf-8"), lowered.encode("utf-16-le")) if (
        has_letters and len(text) > SHORT) else ()
    return _Term(index, text, needle, re.compile(pattern, re.IGNORECASE), byte_needles,
                 spelling(text), wordy=has_letters)


def compile_terms(originals: Iterable[str]) -> list[_Term]:
    return [t for i, o in enumerate(originals) if (t := _compile(i, o)) is not None]


def _spelled(name: str, terms: list[_Term]) -> list[int]:
    """The index of every term a file (or ZIP member) name spells (``naming.name_contains``)."""
    found = spelling(name)
    return [t.index for t in terms if spells(found, t.spelling)]


def count_text(text: str, terms: list[_Term]) -> Counter[int]:
    """How often each term occurs in ``text``."""
    text = _nfc(text)
    folded = text.casefold()
    near = len(text) > WINDOWED and len(folded) == len(text)
    hits: Counter[int] = Counter()
    for term in terms:
        if term.needle in folded:
            n = _count_near(text, folded, term) if near else sum(
                1 for m in term.pattern.finditer(text) if _counts(text, term, m))
            if n:
                hits[term.index] += n
    return hits


def _count_near(text: str, folded: str, term: _Term) -> int:
    """Matches of ``term`` in a big text, looked for only around each place its needle is:
    a sheet of 50,000 answers is megabytes, and a number like "1931" turns up in it often
    enough that a full scan per term took seconds. Every match holds the needle, and the
    window reaches past any match by a margin, so its lookarounds see what a full scan sees
    (a lookbehind reads before ``pos``; a lookahead stops at ``endpos``)."""
    reach = 2 * len(term.original) + 16
    starts: set[int] = set()
    i = folded.find(term.needle)
    while i != -1:
        for m in term.pattern.finditer(text, max(0, i - reach), i + len(term.needle) + reach):
            if m.start() <= i and i + len(term.needle) <= m.end() and _counts(text, term, m):
                starts.add(m.start())
        i = folded.find(term.needle, i + 1)
    return len(starts)


def _counts(text: str, term: _Term, m: re.Match[str]) -> bool:
    """A match is a leak unless it lies inside a longer ordinary word at either end."""
    if not term.wordy:
        return True
    a, b = m.start(), m.end()
    if a > 0 and _is_word_char(text[a - 1]):
        left = _word_at(text, a - 1)
        if left.casefold() not in _ordinary_words():
            return True
        inside = True
    else:
        inside = False
    if b < len(text) and _is_word_char(text[b]):
        right = _word_at(text, b)
        if right.casefold() not in _ordinary_words():
            return True
        inside = True
    return not inside


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _word_at(text: str, i: int) -> str:
    """The whole word around position ``i``."""
    a = b = i
    while a > 0 and _is_word_char(text[a - 1]):
        a -= 1
    while b < len(text) and _is_word_char(text[b]):
        b += 1
    return text[a:b]


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    """The detector's bundled English word list (SCOWL, see SOURCES.md)."""
    return frozenset(w.casefold() for w in read_list(resources_dir() / "terms"
                                                       / "english_words.txt.gz"))


def _count_bytes(data: bytes, terms: list[_Term]) -> Counter[int]:
    """Occurrences in binary data, ASCII case folded (tags are mostly plain text)."""
    lower = data.lower()
    hits: Counter[int] = Counter()
    for term in terms:
        n = sum(lower.count(needle) for needle in term.byte_needles)
        if n:
            hits[term.index] += n
    return hits


def _read_edges(fh: BinaryIO, size: int) -> bytes:
    """All of a small binary; the head and tail of a big one, where containers keep their
    tags (title, artist, comment): audio payload cannot spell a name."""
    if size <= BIG_BINARY:
        return fh.read()
    head = fh.read(EDGE)
    tail = b""
    while chunk := fh.read(EDGE):
        tail = (tail + chunk)[-EDGE:]
    return head + b"\n" + tail


def _sheet_view(data: bytes) -> str | None:
    """A worksheet's cell texts and its attributes other than cell layout: row numbers and
    cell references (``<row r="1931">``, ``r="B1931"``) are the writer's, not the answers', and
    read raw they would match an accepted year or number in any sheet of 1,000 rows."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return None
    parts = [el.text for el in root.iter() if isinstance(el.tag, str) and el.text]
    parts += [v for el in root.iter() if isinstance(el.tag, str)
              for k, v in el.attrib.items() if etree.QName(k).localname not in _SHEET_LAYOUT]
    return html.unescape("\n".join(parts))


def _xml_views(data: bytes) -> list[str]:
    """The XML as text (entities decoded), plus every Word paragraph's runs joined, so a name
    Word split over two runs ("Ja" + "ne") is still seen."""
    text = data.decode("utf-8", "replace")
    if _SML in text[:400] and "<worksheet" in text[:400]:
        view = _sheet_view(data)
        if view is not None:
            return [view]
    views = [html.unescape(text)]
    if _W.strip("{}") in text:
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError:
            return views
        paras = ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in root.iter(f"{_W}p")]
        views.append("\n".join(paras))
    return views


def _count_member(name: str, data: bytes, terms: list[_Term]) -> Counter[int]:
    suffix = Path(name).suffix.lower()
    if suffix in {".xml", ".rels", ".qde"}:
        hits: Counter[int] = Counter()
        for view in _xml_views(data):
            hits.update(count_text(view, terms))
        return hits
    if suffix in TEXT_SUFFIXES:
        return count_text(data.decode("utf-8-sig", "replace"), terms)
    return _count_bytes(data, terms)


@lru_cache(maxsize=1)
def _docx_baseline() -> dict[str, tuple[str, bytes]]:
    """Each part of a blank export .docx: (sha256, bytes). Parts identical to the blank
    template (styles, theme, fonts) cannot hold anything of ours; fonts like "Latha" or
    "Georgia" in them are someone's name only by coincidence."""
    document = new_document()
    scrub_document(document)
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    return {n: (hashlib.sha256(d).hexdigest(), d) for n, d in parts.items()}


def _scan_zip(path: Path, shown: Path, terms: list[_Term]) -> list[Leak]:
    leaks: list[Leak] = []
    baseline = _docx_baseline() if shown.suffix.lower() == ".docx" else {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not _GUID_MEMBER.match(Path(info.filename).stem):  # random: cannot identify
                leaks.extend(Leak(shown, "member name", i)
                             for i in _spelled(info.filename, terms))
            with zf.open(info) as fh:
                data = _read_edges(fh, info.file_size)
            base = baseline.get(info.filename)
            if base and base[0] == hashlib.sha256(data).hexdigest():
                continue
            hits = _count_member(info.filename, data, terms)
            if base:
                hits -= _count_member(info.filename, base[1], terms)
            leaks.extend(Leak(shown, info.filename, i) for i in sorted(+hits))
    return leaks


def _scan_file(path: Path, shown: Path, terms: list[_Term]) -> list[Leak]:
    suffix = shown.suffix.lower()
    if suffix in ZIP_SUFFIXES and zipfile.is_zipfile(path):
        return _scan_zip(path, shown, terms)
    with open(path, "rb") as fh:
        data = _read_edges(fh, path.stat().st_size)
    if suffix in TEXT_SUFFIXES:
        hits = _count_member(shown.name, data, terms)
    else:
        hits = _count_bytes(data, terms)
    return [Leak(shown, "content", i) for i in sorted(hits)]


def scan(paths: Iterable[Path], originals: Iterable[str],
         shown_names: Mapping[Path, str] | None = None) -> list[Leak]:
    """Every place an accepted original still appears in ``paths`` (content and names).

    ``shown_names`` gives the final name of a file still written under a temporary one, so
    the name that will be seen is the one checked.
    """
    originals = list(originals)
    terms = compile_terms(originals)
    if not terms:
        return []
    leaks: list[Leak] = []
    for path in paths:
        path = Path(path)
        shown = path.with_name((shown_names or {}).get(path, path.name))
        leaks.extend(Leak(shown, "file name", i) for i in _spelled(shown.name, terms))
        leaks.extend(_scan_file(path, shown, terms))
    return leaks


def name_leaks(names: Iterable[str], originals: Iterable[str]) -> list[tuple[str, int]]:
    """(name, term index) for every file name that spells an accepted original."""
    terms = compile_terms(originals)
    return [(n, i) for n in names for i in _spelled(n, terms)]
