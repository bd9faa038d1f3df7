"""The shapes of a progress callback, named once so each name has one meaning.

Long work reports how far it has got through a plain callable (no Qt in the core): the CLI
draws a bar from it, the app's workers turn it into signals.
"""

from __future__ import annotations

from collections.abc import Callable

from .status import Stage

# How far one piece of work is, 0..1 (transcribing, reading a survey sheet, diarizing).
FractionProgress = Callable[[float], None]
# Processing one recording: which stage it is in, and how far that stage is (0..1).
StageProgress = Callable[[Stage, float], None]
# An export step outside processing's stages, named in words ("audio", "audio check"), 0..1.
StepProgress = Callable[[str, float], None]
