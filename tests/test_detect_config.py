"""The data-driven config: a researcher's own file changes detection without code."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonyscribe.detect.config import DEFAULT_CONFIG, ConfigError, load_config
from anonyscribe.detect.engine import Detector


def test_default_config_loads() -> None:
    cfg = load_config()
    assert cfg.on("person") and cfg.patterns
    assert "nurse" in cfg.words("role", "heads")


def test_user_config_adds_pattern_and_disables_family(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace("date = true", "date = false")
    text = text.replace('first_names = ["terms/', f'first_names = ["{DEFAULT_CONFIG.parent}/terms/')
    text += ('\n[[pattern]]\nname = "study_code"\ntype = "ID"\n'
             "regex = '\\bSTUDY-\\d{3}\\b'\nscore = 0.9\n")
    cfg = tmp_path / "mine.toml"
    cfg.write_text(text, encoding="utf-8")
    det = Detector(config=cfg)
    got = {s.text: s.type for s in det.detect_text("Participant STUDY-042 joined in 2019.")}
    assert got.get("STUDY-042") == "ID"
    assert "2019" not in got


def test_bad_config_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[engine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.toml"):
        load_config(bad)
    bad.write_text('[lists]\nfirst_names = ["nowhere.txt"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="nowhere.txt"):
        load_config(bad).list_lines("first_names")
