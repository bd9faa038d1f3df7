"""Many recordings through the pipeline, with one model load and no single point of failure.

A bad file is reported (what is wrong, what to do) and the batch goes on; the summary and
the exit code say how many failed. Finished recordings are not redone on a re-run.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import offline  # noqa: F401
from .core.cancel import Cancelled, CancelToken
from .core.files import TEMP_PREFIX, CorruptFileError, sweep_temporaries
from .core.study import RecordingEntry, RecordingKind, Study
from .pipeline import Engines, export_recording, process_recording


class FolderError(RuntimeError):
    """The output or study folder cannot be written; said before any recording is touched."""


@dataclass
class ItemResult:
    """How one recording fared."""

    path: Path
    status: str  # "done", "review", "failed", "skipped", "cancelled"
    message: str = ""
    outputs: list[Path] = field(default_factory=list)


@dataclass
class BatchResult:
    items: list[ItemResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    study_outputs: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[ItemResult]:
        return [i for i in self.items if i.status == "failed"]


class Reporter:
    """What the batch tells its user; the CLI prints, the GUI turns these into signals."""

    def start(self, index: int, total: int, path: Path) -> None: ...
    def progress(self, stage: str, fraction: float) -> None: ...
    def finish(self, item: ItemResult) -> None: ...
    def note(self, message: str) -> None: ...


def media_extensions() -> frozenset[str]:
    from .media import MEDIA_EXTENSIONS

    return frozenset(MEDIA_EXTENSIONS)


def collect_inputs(inputs: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Media files from files and folders (recursive); other files skipped with a note."""
    exts = media_extensions()
    files: list[Path] = []
    notes: list[str] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if not child.is_file() or child.name.startswith("."):
                    continue
                if child.suffix.lower() in exts:
                    files.append(child)
                elif child.suffix.lower() not in {".vtt", ".docx", ".txt"}:
                    notes.append(f"Skipped {child}: not a recording ({child.suffix or 'no'} "
                                 "extension).")
        elif p.is_file():
            files.append(p)  # named explicitly: try it, and say clearly if it is not media
        else:
            notes.append(f"Skipped {p}: no such file or folder. Check the path.")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, notes


def read_list(path: Path | None) -> list[str]:
    """A term file: one term per line; blank lines and lines starting with # are ignored."""
    if path is None:
        return []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def split_typed_term(line: str) -> tuple[str, str]:
    """``PERSON: Sarah Thompson`` -> ("PERSON", "Sarah Thompson"); untyped terms are OTHER."""
    from .core.model import ENTITY_TYPES

    head, sep, rest = line.partition(":")
    if sep and head.strip().upper() in ENTITY_TYPES and rest.strip():
        return head.strip().upper(), rest.strip()
    return "OTHER", line.strip()


def run_batch(
    inputs: Sequence[Path],
    out_dir: Path,
    private_dir: Path | None = None,
    *,
    model: str | Path | None = None,
    language: str | None = "en",
    vocabulary: Sequence[str] = (),
    always: Sequence[str] = (),
    never: Sequence[str] = (),
    auto: bool = False,
    draft: bool = False,
    formats: Sequence[str] = ("docx", "txt"),
    speakers: str = "auto",
    num_speakers: int | None = None,
    recording_kind: str | None = None,
    group_size: int | None = None,
    reporter: Reporter | None = None,
    cancel: CancelToken | None = None,
    engines: Engines | None = None,
) -> BatchResult:
    """Transcribe and flag every recording; with ``auto`` also accept everything and export;
    with ``draft`` (no ``auto``) export drafts with every flagged identifier hidden and leave
    the decisions to review in the app."""
    reporter = reporter or Reporter()
    cancel = cancel or CancelToken()
    out_dir = Path(out_dir)
    private_dir = Path(private_dir) if private_dir else out_dir / "private"
    files, notes = collect_inputs(inputs)
    result = BatchResult(notes=notes)
    for n in notes:
        reporter.note(n)
    with _open_study(private_dir) as study:
        _prepare_out(out_dir, auto or draft)
        _apply_settings(study, model, language, vocabulary, always, never, formats, out_dir)
        _apply_recording_kind(study, recording_kind, group_size)
        if engines is None:
            engines = Engines(model=model or study.settings.model or None, language=language,
                              vocabulary=list(study.settings.vocabulary), terms=study.terms,
                              speakers=speakers, num_speakers=num_speakers)
        for index, path in enumerate(files):
            if cancel.cancelled:
                result.items.append(ItemResult(path, "cancelled", "Not started: cancelled."))
                continue
            reporter.start(index, len(files), path)
            item = _one(study, path, engines, out_dir, auto, formats, reporter, cancel, draft)
            result.items.append(item)
            reporter.finish(item)
        if auto and "qdpx" in formats:
            result.study_outputs = _export_study(study, out_dir, result, reporter,
                                                 engines.detector)
        elif draft and "qdpx" in formats:
            reporter.note("The .qdpx project is written after review (the app's Export, or "
                          "'anonyscribe export'), not for drafts.")
    return result


def _open_study(private_dir: Path) -> Study:
    try:
        return Study.open(private_dir)
    except OSError as exc:
        raise FolderError(
            f'Cannot create or open the study folder "{private_dir}" '
            f"({exc.strerror or exc}). Choose a folder you can write to; nothing was processed."
        ) from exc


