"""A big survey sheet through the app: read (streamed), detect, export, as the batch runs it.

Makes a Forms-style .xlsx of ``--rows`` responses (default 50,000; two free-text columns, one
answer in three naming someone and a trust) and times each stage of
``anonyscribe batch --auto`` on it: reading the sheet into answers, detection, and writing the
anonymised sheet and its .qdpx. Prints seconds per stage, answers per second and peak memory.

    python bench/sources.py [--rows 50000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))
sys.path.insert(0, str(HERE.parent / "tests"))

from make_sources import forms_xlsx  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    from anonyscribe.core.study import Study
    from anonyscribe.exporting import export_recording
    from anonyscribe.processing import Engines, accept_all, process_recording

    work = args.workdir or Path(tempfile.mkdtemp(prefix="anonyscribe-bench-sources-"))
    t0 = time.perf_counter()
    path = forms_xlsx(work / "big survey.xlsx", n=args.rows, write_only=True)
    made = time.perf_counter() - t0
    stages: dict[str, list[float]] = {}

    def progress(stage: str, fraction: float) -> None:
        stages.setdefault(stage, [time.perf_counter(), 0.0])[1] = time.perf_counter()

    engines = Engines(speakers="none")
    engines.detector  # noqa: B018 - load outside the timings
    with Study.open(work / "private") as study:
        entry = study.add_recording(path)
        t1 = time.perf_counter()
        process_recording(study, entry, engines, progress)
        processed = time.perf_counter() - t1
        findings = study.load_findings(entry.id)
        accept_all(findings)
        study.save_findings(entry.id, findings)
        answers = len(study.load_transcript(entry.id).segments)
        t2 = time.perf_counter()
        written = export_recording(study, entry.id, work / "out", [], engines.detector)
        exported = time.perf_counter() - t2
    for stage, (a, b) in stages.items():
        print(f"{stage:<10} {b - a:8.1f} s")
    print(f"rows {args.rows}, answers {answers}, findings {len(findings)}")
    print(f"make sheet {made:.1f} s; process {processed:.1f} s "
          f"({answers / processed:.0f} answers/s); export {exported:.1f} s "
          f"({', '.join(p.name for p in written)}); peak memory {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
