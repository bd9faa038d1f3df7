"""The review's media backend is read from disk off the GUI thread (``review.media_backend``):
the files load, the window's thread is not held while they do, and the player still plays."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from anonyscribe.gui.review import media_backend  # noqa: E402

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
SPEECH = Path(__file__).resolve().parents[1] / "data" / "speech"

# A fresh process (nothing of Qt's media loaded yet): a thread loads the backend while the
# main thread ticks every 2 ms; ``how`` is the app's way, or Python's ctypes.CDLL (which
# holds the GIL while the loader runs) to show that the tick measure sees the difference.
_TICKS = """
import ctypes, json, sys, threading, time
from anonyscribe.gui.review import media_backend
how = sys.argv[1]
def maps():
    with open("/proc/self/maps") as fh:
        return fh.read()
plugins = media_backend.plugin_files()
before = any(p.name in maps() for p in plugins)
def run():
    if how == "app":
        media_backend.load()
    else:
        for p in plugins:
            ctypes.CDLL(str(p))
thread = threading.Thread(target=run)
ticks = [time.perf_counter()]
thread.start()
while thread.is_alive():
    time.sleep(0.002)
    ticks.append(time.perf_counter())
gaps = [b - a for a, b in zip(ticks, ticks[1:])]
print(json.dumps({"before": before, "after": all(p.name in maps() for p in plugins),
                  "took": ticks[-1] - ticks[0], "gap": max(gaps),
                  "imported": "PySide6.QtMultimedia" in sys.modules}))
"""

_PLAYS = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from anonyscribe.gui.review import media_backend
media_backend.warm_up().join()
app = QApplication([])
from anonyscribe.gui.review.player import PlayerBar
bar = PlayerBar()
print(bar.load(Path(sys.argv[1])), bar.ready)
"""

# The first player while the warm-up still runs (made slow here: a second's sleep first):
# the player waits for it, so Qt's loads never run beside the thread's.
_WAITS = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from anonyscribe.gui.review import media_backend
real = media_backend.load
def slow():
    time.sleep(1.0)
    return real()
media_backend.load = slow
app = QApplication([])
thread = media_backend.warm_up()
again = media_backend.warm_up() is thread
from anonyscribe.gui.review.player import PlayerBar
bar = PlayerBar()
t0 = time.perf_counter()
ok = bar.load(Path(sys.argv[1]))
print(again, thread.is_alive(), time.perf_counter() - t0 > 0.5, ok, bar.ready)
"""


def _run(script: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(DESKTOP), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True,
                          text=True, timeout=120, check=True).stdout.strip().splitlines()[-1]


def _multimedia() -> bool:
    try:
        import PySide6.QtMultimedia  # noqa: F401
    except ImportError:
        return False
    return True


def test_the_backend_files_are_the_module_and_the_chosen_plugin(monkeypatch) -> None:
    if not _multimedia():
        pytest.skip("QtMultimedia is not installed here")
    module = media_backend.module_file()
    assert module is not None and module.is_file() and module.name.startswith("QtMultimedia")
    monkeypatch.delenv("QT_MEDIA_BACKEND", raising=False)
    plugins = media_backend.plugin_files()
    assert plugins and all("ffmpegmediaplugin" in p.name for p in plugins)
    monkeypatch.setenv("QT_MEDIA_BACKEND", "no-such-backend")
    assert media_backend.plugin_files() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_the_backend_loads_on_a_thread_without_holding_the_gil() -> None:
    if not _multimedia() or not media_backend.plugin_files():
        pytest.skip("no Qt media plugin here")
    app = json.loads(_run(_TICKS, "app"))
    assert not app["before"] and app["after"]  # loaded by the thread, and only by it
    assert not app["imported"]  # files loaded, nothing of Qt's made or imported
    held = json.loads(_run(_TICKS, "cdll"))
    assert held["after"]
    # ctypes.CDLL holds the GIL: the main thread stops for most of the load; the app's way
    # lets it tick on (a gap of a few scheduler slices, not the load's length)
    assert held["gap"] > 0.5 * held["took"]
    assert app["gap"] < 0.5 * app["took"] or app["gap"] < 0.02


def test_the_player_plays_after_the_warm_up() -> None:
    if not _multimedia():
        pytest.skip("QtMultimedia is not installed here")
    assert _run(_PLAYS, str(SPEECH / "interview.wav")) == "True True"


def test_the_first_player_waits_for_a_warm_up_still_running() -> None:
    if not _multimedia():
        pytest.skip("QtMultimedia is not installed here")
    assert _run(_WAITS, str(SPEECH / "interview.wav")) == "True False True True True"


def test_waiting_without_a_warm_up_returns_at_once(monkeypatch) -> None:
    monkeypatch.setattr(media_backend, "_warming", None)
    assert media_backend.wait(0.01)
