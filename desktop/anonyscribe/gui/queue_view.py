"""The list of recordings in a study: what each is doing, how far, how long left, and why not.

``QueueModel`` holds one row per recording and turns worker signals into words; ``QueueView``
shows it with a progress bar per row, the per-item buttons, and a friendly empty state.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.status import AUDIO_STAGES as STAGES
from ..core.status import READY, RETRYABLE, WAITING, RecordingStatus, Stage
from ..core.study import RecordingEntry

# Seconds of work per second of audio for each stage, until this session has measured its own
# (a CPU laptop with the default model); each finished stage updates its figure.
DEFAULT_PACE: dict[Stage, float] = {
    Stage.PROBE: 0.005, Stage.TRANSCRIBE: 0.5, Stage.SPEAKERS: 0.15, Stage.DETECT: 0.03,
    Stage.SAVE: 0.002,
}
STAGE_WORDS = {
    Stage.LOAD: "Loading the speech model (once per session)",
    Stage.PROBE: "Reading the file",
    Stage.READ: "Reading the transcript or sheet",
    Stage.TRANSCRIBE: "Transcribing",
    Stage.SPEAKERS: "Telling speakers apart",
    Stage.DETECT: "Looking for names and other identifiers",
    Stage.SAVE: "Saving",
}
NEXT_WORDS = {Stage.TRANSCRIBE: "transcription", Stage.SPEAKERS: "speakers",
              Stage.DETECT: "identifiers", Stage.SAVE: "saving"}
# What a row that is not working can show (a bar and its percentage for READY ones).
SHOWS_PROGRESS = READY | {RecordingStatus.RUNNING}
CANCELLABLE = WAITING | {RecordingStatus.RUNNING}


class StagePace:
    """How long each stage takes per second of audio, learned as recordings finish."""

    def __init__(self) -> None:
        self.seconds_per_second = dict(DEFAULT_PACE)

    def learn(self, stage: Stage, elapsed: float, duration: float) -> None:
        if stage in self.seconds_per_second and duration > 1.0 and elapsed > 0:
            old = self.seconds_per_second[stage]
            self.seconds_per_second[stage] = 0.3 * old + 0.7 * elapsed / duration

    def expected(self, stage: Stage, duration: float) -> float:
        return self.seconds_per_second.get(stage, 0.0) * duration

    def weight(self, stage: Stage) -> float:
        """A stage's share of a whole job (for one smooth bar)."""
        total = sum(self.seconds_per_second[s] for s in STAGES)
        return self.seconds_per_second.get(stage, 0.0) / total if total else 0.0


