"""The main window: start page, the study's queue, the review screen, menus and status bar.

The window holds no anonymisation logic and owns no work: the ``StudyController`` opens the
``Study`` and runs its workers; the window composes the pages and the ``MenuBar``, wires their
signals, and asks the researcher what only the researcher can answer. Every state it shows is
read back from the study, which is what lets a crash or a kill lose nothing: reopening the
study shows exactly what was saved, and unfinished items resume.
"""

from __future__ import annotations

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
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.files import CorruptFileError
from ..core.status import READY, WAITING, RecordingStatus
from ..core.study import STUDY_FILE, RecordingEntry
from ..media import MEDIA_EXTENSIONS
from ..processing import Engines
from ..sources import TEXT_EXTENSIONS
from ..speakers import diarize
from .about_dialog import AboutDialog, ShortcutsDialog
from .export_dialog import ExportDialog
from .menus import MenuBar
from .queue_view import QueueView, format_eta, paths_from_urls
from .review import ReviewWidget, media_backend
from .review.shortcuts import BINDINGS
from .settings import AppSettings
from .start_page import NewStudyDialog, StartPage, default_parent_folder
from .study_controller import StudyController
from .study_dialog import (
    StudySettingsDialog,
    ask_open_study_folder,
    is_study,
)
from .survey_dialog import SurveyColumnsDialog
from .workers import AddTask, QueueWorker, SharedStudy

PAGE_START, PAGE_QUEUE, PAGE_REVIEW = range(3)


def _patterns(extensions: Iterable[str]) -> str:
    return " ".join(f"*{ext}" for ext in sorted(extensions))


