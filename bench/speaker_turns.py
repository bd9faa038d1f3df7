"""Same speaker turns, fewer model calls? The diarizer alone on the dev parts, turns saved and
compared with an earlier run, beside DER, model calls and CPU seconds per stage.

A speed change to the speaker stage must keep dev's speaker results: the turns identical run
by run, or DER not worse. This runs every dev case the way ``bench/diarization.py`` does (the
shared clips automatic, own count and 2 voices; the dev, dev3 and dev4 conversations automatic
and 2 voices: 86 runs, as two clips' own count is 2), writes the turns to JSON (``--save``) and
compares them with an earlier file (``--compare``): identical runs, mean DER per group, model
calls and CPU-s. Held-out parts (``--parts heldout heldout2 heldout3``) print the mean DER
table and how many runs kept their turns, never a clip's name, turns or DER.

    python bench/speaker_turns.py --save before.json
    python bench/speaker_turns.py --compare before.json [--set sparse_prints=false]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "desktop"))

from diarization import CLIPS, MEETINGS, SHARED, conversation_clips  # noqa: E402

DEV_PARTS = ("clips", "dev", "dev3", "dev4")


def cases(parts: list[str]) -> list[tuple[str, Path, Path, list[int | None]]]:
    """(group, audio, rttm, speaker counts to run) per case: real meetings automatic, their own
    count and 2; conversations automatic and 2."""
    from anonyscribe.speakers.der import read_rttm

    out = []
    for part in parts:
        meetings = CLIPS if part == "clips" else [] if part == "dev" else MEETINGS.get(part, [])
        for c in meetings:
            rttm = SHARED / f"{c}.rttm"
            own = len({t.speaker for t in read_rttm(rttm)})
            out.append((part, SHARED / f"{c}.wav", rttm, [None, *sorted({own, 2})]))
        if part != "clips":
            out += [(part, c, c.with_suffix(".rttm"), [None, 2]) for c in conversation_clips(part)]
    return out


def settings_from(pairs: list[str]):  # noqa: ANN201 - DiarizeSettings, imported lazily
    """``DiarizeSettings`` with ``name=value`` overrides (bool, int, float as the field)."""
    from anonyscribe.speakers.diarize import DiarizeSettings

    s = DiarizeSettings()
    for pair in pairs:
        name, value = pair.split("=", 1)
        old = getattr(s, name)
        setattr(s, name, value.lower() in ("1", "true", "yes") if isinstance(old, bool)
                else type(old)(value))
    return s


def run(parts: list[str], overrides: list[str]) -> dict:
    from anonyscribe.media import decode
    from anonyscribe.speakers.der import diarization_error, read_rttm
    from anonyscribe.speakers.diarize import Diarizer

    d = Diarizer(settings_from(overrides))
    d(decode(SHARED / f"{CLIPS[0]}.wav")[:16000 * 5], 2)  # warm
    runs = {}
    for group, audio_path, rttm, counts in cases(parts):
        audio, ref = decode(audio_path), read_rttm(rttm)
        for k in counts:
            c0 = time.process_time()
            hyp = d(audio, num_speakers=k)
            cpu = time.process_time() - c0
            e = diarization_error(ref, hyp.all_turns)
            runs[f"{group}/{audio_path.stem}/{k or 'auto'}"] = {
                "group": group, "k": k or "auto", "der": e.der, "cpu": cpu,
                "stages": dict(d.cpu_timings), "calls": {s: list(v) for s, v in d.calls.items()},
                "turns": [[t.start, t.end, t.speaker] for t in hyp.all_turns]}
    return runs


def summary(runs: dict, label: str, per_clip: bool) -> None:
    groups: dict[tuple, list[dict]] = {}
    for r in runs.values():
        groups.setdefault((r["group"], str(r["k"]) if r["k"] in ("auto", 2) else "own"),
                          []).append(r)
    print(f"-- {label}")
    for (g, k), rs in sorted(groups.items()):
        calls = [sum(r["calls"].get(s, [0, 0])[0] for r in rs) for s in ("segmentation", "prints")]
        der = 100 * sum(r["der"] for r in rs) / len(rs)
        print(f"{g:8s} {k:5s} n={len(rs):2d}  mean DER {der:6.2f} %" + (
                  f"  CPU {sum(r['cpu'] for r in rs):6.1f} s (segmentation "
                  f"{sum(r['stages'].get('segmentation', 0) for r in rs):5.1f}, embeddings "
                  f"{sum(r['stages'].get('embeddings', 0) for r in rs):5.1f})  calls "
                  f"{calls[0]} chunks, {calls[1]} prints" if per_clip else ""))
    if per_clip:
        total = sum(r["cpu"] for r in runs.values())
        emb = sum(r["stages"].get("embeddings", 0) for r in runs.values())
        seg = sum(r["stages"].get("segmentation", 0) for r in runs.values())
        print(f"all    n={len(runs)}  CPU {total:.1f} s (segmentation {seg:.1f}, embeddings "
              f"{emb:.1f}); load average {os.getloadavg()[0]:.1f}")


def compare(now: dict, before: dict, per_clip: bool) -> None:
    same = [key for key in now if key in before and now[key]["turns"] == before[key]["turns"]]
    print(f"identical turns in {len(same)} of {len(now)} runs")
    for key in now if per_clip else []:
        if key in before and key not in same:
            print(f"  differs: {key}  DER {100 * before[key]['der']:.2f} -> "
                  f"{100 * now[key]['der']:.2f} %")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parts", nargs="+", default=list(DEV_PARTS),
                    help="clips, dev, dev3, dev4 (tuned on); heldout, heldout2, heldout3: DER only")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                    help="DiarizeSettings overrides")
    args = ap.parse_args()
    held = any(p.startswith("heldout") for p in args.parts)
    runs = run(args.parts, args.set)
    if args.compare:
        before = json.loads(args.compare.read_text())
        summary(before, f"before ({args.compare.name})", not held)
        summary(runs, "now", not held)
        compare(runs, before, not held)
    else:
        summary(runs, "now", not held)
    if args.save:
        args.save.write_text(json.dumps(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
