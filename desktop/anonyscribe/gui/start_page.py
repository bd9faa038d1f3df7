"""The first screen: recent studies at a glance, and a New study dialog that makes the folder.

A study is a folder (the one the CLI's ``--private`` names). The dialog asks what a researcher
knows before the first recording: a name, where it lives, what the recordings are (so speaker
separation expects the right number of voices), the language and the speech model.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.files import CorruptFileError
from ..core.status import READY, RecordingStatus
from ..core.study import RecordingKind, Study, StudySettings
from ..exporting import undecided
from ..transcribe.models import DEFAULT_MODEL
from .export_dialog import default_destination
from .study_dialog import LANGUAGES, available_models, is_study

WHERE_FILES_LIVE = (
    "The study folder is private: it holds the transcripts, your decisions and the pseudonym "
    "key, and stays on this computer. Anonymised files go to a separate folder beside it "
    "(“… - anonymised”), which you can change when exporting.")
KIND_CHOICES: tuple[tuple[RecordingKind, str, str], ...] = (
    (RecordingKind.INTERVIEW, "Interviews with two people",
     "One interviewer, one participant: two voices are told apart."),
    (RecordingKind.FOCUS_GROUP, "Focus groups",
     "Several participants: say how many if you know."),
    (RecordingKind.OTHER, "Something else",
     "The number of voices is worked out from each recording."),
)
_BAD_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass
class StudySummary:
    """What the start page shows for one recent study."""

    folder: Path
    recordings: int = 0
    pending: int = 0
    ready: int = 0
    problem: str = ""

    @property
    def name(self) -> str:
        return self.folder.name


def summarise(folder: Path) -> StudySummary:
    """Read a study's counts without locking it (it may be open in a batch run)."""
    out = StudySummary(Path(folder))
    try:
        study = Study.open(folder, lock=False)
    except (CorruptFileError, OSError, ValueError, TypeError) as exc:
        out.problem = f"cannot be read ({exc})"
        return out
    out.recordings = len(study.recordings)
    for entry in study.recordings.values():
        if entry.status in READY:
            out.ready += 1
        if entry.status == RecordingStatus.REVIEW:
            out.pending += sum(undecided(study, entry.id).values())
    return out


