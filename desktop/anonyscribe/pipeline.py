"""One recording through the whole path: probe -> transcribe -> speakers -> detect -> save.

Shared by the CLI batch and the GUI queue, so both behave the same. Each stage saves its
result atomically in the study before the next starts, which is what lets a crashed or
cancelled run resume without redoing finished work.
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import offline  # noqa: F401 - offline switches before any model library loads
from .core.cancel import Cancelled, CancelToken
from .core.model import Decision, Finding, Span, Transcript
from .core.register import normalise
from .core.study import RecordingEntry, Study, Terms
from .redact import LogEntry, accepted_originals, propagate, redact

if TYPE_CHECKING:
    from .detect.engine import Detector
    from .speakers import SpeakerResult
    from .transcribe.runner import Transcriber

Progress = Callable[[str, float], None]
T = TypeVar("T")
CANCEL_POLL_S = 0.05
STALE_TEMPORARY_S = 600.0  # no export writes one file for this long
# Detections in a file name below this score (context guesses) are left alone.
FILE_NAME_MIN_SCORE = 0.5


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
    progress("probe", 0.0)
    info = probe(path)
    entry.duration = info.duration
    cancel.check()
    notes: list[str] = []
    earlier: list[Finding] = []
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


def _transcribe(study: Study, entry: RecordingEntry, engines: Engines, progress: Progress,
                cancel: CancelToken) -> Transcript:
    from .core.model import RecordingInfo

    info = RecordingInfo(name=entry.name, duration=entry.duration, sha256=entry.sha256,
                         path=entry.path)
    progress("transcribe", 0.0)
    transcript = engines.transcriber.transcribe(  # runs the model in its own worker thread
        Path(entry.path), progress=lambda f: progress("transcribe", f), cancel=cancel,
        recording=info,
    )
    transcript = _label_speakers(study, entry, engines, transcript, progress, cancel)
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
                    cancel: CancelToken) -> Transcript:
    """Speaker turns (Teams transcript, channels or diarizer); names go to always-redact."""
    if engines.speakers == "none":
        return transcript
    try:
        from .speakers import label_turns
    except ImportError:
        return transcript
    progress("speakers", 0.0)
    def label() -> SpeakerResult:
        with engines.models_in_use:
            return label_turns(transcript, Path(entry.path), num_speakers=engines.num_speakers,
                               mode=engines.speakers,
                               progress=lambda f: progress("speakers", f), cancel=cancel)

    result = interruptible(label, cancel)
    changed = False
    for name in result.names:
        changed |= study.terms.add_always(name, "PERSON")
        study.register.label_for("PERSON", name)  # so a speaker label with it is replaced too
    if changed:
        study.save_terms()
    if result.names:
        study.save_register()
    progress("speakers", 1.0)
    return result.transcript


def accept_all(findings: list[Finding]) -> None:
    for f in findings:
        if f.decision is Decision.PENDING:
            f.decision = Decision.ACCEPTED


def anonymised(study: Study, rec_id: str, hide_pending: bool = False,
               transcript: Transcript | None = None,
               ) -> tuple[Transcript, list[LogEntry], list[Finding]]:
    """The anonymised transcript of one recording, with its log entries; saves the register.

    ``hide_pending`` (a draft before review) hides undecided findings too; the decisions on
    disk stay undecided, and the findings returned are the ones the draft applied.
    ``transcript``: the raw transcript when the caller has loaded it already (not changed)."""
    if transcript is None:
        transcript = study.load_transcript(rec_id)
    findings = study.load_findings(rec_id)
    extra = propagate(transcript, findings)
    if extra:
        findings += extra
        study.save_findings(rec_id, findings)
    if hide_pending:
        findings = copy.deepcopy(findings)
        accept_all(findings)
    anon, log = redact(transcript, findings, study.register)
    study.save_register()
    return anon, log, findings


def output_stem(study: Study, entry: RecordingEntry, originals: set[str],
                detector: Detector | None = None) -> str:
    """The exported file name for a recording, redacted like its text."""
    from .naming import safe_stem

    def detect(text: str) -> list[Span]:
        # A file name has no context to judge a guess by: "pyannote_sample" is not a person.
        # Names the transcript confirmed are already in ``originals``; rules score >= 0.5.
        assert detector is not None
        return [s for s in detector.detect_text(text) if s.score >= FILE_NAME_MIN_SCORE]

    labels = {o: e.label for e in study.register.entries.values() for o in e.originals
              if o in originals}
    for o in originals:
        labels.setdefault(o, "[Redacted]")
    return safe_stem(Path(entry.name).stem, labels, detect=detect if detector else None,
                     fallback=entry.id)


def export_recording(
    study: Study,
    rec_id: str,
    out_dir: Path,
    formats: Sequence[str],
    detector: Detector | None = None,
    draft: bool = False,
) -> list[Path]:
    """Write the anonymised transcript in each per-recording format, and the private log.

    ``draft``: before review, with every flagged identifier hidden; the recording stays
    waiting for review (an export after review writes the same file names again)."""
    from . import export
    from .core.files import sweep_temporaries
    from .core.layout import check_apart

    out_dir = Path(out_dir)
    check_apart(study.root, out_dir)
    # What an export killed mid-write long ago left here (from older versions, or a copy to
    # another disk); others' fresh temporaries are spared. Unchecked ones live in the study.
    sweep_temporaries(out_dir, recursive=False, older_than=STALE_TEMPORARY_S)
    entry = study.recordings[rec_id]
    raw = study.load_transcript(rec_id)
    anon, log, findings = anonymised(study, rec_id, hide_pending=draft, transcript=raw)
    stem, originals = export_stem(study, entry, findings, anon, out_dir, formats, detector,
                                  raw=raw)
    written: list[Path] = []
    try:
        for fmt in formats:
            if fmt in export.RECORDING_FORMATS:
                with _naming_failures(out_dir, stem, fmt):
                    written += export.export_recording(fmt, anon, out_dir, stem, originals,
                                                       staging=study.root)
        decisions = {d.value: sum(1 for f in findings if f.decision is d) for d in Decision}
        export.write_log(log, study.root / "log" / entry.id, decisions)
    except BaseException:
        _withdraw(entry, written)
        raise
    kept = [p for p in entry.exported if Path(p).exists() and Path(p) not in written]
    entry.exported = kept + [str(p) for p in written]
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


def export_stem(study: Study, entry: RecordingEntry, findings: list[Finding], anon: Transcript,
                out_dir: Path, formats: Sequence[str], detector: Detector | None = None,
                raw: Transcript | None = None) -> tuple[str, set[str]]:
    """The file stem a recording's export uses, and the originals its files must not contain.

    The export dialog calls this too (on a dry-run copy), so the names it shows are the names
    written. ``raw``: the recording's raw transcript, when the caller has it loaded already."""
    raw = raw if raw is not None else study.load_transcript(entry.id)
    originals = _leak_originals(findings) | _speaker_originals(raw, anon)
    base = output_stem(study, entry, originals, detector)
    return _claim_stem(study, entry, base, out_dir, formats), originals


