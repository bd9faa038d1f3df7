"""Which model should be the default? Word error rate and speed of each, on real speech.

Runs every known model through the app's own ``Transcriber`` on the shared clips that have a
reference transcript, clip by clip with the models interleaved (so a noisy neighbour on a shared
machine slows both alike), and prints one table. RTF = processing seconds / audio seconds
(lower is faster; 0.3 means an hour of interview takes 18 minutes).

    python bench/models.py [--models tiny.en base] [--repeat 2] [--threads 0]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_SPEECH = ROOT.parent / "shared" / "data" / "speech"
FIXTURES = ROOT / "tests" / "data" / "speech"
# Real speech with an exact reference transcript (.txt beside each clip).
CLIPS = [
    "jfk.flac",
    "jfk_whispercpp.mp3",
    "cmu_arctic_awb_a0007.wav",
    "librispeech_2412-153948-0000.flac",
    "ami_ES2011a_headset0_40-46s.wav",
    "pyannote_sample.wav",
]
# Two speakers, one per channel: line 1 of the .txt is the left channel, line 2 the right.
STEREO_CLIP = "faster_whisper_stereo_diarization.wav"


def synthetic_clips() -> dict[str, str]:
    """The espeak-ng fixtures and the sentences they speak (from make_fixtures.py)."""
    sys.path.insert(0, str(ROOT / "tests" / "data"))
    import make_fixtures as mf

    def text(lines: list) -> str:
        return " ".join(line.text for line in lines)

    return {"interview.wav": text(mf.INTERVIEW), "batch_1.m4a": text(mf.BATCH_1),
            "batch_2.mp3": text(mf.BATCH_2)}


def normalise(text: str) -> list[str]:
    """Words for scoring: lower case, no punctuation, hyphens split ("so-called" = 2 words)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    text = re.sub(r"[-–—/]", " ", text)
    text = re.sub(r"[^\w\s']", "", text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions + deletions + insertions)."""
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1]


def wer(reference: str, hypothesis: str) -> float:
    ref = normalise(reference)
    return edit_distance(ref, normalise(hypothesis)) / max(len(ref), 1)


@dataclass
class Score:
    errors: int = 0
    words: int = 0
    seconds: float = 0.0
    audio: float = 0.0
    per_clip: dict[str, tuple[float, float]] = field(default_factory=dict)

    def add(self, clip: str, reference: str, hypothesis: str, seconds: float,
            audio: float) -> None:
        ref = normalise(reference)
        errors = edit_distance(ref, normalise(hypothesis))
        self.errors += errors
        self.words += len(ref)
        self.seconds += seconds
        self.audio += audio
        self.per_clip[clip] = (errors / max(len(ref), 1), seconds / audio)

    @property
    def wer(self) -> float:
        return self.errors / max(self.words, 1)

    @property
    def rtf(self) -> float:
        return self.seconds / max(self.audio, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=None)
    parser.add_argument("--repeat", type=int, default=1, help="timing runs per clip (min taken)")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if not SHARED_SPEECH.is_dir():
        print(f"no shared speech clips at {SHARED_SPEECH}", file=sys.stderr)
        return 1

    from anonyscribe.media import SAMPLE_RATE, decode, decode_channels
    from anonyscribe.transcribe.models import DEFAULT_MODEL, default_manifest
    from anonyscribe.transcribe.runner import Transcriber

    names = args.models or default_manifest().names()
    loaded = {}
    for name in names:
        t0 = time.perf_counter()
        loaded[name] = Transcriber(name, language="en", cpu_threads=args.threads)
        print(f"loaded {name} in {time.perf_counter() - t0:.2f} s "
              f"({loaded[name].cpu_threads} threads)")
    real = {name: Score() for name in names}
    synthetic = {name: Score() for name in names}
    for clip in CLIPS:
        path = SHARED_SPEECH / clip
        reference = path.with_suffix(".txt").read_text(encoding="utf-8")
        audio = decode(path)
        for name in names:
            hyp, best = _run(loaded[name], audio, args.repeat)
            real[name].add(clip, reference, hyp, best, len(audio) / SAMPLE_RATE)
    stereo = SHARED_SPEECH / STEREO_CLIP
    left, right = stereo.with_suffix(".txt").read_text(encoding="utf-8").splitlines()[:2]
    channels = decode_channels(stereo)
    for name in names:
        for label, reference, audio in (("left", left, channels[0]), ("right", right, channels[1])):
            hyp, best = _run(loaded[name], audio, args.repeat)
            real[name].add(f"{STEREO_CLIP} ({label})", reference, hyp, best,
                           len(audio) / SAMPLE_RATE)
    for clip, reference in synthetic_clips().items():
        audio = decode(FIXTURES / clip)
        for name in names:
            hyp, best = _run(loaded[name], audio, args.repeat)
            synthetic[name].add(f"{clip} (espeak-ng)", reference, hyp, best,
                                len(audio) / SAMPLE_RATE)
    _table("Real speech (shared clips)", real, names)
    _table("Synthetic speech (test fixtures)", synthetic, names)
    print(f"\ncurrent default: {DEFAULT_MODEL}")
    return 0


def _run(transcriber, audio, repeat: int) -> tuple[str, float]:  # noqa: ANN001 - bench helper
    best = float("inf")
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        transcript = transcriber.transcribe(audio)
        best = min(best, time.perf_counter() - t0)
    return " ".join(s.text for s in transcript.segments), best


def _table(title: str, scores: dict[str, Score], names: list[str]) -> None:
    clips = list(scores[names[0]].per_clip)
    width = max(len(c) for c in [*clips, "ALL (pooled)"])
    print(f"\n{title}\n{'clip':<{width}}  " + "  ".join(f"{n:>15}" for n in names))
    print(f"{'':<{width}}  " + "  ".join(f"{'WER    RTF':>15}" for _ in names))
    for clip in clips:
        cells = [f"{scores[n].per_clip[clip][0]:6.1%} {scores[n].per_clip[clip][1]:6.3f}"
                 for n in names]
        print(f"{clip:<{width}}  " + "  ".join(f"{c:>15}" for c in cells))
    cells = [f"{scores[n].wer:6.1%} {scores[n].rtf:6.3f}" for n in names]
    print(f"{'ALL (pooled)':<{width}}  " + "  ".join(f"{c:>15}" for c in cells))
    first = scores[names[0]]
    print(f"{first.audio:.1f} s of audio, {first.words} reference words")


if __name__ == "__main__":
    raise SystemExit(main())
