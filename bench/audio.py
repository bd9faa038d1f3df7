"""Anonymised audio (``export/audio.py``) on a long recording: time and memory of each step.

Builds (or reuses) the same Teams-like recording as ``long_recording.py`` (real speech clips
one after another, AAC 48 kHz mono), places identifiers at a given rate (seconds-long words
at random, seeded, times), then measures:

* render: the original's AAC packets kept where nothing is covered, those around each stretch
  encoded again (a mono AAC-LC original, like this one and Teams'); beside it, in the same run,
  the whole recording decoded, covered and encoded at 16 kHz (``render_whole_*``, what any
  other original gets), and the error of each against the original at the seams of the
  re-encoded regions and elsewhere (``seam_error_db``: the decoded copy less the decoded
  original, relative to the original, dB; this recording's encoder used noise substitution,
  whose noise is drawn anew at each decoding, so "elsewhere" is not -inf for the kept copy);
* check: decode the written file again around each stretch (seeking) and test its level;
* listen: the recogniser (default ``base``, greedy) over every stretch's neighbourhood;

against the transcription time of the same length with the same model, both as the README
states it (``base`` transcribes an hour in 504 s on 2 quiet cores, ``tiny.en`` in about
180 s) and as measured now on the first minutes of the same recording (a shared, busy
machine slows both alike; CPU seconds are compared too). Target: the whole anonymised-audio
export within 5 % of the transcription time. Peak Python-side memory (tracemalloc: numpy
buffers included) shows that nothing grows with the length of the recording.

    nice python bench/audio.py [--minutes 60] [--per-minute 2] [--model base]
                               [--cover tone|silence] [--context S] [--clip-gap S] [--keep S]
                               [--unbounded] [--compare] [--whole-neighbourhoods]
                               [--alone] [--noise-dbfs DB] [--threads N] [--no-memory]
                               [--workdir DIR]

``--compare`` listens a second time with the seek-loop listener that one encoder pass a window
replaced, on the same file in the same run (its figures: ``seek_loop_*``).
``--whole-neighbourhoods`` gives the recogniser each neighbourhood whole, quiet and all, as
before ``AudioOptions.dense_listening`` (more windows). ``--alone`` also hears every part
(neighbourhood) alone, in a window of its own, and reports the share of those words that the
packed windows' texts hold (``listen_share_of_alone_words``: how much of what is there the
check hears; slow, one encoder pass a part).
``--noise-dbfs -50`` adds white noise of that level over the whole recording, pauses included
(a real room's or call's floor; the built recording's pauses are otherwise digital silence).
``--context 0.4 --clip-gap 0.4 --keep 0.2 --unbounded`` measures the listener as it was before
its settings were chosen (and its decoder bounded), in the same conditions.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import re
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "bench"))

from anonyscribe.export import audio as audio_format  # noqa: E402 - desktop/ on sys.path
from long_recording import RATE, build_recording, rss_mb  # noqa: E402 - bench/ on sys.path

# Seconds of transcription per hour of audio (README, 2 CPU cores, long recordings).
TRANSCRIBE_S_PER_HOUR = {"base": 504.0, "tiny.en": 180.0}


def identifier_times(seconds: float, per_minute: float, seed: int = 7) -> list[tuple[float, float]]:
    """Word-like spans (0.3-1.0 s) at random times, ``per_minute`` of them a minute."""
    rng = np.random.default_rng(seed)
    n = max(1, int(seconds / 60 * per_minute))
    starts = np.sort(rng.uniform(0.5, seconds - 2.0, size=n))
    return [(float(s), float(s + rng.uniform(0.3, 1.0))) for s in starts]


def unbounded(transcriber: Any) -> audio_format.Recogniser:
    """The listener's decoder before it was bounded (``--unbounded``): for comparison."""

    def hear(samples: np.ndarray, _starts: Sequence[float]) -> str:
        segments, _info = transcriber.whisper.transcribe(
            samples, language=transcriber.language, beam_size=1, temperature=0.0,
            vad_filter=False, condition_on_previous_text=False, without_timestamps=True)
        return " ".join(s.text for s in segments)

    return hear


