"""A long interview through the app vs raw faster-whisper, side by side in one run.

A recording of ``--minutes`` of real speech (default 10; the shared clips with pauses, encoded
as AAC 48 kHz mono like a Teams audio export) goes through:

* raw: ``faster_whisper.WhisperModel.transcribe(path, **the app's settings)``, segments consumed
  (faster-whisper decodes the file itself);
* app: ``pipeline.process_recording`` exactly as the batch and the GUI run it (our decoder, the
  model in a worker thread, progress, speakers, conversion, saving), then detection.

Each run is a fresh process, so its peak memory is its own; raw and app alternate
(``--repeat``) so a busy neighbour on a shared machine slows both alike, and the best time of
each is kept. Printed: real-time factors, app/raw transcription time (target <= 1.05),
detection words per second, peak memory, and what an hour would take. ``--profile`` adds a
cProfile of the app run (where the time goes outside faster-whisper).

    python bench/pipeline.py [--minutes 10] [--model base] [--repeat 1] [--threads 0]
                             [--profile] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "desktop"))

from long_recording import build_recording, rss_mb, source_clips  # noqa: E402
from worker import run_worker as _run_worker  # noqa: E402 - bench/ is on sys.path


def worker_raw(path: Path, model: str, threads: int, same_samples: bool) -> dict:
    """faster-whisper alone; ``same_samples`` feeds it the app's decoded audio instead of the
    file, to show that the app changes nothing but the decoder."""
    from faster_whisper import WhisperModel

    from anonyscribe.media import decode
    from anonyscribe.transcribe.models import resolve_model
    from anonyscribe.transcribe.runner import decode_options, default_threads

    whisper = WhisperModel(str(resolve_model(model)), device="cpu", compute_type="int8",
                           cpu_threads=threads or default_threads())
    options = decode_options("en", [], 5)
    t0 = time.perf_counter()
    source = decode(path) if same_samples else str(path)
    segments, _ = whisper.transcribe(source, **options)
    text = [s.text.strip() for s in segments]
    took = time.perf_counter() - t0
    return {"transcribe_s": took, "text": " ".join(t for t in text if t),
            "peak_mb": rss_mb()[1]}


def worker_app(path: Path, model: str, threads: int, profile: bool) -> dict:
    from anonyscribe.core.study import Study
    from anonyscribe.pipeline import Engines, process_recording
    from anonyscribe.transcribe.features import install
    from anonyscribe.transcribe.runner import Transcriber, default_threads

    engines = Engines(model=model)
    if threads and threads != default_threads():  # the app always uses every core it has
        engines._transcriber = Transcriber(model, language="en", cpu_threads=threads)
        install(engines._transcriber.whisper)  # as Engines.transcriber does
    engines.transcriber  # noqa: B018 - the app's own construction
    engines.detector  # noqa: B018 - loaded once per batch, outside the timing
    models_mb = rss_mb()[0]
    marks: dict[str, float] = {}

    def progress(stage: str, fraction: float) -> None:
        marks.setdefault(f"{stage}0", time.perf_counter())
        marks[f"{stage}1"] = time.perf_counter()

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp, Study.open(Path(tmp) / "study") as study:
        entry = study.add_recording(path)
        t0 = time.perf_counter()
        if profiler:
            profiler.enable()
        process_recording(study, entry, engines, progress)
        if profiler:
            profiler.disable()
        end = time.perf_counter()
        transcript = study.load_transcript(entry.id)
        findings = len(study.load_findings(entry.id))
    out = {"total_s": end - t0,
           "transcribe_s": marks.get("detect0", end) - marks["transcribe0"],
           "detect_s": marks.get("detect1", end) - marks.get("detect0", end),
           "words": transcript.word_count(), "findings": findings,
           "text": " ".join(s.text for s in transcript.segments), "peak_mb": rss_mb()[1],
           "models_mb": models_mb}
    if profiler:
        import io
        import pstats

        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(20)
        out["profile"] = buf.getvalue()
    return out


def run_worker(*args: str) -> dict:
    return _run_worker(__file__, *args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--model", default=None, help="default: the app's default model")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="0: the cores this process has")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "anonyscribe-bench")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        kind, path, model, threads, *rest = args.worker
        if kind.startswith("raw"):
            result = worker_raw(Path(path), model, int(threads), kind == "raw-samples")
        else:
            result = worker_app(Path(path), model, int(threads), bool(rest and rest[0] == "1"))
        print(json.dumps(result))
        return 0

    from anonyscribe.transcribe.models import DEFAULT_MODEL
    from anonyscribe.transcribe.runner import default_threads

    model = args.model or DEFAULT_MODEL
    threads = args.threads or default_threads()
    path = build_recording(args.workdir / f"long-{args.minutes:g}min.m4a", args.minutes * 60)
    audio_s = args.minutes * 60
    print(f"{args.minutes:g} min of real speech ({source_clips()[0].parent}), model {model}, "
          f"{threads} CPU threads, best of {args.repeat}\n")
    best: dict[str, dict] = {}
    for i in range(max(1, args.repeat)):
        for kind in ("raw", "app"):
            profile = "1" if args.profile and kind == "app" and i == 0 else "0"
            r = run_worker(kind, str(path), model, str(threads), profile)
            print(f"run {i + 1} {kind}: transcription {r['transcribe_s']:.1f} s"
                  + (f", detect {r['detect_s']:.1f} s" if kind == "app" else ""), flush=True)
            if profile == "1":
                print(r["profile"])
            if kind not in best or r["transcribe_s"] < best[kind]["transcribe_s"]:
                best[kind] = r
    same = run_worker("raw-samples", str(path), model, str(threads), "0")
    raw, app = best["raw"], best["app"]
    ratio = app["transcribe_s"] / raw["transcribe_s"]
    rtf = app["total_s"] / audio_s
    print(f"\n{'':<26}{'raw faster-whisper':>20}{'app':>12}")
    print(f"{'transcription s':<26}{raw['transcribe_s']:>20.1f}{app['transcribe_s']:>12.1f}")
    print(f"{'transcription RTF':<26}{raw['transcribe_s'] / audio_s:>20.3f}"
          f"{app['transcribe_s'] / audio_s:>12.3f}")
    print(f"{'peak memory MB':<26}{raw['peak_mb']:>20.0f}{app['peak_mb']:>12.0f}"
          f"  (app: {app['models_mb']:.0f} MB after loading the model and the detector)")
    print(f"{'same text as raw':<26}{'':>20}{'yes' if raw['text'] == app['text'] else 'no':>12}"
          "  (different decoders: FFmpeg via faster-whisper vs the app's)")
    print(f"{'same text, same samples':<26}{'':>20}"
          f"{'yes' if same['text'] == app['text'] else 'NO':>12}"
          "  (raw faster-whisper fed the app's decoded audio)")
    print(f"\napp / raw transcription time = {ratio:.3f} (target <= 1.05): "
          f"{'OK' if ratio <= 1.05 else 'OVER'}")
    print(f"detection: {app['words']} words, {app['findings']} findings in {app['detect_s']:.2f} "
          f"s = {app['words'] / max(app['detect_s'], 1e-9):.0f} words/s")
    print(f"whole pipeline: {app['total_s']:.1f} s for {args.minutes:g} min, RTF {rtf:.3f}; "
          f"1 hour would take about {rtf * 60:.0f} min (extrapolated)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
