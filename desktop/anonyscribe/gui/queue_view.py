"""The list of recordings in a study: what each is doing, how far, how long left, and why not.

``QueueModel`` holds one row per recording and turns worker signals into words; ``QueueView``
shows it with a progress bar per row, the per-item buttons, and a friendly empty state.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.study import RecordingEntry

# Each stage's share of the whole job, so one bar runs 0 -> 100 % once per recording.
STAGE_SPAN: dict[str, tuple[float, float]] = {
    "load": (0.0, 0.0),
    "probe": (0.0, 0.02),
    "read": (0.0, 0.5),  # a text transcript or survey sheet: read instead of transcribed
    "transcribe": (0.02, 0.85),
    "speakers": (0.85, 0.90),
    "detect": (0.90, 0.99),
    "save": (0.99, 1.0),
}
STAGE_WORDS = {
    "load": "Loading the speech model (once per session)…",
    "probe": "Reading the file…",
    "read": "Reading the transcript or sheet",
    "transcribe": "Transcribing",
    "speakers": "Telling speakers apart",
    "detect": "Looking for names and other identifiers",
    "save": "Saving",
}
STATUS_WORDS = {
    "queued": "Waiting",
    "transcribed": "Waiting (transcript saved)",
    "review": "Ready for review",
    "exported": "Exported",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "running": "Working",
}
_NAMES_FILE = re.compile(r'^Cannot use ".*?": ')  # media.MediaError's opening words
COLUMNS = ("Recording", "Length", "Status", "Progress", "Time left")
COL_NAME, COL_DURATION, COL_STATUS, COL_PROGRESS, COL_ETA = range(5)
RecIdRole = Qt.ItemDataRole.UserRole + 1
FractionRole = Qt.ItemDataRole.UserRole + 2


def format_duration(seconds: float) -> str:
    if seconds <= 0:
        return "–"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return "under a minute"
    minutes = int(round(seconds / 60))
    if minutes < 60:
        return f"about {minutes} min"
    return f"about {minutes // 60} h {minutes % 60:02d} min"


@dataclass
class Row:
    """What the queue shows for one recording."""

    rec_id: str
    name: str
    duration: float = 0.0
    status: str = "queued"
    stage: str = ""
    fraction: float = 0.0
    message: str = ""
    pending: int | None = None
    _t0: float | None = None
    _f0: float = 0.0
    eta: float | None = None

    @property
    def running(self) -> bool:
        return self.status == "running"

    def status_text(self) -> str:
        if self.running:
            return STAGE_WORDS.get(self.stage, "Working")
        words = STATUS_WORDS.get(self.status, self.status.title())
        if self.status == "failed" and self.message:
            # The row already names the file: show the problem first (full text in the tooltip)
            short = _NAMES_FILE.sub("", self.message, count=1)
            return f"Failed: {short[:1].upper()}{short[1:]}"
        if self.status == "review" and self.pending:
            return f"{words} – {self.pending} to check"
        if self.status == "review" and self.pending == 0:
            return "Reviewed – ready to export"
        return words

    def progress(self, stage: str, fraction: float, now: float | None = None) -> None:
        """Move the bar and re-estimate the time left from the speed so far."""
        now = time.monotonic() if now is None else now
        lo, hi = STAGE_SPAN.get(stage, (self.fraction, self.fraction))
        overall = max(self.fraction, lo + (hi - lo) * min(max(fraction, 0.0), 1.0))
        self.stage = stage
        self.fraction = overall
        if stage == "transcribe" and self._t0 is None:
            self._t0, self._f0 = now, overall  # model loading is not part of the pace
        if self._t0 is not None and overall - self._f0 > 0.02 and now - self._t0 > 1.0:
            rate = (overall - self._f0) / (now - self._t0)
            self.eta = (1.0 - overall) / rate
        if overall >= 1.0:
            self.eta = None

    def start(self) -> None:
        self.status, self.stage, self.fraction = "running", "probe", 0.0
        self.message, self.eta, self._t0 = "", None, None


class QueueModel(QAbstractTableModel):
    """One row per recording of the study, in the order they were added."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == RecIdRole:
            return row.rec_id
        if role == FractionRole:
            return row.fraction
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STATUS and row.message:
                return row.message
            if col == COL_NAME:
                return row.name
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS \
                and row.status == "failed":
            return _ERROR_BRUSH
        return None

    @staticmethod
    def _display(row: Row, col: int) -> str | None:
        if col == COL_NAME:
            return row.name
        if col == COL_DURATION:
            return format_duration(row.duration)
        if col == COL_STATUS:
            return row.status_text()
        if col == COL_PROGRESS:
            return f"{int(row.fraction * 100)} %"
        if col == COL_ETA:
            if row.running:
                return format_eta(row.eta) or "estimating…"
            return ""
        return None

    # -- updates ------------------------------------------------------------------------------
    def row_of(self, rec_id: str) -> int:
        for i, row in enumerate(self.rows):
            if row.rec_id == rec_id:
                return i
        return -1

    def get(self, rec_id: str) -> Row | None:
        i = self.row_of(rec_id)
        return self.rows[i] if i >= 0 else None

    def upsert(self, entry: RecordingEntry, pending: int | None = None) -> Row:
        """Add or refresh a recording's row from its saved entry (keeps a running row's bar)."""
        i = self.row_of(entry.id)
        if i < 0:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
            row = Row(entry.id, entry.name)
            self.rows.append(row)
            self.endInsertRows()
            i = len(self.rows) - 1
        row = self.rows[i]
        row.name, row.duration = entry.name, entry.duration or row.duration
        if not row.running:
            row.status = entry.status
            row.message = entry.error
            row.fraction = 1.0 if entry.status in ("review", "exported") else 0.0
        row.pending = pending
        self._changed(i)
        return row

    def started(self, rec_id: str) -> None:
        i = self.row_of(rec_id)
        if i >= 0:
            self.rows[i].start()
            self._changed(i)

    def progressed(self, rec_id: str, stage: str, fraction: float) -> None:
        i = self.row_of(rec_id)
        if i >= 0:
            self.rows[i].progress(stage, fraction)
            self._changed(i)

    def finished(self, rec_id: str, status: str, message: str,
                 pending: int | None = None) -> None:
        i = self.row_of(rec_id)
        if i < 0:
            return
        row = self.rows[i]
        row.status, row.message, row.eta, row.stage = status, message, None, ""
        row.fraction = 1.0 if status in ("review", "exported") else 0.0
        row.pending = pending
        self._changed(i)

    def set_pending(self, rec_id: str, pending: int) -> None:
        """A review's "N to check", while the recording is still waiting for review."""
        i = self.row_of(rec_id)
        if i >= 0 and self.rows[i].status == "review":
            self.rows[i].pending = pending
            self._changed(i)

    def clear(self) -> None:
        self.beginResetModel()
        self.rows.clear()
        self.endResetModel()

    def waiting(self, rec_id: str) -> None:
        i = self.row_of(rec_id)
        if i >= 0:
            row = self.rows[i]
            row.status, row.message, row.fraction, row.eta = "queued", "", 0.0, None
            self._changed(i)

    def _changed(self, i: int) -> None:
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.status] = out.get(row.status, 0) + 1
        return out


