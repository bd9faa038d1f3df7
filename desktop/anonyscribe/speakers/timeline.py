"""A known count of voices chosen along the timeline (a Viterbi pass over the windows), and
the checks that a split of two voices follows the voices, not what is said."""

from __future__ import annotations

import numpy as np

from .geometry import centroids, separation, split_contrast
from .settings import DiarizeSettings
from .spans import TimeSpan, stretch_of


def viterbi_voices(s: DiarizeSettings, x: np.ndarray, windows: list[TimeSpan],
                   start: np.ndarray, k: int, real: np.ndarray | None = None
                   ) -> tuple[np.ndarray, bool]:
    """Exactly ``k`` voices chosen along the timeline, not window by window, and whether
    they are alike (no credible split: kept as ``mostly_one``).

    Why: two voices nearly alike (one synthetic voice in two accents) give prints whose
    largest differences are *what is said*, not who says it: clustering windows one by one
    split such an interview by sentence (both speakers' renderings of one sentence fell in
    the same cluster, 5 of 5 on a dev pair), scoring worse than one speaker. A voice does
    not change between overlapping windows of one stretch of speech; a content split
    does, all the time. So each candidate split (spectral clustering's, and splits along
    the main directions of the prints) is refined by alternating a Viterbi pass (a voice
    change between overlapping windows costs ``hmm_switch_in``, across a pause or a
    change point ``hmm_switch_gap``) with the voices' mean prints, and the split with the
    best total score wins: it must explain the prints *and* keep turns whole."""
    n = len(x)
    if n <= k:
        return start, False
    cost = change_costs(s, windows)
    best, best_score = start, -np.inf
    for labels in candidate_splits(x, start, k, s.hmm_starts):
        labels = refine(x, labels, cost, k, s.hmm_kappa)
        means = centroids(x, labels, k)
        score = path_score(s.hmm_kappa * (x @ means.T), cost, labels)
        if len(np.unique(labels)) == k and score > best_score:
            best, best_score = labels, score
    made = np.ones(n, dtype=bool) if real is None else real
    if k == 2 and not credible(s, x, windows, best, made):
        directions = voice_directions(x, windows, s.contrast_dims, s.contrast_gap, made)
        second = voice_contrast(s, x, directions, cost, made)
        if second is not None:  # its own checks (``voice_contrast``)
            return second, False
        return mostly_one(x, best), True
    return best, False


def change_costs(s: DiarizeSettings, windows: list[TimeSpan]) -> np.ndarray:
    """What a change of voice costs between each window and the next: ``hmm_switch_in``
    between overlapping windows (one stretch of speech), ``hmm_switch_gap`` across a pause
    or a change point."""
    joined = np.array([windows[i + 1][0] < windows[i][1] - 1e-6
                       for i in range(len(windows) - 1)], dtype=bool)
    return np.where(joined, s.hmm_switch_in, s.hmm_switch_gap)


def credible(s: DiarizeSettings, x: np.ndarray, windows: list[TimeSpan],
             labels: np.ndarray, made: np.ndarray) -> bool:
    """Is a split of two told voices believable: far enough apart (``separation``), and
    far more apart than one voice's prints move within a stretch (``split_contrast``)?
    When not, the voices are kept as alike (``mostly_one``): a split by what is said
    scores worse than one speaker, and the words step (``asking.py``) may still split an
    interview by who asks."""
    return (separation(x[made], labels[made]) >= s.min_separation
            and split_contrast(x, windows, labels, made) >= s.min_split_contrast)


