"""What went wrong with one recording, in words a researcher can act on.

One classification for the batch, ``anonyscribe export`` and the app alike, chosen by the
error's type (never by its text): the message to save and show, the same without the
recording's name (for a row that names it already), and whether it is a bug to report rather
than a bad file.
"""

from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass
from pathlib import Path

from .core.files import TEMP_PREFIX, CorruptFileError
from .core.layout import LayoutError
from .core.textfile import TextFileError
from .export.common import ExportError
from .export.leakcheck import LeakError
from .media import MediaError

# A file of the study named in the error: the researcher is told which recording it was.
_NAMES_A_STUDY_FILE = (CorruptFileError, LayoutError, LeakError, ExportError, TextFileError)


@dataclass(frozen=True)
class Failure:
    """One recording's failure as the researcher sees it."""

    message: str  # names the recording (saved as ``RecordingEntry.error``; printed)
    detail: str  # the same without the recording's name
    is_bug: bool = False  # an error of ours, not of the file: keep the traceback for a report


def classify(exc: BaseException, path: Path) -> Failure:
    """The failure of recording ``path`` (its name is what the researcher knows) by ``exc``."""
    name = Path(path).name
    if isinstance(exc, MediaError):  # its message already names the recording
        return Failure(str(exc), exc.detail)
    if isinstance(exc, _NAMES_A_STUDY_FILE):
        return _named(name, str(exc))
    if isinstance(exc, OSError):
        return _named(name, _os_detail(path, exc))
    return _named(name, f"unexpected problem ({type(exc).__name__}: {exc}). The other "
                  "recordings are not affected; please report this with the message.",
                  is_bug=True)


def _named(name: str, detail: str, is_bug: bool = False) -> Failure:
    return Failure(f"{name}: {detail}", detail, is_bug)


def os_message(path: Path, exc: OSError) -> str:
    """An operating-system error while doing ``path``, by its number and the file it names."""
    return f"{Path(path).name}: {_os_detail(path, exc)}"


def _os_detail(path: Path, exc: OSError) -> str:
    named = os.fsdecode(exc.filename) if exc.filename else ""
    reading = bool(named) and _same_file(named, path)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (f"the disk is full (writing {_where(named, path)}). Free some space and run "
                "the batch again; finished recordings will not be redone.")
    if exc.errno in (errno.EACCES, errno.EPERM) and reading:
        return ("you do not have permission to read this recording. Copy it to a folder of "
                "your own or ask its owner for access, then run the batch again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"permission denied writing {_where(named, path)}. Choose a folder you can write to."
    if exc.errno == errno.ENOENT:
        return f"the file disappeared ({named or path}). Put it back and run the batch again."
    return f"{exc.strerror or exc} ({named or path})."


def _same_file(named: str, path: Path) -> bool:
    with contextlib.suppress(OSError):
        return Path(named).resolve() == Path(path).resolve()
    return False


def _where(named: str, path: Path) -> str:
    """The file an error names, or its folder when it is one of our temporaries."""
    if not named:
        return f"in {Path(path).parent}"
    p = Path(named)
    return f"in {p.parent}" if p.name.startswith(TEMP_PREFIX) else str(p)
