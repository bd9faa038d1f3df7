"""Many recordings processed (and exported), with one model load and no single point of failure.

A bad file is reported (what is wrong, what to do) and the batch goes on; the summary and
the exit code say how many failed. Finished recordings are not redone on a re-run.
"""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import offline  # noqa: F401
from .core.cancel import CancelToken
from .core.files import TEMP_PREFIX, sweep_temporaries
from .core.layout import study_folders
from .core.model import ENTITY_TYPES
from .core.status import Outcome, RecordingStatus, Stage
from .core.study import RecordingEntry, RecordingKind, Study, StudySettings
from .core.textfile import read_terms
from .export import RECORDING_FORMATS
from .exporting import STALE_TEMPORARY_S, export_recording, export_study_project
from .failures import os_message
from .media import MEDIA_EXTENSIONS
from .naming import output_names
from .processing import Engines, accept_all, process_recording, settle
from .sources import TEXT_EXTENSIONS
from .speakers.teams import find_teams_transcript
from .transcribe.coverage import count_unheard
from .transcribe.models import ModelError


class FolderError(RuntimeError):
    """The output or study folder cannot be written; said before any recording is touched."""


class OptionError(ValueError):
    """A batch option that cannot work; said before any recording is touched."""


@dataclass
class ItemResult:
    """How one recording fared."""

    path: Path
    status: Outcome
    message: str = ""
    outputs: list[Path] = field(default_factory=list)
    unheard: int = 0  # stretches of speech without words, marked for listening in review


@dataclass
class BatchResult:
    items: list[ItemResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    study_outputs: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[ItemResult]:
        return [i for i in self.items if i.status == Outcome.FAILED]

    @property
    def unheard(self) -> list[ItemResult]:
        """The recordings with speech the recogniser wrote no words for."""
        return [i for i in self.items if i.unheard]


class Reporter:
    """What the batch tells its user; the CLI prints, the GUI turns these into signals."""

    def start(self, index: int, total: int, path: Path) -> None: ...
    def progress(self, stage: Stage, fraction: float) -> None: ...
    def finish(self, item: ItemResult) -> None: ...
    def note(self, message: str) -> None: ...


def media_extensions() -> frozenset[str]:
    return frozenset(MEDIA_EXTENSIONS)


def collect_inputs(inputs: Iterable[Path], exclude: Iterable[Path] = ()
                   ) -> tuple[list[Path], list[str]]:
    """Recordings, text transcripts and survey sheets from files and folders (recursive); other
    files skipped with a note. A Teams transcript beside its recording labels that recording's
    speakers and is not added on its own; nothing under ``exclude`` (our own output and study
    folders) is picked up."""
    exts = media_extensions() | TEXT_EXTENSIONS
    inputs = [Path(i) for i in inputs]
    # An output folder that holds what was asked for (OUT inside the recordings) is skipped;
    # one the recordings are inside (OUT is their folder) cannot be.
    skip = [e for e in (Path(x).resolve() for x in exclude)
            if not any(i.resolve().is_relative_to(e) for i in inputs)]
    files: list[Path] = []
    notes: list[str] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.name.startswith(("~$", TEMP_PREFIX)) or _inside(child, skip):
                    continue  # Office lock files, our temporaries, our own output folders
                found, note = _scanned(child, p, exts)
                if found:
                    files.append(child)
                if note:
                    notes.append(note)
        elif p.is_file():
            files.append(p)  # named explicitly: try it, and say clearly if it is not media
        elif p.exists():
            notes.append(_not_a_file(p))
        else:
            notes.append(f"Skipped {p}: no such file or folder. Check the path.")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return _without_companions(unique, notes), notes


def _inside(path: Path, folders: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder) for folder in folders)


def _without_companions(files: list[Path], notes: list[str]) -> list[Path]:
    """Drop each Teams transcript that sits beside a recording being added: it is that
    recording's source of speaker names, not an interview of its own."""
    exts = media_extensions()
    given = {f.resolve() for f in files}
    companions: dict[Path, Path] = {}
    for f in files:
        if f.suffix.lower() in exts:
            found = find_teams_transcript(f)
            if found is not None and found.resolve() in given:
                companions[found.resolve()] = f
    for key, media in companions.items():
        notes.append(f"{key.name} is the Teams transcript of {media.name}: it names that "
                     "recording's speakers and is not added on its own.")
    return [f for f in files if f.resolve() not in companions]


