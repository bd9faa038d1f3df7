"""Where the app's data files are: ``resources/`` in the source tree or inside a frozen app."""

from __future__ import annotations

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
