"""The open study and the work on it: one study at a time, its queue worker, the pool that
adds files, and the queue's rows.

The window shows; this object owns. It opens and closes the ``Study``, starts and stops the
``QueueWorker`` (one thread, one model load for the whole queue) and keeps the ``QueueModel``
in step with what the study has saved. It asks nothing of the researcher itself: what the
window must show comes out as signals (``message``, ``error``, ``changed``), and a choice only
the researcher can make (a new survey sheet's columns) as ``columns_needed``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..core.files import CorruptFileError
from ..core.status import RETRYABLE, WAITING, RecordingStatus
from ..core.study import STUDY_FILE, RecordingEntry, Study, StudyLockedError
from ..detect.guess import guess_type
from ..processing import Engines
from ..sources import SourceKind, kind_of
from .queue_view import QueueModel
from .workers import AddTask, QueueWorker, SharedStudy, add_pool


class StudyController(QObject):
    """Opens and closes one study and owns the workers that process and add its recordings.

    ``engines`` may be given (tests, or an app that preloads them); otherwise the worker
    builds them from the study's settings on first use.
    """

    message = Signal(str, int)  # status-bar text, how long to show it (0: until replaced)
    error = Signal(str, str)  # title, text: something the researcher must see and act on
    changed = Signal()  # rows or counts changed (the window's summary and actions follow)
    columns_needed = Signal(object)  # a new survey sheet waits for its columns
    add_finished = Signal(str)  # what adding found, in words ("" when it found nothing)

    def __init__(self, engines: Engines | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engines = engines
        self.shared: SharedStudy | None = None
        self.worker: QueueWorker | None = None
        self.queue_model = QueueModel(self)  # its stage pace is learnt by this window only
        self.pool = add_pool()
        self._tasks: list[AddTask] = []
        self._again: dict[int, list[str]] = {}  # add task -> names already in the study

    # -- the study -------------------------------------------------------------------------
    def is_open(self, folder: Path) -> bool:
        return self.shared is not None and self.shared.root.resolve() == folder.resolve()

    def open(self, folder: Path) -> bool:
        """Open (or create) the study in ``folder`` and queue what was left unfinished.

        The caller closes any study already open first."""
        try:
            study = Study.open(folder)
        except StudyLockedError as exc:
            self.error.emit("Study in use", str(exc))
            return False
        except (CorruptFileError, OSError, ValueError, TypeError) as exc:
            self.error.emit("Cannot open the study",
                            f"The study in {folder} could not be opened: {exc}")
            return False
        if not (folder / STUDY_FILE).exists():
            study.save()
        self.shared = SharedStudy(study)
        self.worker = QueueWorker(self.shared, self._engines, self)
        self._connect_worker(self.worker)
        self.worker.start()
        self.queue_model.clear()
        for entry in self.shared.entries():
            self.queue_model.upsert(entry, self.pending(entry.id, entry.status))
            if entry.status in WAITING:
                self.worker.enqueue(entry.id)
        return True

    def close(self) -> None:
        """Stop work (unfinished items stay queued for next time) and release the study."""
        if self.shared is None:
            return
        if self.worker is not None:
            self.message.emit("Stopping… unfinished recordings will continue next time.", 8000)
            self.worker.stop()
            self.worker = None
        self.pool.waitForDone()
        self._tasks.clear()
        self.shared.study.close()
        self.shared = None
        self.queue_model.clear()

    def save_settings(self, changed: bool) -> bool:
        """Save the study's settings; True when the worker rebuilds its engines for them."""
        if self.shared is None:
            return False
        self.shared.save()
        if changed and self.worker is not None:
            self.worker.settings_changed()
            return True
        return False

    def entry(self, rec_id: str) -> RecordingEntry | None:
        return self.shared.recordings.get(rec_id) if self.shared else None

    def name(self, rec_id: str) -> str:
        entry = self.entry(rec_id)
        return entry.name if entry else rec_id

    def pending(self, rec_id: str, status: str) -> int | None:
        """A processed recording's findings still waiting for a decision (None otherwise)."""
        if self.shared is None or status != RecordingStatus.REVIEW:
            return None
        return self.shared.pending_count(rec_id)

    def refresh_rows(self) -> None:
        """Every row read back from the study's saved entries."""
        if self.shared is not None:
            with self.shared.lock:  # as in ``_added``: never a status the worker has not saved
                for entry in self.shared.entries():
                    self.queue_model.upsert(entry, self.pending(entry.id, entry.status))

    # -- the queue -------------------------------------------------------------------------
    def _connect_worker(self, worker: QueueWorker) -> None:
        worker.item_started.connect(self._item_started)
        worker.item_progress.connect(self.queue_model.progressed)
        worker.item_finished.connect(self._item_finished)
        worker.model_failed.connect(self._model_failed)
        worker.idle.connect(self._idle)

    def _item_started(self, rec_id: str) -> None:
        self.queue_model.started(rec_id)
        self.message.emit(f"Working on {self.name(rec_id)}…", 0)
        self.changed.emit()

    def _item_finished(self, rec_id: str, status: str, message: str, detail: str = "") -> None:
        self.queue_model.finished(rec_id, status, message, self.pending(rec_id, status), detail)
        name = self.name(rec_id)
        if status == RecordingStatus.FAILED:
            self.message.emit(f"{name} could not be processed: {message}", 15000)
        elif status == RecordingStatus.REVIEW:
            said = f": {message}." if message else "."
            self.message.emit(f"{name} is ready for review{said}", 15000 if message else 8000)
        elif message:
            self.message.emit(f"{name}: {message}", 8000)
        self.changed.emit()

    def _model_failed(self, message: str) -> None:
        self.error.emit("The speech model could not be loaded",
                        f"{message}\n\nChoose another model in File → Study settings; the "
                        "queue continues when the settings are saved.")

    def _idle(self) -> None:
        self.changed.emit()
        if self.worker is not None and not self.worker.busy():
            self.message.emit("All recordings processed.", 8000)

    def enqueue(self, rec_id: str) -> None:
        if self.worker is not None:
            self.worker.enqueue(rec_id)

    def cancel(self, rec_id: str) -> None:
        if self.worker is not None and self.worker.cancel(rec_id):
            self.message.emit(f"Cancelling {self.name(rec_id)}…", 8000)

    def retry(self, rec_id: str) -> None:
        entry = self.entry(rec_id)
        if entry is None or self.shared is None or self.worker is None:
            return
        self.shared.set_status(entry, RecordingStatus.QUEUED)
        self.queue_model.waiting(rec_id)
        self.worker.enqueue(rec_id)
        self.changed.emit()

    def is_working_on(self, rec_id: str) -> bool:
        return self.worker is not None and self.worker.current() == rec_id

    def remove(self, rec_id: str) -> None:
        """Take a recording out of the queue and the study (``OSError`` if the study folder
        cannot be changed): the recording file and anything exported stay where they are."""
        if self.shared is None or self.worker is None:
            return
        if rec_id in self.worker.pending():
            self.worker.cancel(rec_id)
        self.shared.remove_recording(rec_id)
        self.queue_model.remove(rec_id)

    # -- adding recordings -----------------------------------------------------------------
    def add_paths(self, paths: Iterable[Path]) -> AddTask | None:
        """Add files and folders (hashing and scanning run off the GUI thread)."""
        if self.shared is None:
            return None
        task = AddTask(self.shared, list(paths))
        task.setAutoDelete(False)
        self._again[id(task)] = []
        task.signals.added.connect(self._added)
        task.signals.added.connect(lambda rid, new, t=task: new or self._again[id(t)].append(
            self.name(rid)))
        task.signals.failed.connect(lambda path, msg: self.error.emit("Cannot add a file", msg))
        task.signals.note.connect(lambda text: self.message.emit(text, 15000))
        task.signals.done.connect(lambda n, t=task: self._add_done(t, n))
        self._tasks.append(task)
        self.message.emit("Adding recordings…", 0)
        self.pool.start(task)
        return task

    def _added(self, rec_id: str, new: bool) -> None:
        entry = self.entry(rec_id)
        if entry is None or self.shared is None or self.worker is None:
            return
        if entry.status in RETRYABLE:  # added again: the user wants another try
            self.shared.set_status(entry, RecordingStatus.QUEUED)
        if entry.status in WAITING:
            if new and kind_of(entry.name) is SourceKind.SURVEY:
                self.columns_needed.emit(entry)  # the window asks, then calls ``enqueue``
            else:
                self.worker.enqueue(rec_id)
        # The worker may already be failing it: it sets a status and saves it under this lock,
        # so the row shows a status only once it is on disk.
        with self.shared.lock:
            self.queue_model.upsert(entry, self.pending(rec_id, entry.status))
        self.changed.emit()

    def _add_done(self, task: AddTask, count: int) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
        again = self._again.pop(id(task), [])
        new = count - len(again)
        parts = []
        if new:
            parts.append(f"Added {new} recording(s).")
        if again:
            parts.append("Already in this study: " + ", ".join(again) + (
                "" if new else " — nothing new added") + ".")
        self.add_finished.emit(" ".join(parts))

    # -- the detector, for the review ------------------------------------------------------
    def type_guesser(self) -> Callable[[str, int, int], str | None]:
        """The review's "what type is this selection" question, answered by the worker's
        detector; starts loading it in the background.

        A weak link: a review holding the window alive made Qt delete it twice (crash)."""
        if self.worker is not None:
            self.worker.warm_detector()
        guess = weakref.WeakMethod(self.guess_type)
        return lambda text, a, b: g(text, a, b) if (g := guess()) is not None else None

    def guess_type(self, text: str, start: int, end: int) -> str | None:
        """The detector's type for a selection, if it is loaded and not busy elsewhere."""
        detector = self.worker.ready_detector() if self.worker else None
        if detector is None:
            return None
        lock = self.worker.models_lock()  # type: ignore[union-attr]
        if lock is not None and not lock.acquire(blocking=False):
            return None  # the worker is detecting: never make the window wait for it
        try:
            return guess_type(detector, text, start, end)
        finally:
            if lock is not None:
                lock.release()
