"""An interview's question/answer roles as one more start of the timeline search, for two
voices the prints hardly tell apart.

Why: the timeline search (``timeline.viterbi_voices``) starts from splits along the prints'
main directions, and for a near-pitch pair those are what is said: it ends on a split by
content, which fails the belief tests, and almost all speech goes to one voice. The words
know who asks (``asking.roles_of``): on dev near male pairs the windows inside questions
against those inside answers were 95-99 % of the way to the voices. Refined on the prints
(``timeline.refine``) such a start still drifted back to content (96 -> 75 % on one pair);
refined along the voice-like directions (``timeline.voice_directions``, ``refine_along``)
it stayed (93 %).

The words start the search; they never decide it. The split is kept only if it passes the
diarizer's belief tests (``timeline.credible``) and a check that does not come from what is
said: its prints must lie further apart than the same search started from the roles
shuffled over the sentences (any grouping of one voice's sentences, refined, lies somewhat
apart: this recording's one-voice baseline) by ``MIN_BEYOND_SHUFFLED`` of their standard
deviations. Run on the prints the diarizer kept (``diarize.Search``): no model runs twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.model import Transcript
from .asking import CLEAR_SEPARATION, MIN_UNITS, Unit, roles_of, units_of
from .diarize import Diarization, Search, timed_turns
from .geometry import separation
from .settings import DiarizeSettings
from .spans import TimeSpan
from .timeline import change_costs, credible, refine_along, voice_directions

# Voice-like directions the search runs in: on dev, 2 or 4 let a near pair's start drift
# to content (a near male pair 75-80 % of windows right, against 93 % with 8).
DIRECTIONS = 8
SHUFFLES = 30  # role orders shuffled over the sentences for the one-voice baseline
# How far (standard deviations of the shuffled starts' separations) the roles' split must
# lie beyond them. On dev: one voice asking and answering at most 1.6 (eleven clips, one
# at 5.0, caught by ``asking``'s one-voice check), two voices 1.7-31.
MIN_BEYOND_SHUFFLED = 3.0


def role_windows(units: Sequence[Unit], roles: np.ndarray, windows: Sequence[TimeSpan]
                 ) -> np.ndarray:
    """Per window, the role (0 asker, 1 answerer) of the sentence its middle falls in; -1
    for a window in no sentence."""
    mids = np.array([(a + b) / 2 for a, b in windows])
    out = np.full(len(windows), -1, dtype=np.int64)
    for u, r in zip(units, roles.tolist(), strict=True):
        out[(mids >= u.start) & (mids < u.end)] = r
    return out


def seeded_split(x: np.ndarray, z: np.ndarray, cost: np.ndarray, seed: np.ndarray
                 ) -> np.ndarray | None:
    """Two voices refined along ``z`` from ``seed`` (windows without a role join the role
    whose mean print they are nearer); None where a role has under two windows or a voice
    vanishes."""
    if min(int(np.sum(seed == k)) for k in (0, 1)) < 2:
        return None
    means = np.stack([x[seed == k].mean(axis=0) for k in (0, 1)])
    start = seed.copy()
    start[seed < 0] = np.argmax(x[seed < 0] @ means.T, axis=1)
    labels = refine_along(z, start, cost)
    return labels if len(np.unique(labels)) == 2 else None


def beyond_shuffled(x: np.ndarray, z: np.ndarray, cost: np.ndarray, made: np.ndarray,
                    split: np.ndarray, units: Sequence[Unit], roles: np.ndarray,
                    windows: Sequence[TimeSpan], seed: int = 0) -> float:
    """How far ``split``'s prints lie apart (``separation``) beyond the same search started
    from ``roles`` shuffled over ``units``, in standard deviations of those. Seeded: a
    recording always gets the same answer."""
    rng = np.random.default_rng(seed)
    null = []
    for _ in range(SHUFFLES):
        other = seeded_split(x, z, cost, role_windows(units, rng.permutation(roles), windows))
        null.append(0.0 if other is None else separation(x[made], other[made]))
    spread = max(float(np.std(null)), 1e-9)
    return (separation(x[made], split[made]) - float(np.mean(null))) / spread


def reseeded(transcript: Transcript, found: Diarization,
             s: DiarizeSettings | None = None) -> Diarization | None:
    """The diarization again from the voices the question/answer roles lead to, or None
    (keep ``found``): only for two told voices that were alike or weakly apart
    (``CLEAR_SEPARATION``), and only where the split is believed (module doc)."""
    s = s or DiarizeSettings()
    search = found.search
    if search is None or not (found.alike or found.separation < CLEAR_SEPARATION):
        return None
    said = units_of(transcript)
    if len(said) < 2 * MIN_UNITS:
        return None
    units, roles = roles_of(said, found)
    x, windows, made = search.prints, search.windows, search.made
    directions = voice_directions(x, windows, s.contrast_dims, s.contrast_gap, made)
    if len(directions) < DIRECTIONS:
        return None
    z = np.stack(directions[:DIRECTIONS], axis=1)
    z /= np.maximum(z[made].std(axis=0), 1e-9)
    cost = change_costs(s, windows)
    split = seeded_split(x, z, cost, role_windows(units, roles, windows))
    if (split is None or not credible(s, x, windows, split, made)
            or beyond_shuffled(x, z, cost, made, split, units, roles, windows)
            < MIN_BEYOND_SHUFFLED):
        return None
    return timed_turns(s, Search(windows, x, made, split, search.speech, search.overlap),
                       2, False)
