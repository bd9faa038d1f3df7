"""Sparse then dense voice prints for an interview: every few windows first, the rest only
where the voice may change, and the skipped ones drawn between their neighbours."""

from __future__ import annotations

import numpy as np

from ..core.cancel import CancelToken
from ..core.progress import FractionProgress
from .geometry import centroids, separation, unit
from .settings import DiarizeSettings
from .spans import TimeSpan, group_windows, touching
from .voiceprints import Printer


class SparsePrints:
    """The print stage's sparse path for one diarizer. ``interpolated``: the windows whose
    print the model did not make (last run); model inputs go into ``calls`` ("prints": (run,
    dense count))."""

    def __init__(self, settings: DiarizeSettings, printer: Printer,
                 calls: dict[str, tuple[int, int]]) -> None:
        self.settings, self.printer, self.calls = settings, printer, calls
        self.interpolated: list[TimeSpan] = []

    def prints(self, audio: np.ndarray, windows: list[TimeSpan], doubts: list[TimeSpan],
               progress: FractionProgress, cancel: CancelToken | None,
               num_speakers: int | None = 2) -> tuple[np.ndarray, np.ndarray]:
        """One 192-d voice print per window, sparse then dense (``sparse_prints``), and
        which of them the model made.

        Windows overlap by half, so every other window of a stretch of speech (and its last)
        covers it all. Every ``sparse_stride``-th window (and the last) is printed first; a
        window in between is printed too only where the two printed around it disagree
        (cosine under ``agree_cos``) or it touches a suspected second voice or voice change
        (``doubts``). Elsewhere one voice talks on, and the window's print is drawn between
        its neighbours' (``between``): a 2-person interview is mostly such stretches, and
        the print model is two thirds of the speaker stage. The timeline
        still has one print per window (the change costs between windows are unchanged),
        but only the model's own prints shape the voices (``cluster``); with nothing
        skipped the prints are the dense ones. Only for two voices told (an interview): any
        other count is never settled on sparse prints (``sure``), so it gets the dense
        ones at once."""
        s = self.settings
        coarse, inner = coarse_windows(windows, s.sparse_stride)
        made = np.ones(len(windows), dtype=bool)
        if not s.sparse_prints or not inner or num_speakers != 2:
            self.calls["prints"] = (len(windows), len(windows))
            return self.printer.embeddings(audio, windows, progress, cancel), made
        out = np.zeros((len(windows), 192), dtype=np.float32)
        share = len(coarse) / len(windows)
        out[coarse] = self.printer.embeddings(audio, windows, lambda f: progress(share * f),
                                              cancel, coarse)
        mid, left, right = (np.array(c, dtype=np.int64) for c in zip(*inner, strict=True))
        x = unit(out)
        agree = np.einsum("ij,ij->i", x[left], x[right]) >= s.agree_cos
        skip = agree & ~touching(windows, doubts)[mid]
        need = mid[~skip].tolist()
        out[need] = self.printer.embeddings(
            audio, windows, lambda f: progress(share + (1 - share) * f), cancel, need)
        out[mid[skip]] = between(out, mid[skip], left[skip], right[skip])
        self.interpolated = [windows[i] for i in mid[skip].tolist()]
        made[mid[skip]] = False
        self.calls["prints"] = (len(coarse) + len(need), len(windows))
        return out, made

    def near_changes(self, windows: list[TimeSpan], emb: np.ndarray, labels: np.ndarray,
                     made: np.ndarray) -> list[int]:
        """Skipped windows whose two neighbours were given different voices, or are nearest
        to different voices' mean prints: a voice may change there (a short question
        handing over without a pause is otherwise outvoted by the means around it)."""
        x = unit(emb)
        k = int(labels.max()) + 1
        nearest = np.argmax(x @ centroids(x[made], labels[made], k).T, axis=1)
        _, inner = coarse_windows(windows, self.settings.sparse_stride)
        return [m for m, a, b in inner if not made[m]
                and (labels[a] != labels[b] or nearest[a] != nearest[b])]

    def fill_in(self, audio: np.ndarray, windows: list[TimeSpan], emb: np.ndarray,
                rest: list[int], progress: FractionProgress, cancel: CancelToken | None
                ) -> np.ndarray:
        """``emb`` with the skipped prints ``rest`` made by the model after all."""
        out = emb.copy()
        out[rest] = self.printer.embeddings(audio, windows, progress, cancel, rest)
        done, dense = self.calls["prints"]
        self.calls["prints"] = (done + len(rest), dense)
        made_now = {windows[i] for i in rest}
        self.interpolated = [w for w in self.interpolated if w not in made_now]
        return out


def sure(settings: DiarizeSettings, emb: np.ndarray, labels: np.ndarray, made: np.ndarray,
         num_speakers: int | None, alike: bool) -> tuple[bool, float]:
    """Are the voices found from the sparse prints beyond doubt? One voice told; or two
    told, kept apart (not ``alike``) and at least ``sure_separation`` apart on the
    model's own prints. Anything else (an unknown count, more voices, near voices that
    need the prints' fine differences within a stretch) is redone on dense prints. With
    the two voices' separation on the model's prints (nan where not measured)."""
    if num_speakers == 1:
        return True, float("nan")
    if num_speakers != 2 or len(np.unique(labels)) != 2:
        return False, float("nan")
    apart = separation(unit(emb)[made], labels[made])
    return not alike and apart >= settings.sure_separation, apart


def coarse_windows(windows: list[TimeSpan], stride: int = 2
                   ) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Per chain of overlapping windows, every ``stride``-th window and the last (with a
    stride of 2 they cover the chain), and each window in between as (window, left
    neighbour, right neighbour) among those."""
    coarse: list[int] = []
    inner: list[tuple[int, int, int]] = []
    for _, members in group_windows(windows):
        last = len(members) - 1
        for pos, wi in enumerate(members):
            if pos % stride == 0 or pos == last:
                coarse.append(wi)
            else:
                left = pos - pos % stride
                inner.append((wi, members[left], members[min(left + stride, last)]))
    return coarse, inner


def between(prints: np.ndarray, mid: np.ndarray, left: np.ndarray, right: np.ndarray
             ) -> np.ndarray:
    """Prints for windows ``mid`` drawn on the line between their neighbours' (by position:
    half way for a window right between, as with a stride of 2)."""
    far = (mid - left)[:, None].astype(np.float32)
    near = (right - mid)[:, None].astype(np.float32)
    return (prints[left] * near + prints[right] * far) / (near + far)