MEDIA_FILTER = (f"Recordings ({_patterns(MEDIA_EXTENSIONS)});;"
                f"Transcripts and survey exports ({_patterns(TEXT_EXTENSIONS)});;"
                "All files (*)")


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
        self.controller = StudyController(engines, self)
        self.queue_model = self.controller.queue_model
        self.review: ReviewWidget | None = None
        self.review_id: str | None = None
        self.errors: list[str] = []  # every message shown in an error box, newest last
        self._export_dialog: ExportDialog | None = None
        self._export_hooked: QueueWorker | None = None  # the worker whose exports notify here
        self.survey_dialog: SurveyColumnsDialog | None = None  # the last one asked

        self.pages = QStackedWidget(self)
        self.start_page = StartPage(self)
        self.queue_view = QueueView(self.queue_model, self)
        self.review_page = self._review_page()
        for page in (self.start_page, self.queue_view, self.review_page):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self.menus = MenuBar(self.app_settings.recent_studies, self)
        self.setMenuBar(self.menus)
        self.back_action = QAction("Back to recordings", self)
        self.back_action.setShortcut(QKeySequence("Escape"))
        self.back_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.back_action.triggered.connect(self.show_queue)
        self.addAction(self.back_action)
        self._connect_pages()
        self._connect_menus()
        self._connect_controller()
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
        # the speaker stage's imports, before the window shows: on the worker thread they
        # stop the window (their compiled modules' set-up holds the GIL)
        diarize.preload()
        # the review's media backend read from disk on a thread of its own: on the GUI thread
        # its first player froze the window 0.3-2 s (``review.media_backend``)
        media_backend.warm_up()

    @property
    def shared(self) -> SharedStudy | None:
        """The open study (None on the start page)."""
        return self.controller.shared

    @property
    def worker(self) -> QueueWorker | None:
        return self.controller.worker

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
        qv.cancel_requested.connect(self.controller.cancel)
        qv.retry_requested.connect(self.controller.retry)
        qv.remove_requested.connect(self.remove_item)
        qv.reveal_requested.connect(self.reveal_item)
        qv.export_requested.connect(self.show_export_dialog)

    def _connect_menus(self) -> None:
        m = self.menus
        for action, slot in ((m.new_action, self.new_study), (m.open_action, self.choose_study),
                             (m.close_study_action, self.close_study_by_user),
                             (m.settings_action, self.edit_study_settings),
                             (m.add_files_action, self.choose_files),
                             (m.add_folder_action, self.choose_folder),
                             (m.export_action, self.show_export_dialog),
                             (m.quit_action, self.close), (m.undo_action, self.undo),
                             (m.redo_action, self.redo),
                             (m.shortcuts_action, self.show_shortcuts),
                             (m.about_action, self.show_about)):
            action.triggered.connect(slot)
        m.recent_chosen.connect(self.open_study)

    def _connect_controller(self) -> None:
        c = self.controller
        c.message.connect(self.notify)
        c.error.connect(self.show_error)
        c.changed.connect(self._update_summary)
        c.columns_needed.connect(self._ask_survey_columns)
        c.add_finished.connect(self._add_done)

    def _update_actions(self) -> None:
        self.menus.update_state(
            self.shared is not None,
            self.shared is not None and any(r.status in READY for r in self.queue_model.rows),
            self.undo_stack())
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
        for status, words in ((RecordingStatus.RUNNING, "working"),
                              (RecordingStatus.QUEUED, "waiting"),
                              (RecordingStatus.TRANSCRIBED, "waiting"),
                              (RecordingStatus.REVIEW, "ready for review"),
                              (RecordingStatus.EXPORTED, "exported"),
                              (RecordingStatus.FAILED, "failed"),
                              (RecordingStatus.CANCELLED, "cancelled")):
            if counts.get(status):
                parts.append(f"{counts[status]} {words}")
        if counts.get(RecordingStatus.RUNNING) or any(counts.get(s) for s in WAITING):
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
        if self.controller.is_open(folder):
            return True
        self.close_study()
        if not self.controller.open(folder):
            return False
        self.app_settings.add_recent(folder)
        self.app_settings.mark_opened(folder)
        self.app_settings.set_last_study(folder)
        self.setWindowTitle(f"Anonyscribe — {folder.name}")
        self.show_queue()
        waiting = len(self.worker.pending()) if self.worker else 0
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
        self.controller.close()
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
            if self.controller.save_settings(changed):
                self.notify("Settings saved; they apply to recordings transcribed from now on.")
        dialog.accepted.connect(apply)
        dialog.finished.connect(self._after_dialog)
        dialog.open()
        return dialog

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
        if not self._need_study():
            return None
        return self.controller.add_paths(paths)

    def _ask_survey_columns(self, entry: RecordingEntry) -> None:
        """A newly added survey sheet: ask for its free-text columns first; the queue takes it
        when the dialog closes (with the proposal after Cancel)."""
        if self.shared is None:
            return
        try:
            dialog = SurveyColumnsDialog(Path(entry.path), self.shared.folder(entry.id), self)
        except Exception:  # noqa: BLE001 - an unreadable sheet is reported by the queue
            self.controller.enqueue(entry.id)
            return
        dialog.finished.connect(lambda _r, rid=entry.id: self.controller.enqueue(rid))
        self.survey_dialog = dialog
        dialog.open()

    def _add_done(self, text: str) -> None:
        if text:
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

    # -- the queue's row actions that ask or show ------------------------------------------------
    def remove_item(self, rec_id: str) -> bool:
        """Take a recording out of the study (after asking): its transcript and decisions go,
        the recording file and anything already exported stay where they are."""
        entry = self.controller.entry(rec_id)
        if entry is None or self.worker is None:
            return False
        if self.controller.is_working_on(rec_id):
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
        if self.review_id == rec_id:
            self._close_review()
        try:
            self.controller.remove(rec_id)
        except OSError as exc:
            self.show_error("Cannot remove the recording", f"{entry.name}: {exc}")
            return False
        self.queue_view.show_info(f"Removed {entry.name} from the study.")
        self._update_summary()
        return True

    def reveal_item(self, rec_id: str) -> bool:
        """Open the folder holding the original recording in the file manager."""
        entry = self.controller.entry(rec_id)
        if entry is None:
            return False
        folder = Path(entry.path).parent
        if not folder.is_dir():
            self.show_error("Folder not found", f"{folder} is not there any more (a "
                            "disconnected drive?). Reconnect it or add the recording again.")
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- review ------------------------------------------------------------------------------------
    def open_review(self, rec_id: str) -> ReviewWidget | None:
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
        try:
            widget = ReviewWidget(self.shared, rec_id, media, self.review_page)
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
        widget.type_guesser = self.controller.type_guesser()
        self.review_title.setText(f"<b>{entry.name}</b>")
        self._review_progress(*widget.session.counts())
        self.pages.setCurrentIndex(PAGE_REVIEW)
        widget.setFocus()
        self._update_actions()
        return widget

    def _after_dialog(self, *_: object) -> None:
        """Give the keys back to the review (or the queue) once a dialog closes."""
        if self.pages.currentIndex() == PAGE_REVIEW and self.review is not None:
            self.review.focus_transcript()
        elif self.pages.currentIndex() == PAGE_QUEUE:
            if not self.isActiveWindow():
                self.activateWindow()
            self.queue_view.table.setFocus()

    def _review_progress(self, done: int, total: int) -> None:
        """Keep the queue's "N to check" in step with the review, for the way back."""
        if self.review_id and self.shared:
            self.queue_model.set_pending(self.review_id, total - done)

    def _close_review(self) -> None:
        if self.review is None:
            return
        widget, self.review, self.review_id = self.review, None, None
        self.review_holder.removeWidget(widget)
        widget.hide()
        widget.deleteLater()
        self._update_actions()

    def show_queue(self) -> None:
        if self.shared is None:
            self._show_start()
            return
        if self.review_id:  # decisions may have changed statuses elsewhere
            self.controller.refresh_rows()
        self.pages.setCurrentIndex(PAGE_QUEUE)
        if self.review_id:
            self.queue_view.select(self.review_id)
        self._update_summary()

    def _show_start(self) -> None:
        self.start_page.set_recent(self.app_settings.recent_studies(),
                                   self.app_settings.opened_times())
        self.pages.setCurrentIndex(PAGE_START)
        self._update_actions()

    def undo_stack(self) -> QUndoStack | None:
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
        if self._export_hooked is not self.worker:  # once per worker: a study has one
            self.worker.export_finished.connect(self._exported)
            self._export_hooked = self.worker
        self._export_dialog = dialog
        dialog.open()
        return dialog

    def _exported(self, written: list, problems: list) -> None:
        self.controller.refresh_rows()
        self.notify(f"Exported {len(written)} file(s)" + (
            f"; {len(problems)} problem(s)." if problems else "."), 15000)
        self._update_summary()

    def _export_closed(self) -> None:
        self._export_dialog = None

    # -- help --------------------------------------------------------------------------------------
    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._after_dialog)
        dialog.open()
        return dialog

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog([(" or ".join(b.keys), b.what) for b in BINDINGS], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._after_dialog)
        dialog.open()
        return dialog

    # -- closing -----------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.app_settings.set_geometry(self.saveGeometry())
        self.close_study()  # keeps last_study: the next start reopens it
        event.accept()