_ERROR_BRUSH = QBrush(QColor("#b00020"))


class ProgressDelegate(QStyledItemDelegate):
    """Draws the progress column as a real progress bar."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # type: ignore[override]
        fraction = index.data(FractionRole) or 0.0
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 6, -4, -6)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(round(fraction * 100))
        bar.text = f"{bar.progress} %"
        bar.textVisible = True
        bar.state = option.state
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class QueueView(QWidget):
    """The queue page: empty state or table, with Add / Review / Cancel / Retry buttons."""

    add_files_requested = Signal()
    add_folder_requested = Signal()
    review_requested = Signal(str)
    cancel_requested = Signal(str)
    retry_requested = Signal(str)
    export_requested = Signal()

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._empty_page())
        self.stack.addWidget(self._table_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        model.rowsInserted.connect(self._update_page)
        model.modelReset.connect(self._update_page)
        model.dataChanged.connect(self._update_buttons)
        self._update_page()

    # -- pages ------------------------------------------------------------------------------
    def _empty_page(self) -> QWidget:
        page = QWidget(self)
        title = QLabel("Drop Teams recordings here", page)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(
            "Drag recordings (.mp4, .m4a, .wav…), transcripts (.docx, .vtt, .srt, .txt),\n"
            "survey exports (.xlsx, .csv) or whole folders onto this window,\n"
            "or use the buttons below. Nothing leaves this computer.", page)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self.empty_add_files = QPushButton("Add files…", page)
        self.empty_add_folder = QPushButton("Add folder…", page)
        self.empty_add_files.clicked.connect(self.add_files_requested)
        self.empty_add_folder.clicked.connect(self.add_folder_requested)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.empty_add_files)
        buttons.addWidget(self.empty_add_folder)
        buttons.addStretch()
        layout = QVBoxLayout(page)
        layout.addStretch()
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch()
        page.setObjectName("emptyState")
        return page

    def _table_page(self) -> QWidget:
        page = QWidget(self)
        self.table = QTableView(page)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegateForColumn(COL_PROGRESS, ProgressDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL_NAME, 260)
        self.table.setColumnWidth(COL_DURATION, 70)
        self.table.setColumnWidth(COL_PROGRESS, 140)
        self.table.setColumnWidth(COL_ETA, 120)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_files_button = QPushButton("Add files…", page)
        self.add_folder_button = QPushButton("Add folder…", page)
        self.review_button = QPushButton("Review", page)
        self.cancel_button = QPushButton("Cancel", page)
        self.retry_button = QPushButton("Retry", page)
        self.export_button = QPushButton("Export…", page)
        self.review_button.setToolTip("Check the identifiers found in this recording "
                                      "(or double-click it)")
        self.cancel_button.setToolTip("Stop working on this recording")
        self.retry_button.setToolTip("Try this recording again; finished steps are kept")
        self.add_files_button.clicked.connect(self.add_files_requested)
        self.add_folder_button.clicked.connect(self.add_folder_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.review_button.clicked.connect(lambda: self._emit_selected(self.review_requested))
        self.cancel_button.clicked.connect(lambda: self._emit_selected(self.cancel_requested))
        self.retry_button.clicked.connect(lambda: self._emit_selected(self.retry_requested))
        buttons = QHBoxLayout()
        for b in (self.add_files_button, self.add_folder_button):
            buttons.addWidget(b)
        buttons.addStretch()
        for b in (self.review_button, self.cancel_button, self.retry_button,
                  self.export_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        return page

    # -- selection and buttons -----------------------------------------------------------------
    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rows[rows[0].row()].rec_id

    def select(self, rec_id: str) -> None:
        i = self.model.row_of(rec_id)
        if i >= 0:
            self.table.selectRow(i)

    def _emit_selected(self, signal: Signal) -> None:
        rid = self.selected_id()
        if rid is not None:
            signal.emit(rid)

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.rows[index.row()]
        if row.status in ("review", "exported"):
            self.review_requested.emit(row.rec_id)

    def _update_page(self, *args: object) -> None:
        self.stack.setCurrentIndex(1 if self.model.rows else 0)
        self._update_buttons()

    def _update_buttons(self, *args: object) -> None:
        rid = self.selected_id()
        row = self.model.get(rid) if rid else None
        status = row.status if row else ""
        self.review_button.setEnabled(status in ("review", "exported"))
        self.cancel_button.setEnabled(status in ("running", "queued", "transcribed"))
        self.retry_button.setEnabled(status in ("failed", "cancelled"))
        self.export_button.setEnabled(any(r.status in ("review", "exported")
                                          for r in self.model.rows))


def paths_from_urls(urls: list) -> list[Path]:
    """Local files and folders from a drop (anything else is ignored)."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