STATUS_WORDS = {
    RecordingStatus.QUEUED: "Waiting",
    RecordingStatus.TRANSCRIBED: "Waiting (transcript saved)",
    RecordingStatus.REVIEW: "Ready for review",
    RecordingStatus.EXPORTED: "Exported",
    RecordingStatus.FAILED: "Failed",
    RecordingStatus.CANCELLED: "Cancelled",
    RecordingStatus.RUNNING: "Working",
}
COLUMNS = ("Recording", "Length", "Status", "Progress", "Time left")
COL_NAME, COL_DURATION, COL_STATUS, COL_PROGRESS, COL_ETA = range(5)
RecIdRole = Qt.ItemDataRole.UserRole + 1
FractionRole = Qt.ItemDataRole.UserRole + 2
StatusRole = Qt.ItemDataRole.UserRole + 3


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
    status: RecordingStatus = RecordingStatus.QUEUED
    stage: Stage | str = ""  # "" before it starts
    fraction: float = 0.0
    message: str = ""
    detail: str = ""  # the message without the recording's name (when the worker gave it)
    pending: int | None = None
    eta: float | None = None
    stage_fraction: float = 0.0
    _stage_t0: float | None = None
    overran: float = 0.0  # seconds a stage has run past its estimate (no honest time left)
    stage_elapsed: float = 0.0

    @property
    def running(self) -> bool:
        return self.status == RecordingStatus.RUNNING

    def status_text(self) -> str:
        if self.running:
            return self.stage_text()
        words = STATUS_WORDS.get(self.status, self.status.title())
        if self.status == RecordingStatus.FAILED and self.message:
            # The row already names the file: show the whole problem, from its first word
            short = self.detail or self.message
            return f"Failed: {short[:1].upper()}{short[1:]}"
        if self.status == RecordingStatus.REVIEW and self.pending:
            return f"{words} – {self.pending} to check"
        if self.status == RecordingStatus.REVIEW and self.pending == 0:
            return "Reviewed – ready to export"
        return words

    def stage_text(self) -> str:
        """"Transcribing 42 % · speakers next": the stage, how far, and what follows."""
        words = STAGE_WORDS.get(self.stage, "Working")
        if self.stage in (Stage.TRANSCRIBE, Stage.SPEAKERS) and 0 < self.stage_fraction < 1:
            words += f" {int(self.stage_fraction * 100)} %"
        later = [s for s in STAGES[STAGES.index(self.stage) + 1:]
                 if s in NEXT_WORDS] if self.stage in STAGES else []
        if later and later[0] != Stage.SAVE:
            words += f" · {NEXT_WORDS[later[0]]} next"
        return words

    def eta_text(self) -> str:
        if not self.running:
            return ""
        if self.stage == Stage.LOAD:
            return "after the model loads"
        if self.eta is not None:
            return format_eta(self.eta)
        if self.overran:
            what = NEXT_WORDS.get(self.stage, "this step")
            return f"{what} taking longer ({format_duration(self.stage_elapsed)} so far)"
        return "estimating…"

    def progress(self, stage: Stage, fraction: float, now: float | None = None, *,
                 pace: StagePace) -> None:
        """Move the bar and estimate the time left over every stage still to come."""
        now = time.monotonic() if now is None else now
        fraction = min(max(fraction, 0.0), 1.0)
        if stage != self.stage:
            if self.stage in STAGES and self._stage_t0 is not None and stage in STAGES:
                pace.learn(self.stage, now - self._stage_t0, self.duration)
            self._stage_t0 = now  # model loading is not part of any stage's pace
        self.stage, self.stage_fraction = stage, fraction
        if stage not in STAGES:
            return
        i = STAGES.index(stage)
        done = sum(pace.weight(s) for s in STAGES[:i]) + pace.weight(stage) * fraction
        self.fraction = max(self.fraction, min(done, 1.0))
        self.eta = self._time_left(stage, fraction, now - (self._stage_t0 or now), pace)

    def _time_left(self, stage: Stage, fraction: float, elapsed: float,
                   pace: StagePace) -> float | None:
        self.stage_elapsed = elapsed
        later = sum(pace.expected(s, self.duration) for s in STAGES[STAGES.index(stage) + 1:])
        if fraction >= 0.03 and elapsed > 1.0:  # this stage's own pace
            here = elapsed * (1.0 - fraction) / fraction
        elif self.duration > 0:
            here = pace.expected(stage, self.duration) - elapsed
        else:
            return None
        self.overran = max(-here, 0.0)
        if here < 0 and stage != Stage.SAVE:
            return None  # longer than expected: say how long it has run, not a guess
        return max(here, 0.0) + later

    def tick(self, now: float | None = None, *, pace: StagePace) -> None:
        """Count the time left down in a stage that reports no progress of its own."""
        if self.running and self.stage in STAGES and self._stage_t0 is not None \
                and self.stage_fraction < 0.03:
            now = time.monotonic() if now is None else now
            self.eta = self._time_left(self.stage, self.stage_fraction, now - self._stage_t0,
                                       pace)

    def start(self) -> None:
        self.status, self.stage, self.fraction = RecordingStatus.RUNNING, Stage.PROBE, 0.0
        self.message, self.detail, self.eta, self._stage_t0 = "", "", None, None
        self.stage_fraction, self.overran = 0.0, 0.0


