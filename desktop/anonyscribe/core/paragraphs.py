"""Where a long turn breaks into paragraphs: at a pause, or after a few sentences.

Qt-free so the review screen and any export can split the same way. A turn's text stays one
string; a paragraph is only a character offset where reading should start a new line, with
the time it is spoken so the reviewer can click it to listen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .timeline import WordSpan

SENTENCE_END = (".", "?", "!", "…")


@dataclass(frozen=True)
class ParagraphRule:
    """A pause this long starts a paragraph, and so does every ``max_sentences``-th sentence
    end; no paragraph is shorter than ``min_chars`` (a "Yes." after a pause stays put)."""

    pause: float = 1.2
    max_sentences: int = 4
    min_chars: int = 120


def paragraph_starts(text: str, spans: Sequence[WordSpan],
                     rule: ParagraphRule = ParagraphRule()) -> list[tuple[int, float | None]]:
    """(char offset, seconds or None) where each paragraph after the first begins.

    Uses the word timings where there are any (pauses, and the time of each break); text
    without timings (an edited turn) is split by sentences alone.
    """
    if spans:
        return _timed(text, spans, rule)
    return [(at, None) for at in _sentence_breaks(text, rule)]


def _timed(text: str, spans: Sequence[WordSpan],
           rule: ParagraphRule) -> list[tuple[int, float | None]]:
    out: list[tuple[int, float | None]] = []
    para_start, sentences = 0, 0
    for prev, word in zip(spans, spans[1:], strict=False):
        between = text[prev[0]:word[0]].rstrip()
        ends_sentence = between.rstrip("\"'”’)").endswith(SENTENCE_END)
        sentences += ends_sentence
        length = word[0] - para_start
        gap = word[2] - prev[3]
        if length < rule.min_chars:
            continue
        at_sentence = ends_sentence and (gap >= rule.pause or sentences >= rule.max_sentences)
        # Unpunctuated speech still breaks, at a long pause or once a paragraph runs long.
        at_pause = gap >= 2 * rule.pause or (gap >= rule.pause and length >= 4 * rule.min_chars)
        if at_sentence or at_pause:
            out.append((word[0], word[2]))
            para_start, sentences = word[0], 0
    return out


def _sentence_breaks(text: str, rule: ParagraphRule) -> list[int]:
    out: list[int] = []
    para_start, sentences, i = 0, 0, 0
    while i < len(text):
        if text[i] in SENTENCE_END and (i + 1 == len(text) or text[i + 1] == " "):
            sentences += 1
            j = i + 1
            while j < len(text) and text[j] == " ":
                j += 1
            if j < len(text) and sentences >= rule.max_sentences \
                    and j - para_start >= rule.min_chars:
                out.append(j)
                para_start, sentences = j, 0
            i = j
            continue
        i += 1
    return out
