"""Hearing a packed window with one encoder pass (the anonymised audio's listening check).

The check packs the neighbourhoods of covered stretches, each a part of 1.6-3 s, into windows
of up to 30 s and asks the recogniser what it hears. faster-whisper's ``transcribe`` stops
where the model ends its text and seeks there, running the encoder (1 CPU-s with ``base``)
again over the rest of the window: 1-3 encoder passes a window, and a part the model skipped
in the middle of the window is not heard again at all.

Here each window is encoded once. The decoder runs over that one encoder output from the
start; then, for each part it wrote nothing over, it runs again from that part's start (a
timestamp token in the prompt sets where it begins), at most ``MAX_RESTARTS`` times a window.
A decoder run costs 0.1-0.2 CPU-s before its first token; an encoder pass 1 CPU-s.

Bounded: at most ``TOKENS_PER_S`` tokens a second of audio over all runs on a window (speech
is 3-5; a run that loops stops there), a restart writes at most what its unheard parts
could hold, greedy, one temperature, nothing dropped as "no speech" (a check must not
discard what it heard), and no 3-token sequence repeated within a run: a model caught in a
loop ("I'm sorry. I'm sorry. ...") moves on to what follows instead of filling the budget.

Windows are decoded together (``hear_many``: up to ``BATCH`` a decoder call, first runs in
one call, then each round of restarts in calls of up to ``RESTART_BATCH``): a decoder step
reads the model's weights once for all of them. Greedy decoding writes each window's text as
it would alone, but for near ties in the batched arithmetic: on the bench hour's 8 windows the
first runs cost 3.8 instead of 6.0 CPU-s, the whole 17.4 instead of 19.7, and 7 windows gave
the same text, one 18 words more (329 against 311 words in all).

Measured on the 8 windows of ``bench/audio.py``'s hour (base; share of the words that each
part heard alone gives, 300 in all, that the window's text holds; CPU-s, busy machine):
faster-whisper's seek loop 0.36 at 27.0; one encoder pass, no restart 0.32 at 14.6; 2
restarts 0.44 at 19.4; 3: 0.45 at 19.4-21.6; every unheard part (34 runs): 0.46 at 21.7.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import offline
from ..media import SAMPLE_RATE

offline.enforce_offline()

from ctranslate2 import StorageView  # noqa: E402 - only after the offline switches
from faster_whisper.audio import pad_or_trim  # noqa: E402
from faster_whisper.tokenizer import Tokenizer  # noqa: E402
from faster_whisper.transcribe import get_suppressed_tokens  # noqa: E402

WINDOW_S = 30.0  # the model's window: one encoder pass each
TOKENS_PER_S = 6.0
MAX_TOKENS = 440  # the model's limit (448) less the longest prompt
NO_REPEAT_NGRAM = 3
# A part counts as heard when a written segment overlaps this much of it (of its first second
# for a longer part): a segment that only grazes its edge was about its neighbour.
HEARD_SHARE = 0.3
# A segment said to end this far past the window's audio has made-up times (tiny.en wrote "My
# name is" as one segment over 0-23 s of a 4 s window and so took its every part as heard):
# its text counts, its time does not, as for a segment left open.
PAST_END_S = 1.0
MAX_RESTARTS = 3  # decoder runs from a part's start after the first (see above)
# Windows decoded together: greedy decoding writes each as it would alone, and a decoder step
# over 8 windows costs little more than over one (the model's weights are read once).
BATCH = 8
# Restarts, which write a few tokens each, go in calls of at most this many: a call first reads
# each window's encoder output into the decoder's cross-attention (about 0.08 CPU-s a window
# alone, 0.15 in a call of 8, base, 2 threads), which then outweighs the shared weights. On
# the bench hour's 8 windows of whole neighbourhoods, restarts in fours cost 1.2 CPU-s less
# than in eights, same texts; on its 6 dense windows 1.4-2.6 CPU-s less, 5 texts the same and
# one ending 3 words sooner (words it had heard before in that window; a near tie).
RESTART_BATCH = 4
TIME_STEP = 0.02  # seconds per timestamp token


@dataclass(frozen=True)
class _Run:
    """What one decoder run wrote: the text tokens and the (start, end) of each segment."""

    start: float  # where it began (s)
    text: list[int]
    segments: list[tuple[float, float]]
    written: int  # tokens the decoder wrote (the budget's unit)


class WindowListener:
    """``listener(audio, starts)``: the text heard in 16 kHz ``audio`` whose parts begin at
    ``starts`` (seconds), each 30 s window encoded once."""

    def __init__(self, whisper: Any, language: str | None) -> None:
        self.whisper = whisper  # faster_whisper.WhisperModel; ``.model``: its CTranslate2 model
        self.language = language
        self.multilingual = bool(whisper.model.is_multilingual)
        self.suppress: list[int] | None = None

    def __call__(self, audio: np.ndarray, starts: Sequence[float] = (0.0,)) -> str:
        window = round(WINDOW_S * SAMPLE_RATE)
        pieces = []
        for n0 in range(0, max(audio.shape[0], 1), window):
            t0 = n0 / SAMPLE_RATE
            local = [s - t0 for s in starts if t0 <= s < t0 + WINDOW_S]
            if not local or local[0] > 0:
                local = [0.0, *local]
            pieces.append((audio[n0:n0 + window], local))
        return " ".join(h for h in self.hear_many(pieces) if h)

    def hear_many(self, windows: Sequence[tuple[np.ndarray, Sequence[float]]]) -> list[str]:
        """What is heard in each of ``windows`` (audio of up to 30 s, its parts' starts), as
        each alone would give it: up to ``BATCH`` windows share each decoder call."""
        out: list[str] = []
        for i in range(0, len(windows), BATCH):
            out += self._batch(windows[i:i + BATCH])
        return out

    def _batch(self, windows: Sequence[tuple[np.ndarray, Sequence[float]]]) -> list[str]:
        states = [self._window(audio, list(starts)) for audio, starts in windows]
        todo: list[tuple[_Window, float | None, int]] = [
            (w, None, min(w.budget, MAX_TOKENS)) for w in states]
        size = BATCH
        while todo:  # the first runs together, then each round of restarts together
            for i in range(0, len(todo), size):
                chunk = todo[i:i + size]
                for (w, _start, _n), run in zip(chunk, self._runs(chunk), strict=True):
                    w.add(run)
            todo = [(w, *step) for w in states if (step := w.restart()) is not None]
            size = RESTART_BATCH
        return [w.text() for w in states]

    def _window(self, audio: np.ndarray, starts: list[float]) -> _Window:
        seconds = audio.shape[0] / SAMPLE_RATE
        features = pad_or_trim(self.whisper.feature_extractor(audio)[:, :-1])
        encoded = self.whisper.encode(features)  # the window's one encoder pass
        parts = [(a, b) for a, b in zip(starts, [*starts[1:], seconds], strict=True) if b > a]
        return _Window(np.asarray(encoded)[0], self._tokenizer(encoded), seconds, parts,
                       math.ceil(TOKENS_PER_S * seconds) + 8)

    def _tokenizer(self, encoded: Any) -> Tokenizer:
        language = self.language
        if self.multilingual and language is None:
            ((token, _p), *_rest) = self.whisper.model.detect_language(encoded)[0]
            language = token[2:-2]
        tokenizer = Tokenizer(self.whisper.hf_tokenizer, self.multilingual, task="transcribe",
                              language=language or "en")
        if self.suppress is None:
            self.suppress = get_suppressed_tokens(tokenizer, [-1])
        return tokenizer

    def _runs(self, todo: Sequence[tuple[_Window, float | None, int]]) -> list[_Run]:
        """One decoder call for every ``(window, start, max tokens)`` of ``todo`` (all from
        their window's start, or all made to begin their first segment at ``start``). Greedy
        decoding writes each sequence as it would alone; one that runs past its own bound
        (the call's bound is the largest) is cut there."""
        forced = [[] if start is None else [w.tokenizer.timestamp_begin + round(start / TIME_STEP)]
                  for w, start, _n in todo]
        prompts = [[*w.tokenizer.sot_sequence, *f] for (w, _s, _n), f in zip(todo, forced,
                                                                            strict=True)]
        longest = max(max(1, n) for _w, _s, n in todo)
        encoded = StorageView.from_array(np.stack([w.encoded for w, _s, _n in todo]))
        results = self.whisper.model.generate(
            encoded, prompts, beam_size=1, max_length=len(prompts[0]) + longest,
            no_repeat_ngram_size=NO_REPEAT_NGRAM, suppress_blank=True,
            suppress_tokens=self.suppress,
            max_initial_timestamp_index=50 if todo[0][1] is None else 1500)
        runs = []
        for (w, start, n), f, result in zip(todo, forced, results, strict=True):
            tokens = list(result.sequences_ids[0])
            if f and tokens[:1] != f:  # the output holds the forced token (4.x does)
                tokens = f + tokens
            tokens = tokens[:len(f) + max(1, n)]
            runs.append(_split(tokens, w.tokenizer, start or 0.0, len(tokens) - len(f),
                               w.seconds + PAST_END_S))
        return runs


@dataclass
class _Window:
    """One window being heard: its encoder output, its parts and the runs written so far."""

    encoded: np.ndarray  # the encoder's output for the window (frames x width)
    tokenizer: Tokenizer
    seconds: float
    parts: list[tuple[float, float]]
    budget: int  # tokens still to write over all its runs
    runs: list[_Run] = field(default_factory=list)
    tried: set[int] = field(default_factory=lambda: {0})  # the first run began at part 0

    def add(self, run: _Run) -> None:
        self.runs.append(run)
        self.budget -= run.written

    def restart(self) -> tuple[float, int] | None:
        """(start, max tokens) of the next run: from the first part nothing was written over,
        for as long as that part and the unheard ones after it; None when none is left."""
        if self.budget <= 0 or len(self.runs) > MAX_RESTARTS:
            return None
        segments = [s for r in self.runs for s in r.segments]
        todo = [k for k, part in enumerate(self.parts)
                if k not in self.tried and not _heard(part, segments)]
        if not todo:
            return None
        k = last = todo[0]
        while last + 1 in todo:
            last += 1
        self.tried.add(k)
        span = self.parts[last][1] - self.parts[k][0]
        return self.parts[k][0], min(self.budget, MAX_TOKENS,
                                     math.ceil(TOKENS_PER_S * span) + 4)

    def text(self) -> str:
        ordered = sorted(self.runs, key=lambda r: r.start)
        return " ".join(t for r in ordered if (t := self.tokenizer.decode(r.text).strip()))


def _split(tokens: list[int], tokenizer: Tokenizer, start: float, written: int,
           limit: float = math.inf) -> _Run:
    """Text tokens and the segments they were written in. A last segment left open (cut by
    the token bound, or ended without its closing time) gives its text but no time: what
    follows its start is not taken as heard; nor is what a segment ending past ``limit``
    (seconds) spans."""
    text, segments = [], []
    begin = tokenizer.timestamp_begin
    opened: float | None = None
    for token in tokens:
        if token >= begin:
            at = (token - begin) * TIME_STEP
            if opened is None:
                opened = at
            else:
                if at <= limit:
                    segments.append((opened, at))
                opened = None
        elif token < tokenizer.eot:
            text.append(token)
    return _Run(start, text, segments, written)


def _heard(part: tuple[float, float], segments: Sequence[tuple[float, float]]) -> bool:
    a, b = part
    need = HEARD_SHARE * min(b - a, 1.0)
    return any(min(b, e) - max(a, s) >= need for s, e in segments)
