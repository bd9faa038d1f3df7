"""Processing one recording: probe -> transcribe -> speakers -> detect -> save, and the
policy for what a run that did not finish means (``settle``).

Shared by the CLI batch and the GUI queue, so both behave the same. Each stage saves its
result atomically in the study before the next starts, which is what lets a crashed or
cancelled run resume without redoing finished work. Export is ``exporting``'s.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import offline  # noqa: F401 - offline switches before any model library loads
from .core import heap
from .core.cancel import Cancelled, CancelToken, wait_cancellable
from .core.model import Decision, Finding, RecordingInfo, Transcript
from .core.progress import StageProgress
from .core.status import RecordingStatus, Stage
from .core.study import RecordingEntry, Study, Terms, study_terms
from .detect.engine import Detector
from .failures import Failure, classify
from .media import probe
from .naming import FILE_NAME_MIN_SCORE
from .sources import is_text_source, read_source
from .speakers import SpeakerResult, diarization_available, find_teams_transcript, label_turns
from .speakers import diarize as diarization
from .transcribe.coverage import count_unheard, mark_unheard, voiced_times
from .transcribe.models import ModelError

if TYPE_CHECKING:  # faster-whisper loads only when a recording is transcribed (see Engines)
    from .transcribe.runner import Transcriber

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
    # ``wait_cancellable``) finishes before the next recording's stage may touch the same models.
    models_in_use: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        # engines loaded elsewhere (an app or a test that preloads them) leave garbage
        # collections as they found them: loaded, they are kept out of the collector's walks
        # (``core.heap``: otherwise a collection set off in any thread stops the window)
        if self._transcriber is not None or self._detector is not None:
            heap.freeze_loaded()

    @property
    def transcriber(self) -> Transcriber:
        if self._transcriber is None:
            # Deferred: faster-whisper (and CTranslate2) load only when a recording needs them.
            from .transcribe.features import install
            from .transcribe.runner import Transcriber

            with heap.loading():
                self._transcriber = Transcriber(self.model, language=self.language,
                                                vocabulary=list(self.vocabulary))
            install(self._transcriber.whisper)  # a 2-hour interview fits a laptop's memory
        return self._transcriber

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            with heap.loading():
                self._detector = Detector(terms=self.terms)
        return self._detector


def _noop(stage: Stage, fraction: float) -> None:
    pass

def _quiet_after_cancel(progress: StageProgress, cancel: CancelToken) -> StageProgress:
    """An abandoned helper must not move a progress bar that now belongs to the next item."""

    def report(stage: Stage, fraction: float) -> None:
        if not cancel.cancelled:
            progress(stage, fraction)

    return report

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
    progress: StageProgress | None = None,
    cancel: CancelToken | None = None,
) -> list[str]:
    """Bring one recording to the review stage; skips any stage whose result is saved.

    Returns notes for the researcher (a lost transcript made again; voices too alike; speech
    without words), also kept on the entry so that a reopened study shows them again."""
    cancel = cancel or CancelToken()
    progress = _quiet_after_cancel(progress or _noop, cancel)
    path = Path(entry.path)
    notes: list[str] = []
    earlier: list[Finding] = []
    made = False  # whether this run made the transcript (else its earlier notes still hold)
    if is_text_source(path):  # a transcript or a sheet: no audio, straight to detection
        transcript = _read_source(study, entry, progress)
    else:
        progress(Stage.PROBE, 0.0)
        info = probe(path)
        entry.duration = info.duration
        cancel.check()
        if study.has_transcript(entry.id):
            transcript = study.load_transcript(entry.id)
        else:
            if study.has_findings(entry.id):  # the transcript was deleted after review began
                earlier = study.load_findings(entry.id)
            transcript = _transcribe(study, entry, engines, progress, cancel, notes)
            made = True
    cancel.check()
    if earlier or not study.has_findings(entry.id):
        progress(Stage.DETECT, 0.0)
        terms = study_terms(study)

        def detect() -> list[Finding]:
            with engines.models_in_use:
                engines.detector.set_terms(terms)
                return engines.detector.detect_transcript(transcript)

        findings = wait_cancellable(detect, cancel)
        if earlier:
            kept = carry_decisions(earlier, findings, transcript)
            decided = sum(1 for f in earlier if f.decision is not Decision.PENDING)
            notes.append(f"its saved transcript was missing, so it was transcribed again; "
                         f"{kept} of {decided} earlier decision(s) carried over")
        study.save_findings(entry.id, findings)
        progress(Stage.DETECT, 1.0)
    entry.notes = notes if made or is_text_source(path) else list(
        dict.fromkeys(entry.notes + notes))
    entry.status = RecordingStatus.REVIEW
    entry.error = ""
    study.save()
    progress(Stage.SAVE, 1.0)
    unheard = count_unheard(transcript)  # said afresh each time: never kept on the entry
    return entry.notes + ([f"{unheard} stretch(es) of speech without words, marked "
                           "[no transcript …]: listen to them in review"] if unheard else [])


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


def _read_source(study: Study, entry: RecordingEntry, progress: StageProgress) -> Transcript:
    """A text transcript or survey sheet as the recording's transcript (read once, saved)."""
    if study.has_transcript(entry.id):
        return study.load_transcript(entry.id)
    progress(Stage.READ, 0.0)
    result = read_source(Path(entry.path), study.folder(entry.id),
                         progress=lambda f: progress(Stage.READ, f))
    _remember_names(study, result.names, result.terms)
    study.save_transcript(entry.id, result.transcript)
    entry.duration = result.transcript.recording.duration
    entry.status = RecordingStatus.TRANSCRIBED
    study.save()
    progress(Stage.READ, 1.0)
    return result.transcript


