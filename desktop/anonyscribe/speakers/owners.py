"""From window labels to speaker turns on a 10 ms grid: each window votes for its voice, short
runs inside another voice's talk join it, a breath stays inside a turn, and an overlap's
second voice is the nearest other one in time."""

from __future__ import annotations

import numpy as np

from .spans import TimeSpan
from .turns import Turn

STEP = 0.01


def frame_owners(speech: list[TimeSpan], windows: list[TimeSpan], labels: np.ndarray) -> np.ndarray:
    """Speaker index per 10 ms (-1: silence). Each window votes for its speaker, its middle
    more than its edges; speech no window covers (overlaps) takes the nearest owner in time."""
    end = max([b for _, b in speech] + [b for _, b in windows])
    n = int(np.ceil(end / STEP)) + 1
    is_speech = np.zeros(n, dtype=bool)
    for a, b in speech:
        is_speech[int(a / STEP): int(np.ceil(b / STEP))] = True
    if len(windows) == 0:
        return np.where(is_speech, 0, -1)
    votes = np.zeros((int(labels.max()) + 1, n), dtype=np.float32)
    for (a, b), lab in zip(windows, labels.tolist(), strict=True):
        i0, i1 = int(a / STEP), int(np.ceil(b / STEP))
        half = max(1.0, (i1 - i0) / 2)
        votes[lab, i0:i1] += 1.0 - 0.5 * np.abs(np.arange(i0, i1) - (i0 + i1) / 2) / half
    owner = np.where(votes.max(axis=0) > 0, np.argmax(votes, axis=0), -1)
    # Nearest voted frame for speech without votes (forward and backward fill, nearer wins).
    idx = np.arange(n)
    has = owner >= 0
    prev_i = np.maximum.accumulate(np.where(has, idx, -1))
    next_i = np.minimum.accumulate(np.where(has, idx, n)[::-1])[::-1]
    use_prev = (prev_i >= 0) & ((next_i >= n) | (idx - prev_i <= next_i - idx))
    filled = np.where(use_prev, owner[np.clip(prev_i, 0, n - 1)], owner[np.clip(next_i, 0, n - 1)])
    return np.where(is_speech, filled, -1)


def voices(owner: np.ndarray) -> set[int]:
    return set(np.unique(owner[owner >= 0]).tolist())


def absorb_short(owner: np.ndarray, min_frames: int) -> np.ndarray:
    """A speaker run shorter than ``min_frames`` inside one other speaker's talk joins it."""
    owner = owner.copy()
    change = np.flatnonzero(np.diff(owner)) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(owner)]])
    for k in range(1, len(starts) - 1):
        a, b = starts[k], ends[k]
        if owner[a] < 0 or b - a >= min_frames:
            continue
        left, right = owner[a - 1], owner[b]
        if left >= 0 and (left == right or right < 0):
            owner[a:b] = left
        elif right >= 0 and left < 0:
            owner[a:b] = right
    return owner


def owner_turns(owner: np.ndarray) -> list[Turn]:
    """Runs of one owner as turns (speaker ids are the indices, as strings, for now)."""
    turns: list[Turn] = []
    change = np.flatnonzero(np.diff(owner)) + 1
    for a, b in zip(np.concatenate([[0], change]), np.concatenate([change, [len(owner)]]),
                    strict=True):
        if owner[a] >= 0:
            turns.append(Turn(round(a * STEP, 3), round(b * STEP, 3), str(int(owner[a]))))
    return turns


def second_voices(overlap: list[TimeSpan], owner: np.ndarray, reach_s: float) -> list[Turn]:
    """In each overlap, the other voice is the nearest different speaker in time."""
    out: list[Turn] = []
    n = len(owner)
    reach = int(reach_s / STEP)
    for a, b in overlap:
        i0, i1 = int(a / STEP), min(n, int(np.ceil(b / STEP)))
        if i1 <= i0:
            continue
        main = np.bincount(owner[i0:i1][owner[i0:i1] >= 0], minlength=1)
        first = int(np.argmax(main)) if main.sum() else -1
        best, best_d = -1, reach + 1
        for d in range(0, reach):
            for j in (i0 - 1 - d, i1 + d):
                if 0 <= j < n and owner[j] >= 0 and owner[j] != first and d < best_d:
                    best, best_d = int(owner[j]), d
            if best >= 0:
                break
        if best >= 0:
            out.append(Turn(round(i0 * STEP, 3), round(i1 * STEP, 3), str(best)))
    return out


def fill_gaps(turns: list[Turn], max_gap: float) -> list[Turn]:
    """Join consecutive turns of one speaker across a short pause (a breath is not a turn
    change; references count it as speech too)."""
    out: list[Turn] = []
    for t in turns:
        if out and out[-1].speaker == t.speaker and t.start - out[-1].end <= max_gap:
            out[-1] = Turn(out[-1].start, max(out[-1].end, t.end), t.speaker)
        else:
            out.append(t)
    return out


def first_appearance(turns: list[Turn]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for t in sorted(turns, key=lambda t: t.start):
        ids.setdefault(t.speaker, f"S{len(ids) + 1}")
    return ids