def _scanned(child: Path, root: Path, exts: frozenset[str]) -> tuple[bool, str]:
    """Whether a file found in a folder is a recording to do, and what to tell about it."""
    media = child.suffix.lower() in exts
    hidden = any(part.startswith(".") for part in child.relative_to(root).parts)
    if child.is_dir():
        if media and not hidden:
            return False, (f"Note: {child} is a folder named like a recording; the recordings "
                           "inside it (if any) are included.")
        return False, ""
    if hidden:
        if media:
            return False, (f"Skipped {child}: a hidden file (its name starts with a dot, like "
                           "the \"._\" copies macOS leaves). Rename it without the dot, or name "
                           "it on the command line, to include it.")
        return False, ""
    if not child.is_file():
        return False, _not_a_file(child) if media else ""
    if media:
        return True, ""
    if child.suffix.lower() in {".vtt", ".docx", ".txt"}:
        return False, ""
    return False, (f"Skipped {child}: not a recording, transcript or survey sheet "
                   f"({child.suffix or 'no'} extension).")


def _not_a_file(p: Path) -> str:
    return (f"Skipped {p}: not a regular file (a pipe, socket or device). Save the recording as "
            "a file and give that.")


def read_list(path: Path | None) -> list[str]:
    """A term file (vocabulary, always, never): see ``core.textfile.read_terms``."""
    return read_terms(path)


def split_typed_term(line: str) -> tuple[str, str]:
    """``PERSON: Sarah Thompson`` -> ("PERSON", "Sarah Thompson"); untyped terms are OTHER."""
    head, sep, rest = line.partition(":")
    if sep and head.strip().upper() in ENTITY_TYPES and rest.strip():
        return head.strip().upper(), rest.strip()
    return "OTHER", line.strip()


@dataclass
class BatchOptions:
    """What a batch does (the CLI's options); saved in the study where they are settings."""

    model: str | Path | None = None
    language: str | None = "en"
    vocabulary: Sequence[str] = ()
    always: Sequence[str] = ()  # "TYPE: text" or text (OTHER)
    never: Sequence[str] = ()
    auto: bool = False  # accept every finding and export
    draft: bool = False  # (without auto) export with every flagged identifier hidden
    formats: Sequence[str] = ("docx", "txt")
    speakers: str = "auto"
    num_speakers: int | None = None
    recording_kind: str | None = None
    group_size: int | None = None

    @property
    def exports(self) -> bool:
        return self.auto or self.draft


def run_batch(
    inputs: Sequence[Path],
    out_dir: Path,
    private_dir: Path | None = None,
    options: BatchOptions | None = None,
    *,
    reporter: Reporter | None = None,
    cancel: CancelToken | None = None,
    engines: Engines | None = None,
) -> BatchResult:
    """Transcribe and flag every recording; with ``auto`` also accept everything and export;
    with ``draft`` (no ``auto``) export drafts with every flagged identifier hidden and leave
    the decisions to review in the app."""
    opts = options or BatchOptions()
    reporter = reporter or Reporter()
    cancel = cancel or CancelToken()
    out_dir = Path(out_dir)
    check_options(opts.formats, opts.num_speakers)
    private_dir = study_folders(out_dir, Path(private_dir) if private_dir else None)
    files, notes = collect_inputs(inputs, exclude=(out_dir, private_dir))
    result = BatchResult(notes=notes)
    for n in notes:
        reporter.note(n)
    with _open_study(private_dir) as study:
        _prepare_out(out_dir, opts.exports)
        before = copy.deepcopy(study.settings)
        try:
            _apply_settings(study, opts, out_dir)
            _apply_recording_kind(study, opts.recording_kind, opts.group_size)
        except OSError as exc:
            raise FolderError(
                f"Cannot save the study's settings: {os_message(private_dir, exc)} Nothing "
                "was processed.") from exc
        if engines is None:
            engines = Engines(model=opts.model or study.settings.model or None,
                              language=opts.language,
                              vocabulary=list(study.settings.vocabulary), terms=study.terms,
                              speakers=opts.speakers, num_speakers=opts.num_speakers)
        try:
            for index, path in enumerate(files):
                if cancel.cancelled:
                    result.items.append(ItemResult(path, Outcome.CANCELLED,
                                                   "Not started: cancelled."))
                    continue
                reporter.start(index, len(files), path)
                item = _one(study, path, engines, out_dir, opts, reporter, cancel)
                result.items.append(item)
                reporter.finish(item)
        except ModelError:
            _restore_settings(study, before)  # a model or language that failed is not kept
            raise
        if opts.auto and "qdpx" in opts.formats:
            result.study_outputs = _export_study(study, out_dir, result, reporter,
                                                 engines.detector)
        elif opts.draft and "qdpx" in opts.formats:
            reporter.note("The .qdpx project is written after review (the app's Export, or "
                          "'anonyscribe export'), not for drafts.")
    return result


