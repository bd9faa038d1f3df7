"""Long interviews: peak memory, steady progress and cancel latency, measured for real.

Builds a recording of real speech (the shared clips, else the test fixtures) with pauses,
encoded like a Teams audio export (AAC, 48 kHz, mono), then measures each step in a fresh
process so every peak is its own:

* decode only, 2 hours by default: peak resident memory above the baseline, against the size
  of the float32 result (the bound: one float32 copy, nothing else of the whole file);
* the set-up faster-whisper does before its first segment on the same 2 hours (voice
  detection, mel features of the whole file), with its own feature code and with the app's
  blocked one (``transcribe/features.py``); ``--prelude``;
* the whole pipeline (decode, transcribe, speakers, detect, save) on a shorter recording,
  10 minutes by default: wall time, real-time factor, peak memory, and how steadily progress
  moves (longest silence between two progress reports);
* cancel latency: Stop pressed at several moments of the same pipeline run, each in its own
  process, as the app's Stop button would;
* ``--full`` runs the whole pipeline on the long recording too (hours with larger models).

    python bench/long_recording.py [--hours 2] [--minutes 10] [--model tiny.en] [--prelude]
                                   [--full] [--workdir DIR]

Generated recordings are cached in ``--workdir`` (default: a folder in the system temporary
directory) and reused on the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))
SHARED_SPEECH = ROOT.parent / "shared" / "data" / "speech"
FIXTURES = ROOT / "tests" / "data" / "speech"
SHARED_CLIPS = ["pyannote_sample.wav", "ami_ES2003a_0-30s.wav", "jfk.flac",
                "ami_EN2009b_0-30s.wav", "librispeech_2412-153948-0000.flac",
                "ami_EN2006b_0-30s.wav", "cmu_arctic_awb_a0007.wav",
                "ami_ES2011a_headset0_40-46s.wav"]
RATE = 16000

from worker import run_worker as _run_worker  # noqa: E402 - bench/ is on sys.path


def source_clips() -> list[Path]:
    shared = [SHARED_SPEECH / n for n in SHARED_CLIPS]
    if all(p.is_file() for p in shared):
        return shared
    return [FIXTURES / n for n in ("interview.wav", "batch_1.m4a", "batch_2.mp3")]


def build_recording(path: Path, seconds: float, noise_dbfs: float | None = None) -> Path:
    """Real clips one after another with 0.4-1.6 s pauses, streamed into AAC 48 kHz mono
    (never the whole recording in memory). Reused when it already exists. ``noise_dbfs``:
    white noise of that RMS over everything (a room's or a call's floor: the pauses of a
    real recording are not digital silence)."""
    if path.exists():
        return path
    import av
    import numpy as np

    from anonyscribe.media import decode

    clips = [decode(p) for p in source_clips()]
    gaps = _gaps(len(clips))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    total = int(seconds * RATE)
    with av.open(str(tmp), "w", format="ipod") as out:
        stream = out.add_stream("aac", rate=48000, layout="mono")
        stream.bit_rate = 64000
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=48000)
        done = 0
        i = 0
        noise = np.random.default_rng(13)
        while done < total:
            clip = clips[i % len(clips)]
            block = np.concatenate([clip, np.zeros(int(gaps[i % len(gaps)] * RATE), np.float32)])
            block = block[: total - done]
            if noise_dbfs is not None:
                block = block + noise.normal(0.0, 10 ** (noise_dbfs / 20), block.shape[0])
            frame = av.AudioFrame.from_ndarray(block[None, :].astype(np.float32), format="fltp",
                                               layout="mono")
            frame.sample_rate = RATE
            frame.pts = done
            frame.time_base = Fraction(1, RATE)
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    out.mux(packet)
            done += len(block)
            i += 1
        for resampled in resampler.resample(None):
            for packet in stream.encode(resampled):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    os.replace(tmp, path)
    return path


def _gaps(clips: int) -> list[float]:
    """The pauses after each clip, in seconds (one fixed draw, so a recording is rebuilt the
    same and its layout can be told without reading it)."""
    import numpy as np

    return list(np.random.default_rng(11).uniform(0.4, 1.6, size=clips * 4))


@dataclass(frozen=True)
class Placed:
    """One clip's place in a built recording, in seconds."""

    clip: Path
    start: float
    end: float