def seek_loop(transcriber: Any) -> audio_format.Recogniser:
    """The listener before one encoder pass a window (``--compare``): faster-whisper's
    ``transcribe`` with times, bounded to 6 tokens a second, which encodes the window again
    wherever the model stops early."""

    def hear(samples: np.ndarray, _starts: Sequence[float]) -> str:
        seconds = samples.shape[0] / audio_format.VERIFY_RATE
        tokens = math.ceil(6.0 * seconds) + 8
        per_pass = min(440, math.ceil(6.0 * min(seconds, 30.0)) + 8)
        segments, _info = transcriber.whisper.transcribe(
            samples, language=transcriber.language, beam_size=1, temperature=0.0,
            compression_ratio_threshold=None, log_prob_threshold=None,
            no_speech_threshold=None, max_new_tokens=per_pass, vad_filter=False,
            condition_on_previous_text=False, without_timestamps=False)
        heard, written = [], 0
        for segment in segments:
            heard.append(segment.text)
            written += len(segment.tokens)
            if written >= tokens:
                break
        return " ".join(heard)

    return hear


class Timed:
    """A recogniser with its calls timed (CPU and wall) and what it wrote counted."""

    def __init__(self, hear: audio_format.Recogniser) -> None:
        self.hear = hear
        self.s = self.cpu_s = self.audio_s = self.worst_cpu_s = 0.0
        self.calls = self.words = self.most_words = 0
        self.heard: list[tuple[np.ndarray, list[float], str]] = []  # for ``alone_share``

        if hasattr(hear, "hear_many"):  # several windows decoded together (the app's)
            self.hear_many = self._many

    def __call__(self, samples: np.ndarray, starts: Sequence[float]) -> str:
        return self._timed(lambda: [self.hear(samples, starts)], [samples])[0]

    def _many(self, windows: Sequence[tuple[np.ndarray, Sequence[float]]]) -> list[str]:
        texts = self._timed(lambda: self.hear.hear_many(windows), [w for w, _s in windows])
        self.heard += [(w, list(s), t) for (w, s), t in zip(windows, texts, strict=True)]
        return texts

    def _timed(self, hear: Any, windows: Sequence[np.ndarray]) -> list[str]:
        """``hear()`` timed; a call over several windows counts as each costing its share."""
        t, c = time.perf_counter(), time.process_time()
        out = hear()
        cpu = time.process_time() - c
        self.s += time.perf_counter() - t
        self.cpu_s += cpu
        self.audio_s += sum(w.shape[0] for w in windows) / audio_format.VERIFY_RATE
        self.calls += len(windows)
        self.words += sum(len(text.split()) for text in out)
        self.worst_cpu_s = max(self.worst_cpu_s, cpu / len(windows))
        self.most_words = max(self.most_words, *(len(text.split()) for text in out))
        return out

    def report(self, prefix: str) -> dict[str, Any]:
        return {
            f"{prefix}_s": round(self.s, 1), f"{prefix}_cpu_s": round(self.cpu_s, 1),
            f"{prefix}_calls": self.calls,
            # The dearest window and the most words one window gave: a looping decoder shows.
            f"{prefix}_worst_window_cpu_s": round(self.worst_cpu_s, 2),
            f"{prefix}_most_words_in_a_window": self.most_words,
            f"{prefix}ed_audio_s": round(self.audio_s, 1),
            # What the recogniser wrote in all: a few words a stretch would mean it understood
            # the neighbourhoods; far fewer means it heard little of them (see the report).
            f"{prefix}_heard_words": self.words,
        }


def alone_share(listener: Any, heard: Sequence[tuple[np.ndarray, list[float], str]]) -> float:
    """The share of the words each part of the windows gives heard alone (in a window of
    its own) that its packed window's text holds (words counted with repeats)."""
    def words(text: str) -> Counter[str]:
        return Counter(re.findall(r"[a-z']+", text.casefold()))

    rate = audio_format.VERIFY_RATE
    parts = [[(w[round(a * rate):round(b * rate)], [0.0]) for a, b in
              zip(starts, [*starts[1:], w.shape[0] / rate], strict=True)]
             for w, starts, _t in heard]
    alone = listener.hear_many([p for ps in parts for p in ps])
    found = total = 0
    for ps, (_w, _s, text) in zip(parts, heard, strict=True):
        there = sum((words(t) for t in alone[:len(ps)]), Counter())
        alone = alone[len(ps):]
        found += sum((there & words(text)).values())
        total += sum(there.values())
    return found / max(total, 1)


