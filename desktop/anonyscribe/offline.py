"""The one place that switches every library to offline mode, in code (not only the environment).

Imported first by the CLI, the GUI and the batch, so no library gets a chance to reach for the
network at import time: Hugging Face hub, transformers, spaCy, tldextract (Presidio's URL and
email recognizers) are all told to stay local.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "TLDEXTRACT_CACHE_TIMEOUT": "0",
    # ONNX Runtime (faster-whisper's voice detector) >= 1.29 starts a telemetry uploader on
    # Linux and macOS too (DNS for mobile.events.data.microsoft.com, a ".ses" id file in the
    # working folder); the variable must be set before onnxruntime is imported.
    "ORT_DISABLE_TELEMETRY": "1",
}


def psl_snapshot() -> Path:
    """Our copy of the Public Suffix List (resources/psl/, from tldextract's own snapshot)."""
    env = os.environ.get("ANONYSCRIBE_RESOURCES")
    frozen = getattr(sys, "_MEIPASS", None)
    base = Path(env) if env else Path(frozen) / "resources" if frozen else \
        Path(__file__).resolve().parents[2] / "resources"
    return base / "psl" / "public_suffix_list.dat"


def offline_tldextract() -> None:
    """Point tldextract (Presidio's e-mail check) at the bundled suffix list, never the web.

    tldextract's default extractor fetches the list over HTTPS on first use; ours reads the
    local file through requests' file:// adapter and keeps no cache, so no socket is opened.
    """
    import tldextract.tldextract as tx

    if getattr(tx.TLD_EXTRACTOR, "_anonyscribe_offline", False):
        return
    snapshot = psl_snapshot()
    if snapshot.exists():
        ext = tx.TLDExtract(cache_dir=None, suffix_list_urls=(snapshot.as_uri(),),
                            fallback_to_snapshot=True, cache_fetch_timeout=None)
    else:  # the package's own snapshot: still offline
        ext = tx.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
    ext._anonyscribe_offline = True  # type: ignore[attr-defined]
    tx.TLD_EXTRACTOR = ext


def enforce_offline() -> None:
    """Set offline switches for every library we use; safe to call many times."""
    for key, value in _OFFLINE_ENV.items():
        os.environ[key] = value
    if psl_snapshot().exists():
        os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = str(psl_snapshot())
    if "tldextract" in sys.modules:
        offline_tldextract()
    if "onnxruntime" in sys.modules:  # imported before us: stop what can still be stopped
        with contextlib.suppress(Exception):  # an older runtime without it has no uploader
            sys.modules["onnxruntime"].disable_telemetry_events()
    try:  # huggingface_hub reads the variable at import; patch its constant if already imported
        import huggingface_hub.constants as hf_constants

        hf_constants.HF_HUB_OFFLINE = True
    except Exception:  # noqa: BLE001 - not installed or a different version: env var suffices
        pass


enforce_offline()
