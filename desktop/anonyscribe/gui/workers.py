"""Background work for the app, so the window never freezes.

One thread (``QueueWorker``) owns the heavy engines (speech model, identifier detector) and does
all long work in order: processing recordings one after another, working out export file names,
exporting. The model is therefore loaded once for the whole queue. Adding files (hashing a
gigabyte of Teams video takes seconds) runs in a small thread pool. The GUI thread only sends
requests and listens to signals.

The study object is shared between threads through ``SharedStudy``, which serialises saves and
additions so that one thread never writes ``study.json`` while another adds a recording.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal

from .. import offline  # noqa: F401 - offline switches before any model library loads
from ..batch import collect_inputs
from ..core.cancel import CancelToken
from ..core.layout import LayoutError, check_apart
from ..core.status import RecordingStatus, Stage
from ..core.study import RecordingEntry, Study, file_sha256
from ..exporting import ExportReporter, export_recordings, planned_stems, undecided
from ..failures import classify
from ..labels import Pending
from ..media import probe
from ..processing import Engines, process_recording, settle
from ..transcribe.models import ModelError


class SharedStudy:
    """The one ``Study`` of the window, safe to use from the GUI thread and the workers.

    Everything not listed here is passed straight to the study; saves and additions take a lock
    so that ``study.json`` is always written from a consistent list of recordings.
    """

    __slots__ = ("_study", "lock")

    def __init__(self, study: Study) -> None:
        object.__setattr__(self, "_study", study)
        object.__setattr__(self, "lock", threading.RLock())

    @property
    def study(self) -> Study:
        return self._study

    def __getattr__(self, name: str) -> Any:
        return getattr(self._study, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._study, name, value)

    def save(self) -> None:
        with self.lock:
            self._study.save()

    def save_register(self) -> None:
        with self.lock:
            self._study.save_register()

    def save_terms(self) -> None:
        with self.lock:
            self._study.save_terms()

    def add_recording(self, path: Path, sha256: str | None = None) -> RecordingEntry:
        with self.lock:
            return self._study.add_recording(path, sha256)

    def remove_recording(self, rec_id: str) -> None:
        """Forget a recording: its entry, transcript and findings (never the original file)."""
        with self.lock:
            entry = self._study.recordings.pop(rec_id, None)
            if entry is None:
                return
            try:
                self._study.save()
            except OSError:
                self._study.recordings[rec_id] = entry  # nothing half-removed
                raise
        shutil.rmtree(self._study.folder(rec_id), ignore_errors=True)

    def entries(self) -> list[RecordingEntry]:
        with self.lock:
            return list(self._study.recordings.values())

    def set_status(self, entry: RecordingEntry, status: RecordingStatus, error: str = "") -> None:
        """Record how far a recording got; a failed save must not hide the first problem."""
        with self.lock:
            entry.status = RecordingStatus(status)
            entry.error = error
            with contextlib.suppress(OSError):
                self._study.save()

    def pending_count(self, rec_id: str) -> int:
        """Findings of one recording still waiting for a decision."""
        return sum(self.pending_types(rec_id).values())

    def pending_types(self, rec_id: str) -> dict[str, int]:
        """Undecided findings of one recording by type (what markers its export will show)."""
        return undecided(self._study, rec_id)


# -- adding files ------------------------------------------------------------------------------
class AddSignals(QObject):
    """What an ``AddTask`` reports (QRunnable cannot have signals itself)."""

    added = Signal(str, bool)  # recording id, whether it was new to the study
    failed = Signal(str, str)  # path, message
    note = Signal(str)
    done = Signal(int)  # how many recordings were added or found again


class AddTask(QRunnable):
    """Find recordings in the dropped files/folders, hash and probe them, add them to the study.

    Runs off the GUI thread: hashing is what makes re-adding the same file resume instead of
    starting over, and it reads every byte.
    """

    def __init__(self, shared: SharedStudy, paths: Iterable[Path]) -> None:
        super().__init__()
        self.shared = shared
        self.paths = [Path(p) for p in paths]
        self.signals = AddSignals()

    def run(self) -> None:
        try:
            files, notes = collect_inputs(self.paths)
        except Exception as exc:  # noqa: BLE001 - report, never crash the pool
            self.signals.note.emit(f"Could not read the dropped items: {exc}")
            self.signals.done.emit(0)
            return
        for n in notes:
            self.signals.note.emit(n)
        count = 0
        for path in files:
            if self._add_one(path):
                count += 1
        self.signals.done.emit(count)

    def _add_one(self, path: Path) -> bool:
        try:
            sha = file_sha256(path)
        except OSError as exc:
            self.signals.failed.emit(str(path), classify(exc, path).message)
            return False
        known = {e.id for e in self.shared.entries()}
        entry = self.shared.add_recording(path, sha)
        if not entry.duration:
            entry.duration = _probe_duration(path)
        self.shared.save()
        self.signals.added.emit(entry.id, entry.id not in known)
        return True


def _probe_duration(path: Path) -> float:
    """The length shown in the queue at once; a bad file is reported by the worker later."""
    try:
        return float(probe(path).duration)
    except Exception:  # noqa: BLE001 - processing reports the real problem in words
        return 0.0


def add_pool() -> QThreadPool:
    """One file at a time: hashing two large files at once only makes both slower."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    return pool


