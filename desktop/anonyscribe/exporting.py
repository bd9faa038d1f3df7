"""Exporting one recording (or the study's REFI-QDA project): plan -> render -> write ->
leak-check -> publish, and the policy for a run over many recordings (``export_recordings``).

Export reads the study's state and never changes a decision; it records what it wrote (the
recording's files, its status, the labels it froze). Shared by ``anonyscribe export``, the
batch and the app's export, so all three write the same names and the same words.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import (
    export,
    labels,
    offline,  # noqa: F401 - offline switches before any model library loads
)
from .core.files import TEMP_PREFIX, CorruptFileError, WriteError, sweep_temporaries
from .core.layout import check_apart
from .core.model import Decision, Span, Transcript
from .core.register import IdentityKey, normalise
from .core.status import RecordingStatus
from .core.study import RecordingEntry, Study, file_sha256, study_terms
from .detect.engine import Detector
from .export import ExportError
from .export import audio as export_audio
from .export.audio import Coverage, Recogniser
from .export.common import timed
from .export.sheet import SurveyAnswers
from .failures import Failure, classify
from .labels import LabelPlan, Pending, Rendered, render
from .naming import (
    FILE_NAME_MIN_SCORE,
    FORMAT_SUFFIXES,
    PlannedName,
    output_names,
    planned_stem,
    unique_stem,
)
from .redact import accepted_originals
from .sources import SourceError, SourceKind, is_text_source, kind_of
from .sources.sheet import is_csv
from .sources.survey import load_plan

STALE_TEMPORARY_S = 600.0  # no export writes one file for this long
# Formats that are nothing without times: skipped for a text transcript that had none.
TIMED_FORMATS = {"srt", "vtt", "nvivo"}


@dataclass
class PlannedExport:
    """One recording as its export will write it: text, file stem and what must not leak."""

    rendered: Rendered
    name: PlannedName
    originals: set[str]
    identities: list[IdentityKey]
    decisions: dict[str, int]


_DEFAULT_DETECTOR: list[Detector] = []


def default_detector(study: Study) -> Detector:
    """A detector for callers that bring none: file names are always checked the same way
    (built once per process; the study's terms are set on each use)."""
    if not _DEFAULT_DETECTOR:
        _DEFAULT_DETECTOR.append(Detector())
    _DEFAULT_DETECTOR[0].set_terms(study_terms(study))
    return _DEFAULT_DETECTOR[0]


def _file_name_detect(detector: Detector) -> Callable[[str], list[Span]]:
    def detect(text: str) -> list[Span]:
        # A file name has no context to judge a guess by: "pyannote_sample" is not a person.
        return [s for s in detector.detect_text(text) if s.score >= FILE_NAME_MIN_SCORE]

    return detect


def output_stem(study: Study, entry: RecordingEntry, plan_: LabelPlan,
                local: Sequence[IdentityKey] = (), detector: Detector | None = None,
                ) -> PlannedName:
    """A recording's export name from the plan, and the identifiers its file name held.
    Without ``detector`` the process-wide default one is used: never no detection."""
    terms = {t["text"]: t.get("type", "PERSON") for t in study.terms.always}
    detector = detector if detector is not None else default_detector(study)
    return planned_stem(Path(entry.name).stem, plan_.surface_table(), local, terms,
                        _file_name_detect(detector), fallback=entry.id)


def plan_export(study: Study, rec_id: str, plan_: LabelPlan, detector: Detector | None = None,
                pending: Pending = Pending.MARK, transcript: Transcript | None = None,
                ) -> PlannedExport:
    """Everything an export of one recording writes, worked out without writing anything.

    The export dialog shows ``name.stem`` from this very function, so what it shows is what
    is written. File-name identifiers are always among the originals the leak check uses."""
    entry = study.recordings[rec_id]
    raw = transcript if transcript is not None else study.load_transcript(rec_id)
    findings = study.load_findings(rec_id)
    rendered = render(plan_, raw, findings, pending)
    seen = labels.appearances(raw, findings, labels.person_names(study.terms.always))
    local = [plan_.identity(t, s) for t, s in seen]
    name = output_stem(study, entry, plan_, local, detector)
    kept = {normalise(f.text) for f in findings if f.decision is Decision.REJECTED}
    spoken = " \n ".join(normalise(f.text) for f in rendered.pending) \
        if pending is Pending.ORIGINAL else ""  # written as spoken, by the researcher's choice
    originals = {t for t in {*accepted_originals(findings), *name.originals}
                 if normalise(t) not in kept and not _within(normalise(t), spoken)
                 } | set(rendered.speakers_replaced)
    decisions = {d.value: sum(1 for f in findings if f.decision is d) for d in Decision}
    return PlannedExport(rendered, name, originals, [*local, *name.identities], decisions)


def _within(key: str, text: str) -> bool:
    return bool(key) and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", text) is not None


def export_recording(
    study: Study,
    rec_id: str,
    out_dir: Path,
    formats: Sequence[str],
    detector: Detector | None = None,
    draft: bool = False,
    pending: Pending = Pending.MARK,
    plan_: LabelPlan | None = None,
    recogniser: Recogniser | None = None,
) -> list[Path]:
    """Write the anonymised transcript in each per-recording format, and the private log;
    then freeze the labels written (``labels.commit``).

    Findings still pending become "[Person ?]"-style markers unless ``pending`` is
    ``Pending.ORIGINAL`` (the researcher's explicit choice, recorded in the ethics report).
    ``draft``: before review; the recording stays waiting for review. A re-export under a
    new name removes this recording's earlier files, so no stale duplicate stays behind.
    ``recogniser``: what checks the anonymised audio by ear (default: the study's model)."""
    out_dir = Path(out_dir)
    check_apart(study.root, out_dir)
    # What an export killed mid-write long ago left here (from older versions, or a copy to
    # another disk); others' fresh temporaries are spared. Unchecked ones live in the study.
    sweep_temporaries(out_dir, recursive=False, older_than=STALE_TEMPORARY_S)
    entry = study.recordings[rec_id]
    if kind_of(entry.name) is SourceKind.SURVEY:  # a sheet goes out as a sheet
        return export_survey(study, rec_id, out_dir, detector, draft, pending, plan_)
    plan_ = plan_ if plan_ is not None else labels.study_plan(study, fresh=rec_id)
    planned = plan_export(study, rec_id, plan_, detector, pending)
    stem = _claim_stem(study, entry, planned.name.stem, out_dir, formats)
    written: list[Path] = []
    audio_lines: list[str] | None = None
    try:
        for fmt in formats:
            if fmt in TIMED_FORMATS and not timed(planned.rendered.transcript):
                continue  # captions and NVivo rows need times a text transcript may not have
            if fmt in export.AUDIO_FORMATS and is_text_source(Path(entry.name)):
                continue  # a text source has no audio to cover
            if fmt in export.AUDIO_FORMATS:
                coverage = audio_coverage(study, rec_id, pending, planned)
                with _naming_failures(out_dir, stem, fmt):
                    written += export.export_audio(
                        recording_path(entry), coverage, out_dir, stem, planned.originals,
                        audio_options(study),
                        recogniser or default_recogniser(study.settings.model),
                        staging=study.root)
                audio_lines = coverage.report_lines(audio_options(study).cover)
            elif fmt in export.RECORDING_FORMATS:
                with _naming_failures(out_dir, stem, fmt):
                    written += export.write_format(fmt, planned.rendered.transcript, out_dir,
                                                   stem, planned.originals,
                                                   staging=study.root)
        export.write_log(planned.rendered.log, study.root / "log" / entry.id,
                         planned.decisions, pending=pending.value, audio=audio_lines)
    except BaseException:
        _withdraw(entry, written)
        raise
    labels.commit(study.register, plan_, planned.identities)
    study.save_register()
    kept = _remove_stale(entry, out_dir, stem, written)
    entry.export_stem = stem
    entry.exported = [str(p) for p in [*written, *kept]]
    entry.status = RecordingStatus.REVIEW if draft else RecordingStatus.EXPORTED
    study.save_export_record(entry)
    study.save()
    return written


@contextlib.contextmanager
def _naming_failures(out_dir: Path, stem: str, fmt: str) -> Iterator[None]:
    """A write error while exporting names the exported file, not a staging temporary."""
    try:
        yield
    except OSError as exc:
        named = Path(os.fsdecode(exc.filename)) if exc.filename else None
        if named is not None and not named.name.startswith(TEMP_PREFIX):
            raise
        final = out_dir / output_names(fmt, stem)[0]
        raise WriteError(exc.errno, exc.strerror or str(exc), str(final)) from exc


def _withdraw(entry: RecordingEntry, written: list[Path]) -> None:
    """An export that failed halfway takes back the files it wrote: a recording marked failed
    has no anonymised files in the output folder, and the re-run writes the same names."""
    for path in written:
        with contextlib.suppress(OSError):
            path.unlink()
    gone = {str(p) for p in written}
    entry.exported = [p for p in entry.exported if p not in gone]


def recording_path(entry: RecordingEntry) -> Path:
    """The original recording, which the anonymised audio is made from (read only)."""
    path = Path(entry.path)
    if not path.is_file():
        raise ExportError(f"{path}: the recording was not found, so its anonymised audio "
                          "cannot be made; put it back (or locate it) and export again.")
    return path


def audio_options(study: Study) -> export_audio.AudioOptions:
    return export_audio.AudioOptions(cover=export_audio.Cover(study.settings.audio_cover))


def audio_coverage(study: Study, rec_id: str, pending: Pending = Pending.MARK,
                   planned: PlannedExport | None = None,
                   raw: Transcript | None = None) -> Coverage:
    """What the anonymised audio covers, and what it cannot locate (the export's last check
    shows that): every finding the text replaces (accepted ones and their other occurrences),
    those still pending unless written as spoken, and speaker names said aloud. Reads only."""
    raw = raw if raw is not None else study.load_transcript(rec_id)
    findings = study.load_findings(rec_id)
    cover = [f for fs in labels.replaced(raw, findings).values() for f in fs]
    if pending is not Pending.ORIGINAL:
        cover += [f for f in findings if f.decision is Decision.PENDING]
    if planned is not None:
        spoken = planned.rendered.speakers_replaced
    else:
        people = {normalise(f.text) for f in findings
                  if f.decision is Decision.ACCEPTED and f.type == "PERSON"}
        people |= labels.person_names(study.terms.always)
        spoken = [sp.label for sp in raw.speakers if normalise(sp.label) in people]
    return export_audio.locate(raw, cover, spoken, audio_options(study),
                               study.recordings[rec_id].duration,
                               study.load_audio_marks(rec_id))


LISTENING_LANGUAGE = "en"  # the listener's language, as ``Transcriber``'s default


@functools.lru_cache(maxsize=1)
def default_recogniser(model: str = "") -> Recogniser:
    """The study's speech model as the anonymised audio's listener: the one that transcribed,
    when it is still in memory (a batch, the app's session), else loaded once."""
    # Deferred: faster-whisper (and CTranslate2) load only when audio is exported.
    from .transcribe.runner import Transcriber, loaded

    return export_audio.recogniser_for(loaded(model or None, LISTENING_LANGUAGE)
                                       or Transcriber(model or None, LISTENING_LANGUAGE))


def _remove_stale(entry: RecordingEntry, out_dir: Path, stem: str,
                  written: list[Path]) -> list[Path]:
    """Delete this recording's files from an earlier export under another name in the same
    folder (no stale duplicate); returns its other files under this name (other formats)."""
    now = {p.resolve() for p in written}
    mine = {stem + suffix for suffixes in FORMAT_SUFFIXES.values() for suffix in suffixes}
    kept: list[Path] = []
    for old in map(Path, entry.exported):
        with contextlib.suppress(OSError):
            if old.resolve() in now or not old.exists():
                continue
            if old.parent.resolve() != out_dir.resolve() or old.name in mine:
                kept.append(old)
            else:
                old.unlink()
    return kept


def planned_stems(study: Study, rec_ids: Sequence[str], out_dir: Path,
                  formats: Sequence[str], detector: Detector | None = None) -> dict[str, str]:
    """The file name each recording's export will use (what the export dialog shows)."""
    plan_ = labels.study_plan(study)
    claimed: dict[str, str] = {}
    out: dict[str, str] = {}
    for rid in rec_ids:
        entry = study.recordings[rid]
        base = plan_export(study, rid, plan_, detector).name.stem
        out[rid] = _free_stem(study, entry, base, out_dir, formats, claimed)
        claimed[rid] = out[rid]
    return out


def _free_stem(study: Study, entry: RecordingEntry, base: str, out_dir: Path,
               formats: Sequence[str], claimed: Mapping[str, str] | None = None) -> str:
    """A stem no other recording of the study uses, stable across re-exports of this one."""
    mine = entry.export_stem
    if mine and (mine == base or mine.startswith(base + "-")):
        return mine
    claimed = claimed or {}
    taken = {claimed.get(e.id, e.export_stem) for e in study.recordings.values()
             if e.id != entry.id}
    stem, n = base, 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    if kind_of(entry.name) is SourceKind.SURVEY:
        fmts = survey_formats(entry)  # what it writes, whatever the dialog's choice
    else:
        fmts = [f for f in formats if f in export.RECORDING_FORMATS]
    return unique_stem(Path(out_dir), stem, fmts)


def _claim_stem(study: Study, entry: RecordingEntry, base: str, out_dir: Path,
                formats: Sequence[str]) -> str:
    return _free_stem(study, entry, base, out_dir, formats)


def export_study_project(study: Study, out_dir: Path, include_media: bool = False,
                         rec_ids: Sequence[str] | None = None,
                         detector: Detector | None = None,
                         pending: Pending = Pending.MARK,
                         recogniser: Recogniser | None = None) -> list[Path]:
    """One REFI-QDA project (.qdpx) holding every exported recording of the study (or of
    ``rec_ids``), from the same plan as the per-recording files. ``include_media`` puts in
    each recording's anonymised audio (identifiers covered, checked like the ``audio``
    export; same timeline, so SyncPoints hold), never the original."""
    plan_ = labels.study_plan(study)
    items: list[tuple[str, Transcript]] = []
    media: dict[str, Path] = {}
    originals: set[str] = set()
    # Inside the private study folder: a crash leaves nothing beside the shared exports.
    with tempfile.TemporaryDirectory(prefix=".audio-", dir=study.root) as tmp:
        for entry in study.recordings.values():
            if entry.status != RecordingStatus.EXPORTED or not entry.export_stem:
                continue
            if rec_ids is not None and entry.id not in rec_ids:
                continue
            planned = plan_export(study, entry.id, plan_, detector, pending)
            originals |= planned.originals
            items.append((entry.export_stem, planned.rendered.transcript))
            if (include_media and Path(entry.path).exists()
                    and not is_text_source(Path(entry.name))):
                coverage = audio_coverage(study, entry.id, pending, planned)
                (path,) = export.export_audio(
                    Path(entry.path), coverage, Path(tmp), entry.export_stem, planned.originals,
                    audio_options(study), recogniser or default_recogniser(study.settings.model))
                media[entry.export_stem] = path
        if not items:
            return []
        check_apart(study.root, Path(out_dir))
        return export.export_study("qdpx", items, Path(out_dir), "study", originals,
                                   media=media or None, staging=study.root)


def survey_formats(entry: RecordingEntry) -> list[str]:
    """What a survey's export writes: its own kind of sheet, and a .qdpx."""
    return ["csv" if is_csv(Path(entry.name)) else "xlsx", "qdpx"]


def export_survey(study: Study, rec_id: str, out_dir: Path, detector: Detector | None = None,
                  draft: bool = False, pending: Pending = Pending.MARK,
                  plan_: LabelPlan | None = None) -> list[Path]:
    """Write a survey's sheet with its free text anonymised (chosen columns dropped), its
    REFI-QDA project, and the private log; then freeze the labels written. The original sheet
    is re-read for the columns kept as they were, so it must be the very file that was added."""
    entry = study.recordings[rec_id]
    source = Path(entry.path)
    if not source.is_file() or file_sha256(source) != entry.sha256:
        raise SourceError(source, "the sheet is missing or has changed since it was added",
                          "put the original file back, or add the new version as a new "
                          "source and review it")
    cells = load_plan(study.folder(rec_id))
    if cells is None:
        raise CorruptFileError(f"{study.folder(rec_id)} has no column choice for this sheet; "
                               "remove the sheet from the study and add it again.")
    raw = study.load_transcript(rec_id)
    if any(not 0 <= seg.id < len(cells.cells) for seg in raw.segments):
        raise CorruptFileError(f"{study.folder(rec_id)}: the answers no longer match the "
                               "sheet's cells; remove the sheet from the study and add it again.")
    plan_ = plan_ if plan_ is not None else labels.study_plan(study, fresh=rec_id)
    planned = plan_export(study, rec_id, plan_, detector, pending, transcript=raw)
    formats = survey_formats(entry)
    stem = _claim_stem(study, entry, planned.name.stem, out_dir, formats)
    answers = {cells.cells[seg.id]: seg.text for seg in planned.rendered.transcript.segments}
    written = export.export_sheet(formats[0], SurveyAnswers(source, cells.layout, cells.options,
                                                            answers), Path(out_dir), stem,
                                  planned.originals, staging=study.root)
    export.write_log(planned.rendered.log, study.root / "log" / entry.id, planned.decisions,
                     pending=pending.value)
    labels.commit(study.register, plan_, planned.identities)
    study.save_register()
    kept = _remove_stale(entry, Path(out_dir), stem, written)
    entry.export_stem = stem
    entry.exported = [str(p) for p in [*written, *kept]]
    entry.status = RecordingStatus.REVIEW if draft else RecordingStatus.EXPORTED
    study.save()
    return written


def undecided(study: Study, rec_id: str) -> dict[str, int]:
    """Findings of one recording still waiting for a decision, by type (the markers its
    export will show); none when its findings cannot be read (its export says why)."""
    try:
        findings = study.load_findings(rec_id)
    except (OSError, CorruptFileError):
        return {}
    counts: dict[str, int] = {}
    for f in findings:
        if f.decision is Decision.PENDING:
            counts[f.type] = counts.get(f.type, 0) + 1
    return counts


class ExportReporter:
    """What an export run tells its user; the CLI prints, the app turns these into signals."""

    def starting(self, index: int, total: int, entry: RecordingEntry) -> None: ...
    def exported(self, entry: RecordingEntry, paths: list[Path], pending: int) -> None: ...
    def failed(self, entry: RecordingEntry, failure: Failure) -> None: ...
    def project_failed(self, exc: Exception) -> None: ...


@dataclass
class ExportRun:
    """What an export run wrote and what it could not."""

    written: list[Path] = field(default_factory=list)  # per-recording files
    project: list[Path] = field(default_factory=list)  # the study's .qdpx
    done: list[str] = field(default_factory=list)  # recordings exported
    problems: list[str] = field(default_factory=list)  # one message per failure


def export_recordings(study: Study, rec_ids: Sequence[str], out_dir: Path,
                      formats: Sequence[str], detector: Detector | None = None,
                      pending: Pending = Pending.MARK, reporter: ExportReporter | None = None,
                      include_media: bool = False) -> ExportRun:
    """Export each recording in each per-recording format, then (with "qdpx") one project of
    those exported. The one policy of every export run: a recording that fails is reported
    (``failures.classify``) and the others still export; its status stays as it was; a
    project that fails leaves the per-recording files in place."""
    reporter = reporter or ExportReporter()
    run = ExportRun()
    out_dir = Path(out_dir)
    for index, rid in enumerate(rec_ids):
        entry = study.recordings[rid]
        reporter.starting(index, len(rec_ids), entry)
        try:
            waiting = sum(undecided(study, rid).values())
            paths = export_recording(study, rid, out_dir, formats, detector, pending=pending)
        except Exception as exc:  # noqa: BLE001 - one recording never stops the others
            failure = classify(exc, Path(entry.name))
            run.problems.append(failure.message)
            reporter.failed(entry, failure)
            continue
        run.written += paths
        run.done.append(rid)
        reporter.exported(entry, paths, waiting)
    if "qdpx" in formats and run.done:
        try:
            run.project = export_study_project(study, out_dir, include_media, run.done,
                                               detector, pending)
        except Exception as exc:  # noqa: BLE001 - the per-recording files are written
            run.problems.append(f"The study project (.qdpx) could not be written: {exc}")
            reporter.project_failed(exc)
    return run
