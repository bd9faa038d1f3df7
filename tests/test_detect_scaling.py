"""Detection time grows linearly with text length (a scaling guard, not a timed target).

Long text sources (survey sheets, a day of transcripts in one file) once took quadratic time:
800 KB in two minutes, 20 MB never finished. ``bench/detection.py --scaling`` prints words/s
per size; this test only fails when 10x the text costs far more than 10x the time.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

from anonyscribe.detect.config import DEFAULT_CONFIG
from anonyscribe.detect.engine import Detector

BENCH = Path(__file__).resolve().parents[1] / "bench" / "detection.py"


def _synthetic_text(chars: int) -> str:
    """The bench's generated interview text (names drawn from the bundled lists)."""
    spec = importlib.util.spec_from_file_location("bench_detection", BENCH)
    assert spec and spec.loader
    mod = sys.modules.get(spec.name) or importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclasses look their module up by name
    spec.loader.exec_module(mod)
    return mod.synthetic_text(chars)


def _cpu_seconds(det: Detector, text: str) -> float:
    t0 = time.process_time()  # CPU time: other work on a shared machine does not count
    det.detect_text(text)
    return time.process_time() - t0


@pytest.mark.slow
def test_detection_time_is_linear_in_text_length(tmp_path: Path) -> None:
    """Our own code over 10x the text: every recognizer, propagation, filters and ranking.

    spaCy is switched off here only to keep the test short on two cores: it runs per chunk,
    so its cost is linear by construction, and every quadratic step found (issue 20) was ours.
    ``bench/detection.py --scaling`` measures the whole Detector up to 10 MB.
    """
    cfg = tmp_path / "no-spacy.toml"
    cfg.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
        "spacy = true", "spacy = false"), encoding="utf-8")
    det = Detector(config=cfg)
    assert det.nlp is None and det.recognizers
    small, large = _synthetic_text(200_000), _synthetic_text(2_000_000)
    det.detect_text(small[:5000])  # warm-up
    t_small = min(_cpu_seconds(det, small) for _ in range(2))
    t_large = _cpu_seconds(det, large)
    assert t_large <= 15 * t_small, (
        f"2 MB took {t_large:.1f} s, 200 KB {t_small:.1f} s: {t_large / t_small:.1f}x for 10x "
        "the text (quadratic again?)")


def test_identifier_across_a_cut_inside_a_line_is_found_whole(detector: Detector) -> None:
    """ASR text without punctuation is one long line, cut at a space for spaCy; the overlap
    around the cut keeps a name that straddles it whole."""
    chunk = detector.config.chunk_chars
    words = "and then we talked about the rota and the training for a long time "
    lead = "I rang Dr Amira"
    pad = (words * (chunk // len(words) + 1))[:chunk - 5 - len(lead)]
    pad = pad[:pad.rfind(" ") + 1]
    text = pad + lead + " Shah-Okafor about it " + words * 40
    assert "\n" not in text and text.index(" Shah-Okafor") < chunk < text.index(" about it")
    spans = detector.detect_text(text)
    start = text.index("Amira")
    hit = [s for s in spans if s.start <= start < s.end]
    assert hit and text[start:hit[0].end] == "Amira Shah-Okafor", hit
    pos = [(s.start, s.end) for s in spans]
    assert pos == sorted(pos) and all(a[1] <= b[0] for a, b in zip(pos, pos[1:], strict=False))
