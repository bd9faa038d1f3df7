"""Exports: anonymised transcripts coding apps import as they are, plus the private log.

Every export is written under a temporary name beside its destination, re-read by
``leakcheck`` for any accepted original (content, properties, file name), and only then
renamed into place; a leaking file is deleted and ``LeakError`` raised, so no leaking file
is ever left behind, not even after a crash (temporaries carry ``core.files.TEMP_PREFIX``
and are swept).

Formats:
    txt, docx   MAXQDA: "Speaker: text #hh:mm:ss-t#" per turn, header block first
    nvivo       NVivo transcript rows: _nvivo.docx (table) and _nvivo.txt (tab separated)
    srt, vtt    captions for ATLAS.ti, QualCoder and media players
    qdpx        REFI-QDA project of a whole study (study format)
    xlsx, csv   a survey's own sheet, free text anonymised, plus its own .qdpx (sheet formats)
    audio       the recording with every accepted identifier covered (.m4a; off by default:
                a voice identifies); checked by listening, not by reading (export/audio.py)
    log         anonymisation log .csv/.xlsx + ethics report (private format)
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path

from .. import naming
from ..core.cancel import CancelToken
from ..core.files import TEMP_PREFIX, move_into
from ..core.model import Transcript
from ..core.progress import StepProgress
from ..redact import LogEntry
from . import audio as audio_format
from . import docx as docx_format
from . import log as log_format
from . import nvivo, qdpx, subtitles, text
from . import sheet as sheet_format
from .audio import AudioCheckError, AudioOptions, Cover, Coverage, Recogniser
from .common import ExportError
from .leakcheck import Leak, LeakError, name_leaks, scan
from .log import PrivateFolderError
from .qdpx import QdpxItem, QdpxOptions, VariableValue

RECORDING_FORMATS = {"txt", "docx", "nvivo", "srt", "vtt", "audio"}
AUDIO_FORMATS = {"audio"}  # made from the recording and word times: ``export_audio``
STUDY_FORMATS = {"qdpx"}
PRIVATE_FORMATS = {"log"}
SHEET_FORMATS = {"xlsx", "csv"}
_SHEET_WRITERS = {"xlsx": sheet_format.write_xlsx, "csv": sheet_format.write_csv}

Writer = Callable[[Transcript, list[Path], str, date | None], None]
_WRITERS: dict[str, Writer] = {
    "txt": text.write,
    "docx": docx_format.write,
    "nvivo": nvivo.write,
    "srt": subtitles.write_srt,
    "vtt": subtitles.write_vtt,
}

__all__ = [
    "AUDIO_FORMATS", "AudioCheckError", "AudioOptions", "Coverage", "Cover", "export_audio",
    "PRIVATE_FORMATS", "RECORDING_FORMATS", "STUDY_FORMATS", "ExportError", "Leak", "LeakError",
    "PrivateFolderError", "QdpxItem", "QdpxOptions", "SHEET_FORMATS", "export_sheet",
    "export_study", "write_format", "write_log",
]


def _unknown(fmt: str, valid: Iterable[str]) -> ValueError:
    return ValueError(f"unknown export format {fmt!r}; valid formats are "
                      f"{', '.join(sorted(valid))}")


def _check_stem(stem: str) -> None:
    if not stem or stem in (".", "..") or Path(stem).name != stem or "\\" in stem:
        raise ExportError(f"{stem!r} is not a usable file name: pass a plain name without "
                          "folders (see naming.safe_stem).")


def _staged(out_dir: Path, names: list[str]) -> dict[Path, str]:
    """A temporary path per final name, beside it (same file system, so rename is atomic).
    The temporary keeps the real suffix, so the leak check knows how to read it."""
    token = secrets.token_hex(6)
    staged = {}
    for i, name in enumerate(names):
        suffix = name[name.rfind("."):] if "." in name else ""
        staged[out_dir / f"{TEMP_PREFIX}{token}-{i}{suffix}"] = name
    return staged


def _publish(fmt: str, out_dir: Path, names: list[str], originals: list[str],
             produce: Callable[[list[Path]], None], staging: Path | None = None) -> list[Path]:
    """Refuse leaking names up front; write under temporary names; scan; rename or delete.

    ``staging``: where the unchecked temporaries are written (the private study folder), so
    that nothing which has not passed the leak check is ever in ``out_dir``, even after a
    kill; without it, beside the destination."""
    bad = name_leaks(names, originals)
    if bad:
        raise LeakError(fmt, [Leak(out_dir / n, "file name", i) for n, i in bad])
    out_dir.mkdir(parents=True, exist_ok=True)
    if staging is not None:
        staging.mkdir(parents=True, exist_ok=True)
    staged = _staged(staging or out_dir, names)
    try:
        produce(list(staged))
        leaks = scan(staged, originals, shown_names=staged)
        if leaks:
            raise LeakError(fmt, leaks)
        finals = []
        for tmp, name in staged.items():
            move_into(tmp, out_dir / name)
            finals.append(out_dir / name)
        return finals
    finally:
        for tmp in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()


def write_format(fmt: str, anonymised: Transcript, out_dir: Path, stem: str,
                 originals: Iterable[str] = (), exported: date | None = None,
                 staging: Path | None = None) -> list[Path]:
    """Write one anonymised transcript as ``fmt`` into ``out_dir``; returns the files.
    (One format of one transcript; ``exporting.export_recording`` exports a study's recording.)

    ``originals`` are the accepted originals (study-wide is safest): any of them found in
    what was written makes the export fail with ``LeakError`` and leaves no file behind.
    """
    if fmt in AUDIO_FORMATS:
        raise ExportError("The anonymised audio is made from the recording itself: use "
                          "export_audio (exporting.export_recording does).")
    if fmt not in _WRITERS:
        raise _unknown(fmt, RECORDING_FORMATS)
    _check_stem(stem)
    out_dir = Path(out_dir)
    names = naming.output_names(fmt, stem)
    writer = _WRITERS[fmt]
    return _publish(fmt, out_dir, names, list(originals),
                    lambda paths: writer(anonymised, paths, stem, exported), staging)


def export_audio(recording: Path, audio_coverage: Coverage, out_dir: Path, stem: str,
                 originals: Iterable[str] = (), options: AudioOptions | None = None,
                 recogniser: Recogniser | None = None,
                 progress: StepProgress | None = None,
                 cancel: CancelToken | None = None, staging: Path | None = None) -> list[Path]:
    """Write the recording with ``audio_coverage``'s stretches covered as ``<stem>.m4a``.

    Same path as every export: written under a temporary name, checked (here by decoding it
    again and listening, besides the usual name and tag scan), then renamed; a file that
    fails is deleted and ``AudioCheckError`` (a ``LeakError``) raised. ``recording`` is only
    ever read.
    """
    _check_stem(stem)
    originals = list(originals)
    return _publish("audio", Path(out_dir), naming.output_names("audio", stem), originals,
                    lambda paths: audio_format.write(Path(recording), paths[0], audio_coverage,
                                                     originals, options, recogniser, progress,
                                                     cancel), staging)


def export_study(
    fmt: str,
    items: list[tuple[str, Transcript]],
    out_dir: Path,
    name: str = "study",
    originals: Iterable[str] = (),
    media: dict[str, Path] | None = None,
    variables: Mapping[str, Mapping[str, VariableValue]] | None = None,
    speaker_roles: Mapping[str, Mapping[str, str]] | None = None,
    staging: Path | None = None,
) -> list[Path]:
    """Write a whole study (``(stem, anonymised transcript)`` pairs) as one project file.

    ``media`` (stem -> recording) puts the recordings in the project too: off unless given,
    because a voice identifies. ``variables`` and ``speaker_roles`` are keyed by stem.
    """
    if fmt not in STUDY_FORMATS:
        raise _unknown(fmt, STUDY_FORMATS)
    _check_stem(name)
    qitems = [
        QdpxItem(stem, transcript, (media or {}).get(stem),
                 dict((variables or {}).get(stem, {})), dict((speaker_roles or {}).get(stem, {})))
        for stem, transcript in items
    ]
    options = QdpxOptions(project_name=name, include_media=bool(media))
    return _publish(fmt, Path(out_dir), naming.output_names(fmt, name), list(originals),
                    lambda paths: qdpx.write_qdpx(qitems, paths[0], options), staging)


def export_sheet(fmt: str, answers: sheet_format.SurveyAnswers, out_dir: Path, stem: str,
                 originals: Iterable[str] = (), project: bool = True,
                 staging: Path | None = None) -> list[Path]:
    """A survey's sheet as ``fmt`` (its free text anonymised, chosen columns dropped) and,
    with ``project``, its REFI-QDA project (respondents as cases); each file leak-checked."""
    if fmt not in _SHEET_WRITERS:
        raise _unknown(fmt, SHEET_FORMATS)
    _check_stem(stem)
    out_dir = Path(out_dir)
    writer = _SHEET_WRITERS[fmt]
    written = _publish(fmt, out_dir, naming.output_names(fmt, stem), list(originals),
                       lambda paths: writer(answers, paths[0]), staging)
    if project:
        written += _publish("qdpx", out_dir, naming.output_names("qdpx", stem), list(originals),
                            lambda paths: sheet_format.write_qdpx(answers, paths[0], stem),
                            staging)
    return written


def write_log(entries: list[LogEntry], private_dir: Path, decisions: dict[str, int] | None = None,
              anonymised_dir: Path | None = None, pending: str = "mark",
              audio: list[str] | None = None) -> list[Path]:
    """Write the log (.csv, .xlsx) and the ethics report (.txt) into ``private_dir``.

    The report is leak-checked against the log's own originals and deleted if any appears;
    ``pending`` ("mark" or "original") says what happened to findings still undecided;
    ``audio``: the anonymised audio's lines for the report (``Coverage.report_lines``).
    Pass ``anonymised_dir`` to have a private folder inside the shared one refused.
    """
    private_dir = Path(private_dir)
    log_format.check_private(private_dir, anonymised_dir)
    csv_name, xlsx_name = naming.LOG_FILES
    log_format.write_csv(entries, private_dir / csv_name)
    log_format.write_xlsx(entries, private_dir / xlsx_name)
    originals = [e.original for e in entries]
    report = _publish("report", private_dir, [naming.REPORT_FILE], originals,
                      lambda paths: log_format.write_report(entries, paths[0], decisions,
                                                            pending, audio))
    return [private_dir / csv_name, private_dir / xlsx_name, *report]