def _claim_stem(study: Study, entry: RecordingEntry, base: str, out_dir: Path,
                formats: Sequence[str]) -> str:
    """A stem no other recording of the study uses, stable across re-exports of this one."""
    from . import export
    from .naming import unique_stem

    mine = entry.export_stem
    if mine and (mine == base or mine.startswith(base + "-")):
        return mine
    taken = {e.export_stem for e in study.recordings.values() if e.id != entry.id}
    stem, n = base, 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    fmts = [f for f in formats if f in export.RECORDING_FORMATS]
    stem = unique_stem(Path(out_dir), stem, fmts)
    entry.export_stem = stem
    return stem


def _leak_originals(findings: list[Finding]) -> set[str]:
    """Accepted texts the exported files must not contain, less those the reviewer chose to
    keep somewhere (a rejected "Grace" in "by the grace of God")."""
    kept = {normalise(f.text) for f in findings if f.decision is Decision.REJECTED}
    return {t for t in accepted_originals(findings) if normalise(t) not in kept}


def _speaker_originals(raw: Transcript, anon: Transcript) -> set[str]:
    """Original speaker labels that were replaced count as originals for the leak check."""
    out = set()
    for before, after in zip(raw.speakers, anon.speakers, strict=False):
        if before.label != after.label:
            out.add(before.label)
    return out


def export_study_project(study: Study, out_dir: Path, include_media: bool = False,
                         rec_ids: Sequence[str] | None = None) -> list[Path]:
    """One REFI-QDA project (.qdpx) holding every exported recording of the study (or of
    ``rec_ids``)."""
    from . import export

    items: list[tuple[str, Transcript]] = []
    media: dict[str, Path] = {}
    originals: set[str] = set()
    for entry in study.recordings.values():
        if entry.status != "exported" or not entry.export_stem:
            continue
        if rec_ids is not None and entry.id not in rec_ids:
            continue
        anon, _log, findings = anonymised(study, entry.id)
        originals |= _leak_originals(findings)
        items.append((entry.export_stem, anon))
        if include_media and Path(entry.path).exists():
            media[entry.export_stem] = Path(entry.path)
    if not items:
        return []
    from .core.layout import check_apart

    check_apart(study.root, Path(out_dir))
    return export.export_study("qdpx", items, Path(out_dir), "study", originals,
                               media=media or None, staging=study.root)
