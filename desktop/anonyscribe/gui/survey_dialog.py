"""Which columns of a survey export are free text, and which to drop: asked when a sheet is
added, before it is read. The proposal (``sources.survey.propose``) is preselected, so OK is
all most researchers need; Cancel reads the sheet with the proposal too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..sources import survey
from ..sources.sheet import column_letter, data_rows

ROLES = [("free text", "Free text: review and anonymise"), ("keep", "Keep as it is"),
         ("drop", "Drop from the anonymised sheet")]
COL_LETTER, COL_HEADING, COL_SAMPLE, COL_ROLE = range(4)
SAMPLE_ROWS = 3


class SurveyColumnsDialog(QDialog):
    """Choose the free-text and dropped columns of one sheet; OK saves the choice."""

    def __init__(self, path: Path, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.folder = Path(path), Path(folder)
        self.setWindowTitle(f"Survey columns: {self.path.name}")
        self.layout_ = survey.read_layout(self.path)
        saved = survey.load_plan(self.folder)
        options = saved.options if saved else survey.propose(self.path, self.layout_)
        note = QLabel(f"Found a {self.layout_.tool} export with {len(self.layout_.names)} "
                      "columns. Free-text answers are reviewed one by one like interview "
                      "turns; dropped columns (names, e-mail, ids, times) never reach the "
                      "anonymised sheet. The proposal is preselected.", self)
        note.setWordWrap(True)
        self.table = QTableWidget(len(self.layout_.names), 4, self)
        self.table.setHorizontalHeaderLabels(["", "Column", "First answers", "Use as"])
        samples = self._samples()
        self.combos: list[QComboBox] = []
        for i, heading in enumerate(self.layout_.questions):
            self.table.setItem(i, COL_LETTER, QTableWidgetItem(column_letter(i)))
            self.table.setItem(i, COL_HEADING, QTableWidgetItem(heading))
            self.table.setItem(i, COL_SAMPLE, QTableWidgetItem(" | ".join(samples[i])))
            combo = QComboBox(self.table)
            for _key, text in ROLES:
                combo.addItem(text)
            combo.setCurrentIndex(0 if i in options.text_columns else
                                  2 if i in options.drop_columns else 1)
            self.table.setCellWidget(i, COL_ROLE, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()
        self.per_respondent = QRadioButton("one document per respondent", self)
        self.per_question = QRadioButton("one document per question", self)
        group = QButtonGroup(self)
        group.addButton(self.per_respondent)
        group.addButton(self.per_question)
        (self.per_question if options.per == "question" else self.per_respondent).setChecked(True)
        per = QHBoxLayout()
        per.addWidget(QLabel("Coding-app project (.qdpx):", self))
        per.addWidget(self.per_respondent)
        per.addWidget(self.per_question)
        per.addStretch()
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #a40000;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, parent=self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(note)
        box.addWidget(self.table, 1)
        box.addLayout(per)
        box.addWidget(self.message)
        box.addWidget(buttons)
        self.resize(900, 480)

    def _samples(self) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in self.layout_.names]
        for k, row in data_rows(self.path, self.layout_):
            if k >= SAMPLE_ROWS:
                break
            for i, value in enumerate(row[: len(out)]):
                if value is not None:
                    out[i].append(" ".join(str(value).split())[:60])
        return out

    def options(self) -> survey.SurveyOptions:
        roles = [ROLES[c.currentIndex()][0] for c in self.combos]
        return survey.SurveyOptions(
            [i for i, r in enumerate(roles) if r == "free text"],
            [i for i, r in enumerate(roles) if r == "drop"],
            "question" if self.per_question.isChecked() else "respondent")

    def accept(self) -> None:
        options = self.options()
        if not options.text_columns:
            self.message.setText("Choose at least one free-text column.")
            return
        survey.choose(self.folder, self.path, options, decided=0)
        super().accept()
