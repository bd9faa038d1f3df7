"""Export: choose formats, destination and recordings; see the (redacted) file names; a last
check for anything not yet reviewed; then the export runs in the worker.

Original recording names appear only in this dialog (on this computer); the exported files use
the names in the "Exported as" column, which are redacted like the transcripts.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.layout import LayoutError, check_apart
from ..core.status import READY
from ..exporting import audio_coverage
from ..labels import Pending, pending_marker
from .workers import ExportRequest, QueueWorker, SharedStudy

# (key, label) in the order shown. "log" is private and always goes to the study folder.
FORMATS: list[tuple[str, str]] = [
    ("docx", "Word document (.docx)"),
    ("txt", "Plain text (.txt)"),
    ("nvivo", "NVivo-ready transcript (_nvivo.docx, _nvivo.txt)"),
    ("srt", "Subtitles with times (.srt)"),
    ("vtt", "Web subtitles (.vtt)"),
    ("qdpx", "Study project for MAXQDA, NVivo, ATLAS.ti, QualCoder (.qdpx)"),
    ("audio", "Anonymised recording, identifiers covered (.m4a)"),
    ("log", "Anonymisation log (private: kept in the study folder, never with the exports)"),
]
AUDIO_WARNING = ("The anonymised recording still holds every voice, and a voice itself can "
                 "identify someone even with every name covered. Share it only where your "
                 "ethics approval and consent allow.")
AUDIO_UNLOCATED = ("Some identifiers cannot be placed in the recording's time line: the "
                   "anonymised audio covers the gap around them. Listen there after the "
                   "export, or go back and correct the transcript.")
COL_USE, COL_ORIGINAL, COL_EXPORTED, COL_PENDING = range(4)
PAGE_CHOOSE, PAGE_CHECK, PAGE_RUN = range(3)
CHECKING = "checking the name…"
MARKED_EXPORT = "Export with markers"
CLEAR_EXPORT = "Export NOT anonymised"


def default_destination(study_root: Path) -> Path:
    """Beside the private folder, clearly named, never inside it."""
    return study_root.parent / f"{study_root.name} - anonymised"


class _Page(QWidget):
    """A page of the stack that, while set aside (size policy Ignored), asks for no height:
    QStackedLayout takes the tallest page's height-for-width, shown or not."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        if self.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Ignored:
            return 0
        return super().heightForWidth(width)


