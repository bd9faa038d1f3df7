"""The main window: start page, the study's queue, the review screen, menus and status bar.

The window holds no anonymisation logic: it opens a ``Study``, hands recordings to the
``QueueWorker`` (one thread, one model load for the whole queue) and shows the review widget.
Every state it shows is read back from the study, which is what lets a crash or a kill lose
nothing: reopening the study shows exactly what was saved, and unfinished items resume.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.files import CorruptFileError
from ..core.status import READY, WAITING
from ..core.study import STUDY_FILE, RecordingEntry, Study, StudyLockedError
from ..processing import Engines
from ..sources import SourceKind, kind_of
from .about_dialog import AboutDialog, ShortcutsDialog
from .export_dialog import ExportDialog
from .queue_view import QueueModel, QueueView, format_eta, paths_from_urls
from .settings import AppSettings
from .start_page import NewStudyDialog, StartPage, default_parent_folder
from .study_dialog import (
    StudySettingsDialog,
    ask_open_study_folder,
    is_study,
)
from .survey_dialog import SurveyColumnsDialog
from .workers import AddTask, QueueWorker, SharedStudy, add_pool

PAGE_START, PAGE_QUEUE, PAGE_REVIEW = range(3)
MEDIA_FILTER = ("Recordings (*.mp4 *.m4a *.m4v *.mov *.mkv *.webm *.wav *.mp3 *.flac *.ogg "
                "*.opus *.aac *.wma *.amr *.aif *.aiff *.3gp *.avi *.wmv);;"
                "Transcripts and survey exports (*.docx *.txt *.vtt *.srt *.xlsx *.csv *.tsv);;"
                "All files (*)")


def review_widget_class() -> type[QWidget]:
    """The review screen; a bare read-only view if that module is missing from this build."""
    try:
        from .review import ReviewWidget
    except ImportError:
        return PlaceholderReview
    return ReviewWidget


class PlaceholderReview(QWidget):
    """Shows the transcript read-only: used only when the review screen is not installed."""

    progress_changed = Signal(int, int)

    def __init__(self, study: object, rec_id: str, media_path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        from PySide6.QtGui import QUndoStack

        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.session = None
        text = QPlainTextEdit(self)
        text.setReadOnly(True)
        transcript = study.load_transcript(rec_id)  # type: ignore[attr-defined]
        text.setPlainText("\n\n".join(
            f"{transcript.speaker_label(s.speaker)}: {s.text}" for s in transcript.segments))
        layout = QVBoxLayout(self)
        layout.addWidget(text)


class MainWindow(QMainWindow):
    """One window, one study at a time.

    ``engines`` may be given (tests, or an app that preloads them); otherwise the worker
    builds them from the study's settings on first use.
    """

    study_opened = Signal(Path)
    study_closed = Signal()

    def __init__(self, settings: AppSettings | None = None, engines: Engines | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app_settings = settings or AppSettings()
        self._engines = engines
        self.shared: SharedStudy | None = None
        self.worker: QueueWorker | None = None
        self.review: QWidget | None = None
        self.review_id: str | None = None
        self.errors: list[str] = []  # every message shown in an error box, newest last
        self._tasks: list[AddTask] = []
        self._again: dict[int, list[str]] = {}  # add task -> names already in the study
        self._export_dialog: ExportDialog | None = None
        self.survey_dialog: SurveyColumnsDialog | None = None  # the last one asked
        self.pool = add_pool()
        self.queue_model = QueueModel(self)

        self.pages = QStackedWidget(self)
        self.start_page = StartPage(self)
        self.queue_view = QueueView(self.queue_model, self)
        self.review_page = self._review_page()
        for page in (self.start_page, self.queue_view, self.review_page):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self._connect_pages()
        self._make_actions()
        self._make_menus()
        self.summary = QLabel(self)
        self.statusBar().addPermanentWidget(self.summary)
        self.setAcceptDrops(True)
        # Time left counts down between the worker's reports (speaker separation reports rarely).
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self.resize(1100, 720)
        geometry = self.app_settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._show_start()

    # -- building --------------------------------------------------------------------------------
    def _review_page(self) -> QWidget:
        page = QWidget(self)
        self.back_button = QPushButton("← Recordings", page)
        self.back_button.setToolTip("Back to the list of recordings (Esc). Decisions are "
                                    "already saved.")
        self.back_button.clicked.connect(self.show_queue)
        self.back_button.setAccessibleName("Back to the recordings")
        self.review_title = QLabel(page)
        self.review_title.setAccessibleName("Recording under review")
        review_export = QPushButton("Export…", page)
        review_export.setToolTip("Export the anonymised transcripts (Ctrl+E)")
        review_export.clicked.connect(self.show_export_dialog)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.review_title, 1)
        bar.addWidget(review_export)
        self.review_holder = QVBoxLayout()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addLayout(self.review_holder, 1)
        return page

    def _connect_pages(self) -> None:
        sp = self.start_page
        sp.new_requested.connect(self.new_study)
        sp.open_requested.connect(self.choose_study)
        sp.recent_chosen.connect(self.open_study)
        qv = self.queue_view
        qv.add_files_requested.connect(self.choose_files)
        qv.add_folder_requested.connect(self.choose_folder)
        qv.review_requested.connect(self.open_review)
        qv.cancel_requested.connect(self.cancel_item)
        qv.retry_requested.connect(self.retry_item)
        qv.remove_requested.connect(self.remove_item)
        qv.reveal_requested.connect(self.reveal_item)
        qv.export_requested.connect(self.show_export_dialog)

    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_action = self._action("&New study…", self.new_study, K.New,
                                       "Create a study in an empty folder")
        self.open_action = self._action("&Open study…", self.choose_study, K.Open)
        self.close_study_action = self._action("&Close study", self.close_study_by_user)
        self.settings_action = self._action("Study &settings…", self.edit_study_settings)
        self.add_files_action = self._action("&Add recordings…", self.choose_files,
                                             "Ctrl+Shift+A")
        self.add_folder_action = self._action("Add a &folder of recordings…",
                                              self.choose_folder)
        self.export_action = self._action("&Export…", self.show_export_dialog, "Ctrl+E")
        self.quit_action = self._action("&Quit", self.close, K.Quit)
        self.undo_action = self._action("&Undo", self.undo, K.Undo)
        self.redo_action = self._action("&Redo", self.redo, K.Redo)
        # The review widget sees these window-wide keys and leaves Ctrl+Z / Ctrl+Y to the menu
        # (two bindings of one key would be ambiguous and do nothing).
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.back_action = self._action("Back to recordings", self.show_queue, "Escape")
        self.back_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.back_action)
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts)
        self.about_action = self._action("&About Anonyscribe", self.show_about)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.close_study_action)
        file_menu.addSeparator()
        file_menu.addAction(self.add_files_action)
        file_menu.addAction(self.add_folder_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.app_settings.recent_studies():
            action = self.recent_menu.addAction(str(folder))
            action.triggered.connect(lambda _=False, f=folder: self.open_study(f))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent studies").setEnabled(False)

    def _update_actions(self) -> None:
        has_study = self.shared is not None
        for action in (self.close_study_action, self.settings_action, self.add_files_action,
                       self.add_folder_action):
            action.setEnabled(has_study)
        self.export_action.setEnabled(has_study and any(
            r.status in READY for r in self.queue_model.rows))
        stack = self.undo_stack()
        self.undo_action.setEnabled(bool(stack and stack.canUndo()))
        self.redo_action.setEnabled(bool(stack and stack.canRedo()))
        self.undo_action.setText(f"&Undo {stack.undoText()}".strip() if stack else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redoText()}".strip() if stack else "&Redo")
        self.back_action.setEnabled(self.pages.currentIndex() == PAGE_REVIEW)

    # -- messages --------------------------------------------------------------------------------
    def _tick(self) -> None:
        if any(r.running for r in self.queue_model.rows):
            self.queue_model.tick()
            self._update_summary()

    def notify(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def show_error(self, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the caller (workers keep reporting)."""
        self.errors.append(text)
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _update_summary(self) -> None:
        self._update_actions()
        counts = self.queue_model.counts()
        if not self.queue_model.rows:
            self.summary.setText("")
            return
        parts = [f"{len(self.queue_model.rows)} recording(s)"]
        for status, words in (("running", "working"), ("queued", "waiting"),
                              ("transcribed", "waiting"), ("review", "ready for review"),
                              ("exported", "exported"), ("failed", "failed"),
                              ("cancelled", "cancelled")):
            if counts.get(status):
                parts.append(f"{counts[status]} {words}")
        if counts.get("running") or counts.get("queued") or counts.get("transcribed"):
            eta = self.queue_model.queue_eta()
            if eta is not None:
                parts.append(f"all done in {format_eta(eta)}")
        self.summary.setText(" · ".join(parts))

    # -- studies ---------------------------------------------------------------------------------
    def new_study(self) -> NewStudyDialog:
        """Ask for a name, a place and what the recordings are; OK creates and opens it."""
        dialog = NewStudyDialog(default_parent_folder(self.app_settings.recent_studies()), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: dialog.folder and self.open_study(dialog.folder))
        dialog.finished.connect(self._after_dialog)
        dialog.open()
        return dialog

    def choose_study(self) -> None:
        folder = ask_open_study_folder(self)
        if folder is None:
            return
        if not is_study(folder):
            self.show_error("Not a study folder",
                            f"{folder} is not an Anonyscribe study (it has no {STUDY_FILE}). "
                            "Choose the study's folder, or use New study to start one.")
            return
        self.open_study(folder)

    def restore_last_study(self) -> bool:
        """Reopen the study that was open when the app last stopped (even by a crash)."""
        folder = self.app_settings.last_study()
        return self.open_study(folder) if folder and is_study(folder) else False

    def open_study(self, folder: Path | str) -> bool:
        """Open (or create) the study in ``folder``; resumes anything left unfinished."""
        folder = Path(folder).expanduser()
        if self.shared is not None:
            if self.shared.root.resolve() == folder.resolve():
                return True
            self.close_study()
        try:
            study = Study.open(folder)
        except StudyLockedError as exc:
            self.show_error("Study in use", str(exc))
            return False
        except (CorruptFileError, OSError, ValueError, TypeError) as exc:
            self.show_error("Cannot open the study",
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
            self.queue_model.upsert(entry, self._pending(entry.id, entry.status))
            if entry.status in WAITING:
                self.worker.enqueue(entry.id)
        self.app_settings.add_recent(folder)
        self.app_settings.mark_opened(folder)
        self.app_settings.set_last_study(folder)
        self.setWindowTitle(f"Anonyscribe — {folder.name}")
        self.show_queue()
        waiting = len(self.worker.pending())
        self.notify(f"Opened {folder}." + (f" Continuing with {waiting} unfinished "
                                           "recording(s)." if waiting else ""))
        self.study_opened.emit(folder)
        return True

    def close_study(self) -> None:
        """Stop work (unfinished items stay queued for next time) and release the study."""
        if self.shared is None:
            return
        self._close_review()
        if self._export_dialog is not None:
            self._export_dialog.reject()
        if self.worker is not None:
            self.notify("Stopping… unfinished recordings will continue next time.")
            self.worker.stop()
            self.worker = None
        self.pool.waitForDone()
        self._tasks.clear()
        self.shared.study.close()
        self.shared = None
        self.queue_model.clear()
        self.setWindowTitle("Anonyscribe")
        self._show_start()
        self.study_closed.emit()

    def close_study_by_user(self) -> None:
        self.close_study()
        self.app_settings.set_last_study(None)

    def edit_study_settings(self) -> StudySettingsDialog | None:
        if self.shared is None:
            return None
        dialog = StudySettingsDialog(self.shared.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def apply() -> None:
            if self.shared is None:
                return
            changed = dialog.apply_to(self.shared.settings)  # type: ignore[union-attr]
            self.shared.save()
            if changed and self.worker is not None:
                self.worker.settings_changed()
                self.notify("Settings saved; they apply to recordings transcribed from now on.")
        dialog.accepted.connect(apply)
        dialog.finished.connect(self._after_dialog)
        dialog.open()
        return dialog

    def _pending(self, rec_id: str, status: str) -> int | None:
        if self.shared is None or status != "review":
            return None
        return self.shared.pending_count(rec_id)

    def _refresh_rows(self) -> None:
        """Every row read back from the study's saved entries."""
        if self.shared is not None:
            with self.shared.lock:  # as in ``_added``: never a status the worker has not saved
                for entry in self.shared.entries():
                    self.queue_model.upsert(entry, self._pending(entry.id, entry.status))

    # -- adding recordings -----------------------------------------------------------------------
    def choose_files(self) -> None:
        if not self._need_study():
            return
        files, _ = QFileDialog.getOpenFileNames(self, "Add recordings",
                                                self.app_settings.media_folder(), MEDIA_FILTER)
        if files:
            self.app_settings.set_media_folder(Path(files[0]).parent)
            self.add_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        if not self._need_study():
            return
        folder = QFileDialog.getExistingDirectory(self, "Add every recording in a folder",
                                                  self.app_settings.media_folder())
        if folder:
            self.app_settings.set_media_folder(Path(folder).parent)
            self.add_paths([Path(folder)])

    def _need_study(self) -> bool:
        if self.shared is None:
            self.show_error("No study open", "Create or open a study first: it keeps the "
                            "recordings, transcripts and decisions together.")
            return False
        return True

    def add_paths(self, paths: Iterable[Path]) -> AddTask | None:
        """Add files and folders (hashing and scanning run off the GUI thread)."""
        if not self._need_study() or self.shared is None:
            return None
        task = AddTask(self.shared, list(paths))
        task.setAutoDelete(False)
        self._again[id(task)] = []
        task.signals.added.connect(self._added)
        task.signals.added.connect(lambda rid, new, t=task: new or self._again[id(t)].append(
            self._name(rid)))
        task.signals.failed.connect(lambda path, msg: self.show_error("Cannot add a file", msg))
        task.signals.note.connect(lambda text: self.notify(text, 15000))
        task.signals.done.connect(lambda n, t=task: self._add_done(t, n))
        self._tasks.append(task)
        self.notify("Adding recordings…", 0)
        self.pool.start(task)
        return task

    def _added(self, rec_id: str, new: bool) -> None:
        if self.shared is None or self.worker is None:
            return
        entry = self.shared.recordings.get(rec_id)
        if entry is None:
            return
        if entry.status in ("failed", "cancelled"):
            self.shared.set_status(entry, "queued")  # added again: the user wants another try
        if entry.status in WAITING and not (new and self._ask_survey_columns(entry)):
            self.worker.enqueue(rec_id)
        # The worker may already be failing it: it sets a status and saves it under this lock,
        # so the row shows a status only once it is on disk.
        with self.shared.lock:
            self.queue_model.upsert(entry, self._pending(rec_id, entry.status))
        self._update_summary()

    def _ask_survey_columns(self, entry: RecordingEntry) -> bool:
        """A newly added survey sheet: ask for its free-text columns first; the queue takes it
        when the dialog closes (with the proposal after Cancel). False: not a sheet."""
        if kind_of(entry.name) is not SourceKind.SURVEY or self.shared is None:
            return False
        try:
            dialog = SurveyColumnsDialog(Path(entry.path), self.shared.folder(entry.id), self)
        except Exception:  # noqa: BLE001 - an unreadable sheet is reported by the queue
            return False
        dialog.finished.connect(lambda _r, rid=entry.id: self.worker and self.worker.enqueue(rid))
        self.survey_dialog = dialog
        dialog.open()
        return True

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
        if parts:
            text = " ".join(parts)
            self.notify(text, 15000)
            self.queue_view.show_info(text)
        elif not self.statusBar().currentMessage().startswith("Skipped"):
            self.notify("No recordings found in what was added.")
            self.queue_view.show_info("No recordings found in what was added.")

    # -- drag and drop ---------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and paths_from_urls(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = paths_from_urls(event.mimeData().urls())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        if self.shared is None:
            self.show_error("No study open", "Create or open a study first, then drop the "
                            "recordings again.")
            return
        self.add_paths(paths)

    # -- the queue -------------------------------------------------------------------------------
    def _connect_worker(self, worker: QueueWorker) -> None:
        worker.item_started.connect(self._item_started)
        worker.item_progress.connect(self.queue_model.progressed)
        worker.item_finished.connect(self._item_finished)
        worker.model_failed.connect(self._model_failed)
        worker.idle.connect(self._idle)

    def _name(self, rec_id: str) -> str:
        entry = self.shared.recordings.get(rec_id) if self.shared else None
        return entry.name if entry else rec_id

    def _item_started(self, rec_id: str) -> None:
        self.queue_model.started(rec_id)
        self.notify(f"Working on {self._name(rec_id)}…", 0)
        self._update_summary()

    def _item_finished(self, rec_id: str, status: str, message: str, detail: str = "") -> None:
        self.queue_model.finished(rec_id, status, message, self._pending(rec_id, status), detail)
        name = self._name(rec_id)
        if status == "failed":
            self.notify(f"{name} could not be processed: {message}", 15000)
        elif status == "review":
            self.notify(f"{name} is ready for review.")
        elif message:
            self.notify(f"{name}: {message}")
        self._update_summary()

    def _model_failed(self, message: str) -> None:
        self.show_error("The speech model could not be loaded",
                        f"{message}\n\nChoose another model in File → Study settings; the "
                        "queue continues when the settings are saved.")

    def _idle(self) -> None:
        self._update_summary()
        if self.worker is not None and not self.worker.busy():
            self.notify("All recordings processed.")

    def cancel_item(self, rec_id: str) -> None:
        if self.worker is not None and self.worker.cancel(rec_id):
            self.notify(f"Cancelling {self._name(rec_id)}…")

    def retry_item(self, rec_id: str) -> None:
        if self.shared is None or self.worker is None:
            return
        entry = self.shared.recordings.get(rec_id)
        if entry is None:
            return
        self.shared.set_status(entry, "queued")
        self.queue_model.waiting(rec_id)
        self.worker.enqueue(rec_id)
        self._update_summary()

    def remove_item(self, rec_id: str) -> bool:
        """Take a recording out of the study (after asking): its transcript and decisions go,
        the recording file and anything already exported stay where they are."""
        if self.shared is None or self.worker is None:
            return False
        entry = self.shared.recordings.get(rec_id)
        if entry is None:
            return False
        if self.worker.current() == rec_id:
            self.notify(f"{entry.name} is being worked on: cancel it first, then remove it.")
            return False
        answer = QMessageBox.question(
            self, "Remove from the study",
            f"Remove “{entry.name}” from this study?\n\nIts transcript and review decisions "
            "are deleted from the study folder. The recording file itself and any files "
            "already exported are not touched.")
        self._after_dialog()
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if rec_id in self.worker.pending():
            self.worker.cancel(rec_id)
        if self.review_id == rec_id:
            self._close_review()
        try:
            self.shared.remove_recording(rec_id)
        except OSError as exc:
            self.show_error("Cannot remove the recording", f"{entry.name}: {exc}")
            return False
        self.queue_model.remove(rec_id)
        self.queue_view.show_info(f"Removed {entry.name} from the study.")
        self._update_summary()
        return True

    def reveal_item(self, rec_id: str) -> bool:
        """Open the folder holding the original recording in the file manager."""
        entry = self.shared.recordings.get(rec_id) if self.shared else None
        if entry is None:
            return False
        folder = Path(entry.path).parent
        if not folder.is_dir():
            self.show_error("Folder not found", f"{folder} is not there any more (a "
                            "disconnected drive?). Reconnect it or add the recording again.")
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- review ------------------------------------------------------------------------------------
    def open_review(self, rec_id: str) -> QWidget | None:
        """Show one recording's review screen (only once it is processed)."""
        if self.shared is None:
            return None
        entry = self.shared.recordings.get(rec_id)
        if entry is None or entry.status not in READY:
            self.notify("That recording is not ready for review yet.")
            return None
        if self.review_id == rec_id and self.review is not None:
            self.pages.setCurrentIndex(PAGE_REVIEW)
            return self.review
        self._close_review()
        media = Path(entry.path) if entry.path and Path(entry.path).exists() else None
        cls = review_widget_class()
        try:
            widget = cls(self.shared, rec_id, media, self.review_page)
        except (CorruptFileError, OSError, ValueError) as exc:
            self.show_error("Cannot open the review", str(exc))
            return None
        self.review, self.review_id = widget, rec_id
        self.review_holder.addWidget(widget)
        stack = widget.undo_stack
        for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.undoTextChanged,
                       stack.redoTextChanged):
            signal.connect(self._update_actions)
        widget.progress_changed.connect(self._review_progress)
        if hasattr(widget, "type_guesser"):
            # A weak link: a review holding the window alive made Qt delete it twice (crash).
            guess = weakref.WeakMethod(self._guess_type)
            widget.type_guesser = lambda text, a, b: (
                g(text, a, b) if (g := guess()) is not None else None)
            self.worker.warm_detector()  # type: ignore[union-attr]
        self.review_title.setText(f"<b>{entry.name}</b>")
        self._review_progress(*self._session_counts(widget))
        self.pages.setCurrentIndex(PAGE_REVIEW)
        widget.setFocus()
        self._update_actions()
        return widget

    def _guess_type(self, text: str, start: int, end: int) -> str | None:
        """The detector's type for a selection, if it is loaded and not busy elsewhere."""
        from ..detect.guess import guess_type

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

    def _after_dialog(self, *_: object) -> None:
        """Give the keys back to the review (or the queue) once a dialog closes."""
        if self.pages.currentIndex() == PAGE_REVIEW and self.review is not None:
            focus = getattr(self.review, "focus_transcript", None)
            if callable(focus):
                focus()
        elif self.pages.currentIndex() == PAGE_QUEUE:
            if not self.isActiveWindow():
                self.activateWindow()
            self.queue_view.table.setFocus()

    @staticmethod
    def _session_counts(widget: QWidget) -> tuple[int, int]:
        session = getattr(widget, "session", None)
        return tuple(session.counts()) if session is not None else (0, 0)  # type: ignore

    def _review_progress(self, done: int, total: int) -> None:
        """Keep the queue's "N to check" in step with the review, for the way back."""
        if self.review_id and self.shared:
            self.queue_model.set_pending(self.review_id, total - done)

    def _close_review(self) -> None:
        if self.review is None:
            return
        widget, self.review, self.review_id = self.review, None, None
        flush = getattr(widget, "flush", None)
        if callable(flush):
            flush()
        self.review_holder.removeWidget(widget)
        widget.hide()
        widget.deleteLater()
        self._update_actions()

    def show_queue(self) -> None:
        if self.shared is None:
            self._show_start()
            return
        if self.review_id:  # decisions may have changed statuses elsewhere
            self._refresh_rows()
        self.pages.setCurrentIndex(PAGE_QUEUE)
        if self.review_id:
            self.queue_view.select(self.review_id)
        self._update_summary()

    def _show_start(self) -> None:
        self.start_page.set_recent(self.app_settings.recent_studies(),
                                   self.app_settings.opened_times())
        self.pages.setCurrentIndex(PAGE_START)
        self._update_actions()

    def undo_stack(self) -> object | None:
        if self.review is not None and self.pages.currentIndex() == PAGE_REVIEW:
            return self.review.undo_stack
        return None

    def undo(self) -> None:
        stack = self.undo_stack()
        if stack is not None:
            stack.undo()

    def redo(self) -> None:
        stack = self.undo_stack()
        if stack is not None:
            stack.redo()

    # -- export ------------------------------------------------------------------------------------
    def show_export_dialog(self) -> ExportDialog | None:
        if self.shared is None or self.worker is None:
            return None
        if not any(r.status in READY for r in self.queue_model.rows):
            self.notify("Nothing to export yet: wait until a recording is ready for review.")
            return None
        dialog = ExportDialog(self.shared, self.worker, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._export_closed)
        dialog.finished.connect(self._after_dialog)
        self.worker.export_finished.connect(self._exported)
        self._export_dialog = dialog
        dialog.open()
        return dialog

    def _exported(self, written: list, problems: list) -> None:
        self._refresh_rows()
        self.notify(f"Exported {len(written)} file(s)" + (
            f"; {len(problems)} problem(s)." if problems else "."), 15000)
        self._update_summary()

    def _export_closed(self) -> None:
        self._export_dialog = None
        if self.worker is not None:
            QTimer.singleShot(0, self._disconnect_export)

    def _disconnect_export(self) -> None:
        if self.worker is None:
            return
        with contextlib.suppress(RuntimeError, TypeError):
            self.worker.export_finished.disconnect(self._exported)

    # -- help --------------------------------------------------------------------------------------
    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._after_dialog)
        dialog.open()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(_review_shortcuts(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._after_dialog)
        dialog.open()
        return dialog

    # -- closing -----------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.app_settings.set_geometry(self.saveGeometry())
        self.close_study()  # keeps last_study: the next start reopens it
        event.accept()


def _review_shortcuts() -> list[tuple[str, str]]:
    try:
        from .review.shortcuts import BINDINGS
    except ImportError:
        return []
    return [(" or ".join(b.keys), b.what) for b in BINDINGS]
