"""Shared by the benchmarks: one measurement in a fresh interpreter (peak memory is per process)."""

from __future__ import annotations

import json
import subprocess
import sys


def run_worker(script: str, *args: str) -> dict:
    """Run ``script --worker ARGS`` and return the JSON object on its last output line."""
    proc = subprocess.run([sys.executable, script, "--worker", *args], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])
