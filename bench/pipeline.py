"""The whole app path vs raw faster-whisper, stage by stage, side by side in one run.

A recording of ``--minutes`` of real speech (default 10; the shared clips with pauses, encoded
as AAC 48 kHz mono like a Teams audio export) goes through:

* raw: ``faster_whisper.WhisperModel.transcribe(path, **the app's settings)``, segments consumed
  (faster-whisper decodes the file itself): recognition alone, the yardstick;
* app: ``processing.process_recording`` exactly as the batch and the GUI run it (our decoder, the
  model in a worker thread, progress, speakers with the app's default method, detection,
  saving).

Each stage is timed inside the run: decode and voice detection (VAD) by wrapping the
functions that do them (calls counted, so a second decode shows), recognition as the rest of
transcription, speakers, detection and saving from the app's progress reports. Printed: the
stages of both, then the CPU seconds of each stage (every thread; on a shared machine wall times
swing with the neighbours' load, CPU seconds much less), whole app / raw recognition (target
<= 1.15), the app's real-time factor
(target <= 0.10 on 2 cores with the default model), detection words/s, peak memory, and what
an hour would take.

Each run is a fresh process, so its peak memory is its own; raw and app alternate
(``--repeat``) so a busy neighbour on a shared machine slows both alike, and the best time of
each is kept. ``--profile`` adds a cProfile of the app run; ``--same-samples`` also runs raw
faster-whisper on the app's decoded audio, to show the app changes nothing but the decoder.
Restrict cores with ``taskset -c 0,1 python bench/pipeline.py ...`` for the 2-core figure.

    python bench/pipeline.py [--minutes 10] [--model base] [--repeat 1] [--threads 0]
                             [--speakers auto] [--speaker-runtime onnx|torch] [--profile]
                             [--same-samples] [--raw-unseeded] [--save FILE] [--workdir DIR]

Words: raw's and the app's (as recognised, and as saved after the speaker stage), the app's
word error rate against raw's with the first places they differ, and both against the shared
clips' references (``bench/words.py``; the mix only). Both sample with the app's seed
(``--raw-unseeded`` leaves raw's sampler to chance, as before session 15).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "desktop"))

import numpy as np  # noqa: E402

from conversations import add_noise, converse, encode_aac, real_voice  # noqa: E402
from long_recording import Placed, build_recording, layout, rss_mb, source_clips  # noqa: E402
from words import differences, errors, reference_errors, scored  # noqa: E402
from worker import run_worker as _run_worker  # noqa: E402 - bench/ is on sys.path

STAGES = ("decode", "vad", "recognition", "speakers", "detection", "saving")


class Stopwatch:
    """Seconds and calls per wrapped function, each call stamped (start, end)."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[float, float]]] = {}

    def wrap(self, owner: object, attr: str, name: str) -> None:
        inner = getattr(owner, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.calls.setdefault(name, []).append((t0, time.perf_counter()))

        setattr(owner, attr, timed)

    def seconds(self, name: str, lo: float = float("-inf"), hi: float = float("inf")) -> float:
        """Time spent in ``name`` by calls that started within [lo, hi)."""
        return sum(b - a for a, b in self.calls.get(name, []) if lo <= a < hi)

    def count(self, name: str) -> int:
        return len(self.calls.get(name, []))


def _watch_whisper(watch: Stopwatch) -> None:
    """faster-whisper's own decode and VAD, as ``WhisperModel.transcribe`` calls them."""
    import faster_whisper.transcribe as fwt

    watch.wrap(fwt, "decode_audio", "decode")
    watch.wrap(fwt, "get_speech_timestamps", "vad")


def worker_raw(path: Path, model: str, threads: int, same_samples: bool,
               seeded: bool = True, app_features: bool = False) -> dict:
    """faster-whisper alone; ``same_samples`` feeds it the app's decoded audio instead of the
    file, to show that the app changes nothing but the decoder. ``seeded``: its sampler (the
    temperature fallback) seeded as the app seeds it, so the two may write the same words.
    ``app_features``: with the app's blocked feature extractor (``transcribe/features.py``),
    whose log-mel features differ from faster-whisper's own by one float32 rounding step in
    a few of every thousand values (OpenBLAS rounds a product of a minute's block of frames
    differently from one of the whole recording), to tell that apart from anything else."""
    import ctranslate2
    from faster_whisper import WhisperModel

    from anonyscribe.media import decode
    from anonyscribe.transcribe.models import resolve_model
    from anonyscribe.transcribe.runner import SAMPLING_SEED, decode_options, default_threads

    if seeded:
        ctranslate2.set_random_seed(SAMPLING_SEED)
    whisper = WhisperModel(str(resolve_model(model)), device="cpu", compute_type="int8",
                           cpu_threads=threads or default_threads())
    if app_features:
        from anonyscribe.transcribe.features import install

        install(whisper)
    options = decode_options("en", [], 5)
    watch = Stopwatch()
    _watch_whisper(watch)
    t0, c0 = time.perf_counter(), time.process_time()
    source = decode(path) if same_samples else str(path)
    ours = time.perf_counter() - t0  # the app's decoder, with --same-samples
    segments, _ = whisper.transcribe(source, **options)
    segments = list(segments)
    text = [s.text.strip() for s in segments]
    took = time.perf_counter() - t0
    stages = {"decode": watch.seconds("decode") + ours, "vad": watch.seconds("vad")}
    stages["recognition"] = took - stages["decode"] - stages["vad"]
    timed = [t for s in segments if s.text.strip() for t in _timed(s)]
    return {"total_s": took, "stages": stages, "text": " ".join(t for t in text if t),
            "word_list": [w for w, _, _ in timed], "timed": timed,
            "sampled": _sampled(segments),
            "cpu": {"transcription": time.process_time() - c0}, "peak_mb": rss_mb()[1]}


def _timed(segment: Any) -> list[tuple[str, float, float]]:
    """A faster-whisper segment's words, stripped, with their times."""
    return [(w.word.strip(), float(w.start), float(w.end)) for w in segment.words or []
            if w.word.strip()]


def _sampled(segments: list[Any]) -> list[tuple[float, float, float]]:
    """(start, end, temperature) of the segments faster-whisper wrote by sampling (its
    fallback when greedy decoding looked poor): where an unseeded sampler may write other
    words from one run to the next."""
    return [(float(s.start), float(s.end), float(s.temperature)) for s in segments
            if s.temperature]


def _recognised(runner: Any, into: list[Any]) -> None:
    """Keep every segment the app's recogniser hands to ``runner._convert``: the words as
    recognised, before the speaker stage and the markers of speech without words."""
    inner = runner._convert

    def convert(raw: Any, *args: Any) -> Any:
        into.append(raw)
        return inner(raw, *args)

    runner._convert = convert


def worker_app(path: Path, model: str, threads: int, speakers: str, profile: bool,
               runtime: str = "onnx") -> dict:
    import anonyscribe.media as media
    import anonyscribe.transcribe.runner as runner
    from anonyscribe.core.study import Study
    from anonyscribe.processing import Engines, process_recording
    from anonyscribe.transcribe.features import install
    from anonyscribe.transcribe.runner import Transcriber, default_threads

    engines = Engines(model=model, speakers=speakers)
    if threads and threads != default_threads():  # the app always uses every core it has
        engines._transcriber = Transcriber(model, language="en", cpu_threads=threads)
        install(engines._transcriber.whisper)  # as Engines.transcriber does
    engines.transcriber  # noqa: B018 - the app's own construction
    engines.detector  # noqa: B018 - loaded once per batch, outside the timing
    _warm_speakers(speakers, runtime)
    models_mb = rss_mb()[0]
    watch = Stopwatch()
    _watch_whisper(watch)
    watch.wrap(media, "decode", "decode")  # what the speaker stage would import
    watch.wrap(runner, "decode", "decode")  # the name the transcriber calls
    recognised: list[Any] = []
    _recognised(runner, recognised)
    marks: dict[str, float] = {}
    cpu: dict[str, float] = {}  # process CPU seconds (all threads) at the same marks

    def progress(stage: str, fraction: float) -> None:
        now, used = time.perf_counter(), time.process_time()
        if f"{stage}0" not in marks:
            marks[f"{stage}0"], cpu[f"{stage}0"] = now, used
        marks[f"{stage}1"], cpu[f"{stage}1"] = now, used

    profiler = _profiler(profile)
    with tempfile.TemporaryDirectory() as tmp, Study.open(Path(tmp) / "study") as study:
        entry = study.add_recording(path)
        t0, c0 = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        process_recording(study, entry, engines, progress)
        if profiler:
            profiler.disable()
        end, c1 = time.perf_counter(), time.process_time()
        transcript = study.load_transcript(entry.id)
        findings = len(study.load_findings(entry.id))
    out = {"total_s": end - t0,
           "stages": app_stages(marks, watch, t0, end),
           "cpu": app_cpu(cpu, c0, c1),
           "decodes": watch.count("decode"), "vads": watch.count("vad"),
           "speaker_method": _speaker_method(transcript),
           "diarizer": _diarizer_timings(),
           "words": transcript.word_count(), "findings": findings,
           "text": " ".join(s.text for s in transcript.segments),
           "word_list": [w.text for s in transcript.segments for w in s.words],
           "timed": [(w.text, w.start, w.end) for s in transcript.segments for w in s.words],
           "recognised": [w for w, _, _ in
                          (t for s in recognised if s.text.strip() for t in _timed(s))],
           "sampled": _sampled(recognised),
           "peak_mb": rss_mb()[1],
           "models_mb": models_mb}
    if profiler:
        out["profile"] = _profile_text(profiler)
    return out


def app_stages(marks: dict[str, float], watch: Stopwatch, t0: float,
               end: float) -> dict[str, float]:
    """Seconds per stage; they add up to the whole run (saving takes what is left)."""
    trans0 = marks.get("transcribe0", t0)
    spk0, spk1 = marks.get("speakers0"), marks.get("speakers1")
    det0, det1 = marks.get("detect0"), marks.get("detect1")
    trans1 = spk0 or det0 or end
    decode_in_trans = watch.seconds("decode", trans0, trans1)
    vad = watch.seconds("vad", trans0, trans1)
    stages = {"decode": watch.seconds("decode"), "vad": vad,
              "recognition": trans1 - trans0 - decode_in_trans - vad}
    if spk0 is not None and spk1 is not None:
        stages["speakers"] = spk1 - spk0 - watch.seconds("decode", spk0, spk1)
    else:
        stages["speakers"] = 0.0
    stages["detection"] = (det1 - det0) if det0 is not None and det1 is not None else 0.0
    stages["saving"] = (end - t0) - sum(stages.values())
    return stages


def app_cpu(cpu: dict[str, float], c0: float, c1: float) -> dict[str, float]:
    """CPU seconds per stage (stages run one after another, so the process's CPU time between
    two marks is that stage's, on every thread): transcription is decode + VAD + recognition."""
    spk0, spk1 = cpu.get("speakers0"), cpu.get("speakers1")
    det0, det1 = cpu.get("detect0"), cpu.get("detect1")
    out = {"transcription": (spk0 or det0 or c1) - cpu.get("transcribe0", c0)}
    out["speakers"] = spk1 - spk0 if spk0 is not None and spk1 is not None else 0.0
    out["detection"] = det1 - det0 if det0 is not None and det1 is not None else 0.0
    out["saving"] = (c1 - c0) - sum(out.values())
    return out


def _warm_speakers(method: str, runtime: str) -> None:
    """Load the diarizer's models (and open their ONNX Runtime sessions, exporting them on the
    machine's first run) outside the timing, as a batch does once; ``runtime``: what runs the
    models ("onnx" as the app, or "torch" to compare)."""
    if method not in ("auto", "diarize"):
        return
    from anonyscribe.speakers import diarization_available

    if diarization_available():
        from anonyscribe.speakers import diarize

        diarize._shared = diarize.Diarizer(diarize.DiarizeSettings(runtime=runtime))


def _speaker_method(transcript: Any) -> str:
    n = len({s.speaker for s in transcript.segments})
    return f"{n} speaker(s), {len(transcript.speaker_times)} timeline entries"


def _diarizer_timings() -> dict[str, Any]:
    """The diarizer's wall and CPU seconds per stage and its model calls (run / dense)."""
    try:
        from anonyscribe.speakers import diarize
    except ImportError:
        return {}
    shared = getattr(diarize, "_shared", None)
    if shared is None:
        return {}
    return {"wall": dict(shared.timings), "cpu": dict(shared.cpu_timings),
            "calls": {k: list(v) for k, v in shared.calls.items()},
            "runtime": shared.runner.name, "why": shared.runner.why}


def _profiler(on: bool) -> Any:
    if not on:
        return None
    import cProfile

    return cProfile.Profile()


def _profile_text(profiler: Any) -> str:
    import io
    import pstats

    buf = io.StringIO()
    pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(20)
    return buf.getvalue()


def run_worker(*args: str) -> dict:
    return _run_worker(__file__, *args)


def _worker_main(argv: list[str]) -> int:
    kind, path, model, threads, *rest = argv
    if kind.startswith("raw"):
        result = worker_raw(Path(path), model, int(threads), kind == "raw-samples",
                            seeded=kind != "raw-unseeded", app_features=kind == "raw-features")
    else:
        result = worker_app(Path(path), model, int(threads), rest[0], rest[1] == "1", rest[2])
    print(json.dumps(result))
    return 0


def _best_runs(path: Path, model: str, threads: int, args: argparse.Namespace,
               say: Callable[[str], None]) -> dict[str, dict]:
    best: dict[str, dict] = {}
    for i in range(max(1, args.repeat)):
        raw = "raw-unseeded" if args.raw_unseeded else "raw"
        for key, kind in (("raw", raw), ("app", "app")):
            profile = "1" if args.profile and kind == "app" and i == 0 else "0"
            r = run_worker(kind, str(path), model, str(threads), args.speakers, profile,
                           args.speaker_runtime)
            say(f"run {i + 1} {kind}: {r['total_s']:.1f} s, {len(r['word_list'])} words")
            if profile == "1":
                say(r["profile"])
            if key not in best or r["total_s"] < best[key]["total_s"]:
                best[key] = r
    return best


def report(raw: dict, app: dict, audio_s: float, placed: list[Placed]) -> None:
    """Stages, CPU, memory, words and the ratios against their targets."""
    rec = raw["stages"]["recognition"] + raw["stages"]["vad"] + raw["stages"]["decode"]
    print(f"\n{'stage (s)':<22}{'raw faster-whisper':>20}{'app':>10}{'app/raw':>9}"
          f"{'share of app':>14}")
    for name in STAGES:
        r, a = raw["stages"].get(name), app["stages"].get(name, 0.0)
        ratio = f"{a / r:.2f}" if r else ""
        shown = f"{r:.1f}" if r is not None else "-"
        print(f"{name:<22}{shown:>20}{a:>10.1f}{ratio:>9}{a / app['total_s']:>14.0%}")
    print(f"{'whole':<22}{raw['total_s']:>20.1f}{app['total_s']:>10.1f}"
          f"{app['total_s'] / raw['total_s']:>9.2f}")
    cpu_report(raw, app, audio_s)
    print(f"\napp decodes the file {app['decodes']}x, runs faster-whisper's VAD "
          f"{app['vads']}x; speakers: {app['speaker_method']}")
    if app["diarizer"]:
        d = app["diarizer"]
        print(f"diarizer models on {d['runtime']}{' (' + d['why'] + ')' if d['why'] else ''}"
              "; stages, wall / CPU s: " + ", ".join(
            f"{k} {v:.1f} / {d['cpu'].get(k, 0.0):.1f}" for k, v in d["wall"].items())
            + "; model inputs run / dense: " + ", ".join(
            f"{k} {a}/{b}" for k, (a, b) in d["calls"].items()))
    print(f"peak memory MB: raw {raw['peak_mb']:.0f}, app {app['peak_mb']:.0f} "
          f"(app: {app['models_mb']:.0f} MB after loading the models)")
    words_report(raw, app, placed)
    whole = app["total_s"] / rec
    rtf = app["total_s"] / audio_s
    print(f"\nwhole app pipeline / raw recognition = {whole:.2f} (target <= 1.15): "
          f"{'OK' if whole <= 1.15 else 'OVER'}")
    print(f"app transcription (decode+VAD+recognition) / raw = "
          f"{sum(app['stages'][k] for k in STAGES[:3]) / rec:.2f}")
    print(f"RTF: raw {rec / audio_s:.3f}, app {rtf:.3f} (target <= 0.10): "
          f"{'OK' if rtf <= 0.10 else 'OVER'}; 1 hour would take about {rtf * 60:.0f} min "
          "(extrapolated)")
    det = app["stages"]["detection"]
    print(f"detection: {app['words']} words, {app['findings']} findings in {det:.2f} s = "
          f"{app['words'] / max(det, 1e-9):,.0f} words/s")


def words_report(raw: dict, app: dict, placed: list[Placed]) -> None:
    """Does the app keep every word raw faster-whisper writes? Words as recognised and in the
    saved transcript (the speaker stage may cut a segment where the voice changes and speech
    without words gets a marker segment: the joined text changes, no word should), the app's
    word error rate against raw's, and both against the clips' references where they have
    one; segments written by sampling (faster-whisper's temperature fallback) are where an
    unseeded sampler writes other words from run to run."""
    print(f"words: raw {len(raw['word_list'])}, app as recognised {len(app['recognised'])}, "
          f"app saved {len(app['word_list'])}; same words as raw: "
          f"{'yes' if raw['word_list'] == app['word_list'] else 'NO'}; saved = recognised: "
          f"{'yes' if app['recognised'] == app['word_list'] else 'NO'}")
    print(f"segments written by sampling (start s, temperature): raw "
          f"{_sampled_text(raw['sampled'])}; app {_sampled_text(app['sampled'])}")
    print(f"app against raw: {errors(scored_words(raw['timed']), scored_words(app['timed']))}")
    for line in differences(raw["timed"], app["timed"], placed):
        print(f"  raw -> app at {line}")
    if placed:
        refs = sum(1 for p in placed if p.clip.with_suffix(".txt").is_file())
        print(f"WER against the references ({refs} referenced clips of {len(placed)}): "
              f"raw {reference_errors(raw['timed'], placed)}; "
              f"app {reference_errors(app['timed'], placed)}")


def scored_words(timed: list) -> list[str]:
    return [w for w, _, _ in scored(timed)]


def _sampled_text(sampled: list) -> str:
    if not sampled:
        return "none"
    return f"{len(sampled)}: " + ", ".join(f"{a:.0f} ({t:g})" for a, _, t in sampled[:6]) + (
        ", ..." if len(sampled) > 6 else "")


def cpu_report(raw: dict, app: dict, audio_s: float) -> None:
    """CPU seconds (all threads) per stage: on a shared machine wall times swing with the
    neighbours' load, CPU seconds much less."""
    rec = raw["cpu"]["transcription"]
    whole = sum(app["cpu"].values())
    print(f"\n{'CPU seconds':<22}{'raw faster-whisper':>20}{'app':>10}{'app/raw':>9}"
          f"{'CPU-s per audio s':>19}")
    for name, a in app["cpu"].items():
        r = rec if name == "transcription" else None
        ratio = f"{a / r:.2f}" if r else f"{a / rec:.2f}"
        print(f"{name:<22}{(f'{r:.1f}' if r else '-'):>20}{a:>10.1f}{ratio:>9}"
              f"{a / audio_s:>19.4f}")
    print(f"{'whole':<22}{rec:>20.1f}{whole:>10.1f}{whole / rec:>9.2f}{whole / audio_s:>19.4f}")


def interview_recording(workdir: Path, minutes: float) -> Path:
    """Two real voices (AMI headsets, one man, one woman) in an interview's turns, mild noise,
    AAC 64 kb/s: the recording the study default (2 speakers) is for."""
    path = workdir / f"interview-{minutes:g}min.m4a"
    if not path.exists():
        workdir.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(20)
        mix, _ = converse(real_voice("FEE013"), real_voice("MEO015"), rng, minutes=minutes)
        encode_aac(add_noise(mix, rng, 30.0), path, 64000)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--model", default=None, help="default: the app's default model")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="0: the cores this process has")
    parser.add_argument("--speakers", default="auto",
                        help="the app's speaker method (auto: the diarizer when installed)")
    parser.add_argument("--speaker-runtime", choices=("onnx", "torch"), default="onnx",
                        help="what runs the speaker models (the app: onnx, torch where the "
                             "export fails)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--raw-unseeded", action="store_true",
                        help="raw faster-whisper's sampler left unseeded (the app seeds its)")
    parser.add_argument("--same-samples", action="store_true",
                        help="also run raw faster-whisper on the app's decoded audio")
    parser.add_argument("--recording", choices=("mix", "interview"), default="mix",
                        help="mix: the shared clips back to back (many voices); interview: two "
                             "real AMI headset voices taking turns (bench/conversations.py)")
    parser.add_argument("--save", type=Path, default=None,
                        help="write both runs (stages, CPU, timed words) to this JSON file")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "anonyscribe-bench")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return _worker_main(args.worker)

    from anonyscribe.transcribe.models import DEFAULT_MODEL
    from anonyscribe.transcribe.runner import default_threads

    model = args.model or DEFAULT_MODEL
    threads = args.threads or default_threads()
    path = (interview_recording(args.workdir, args.minutes) if args.recording == "interview"
            else build_recording(args.workdir / f"long-{args.minutes:g}min.m4a",
                                 args.minutes * 60))
    audio_s = args.minutes * 60
    print(f"{args.minutes:g} min of real speech ({args.recording}, {source_clips()[0].parent}), "
          f"model {model}, "
          f"{threads} CPU threads, speakers {args.speakers}, best of {args.repeat}\n")
    best = _best_runs(path, model, threads, args, lambda s: print(s, flush=True))
    if args.save:
        args.save.write_text(json.dumps({k: {f: v for f, v in r.items() if f != "profile"}
                                         for k, r in best.items()}))
    placed = layout(audio_s) if args.recording == "mix" else []
    report(best["raw"], best["app"], audio_s, placed)
    if args.same_samples:
        same = run_worker("raw-samples", str(path), model, str(threads), args.speakers, "0",
                          args.speaker_runtime)
        print(f"same text, same samples: {'yes' if same['text'] == best['app']['text'] else 'NO'}"
              " (raw faster-whisper fed the app's decoded audio)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
