"""The review's keyboard map, in one table: the widget binds it and the help sheet lists it.

Single letters (not Tab/Shift+Tab) move between findings, so Tab keeps its usual job of
moving focus between the transcript, the panel and the player.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Binding:
    action: str
    keys: tuple[str, ...]
    what: str


BINDINGS: tuple[Binding, ...] = (
    Binding("next", ("J",), "Next finding"),
    Binding("previous", ("K",), "Previous finding"),
    Binding("next_pending", ("Shift+J",), "Next undecided finding"),
    Binding("accept", ("A",), "Accept the finding (replace it) and go to the next"),
    Binding("reject", ("R",), "Reject the finding (keep the words) and go to the next"),
    Binding("accept_group", ("Shift+A",), "Accept every finding that says the same"),
    Binding("reject_group", ("Shift+R",), "Reject every finding that says the same"),
    Binding("flag", ("F",), "Flag the selected text as an identifier…"),
    Binding("remove", ("Delete",), "Remove the finding (a wrong manual flag)"),
    Binding("edit", ("E",), "Edit the text of this turn (fix a transcription error)…"),
    Binding("rename", ("F2",), "Rename this turn's speaker…"),
    Binding("split", ("S",), "Split the turn at the word under the cursor; the rest goes to "
            "the other voice (or a new speaker)"),
    Binding("mark_audio", ("M",), "Cover the selected words (or the word at the cursor) in "
            "the anonymised audio, without changing the text; Shift+drag on the overview bar "
            "does the same for any stretch"),
    Binding("play_here", ("P",), "Play from the current finding or turn"),
    Binding("play_pause", ("Space",), "Play / pause"),
    Binding("back", ("B",), "Back 5 seconds"),
    Binding("slower", ("[",), "Slower playback"),
    Binding("faster", ("]",), "Faster playback"),
    Binding("preview", ("V",), "Show / hide the anonymised preview"),
    Binding("find", ("Ctrl+F",), "Find in the transcript (Enter: next, Esc: close)"),
    Binding("undo", ("Ctrl+Z",), "Undo"),
    Binding("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo"),
    Binding("help", ("?", "F1"), "This list of shortcuts"),
)


# Keys the window binds while the review is shown: listed on the sheet, not bound by the widget.
WINDOW_KEYS: tuple[Binding, ...] = (
    Binding("", ("Escape",), "Back to the list of recordings (decisions are already saved)"),
    Binding("", ("Ctrl+E",), "Export…"),
)


def keys_for(action: str) -> tuple[str, ...]:
    for b in BINDINGS:
        if b.action == action:
            return b.keys
    raise KeyError(action)


class ShortcutsDialog(QDialog):
    """The shortcuts sheet (? or F1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review shortcuts")
        rows = BINDINGS + WINDOW_KEYS
        table = QTableWidget(len(rows), 2, self)
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, b in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(" or ".join(b.keys)))
            table.setItem(row, 1, QTableWidgetItem(b.what))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        table.setWordWrap(False)
        table.setAccessibleName("Review shortcuts")
        # Tall enough for every row where the screen allows; the table scrolls otherwise.
        height = table.horizontalHeader().height() + sum(
            table.rowHeight(r) for r in range(table.rowCount())) + 70
        self.resize(560, min(height, 640))
