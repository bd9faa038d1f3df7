"""What this machine lets the process use: sized once here for the recogniser's threads and
the speaker models' workers alike."""

from __future__ import annotations

import os


def usable_cores(unknown: int) -> int:
    """The cores this process may use (its affinity where the system tells it, else the
    machine's count), ``unknown`` when neither is known."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or unknown
