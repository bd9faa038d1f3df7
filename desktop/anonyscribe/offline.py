"""The one place that switches every library to offline mode, in code (not only the environment).

Imported first by the CLI, the GUI and the batch, so no library gets a chance to reach for the
network at import time: Hugging Face hub, transformers, spaCy, tldextract (Presidio's URL and
email recognizers) are all told to stay local.
"""

from __future__ import annotations

import os

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "TLDEXTRACT_CACHE_TIMEOUT": "0",
}


def enforce_offline() -> None:
    """Set offline switches for every library we use; safe to call many times."""
    for key, value in _OFFLINE_ENV.items():
        os.environ[key] = value
    try:  # huggingface_hub reads the variable at import; patch its constant if already imported
        import huggingface_hub.constants as hf_constants

        hf_constants.HF_HUB_OFFLINE = True
    except Exception:  # noqa: BLE001 - not installed or a different version: env var suffices
        pass


enforce_offline()
