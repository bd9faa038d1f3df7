"""One recording through the whole path: probe -> transcribe -> speakers -> detect -> save.

Shared by the CLI batch and the GUI queue, so both behave the same. Each stage saves its
result atomically in the study before the next starts, which is what lets a crashed or
cancelled run resume without redoing finished work.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import labels, offline  # noqa: F401 - offline switches before any model library loads
from .core.cancel import Cancelled, CancelToken
from .core.model import Decision, Finding, Span, Transcript
from .core.register import IdentityKey, normalise
from .core.study import RecordingEntry, Study, Terms
from .export import audio as export_audio
from .export.common import timed
from .labels import LabelPlan, Pending, Rendered, render
from .naming import PlannedName, planned_stem
from .redact import accepted_originals
from .sources import SourceKind, is_text_source, kind_of, read_source

if TYPE_CHECKING:
    from .detect.engine import Detector
    from .export.audio import Coverage, Recogniser
    from .speakers import SpeakerResult
    from .transcribe.runner import Transcriber

Progress = Callable[[str, float], None]
T = TypeVar("T")
CANCEL_POLL_S = 0.05
STALE_TEMPORARY_S = 600.0  # no export writes one file for this long
# Formats that are nothing without times: skipped for a text transcript that had none.
TIMED_FORMATS = {"srt", "vtt", "nvivo"}
# Detections in a file name below this score (context guesses) are left alone.
FILE_NAME_MIN_SCORE = 0.5
_FILE_NAME_GAPS = re.compile(r"[_\-]+|\d+")  # "Hannah_Price-20240101": words, no date
HOTWORDS_MAX_CHARS = 400  # about 100 tokens: half of Whisper's 224-token prompt


@dataclass
class Engines:
    """The heavy objects (speech model, detector), built once and reused for a whole queue."""

    model: str | Path | None = None
    language: str | None = "en"
    vocabulary: Sequence[str] = ()
    terms: Terms | None = None
    speakers: str = "auto"
    num_speakers: int | None = None
    _transcriber: Any = field(default=None, repr=False)
    _detector: Any = field(default=None, repr=False)
    # Held while a stage uses the shared detector or diarizer: a stage abandoned by Stop (see
    # ``interruptible``) finishes before the next recording's stage may touch the same models.
    models_in_use: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            from .transcribe.features import install
            from .transcribe.runner import Transcriber

            self._transcriber = Transcriber(self.model, language=self.language,
                                            vocabulary=list(self.vocabulary))
            install(self._transcriber.whisper)  # a 2-hour interview fits a laptop's memory
        return self._transcriber

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            from .detect.engine import Detector

            self._detector = Detector(terms=self.terms)
        return self._detector


def _noop(stage: str, fraction: float) -> None:
    pass


def interruptible(work: Callable[[], T], cancel: CancelToken) -> T:
    """Run ``work`` in a helper thread and stop waiting for it the moment cancel is pressed.

    Why: detection over a long transcript and speaker separation run for seconds without
    looking at the token, yet Stop must answer within a second or two (transcription has the
    same arrangement inside ``Transcriber``). The abandoned helper finishes in the background
    and its result is dropped, never saved. It is not a daemon, so quitting waits for it
    rather than killing native code mid-call.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = exc
        finally:
            done.set()

    cancel.check()
    threading.Thread(target=run, name="anonyscribe-stage", daemon=False).start()
    while not done.wait(CANCEL_POLL_S):
        if cancel.cancelled:
            raise Cancelled()
    cancel.check()  # a Stop that arrived as the work finished still wins: nothing is saved
    if "error" in box:
        raise box["error"]
    return box["value"]


def _quiet_after_cancel(progress: Progress, cancel: CancelToken) -> Progress:
    """An abandoned helper must not move a progress bar that now belongs to the next item."""

    def report(stage: str, fraction: float) -> None:
        if not cancel.cancelled:
            progress(stage, fraction)

    return report


def study_terms(study: Study) -> Terms:
    """The study's lists plus every name already confirmed anywhere in the study."""
    always = [dict(t) for t in study.terms.always]
    seen = {normalise(t["text"]) for t in always}
    for entry in study.register.entries.values():
        if entry.type != "PERSON":
            continue
        for original in entry.originals:
            key = normalise(original)
            if key and key not in seen and len(key) > 2:
                always.append({"text": original, "type": "PERSON"})
                seen.add(key)
    return Terms(always=always, never=list(study.terms.never))


def hotwords(study: Study, entry: RecordingEntry, engines: Engines) -> list[str]:
    """What the recogniser is told to expect: the study's vocabulary, then the names in this
    recording's file name ("Interview with Siobhan Kowalczyk"), so they are spelled as the
    researcher wrote them and detection finds them. Names known elsewhere in the study are
    not added: a prompt of names the recording may never say makes small Whisper models
    write them over unrelated speech (seen with tiny.en on short clips). Capped:
    faster-whisper keeps hotwords within half of its prompt."""
    words = [w.strip() for w in engines.vocabulary if w and w.strip()]
    names: list[str] = []
    stem = Path(entry.name).stem
    if stem:
        with engines.models_in_use:
            spans = engines.detector.detect_text(_FILE_NAME_GAPS.sub(" ", stem))
        names.extend(s.text for s in spans
                     if s.type == "PERSON" and s.score >= FILE_NAME_MIN_SCORE)
    out = list(dict.fromkeys(words + names))
    while out and len(", ".join(out)) > HOTWORDS_MAX_CHARS:
        out.pop()
    return out