def check_options(formats: Sequence[str], num_speakers: int | None) -> None:
    """Refuse options that cannot work before any recording is touched."""
    if not formats:
        raise OptionError("No export format given: name at least one, for example "
                          "--format docx,txt.")
    if num_speakers is not None and not 1 <= num_speakers <= MAX_SPEAKERS:
        raise OptionError(f"--num-speakers {num_speakers}: give the number of people who speak "
                          f"in each recording, from 1 to {MAX_SPEAKERS} (an interview is "
                          "usually 2), or leave it out to have it found.")


MAX_SPEAKERS = 50


def _restore_settings(study: Study, before: StudySettings) -> None:
    study.settings = before
    with contextlib.suppress(OSError):  # the model's message is what matters now
        study.save()


def _open_study(private_dir: Path) -> Study:
    try:
        return Study.open(private_dir)
    except OSError as exc:
        raise FolderError(
            f'Cannot create or open the study folder "{private_dir}" '
            f"({exc.strerror or exc}). Choose a folder you can write to; nothing was processed."
        ) from exc


def _prepare_out(out_dir: Path, auto: bool) -> None:
    """Remove stale temporaries from OUT (never another export's fresh ones: OUT may be
    shared by studies); with ``auto``, refuse an OUT that cannot be written now rather than
    after an hour of transcription."""
    sweep_temporaries(out_dir, recursive=False, older_than=STALE_TEMPORARY_S)
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


def _apply_settings(study: Study, opts: BatchOptions, out_dir: Path) -> None:
    s = study.settings
    if opts.model:
        s.model = str(opts.model)
    s.language = opts.language or ""
    for word in opts.vocabulary:
        if word not in s.vocabulary:
            s.vocabulary.append(word)
    s.formats = list(opts.formats)
    s.out_dir = str(out_dir)
    for term in opts.always:
        type_, text = split_typed_term(term)
        study.terms.add_always(text, type_)
    for term in opts.never:
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


def _one(study: Study, path: Path, engines: Engines, out_dir: Path, opts: BatchOptions,
         reporter: Reporter, cancel: CancelToken) -> ItemResult:
    """One recording: processed, then (auto, draft) exported; what went wrong is settled by
    ``processing.settle`` (a model failure stops the batch)."""
    entry: RecordingEntry | None = None
    try:
        entry = study.add_recording(path)
        study.save()
        if opts.auto and _already_exported(study, entry, out_dir, opts.formats):
            return ItemResult(path, Outcome.DONE, "Already exported earlier; kept as it was.",
                              [Path(p) for p in entry.exported], _unheard(study, entry))
        notes = process_recording(study, entry, engines, reporter.progress, cancel)
        said = "".join(f" Note: {n}." for n in notes)
        unheard = _unheard(study, entry)
        if not opts.exports:
            return ItemResult(path, Outcome.REVIEW,
                              f"Transcribed and flagged: ready for review.{said}", unheard=unheard)
        cancel.check()  # Stop pressed during the last step: do not start exporting
        if opts.auto:
            findings = study.load_findings(entry.id)
            accept_all(findings)
            study.save_findings(entry.id, findings)
        outputs = export_recording(study, entry.id, out_dir, opts.formats, engines.detector,
                                   draft=not opts.auto)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        ended = settle(study, entry, exc, path)
        if ended.failure is None:
            return ItemResult(path, Outcome.CANCELLED, "Cancelled.")
        return ItemResult(path, Outcome.FAILED, ended.message)
    if opts.auto:
        return ItemResult(path, Outcome.DONE, f"Exported {len(outputs)} file(s).{said}",
                          outputs, unheard)
    return ItemResult(path, Outcome.REVIEW, f"Draft exported ({len(outputs)} file(s), every "
                      f"flagged identifier hidden): ready for review.{said}", outputs, unheard)


def _already_exported(study: Study, entry: RecordingEntry, out_dir: Path,
                      formats: Sequence[str]) -> bool:
    """Finished earlier into this folder, in every format asked for now, with its saved
    transcript and decisions still there (else it is brought back and exported again)."""
    if entry.status != RecordingStatus.EXPORTED or not entry.export_stem:
        return False
    if not (study.has_transcript(entry.id) and study.has_findings(entry.id)):
        return False
    names = [n for f in formats if f in RECORDING_FORMATS
             for n in output_names(f, entry.export_stem)]
    return all((out_dir / n).is_file() for n in names)


def _unheard(study: Study, entry: RecordingEntry) -> int:
    if not study.has_transcript(entry.id):
        return 0
    return count_unheard(study.load_transcript(entry.id))


def _export_study(study: Study, out_dir: Path, result: BatchResult,
                  reporter: Reporter, detector: object = None) -> list[Path]:
    try:
        return export_study_project(study, out_dir, detector=detector)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - the per-recording files are already safe
        msg = f"The study project (.qdpx) could not be written: {exc}"
        result.notes.append(msg)
        reporter.note(msg)
        return []

