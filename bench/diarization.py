"""Diarization quality, speed and memory, measured side by side in one run.

Run with the interpreter that has the optional diarizer (``pip install anonyscribe[diarize]``):

    /work/venv-diarize/bin/python bench/diarization.py            # everything (~15 min, 2 cores)
    /work/venv-diarize/bin/python bench/diarization.py --skip-2h  # without the 2-hour memory run
    /work/venv-diarize/bin/python bench/diarization.py --batch-only  # just batch -> .vtt DER

Prints DER (missed + false alarm + confusion, optimal speaker mapping, 0.25 s collar) for:
the real clips with RTTM in shared/data/speech (automatic and fixed speaker count, and a
one-speaker baseline through the same speech detection), two espeak-ng voices taking turns,
and a 25-minute mix of all of them (13 voices); then the end-to-end path the issue scores:
``anonyscribe batch <clips> --format vtt`` read back from the voice tags. Then speed (seconds
per audio second) as the best of 3 runs over 5 minutes (this machine's 2 cores are shared:
wall times of single runs swing several-fold with other load, so the load average is printed
beside them), and speed and peak memory of a 2-hour recording in a fresh process.

Targets (issue): 2-speaker clips <= 8 %, espeak voices <= 2 %, 25-min mix <= 25 %,
3-4-speaker meetings better than one speaker, <= 0.1 x real time, <= 1.5 GB for 2 hours.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "speech"
SR = 16000
CLIPS = ["pyannote_sample", "ami_ES2003a_0-30s", "ami_EN2006b_0-30s", "ami_EN2009b_0-30s"]
DIALOGUE = [
    ("en-gb+m3", "Thank you for agreeing to take part. Could you tell me about your role?"),
    ("en-us+f2", "Of course. I have worked as a community nurse for about eleven years now."),
    ("en-gb+m3", "What does a typical week look like for you and your team?"),
    ("en-us+f2", "Mostly home visits, some clinics, and far too much paperwork, honestly."),
    ("en-gb+m3", "How has that changed since the new referral system came in?"),
    ("en-us+f2", "The waiting lists are shorter, but each visit feels more rushed than before."),
    ("en-gb+m3", "Can you give me an example of a visit that felt rushed?"),
    ("en-us+f2", "Last winter I had twenty minutes with a patient who needed an hour."),
]


def espeak_dialogue(tmp: Path) -> tuple[np.ndarray, list]:
    """Two espeak-ng voices taking turns, with the true turns (speech trimmed by energy)."""
    from anonyscribe.media import decode
    from anonyscribe.speakers.turns import Turn

    parts, turns, t = [], [], 0.0
    gap = np.zeros(int(0.6 * SR), dtype=np.float32)
    for k, (voice, text) in enumerate(DIALOGUE):
        wav = tmp / f"u{k}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text], check=True)
        a = decode(wav)
        loud = np.flatnonzero(np.abs(a) > 0.01)
        a = a[loud[0]: loud[-1] + 1]
        turns.append(Turn(t, t + len(a) / SR, voice))
        parts += [a, gap]
        t += (len(a) + len(gap)) / SR
    return np.concatenate(parts), turns


def load_cases(tmp: Path) -> list[tuple[str, np.ndarray, list]]:
    from anonyscribe.media import decode
    from anonyscribe.speakers.der import read_rttm

    cases = [(c, decode(SHARED / f"{c}.wav"), read_rttm(SHARED / f"{c}.rttm")) for c in CLIPS]
    if shutil.which("espeak-ng"):
        audio, ref = espeak_dialogue(tmp)
        cases.append(("espeak_two_voices", audio, ref))
    else:
        print("espeak-ng not installed: skipping the synthetic two-voice case")
    return cases


def mix(cases: list[tuple[str, np.ndarray, list]], minutes: float,
        rng: np.random.Generator) -> tuple[np.ndarray, list]:
    """Cases one after another (gain varied per copy) until ``minutes`` long; speakers keep
    their identity across copies."""
    from anonyscribe.speakers.turns import Turn

    cycle = sum(len(a) for _, a, _ in cases)
    copies = int(np.ceil(minutes * 60 * SR / cycle))
    out = np.empty(copies * cycle, dtype=np.float32)  # filled in place: no second copy
    ref, n = [], 0
    for _ in range(copies):
        for name, audio, turns in cases:
            gain = float(10 ** (rng.uniform(-4, 2) / 20))
            np.clip(audio * gain, -1, 1, out=out[n: n + len(audio)])
            t = n / SR
            ref += [Turn(x.start + t, x.end + t, f"{name}:{x.speaker}") for x in turns]
            n += len(audio)
    return out, ref


def score(diarizer, audio: np.ndarray, ref: list, k: int | None):
    from anonyscribe.speakers.der import diarization_error

    t0, c0 = time.perf_counter(), time.process_time()
    hyp = diarizer(audio, num_speakers=k)
    took = time.perf_counter() - t0
    score.cpu = time.process_time() - c0  # type: ignore[attr-defined]
    return diarization_error(ref, hyp.all_turns), len(hyp.speakers), took


def row(name: str, e, found: int, true: int, extra: str = "") -> str:
    return (f"{name:24s} DER {100 * e.der:5.1f} %  (missed {100 * e.missed / e.total:4.1f}, "
            f"false alarm {100 * e.false_alarm / e.total:4.1f}, confusion "
            f"{100 * e.confusion / e.total:4.1f})  speakers {found}/{true}{extra}")


def child_two_hours() -> None:
    """In a fresh process: diarize a 2-hour recording; print seconds and peak RSS as JSON."""
    from anonyscribe.speakers.diarize import Diarizer

    with tempfile.TemporaryDirectory() as tmp:
        cases = load_cases(Path(tmp))
    audio, _ = mix(cases, 120, np.random.default_rng(1))
    del cases
    d = Diarizer()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    result = d(audio)
    took = time.perf_counter() - t0
    print(json.dumps({"seconds": took, "cpu": time.process_time() - c0, "audio_s": len(audio) / SR,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "before_mb": base / 1024, "speakers": len(result.speakers),
                      "timings": d.timings}))


def read_vtt_turns(path: Path) -> list:
    """Voice-tagged cues of an exported .vtt as turns (how the issue scores a batch)."""
    from anonyscribe.speakers.teams import parse_vtt
    from anonyscribe.speakers.turns import Turn

    return [Turn(c.start, c.end, c.speaker) for c in parse_vtt(path.read_text("utf-8"))]


def _batch_vtt(paths: list[Path], model: str, extra: list[str], out: Path):  # noqa: ANN202
    """Run ``anonyscribe batch --format vtt --auto`` on ``paths`` (this tree's code): the
    output folder, its study, recordings by file stem and the seconds it took; None (said
    why) when the batch failed."""
    from anonyscribe.core.layout import default_private
    from anonyscribe.core.study import Study

    t0 = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "desktop"))
    run = subprocess.run([sys.executable, "-m", "anonyscribe.cli", "batch",
                          *[str(p) for p in paths], "--out", str(out),
                          "--format", "vtt", "--auto", "--model", model, *extra],
                         capture_output=True, text=True, check=False, env=env)
    took = time.perf_counter() - t0
    if run.returncode != 0:
        print("batch failed:", run.stdout[-1500:], run.stderr[-1500:])
        return None
    study = Study.open(default_private(out), lock=False)
    return out, study, {Path(e.name).stem: e for e in study.recordings.values()}, took


def batch_section(model: str) -> None:
    """``anonyscribe batch <clips> --format vtt`` in a fresh process, scored from the voice
    tags, beside the same transcripts' cues from the words alone (no speaker timeline)."""
    from anonyscribe.export.subtitles import cues
    from anonyscribe.speakers.der import diarization_error, read_rttm
    from anonyscribe.speakers.turns import Turn

    print(f"\n== end to end: anonyscribe batch --format vtt --auto --model {model} ==")
    with tempfile.TemporaryDirectory() as tmp:
        ran = _batch_vtt([SHARED / f"{c}.wav" for c in CLIPS], model, [], Path(tmp) / "out")
        if ran is None:
            return
        out, study, by_name, took = ran
        for clip in CLIPS:
            entry = by_name[clip]
            ref = read_rttm(SHARED / f"{clip}.rttm")
            voiced = read_vtt_turns(out / f"{entry.export_stem}.vtt")
            e = diarization_error(ref, voiced)
            plain = study.load_transcript(entry.id)  # a fresh copy from disk
            plain.speaker_times = []
            w = diarization_error(ref, [Turn(c.start, c.end, c.speaker) for c in cues(plain)])
            one = diarization_error(ref, [Turn(t.start, t.end, "x") for t in ref])
            k = len({t.speaker for t in ref})
            print(row(f"{clip} (vtt)", e, len({t.speaker for t in voiced}),
                      k, f"  | words-only cues {100 * w.der:5.1f} % | one speaker, perfect "
                      f"speech {100 * one.der:5.1f} %"))
        print(f"batch of {len(CLIPS)} clips took {took:.0f} s in all (model load included)")


def conversation_clips(part: str) -> list[Path]:
    """Built (once, into .cache/) two-person conversations of one part: "dev" or "heldout"."""
    sys.path.insert(0, str(ROOT / "bench"))
    from conversations import CACHE, build

    return build(CACHE, [part])[part]


def direct_section(d, parts: list[str]) -> None:
    """The diarizer alone on decoded conversations: automatic, fixed 2, one speaker."""
    from anonyscribe.media import decode
    from anonyscribe.speakers.der import read_rttm

    for part in parts:
        print(f"\n== {part} conversations, diarizer alone: automatic | fixed 2 | one speaker ==")
        worst = 0.0
        for clip in conversation_clips(part):
            audio, ref = decode(clip), read_rttm(clip.with_suffix(".rttm"))
            e, found, _ = score(d, audio, ref, None)
            ef, found_f, _ = score(d, audio, ref, 2)
            e1, _, _ = score(d, audio, ref, 1)
            worst = max(worst, ef.der)
            print(row(clip.stem, e, found, 2, f"  | fixed {100 * ef.der:5.1f} % ({found_f})"
                      f" | one speaker {100 * e1.der:5.1f} %"))
        print(f"worst fixed-2 DER on {part}: {100 * worst:.1f} %")


MEETINGS = {"dev": CLIPS, "heldout": ["ami_ES2004a_750-810s"], "heldout2": [], "dev3": [],
            "heldout3": [], "dev4": [], "dev5": [], "dev6": [], "dev7": [], "heldout4": []}


def direct_meetings(d, parts: list[str]) -> None:
    """The real meeting clips, diarizer alone: automatic | their own count | interview (2)."""
    from anonyscribe.media import decode
    from anonyscribe.speakers.der import read_rttm

    for part in parts:
        print(f"\n== {part} real meetings, diarizer alone: automatic | own count | 2 | one ==")
        for clip in MEETINGS[part]:
            audio, ref = decode(SHARED / f"{clip}.wav"), read_rttm(SHARED / f"{clip}.rttm")
            k = len({t.speaker for t in ref})
            e, found, _ = score(d, audio, ref, None)
            ek, _, _ = score(d, audio, ref, k)
            e2, _, _ = score(d, audio, ref, 2)
            e1, _, _ = score(d, audio, ref, 1)
            print(row(clip, e, found, k, f"  | own {100 * ek.der:5.1f} % | 2: {100 * e2.der:5.1f}"
                      f" % | one speaker {100 * e1.der:5.1f} %"))


def batch_clips(clips: list[tuple[Path, Path]], model: str, extra: list[str],
                title: str) -> None:
    """``anonyscribe batch <clips> --auto --format vtt [extra]`` in a fresh process, scored
    from the .vtt voice tags beside the one-speaker baseline (perfect speech, one label)."""
    from anonyscribe.speakers.der import diarization_error, read_rttm
    from anonyscribe.speakers.turns import Turn

    print(f"\n== {title}: anonyscribe batch --auto --format vtt --model {model} "
          f"{' '.join(extra)} ==")
    with tempfile.TemporaryDirectory() as tmp:
        ran = _batch_vtt([a for a, _ in clips], model, extra, Path(tmp) / "out")
        if ran is None:
            return
        out, study, by_name, took = ran
        worst = 0.0
        for audio, rttm in clips:
            entry = by_name[audio.stem]
            ref = read_rttm(rttm)
            voiced = read_vtt_turns(out / f"{entry.export_stem}.vtt")
            e = diarization_error(ref, voiced)
            one = diarization_error(ref, [Turn(t.start, t.end, "x") for t in ref])
            worst = max(worst, e.der)
            print(row(f"{audio.stem}", e, len({t.speaker for t in voiced}),
                      len({t.speaker for t in ref}), f"  | one speaker {100 * one.der:5.1f} %"
                      f"{'  BETTER' if e.der < one.der else '  NOT BETTER'}"))
        print(f"worst DER {100 * worst:.1f} %; batch took {took:.0f} s (model load included)")


def batch_conversations(parts: list[str], model: str, extra: list[str]) -> None:
    """Conversations as interviews (the study default: 2 voices), then the real meetings
    with the count found from the audio (``--recordings other``)."""
    for part in parts:
        clips = [(c, c.with_suffix(".rttm")) for c in conversation_clips(part)]
        batch_clips(clips, model, extra, f"{part} conversations end to end")
        meetings = [(SHARED / f"{c}.wav", SHARED / f"{c}.rttm") for c in MEETINGS[part]]
        if meetings:
            batch_clips(meetings, model, ["--recordings", "other", *extra],
                        f"{part} real meetings end to end")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skip-2h", action="store_true", help="skip the 2-hour memory run")
    ap.add_argument("--child-2h", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--batch-only", action="store_true",
                    help="only the end-to-end batch -> .vtt section")
    ap.add_argument("--model", default="base", help="speech model for the batch section")
    ap.add_argument("--conversations",
                    choices=["dev", "heldout", "heldout2", "dev3", "heldout3", "dev4", "dev5",
                             "dev6", "dev7", "heldout4", "both"],
                    help="only the built two-person conversations (bench/conversations.py): "
                         "the diarizer alone, then end to end through batch")
    ap.add_argument("--direct-only", action="store_true",
                    help="with --conversations: the diarizer alone, no batch")
    ap.add_argument("--batch-conversations", action="store_true",
                    help="with --conversations: end to end through batch only (no diarizer-"
                         "alone section; per-clip diagnostics stay off held-out parts)")
    ap.add_argument("--batch-args", default="",
                    help="extra batch options for the conversations, e.g. '--recordings other'")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "desktop"))
    if args.child_2h:
        child_two_hours()
        return 0
    if not SHARED.is_dir():
        print(f"shared speech data not found at {SHARED}")
        return 1
    from anonyscribe.speakers import diarization_available
    from anonyscribe.speakers.diarize import Diarizer

    t0 = time.perf_counter()
    if not diarization_available():
        print("the diarizer is not installed here: pip install 'anonyscribe[diarize]'")
        return 1
    if args.batch_only:
        batch_section(args.model)
        return 0
    if args.conversations:
        parts = ["dev", "heldout"] if args.conversations == "both" else [args.conversations]
        if not args.batch_conversations:
            d = Diarizer()
            direct_section(d, parts)
            direct_meetings(d, parts)
        if not args.direct_only:
            batch_conversations(parts, args.model, args.batch_args.split())
        return 0
    d = Diarizer()
    print(f"torch imported and models loaded in {time.perf_counter() - t0:.1f} s; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
          "(wall times grow with other load; CPU-s do not)")
    with tempfile.TemporaryDirectory() as tmp:
        cases = load_cases(Path(tmp))

    print("\n== clips: automatic count | fixed count | one-speaker baseline ==")
    total_audio = total_time = total_cpu = 0.0
    for name, audio, ref in cases:
        k = len({t.speaker for t in ref})
        e, found, took = score(d, audio, ref, None)
        total_audio += len(audio) / SR
        total_time += took
        total_cpu += score.cpu  # type: ignore[attr-defined]
        ef, _, _ = score(d, audio, ref, k)
        e1, _, _ = score(d, audio, ref, 1)
        print(row(name, e, found, k,
                  f"  | fixed {100 * ef.der:5.1f} % | one speaker {100 * e1.der:5.1f} %"))
    print(f"clips speed: {total_time / total_audio:.3f} s per audio second (wall), "
          f"{total_cpu / total_audio:.3f} CPU-s per audio second")

    print("\n== 25-minute mix of all cases ==")
    audio, ref = mix(cases, 25, np.random.default_rng(0))
    k = len({t.speaker for t in ref})
    e, found, took = score(d, audio, ref, None)
    minutes = len(audio) / SR / 60
    cpu = score.cpu  # type: ignore[attr-defined]
    print(row(f"mix {minutes:.1f} min", e, found, k,
              f"  | {took / (len(audio) / SR):.3f} s (wall), {cpu / (len(audio) / SR):.3f} "
              "CPU-s per audio second"))
    print("   stage seconds: " + ", ".join(f"{s} {v:.1f}" for s, v in d.timings.items()))
    e1, _, _ = score(d, audio, ref, 1)
    print(row("mix, one-speaker baseline", e1, 1, k))

    print("\n== speed on a quiet machine: best of 3 runs over 5 minutes of the mix ==")
    excerpt = audio[: 5 * 60 * SR]
    best: tuple[float, dict] | None = None
    for _ in range(3):
        t0 = time.perf_counter()
        d(excerpt)
        took = time.perf_counter() - t0
        if best is None or took < best[0]:
            best = (took, dict(d.timings))
    assert best is not None
    print(f"best {best[0] / 300:.3f} s per audio second (load average "
          f"{os.getloadavg()[0]:.1f}); stages per audio second: "
          + ", ".join(f"{s} {v / 300:.3f}" for s, v in best[1].items()))

    batch_section(args.model)

    if not args.skip_2h:
        print("\n== 2-hour recording in a fresh process (speed, peak memory) ==")
        out = subprocess.run([sys.executable, __file__, "--child-2h"], capture_output=True,
                             text=True, check=False)
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        if out.returncode != 0 or not lines:
            print("2-hour run failed:", out.stderr[-2000:])
            return 1
        r = json.loads(lines[-1])
        print(f"2 h: {r['seconds']:.0f} s = {r['seconds'] / r['audio_s']:.3f} s per audio "
              f"second (wall), {r['cpu'] / r['audio_s']:.3f} CPU-s per audio second")
        print(f"     peak memory {r['peak_mb']:.0f} MB in all (peak before diarizing, while "
              f"the 2 h of audio was built and models loaded: {r['before_mb']:.0f} MB); "
              f"speakers {r['speakers']}/13")
        print("   stage seconds: " + ", ".join(f"{s} {v:.0f}" for s, v in r["timings"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
