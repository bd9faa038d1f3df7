"""Speech the recogniser heard but wrote no words for: found, marked, counted.

Whisper sometimes drops whole stretches of real speech (quiet voices, cross-talk, a window
it decides is silence), and raw faster-whisper with the same settings drops the same
stretches. A dropped stretch is invisible in a transcript, so it is found here by comparing
the time a voice is heard (the speaker method's voice times, else voice detection on the
audio) with the time the words cover. Each long voiced stretch without words becomes a turn
``[no transcript 00:54–01:24]`` in the transcript itself, so review, preview and every export
show it from the one source, and the researcher can listen to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..core.intervals import joined
from ..core.model import Segment, Transcript
from ..media import SAMPLE_RATE, decode

Interval = tuple[float, float]

MIN_UNHEARD_S = 8.0  # voiced time without a word before a stretch is marked
WORD_PAD_S = 1.0  # a word "covers" this much around it (VAD pads speech, words are tight)
JOIN_S = 2.0  # uncovered voiced pieces this close together are one stretch


def clock(seconds: float) -> str:
    """``54`` -> "00:54"; an hour or more -> "1:02:03"."""
    s = int(round(seconds))
    h, m, sec = s // 3600, s // 60 % 60, s % 60
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def marker_text(start: float, end: float) -> str:
    return f"[no transcript {clock(start)}–{clock(end)}]"


def unheard(voiced: Sequence[Interval], heard: Sequence[Interval],
            min_s: float = MIN_UNHEARD_S, pad: float = WORD_PAD_S,
            join: float = JOIN_S) -> list[Interval]:
    """Stretches of ``voiced`` time that no ``heard`` interval (padded by ``pad``) covers,
    joined across gaps under ``join`` seconds, kept when they hold ``min_s`` of voice."""
    covered = joined([(a - pad, b + pad) for a, b in heard])
    pieces: list[Interval] = []
    for v_start, v_end in joined(voiced):
        at = v_start
        for c_start, c_end in covered:
            if c_end <= at or c_start >= v_end:
                continue
            if c_start > at:
                pieces.append((at, c_start))
            at = max(at, c_end)
        if at < v_end:
            pieces.append((at, v_end))
    stretches: list[tuple[float, float, float]] = []  # start, end, voiced seconds
    for start, end in pieces:
        if stretches and start - stretches[-1][1] < join:
            s, _e, voice = stretches[-1]
            stretches[-1] = (s, end, voice + end - start)
        else:
            stretches.append((start, end, end - start))
    return [(s, e) for s, e, voice in stretches if voice >= min_s]


def voiced_times(source: Path | np.ndarray) -> list[Interval]:
    """When a voice is heard in the recording (a file, or its 16 kHz samples already decoded:
    no second decode), by the voice detector Whisper itself uses."""
    # Deferred: faster-whisper loads only when a recording is checked, not when this is imported.
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    audio = source if isinstance(source, np.ndarray) else decode(source)
    stamps = get_speech_timestamps(audio, VadOptions(), sampling_rate=SAMPLE_RATE)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def heard_times(transcript: Transcript) -> list[Interval]:
    """The time the recognised words cover (a segment's span when it has no word times)."""
    out: list[Interval] = []
    for seg in transcript.segments:
        if seg.unheard:
            continue
        out += [(w.start, w.end) for w in seg.words] if seg.words else [(seg.start, seg.end)]
    return out


def _speaker_at(transcript: Transcript, start: float, end: float) -> str:
    """Who is heard most in [start, end] by the voice times, else who spoke just before."""
    share: dict[str, float] = {}
    for t in transcript.speaker_times:
        overlap = min(end, t.end) - max(start, t.start)
        if overlap > 0:
            share[t.speaker] = share.get(t.speaker, 0.0) + overlap
    if share:
        return max(share, key=share.__getitem__)
    before = [s for s in transcript.segments if s.start <= start]
    if before:
        return before[-1].speaker
    return transcript.segments[0].speaker if transcript.segments else "S1"


def mark_unheard(transcript: Transcript, voiced: Sequence[Interval]) -> int:
    """Add a ``[no transcript …]`` turn for each long voiced stretch without words; returns
    how many were added. Segment ids are renumbered in time order (no finding exists yet)."""
    gaps = unheard(voiced, heard_times(transcript))
    for start, end in gaps:
        transcript.segments.append(Segment(-1, start, end, marker_text(start, end),
                                           _speaker_at(transcript, start, end), unheard=True))
    if gaps:
        transcript.segments.sort(key=lambda s: (s.start, s.end))
        for i, seg in enumerate(transcript.segments):
            seg.id = i
        transcript.ensure_speakers()
    return len(gaps)


def count_unheard(transcript: Transcript) -> int:
    return sum(1 for seg in transcript.segments if seg.unheard)
