"""Voice prints grouped into speakers: spectral clustering with the count found (automatic) or
told (then refined along the timeline, ``timeline.py``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import centroids, relabel, unit
from .settings import DiarizeSettings
from .spans import TimeSpan
from .timeline import viterbi_voices


@dataclass(frozen=True)
class Spectral:
    """Spectral clustering (``spectral.SpectralClustering``) and senko's settings for it."""

    method: type
    args: dict


def cluster(s: DiarizeSettings, spectral: Spectral, emb: np.ndarray,
            num_speakers: int | None, windows: list[TimeSpan] | None = None,
            real: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """A speaker index per window, and whether a known count's voices were alike
    (``timeline.viterbi_voices``): spectral clustering with the count found by eigengap
    (clusters whose mean prints are more alike than ``merge_cos`` merged), or exactly the
    known count (``fixed_count``).

    Why the automatic count merges two similar voices: CAM++ prints of two voices of one
    gender and pitch are as alike (cosine of their means 0.88-0.90 on our dev clips) as
    one real voice's prints from different moments of a short clip (0.80-0.82), so no
    merge threshold keeps the first apart without splitting the second. Hence
    interviews first: the study says how many voices there are.

    ``real``: which prints the model made (``sparse.SparsePrints.prints``); the others,
    means of two neighbours, never shape the voices (means of one voice's prints vary less
    than its prints do, and would make voices look more apart than they are): they join
    the nearest voice and follow the timeline."""
    n = len(emb)
    if n == 0:
        return np.zeros(0, dtype=np.int64), False
    if num_speakers == 1 or n < 2:
        return np.zeros(n, dtype=np.int64), False
    made = np.arange(n) if real is None else np.flatnonzero(real)
    most = s.max_cluster_points
    pick = (made if len(made) <= most else
            made[np.linspace(0, len(made) - 1, most).round().astype(np.int64)])
    if num_speakers:
        sub = fixed_count(s, spectral, emb[pick], min(int(num_speakers), len(pick)))
    else:
        args = dict(spectral.args)
        m = len(pick)
        args["mer_cos"] = s.merge_cos
        args["min_pnum"] = max(6, min(m // s.neighbour_div, 40))
        args["min_cluster_size"] = max(2, min(4, m // s.minor_div))
        sub = relabel(np.asarray(spectral.method(**args)(emb[pick].copy())))
    if len(pick) == n:
        labels = sub
    else:
        x = unit(emb)
        means = unit(np.stack([x[pick][sub == k].mean(axis=0)
                               for k in range(sub.max() + 1)]))
        labels = np.argmax(x @ means.T, axis=1)
        labels[pick] = sub
    if num_speakers and windows is not None and len(windows) == n:
        return viterbi_voices(s, unit(emb), windows, labels, int(num_speakers), real)
    return labels, False


def fixed_count(s: DiarizeSettings, spectral: Spectral, emb: np.ndarray, k: int
                ) -> np.ndarray:
    """Exactly ``k`` voices: spectral clustering told the count, then refined by spherical
    k-means (each window to the voice whose mean print it is closest to, until stable).
    Spectral clustering alone cuts a graph of nearest neighbours, and with two voices
    alike a window at a turn change or in noise sits on the wrong side of the cut; the
    refinement puts it with the voice it is most like. Nothing is merged afterwards, and
    no voice may end up empty: the count is what the researcher told us."""
    x = unit(emb)
    if len(x) <= k:
        return np.arange(len(x), dtype=np.int64)
    args = dict(spectral.args)
    args.update(oracle_num=k, mer_cos=None, min_cluster_size=1, cluster_line=0,
                min_pnum=max(6, min(len(x) // s.neighbour_div, 40)))
    start = relabel(np.asarray(spectral.method(**args)(emb.copy())))
    return relabel(spherical_kmeans(x, start, k))


def spherical_kmeans(x: np.ndarray, labels: np.ndarray, k: int, rounds: int = 20
                     ) -> np.ndarray:
    """Each window to the voice whose mean direction it is closest to, until stable; a voice
    left empty takes the window least like its own voice (so there are always ``k``)."""
    labels = labels.copy()
    for _ in range(rounds):
        for j in range(k):
            if not np.any(labels == j):
                own = np.einsum("ij,ij->i", x, centroids(x, labels, k)[labels])
                labels[int(np.argmin(own))] = j
        new = np.argmax(x @ centroids(x, labels, k).T, axis=1)
        if np.array_equal(new, labels) or len(np.unique(new)) < k:
            break
        labels = new
    return labels