def _prepare_out(out_dir: Path, auto: bool) -> None:
    """Remove temporaries a killed export left in OUT; with ``auto``, refuse an OUT that
    cannot be written now rather than after an hour of transcription."""
    sweep_temporaries(out_dir, recursive=False)
    if not auto:
        return
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise FolderError(
            f'Cannot write to the output folder "{out_dir}" ({exc.strerror or exc}). Choose a '
            "folder you can write to, or free some space; nothing was processed."
        ) from exc


def _apply_settings(study: Study, model: str | Path | None, language: str | None,
                    vocabulary: Sequence[str], always: Sequence[str], never: Sequence[str],
                    formats: Sequence[str], out_dir: Path) -> None:
    s = study.settings
    if model:
        s.model = str(model)
    s.language = language or ""
    for word in vocabulary:
        if word not in s.vocabulary:
            s.vocabulary.append(word)
    s.formats = list(formats)
    s.out_dir = str(out_dir)
    for term in always:
        type_, text = split_typed_term(term)
        study.terms.add_always(text, type_)
    for term in never:
        study.terms.add_never(term)
    study.save()
    study.save_terms()


def _apply_recording_kind(study: Study, kind: str | None, group_size: int | None) -> None:
    """Save what the recordings are (the speaker count the diarizer expects) when given;
    a group size alone means a focus group."""
    s = study.settings
    if kind is not None:
        s.recording_kind = RecordingKind(kind).value
    if group_size is not None:
        if group_size < 0:
            raise ValueError("--group-size must be 0 (find out) or more")
        s.group_size = group_size
        if kind is None:
            s.recording_kind = RecordingKind.FOCUS_GROUP.value
    if kind is not None or group_size is not None:
        study.save()


def _one(study: Study, path: Path, engines: Engines, out_dir: Path, auto: bool,
         formats: Sequence[str], reporter: Reporter, cancel: CancelToken,
         draft: bool = False) -> ItemResult:
    from .media import MediaError
    from .transcribe.models import ModelError

    entry: RecordingEntry | None = None
    try:
        entry = study.add_recording(path)
        study.save()
        if auto and entry.status == "exported" and all(Path(p).exists() for p in entry.exported):
            return ItemResult(path, "done", "Already exported earlier; kept as it was.",
                              [Path(p) for p in entry.exported])
        process_recording(study, entry, engines, reporter.progress, cancel)
        if not auto and draft:
            cancel.check()
            outputs = export_recording(study, entry.id, out_dir, formats, engines.detector,
                                       draft=True)
            return ItemResult(path, "review", f"Draft exported ({len(outputs)} file(s), every "
                              "flagged identifier hidden): ready for review.", outputs)
        if not auto:
            return ItemResult(path, "review", "Transcribed and flagged: ready for review.")
        cancel.check()  # Stop pressed during the last step: do not start exporting
        from .pipeline import accept_all

        findings = study.load_findings(entry.id)
        accept_all(findings)
        study.save_findings(entry.id, findings)
        outputs = export_recording(study, entry.id, out_dir, formats, engines.detector)
        return ItemResult(path, "done", f"Exported {len(outputs)} file(s).", outputs)
    except Cancelled:
        _mark(study, entry, "queued", "Cancelled; will resume from the last finished step.")
        return ItemResult(path, "cancelled", "Cancelled.")
    except ModelError:
        raise  # no recording can succeed without the model: stop with the model's message
    except MediaError as exc:  # its message already names the recording
        _mark(study, entry, "failed", str(exc))
        return ItemResult(path, "failed", str(exc))
    except CorruptFileError as exc:  # names a file in the study: say which recording it is
        msg = f"{path.name}: {exc}"
        _mark(study, entry, "failed", msg)
        return ItemResult(path, "failed", msg)
    except OSError as exc:
        msg = os_message(path, exc)
        _mark(study, entry, "failed", msg)
        return ItemResult(path, "failed", msg)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        msg = (f"{path.name}: unexpected problem ({type(exc).__name__}: {exc}). The other "
               "recordings are not affected; please report this with the message.")
        _mark(study, entry, "failed", msg)
        return ItemResult(path, "failed", msg)


def _where(exc: OSError, path: Path) -> str:
    """The file an error names, or its folder when it is one of our temporaries."""
    if not exc.filename:
        return str(path)
    named = Path(os.fsdecode(exc.filename))
    return str(named.parent) if named.name.startswith(TEMP_PREFIX) else str(named)


def os_message(path: Path, exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return (f"{path.name}: the disk is full (writing in {_where(exc, path)}). Free some "
                "space and run the batch again; finished recordings will not be redone.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"{path.name}: permission denied writing or reading {_where(exc, path)}. "
                "Choose a folder you can write to.")
    if exc.errno == errno.ENOENT:
        return (f"{path.name}: the file disappeared ({exc.filename or path}). Put it back and "
                "run the batch again.")
    return f"{path.name}: {exc.strerror or exc} ({exc.filename or path})."


def _mark(study: Study, entry: RecordingEntry | None, status: str, message: str) -> None:
    if entry is None:
        return
    entry.status = status
    entry.error = message if status == "failed" else ""
    with contextlib.suppress(OSError):  # the item already failed; its message is what matters
        study.save()


def _export_study(study: Study, out_dir: Path, result: BatchResult,
                  reporter: Reporter, detector: object = None) -> list[Path]:
    from .pipeline import export_study_project

    try:
        return export_study_project(study, out_dir, detector=detector)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - the per-recording files are already safe
        msg = f"The study project (.qdpx) could not be written: {exc}"
        result.notes.append(msg)
        reporter.note(msg)
        return []


ProgressCallback = Callable[[str, float], None]