# -- the queue -----------------------------------------------------------------------------------
@dataclass
class ExportRequest:
    """What the export dialog asked for."""

    rec_ids: list[str]
    out_dir: Path
    formats: list[str]
    problems: list[str] = field(default_factory=list)
    pending: Pending = Pending.MARK  # ORIGINAL only on the researcher's explicit choice


_STILL_STOPPING: list[QThread] = []
EXIT_WAIT_MS = 120_000  # a model call that outlived the window's close gets this long to end


@atexit.register
def _let_stopping_workers_end() -> None:
    """At exit, wait for a worker that was still inside a model call when its study closed:
    Python tearing down a running QThread aborts the whole process (a crash report on exit)."""
    for thread in list(_STILL_STOPPING):
        thread.wait(EXIT_WAIT_MS)


class QueueWorker(QThread):
    """Processes the study's recordings one at a time with one set of engines; also exports.

    Requests (``enqueue``, ``cancel``, ``request_names``, ``request_export``) may come from the
    GUI thread at any time; results come back as signals, delivered on the GUI thread.
    """

    item_started = Signal(str)
    item_progress = Signal(str, str, float)  # recording id, stage, fraction of that stage
    # recording id, new status, message, the message without the recording's name
    item_finished = Signal(str, str, str, str)
    model_failed = Signal(str)
    names_ready = Signal(int, dict)  # request number, recording id -> planned file stem
    export_progress = Signal(int, int, str)  # done, total, recording name
    export_finished = Signal(list, list)  # written paths (str), problems (str)
    idle = Signal()

    def __init__(self, shared: SharedStudy, engines: Engines | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shared = shared
        self._engines = engines
        self._owns_engines = engines is None
        self._cond = threading.Condition()
        self._pending: list[str] = []
        self._jobs: deque[Callable[[], None]] = deque()
        self._current: str | None = None
        self._token: CancelToken | None = None
        self._stopping = False
        self._paused = False

    # -- requests from the GUI thread ---------------------------------------------------------
    def enqueue(self, rec_id: str) -> bool:
        """Queue a recording unless it is already waiting or running."""
        with self._cond:
            if rec_id == self._current or rec_id in self._pending:
                return False
            self._pending.append(rec_id)
            self._cond.notify()
            return True

    def cancel(self, rec_id: str) -> bool:
        """Stop a running recording at the next safe point, or take a waiting one off."""
        with self._cond:
            if rec_id == self._current and self._token is not None:
                self._token.cancel()
                return True
            if rec_id not in self._pending:
                return False
            self._pending.remove(rec_id)
        entry = self.shared.recordings.get(rec_id)
        if entry is not None:
            self.shared.set_status(entry, RecordingStatus.CANCELLED)
        self.item_finished.emit(rec_id, RecordingStatus.CANCELLED, "Cancelled before it started.",
                                "")
        return True

    def current(self) -> str | None:
        return self._current

    def pending(self) -> list[str]:
        with self._cond:
            return list(self._pending)

    def busy(self) -> bool:
        with self._cond:
            return bool(self._current or self._pending or self._jobs)

    def request_names(self, serial: int, rec_ids: Sequence[str], out_dir: Path,
                      formats: Sequence[str]) -> None:
        ids, fmts = list(rec_ids), list(formats)
        self._submit(lambda: self._names(serial, ids, Path(out_dir), fmts))

    def request_export(self, request: ExportRequest) -> None:
        self._submit(lambda: self._export(request))

    def settings_changed(self) -> None:
        """The study's model, language or vocabulary changed: rebuild engines before next use."""
        def reset() -> None:
            if self._owns_engines:
                self._engines = None
        self._submit(reset)
        self.resume()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify()

    def stop(self, wait_ms: int = 30000) -> bool:
        """Cancel the running item (it goes back to the queue) and end the thread."""
        with self._cond:
            self._stopping = True
            if self._token is not None:
                self._token.cancel()
            self._cond.notify()
        if not self.isRunning() or self.wait(wait_ms):
            return True
        # Still inside one long model call: let it finish on its own rather than destroy a
        # running thread (which aborts the process). What it saves is atomic either way.
        self.setParent(None)
        _STILL_STOPPING.append(self)
        self.finished.connect(lambda: _STILL_STOPPING.remove(self))
        return False

    def warm_detector(self) -> None:
        """Load the detector in the background (the review's Flag dialog asks it for a type)."""
        def load() -> None:
            with contextlib.suppress(Exception):
                self._detector()
        if self.ready_detector() is None:
            self._submit(load)

    def ready_detector(self) -> Any:
        """The detector if it is already loaded, else None (never loads it here)."""
        engines = self._engines
        return getattr(engines, "_detector", None) if engines is not None else None

    def models_lock(self) -> Any:
        return getattr(self._engines, "models_in_use", None)

    def _submit(self, job: Callable[[], None]) -> None:
        with self._cond:
            self._jobs.append(job)
            self._cond.notify()

    # -- the thread ----------------------------------------------------------------------------
    def run(self) -> None:
        while True:
            job: Callable[[], None] | None = None
            rec_id: str | None = None
            with self._cond:
                while not self._stopping and not self._jobs and (
                        self._paused or not self._pending):
                    self._cond.wait()
                if self._stopping:
                    return
                if self._jobs:
                    job = self._jobs.popleft()
                else:
                    rec_id = self._pending.pop(0)
                    self._current = rec_id
                    self._token = CancelToken()
                token = self._token
            try:
                if job is not None:
                    job()
                elif rec_id is not None and token is not None:
                    self._process(rec_id, token)
            finally:
                with self._cond:
                    self._current = None
                    self._token = None
                    quiet = not (self._pending or self._jobs) or self._paused
            if quiet:
                self.idle.emit()

    def engines(self) -> Engines:
        """The engines, built from the study's settings the first time they are needed."""
        if self._engines is None:
            s = self.shared.settings
            self._engines = Engines(model=s.model or None, language=s.language or None,
                                    vocabulary=list(s.vocabulary), terms=self.shared.terms)
        return self._engines

    def _process(self, rec_id: str, token: CancelToken) -> None:
        entry = self.shared.recordings.get(rec_id)
        if entry is None:
            return
        self.item_started.emit(rec_id)

        def progress(stage: Stage, fraction: float) -> None:
            self.item_progress.emit(rec_id, stage, float(fraction))

        try:
            engines = self.engines()
            if engines._transcriber is None and not self.shared.has_transcript(rec_id):
                progress(Stage.LOAD, 0.0)
            notes = process_recording(self.shared, entry, engines, progress, token)
        except ModelError as exc:  # no recording can go on: pause the queue, keep this one
            self.shared.set_status(entry, RecordingStatus.QUEUED)
            with self._cond:
                self._paused = True
                self._pending.insert(0, rec_id)
            self.item_finished.emit(rec_id, RecordingStatus.QUEUED, str(exc), "")
            self.model_failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the queue
            with self.shared.lock:
                ended = settle(self.shared, entry, exc, Path(entry.path),  # type: ignore[arg-type]
                               RecordingStatus.QUEUED if self._stopping
                               else RecordingStatus.CANCELLED)
            if ended.failure is None:
                msg = ("Stopped; will continue next time." if self._stopping else
                       "Cancelled. Press Retry to continue from the last finished step.")
                self.item_finished.emit(rec_id, ended.status, msg, "")
                return
            if ended.failure.is_bug:
                traceback.print_exc()  # a bug, not a bad file: keep the details for a report
            self.item_finished.emit(rec_id, ended.status, ended.failure.message,
                                    ended.failure.detail)
            return
        # What the researcher should know (voices too alike, speech without words) goes with
        # the row and the status bar.
        self.item_finished.emit(rec_id, entry.status, "; ".join(notes), "")

    def _detector(self) -> Any:
        return self.engines().detector

    def _names(self, serial: int, rec_ids: list[str], out_dir: Path,
               formats: list[str]) -> None:
        try:
            detector = self._detector()
            with self.shared.lock:  # the review screen may merge or relabel meanwhile
                names = planned_stems(self.shared, rec_ids, out_dir,  # type: ignore[arg-type]
                                      formats, detector)
        except Exception as exc:  # noqa: BLE001 - the dialog shows why instead of a name
            names = {rid: f"(cannot work out the name: {exc})" for rid in rec_ids}
        self.names_ready.emit(serial, names)

    def _export(self, req: ExportRequest) -> None:
        try:
            check_apart(self.shared.root, req.out_dir)  # said once, not once per recording
        except LayoutError as exc:
            self.export_finished.emit([], [*req.problems, str(exc)])
            return
        try:
            detector = self._detector()
        except Exception as exc:  # noqa: BLE001
            self.export_finished.emit([], [f"The identifier detector could not start: {exc}"])
            return
        run = export_recordings(self.shared, req.rec_ids, req.out_dir,  # type: ignore[arg-type]
                                req.formats, detector, req.pending, _ExportSignals(self))
        total = len(req.rec_ids)
        self.export_progress.emit(total, total, "")
        self.export_finished.emit([str(p) for p in [*run.written, *run.project]],
                                  [*req.problems, *run.problems])


class _ExportSignals(ExportReporter):
    """An export run's progress as the worker's signal."""

    def __init__(self, worker: QueueWorker) -> None:
        self.worker = worker

    def starting(self, index: int, total: int, entry: RecordingEntry) -> None:
        self.worker.export_progress.emit(index, total, entry.name)