class ExportDialog(QDialog):
    """Choose → last check (only if something is still pending) → export with progress."""

    def __init__(self, shared: SharedStudy, worker: QueueWorker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shared = shared
        self.worker = worker
        self.written: list[Path] = []
        self.problems: list[str] = []
        self.names: dict[str, str] = {}
        self._pending_types: dict[str, dict[str, int]] = {}
        self._full_size: QSize | None = None
        self.setWindowTitle("Export anonymised transcripts")
        self.resize(820, 560)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._check_page())
        self.pages.addWidget(self._run_page())
        self.pages.currentChanged.connect(self._fit_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._serial = 0
        self._names_timer = QTimer(self)
        self._names_timer.setSingleShot(True)
        self._names_timer.setInterval(400)
        self._names_timer.timeout.connect(self.request_names)
        worker.names_ready.connect(self._names_ready)
        worker.export_progress.connect(self._export_progress)
        worker.export_finished.connect(self._export_finished)
        self._fill_recordings()
        self.destination.textChanged.connect(self._names_timer.start)
        for box in self.format_boxes.values():
            box.toggled.connect(self._names_timer.start)
        self.request_names()

    # -- page 1: choices -----------------------------------------------------------------------
    def _choose_page(self) -> QWidget:
        page = _Page(self)
        settings = self.shared.settings
        formats = QGroupBox("Formats", page)
        grid = QGridLayout(formats)
        self.format_boxes: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(FORMATS):
            box = QCheckBox(label, formats)
            box.setChecked(key in settings.formats)
            self.format_boxes[key] = box
            grid.addWidget(box, i // 2, i % 2)
        log = self.format_boxes["log"]
        log.setChecked(True)
        log.setEnabled(False)
        log.setToolTip(f"Always written, to {self.shared.root / 'log'}; it lists the "
                       "original identifiers, so it never goes beside the exports.")
        for box in self.format_boxes.values():
            box.toggled.connect(self._update_buttons)
        self._audio_options(formats, grid, settings.audio_cover)

        self.destination = QLineEdit(page)
        self.destination.setText(settings.out_dir or str(default_destination(self.shared.root)))
        self.destination.textChanged.connect(self._update_buttons)
        browse = QPushButton("Choose…", page)
        browse.clicked.connect(self._browse)
        dest = QHBoxLayout()
        dest.addWidget(QLabel("Save to", page))
        dest.addWidget(self.destination, 1)
        dest.addWidget(browse)

        self.table = QTableWidget(0, 4, page)
        self.table.setHorizontalHeaderLabels(
            ["Export", "Recording (private)", "Exported as", "Not yet checked"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_ORIGINAL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_EXPORTED, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._update_buttons)
        naming = QLabel("File names are redacted like the transcripts: names, places and dates "
                        "in a recording's name never reach the exported file names.", page)
        naming.setWordWrap(True)
        self.pending_note = QLabel(page)
        self.pending_note.setWordWrap(True)

        self.export_button = QPushButton("Export", page)
        self.export_button.setDefault(True)
        cancel = QPushButton("Cancel", page)
        self.export_button.clicked.connect(self._export_clicked)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(self.export_button)

        layout = QVBoxLayout(page)
        layout.addWidget(formats)
        layout.addLayout(dest)
        layout.addWidget(self.table, 1)
        layout.addWidget(naming)
        layout.addWidget(self.pending_note)
        layout.addLayout(buttons)
        return page

    def _audio_options(self, parent: QWidget, grid: QGridLayout, cover: str) -> None:
        """The plain warning and the tone/silence choice, shown while audio is chosen."""
        self.audio_cover = QComboBox(parent)
        self.audio_cover.addItem("Cover identifiers with a tone", "tone")
        self.audio_cover.addItem("Cover identifiers with silence", "silence")
        self.audio_cover.setCurrentIndex(max(0, self.audio_cover.findData(cover)))
        self.audio_warning = QLabel(AUDIO_WARNING, parent)
        self.audio_warning.setWordWrap(True)
        row = grid.rowCount()
        grid.addWidget(self.audio_cover, row, 0)
        grid.addWidget(self.audio_warning, row + 1, 0, 1, 2)
        box = self.format_boxes["audio"]
        for widget in (self.audio_cover, self.audio_warning):
            widget.setVisible(box.isChecked())
            box.toggled.connect(widget.setVisible)

    def _fill_recordings(self) -> None:
        self.table.blockSignals(True)
        for entry in self.shared.entries():
            if entry.status not in READY:
                continue
            r = self.table.rowCount()
            self.table.insertRow(r)
            use = QTableWidgetItem()
            use.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            use.setCheckState(Qt.CheckState.Checked)
            use.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.table.setItem(r, COL_USE, use)
            self.table.setItem(r, COL_ORIGINAL, QTableWidgetItem(entry.name))
            self.table.setItem(r, COL_EXPORTED, QTableWidgetItem(CHECKING))
            self._pending_types[entry.id] = self.shared.pending_types(entry.id)
            pending = sum(self._pending_types[entry.id].values())
            item = QTableWidgetItem(str(pending) if pending else "–")
            item.setData(Qt.ItemDataRole.UserRole, pending)
            self.table.setItem(r, COL_PENDING, item)
        self.table.blockSignals(False)
        self._update_buttons()

    def recording_ids(self, checked_only: bool = False) -> list[str]:
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, COL_USE)
            if checked_only and item.checkState() != Qt.CheckState.Checked:
                continue
            out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def chosen_formats(self) -> list[str]:
        return [k for k, box in self.format_boxes.items() if box.isChecked()]

    def request_names(self) -> None:
        """Ask the worker for the file names (they depend on the folder and formats too)."""
        self._serial += 1
        self.names = {}
        for r in range(self.table.rowCount()):
            self.table.item(r, COL_EXPORTED).setText(CHECKING)
        self.worker.request_names(self._serial, self.recording_ids(), self.out_dir(),
                                  self.chosen_formats())

    def names_settled(self) -> bool:
        """True once every row shows the name for the current folder and formats."""
        return not self._names_timer.isActive() and len(self.names) == self.table.rowCount()

    def out_dir(self) -> Path:
        return Path(self.destination.text().strip()).expanduser()

    def _names_ready(self, serial: int, names: dict) -> None:
        if serial != self._serial:
            return  # an answer to an older question (folder or formats changed since)
        self.names = dict(names)
        for r in range(self.table.rowCount()):
            rid = self.table.item(r, COL_USE).data(Qt.ItemDataRole.UserRole)
            if rid in names:
                self.table.item(r, COL_EXPORTED).setText(names[rid])

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save anonymised files to",
                                                  self.destination.text())
        if folder:
            self.destination.setText(folder)

    def _update_buttons(self, *args: object) -> None:
        n = self.pending_total()
        self.pending_note.setText(
            f"{n} identifier(s) not yet checked: exported as markers such as "
            f"{pending_marker('PERSON')}, never as spoken." if n else "")
        self.pending_note.setVisible(bool(n))
        formats = [f for f in self.chosen_formats() if f != "log"]
        self.export_button.setEnabled(bool(formats and self.recording_ids(True)
                                           and self.destination.text().strip()))

    # -- page 2: last check --------------------------------------------------------------------
    def _check_page(self) -> QWidget:
        page = _Page(self)
        title = QLabel("<b>Some identifiers have not been checked yet</b>", page)
        self.pending_explain = QLabel(page)
        self.pending_explain.setWordWrap(True)
        self.pending_list = QPlainTextEdit(page)
        self.pending_list.setReadOnly(True)
        self.clear_box = QCheckBox(
            "Write the unchecked identifiers as spoken instead. The files will NOT be "
            "anonymised; the ethics report records this choice.", page)
        self.clear_box.toggled.connect(self._clear_toggled)
        self.back_button = QPushButton("Go back", page)
        self.anyway_button = QPushButton(MARKED_EXPORT, page)
        self.back_button.setDefault(True)
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(PAGE_CHOOSE))
        self.anyway_button.clicked.connect(lambda: self.start_export(self.pending_policy()))
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.anyway_button)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(self.pending_explain)
        layout.addWidget(self.pending_list)
        layout.addWidget(self.clear_box)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def pending_policy(self) -> Pending:
        """Markers, unless the researcher ticked the separately worded "as spoken" choice."""
        return Pending.ORIGINAL if self.clear_box.isChecked() else Pending.MARK

    def _clear_toggled(self, on: bool) -> None:
        self.anyway_button.setText(CLEAR_EXPORT if on else MARKED_EXPORT)

    def pending_total(self) -> int:
        total = 0
        for r in range(self.table.rowCount()):
            if self.table.item(r, COL_USE).checkState() == Qt.CheckState.Checked:
                total += self.table.item(r, COL_PENDING).data(Qt.ItemDataRole.UserRole) or 0
        return total

    def pending_summary(self) -> list[str]:
        """One line per chosen recording that still has findings awaiting a decision."""
        lines = []
        for r in range(self.table.rowCount()):
            if self.table.item(r, COL_USE).checkState() != Qt.CheckState.Checked:
                continue
            pending = self.table.item(r, COL_PENDING).data(Qt.ItemDataRole.UserRole) or 0
            rid = self.table.item(r, COL_USE).data(Qt.ItemDataRole.UserRole)
            if pending:
                markers = ", ".join(f"{pending_marker(t)} ×{n}" for t, n in sorted(
                    self._pending_types.get(rid, {}).items(), key=lambda tn: -tn[1]))
                lines.append(f"{self.table.item(r, COL_ORIGINAL).text()}: {pending} not yet "
                             f"checked" + (f", exported as {markers}" if markers else ""))
            if "audio" in self.chosen_formats():
                message = audio_coverage(self.shared, rid,  # type: ignore[arg-type]
                                         self.pending_policy()).unlocated_message()
                if message:
                    lines.append(f"{self.table.item(r, COL_ORIGINAL).text()}: {message}")
        return lines

    def _export_clicked(self) -> None:
        lines = self.pending_summary()
        if lines:
            n = self.pending_total()
            self.pending_explain.setText(
                f"{n} identifier(s) not yet checked will be replaced in every exported file by "
                f"a marker such as {pending_marker('PERSON')}, so you can find them later "
                "(search for \u201c?]\u201d). Go back to review them, or export with markers."
                if n else AUDIO_UNLOCATED)
            self.clear_box.setChecked(False)
            self.clear_box.setVisible(bool(n))
            self.pending_list.setPlainText("\n".join(lines))
            self._fit_list(len(lines))
            self.pages.setCurrentIndex(PAGE_CHECK)
            return
        self.start_export()

    def _fit_list(self, lines: int) -> None:
        """As tall as its lines (up to a dozen, then it scrolls), not half an empty dialog."""
        fm = self.pending_list.fontMetrics()
        shown = min(max(lines, 1), 12)
        self.pending_list.setFixedHeight(
            (2 * shown + 1) * fm.lineSpacing() // 2 + 2 * self.pending_list.frameWidth()
            + 2 * int(self.pending_list.document().documentMargin()))

    def _fit_page(self, index: int) -> None:
        """The last check is a short page: the dialog shrinks to it and grows back after."""
        for i in range(self.pages.count()):
            policy = (QSizePolicy.Policy.Preferred if i == index
                      else QSizePolicy.Policy.Ignored)
            self.pages.widget(i).setSizePolicy(policy, policy)
        self.pages.updateGeometry()  # now, not at the next event: the resize below reads it
        self.layout().invalidate()
        self.layout().activate()
        if index == PAGE_CHECK:
            if self._full_size is None:
                self._full_size = self.size()
            wanted = self.heightForWidth(self.width()) if self.hasHeightForWidth() else -1
            self.resize(self.width(), max(wanted, self.sizeHint().height()))
        elif self._full_size is not None:
            self.resize(self._full_size)
            self._full_size = None

    # -- page 3: running -------------------------------------------------------------------------
    def _run_page(self) -> QWidget:
        page = _Page(self)
        self.run_label = QLabel("Exporting…", page)
        self.run_label.setWordWrap(True)
        self.run_bar = QProgressBar(page)
        self.result_text = QPlainTextEdit(page)
        self.result_text.setReadOnly(True)
        self.open_button = QPushButton("Open folder", page)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_folder)
        self.close_button = QPushButton("Close", page)
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.run_label)
        layout.addWidget(self.run_bar)
        layout.addWidget(self.result_text, 1)
        layout.addLayout(buttons)
        return page

    def start_export(self, pending: Pending = Pending.MARK) -> None:
        """Remember the choices for this study and hand the export to the worker."""
        out_dir = self.out_dir()
        try:
            check_apart(self.shared.root, out_dir)  # the same check as the command line's
        except LayoutError as exc:
            QMessageBox.warning(self, "Choose another folder", str(exc))
            return
        formats = self.chosen_formats()
        settings = self.shared.settings
        settings.formats = formats
        settings.audio_cover = self.audio_cover.currentData()
        settings.out_dir = str(out_dir)
        self.shared.save()
        self.pages.setCurrentIndex(PAGE_RUN)
        self.run_label.setText(
            "Exporting… (waits for the recording being transcribed to finish)"
            if self.worker.current() else "Exporting…")
        self.worker.request_export(ExportRequest(self.recording_ids(True), out_dir, formats,
                                                 pending=pending))

    def _export_progress(self, done: int, total: int, name: str) -> None:
        self.run_bar.setMaximum(max(total, 1))
        self.run_bar.setValue(done)
        if name:
            self.run_label.setText(f"Exporting {done + 1} of {total}…")

    def _export_finished(self, written: list, problems: list) -> None:
        self.written = [Path(p) for p in written]
        self.problems = list(problems)
        out = self.out_dir()
        if problems:
            self.run_label.setText(f"Exported {len(written)} file(s) to {out}, with problems:")
        else:
            self.run_label.setText(f"Exported {len(written)} file(s) to {out}.")
        lines = [*(f"Problem: {p}" for p in problems), *(p.name for p in self.written),
                 "", f"Anonymisation log (private): {self.shared.root / 'log'}"]
        self.result_text.setPlainText("\n".join(lines))
        self.run_bar.setValue(self.run_bar.maximum())
        self.open_button.setEnabled(bool(written))
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.out_dir())))

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        """Stop listening to the worker once closed (it outlives the dialog)."""
        for signal, slot in ((self.worker.names_ready, self._names_ready),
                             (self.worker.export_progress, self._export_progress),
                             (self.worker.export_finished, self._export_finished)):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        super().done(result)