def _remember_names(study: Study, names: Sequence[str], others: Sequence[str] = ()) -> None:
    """Names a source revealed (speakers, a meeting title, a survey's respondents) go to the
    study's always-redact list; a speaker label that is one is then replaced like it."""
    changed = False
    for name in [*names, *others]:
        changed |= study.terms.add_always(name, "PERSON")
    if changed:
        study.save_terms()


def _transcribe(study: Study, entry: RecordingEntry, engines: Engines, progress: StageProgress,
                cancel: CancelToken, notes: list[str]) -> Transcript:
    info = RecordingInfo(name=entry.name, duration=entry.duration, sha256=entry.sha256,
                         path=entry.path)
    progress(Stage.TRANSCRIBE, 0.0)
    transcriber = engines.transcriber
    before = transcriber.vocabulary
    transcriber.vocabulary = hotwords(study, entry, engines)  # for this recording only
    decoded: list[Any] = []  # the samples the model heard: speakers reuse them (no 2nd decode)
    beside: list[diarization.HeadStart] = []

    def heard(audio: Any) -> None:
        decoded.append(audio)
        run = _speakers_beside(study, entry, engines, audio)
        if run is not None:
            beside.append(run)

    try:
        try:
            transcript = transcriber.transcribe(  # runs the model in its own worker thread
                Path(entry.path), progress=lambda f: progress(Stage.TRANSCRIBE, f),
                cancel=cancel, recording=info, on_audio=heard,
            )
        finally:
            transcriber.vocabulary = before
        result = _label_speakers(study, entry, engines, transcript, progress, cancel,
                                 decoded[0] if decoded else None)
    finally:
        for run in beside:
            run.drop()
    transcript = result.transcript
    if result.note:
        notes.append(result.note)
    _mark_unheard(entry, transcript, cancel, decoded[0] if decoded else None)
    study.save_transcript(entry.id, transcript)
    entry.status = RecordingStatus.TRANSCRIBED
    study.save()
    return transcript


