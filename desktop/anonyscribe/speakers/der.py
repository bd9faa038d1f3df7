"""Diarization error rate (DER), the standard score for "who spoke when", to measure ourselves.

DER = (missed speech + false alarm + speaker confusion) / reference speech, each in seconds,
with hypothesis speakers mapped one-to-one onto reference speakers so that the matched time is
largest, and a forgiveness collar around every reference boundary (nobody agrees to the
millisecond where a turn starts). Overlapping speech is scored, as in NIST md-eval.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .turns import Turn

STEP_S = 0.01


@dataclass(frozen=True)
class DER:
    """Seconds of each error kind and of scored reference speech; ``der`` is their ratio."""

    missed: float
    false_alarm: float
    confusion: float
    total: float

    @property
    def der(self) -> float:
        if self.total <= 0:
            return 0.0 if (self.false_alarm == 0) else float("inf")
        return (self.missed + self.false_alarm + self.confusion) / self.total


def read_rttm(path: Path) -> list[Turn]:
    """Turns from a NIST RTTM file (``SPEAKER uri chan start dur <NA> <NA> name ...``)."""
    turns = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts or parts[0] != "SPEAKER":
            continue
        try:
            start, dur = float(parts[3]), float(parts[4])
            turns.append(Turn(start, start + dur, parts[7]))
        except (IndexError, ValueError) as exc:
            raise ValueError(f"{path}, line {n}: not an RTTM SPEAKER line ({line!r})") from exc
    return turns


def _grid(turns: Sequence[Turn], speakers: list[str], n: int) -> np.ndarray:
    """Boolean activity, speakers x frames of STEP_S."""
    act = np.zeros((len(speakers), n), dtype=bool)
    index = {s: i for i, s in enumerate(speakers)}
    for t in turns:
        a, b = int(round(t.start / STEP_S)), int(round(t.end / STEP_S))
        act[index[t.speaker], max(a, 0): max(min(b, n), 0)] = True
    return act


def _best_mapping(overlap: np.ndarray) -> float:
    """Largest total of ``overlap[r, h]`` over one-to-one pairings of rows and columns."""
    if overlap.size == 0:
        return 0.0
    try:
        from scipy.optimize import linear_sum_assignment  # optional: a slower search without
    except ImportError:
        linear_sum_assignment = None
    if linear_sum_assignment is not None:
        rows, cols = linear_sum_assignment(-overlap)
        return float(overlap[rows, cols].sum())
    r, h = overlap.shape
    if r <= h:
        return max(float(sum(overlap[i, p[i]] for i in range(r)))
                   for p in itertools.permutations(range(h), r))
    return max(float(sum(overlap[p[j], j] for j in range(h)))
               for p in itertools.permutations(range(r), h))


def diarization_error(reference: Sequence[Turn], hypothesis: Sequence[Turn],
                      collar: float = 0.25, duration: float | None = None) -> DER:
    """Score ``hypothesis`` against ``reference``; ``collar`` seconds either side of each
    reference boundary are not scored."""
    end = max([t.end for t in reference] + [t.end for t in hypothesis] + [duration or 0.0])
    n = int(round(end / STEP_S)) + 1
    ref_spk = sorted({t.speaker for t in reference})
    hyp_spk = sorted({t.speaker for t in hypothesis})
    ref = _grid(reference, ref_spk, n)
    hyp = _grid(hypothesis, hyp_spk, n)
    scored = np.ones(n, dtype=bool)
    c = int(round(collar / STEP_S))
    if c > 0:
        for t in reference:
            for edge in (t.start, t.end):
                k = int(round(edge / STEP_S))
                scored[max(0, k - c): k + c] = False
    ref, hyp = ref[:, scored], hyp[:, scored]
    n_ref = ref.sum(axis=0)
    n_hyp = hyp.sum(axis=0)
    overlap = ref.astype(np.float64) @ hyp.T.astype(np.float64)
    correct = _best_mapping(overlap)
    missed = float(np.maximum(n_ref - n_hyp, 0).sum())
    false_alarm = float(np.maximum(n_hyp - n_ref, 0).sum())
    confusion = float(np.minimum(n_ref, n_hyp).sum()) - correct
    return DER(missed * STEP_S, false_alarm * STEP_S, confusion * STEP_S,
               float(n_ref.sum()) * STEP_S)
