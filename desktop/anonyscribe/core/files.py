"""The one place that writes files: atomically, so nothing is ever half-written under a final name.

A crash or a full disk leaves either the old file or the new one, never a torn mix, and no
temporary file behind (temporaries carry a recognisable prefix so a later run can sweep them).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

TEMP_PREFIX = ".anonyscribe-tmp-"


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary beside ``path``; on success fsync and rename it over ``path``."""
    path = Path(path)
    with _failing_names(path):
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
        except BaseException as exc:
            _drop(tmp, exc)
            raise


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Give a temporary path for libraries that write by name (python-docx, zipfile, openpyxl)."""
    path = Path(path)
    with _failing_names(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
        os.close(fd)
        try:
            yield Path(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            _drop(tmp, exc)
            raise


class WriteError(OSError):
    """Writing a file failed (a full disk, no permission); ``filename`` is the file that was
    being written, never a temporary nor the recording it came from."""


@contextlib.contextmanager
def _failing_names(path: Path) -> Iterator[None]:
    """An OSError while writing ``path`` names ``path`` (the user's file, not our temporary;
    a write error from inside a library often names no file at all)."""
    try:
        yield
    except WriteError:
        raise
    except OSError as exc:
        named = os.fsdecode(exc.filename) if exc.filename else ""
        if named and not Path(named).name.startswith(TEMP_PREFIX) and Path(named) != path:
            raise  # about another file (a recording read for a .qdpx): it names that one
        raise WriteError(exc.errno, exc.strerror or str(exc), str(path)) from exc


def _drop(tmp: str | Path, exc: BaseException) -> None:
    """Delete a failed temporary, first letting go of what the failed write still holds.

    A library that fails halfway through writing a zip (python-docx, openpyxl on a full
    disk) leaves its ``ZipFile`` open in the traceback's frames; when those are freed later,
    ``ZipFile.__del__`` tries to finish the file, fails again and prints a traceback on the
    console. Freed here instead, with that second, expected failure kept quiet."""
    previous = sys.unraisablehook

    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, OSError):
            previous(unraisable)

    sys.unraisablehook = quiet
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = previous
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def move_into(tmp: Path, final: Path) -> None:
    """Rename a finished, checked ``tmp`` to ``final``, also across file systems (a study on
    the laptop, the output folder on a share): then it is copied beside ``final`` under a
    temporary name first, so ``final`` still appears whole or not at all."""
    try:
        os.replace(tmp, final)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    with atomic_open(final, "wb") as out, open(tmp, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
    os.unlink(tmp)


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


class NewerVersionError(CorruptFileError):
    """Saved by a newer Anonyscribe: this one must neither read nor rewrite it."""


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorruptFileError(
            f"{path} is damaged and cannot be read ({exc}). Restore it from a backup, "
            "or delete it to start this item again."
        ) from exc


REPAIR = "Restore it from a backup, or delete it to start this item again."


def read_document(path: Path, version: int, repair: str = REPAIR) -> dict[str, Any]:
    """One of our saved JSON objects, checked before anything reads a field of it.

    Refuses (``CorruptFileError``, naming the file and ``repair``) what is valid JSON of the
    wrong shape, and (``NewerVersionError``) what a newer release wrote, so that an older one
    never rewrites a newer file with what it understood of it."""
    data = read_json(path)
    if not isinstance(data, dict):
        raise CorruptFileError(
            f"{path} does not hold what Anonyscribe saved there (found "
            f"{_kind(data)} instead of a record). {repair}")
    found = data.get("schema_version", 1)
    if not isinstance(found, int) or isinstance(found, bool) or found < 1:
        raise CorruptFileError(f"{path} has no valid schema_version ({found!r}). {repair}")
    if found > version:
        raise NewerVersionError(
            f"{path} was made by a newer Anonyscribe (file format {found}; this version reads "
            f"up to {version}). Update Anonyscribe to open it; the file was left as it is.")
    return data


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {list: "a list", str: "a text", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def shape_error(path: Path, exc: Exception, repair: str = REPAIR) -> CorruptFileError:
    """The error for a record with a missing or wrongly typed field (``exc`` says which)."""
    return CorruptFileError(f"{path} does not hold what Anonyscribe saved there ({exc}). "
                            f"{repair}")


def sweep_temporaries(folder: Path, recursive: bool = True, older_than: float = 0.0) -> int:
    """Remove temporaries left by a crash; returns how many were removed.

    ``older_than`` (seconds) spares fresh ones, for folders another process may be writing
    into right now (an output folder shared by two studies): no write takes that long.
    """
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
