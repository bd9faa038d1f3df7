"""Where a reviewer's text lands: a selection without its stray edges, every whole-word
occurrence of a flagged text, and where a finding goes when the reviewer edits its turn.
Pure string work, no study state."""

from __future__ import annotations

import difflib
import re

_WORD_RUN = re.compile(r"\w*")
_EDGE = ",;:!?\"“”‘’'()[]"  # punctuation a drag-selection picks up by accident


def trim_selection(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without the spaces and stray punctuation a drag picks up at its
    edges, and a full stop at its end (a sentence's last word)."""
    while start < end and (text[start].isspace() or text[start] in _EDGE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE + "."):
        end -= 1
    return start, end


def occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Whole-word, case-insensitive matches of ``needle`` (any run of spaces matches any)."""
    parts = needle.split()
    if not parts:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in parts) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def reanchor(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where ``old[start:end]`` went in ``new``; None when the edit deleted all of it.

    Text inserted exactly at either edge stays outside the span ("Sarah" -> "Dr Sarah" keeps
    "Sarah"); text inserted inside it joins it ("Sarah Thompson" -> "Sarah J Thompson"). A
    rewritten word at an edge keeps only its word characters ("Hospitals." -> "Hospital,
    you know." ends the span at "Hospital").
    """
    ops = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
           if op[0] != "insert"]
    new_start = new_end = None
    for tag, i1, i2, j1, j2 in ops:
        wordy = tag == "replace" and _WORD_RUN.fullmatch(old[i1:i2]) is not None
        if new_start is None and i1 <= start < i2:
            if tag == "equal":
                new_start = j1 + (start - i1)
            elif wordy and start == i1:
                tail = _WORD_RUN.search(new[j1:j2][::-1])
                new_start = j2 - (tail.end() if tail else 0)
            else:
                new_start = j1
        if new_end is None and i1 < end <= i2:
            if tag == "equal":
                new_end = j1 + (end - i1)
            elif tag == "delete":
                new_end = j1
            elif wordy and end == i2:
                new_end = _WORD_RUN.match(new, j1, j2).end()  # absolute index
            else:
                new_end = j2
    if new_start is None or new_end is None:
        return None
    while new_start < new_end and new[new_start].isspace():
        new_start += 1
    while new_end > new_start and new[new_end - 1].isspace():
        new_end -= 1
    if new_end <= new_start:
        return None
    return new_start, new_end


_WORD = re.compile(r"\w[\w'’-]*")


def word_around(text: str, offset: int) -> tuple[int, int] | None:
    """(start, end) of the word holding ``offset``, or of the word just before it (a cursor
    sits after the word it was put at); None when the text has no word there."""
    before = None
    for m in _WORD.finditer(text):
        if m.start() <= offset < m.end():
            return m.start(), m.end()
        if m.start() > offset:
            break
        before = (m.start(), m.end())
    return before if before is not None and before[1] == offset else None
