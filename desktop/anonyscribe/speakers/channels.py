"""Stereo recordings with one voice per channel (call recorders, two lapel mics): turns from
which channel is louder, frame by frame. Exact and instant where it applies, no model needed.

A Teams or dictaphone stereo file usually has the same mix on both channels; ``separated``
tells the two apart so the automatic mode only trusts channels when they really differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.cancel import CancelToken
from ..media import decode_channels
from .turns import Turn

SAMPLE_RATE = 16000
FRAME_S = 0.05
# A channel "holds the floor" when it is this much louder than every other channel.
DOMINANCE_DB = 6.0
# Above its own noise floor by this much, a channel counts as speaking.
ACTIVE_ABOVE_FLOOR_DB = 12.0
ABSOLUTE_SILENCE_DB = -55.0
MIN_TURN_S = 0.3
_BLOCK_FRAMES = 1200  # 60 s of frames at a time, so a 2-hour file needs no squared copy


@dataclass(frozen=True)
class ChannelActivity:
    """Per-frame levels (dB, shape channels x frames) and which channel speaks in each frame
    (-1: nobody)."""

    level_db: np.ndarray
    owner: np.ndarray
    frame_s: float

    @property
    def channels(self) -> int:
        return int(self.level_db.shape[0])


def frame_levels(audio: np.ndarray, sample_rate: int = SAMPLE_RATE,
                 frame_s: float = FRAME_S,
                 cancel: CancelToken | None = None) -> np.ndarray:
    """RMS level in dB of each channel in frames of ``frame_s`` seconds."""
    audio = np.atleast_2d(audio)
    hop = max(1, int(round(frame_s * sample_rate)))
    n = audio.shape[1] // hop
    out = np.empty((audio.shape[0], n), dtype=np.float32)
    for b in range(0, n, _BLOCK_FRAMES):
        if cancel is not None:
            cancel.check()
        e = min(n, b + _BLOCK_FRAMES)
        block = audio[:, b * hop: e * hop].reshape(audio.shape[0], e - b, hop)
        power = np.einsum("cfs,cfs->cf", block, block, dtype=np.float64) / hop
        out[:, b:e] = 10.0 * np.log10(power + 1e-12)
    return out


def activity(level_db: np.ndarray, frame_s: float = FRAME_S,
             dominance_db: float = DOMINANCE_DB) -> ChannelActivity:
    """Which channel speaks in each frame: the loudest of the active ones."""
    floors = np.percentile(level_db, 10, axis=1, keepdims=True)
    thresholds = np.maximum(floors + ACTIVE_ABOVE_FLOOR_DB, ABSOLUTE_SILENCE_DB)
    active = level_db > thresholds
    loudest = np.argmax(level_db, axis=0)
    owner = np.where(active.any(axis=0), loudest, -1)
    owner = np.where(active[loudest, np.arange(level_db.shape[1])], owner, -1)
    return ChannelActivity(level_db, owner.astype(np.int64), frame_s)


def separated(act: ChannelActivity, dominance_db: float = DOMINANCE_DB,
              min_dominant_share: float = 0.5, min_each_share: float = 0.05) -> bool:
    """True when the channels carry different voices: in most speech frames one channel is
    clearly louder, and at least two channels each hold the floor for a fair share."""
    if act.channels < 2:
        return False
    speech = act.owner >= 0
    if speech.sum() < max(10, int(1.0 / act.frame_s)):
        return False
    lv = act.level_db[:, speech]
    top2 = np.sort(lv, axis=0)[-2:]
    dominant = (top2[1] - top2[0]) >= dominance_db
    if dominant.mean() < min_dominant_share:
        return False
    owners = np.argmax(lv, axis=0)[dominant]
    shares = np.bincount(owners, minlength=act.channels) / max(1, dominant.sum())
    return int((shares >= min_each_share).sum()) >= 2


def _smooth(owner: np.ndarray, min_frames: int) -> np.ndarray:
    """Runs shorter than ``min_frames`` take the label of the longer neighbour (breaths,
    clicks and crosstalk blips are not turns)."""
    owner = owner.copy()
    for _ in range(3):
        change = np.flatnonzero(np.diff(owner)) + 1
        starts = np.concatenate([[0], change])
        ends = np.concatenate([change, [len(owner)]])
        lengths = ends - starts
        short = np.flatnonzero(lengths < min_frames)
        if len(short) == 0:
            break
        for k in short:
            left = owner[starts[k] - 1] if k > 0 else None
            right = owner[ends[k]] if ends[k] < len(owner) else None
            if left is None and right is None:
                continue
            if left is None or (right is not None and lengths[k + 1] > lengths[k - 1]):
                owner[starts[k]: ends[k]] = right
            else:
                owner[starts[k]: ends[k]] = left
    return owner


def turns_from_activity(act: ChannelActivity, min_turn: float = MIN_TURN_S) -> list[Turn]:
    """One turn per run of frames owned by one channel; speaker ids "C1", "C2", ... by channel."""
    owner = _smooth(act.owner, max(1, int(round(min_turn / act.frame_s))))
    turns: list[Turn] = []
    start = 0
    for i in range(1, len(owner) + 1):
        if i == len(owner) or owner[i] != owner[start]:
            if owner[start] >= 0:
                turns.append(Turn(start * act.frame_s, i * act.frame_s, f"C{owner[start] + 1}"))
            start = i
    return turns


def channel_turns(audio: np.ndarray, sample_rate: int = SAMPLE_RATE,
                  cancel: CancelToken | None = None) -> tuple[list[Turn], bool]:
    """Turns from per-channel energy of ``audio`` (channels x samples), and whether the
    channels really hold different voices."""
    act = activity(frame_levels(audio, sample_rate, cancel=cancel))
    return turns_from_activity(act), separated(act)


def channel_turns_from_file(path: Path, progress: Callable[[float], None] | None = None,
                            cancel: CancelToken | None = None) -> tuple[list[Turn], bool]:
    """Decode ``path`` with its channels kept apart and return ``channel_turns`` of it."""
    audio = decode_channels(path)
    if progress is not None:
        progress(0.7)
    result = channel_turns(audio, cancel=cancel)
    if progress is not None:
        progress(1.0)
    return result