def when_text(stamp: float | None, now: float | None = None) -> str:
    """"today 14:05", "yesterday", "3 days ago", or the date."""
    if not stamp:
        return "–"
    now = time.time() if now is None else now
    days = int((_midnight(now) - _midnight(stamp)) // 86400)
    if days <= 0:
        return "today " + time.strftime("%H:%M", time.localtime(stamp))
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    return time.strftime("%d %b %Y", time.localtime(stamp))


def _midnight(stamp: float) -> float:
    t = time.localtime(stamp)
    return time.mktime((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0, 0, 0, -1))


class StartPage(QWidget):
    """New / open, and a table of recent studies: double-click or Enter opens one."""

    new_requested = Signal()
    open_requested = Signal()
    recent_chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("Anonyscribe", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "Transcribe interview recordings and anonymise them for coding, on this "
            "computer. Nothing is sent anywhere.", self)
        intro.setWordWrap(True)
        where = QLabel(WHERE_FILES_LIVE, self)
        where.setWordWrap(True)
        where.setObjectName("whereFilesLive")
        style = self.style()
        self.new_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon),
                                      "New study…", self)
        self.open_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon), "Open study…", self)
        self.new_button.setDefault(True)
        self.new_button.setToolTip("Create a study folder and choose what the recordings are "
                                   "(Ctrl+N)")
        self.open_button.setToolTip("Open an existing study folder (Ctrl+O)")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.recent_label = QLabel("<b>Recent studies</b>", self)
        self.recent = QTableWidget(0, 4, self)
        self.recent.setHorizontalHeaderLabels(["Study", "Recordings", "To check",
                                               "Last opened"])
        self.recent.setAccessibleName("Recent studies")
        self.recent.verticalHeader().setVisible(False)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.recent.setShowGrid(False)
        self.recent.setAlternatingRowColors(True)
        header = self.recent.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.recent.cellActivated.connect(self._activated)
        self.recent.cellDoubleClicked.connect(self._activated)
        self.open_recent_button = QPushButton("Open", self)
        self.open_recent_button.setToolTip("Open the selected study (Enter)")
        self.open_recent_button.clicked.connect(
            lambda: self._activated(self.recent.currentRow(), 0))
        self.summaries: list[StudySummary] = []

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch()
        recent_bar = QHBoxLayout()
        recent_bar.addWidget(self.recent_label)
        recent_bar.addStretch()
        recent_bar.addWidget(self.open_recent_button)
        inner = QVBoxLayout()
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addLayout(buttons)
        inner.addSpacing(8)
        inner.addLayout(recent_bar)
        inner.addWidget(self.recent)
        inner.addSpacing(8)
        inner.addWidget(where)
        inner.addStretch(1)
        box = QWidget(self)
        box.setLayout(inner)
        box.setMaximumWidth(760)
        box.setMinimumWidth(560)
        grid = QGridLayout(self)
        grid.setContentsMargins(24, 48, 24, 24)
        grid.addWidget(box, 0, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

    def set_recent(self, folders: list[Path], opened: dict[str, float] | None = None) -> None:
        """One row per recent study: name, recordings, findings still to check, last opened."""
        opened = opened or {}
        self.summaries = [summarise(f) for f in folders]
        self.recent.setRowCount(len(self.summaries))
        for r, s in enumerate(self.summaries):
            name = QTableWidgetItem(s.name)
            name.setToolTip(str(s.folder) + (f"\n{s.problem}" if s.problem else ""))
            name.setData(Qt.ItemDataRole.UserRole, str(s.folder))
            count = QTableWidgetItem(str(s.recordings) if not s.problem else "?")
            pending = QTableWidgetItem(
                (f"{s.pending} finding(s)" if s.pending else
                 "nothing" if s.ready else "–") if not s.problem else "?")
            last = QTableWidgetItem(when_text(opened.get(str(s.folder.resolve()))))
            for c, item in enumerate((name, count, pending, last)):
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.recent.setItem(r, c, item)
        if self.summaries:
            self.recent.selectRow(0)
        # As tall as its rows (a few more when there are many, then it scrolls).
        rows = min(max(len(self.summaries), 3), 8)
        self.recent.setFixedHeight(self.recent.horizontalHeader().sizeHint().height()
                                   + rows * self.recent.verticalHeader().defaultSectionSize()
                                   + 2 * self.recent.frameWidth())
        has = bool(folders)
        for w in (self.recent_label, self.recent, self.open_recent_button):
            w.setVisible(has)

    def _activated(self, row: int, _col: int) -> None:
        item = self.recent.item(row, 0)
        if item is not None:
            self.recent_chosen.emit(Path(item.data(Qt.ItemDataRole.UserRole)))


class NewStudyDialog(QDialog):
    """Name, where, what the recordings are, language and model; OK creates the folder."""

    def __init__(self, parent_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New study")
        self.folder: Path | None = None
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. Ward managers 2024")
        self.name.setAccessibleName("Study name")
        self.where = QLineEdit(str(parent_folder), self)
        self.where.setAccessibleName("Folder the study is created in")
        browse = QPushButton("Browse…", self)
        browse.setAccessibleName("Choose the folder the study is created in")
        browse.clicked.connect(self._browse)
        where_row = QHBoxLayout()
        where_row.addWidget(self.where, 1)
        where_row.addWidget(browse)
        self.path_note = QLabel(self)
        self.path_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.kind_group = QButtonGroup(self)
        kinds = QVBoxLayout()
        self.kind_buttons: dict[RecordingKind, QRadioButton] = {}
        for i, (kind, text, hint) in enumerate(KIND_CHOICES):
            button = QRadioButton(text, self)
            button.setToolTip(hint)
            button.setAccessibleDescription(hint)
            self.kind_group.addButton(button, i)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
            if kind is RecordingKind.FOCUS_GROUP:
                self.group_size = QSpinBox(self)
                self.group_size.setRange(0, 20)
                self.group_size.setSpecialValueText("not sure")
                self.group_size.setSuffix(" people")
                self.group_size.setAccessibleName("People in each focus group")
                self.group_size.setToolTip("Everyone who speaks, facilitator included "
                                           "(leave at “not sure” to find out per recording)")
                row = QHBoxLayout()
                row.setContentsMargins(24, 0, 0, 0)
                row.addWidget(QLabel("About", self))
                row.addWidget(self.group_size)
                row.addStretch()
                kinds.addLayout(row)
        self.kind_hint = QLabel(self)
        self.kind_hint.setWordWrap(True)
        self.kind_hint.setEnabled(False)  # the palette's quieter text colour, light or dark
        kinds.addWidget(self.kind_hint)
        self.kind_buttons[RecordingKind.INTERVIEW].setChecked(True)
        self.kind_group.idToggled.connect(self._kind_changed)
        self._kind_changed()

        self.language = QComboBox(self)
        self.language.setAccessibleName("Language spoken")
        for code, name in LANGUAGES:
            self.language.addItem(f"{name} ({code})" if code else name, code)
        self.model = QComboBox(self)
        self.model.setAccessibleName("Speech model")
        self.model.addItem(f"Default ({DEFAULT_MODEL})", "")
        for name in available_models():
            self.model.addItem(name, name)
        self.model.setToolTip("Larger models transcribe more accurately but more slowly; "
                              "you can change this later in Study settings.")

        where_note = QLabel(WHERE_FILES_LIVE, self)
        where_note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Name", self.name)
        form.addRow("Create in", where_row)
        form.addRow("", self.path_note)
        form.addRow("Recordings are", kinds)
        form.addRow("&Language", self.language)
        form.addRow("Speech &model", self.model)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create study")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(where_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._update)
        self.where.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(640)
        self.adjustSize()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Create the study in", self.where.text())
        if folder:
            self.where.setText(folder)

    def _kind_changed(self, *_: object) -> None:
        kind = self.kind()
        self.group_size.setEnabled(kind is RecordingKind.FOCUS_GROUP)
        self.kind_hint.setText(next(h for k, _, h in KIND_CHOICES if k is kind))

    def kind(self) -> RecordingKind:
        for kind, button in self.kind_buttons.items():
            if button.isChecked():
                return kind
        return RecordingKind.INTERVIEW

    def target(self) -> Path | None:
        name = " ".join(self.name.text().split())
        where = self.where.text().strip()
        if not name or not where:
            return None
        return Path(where).expanduser() / name

    def problem(self) -> str:
        """Why the study cannot be created as typed ("" when it can)."""
        name = " ".join(self.name.text().split())
        if not name:
            return "Give the study a name."
        if _BAD_NAME.search(name) or name in (".", ".."):
            return "A name cannot contain < > : \" / \\ | ? or *."
        target = self.target()
        assert target is not None
        if target.exists() and not target.is_dir():
            return f"{target} is a file; choose another name."
        if target.is_dir() and any(target.iterdir()) and not is_study(target):
            return (f"{target} already holds other files. A study needs a folder of its own "
                    "(it will hold private files); choose another name.")
        return ""

    def _update(self) -> None:
        target = self.target()
        problem = self.problem() if target else ""
        if target is None:
            self.path_note.setText("")
        elif is_study(target):
            self.path_note.setText(f"A study already exists there: {target} (it will be "
                                   "opened).")
        else:
            self.path_note.setText(f"Creates {target}\nAnonymised files: "
                                   f"{default_destination(target)}")
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            target is not None and not problem)

    def settings(self) -> StudySettings:
        """The study's settings as chosen here."""
        kind = self.kind()
        return StudySettings(
            model=self.model.currentData() or "", language=self.language.currentData() or "",
            recording_kind=kind.value,
            group_size=self.group_size.value() if kind is RecordingKind.FOCUS_GROUP else 0)

    def accept(self) -> None:
        """Create the folder and its study.json; stay open with the reason if that fails."""
        target = self.target()
        problem = self.problem() if target else "Give the study a name."
        if not problem and target is not None and not is_study(target):
            try:
                target.mkdir(parents=True, exist_ok=True)
                study = Study.open(target)
                try:
                    study.settings = self.settings()
                    study.save()
                finally:
                    study.close()
            except OSError as exc:
                problem = f"Cannot create {target}: {exc.strerror or exc}"
        if problem:
            self.error.setText(problem)
            self.error.show()
            return
        self.folder = target
        super().accept()


def default_parent_folder(recent: list[Path]) -> Path:
    """Where a new study goes by default: beside the last one, else in Documents."""
    if recent:
        return recent[0].parent
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()