def seam_errors(source: Path, kept: Path, whole: Path,
                covered: Sequence[audio_format.Stretch]) -> dict[str, float]:
    """Each copy against the original (all decoded at 16 kHz), in dB relative to the
    original: at the seams (from a packet before each re-encoded region to its stretch, and
    back: speech, encoded again in the kept copy) and away from every stretch (0.3 s off)."""
    from anonyscribe.media import decode

    original = decode(source)
    step = audio_format.AAC_FRAME / 48000
    seams, mask = [], np.ones(original.shape[0], bool)
    for s in covered:
        first = (math.floor(s.start / step) - audio_format.KEEP_PAD - 1) * step
        last = (math.ceil(s.end / step) + audio_format.KEEP_PAD + 1) * step
        seams += [(round(first * RATE), round((s.start - 0.01) * RATE)),
                  (round((s.end + 0.01) * RATE), round(last * RATE))]
        mask[max(0, round((s.start - 0.3) * RATE)):round((s.end + 0.3) * RATE)] = False
    out = {}
    for name, path in (("kept", kept), ("whole", whole)):
        copy = decode(path)
        n = min(copy.shape[0], original.shape[0])
        at = sum(float(np.sum((copy[a:b] - original[a:b]) ** 2)) for a, b in seams)
        ref = sum(float(np.sum(original[a:b] ** 2)) for a, b in seams)
        diff = (copy[:n] - original[:n])[mask[:n]]
        away = float(np.sum(diff ** 2)) / float(np.sum(original[:n][mask[:n]] ** 2))
        out[f"seam_error_db_{name}"] = round(10 * math.log10(max(at / ref, 1e-30)), 1)
        out[f"elsewhere_error_db_{name}"] = round(10 * math.log10(max(away, 1e-30)), 1)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=60.0)
    p.add_argument("--per-minute", type=float, default=2.0,
                   help="identifiers per minute of recording (default 2)")
    p.add_argument("--model", default="base", help="recogniser for the listening check")
    p.add_argument("--cover", default="tone", choices=["tone", "silence"])
    p.add_argument("--context", type=float, default=None,
                   help="seconds heard either side of each stretch (default: the app's)")
    p.add_argument("--clip-gap", type=float, default=None,
                   help="silence between neighbourhoods in one window (default: the app's)")
    p.add_argument("--keep", type=float, default=None,
                   help="seconds of each covered stretch's ends heard (default: the app's)")
    p.add_argument("--unbounded", action="store_true",
                   help="the listener's decoder as before: no token bound, default thresholds")
    p.add_argument("--compare", action="store_true",
                   help="also listen with the seek-loop listener it replaced, in the same run")
    p.add_argument("--whole-neighbourhoods", action="store_true",
                   help="give the recogniser each neighbourhood whole (quiet and all)")
    p.add_argument("--alone", action="store_true",
                   help="also hear each part alone: the share of its words the windows hold")
    p.add_argument("--noise-dbfs", type=float, default=None,
                   help="white noise of this RMS (dBFS) over the recording, pauses included")
    p.add_argument("--threads", type=int, default=0,
                   help="CPU threads of the listening model (default: the app's)")
    p.add_argument("--no-memory", action="store_true",
                   help="skip the (slow, traced) memory pass")
    p.add_argument("--reference-minutes", type=float, default=3.0,
                   help="minutes transcribed now, on this machine, as the time reference")
    p.add_argument("--workdir", type=Path,
                   default=Path(tempfile.gettempdir()) / "anonyscribe-bench")
    args = p.parse_args()

    from anonyscribe.export import audio
    from anonyscribe.media import decode, probe
    from anonyscribe.transcribe.runner import Transcriber

    seconds = args.minutes * 60
    noisy = "" if args.noise_dbfs is None else f"-noise{args.noise_dbfs:g}dB"
    source = build_recording(args.workdir / f"long-{int(seconds)}s{noisy}.m4a", seconds,
                             args.noise_dbfs)
    duration = probe(source).duration
    options = audio.AudioOptions(cover=audio.Cover(args.cover))
    if args.whole_neighbourhoods:
        options = dataclasses.replace(options, dense_listening=False)
    if args.context is not None:
        options = dataclasses.replace(options, context_s=args.context)
    if args.clip_gap is not None and options.dense_listening:
        audio.DENSE_GAP_S = args.clip_gap
    elif args.clip_gap is not None:
        audio.CLIP_GAP_S = args.clip_gap
    if args.keep is not None:
        audio.KEEP_S = args.keep
    stretches = audio.merge(identifier_times(duration, args.per_minute), options, duration)
    target = args.workdir / "anonymised.m4a"

    w0, c0 = time.perf_counter(), time.process_time()
    written, covered = audio.render(source, target, stretches, options)
    t_render, c_render = time.perf_counter() - w0, time.process_time() - c0
    whole_target = args.workdir / "anonymised-whole.m4a"
    w0, c0 = time.perf_counter(), time.process_time()
    audio.render(source, whole_target, stretches, dataclasses.replace(options, keep_aac=False))
    t_whole, c_whole = time.perf_counter() - w0, time.process_time() - c0
    errors = seam_errors(source, target, whole_target, covered)
    t0, c0 = time.perf_counter(), time.process_time()
    problems = audio.verify(target, covered, [], written, options)
    t_check, c_check = time.perf_counter() - t0, time.process_time() - c0

    render_peak: float | None = None
    check_peak: float | None = None
    if not args.no_memory:
        # Memory in a second, untimed pass: tracing every allocation slows the work 2-3 times.
        tracemalloc.start()
        audio.render(source, target, stretches, options)
        render_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.reset_peak()
        audio.verify(target, covered, [], written, options)
        check_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()

    transcriber = Transcriber(args.model, cpu_threads=args.threads)
    hear = unbounded(transcriber) if args.unbounded else audio.recogniser_for(transcriber)
    listened = Timed(hear)
    originals = ["Rachel Morgan", "Bradford"]
    w0, c0 = time.perf_counter(), time.process_time()
    heard_problems = audio.verify(target, covered, originals, written, options, listened)
    t_verify, c_verify = time.perf_counter() - w0, time.process_time() - c0
    total, cpu_total = t_render + t_verify, c_render + c_verify
    before: Timed | None = None
    if args.compare:
        before = Timed(seek_loop(transcriber))
        audio.verify(target, covered, originals, written, options, before)

    clip = decode(source)[: int(args.reference_minutes * 60 * RATE)]
    w0, c0 = time.perf_counter(), time.process_time()
    transcriber.transcribe(clip)
    scale = duration / (clip.shape[0] / RATE)
    ref_wall = (time.perf_counter() - w0) * scale
    ref_cpu = (time.process_time() - c0) * scale
    readme = TRANSCRIBE_S_PER_HOUR.get(args.model, float("nan")) * duration / 3600
    result = {
        "recording_s": round(duration, 1),
        "identifiers": len(identifier_times(duration, args.per_minute)),
        "stretches": len(covered), "covered_s": round(sum(s.end - s.start for s in covered), 1),
        "render_s": round(t_render, 1), "render_cpu_s": round(c_render, 1),
        "render_kept_packets": audio._kept_aac(source) is not None,
        "render_whole_s": round(t_whole, 1), "render_whole_cpu_s": round(c_whole, 1),
        **errors,
        "level_check_s": round(t_check, 1), "level_check_cpu_s": round(c_check, 1),
        **listened.report("listen"),
        **({"listen_share_of_alone_words": round(alone_share(hear, listened.heard), 3)}
           if args.alone else {}),
        "check_and_listen_s": round(t_verify, 1), "total_s": round(total, 1),
        "total_cpu_s": round(cpu_total, 1),
        "transcription_s_measured_now": round(ref_wall, 1),
        "transcription_cpu_s_measured_now": round(ref_cpu, 1),
        "share_wall_vs_measured": round(total / ref_wall, 4),
        "share_cpu_vs_measured": round(cpu_total / ref_cpu, 4),
        "transcription_s_readme": round(readme, 1),
        "share_wall_vs_readme": round(total / readme, 4),
        **(before.report("seek_loop_listen") if before is not None else {}),
        **({"seek_loop_share_cpu_vs_measured": round(
            (cpu_total - listened.cpu_s + before.cpu_s) / ref_cpu, 4)}
           if before is not None else {}),
        "render_peak_mb": render_peak and round(render_peak, 1),
        "check_peak_mb": check_peak and round(check_peak, 1),
        "rss_peak_mb": round(rss_mb()[1], 1), "problems": len(problems) + len(heard_problems),
        "noise_dbfs": args.noise_dbfs, "model": args.model, "threads": transcriber.cpu_threads,
        "cover": args.cover,
        "context_s": options.context_s, "dense_listening": options.dense_listening,
        "clip_gap_s": audio.DENSE_GAP_S if options.dense_listening else audio.CLIP_GAP_S,
        "keep_s": audio.KEEP_S, "unbounded": args.unbounded,
        "output_mb": round(target.stat().st_size / 1e6, 1),
        "output_whole_mb": round(whole_target.stat().st_size / 1e6, 1),
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
