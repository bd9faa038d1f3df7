"""Speech to text: models from installed packages (``models``) and the Whisper runner (``runner``).

``Transcriber`` is imported lazily: loading faster-whisper takes a second, and listing or
checking models (CLI ``anonyscribe models``, the settings dialog) should not pay for it.
"""

from __future__ import annotations

from typing import Any

from .models import DEFAULT_MODEL, ModelError, ModelStatus, list_models, resolve_model

__all__ = ["DEFAULT_MODEL", "ModelError", "ModelStatus", "Transcriber", "list_models",
           "resolve_model"]


def __getattr__(name: str) -> Any:
    if name == "Transcriber":
        from .runner import Transcriber  # deferred: loads faster-whisper (see above)

        return Transcriber
    raise AttributeError(name)
