"""Anonymised audio (``export/audio.py``) on a long recording: time and memory of each step.

Builds (or reuses) the same Teams-like recording as ``long_recording.py`` (real speech clips
one after another, AAC 48 kHz mono), places identifiers at a given rate (seconds-long words
at random, seeded, times), then measures:

* render: decode the original in blocks, cover every stretch, encode AAC .m4a;
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
                               [--workdir DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "bench"))

from long_recording import RATE, build_recording, rss_mb  # noqa: E402 - bench/ on sys.path

# Seconds of transcription per hour of audio (README, 2 CPU cores, long recordings).
TRANSCRIBE_S_PER_HOUR = {"base": 504.0, "tiny.en": 180.0}


def identifier_times(seconds: float, per_minute: float, seed: int = 7) -> list[tuple[float, float]]:
    """Word-like spans (0.3-1.0 s) at random times, ``per_minute`` of them a minute."""
    rng = np.random.default_rng(seed)
    n = max(1, int(seconds / 60 * per_minute))
    starts = np.sort(rng.uniform(0.5, seconds - 2.0, size=n))
    return [(float(s), float(s + rng.uniform(0.3, 1.0))) for s in starts]


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
    p.add_argument("--reference-minutes", type=float, default=3.0,
                   help="minutes transcribed now, on this machine, as the time reference")
    p.add_argument("--workdir", type=Path,
                   default=Path(tempfile.gettempdir()) / "anonyscribe-bench")
    args = p.parse_args()

    from anonyscribe.export import audio
    from anonyscribe.media import decode, probe
    from anonyscribe.transcribe.runner import Transcriber

    seconds = args.minutes * 60
    source = build_recording(args.workdir / f"long-{int(seconds)}s.m4a", seconds)
    duration = probe(source).duration
    options = audio.AudioOptions(cover=audio.Cover(args.cover))
    if args.context is not None:
        options = dataclasses.replace(options, context_s=args.context)
    if args.clip_gap is not None:
        audio.CLIP_GAP_S = args.clip_gap
    if args.keep is not None:
        audio.KEEP_S = args.keep
    stretches = audio.merge(identifier_times(duration, args.per_minute), options, duration)
    target = args.workdir / "anonymised.m4a"

    w0, c0 = time.perf_counter(), time.process_time()
    written, covered = audio.render(source, target, stretches, options)
    t_render, c_render = time.perf_counter() - w0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    problems = audio.verify(target, covered, [], written, options)
    t_check, c_check = time.perf_counter() - t0, time.process_time() - c0

    # Memory in a second, untimed pass: tracing every allocation slows the work 2-3 times.
    tracemalloc.start()
    audio.render(source, target, stretches, options)
    render_peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.reset_peak()
    audio.verify(target, covered, [], written, options)
    check_peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()

    transcriber = Transcriber(args.model)
    hear = audio.recogniser_for(transcriber)
    listened = {"s": 0.0, "cpu_s": 0.0, "audio_s": 0.0, "calls": 0, "words": 0}

    def timed(samples: np.ndarray) -> str:
        t, c = time.perf_counter(), time.process_time()
        out = hear(samples)
        listened["s"] += time.perf_counter() - t
        listened["cpu_s"] += time.process_time() - c
        listened["audio_s"] += samples.shape[0] / audio.VERIFY_RATE
        listened["calls"] += 1
        listened["words"] += len(out.split())
        return out

    w0, c0 = time.perf_counter(), time.process_time()
    heard_problems = audio.verify(target, covered, ["Rachel Morgan", "Bradford"], written,
                                  options, timed)
    t_verify, c_verify = time.perf_counter() - w0, time.process_time() - c0
    total, cpu_total = t_render + t_verify, c_render + c_verify

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
        "level_check_s": round(t_check, 1), "level_check_cpu_s": round(c_check, 1),
        "listen_s": round(listened["s"], 1), "listen_cpu_s": round(listened["cpu_s"], 1),
        "listen_calls": listened["calls"],
        "listened_audio_s": round(listened["audio_s"], 1),
        # What the recogniser wrote in all: a few words a stretch would mean it understood
        # the neighbourhoods; far fewer means it heard little of them (see the report).
        "heard_words": listened["words"],
        "check_and_listen_s": round(t_verify, 1), "total_s": round(total, 1),
        "total_cpu_s": round(cpu_total, 1),
        "transcription_s_measured_now": round(ref_wall, 1),
        "transcription_cpu_s_measured_now": round(ref_cpu, 1),
        "share_wall_vs_measured": round(total / ref_wall, 4),
        "share_cpu_vs_measured": round(cpu_total / ref_cpu, 4),
        "transcription_s_readme": round(readme, 1),
        "share_wall_vs_readme": round(total / readme, 4),
        "render_peak_mb": round(render_peak, 1), "check_peak_mb": round(check_peak, 1),
        "rss_peak_mb": round(rss_mb()[1], 1), "problems": len(problems) + len(heard_problems),
        "model": args.model, "cover": args.cover, "context_s": options.context_s,
        "clip_gap_s": audio.CLIP_GAP_S, "keep_s": audio.KEEP_S,
        "output_mb": round(target.stat().st_size / 1e6, 1),
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
