"""The one place that writes files: atomically, so nothing is ever half-written under a final name.

A crash or a full disk leaves either the old file or the new one, never a torn mix, and no
temporary file behind (temporaries carry a recognisable prefix so a later run can sweep them).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

TEMP_PREFIX = ".anonyscribe-tmp-"


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary beside ``path``; on success fsync and rename it over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    binary = "b" in mode
    try:
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else encoding,
                       newline=None if binary else "") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Give a temporary path for libraries that write by name (python-docx, zipfile, openpyxl)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def write_json(path: Path, data: Any) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=1))  # one write, not thousands


class CorruptFileError(ValueError):
    """A saved file could not be read back; the message names it and says what to do."""


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorruptFileError(
            f"{path} is damaged and cannot be read ({exc}). Restore it from a backup, "
            "or delete it to start this item again."
        ) from exc


def sweep_temporaries(folder: Path, recursive: bool = True, older_than: float = 0.0) -> int:
    """Remove temporaries left by a crash; returns how many were removed.

    ``older_than`` (seconds) spares fresh ones, for folders another process may be writing
    into right now (an output folder shared by two studies): no write takes that long.
    """
    import time

    folder = Path(folder)
    found = folder.rglob(f"{TEMP_PREFIX}*") if recursive else folder.glob(f"{TEMP_PREFIX}*")
    limit = time.time() - older_than
    n = 0
    with contextlib.suppress(OSError):  # the folder itself may be gone or unreadable
        for p in found:
            with contextlib.suppress(OSError):
                if older_than and p.stat().st_mtime > limit:
                    continue
                p.unlink()
                n += 1
    return n
