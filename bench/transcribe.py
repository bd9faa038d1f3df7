"""Does the app's transcription path add overhead to faster-whisper? Side by side, one run.

For each clip, from the file on disk: (a) raw ``faster_whisper.WhisperModel.transcribe`` with
exactly the settings the app uses (``runner.decode_options``), segments consumed; (b) the app's
``Transcriber.transcribe`` (our decoder, progress callback, conversion to a ``Transcript``).
Runs alternate a/b per clip and the best of ``--repeat`` is kept, so a busy neighbour on a
shared machine hits both alike. Target: app / raw <= 1.05 in total. Both WERs are printed to
show the app loses nothing either.

Then the cancel latency: a one-minute recording is cancelled from another thread at several
moments; the time from ``cancel()`` to ``Cancelled`` is printed (target: about 2 s or less).

``--batched N`` instead compares sequential decoding (the app's) with faster-whisper's
``BatchedInferencePipeline`` at batch size N, same settings, on the referenced clips and on a
few minutes of them joined with pauses (``--batched-minutes``): words, WER, time, and the
seconds of speech that sequential decoding transcribed and batched decoding left without a
segment (dropped speech). Batched decoding is adopted only if WER is no worse and nothing is
dropped. Finding (base, 2 cores): it is not. The batched pipeline cuts speech at 160 ms
pauses, packs it into 30 s chunks and decodes each chunk once, without timestamps and at
temperature 0 only; when Whisper ends a chunk early the rest of it is never decoded (sequential
decoding seeks to the last timestamp and goes on). 3 minutes joined: 357 words sequential, 310
batched, 14 s of speech without a segment; with timestamps 1.3 s dropped and no faster.

    python bench/transcribe.py [--model tiny.en] [--repeat 3] [--threads 0] [--no-cancel]
    python bench/transcribe.py --batched 4 [--model base] [--batched-minutes 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from models import CLIPS, FIXTURES, SHARED_SPEECH, edit_distance, normalise, synthetic_clips  # noqa: E402


def _clips() -> list[tuple[Path, str | None]]:
    """(path, reference text or None): shared real speech, then the fixtures in every format."""
    out: list[tuple[Path, str | None]] = []
    if SHARED_SPEECH.is_dir():
        for name in CLIPS:
            path = SHARED_SPEECH / name
            out.append((path, path.with_suffix(".txt").read_text(encoding="utf-8")))
        out.append((SHARED_SPEECH / "pydub_format_test.m4a", None))
    refs = synthetic_clips()
    interview = refs["interview.wav"]
    for name in ("interview.wav", "interview.m4a", "interview.mp4"):
        out.append((FIXTURES / name, interview))
    for name in ("batch_1.m4a", "batch_2.mp3"):
        out.append((FIXTURES / name, refs[name]))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--no-cancel", action="store_true", help="skip the cancel latency runs")
    parser.add_argument("--batched", type=int, default=0, metavar="N",
                        help="compare BatchedInferencePipeline (batch size N) with sequential")
    parser.add_argument("--batched-minutes", type=float, default=3.0)
    args = parser.parse_args()
    if args.batched:
        return compare_batched(args.model, args.threads, args.batched, args.batched_minutes)

    from faster_whisper import WhisperModel

    from anonyscribe.media import probe
    from anonyscribe.transcribe.runner import Transcriber

    app = Transcriber(args.model, language="en", cpu_threads=args.threads)
    raw = WhisperModel(str(app.model_path), device="cpu", compute_type="int8",
                       cpu_threads=app.cpu_threads)
    options = app.options()
    print(f"model {args.model}, {app.cpu_threads} threads, best of {args.repeat}; "
          f"settings: {options}")

    def run_raw(path: Path) -> str:
        segments, _ = raw.transcribe(str(path), **options)
        return " ".join(s.text.strip() for s in segments)

    def run_app(path: Path) -> str:
        transcript = app.transcribe(path, progress=lambda f: None)
        return " ".join(s.text for s in transcript.segments)

    rows = []
    totals = {"raw": 0.0, "app": 0.0}
    errors = {"raw": 0, "app": 0}
    words = 0
    audio_total = 0.0
    for path, reference in _clips():
        best = {"raw": float("inf"), "app": float("inf")}
        text = {"raw": "", "app": ""}
        for _ in range(max(args.repeat, 1)):
            for key, fn in (("raw", run_raw), ("app", run_app)):
                t0 = time.perf_counter()
                text[key] = fn(path)
                best[key] = min(best[key], time.perf_counter() - t0)
        duration = probe(path).duration
        audio_total += duration
        for key in totals:
            totals[key] += best[key]
        wers = {"raw": "", "app": ""}
        if reference is not None:
            ref = normalise(reference)
            words += len(ref)
            for key in errors:
                e = edit_distance(ref, normalise(text[key]))
                errors[key] += e
                wers[key] = f"{e / len(ref):.1%}"
        rows.append((path.name, duration, best["raw"], best["app"], wers["raw"], wers["app"],
                     text["raw"] == text["app"]))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'clip':<{width}} {'audio s':>8} {'raw s':>7} {'app s':>7} {'app/raw':>8} "
          f"{'WER raw':>8} {'WER app':>8}  same text")
    for name, dur, t_raw, t_app, w_raw, w_app, same in rows:
        print(f"{name:<{width}} {dur:8.2f} {t_raw:7.3f} {t_app:7.3f} {t_app / t_raw:8.3f} "
              f"{w_raw:>8} {w_app:>8}  {'yes' if same else 'NO'}")
    ratio = totals["app"] / totals["raw"]
    print(f"{'TOTAL':<{width}} {audio_total:8.2f} {totals['raw']:7.3f} {totals['app']:7.3f} "
          f"{ratio:8.3f} {errors['raw'] / max(words, 1):8.1%} {errors['app'] / max(words, 1):8.1%}")
    print(f"\napp / raw time = {ratio:.3f} (target <= 1.05): {'OK' if ratio <= 1.05 else 'OVER'}")
    if not args.no_cancel:
        cancel_latency(app)
    return 0


def cancel_latency(app: object) -> None:
    """Seconds from ``cancel()`` (another thread) to ``Cancelled`` on a one-minute recording."""
    import numpy as np

    from anonyscribe.core.cancel import Cancelled, CancelToken
    from anonyscribe.media import decode

    sources = [SHARED_SPEECH / "pyannote_sample.wav", SHARED_SPEECH / "ami_EN2006b_0-30s.wav"]
    if not all(p.is_file() for p in sources):
        sources = [FIXTURES / "interview.wav"] * 15
    audio = np.concatenate([decode(p) for p in sources])
    latencies = []
    for delay in (0.5, 1.5, 2.5, 3.5):
        token = CancelToken()
        stamp: dict[str, float] = {}

        def stop(token: CancelToken = token, delay: float = delay,
                 stamp: dict[str, float] = stamp) -> None:
            time.sleep(delay)
            stamp["cancel"] = time.perf_counter()
            token.cancel()

        threading.Thread(target=stop, daemon=True).start()
        try:
            app.transcribe(audio, cancel=token)  # type: ignore[attr-defined]
            latencies.append(None)
        except Cancelled:
            latencies.append(time.perf_counter() - stamp["cancel"])
    shown = ", ".join("finished first" if x is None else f"{x:.2f} s" for x in latencies)
    print(f"cancel latency on {len(audio) / 16000:.0f} s of audio "
          f"(cancel at 0.5/1.5/2.5/3.5 s): {shown}")


def _dropped(seq: list, other: list) -> float:
    """Seconds inside sequential segments that no segment of ``other`` overlaps."""
    lost = 0.0
    for a in seq:
        covered = sum(max(0.0, min(a.end, b.end) - max(a.start, b.start)) for b in other)
        if a.end > a.start and covered == 0.0:
            lost += a.end - a.start
    return lost


def compare_batched(model: str, threads: int, batch_size: int, minutes: float) -> int:
    """Sequential vs batched decoding, same settings: words, WER, time, dropped speech."""
    from faster_whisper import BatchedInferencePipeline

    from anonyscribe.media import decode
    from anonyscribe.transcribe.runner import Transcriber
    from long_recording import build_recording

    app = Transcriber(model, language="en", cpu_threads=threads)
    options = app.options()
    batched = BatchedInferencePipeline(app.whisper)
    ways = {
        "sequential": lambda a: app.whisper.transcribe(a, **options),
        f"batched {batch_size}": lambda a: batched.transcribe(a, batch_size=batch_size,
                                                               **options),
        f"batched {batch_size} +timestamps": lambda a: batched.transcribe(
            a, batch_size=batch_size, without_timestamps=False, **options),
    }
    items = [(p, r) for p, r in _clips() if r is not None and p.parent == SHARED_SPEECH]
    joined = build_recording(Path(tempfile.gettempdir()) / "anonyscribe-bench"
                             / f"long-{minutes:g}min.m4a", minutes * 60)
    items.append((joined, None))
    print(f"model {model}, {app.cpu_threads} threads; settings {options}")
    totals = {k: {"words": 0, "errors": 0, "seconds": 0.0, "dropped": 0.0} for k in ways}
    ref_words = 0
    for path, reference in items:
        audio = decode(path)
        ref = normalise(reference) if reference else None
        ref_words += len(ref) if ref else 0
        seq_segments: list = []
        cells = []
        for key, run in ways.items():
            t0 = time.perf_counter()
            segments = list(run(audio)[0])
            took = time.perf_counter() - t0
            hyp = normalise(" ".join(s.text.strip() for s in segments))
            if key == "sequential":
                seq_segments = segments
            t = totals[key]
            t["words"] += len(hyp)
            t["seconds"] += took
            t["dropped"] += _dropped(seq_segments, segments)
            wer = ""
            if ref:
                e = edit_distance(ref, hyp)
                t["errors"] += e
                wer = f" WER {e / len(ref):.1%}"
            cells.append(f"{key}: {len(hyp)} w{wer} {took:.1f} s")
        print(f"{path.name}: " + " | ".join(cells), flush=True)
    print(f"\n{'decoding':<26}{'words':>7}{'WER (clips)':>13}{'seconds':>9}{'dropped s':>11}")
    for key, t in totals.items():
        print(f"{key:<26}{t['words']:>7}{t['errors'] / max(ref_words, 1):>13.1%}"
              f"{t['seconds']:>9.1f}{t['dropped']:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
