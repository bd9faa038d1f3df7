"""Time spans of speech and the analysis windows laid over them (seconds, sorted lists)."""

from __future__ import annotations

import numpy as np

from .settings import DiarizeSettings

TimeSpan = tuple[float, float]


def runs_of(mask: np.ndarray, frame_step: float, frame_offset: float = 0.0,
            min_on: float = 0.0, min_off: float = 0.0) -> list[TimeSpan]:
    """Spans (seconds) where ``mask`` is true; gaps up to ``min_off`` closed, then spans
    shorter than ``min_on`` dropped."""
    padded = np.concatenate([[False], mask.astype(bool), [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    spans: list[list[float]] = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        start, end = frame_offset + a * frame_step, frame_offset + b * frame_step
        if spans and start - spans[-1][1] <= min_off:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(a, b) for a, b in spans if b - a >= min_on]


def subtract(spans: list[TimeSpan], holes: list[TimeSpan], min_len: float = 0.0) -> list[TimeSpan]:
    """``spans`` with ``holes`` cut out (both sorted, each non-overlapping)."""
    out: list[TimeSpan] = []
    j = 0
    for a, b in spans:
        cur = a
        while j < len(holes) and holes[j][1] <= cur:
            j += 1
        k = j
        while k < len(holes) and holes[k][0] < b:
            if holes[k][0] > cur:
                out.append((cur, holes[k][0]))
            cur = max(cur, holes[k][1])
            k += 1
        if cur < b:
            out.append((cur, b))
    return [(a, b) for a, b in out if b - a >= min_len]


def cut_at(spans: list[TimeSpan], points: list[float], gap: float) -> list[TimeSpan]:
    """``spans`` cut at each point (a ``gap`` left out around it), so no analysis window
    holds two voices handing over without a pause."""
    return subtract(spans, [(t - gap / 2, t + gap / 2) for t in sorted(points)])



def windows_for(regions: list[TimeSpan], duration: float, s: DiarizeSettings) -> list[TimeSpan]:
    """Overlapping analysis windows covering each region; a short region gets one window of
    ``min_region_s`` around it, so the voice print has enough sound to go on."""
    out: list[TimeSpan] = []
    for a, b in regions:
        if b - a < s.min_region_s:
            mid = (a + b) / 2
            a2 = max(0.0, min(mid - s.min_region_s / 2, duration - s.min_region_s))
            out.append((a2, min(duration, a2 + s.min_region_s)))
            continue
        t = a
        while t + s.window_s < b:
            out.append((t, t + s.window_s))
            t += s.shift_s
        out.append((max(a, b - s.window_s), b))
    return out


def group_windows(windows: list[TimeSpan]) -> list[tuple[TimeSpan, list[int]]]:
    """Chains of overlapping windows, each with the stretch of audio that holds them all."""
    groups: list[tuple[TimeSpan, list[int]]] = []
    for i, (wa, wb) in enumerate(windows):
        if groups and groups[-1][0][0] <= wa < groups[-1][0][1]:
            (ga, gb), members = groups[-1]
            members.append(i)
            groups[-1] = ((ga, max(gb, wb)), members)
        else:
            groups.append(((wa, wb), [i]))
    return groups



def touching(windows: list[TimeSpan], spans: list[TimeSpan]) -> np.ndarray:
    """Per window: does it overlap any of ``spans`` (sorted, non-overlapping)?"""
    if not spans or not windows:
        return np.zeros(len(windows), dtype=bool)
    starts = np.array([a for a, _ in spans])
    ends = np.array([b for _, b in spans])
    wa = np.array([a for a, _ in windows])
    wb = np.array([b for _, b in windows])
    k = np.searchsorted(ends, wa, side="right")  # the first span ending after the window starts
    return (k < len(spans)) & (starts[np.minimum(k, len(spans) - 1)] < wb)



def stretch_of(windows: list[TimeSpan]) -> np.ndarray:
    """Per window, the number of its chain of overlapping windows (a stretch of speech)."""
    out = np.zeros(len(windows), dtype=np.int64)
    for g, (_, members) in enumerate(group_windows(windows)):
        out[members] = g
    return out

