"""What one diarizer run is told: its knobs (``DiarizeSettings``) and the audio's rate."""

from __future__ import annotations

from dataclasses import dataclass

SAMPLE_RATE = 16000


@dataclass
class DiarizeSettings:
    """Knobs, with the values measured best on the AMI / pyannote clips (bench/diarization.py)."""

    seg_chunk_s: float = 10.0  # the segmentation model's input length (fixed by training)
    seg_hop_s: float = 2.5
    speech_threshold: float = 0.5
    overlap_threshold: float = 0.5
    min_speech_s: float = 0.25
    min_silence_s: float = 0.1
    window_s: float = 1.5
    shift_s: float = 0.75
    min_region_s: float = 1.0  # shorter speech is embedded with this much context around it
    max_cluster_points: int = 2000  # spectral clustering is O(n^2) memory, O(n^3) time
    merge_cos: float = 0.8  # clusters more alike than this are one voice (automatic count)
    min_turn_s: float = 0.3
    fill_gap_s: float = 1.0  # a pause this short inside one speaker's talk stays in the turn
    second_voice_s: float = 10.0  # how far to look for the other voice in an overlap
    seg_batch: int = 8  # 10 s chunks in model calls at once (each holds ~20 MB of activations)
    # the segmentation model's first layer (a linear filter bank) computed once per stretch of
    # audio and shared by the 4 chunks that hear it (``runtime.SincFront``), where the ONNX
    # export could be split; outputs equal to about 1e-5
    share_front: bool = True
    # embedding windows per model call: on ONNX Runtime 8-64 cost the same per window, and 8
    # holds half the activations of 16 (peak memory -100 MB on a 10-minute interview, the
    # same prints); on torch (the fallback) 16 was the cheapest
    batch_size: int = 8
    workers: int = 0  # model calls side by side, one torch thread each (0: one per core, <= 4)
    # what runs the two models: "onnx" (ONNX Runtime on a local export, torch where that
    # fails; about 0.75x torch's CPU time, same turns) or "torch" (``speakers/runtime.py``)
    runtime: str = "onnx"
    neighbour_div: int = 4
    minor_div: int = 12
    change_reach: int = 5  # model frames (~17 ms) either side a local voice change counts
    change_threshold: float = 0.5  # share of overlapping chunks that hear the change
    change_gap_s: float = 0.05  # cut this much out around a change (no window straddles it)
    # sparse-then-dense (``Diarizer.prints``, ``Diarizer.segmentation``): where the first,
    # coarse pass finds one voice, the passes in between are not run
    # off: on dev it ran 75 % of the chunks on interviews (a voice change or an overlap in
    # most 10 s), and the small changes it made flipped near male pairs (+3 to +10 DER points)
    sparse_chunks: bool = False
    sparse_prints: bool = True
    # the first pass prints every this many windows of a stretch (and its last). 2 covers the
    # speech; 4 covers half of it and finds the same voices where they are clearly apart (the
    # only case the sparse result is kept: ``sure_separation``): on the 10-minute interview of
    # ``bench/pipeline.py`` 347 instead of 442 of 661 prints, identical turns; on dev 71 of 72
    # runs identical, the other (DER 0.0 both) went dense (held-out: 55 of 57, mean DER the same
    # or lower). 6 and 8 saved almost nothing more
    sparse_stride: int = 4
    agree_cos: float = 0.6  # neighbouring coarse prints at least this alike: one voice
    doubt_overlap: float = 0.2  # a second voice this likely: run the fine pass here
    doubt_change: float = 0.1  # a voice change this likely: run the fine pass here
    doubt_edge_s: float = 0.0  # doubts this close to a chunk's ends do not call for it
    # two voices this far apart on the sparse prints need no dense pass. On dev, clearly
    # different voices scored 47-233; near pairs 3.3-10.8 and one voice in both roles 3.9-10.5
    # (sparse prints make a split look further apart than dense ones: one voice's split is
    # under 3 on dense prints), so anything near those is redone on dense prints
    sure_separation: float = 20.0
    # known count: voices re-estimated along the timeline (``viterbi_voices``)
    hmm_kappa: float = 20.0  # how sharply a window's print picks its voice (von Mises-Fisher)
    hmm_switch_in: float = 2.0  # cost of a voice change between overlapping windows
    hmm_switch_gap: float = 0.5  # cost of a voice change across a pause or a change point
    hmm_starts: int = 4  # besides spectral clustering, splits along this many main directions
    min_separation: float = 3.0  # two voices' prints must be this far apart (Fisher ratio)
    # second opinion when they are not (``voice_contrast``): prints within one stretch of
    # speech differ by what is said, not by who says it
    contrast_dims: int = 20  # main directions of the prints kept before the contrast
    contrast_gap: int = 2  # windows this many apart in one stretch (no shared sound)
    contrast_tries: int = 3  # most voice-like directions tried
    min_contrast: float = 3.0  # and the split must be this far apart along its direction
    # a split of two told voices is believed only if its two means lie this far apart
    # relative to how much one voice's prints move along the same line within a stretch of
    # speech (``split_contrast``). On dev, splits that tracked the voices scored 8.5 and
    # more; splits worse than one speaker (one voice in both roles by its content, near
    # pairs cut by what is said) 5.4-7.6 (and a few 9.2-57 that this does not catch)
    min_split_contrast: float = 8.0
