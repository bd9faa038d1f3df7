"""How high a voice speaks: the median pitch of stretches of speech, a cue beside the voice
prints for two voices the prints cannot tell apart.

CAM++ prints are built to recognise a speaker whatever their pitch, so two voices alike in
timbre but a few per cent apart in pitch (on our dev clips, one synthetic voice at two
pitches: prints 1.8 apart where two different voices lie 16 and more) look like one voice.
Their pitch still differs sentence by sentence. Pure numpy: an autocorrelation pitch per
40 ms frame (every 10 ms), only over the stretches asked for, so it costs nothing on long
recordings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAMPLE_RATE = 16000
FRAME_S = 0.04
HOP_S = 0.01
LOW_HZ, HIGH_HZ = 60.0, 400.0
VOICED_PEAK = 0.45  # normalised autocorrelation peak of a voiced frame
MIN_FRAMES = 8  # voiced frames a stretch needs for a pitch
# How much of a stretch counts, from its start. The whole: on dev, the median of the first
# 60 % (to leave out a question's final rise) set one synthetic voice's questions 6.1
# apart from its answers (their openings are stressed); the whole sentence's median,
# -1.1, and a final rise is under half of a sentence's voiced frames.
HEAD = 1.0


def frame_pitch(audio: np.ndarray) -> np.ndarray:
    """log pitch (Hz) per 10 ms frame of ``audio`` (16 kHz mono), NaN where unvoiced."""
    n, hop = int(FRAME_S * SAMPLE_RATE), int(HOP_S * SAMPLE_RATE)
    count = (len(audio) - n) // hop
    if count <= 0:
        return np.full(0, np.nan)
    idx = np.arange(n)[None, :] + hop * np.arange(count)[:, None]
    frames = audio[idx].astype(np.float64) * np.hanning(n)
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames, 2 * n)) ** 2)[:, :n]
    ac /= np.maximum(ac[:, :1], 1e-12)
    lo, hi = int(SAMPLE_RATE / HIGH_HZ), int(SAMPLE_RATE / LOW_HZ)
    lag = np.argmax(ac[:, lo:hi], axis=1)
    peak = ac[np.arange(count), lo + lag]
    energy = np.sqrt(np.mean(frames ** 2, axis=1))
    voiced = (peak > VOICED_PEAK) & (energy > 0.1 * np.percentile(energy, 95))
    return np.where(voiced, np.log(SAMPLE_RATE / (lo + lag)), np.nan)


def stretch_pitch(audio: np.ndarray, spans: Sequence[tuple[float, float]]) -> np.ndarray:
    """Per span (seconds), the median log pitch of its first ``HEAD`` part (all of it);
    NaN where it has fewer than ``MIN_FRAMES`` voiced frames. Each frame's pitch is first
    brought within half an octave of the median of all spans' frames (``_fold``)."""
    out = np.full(len(spans), np.nan)
    per_span: list[np.ndarray] = []
    for a, b in spans:
        b = a + (b - a) * HEAD
        f0 = frame_pitch(audio[max(0, int(a * SAMPLE_RATE)): int(b * SAMPLE_RATE)])
        per_span.append(f0[~np.isnan(f0)])
    voiced = [f0 for f0 in per_span if len(f0)]
    if not voiced:
        return out
    centre = float(np.median(np.concatenate(voiced)))
    for i, f0 in enumerate(per_span):
        if len(f0) >= MIN_FRAMES:
            out[i] = float(np.median(_fold(f0, centre)))
    return out


def _fold(log_f0: np.ndarray, centre: float) -> np.ndarray:
    """``log_f0`` moved by whole octaves to within half an octave of ``centre``.

    Why: the autocorrelation picks a harmonic for a low voice now and then (on a dev clip,
    a voice at 75-80 Hz read 150 and 310 Hz for whole sentences), and one such sentence
    outweighs the few per cent that set two near voices apart. Near voices lie well within
    half an octave of each other; voices an octave apart (a man and a woman) are told apart
    by their prints, not by this."""
    octave = np.log(2.0)
    return centre + (log_f0 - centre + octave / 2) % octave - octave / 2
