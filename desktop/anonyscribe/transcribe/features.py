"""Whisper's log-mel features computed a minute at a time: same numbers, a fraction of the memory.

faster-whisper computes the features of the whole recording in one go, and its intermediate
arrays (framed samples, a complex spectrum, its magnitudes) take about 13 times the size of the
audio: 5.6 GB on top of the decoded audio for a 2-hour interview (``bench/long_recording.py
--prelude``), enough to make a laptop swap. Every feature frame depends only on its own 400
samples, so computing the frames block by block gives the same array (the same operations on
the same numbers: bit for bit with NumPy's OpenBLAS) while only one block's intermediates
exist at a time.
Short inputs (a 30 s window, a clip) go through faster-whisper's own code unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor

BLOCK_FRAMES = 6000  # one minute of 10 ms frames per block


class BlockedFeatureExtractor(FeatureExtractor):
    """A drop-in ``FeatureExtractor`` whose memory does not grow with the recording's length
    beyond the padded copy of the audio and the features themselves."""

    def __call__(self, waveform: np.ndarray, padding: int = 160,
                 chunk_length: int | None = None) -> np.ndarray:
        if chunk_length is not None:
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        if len(waveform) + padding <= 2 * BLOCK_FRAMES * self.hop_length:
            return super().__call__(waveform, padding)
        # (faster-whisper's "dtype is not np.float32" is always true: a needless whole copy)
        waveform = np.asarray(waveform, dtype=np.float32)
        padded = _padded(waveform, padding, self.n_fft // 2)
        window = np.hanning(self.n_fft + 1)[:-1].astype("float32")
        frames = 1 + (len(padded) - self.n_fft) // self.hop_length
        out = np.empty((self.mel_filters.shape[0], frames - 1), dtype=np.float32)
        step = padded.strides[0] * self.hop_length
        for a, b in _blocks(frames - 1):
            framed = np.lib.stride_tricks.as_strided(
                padded[a * self.hop_length:], (b - a, self.n_fft), (step, padded.strides[0]))
            spectrum = np.fft.rfft(framed * window, n=self.n_fft, axis=-1).astype("complex64")
            power = np.abs(spectrum.T) ** 2
            out[:, a:b] = np.log10(np.clip(self.mel_filters @ power, a_min=1e-10, a_max=None))
        np.maximum(out, out.max() - 8.0, out=out)
        out += 4.0
        out /= 4.0
        return out


def _blocks(n: int) -> list[tuple[int, int]]:
    """Frame ranges of about ``BLOCK_FRAMES``; the last one is never small, because BLAS
    multiplies a one- or two-column matrix by another method, which rounds differently."""
    edges = list(range(0, n, BLOCK_FRAMES)) + [n]
    if len(edges) > 2 and edges[-1] - edges[-2] < BLOCK_FRAMES // 2:
        del edges[-2]
    return list(zip(edges, edges[1:], strict=False))


def _padded(waveform: np.ndarray, padding: int, half: int) -> np.ndarray:
    """``np.pad(np.pad(w, (0, padding)), half, mode="reflect")`` in one float32 array."""
    n = len(waveform) + padding
    out = np.empty(n + 2 * half, dtype=np.float32)
    out[half:half + len(waveform)] = waveform
    out[half + len(waveform):half + n] = 0.0
    core = out[half:half + n]
    out[:half] = core[1:half + 1][::-1]
    out[half + n:] = core[-half - 1:-1][::-1]
    return out


def install(whisper: Any) -> None:
    """Give a ``faster_whisper.WhisperModel`` the blocked extractor (same settings)."""
    old = whisper.feature_extractor
    if isinstance(old, BlockedFeatureExtractor):
        return
    new = BlockedFeatureExtractor(feature_size=old.mel_filters.shape[0],
                                  sampling_rate=old.sampling_rate, hop_length=old.hop_length,
                                  chunk_length=old.chunk_length, n_fft=old.n_fft)
    whisper.feature_extractor = new
