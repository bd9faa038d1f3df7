"""Paragraphs inside a long turn: at pauses and every few sentences, never a stub."""

from __future__ import annotations

import re

from anonyscribe.core.paragraphs import ParagraphRule, paragraph_starts


def _timed(text: str, pause_before: dict[int, float] | None = None,
           step: float = 0.4) -> list[tuple[int, int, float, float]]:
    """Word spans at an even pace, with extra silence before the words listed."""
    spans, t = [], 0.0
    for k, m in enumerate(re.finditer(r"\S+", text)):
        t += (pause_before or {}).get(k, 0.0)
        spans.append((m.start(), m.end(), t, t + step - 0.1))
        t += step
    return spans


def test_a_pause_at_a_sentence_end_starts_a_paragraph_with_its_time() -> None:
    first = "We started the clinic in the spring and it took a long while to settle. " * 2
    text = first + "Then the funding changed and everything moved again."
    words_before = len(first.split())
    spans = _timed(text, {words_before: 3.0})
    starts = paragraph_starts(text, spans)
    assert [at for at, _ in starts] == [len(first)]
    assert starts[0][1] == spans[words_before][2]


def test_short_turns_and_mid_sentence_pauses_stay_whole() -> None:
    text = "Yes. I think so."
    assert paragraph_starts(text, _timed(text, {1: 5.0})) == []
    text = "I went to the, um, the place where they do the scans and the bloods and that " * 2
    assert paragraph_starts(text, _timed(text, {9: 1.5})) == []  # 1.5 s mid-sentence: no


def test_many_sentences_break_every_few_without_timings() -> None:
    sentence = "This is one sentence of an unbroken answer that goes on. "
    text = sentence * 12
    rule = ParagraphRule(max_sentences=4, min_chars=120)
    starts = paragraph_starts(text, [], rule)
    assert [at for at, _ in starts] == [len(sentence) * k for k in (4, 8)]
    assert all(t is None for _, t in starts)
    assert all(text[at - 2:at] == ". " for at, _ in starts)
