"""About (version and the licences of what ships inside) and the keyboard shortcuts list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..licences import about_rows

LICENCES: list[tuple[str, str, str]] = about_rows()  # one list: anonyscribe/licences.py

APP_SHORTCUTS: list[tuple[str, str]] = [
    ("Ctrl+N", "New study"),
    ("Ctrl+O", "Open study"),
    ("Ctrl+Shift+A", "Add recordings"),
    ("Ctrl+E", "Export…"),
    ("Escape", "Back from the review to the list of recordings"),
    ("Ctrl+Q", "Quit (nothing is lost: every decision is already saved)"),
]


MAX_COLUMN = 300


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # the whole text on hover where a column cuts it short
            table.setItem(r, c, item)
    table.setWordWrap(False)
    table.resizeColumnsToContents()
    for c in range(len(headers) - 1):  # no column crowds out the others
        table.setColumnWidth(c, min(table.columnWidth(c), MAX_COLUMN))
    table.horizontalHeader().setStretchLastSection(True)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return table


def fit_to_screen(dialog: QDialog, width: int, table: QTableWidget, extra: int) -> None:
    """As tall as the content where the screen allows it; the table scrolls beyond that."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    wanted = table.horizontalHeader().height() + rows + extra
    screen = dialog.screen().availableGeometry() if dialog.screen() else None
    limit = int(screen.height() * 0.85) if screen is not None else 700
    dialog.resize(width, min(wanted, limit))


class AboutDialog(QDialog):
    """Version and licences; says in one line that nothing leaves the computer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Anonyscribe")
        head = QLabel(
            f"<h2>Anonyscribe {__version__}</h2>"
            "<p>Transcribes interview recordings and anonymises them for qualitative coding. "
            "Everything runs on this computer: no recording, transcript or name is ever sent "
            "anywhere, and the app makes no network connections.</p>"
            "<p>Anonyscribe is released under the MIT licence. It includes:</p>", self)
        head.setWordWrap(True)
        head.setTextFormat(Qt.TextFormat.RichText)
        self.licences = _table(LICENCES, ("Component", "Licence", "Where"), self)
        self.licences.setAccessibleName("Licences of the included components")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 720, self.licences, head.sizeHint().height() + 90)


class ShortcutsDialog(QDialog):
    """The app's shortcuts plus the review screen's, when it publishes them."""

    def __init__(self, review_shortcuts: Sequence[tuple[str, str]] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = [*APP_SHORTCUTS, *review_shortcuts]
        self.table = _table(rows, ("Keys", "What it does"), self)
        self.table.setAccessibleName("Keyboard shortcuts")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 600, self.table, 80)