class QueueModel(QAbstractTableModel):
    """One row per recording of the study, in the order they were added.

    Each model learns its own stages' pace (one per window), never one shared by the process.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.pace = StagePace()

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
        if role == StatusRole:
            return row.status
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STATUS and row.message:
                return row.message
            if col == COL_NAME:
                return row.name
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS \
                and row.status == RecordingStatus.FAILED:
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
            return f"{int(row.fraction * 100)} %" if row.status in SHOWS_PROGRESS else ""
        if col == COL_ETA:
            return row.eta_text()
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
            row.status = RecordingStatus(entry.status)
            row.message, row.detail = entry.error or "; ".join(entry.notes), ""
            row.fraction = 1.0 if entry.status in READY else 0.0
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
            self.rows[i].progress(stage, fraction, pace=self.pace)
            self._changed(i)

    def finished(self, rec_id: str, status: RecordingStatus | str, message: str,
                 pending: int | None = None, detail: str = "") -> None:
        i = self.row_of(rec_id)
        if i < 0:
            return
        row = self.rows[i]
        row.status, row.message, row.eta, row.stage = RecordingStatus(status), message, None, ""
        row.detail = detail
        row.fraction = 1.0 if row.status in READY else 0.0
        row.pending = pending
        self._changed(i)

    def set_pending(self, rec_id: str, pending: int) -> None:
        """A review's "N to check", while the recording is still waiting for review."""
        i = self.row_of(rec_id)
        if i >= 0 and self.rows[i].status == RecordingStatus.REVIEW:
            self.rows[i].pending = pending
            self._changed(i)

    def remove(self, rec_id: str) -> bool:
        i = self.row_of(rec_id)
        if i < 0:
            return False
        self.beginRemoveRows(QModelIndex(), i, i)
        del self.rows[i]
        self.endRemoveRows()
        return True

    def tick(self) -> None:
        """Refresh the time left of running rows (called once a second)."""
        for i, row in enumerate(self.rows):
            if row.running:
                row.tick(pace=self.pace)
                self.dataChanged.emit(self.index(i, COL_STATUS), self.index(i, COL_ETA))

    def clear(self) -> None:
        self.beginResetModel()
        self.rows.clear()
        self.endResetModel()

    def waiting(self, rec_id: str) -> None:
        i = self.row_of(rec_id)
        if i >= 0:
            row = self.rows[i]
            row.status, row.message, row.fraction, row.eta = RecordingStatus.QUEUED, "", 0.0, None
            row.detail = ""
            self._changed(i)

    def _changed(self, i: int) -> None:
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def queue_eta(self, pace: StagePace | None = None) -> float | None:
        """Time left for the whole queue: the running row's estimate plus every waiting
        recording at this model's pace (None while the running one has no estimate)."""
        pace = pace or self.pace
        total = 0.0
        for row in self.rows:
            if row.running:
                if row.eta is None:
                    return None
                total += row.eta
            elif row.status in WAITING:
                stages = STAGES[2:] if row.status == RecordingStatus.TRANSCRIBED else STAGES
                total += sum(pace.expected(s, row.duration) for s in stages)
        return total

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.status] = out.get(row.status, 0) + 1
        return out


_ERROR_BRUSH = QBrush(QColor("#b00020"))


