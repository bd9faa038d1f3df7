"""Where the app's data files are: ``resources/`` in the source tree or inside a frozen app."""

from __future__ import annotations

import gzip
import os
import sys
from pathlib import Path

RESOURCES_ENV = "ANONYSCRIBE_RESOURCES"


def resources_dir() -> Path:
    """The ``resources`` folder: the env override, then the frozen bundle, then the source tree."""
    env = os.environ.get(RESOURCES_ENV)
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def read_list(path: Path) -> tuple[str, ...]:
    """The entries of a word-list file (plain or .gz; one per line; ``#`` starts a comment)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return tuple(line.strip() for line in fh if line.strip() and not line.startswith("#"))