def _mark_unheard(entry: RecordingEntry, transcript: Transcript, cancel: CancelToken,
                  audio: Any = None) -> None:
    """Mark voiced stretches the recogniser wrote no words for (see transcribe/coverage);
    ``audio``: the samples the recogniser heard (without speakers, no second decode)."""
    voiced = [(t.start, t.end) for t in transcript.speaker_times]
    if not voiced:
        source = audio if audio is not None else Path(entry.path)
        voiced = wait_cancellable(lambda: voiced_times(source), cancel)
    mark_unheard(transcript, voiced)


def _expected_speakers(study: Study, engines: Engines) -> int | None:
    """A count given for this run wins; else what the study says its recordings are."""
    return engines.num_speakers or study.settings.expected_speakers()


def _speakers_beside(study: Study, entry: RecordingEntry, engines: Engines,
                     audio: Any) -> diarization.HeadStart | None:
    """On a machine with cores to spare (``diarize.spare_workers``: 4 or more), the diarizer
    starts on the decoded samples while the recogniser works, and the speaker stage collects
    its result; not where a Teams transcript beside the recording will be used instead or the
    diarizer is not the method. On 2 cores nothing starts: the stages run one after another."""
    if engines.speakers not in ("auto", "diarize") or diarization.spare_workers() < 1:
        return None
    if engines.speakers == "auto" and (find_teams_transcript(Path(entry.path)) is not None
                                       or not diarization_available()):
        return None
    return diarization.start_beside(audio, _expected_speakers(study, engines))


def _label_speakers(study: Study, entry: RecordingEntry, engines: Engines,
                    transcript: Transcript, progress: StageProgress,
                    cancel: CancelToken, audio: Any = None) -> SpeakerResult:
    """Speaker turns (Teams transcript, channels or diarizer); names go to always-redact."""
    if engines.speakers == "none":
        return SpeakerResult(transcript, "none")
    progress(Stage.SPEAKERS, 0.0)
    expected = _expected_speakers(study, engines)

    def label() -> SpeakerResult:
        with engines.models_in_use:
            return label_turns(transcript, Path(entry.path), audio=audio,
                               num_speakers=expected,
                               mode=engines.speakers,
                               progress=lambda f: progress(Stage.SPEAKERS, f), cancel=cancel)

    result = wait_cancellable(label, cancel)
    _remember_names(study, result.names)
    progress(Stage.SPEAKERS, 1.0)
    return result


def accept_all(findings: list[Finding]) -> None:
    for f in findings:
        if f.decision is Decision.PENDING:
            f.decision = Decision.ACCEPTED


@dataclass
class Settled:
    """How a recording's run ended when it did not finish: its new status, and why."""

    status: RecordingStatus
    failure: Failure | None = None  # None when cancelled

    @property
    def message(self) -> str:
        return self.failure.message if self.failure else ""


def settle(study: Study, entry: RecordingEntry | None, exc: Exception, path: Path,
           cancelled: RecordingStatus = RecordingStatus.QUEUED) -> Settled:
    """The one policy for a recording whose run raised ``exc``: a cancel leaves it at
    ``cancelled`` (it resumes from its last finished step), any other error marks it failed
    with the researcher's message (``failures.classify``, by the error's type). A model that
    cannot load is no fault of the recording: re-raised for the driver to stop or pause."""
    if isinstance(exc, ModelError):
        raise exc
    if isinstance(exc, Cancelled):
        _mark(study, entry, cancelled)
        return Settled(cancelled)
    failure = classify(exc, path)
    _mark(study, entry, RecordingStatus.FAILED, failure.message)
    return Settled(RecordingStatus.FAILED, failure)


def _mark(study: Study, entry: RecordingEntry | None, status: RecordingStatus,
          error: str = "") -> None:
    if entry is None:  # it failed before it was added to the study
        return
    entry.status, entry.error = status, error
    with contextlib.suppress(OSError):  # the run already failed; its message is what matters
        study.save()