def layout(seconds: float) -> list[Placed]:
    """Where each clip lies in the recording ``build_recording`` makes of ``seconds`` (the same
    walk: clip, pause, next clip), so words can be scored against the clips' references."""
    from anonyscribe.media import decode

    lengths = [len(decode(p)) for p in source_clips()]
    gaps = _gaps(len(lengths))
    total, done, i = int(seconds * RATE), 0, 0
    out: list[Placed] = []
    while done < total:
        n = lengths[i % len(lengths)]
        block = min(n + int(gaps[i % len(gaps)] * RATE), total - done)
        out.append(Placed(source_clips()[i % len(lengths)], done / RATE,
                          (done + min(n, block)) / RATE))
        done += block
        i += 1
    return out


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    try:
        fields = dict(line.split(":", 1) for line in
                      Path("/proc/self/status").read_text().splitlines() if ":" in line)
        return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)
    except (OSError, KeyError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
        return peak_mb, peak_mb


# --- workers (each runs in a fresh process) -----------------------------------------------------

def worker_decode(path: Path) -> dict:
    from anonyscribe.media import decode, probe

    probe(path)
    base, _ = rss_mb()
    t0 = time.perf_counter()
    audio = decode(path)
    took = time.perf_counter() - t0
    _, peak = rss_mb()
    return {"seconds": took, "audio_s": len(audio) / RATE, "array_mb": audio.nbytes / 2**20,
            "base_mb": base, "peak_mb": peak, "above_base_mb": peak - base}


def worker_prelude(path: Path, model: str, app: bool) -> dict:
    """faster-whisper's work before the first segment: voice detection and mel features of
    the whole recording; ``app`` with the app's blocked feature extractor installed."""
    from anonyscribe.media import decode
    from anonyscribe.transcribe.features import install
    from anonyscribe.transcribe.runner import Transcriber

    t = Transcriber(model)
    if app:
        install(t.whisper)
    audio = decode(path)
    base, _ = rss_mb()
    t0 = time.perf_counter()
    segments, _info = t.whisper.transcribe(audio, **t.options())
    next(iter(segments), None)
    took = time.perf_counter() - t0
    _, peak = rss_mb()
    return {"seconds": took, "audio_s": len(audio) / RATE, "array_mb": audio.nbytes / 2**20,
            "base_mb": base, "peak_mb": peak, "above_base_mb": peak - base}


def worker_pipeline(path: Path, model: str, cancel_at: float | None) -> dict:
    """The app's own path for one recording; with ``cancel_at``, Stop is pressed that many
    seconds after transcription starts and the time until control returns is measured."""
    import threading

    from anonyscribe.core.cancel import Cancelled, CancelToken
    from anonyscribe.core.study import Study
    from anonyscribe.processing import Engines, process_recording

    engines = Engines(model=model)
    t_load = time.perf_counter()
    engines.transcriber  # noqa: B018 - load outside the timing, as a batch does once
    engines.detector  # noqa: B018
    load_s = time.perf_counter() - t_load
    base, _ = rss_mb()
    events: list[tuple[float, str, float]] = []
    token = CancelToken()
    started = threading.Event()

    def progress(stage: str, fraction: float) -> None:
        events.append((time.perf_counter(), stage, fraction))
        if stage == "transcribe":
            started.set()

    def press() -> None:
        started.wait()
        time.sleep(cancel_at or 0.0)
        events.append((time.perf_counter(), "CANCEL", 0.0))
        token.cancel()

    with tempfile.TemporaryDirectory() as tmp, Study.open(Path(tmp) / "study") as study:
        entry = study.add_recording(path)
        if cancel_at is not None:
            threading.Thread(target=press, daemon=True).start()
        t0 = time.perf_counter()
        status = "done"
        try:
            process_recording(study, entry, engines, progress, token)
        except Cancelled:
            status = "cancelled"
        end = time.perf_counter()
        words = (study.load_transcript(entry.id).word_count()
                 if study.has_transcript(entry.id) else 0)
    _, peak = rss_mb()
    out = {"status": status, "seconds": end - t0, "load_s": load_s, "base_mb": base,
           "peak_mb": peak, "above_base_mb": peak - base, "words": words}
    stamps = [t for t, s, _ in events if s != "CANCEL"]
    if cancel_at is not None:
        pressed = next(t for t, s, _ in events if s == "CANCEL")
        out["cancel_latency_s"] = end - pressed
        return out
    trans = [(t, f) for t, s, f in events if s == "transcribe"]
    detect = [t for t, s, _ in events if s == "detect"]
    out["transcribe_s"] = (detect[0] if detect else end) - trans[0][0]
    out["detect_s"] = detect[-1] - detect[0] if len(detect) > 1 else 0.0
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    out["progress_reports"] = len(trans)
    out["longest_silence_s"] = max(gaps) if gaps else 0.0
    out["first_report_s"] = trans[1][0] - trans[0][0] if len(trans) > 1 else 0.0
    return out


def run_worker(*args: str) -> dict:
    return _run_worker(__file__, *args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=2.0, help="long recording (decode)")
    parser.add_argument("--minutes", type=float, default=10.0, help="pipeline recording")
    parser.add_argument("--model", default=None, help="default: the app's default model")
    parser.add_argument("--prelude", action="store_true",
                        help="also measure faster-whisper's set-up on the long recording")
    parser.add_argument("--full", action="store_true",
                        help="also run the whole pipeline on the long recording (slow)")
    parser.add_argument("--cancel-at", type=float, nargs="*", default=[1.0, 7.0, 20.0],
                        help="seconds after transcription starts to press Stop")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "anonyscribe-bench")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        kind, path, *rest = args.worker
        if kind == "decode":
            result = worker_decode(Path(path))
        elif kind.startswith("prelude"):
            result = worker_prelude(Path(path), rest[0], kind == "prelude-app")
        else:
            cancel_at = float(rest[1]) if len(rest) > 1 else None
            result = worker_pipeline(Path(path), rest[0], cancel_at)
        print(json.dumps(result))
        return 0

    from anonyscribe.transcribe.models import DEFAULT_MODEL

    model = args.model or DEFAULT_MODEL
    t0 = time.perf_counter()
    long_path = build_recording(args.workdir / f"long-{args.hours:g}h.m4a", args.hours * 3600)
    short_path = build_recording(args.workdir / f"long-{args.minutes:g}min.m4a",
                                 args.minutes * 60)
    print(f"recordings ready in {time.perf_counter() - t0:.0f} s: {long_path} "
          f"({long_path.stat().st_size / 2**20:.0f} MB), {short_path}")
    print(f"model {model}; clips from {source_clips()[0].parent}\n")

    d = run_worker("decode", str(long_path))
    print(f"decode {d['audio_s'] / 3600:.2f} h: {d['seconds']:.1f} s, float32 result "
          f"{d['array_mb']:.0f} MB, peak {d['peak_mb']:.0f} MB = baseline {d['base_mb']:.0f} + "
          f"{d['above_base_mb']:.0f} MB ({d['above_base_mb'] / d['array_mb']:.2f} x the result)")
    if args.prelude:
        for kind, label in (("prelude-raw", "faster-whisper's own"),
                            ("prelude-app", "app (blocked features)")):
            p = run_worker(kind, str(long_path), model)
            print(f"set-up before the first segment on {p['audio_s'] / 3600:.2f} h, {label}: "
                  f"{p['seconds']:.1f} s, +{p['above_base_mb']:.0f} MB above the decoded audio "
                  f"({p['above_base_mb'] / p['array_mb']:.2f} x), peak {p['peak_mb']:.0f} MB")

    r = run_worker("pipeline", str(short_path), model)
    minutes = args.minutes
    rtf = r["seconds"] / (minutes * 60)
    print(f"\npipeline on {minutes:g} min: {r['seconds']:.1f} s (RTF {rtf:.3f}; transcribe "
          f"{r['transcribe_s']:.1f} s, detect {r['detect_s']:.1f} s, {r['words']} words), "
          f"peak {r['peak_mb']:.0f} MB (+{r['above_base_mb']:.0f} MB over the loaded models)")
    print(f"progress: {r['progress_reports']} reports, first after {r['first_report_s']:.1f} s, "
          f"longest silence {r['longest_silence_s']:.1f} s")
    print(f"1 hour would take about {rtf * 60:.0f} min, 2 hours {rtf * 120:.0f} min "
          "(extrapolated)")
    for at in args.cancel_at:
        c = run_worker("pipeline", str(short_path), model, str(at))
        print(f"cancel {at:g} s into transcription: control back in "
              f"{c['cancel_latency_s'] * 1000:.0f} ms ({c['status']})")
    if args.full:
        f = run_worker("pipeline", str(long_path), model)
        print(f"\nfull pipeline on {args.hours:g} h: {f['seconds'] / 60:.1f} min (RTF "
              f"{f['seconds'] / (args.hours * 3600):.3f}), peak {f['peak_mb']:.0f} MB, longest "
              f"progress silence {f['longest_silence_s']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
