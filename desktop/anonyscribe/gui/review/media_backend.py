"""Qt's media backend loaded from disk off the GUI thread, before a review first plays.

The review's player (``player.PlayerBar``) makes the app's first ``QMediaPlayer`` when a review
first opens. Qt then loads its media plugin, and with it FFmpeg's libraries and Qt Quick's
(about 40 MB of shared libraries), on the GUI thread: 0.34-0.47 s of silent window with the
files in the disk cache and two busy loops beside it, about 2 s under heavier load. Loading
the same files first on a plain thread leaves Qt a lookup of what is already loaded (the same
first player: 0.11-0.19 s, nearly all of it importing the Python module).

The thread calls the C library's own loader through ``ctypes`` as a foreign function: ctypes
lets go of Python's GIL around such a call, which Python's importer and ``ctypes.CDLL`` do
not, so the window keeps running while the files load. Nothing Qt is created here (Qt's
objects belong to the GUI thread); where a file cannot be loaded, Qt loads it later as before.
The first player waits for the thread (``wait``) before it imports Qt's media module, so the
system loader is never asked for the same files from two threads at once (it serialises
them under one lock, which is where a thread holding Python's GIL could wait on one that
runs a library's start-up code).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLibraryInfo

DEFAULT_BACKEND = "ffmpeg"  # Qt's own default on Linux, Windows and macOS since Qt 6.5
_WINDOWS_SEARCH = 0x1000 | 0x100  # LOAD_LIBRARY_SEARCH_DEFAULT_DIRS | ..._DLL_LOAD_DIR
# The longest the first player waits for the warm-up; past it Qt loads what is missing itself
WAIT_S = 30.0

_warming: threading.Thread | None = None  # the process's one warm-up (the files load once)


def module_file() -> Path | None:
    """PySide6's QtMultimedia module (its file; not imported), None where it is missing."""
    spec = importlib.util.find_spec("PySide6.QtMultimedia")
    return Path(spec.origin) if spec is not None and spec.origin else None


def plugin_files() -> list[Path]:
    """The media plugin of the backend Qt will choose (``QT_MEDIA_BACKEND``, else FFmpeg's)."""
    backend = os.environ.get("QT_MEDIA_BACKEND") or DEFAULT_BACKEND
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "multimedia"
    if not plugins.is_dir():
        return []
    return sorted(p for p in plugins.iterdir() if f"{backend}mediaplugin" in p.name)


def _native_loader() -> Callable[[Path, bool], bool]:
    """The operating system's loader as a foreign call (the GIL let go while it runs):
    ``load(path, resolve_now)`` is True where the file and what it needs are loaded."""
    if sys.platform == "win32":
        kernel = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel.LoadLibraryExW.argtypes = [ctypes.c_wchar_p, ctypes.c_void_p, ctypes.c_uint32]
        kernel.LoadLibraryExW.restype = ctypes.c_void_p

        def load_windows(path: Path, _now: bool) -> bool:
            return bool(kernel.LoadLibraryExW(str(path), None, _WINDOWS_SEARCH))

        return load_windows
    libc = ctypes.CDLL(None)
    libc.dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    libc.dlopen.restype = ctypes.c_void_p

    def load_posix(path: Path, now: bool) -> bool:
        # the same binding mode as the loader that comes later (Python's for its module,
        # Qt's lazy one for plugins), so that one does no relocation of its own
        mode = sys.getdlopenflags() if now else os.RTLD_LAZY
        return bool(libc.dlopen(os.fsencode(path), mode))

    return load_posix


def load() -> list[Path]:
    """Load the QtMultimedia module's file and the media plugin (with the libraries each
    needs) into this process, never unloaded: the player uses them later. The files that
    loaded. Meant for a thread of its own."""
    try:
        loader = _native_loader()
    except (OSError, AttributeError):  # no C library loader reachable: Qt loads them later
        return []
    module = module_file()
    wanted = [(module, True)] if module is not None else []
    wanted += [(plugin, False) for plugin in plugin_files()]
    return [path for path, now in wanted if loader(path, now)]


def warm_up() -> threading.Thread:
    """``load`` on a daemon thread, started now (the window need not wait for it); a second
    call while the first still runs returns that thread."""
    global _warming
    if _warming is not None and _warming.is_alive():
        return _warming
    _warming = threading.Thread(target=load, name="anonyscribe-media-backend", daemon=True)
    _warming.start()
    return _warming


def wait(timeout_s: float = WAIT_S) -> bool:
    """Block until the warm-up (if one was started) has finished, at most ``timeout_s``:
    True where no warm-up is running any more. Called by the player before it first
    imports Qt's media module."""
    if _warming is None:
        return True
    _warming.join(timeout_s)
    return not _warming.is_alive()