def voice_contrast(s: DiarizeSettings, x: np.ndarray, directions: list[np.ndarray],
                   cost: np.ndarray, made: np.ndarray) -> np.ndarray | None:
    """A second opinion on two voices whose best split is not credible: a split along
    the directions in which prints change *between* stretches of speech far more than
    *within* one, or None.

    Why: for two near-identical voices the prints' largest differences are what is said
    (``viterbi_voices``), so the main directions of the prints are content. But within
    one stretch of speech (windows chained without a pause) the voice stays and only the
    words change: the scatter of prints two windows apart in one stretch measures
    content alone, and the directions where the prints' overall scatter is largest
    *relative to it* (Fisher's discriminant, with stretches standing in for the unknown
    labels) are where voices differ. On dev near male pairs whose best split followed
    content (Fisher ratio 2.6), the most voice-like direction found the voices (98 % of
    windows). A split of one voice can look voice-like too (a stretch is also one
    sentence), so it is believed only if it is as far apart as any credible split
    (``min_separation``) *and* as far apart along its own direction (``min_contrast``):
    on dev, one voice in both roles reached at most 2.7 there, two voices 3.1-3.9."""
    best, best_sep = None, s.min_separation
    for proj in directions[: s.contrast_tries]:
        labels = refine(x, two_means_1d(proj), cost, 2, s.hmm_kappa)
        if (len(np.unique(labels)) < 2
                or fisher_1d(proj[made], labels[made]) < s.min_contrast):
            continue
        sep = separation(x[made], labels[made])
        if sep >= best_sep:
            best, best_sep = labels, sep
    return best


def candidate_splits(x: np.ndarray, start: np.ndarray, k: int, directions: int
                     ) -> list[np.ndarray]:
    """``start``, and for two voices a split by the sign along each of the prints' first
    ``directions`` principal directions (a near pair's voice is seldom the first)."""
    out = [start]
    if k != 2 or len(x) < 4:
        return out
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    for v in vt[:directions]:
        side = (centred @ v > 0).astype(np.int64)
        if 0 < side.sum() < len(side):
            out.append(side)
    return out


def voice_directions(x: np.ndarray, windows: list[TimeSpan], dims: int, gap: int,
                     made: np.ndarray | None = None) -> list[np.ndarray]:
    """The prints projected on the directions along which they vary most between stretches
    of speech relative to within one (generalised eigenvectors of the total scatter over
    the scatter of prints ``gap`` windows apart in one stretch), most voice-like first;
    none when there are too few such pairs. Works in the prints' first ``dims`` main
    directions, so that ~100 windows can estimate the scatter. Only the prints in ``made``
    (the model's own, not means of neighbours) estimate; all are projected."""
    n = len(x)
    made = np.ones(n, dtype=bool) if made is None else made
    stretch = stretch_of(windows)
    i = np.arange(max(0, n - gap))
    i = i[(stretch[i] == stretch[i + gap]) & made[i] & made[i + gap]]
    dims = min(dims, int(made.sum()) - 1, x.shape[1])
    if len(i) < 2 * dims or dims < 1:
        return []
    centred = x - x[made].mean(axis=0)
    _, _, vt = np.linalg.svd(centred[made], full_matrices=False)
    z = centred @ vt[:dims].T
    step = z[i] - z[i + gap]
    within = step.T @ step / (2 * len(step))
    within += 1e-3 * np.trace(within) / dims * np.eye(dims)  # keep it invertible
    total = z[made].T @ z[made] / int(made.sum())
    chol = np.linalg.cholesky(within)
    inv = np.linalg.inv(chol)
    _, vecs = np.linalg.eigh(inv @ total @ inv.T)
    proj = z @ (inv.T @ vecs[:, ::-1])
    return [proj[:, j] for j in range(dims)]


def two_means_1d(v: np.ndarray, rounds: int = 20) -> np.ndarray:
    """Two groups of values: split at the median, then each value to the nearer mean."""
    labels = (v > np.median(v)).astype(np.int64)
    for _ in range(rounds):
        if labels.min() == labels.max():
            break
        m0, m1 = v[labels == 0].mean(), v[labels == 1].mean()
        new = (np.abs(v - m1) < np.abs(v - m0)).astype(np.int64)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def fisher_1d(v: np.ndarray, labels: np.ndarray) -> float:
    a, b = v[labels == 0], v[labels == 1]
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return float((a.mean() - b.mean()) ** 2 / max(a.var() + b.var(), 1e-12))