class OneLineDelegate(QStyledItemDelegate):
    """A name on one line, shortened in the middle (the full name is in its tooltip), while
    the status column wraps a long message over several lines."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class ProgressDelegate(QStyledItemDelegate):
    """A flat, readable bar with its percentage beside it; nothing for a row not working."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # type: ignore[override]
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.text = ""  # the background and selection only; the bar and its text follow
        widget = option.widget
        (widget.style() if widget else QApplication.style()).drawControl(
            QStyle.ControlElement.CE_ItemViewItem, cell, painter, widget)
        status = index.data(StatusRole)
        if status not in SHOWS_PROGRESS:
            return
        fraction = float(index.data(FractionRole) or 0.0)
        palette = option.palette
        text = f"{int(fraction * 100)} %"
        metrics = option.fontMetrics
        text_w = metrics.horizontalAdvance("100 %") + 6
        r = option.rect.adjusted(4, 0, -4 - text_w, 0)
        bar_h = max(8, metrics.height() // 2)
        bar = QRect(r.left(), r.center().y() - bar_h // 2, max(r.width(), 10), bar_h)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(palette.mid().color(), 1))
        painter.setBrush(palette.base())
        painter.drawRoundedRect(bar, 3, 3)
        if fraction > 0:
            fill = QRect(bar.left(), bar.top(), max(int(bar.width() * fraction), 4),
                         bar.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.highlight())
            painter.drawRoundedRect(fill, 3, 3)
        painter.setPen(palette.text().color() if not option.state & QStyle.StateFlag.State_Selected
                       else palette.highlightedText().color())
        painter.drawText(QRect(bar.right() + 6, option.rect.top(), text_w, option.rect.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        painter.restore()


class QueueView(QWidget):
    """The queue page: empty state or table, with Add / Review / Cancel / Retry buttons."""

    add_files_requested = Signal()
    add_folder_requested = Signal()
    review_requested = Signal(str)
    cancel_requested = Signal(str)
    retry_requested = Signal(str)
    remove_requested = Signal(str)
    reveal_requested = Signal(str)
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
        model.rowsRemoved.connect(self._update_page)
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
        self.table.setItemDelegateForColumn(COL_NAME, OneLineDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        # A failed row shows its whole message, wrapped over as many lines as it needs.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName("Recordings in this study")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(COL_NAME, 260)
        metrics = self.table.fontMetrics()
        self.table.setColumnWidth(COL_DURATION, metrics.horizontalAdvance("0:00:00") + 24)
        self.table.setColumnWidth(COL_PROGRESS, 150)
        self.table.setColumnWidth(COL_ETA, metrics.horizontalAdvance("about 1 h 00 min") + 24)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        # Keys on the table itself (QShortcut, not an event filter: a Python event filter on a
        # child can be called while the window is being destroyed, and crash it).
        for keys, slot in (((QKeySequence.StandardKey.Delete, "Backspace"),
                            lambda: self._emit_selected(self.remove_requested)),
                           (("Return", "Enter"), self._open_selected)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self.table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)
        self.info = QLabel(page)
        self.info.setWordWrap(True)
        self.info.setObjectName("queueInfo")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.hide()

        self.add_files_button = QPushButton("Add files…", page)
        self.add_folder_button = QPushButton("Add folder…", page)
        icon = self.style().standardIcon
        SP = QStyle.StandardPixmap
        self.add_files_button.setIcon(icon(SP.SP_FileIcon))
        self.add_folder_button.setIcon(icon(SP.SP_DirIcon))
        self.review_button = QPushButton("Review", page)
        self.cancel_button = QPushButton(icon(SP.SP_BrowserStop), "Cancel", page)
        self.retry_button = QPushButton(icon(SP.SP_BrowserReload), "Retry", page)
        self.remove_button = QPushButton(icon(SP.SP_TrashIcon), "Remove", page)
        self.export_button = QPushButton(icon(SP.SP_DialogSaveButton), "Export…", page)
        self.remove_button.setToolTip("Take this recording out of the study (Delete); the "
                                      "recording file itself is not touched")
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
        self.remove_button.clicked.connect(lambda: self._emit_selected(self.remove_requested))
        buttons = QHBoxLayout()
        for b in (self.add_files_button, self.add_folder_button):
            buttons.addWidget(b)
        buttons.addStretch()
        for b in (self.review_button, self.cancel_button, self.retry_button,
                  self.remove_button, self.export_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.info)
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

    def show_info(self, text: str) -> None:
        """What the last action did, above the table until the next one ("" hides it)."""
        self.info.setText(text)
        self.info.setVisible(bool(text))

    def _open_selected(self) -> None:
        rid = self.selected_id()
        row = self.model.get(rid) if rid else None
        if row is not None and row.status in READY:
            self.review_requested.emit(row.rec_id)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        row = self.model.rows[index.row()]
        menu = QMenu(self)
        SP = QStyle.StandardPixmap
        icon = self.style().standardIcon
        entries = [
            ("Review", None, self.review_requested, row.status in READY),
            ("Retry", SP.SP_BrowserReload, self.retry_requested, row.status in RETRYABLE),
            ("Cancel", SP.SP_BrowserStop, self.cancel_requested, row.status in CANCELLABLE),
            ("Show the recording in its folder", SP.SP_DirOpenIcon, self.reveal_requested, True),
            ("Remove from the study\tDel", SP.SP_TrashIcon, self.remove_requested,
             row.status != RecordingStatus.RUNNING),
        ]
        for text, pixmap, signal, enabled in entries:
            action = menu.addAction(icon(pixmap), text) if pixmap else menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _=False, s=signal, r=row.rec_id: s.emit(r))
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self.model.rows[index.row()]
        if row.status in READY:
            self.review_requested.emit(row.rec_id)

    def _update_page(self, *args: object) -> None:
        self.stack.setCurrentIndex(1 if self.model.rows else 0)
        self._update_buttons()

    def _update_buttons(self, *args: object) -> None:
        rid = self.selected_id()
        row = self.model.get(rid) if rid else None
        status = row.status if row else ""
        self.review_button.setEnabled(status in READY)
        self.cancel_button.setEnabled(status in CANCELLABLE)
        self.retry_button.setEnabled(status in RETRYABLE)
        self.remove_button.setEnabled(bool(status) and status != RecordingStatus.RUNNING)
        self.export_button.setEnabled(any(r.status in READY for r in self.model.rows))


def paths_from_urls(urls: list) -> list[Path]:
    """Local files and folders from a drop (anything else is ignored)."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