def process_recording(
    study: Study,
    entry: RecordingEntry,
    engines: Engines,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> list[str]:
    """Bring one recording to the review stage; skips any stage whose result is saved.

    Returns notes for the researcher (a lost transcript made again; speech without words)."""
    from .media import probe
    from .transcribe.coverage import count_unheard

    cancel = cancel or CancelToken()
    progress = _quiet_after_cancel(progress or _noop, cancel)
    path = Path(entry.path)
    notes: list[str] = []
    earlier: list[Finding] = []
    if is_text_source(path):  # a transcript or a sheet: no audio, straight to detection
        transcript = _read_source(study, entry, progress)
    else:
        progress("probe", 0.0)
        info = probe(path)
        entry.duration = info.duration
        cancel.check()
        if study.has_transcript(entry.id):
            transcript = study.load_transcript(entry.id)
        else:
            if study.has_findings(entry.id):  # the transcript was deleted after review began
                earlier = study.load_findings(entry.id)
            transcript = _transcribe(study, entry, engines, progress, cancel)
    cancel.check()
    if earlier or not study.has_findings(entry.id):
        progress("detect", 0.0)
        terms = study_terms(study)

        def detect() -> list[Finding]:
            with engines.models_in_use:
                engines.detector.set_terms(terms)
                return engines.detector.detect_transcript(transcript)

        findings = interruptible(detect, cancel)
        if earlier:
            kept = carry_decisions(earlier, findings, transcript)
            decided = sum(1 for f in earlier if f.decision is not Decision.PENDING)
            notes.append(f"its saved transcript was missing, so it was transcribed again; "
                         f"{kept} of {decided} earlier decision(s) carried over")
        study.save_findings(entry.id, findings)
        progress("detect", 1.0)
    unheard = count_unheard(transcript)
    if unheard:
        notes.append(f"{unheard} stretch(es) of speech without words, marked "
                     "[no transcript …]: listen to them in review")
    entry.status = "review"
    entry.error = ""
    study.save()
    progress("save", 1.0)
    return notes


def carry_decisions(earlier: list[Finding], findings: list[Finding],
                    transcript: Transcript) -> int:
    """Bring the reviewer's decisions over to the findings of a transcript made again.

    A finding at the same place with the same text takes the earlier decision (and id); an
    earlier finding the detector did not make again (one the reviewer added) is kept when its
    text is still at its place. Returns how many earlier decisions were carried over."""
    def place(f: Finding) -> tuple[int, int, int, str]:
        return f.segment_id, f.start, f.end, f.text

    new = {place(f): f for f in findings}
    kept = 0
    for old in earlier:
        match = new.get(place(old))
        if match is not None:
            match.decision, match.id = old.decision, old.id
        elif _still_there(transcript, old):
            findings.append(old)
        else:
            continue
        kept += old.decision is not Decision.PENDING
    return kept


def _still_there(transcript: Transcript, finding: Finding) -> bool:
    try:
        text = transcript.segment(finding.segment_id).text
    except KeyError:
        return False
    return text[finding.start:finding.end] == finding.text


def _read_source(study: Study, entry: RecordingEntry, progress: Progress) -> Transcript:
    """A text transcript or survey sheet as the recording's transcript (read once, saved)."""
    if study.has_transcript(entry.id):
        return study.load_transcript(entry.id)
    progress("read", 0.0)
    result = read_source(Path(entry.path), study.folder(entry.id),
                         progress=lambda f: progress("read", f))
    _remember_names(study, result.names, result.terms)
    study.save_transcript(entry.id, result.transcript)
    entry.duration = result.transcript.recording.duration
    entry.status = "transcribed"
    study.save()
    progress("read", 1.0)
    return result.transcript


def _remember_names(study: Study, names: Sequence[str], others: Sequence[str] = ()) -> None:
    """Names a source revealed (speakers, a meeting title, a survey's respondents) go to the
    study's always-redact list; a speaker label that is one is then replaced like it."""
    changed = False
    for name in [*names, *others]:
        changed |= study.terms.add_always(name, "PERSON")
    if changed:
        study.save_terms()


def _transcribe(study: Study, entry: RecordingEntry, engines: Engines, progress: Progress,
                cancel: CancelToken) -> Transcript:
    from .core.model import RecordingInfo

    info = RecordingInfo(name=entry.name, duration=entry.duration, sha256=entry.sha256,
                         path=entry.path)
    progress("transcribe", 0.0)
    transcriber = engines.transcriber
    before = transcriber.vocabulary
    transcriber.vocabulary = hotwords(study, entry, engines)  # for this recording only
    decoded: list[Any] = []  # the samples the model heard: speakers reuse them (no 2nd decode)
    try:
        transcript = transcriber.transcribe(  # runs the model in its own worker thread
            Path(entry.path), progress=lambda f: progress("transcribe", f), cancel=cancel,
            recording=info, on_audio=decoded.append,
        )
    finally:
        transcriber.vocabulary = before
    transcript = _label_speakers(study, entry, engines, transcript, progress, cancel,
                                 decoded[0] if decoded else None)
    _mark_unheard(entry, transcript, cancel)
    study.save_transcript(entry.id, transcript)
    entry.status = "transcribed"
    study.save()
    return transcript


def _mark_unheard(entry: RecordingEntry, transcript: Transcript, cancel: CancelToken) -> None:
    """Mark voiced stretches the recogniser wrote no words for (see transcribe/coverage)."""
    from .transcribe.coverage import mark_unheard, voiced_times

    voiced = [(t.start, t.end) for t in transcript.speaker_times]
    if not voiced:
        voiced = interruptible(lambda: voiced_times(Path(entry.path)), cancel)
    mark_unheard(transcript, voiced)


def _label_speakers(study: Study, entry: RecordingEntry, engines: Engines,
                    transcript: Transcript, progress: Progress,
                    cancel: CancelToken, audio: Any = None) -> Transcript:
    """Speaker turns (Teams transcript, channels or diarizer); names go to always-redact."""
    if engines.speakers == "none":
        return transcript
    try:
        from .speakers import label_turns
    except ImportError:
        return transcript
    progress("speakers", 0.0)
    # A count given for this run wins; else what the study says its recordings are.
    expected = engines.num_speakers or study.settings.expected_speakers()

    def label() -> SpeakerResult:
        with engines.models_in_use:
            return label_turns(transcript, Path(entry.path), audio=audio,
                               num_speakers=expected,
                               mode=engines.speakers,
                               progress=lambda f: progress("speakers", f), cancel=cancel)

    result = interruptible(label, cancel)
    _remember_names(study, result.names)
    progress("speakers", 1.0)
    return result.transcript


def accept_all(findings: list[Finding]) -> None:
    for f in findings:
        if f.decision is Decision.PENDING:
            f.decision = Decision.ACCEPTED


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
        from .detect.engine import Detector

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
    from . import export
    from .core.files import sweep_temporaries
    from .core.layout import check_apart

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
                    written += export.export_recording(fmt, planned.rendered.transcript, out_dir,
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
    entry.status = "review" if draft else "exported"
    study.save_export_record(entry)
    study.save()
    return written


@contextlib.contextmanager
def _naming_failures(out_dir: Path, stem: str, fmt: str) -> Iterator[None]:
    """A write error while exporting names the exported file, not a staging temporary."""
    from .core.files import TEMP_PREFIX, WriteError
    from .naming import output_names

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
    from .export import ExportError

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


@functools.lru_cache(maxsize=1)
def default_recogniser(model: str = "") -> Recogniser:
    """The study's speech model as the anonymised audio's listener (loaded once)."""
    from .transcribe.runner import Transcriber

    return export_audio.recogniser_for(Transcriber(model or None))


def _remove_stale(entry: RecordingEntry, out_dir: Path, stem: str,
                  written: list[Path]) -> list[Path]:
    """Delete this recording's files from an earlier export under another name in the same
    folder (no stale duplicate); returns its other files under this name (other formats)."""
    from .naming import FORMAT_SUFFIXES

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
    from . import export
    from .naming import unique_stem

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
    from . import export

    plan_ = labels.study_plan(study)
    items: list[tuple[str, Transcript]] = []
    media: dict[str, Path] = {}
    originals: set[str] = set()
    # Inside the private study folder: a crash leaves nothing beside the shared exports.
    with tempfile.TemporaryDirectory(prefix=".audio-", dir=study.root) as tmp:
        for entry in study.recordings.values():
            if entry.status != "exported" or not entry.export_stem:
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
        from .core.layout import check_apart

        check_apart(study.root, Path(out_dir))
        return export.export_study("qdpx", items, Path(out_dir), "study", originals,
                                   media=media or None, staging=study.root)


def survey_formats(entry: RecordingEntry) -> list[str]:
    """What a survey's export writes: its own kind of sheet, and a .qdpx."""
    from .sources.sheet import is_csv

    return ["csv" if is_csv(Path(entry.name)) else "xlsx", "qdpx"]


def export_survey(study: Study, rec_id: str, out_dir: Path, detector: Detector | None = None,
                  draft: bool = False, pending: Pending = Pending.MARK,
                  plan_: LabelPlan | None = None) -> list[Path]:
    """Write a survey's sheet with its free text anonymised (chosen columns dropped), its
    REFI-QDA project, and the private log; then freeze the labels written. The original sheet
    is re-read for the columns kept as they were, so it must be the very file that was added."""
    from . import export
    from .core.files import CorruptFileError
    from .core.study import file_sha256
    from .export.sheet import SurveyAnswers
    from .sources import SourceError
    from .sources.survey import load_plan

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
    entry.status = "review" if draft else "exported"
    study.save()
    return written