def refine(x: np.ndarray, labels: np.ndarray, cost: np.ndarray, k: int, kappa: float
           ) -> np.ndarray:
    """Alternate a Viterbi pass over the windows with the voices' mean prints until stable
    (or a voice would vanish)."""
    for _ in range(10):
        new, _ = viterbi(kappa * (x @ centroids(x, labels, k).T), cost)
        if len(np.unique(new)) < k or np.array_equal(new, labels):
            break
        labels = new
    return labels



def refine_along(z: np.ndarray, labels: np.ndarray, cost: np.ndarray, rounds: int = 20
                 ) -> np.ndarray:
    """``refine`` in coordinates ``z`` scaled to unit spread (``voice_directions``): each
    window scored by its squared distance to each voice's mean there (a Gaussian of unit
    variance), alternated with a Viterbi pass until stable (or a voice would vanish).

    Why not on the prints: for two near voices their main directions are what is said, so
    a start split near the voices drifts to a split by content there (on a dev near male
    pair, from 96 % of windows right to 75 %); along the voice-like directions it kept
    93 %."""
    for _ in range(rounds):
        means = np.stack([z[labels == j].mean(axis=0) for j in range(2)])
        scores = -0.5 * ((z[:, None, :] - means[None]) ** 2).sum(axis=2)
        new, _ = viterbi(scores, cost)
        if len(np.unique(new)) < 2 or np.array_equal(new, labels):
            break
        labels = new
    return labels


def mostly_one(x: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Two voices that cannot be told apart: all speech to the voice heard most, except the
    one window most unlike it. A known count keeps two voices (the researcher splits turns
    in review), and the result scores about what one speaker would, instead of a split by
    what is said (worse than one speaker: half of every voice's time confused)."""
    major = int(np.argmax(np.bincount(labels, minlength=2)))
    c = centroids(x, labels, 2)
    out = np.full(len(labels), major, dtype=np.int64)
    out[int(np.argmax(x @ (c[1 - major] - c[major])))] = 1 - major
    return out


def viterbi(emission: np.ndarray, cost: np.ndarray) -> tuple[np.ndarray, float]:
    """Best label path for per-window scores (n x k), a change between windows i and i+1
    costing ``cost[i]``; the path and its score."""
    n, k = emission.shape
    if k == 2:
        return _viterbi_two(emission, cost)
    back = np.zeros((n, k), dtype=np.int64)
    acc = emission[0].copy()
    for i in range(1, n):
        stay = acc
        move = acc.max() - cost[i - 1]
        j = int(acc.argmax())
        back[i] = np.where(stay >= move, np.arange(k), j)
        acc = np.maximum(stay, move) + emission[i]
    path = np.empty(n, dtype=np.int64)
    path[-1] = int(acc.argmax())
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path, float(acc.max())


def _viterbi_two(emission: np.ndarray, cost: np.ndarray) -> tuple[np.ndarray, float]:
    """``viterbi`` for two voices on plain floats, step for step the same sums and ties
    (IEEE doubles either way): numpy's per-call overhead made the general loop about 5x
    slower on two columns, and the words' restart of the search (``reseed.py``) runs it
    some 300 times."""
    e0, e1 = emission[:, 0].tolist(), emission[:, 1].tolist()
    c = cost.tolist()
    n = len(e0)
    back0, back1 = [0] * n, [1] * n
    a0, a1 = e0[0], e1[0]
    for i in range(1, n):
        j = 0 if a0 >= a1 else 1
        move = (a0 if j == 0 else a1) - c[i - 1]
        if a0 < move:
            back0[i], a0 = j, move
        if a1 < move:
            back1[i], a1 = j, move
        a0 += e0[i]
        a1 += e1[i]
    path = np.empty(n, dtype=np.int64)
    last = 0 if a0 >= a1 else 1
    path[-1] = last
    for i in range(n - 1, 0, -1):
        last = back0[i] if last == 0 else back1[i]
        path[i - 1] = last
    return path, float(max(a0, a1))


def path_score(emission: np.ndarray, cost: np.ndarray, labels: np.ndarray) -> float:
    changes = labels[1:] != labels[:-1]
    return float(emission[np.arange(len(labels)), labels].sum() - cost[changes].sum())

