"""The speaker stage's imports happen before the window shows, never on the worker thread
while the window runs (compiled modules' set-up holds the GIL), and scikit-learn is not one of
them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

_SHOWN = """
import json, sys, tempfile
from pathlib import Path
from anonyscribe.gui.app import make_application
from anonyscribe.gui.main_window import MainWindow
from anonyscribe.gui.settings import AppSettings
from anonyscribe.speakers import diarize
make_application()
window = MainWindow(AppSettings(Path(tempfile.mkdtemp()) / "prefs.ini"))
modules = {m.split(".")[0] for m in sys.modules}  # as the window is about to show
installed = diarize.preload()  # (already done: says whether the parts are installed)
print(json.dumps({"installed": installed,
                  "loaded": sorted(modules & {"kaldi_native_fbank", "onnxruntime", "yaml"}),
                  "heavy": sorted(modules & {"sklearn", "scipy", "torch", "onnx", "numba"})}))
"""


def test_speaker_imports_are_done_when_the_window_shows() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(DESKTOP), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", _SHOWN], env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    if not found["installed"]:
        pytest.skip("the diarization parts are not installed")
    assert found["loaded"] == ["kaldi_native_fbank", "onnxruntime", "yaml"]
    assert found["heavy"] == []
