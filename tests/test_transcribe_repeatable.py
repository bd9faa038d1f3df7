"""The same recording gives the same words from one run of the app to the next.

faster-whisper decodes a window again with sampling where greedy decoding looks poor; an
unseeded sampler made transcripts (and the speaker turns read from them) differ between
runs. Two fresh processes force sampling on noisy speech and must write the same text."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "tests" / "data" / "speech" / "interview.wav"

SAMPLED = """
import sys
import numpy as np
from anonyscribe.media import decode
from anonyscribe.transcribe.runner import Transcriber

model = Transcriber("tiny.en")
audio = decode(sys.argv[1])
audio = audio + np.random.default_rng(1).normal(0, 0.05, audio.shape).astype(np.float32)
segments, _ = model.whisper.transcribe(audio, language="en", temperature=1.0,
                                       vad_filter=False, condition_on_previous_text=False)
print("|".join(s.text for s in segments))
"""


def _sampled_text(tmp_path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"), *sys.path])}
    done = subprocess.run([sys.executable, "-c", SAMPLED, str(CLIP)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_sampled_decoding_is_the_same_in_two_fresh_processes(tmp_path: Path) -> None:
    first, second = _sampled_text(tmp_path), _sampled_text(tmp_path)
    assert first  # the noisy clip was heard as something
    assert first == second
