"""Detection of identifiers in transcripts: Presidio's recognizers, spaCy and our own rules.

``Detector`` (engine.py) is the entry point; each recognizer family lives in its own module and
reads its word lists and patterns from ``resources/detection.toml`` (config.py).
"""

from .engine import Detector

__all__ = ["Detector"]
