"""Whisper's log-mel features of a long recording in a fraction of faster-whisper's memory, and
the very same numbers.

faster-whisper computes the features of the whole recording in one go, and its intermediate
arrays (framed samples, a complex spectrum, its magnitudes) take about 13 times the size of the
audio: 5.6 GB on top of the decoded audio for a 2-hour interview (``bench/long_recording.py
--prelude``), enough to make a laptop swap. Every spectrum frame depends only on its own 400
samples, so here the power spectrum is computed a minute of frames at a time, straight from
the audio (no padded copy of it), into one array, and the mel filter bank is applied to that
whole array in one product, as faster-whisper does. The product is not done block by block:
OpenBLAS rounds a matrix product of a minute's columns differently from one of the whole
recording (one float32 step in 0.06 % of the values on the bench's 10-minute mix), and that
was enough to tip Whisper's beam search on near ties: raw faster-whisper and the app wrote
1,135 and 1,199 words from the same audio (session 15). Memory: the power spectrum (1.26
bytes per byte of audio) and the features (0.5) beside the audio, against about 16.
Short inputs (a 30 s window, a clip) go through faster-whisper's own code unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor

BLOCK_FRAMES = 6000  # one minute of 10 ms frames per block


class BlockedFeatureExtractor(FeatureExtractor):
    """A drop-in ``FeatureExtractor`` with faster-whisper's numbers, bit for bit, whose memory
    grows with the recording by its power spectrum and the features themselves only."""

    def __call__(self, waveform: np.ndarray, padding: int = 160,
                 chunk_length: int | None = None) -> np.ndarray:
        if chunk_length is not None:
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        if len(waveform) + padding <= 2 * BLOCK_FRAMES * self.hop_length:
            return super().__call__(waveform, padding)
        # (faster-whisper's "dtype is not np.float32" is always true: a needless whole copy)
        waveform = np.asarray(waveform, dtype=np.float32)
        window = np.hanning(self.n_fft + 1)[:-1].astype("float32")
        half = self.n_fft // 2
        frames = 1 + (len(waveform) + padding + 2 * half - self.n_fft) // self.hop_length
        # the power spectrum as faster-whisper's ``np.abs(stft[..., :-1]) ** 2`` (its last
        # frame dropped), frame by frame in memory like it (a transposed array), so that the
        # product below is the same BLAS call on the same numbers
        power = np.empty((frames - 1, self.n_fft // 2 + 1), dtype=np.float32)
        for a, b in _blocks(frames - 1):
            lo = a * self.hop_length
            piece = _padded_slice(waveform, padding, half, lo,
                                  lo + (b - a - 1) * self.hop_length + self.n_fft)
            framed = np.lib.stride_tricks.as_strided(
                piece, (b - a, self.n_fft), (piece.strides[0] * self.hop_length,
                                             piece.strides[0]))
            spectrum = np.fft.rfft(framed * window, n=self.n_fft, axis=-1).astype("complex64")
            power[a:b] = np.abs(spectrum) ** 2
        out = self.mel_filters @ power.T
        del power
        np.clip(out, 1e-10, None, out=out)
        np.log10(out, out=out)
        np.maximum(out, out.max() - 8.0, out=out)
        out += 4.0
        out /= 4.0
        return out


def _blocks(n: int) -> list[tuple[int, int]]:
    """Frame ranges of about ``BLOCK_FRAMES`` (the last one never small: a block's spectrum
    costs a little per call)."""
    edges = list(range(0, n, BLOCK_FRAMES)) + [n]
    if len(edges) > 2 and edges[-1] - edges[-2] < BLOCK_FRAMES // 2:
        del edges[-2]
    return list(zip(edges, edges[1:], strict=False))


def _padded_slice(waveform: np.ndarray, padding: int, half: int, lo: int, hi: int
                  ) -> np.ndarray:
    """``np.pad(np.pad(w, (0, padding)), half, mode="reflect")[lo:hi]`` without the padded
    copy of the whole recording: a view of the audio inside it, a small copy at its ends."""
    n = len(waveform) + padding
    if half <= lo and hi <= half + len(waveform):
        return waveform[lo - half: hi - half]
    at = np.arange(lo, hi) - half  # position in the audio followed by ``padding`` zeros
    at = np.where(at < 0, -at, at)  # reflected at the start (the first sample not repeated)
    at = np.where(at >= n, 2 * (n - 1) - at, at)  # and at the end
    out = np.zeros(hi - lo, dtype=np.float32)
    inside = at < len(waveform)
    out[inside] = waveform[at[inside]]
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
