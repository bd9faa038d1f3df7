"""Why a 2-person interview falls to one voice: the true speakers' split against the thresholds
and against the splits the diarizer's search scores higher (dev parts only).

For each clip of a dev part, the diarizer told 2 voices; on its prints (the model's own), the
split by the reference turns (windows at least 70 % inside one speaker's turns) is refined
along the timeline as the diarizer refines its candidates, then printed beside the
thresholds a split must pass (``min_separation``, ``min_split_contrast``) and beside the best
path score among the diarizer's own candidates (``timeline.candidate_splits``). A true split
that passes the thresholds but scores below a candidate is lost to the search, not to the
thresholds. Held-out parts are refused.

    python bench/split_search.py dev6 dev7
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))
CACHE = HERE.parent / ".cache" / "conversations"

from anonyscribe.speakers.geometry import centroids, separation, split_contrast  # noqa: E402
from anonyscribe.speakers.settings import DiarizeSettings  # noqa: E402
from anonyscribe.speakers.timeline import candidate_splits, path_score, refine  # noqa: E402


def window_owners(windows: list[tuple[float, float]], turns: list, ids: list[str]) -> np.ndarray:
    """Per window, the index in ``ids`` of the speaker whose turns cover >= 70 % of it (-1)."""
    out = np.full(len(windows), -1, dtype=np.int64)
    for i, (a, b) in enumerate(windows):
        cover = np.zeros(len(ids))
        for t in turns:
            if min(b, t.end) > max(a, t.start):
                cover[ids.index(t.speaker)] += min(b, t.end) - max(a, t.start)
        if cover.max() >= 0.7 * (b - a):
            out[i] = int(np.argmax(cover))
    return out


def scored(x: np.ndarray, cost: np.ndarray, s: DiarizeSettings, labels: np.ndarray
           ) -> tuple[float, np.ndarray]:
    """A split refined along the timeline as the diarizer refines its candidates, and its
    path score (-inf where a voice vanished)."""
    labels = refine(x, labels, cost, 2, s.hmm_kappa)
    if len(np.unique(labels)) < 2:
        return -np.inf, labels
    return path_score(s.hmm_kappa * (x @ centroids(x, labels, 2).T), cost, labels), labels


def main() -> int:
    from anonyscribe.media import decode
    from anonyscribe.speakers.der import read_rttm
    from anonyscribe.speakers.diarize import Diarizer

    parts = sys.argv[1:] or ["dev6"]
    if any(p.startswith("heldout") for p in parts):
        print("held-out parts are measured by the lead only")
        return 1
    d = Diarizer()
    s = d.settings
    print(f"thresholds: separation >= {s.min_separation}, contrast >= {s.min_split_contrast}")
    for part in parts:
        for clip in sorted((CACHE / part).glob("*.m4a")):
            ref = read_rttm(clip.with_suffix(".rttm"))
            ids = sorted({t.speaker for t in ref})
            found = d(decode(clip), num_speakers=2)
            if len(ids) != 2 or found.prints is None:
                print(f"{part}/{clip.stem}: one voice (alike {found.alike})")
                continue
            x, w = found.prints, found.windows
            joined = np.array([w[i + 1][0] < w[i][1] - 1e-6 for i in range(len(w) - 1)])
            cost = np.where(joined, s.hmm_switch_in, s.hmm_switch_gap)

            owner = window_owners(w, ref, ids)
            true_score, true = scored(x, cost, s, np.maximum(owner, 0))
            others = candidate_splits(x, true, 2, s.hmm_starts)[1:]  # the search's own
            best = max(scored(x, cost, s, c)[0] for c in others)
            every = np.ones(len(x), dtype=bool)
            print(f"{part}/{clip.stem}: true split sep {separation(x, true):5.2f} contrast "
                  f"{split_contrast(x, w, true, every):6.2f} score {true_score:8.1f} | best "
                  f"candidate {best:8.1f} | alike {found.alike}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
