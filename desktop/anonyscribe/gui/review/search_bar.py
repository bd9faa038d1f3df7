"""Find in the transcript (Ctrl+F): type, Enter for the next match, Shift+Enter for the
previous one, Esc to close. The match is selected, so F flags it straight away."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStyle, QToolButton, QWidget


class SearchField(QLineEdit):
    """The text field: Enter steps, Esc closes (before the window's Esc takes the reviewer
    back to the recordings)."""

    step = Signal(int)
    escape = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            event.accept()  # claim Esc: it reaches keyPressEvent instead of the shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.escape.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            back = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.step.emit(-1 if back else 1)
        else:
            super().keyPressEvent(event)


class SearchBar(QWidget):
    """Emits what to find and which way; shows "3 of 7"."""

    search_changed = Signal(str)
    step = Signal(int)  # +1 next, -1 previous
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = SearchField(self)
        self.field.setPlaceholderText("Find in the transcript…")
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Find in the transcript")
        self.field.step.connect(self.step)
        self.field.escape.connect(self.close_bar)
        self.count = QLabel(self)
        self.prev_button = self._button(QStyle.StandardPixmap.SP_ArrowUp,
                                        "Previous match (Shift+Enter)", lambda: self.step.emit(-1))
        self.next_button = self._button(QStyle.StandardPixmap.SP_ArrowDown,
                                        "Next match (Enter)", lambda: self.step.emit(1))
        self.close_button = self._button(QStyle.StandardPixmap.SP_DialogCloseButton,
                                         "Close (Esc)", self.close_bar)
        self.field.textChanged.connect(self.search_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        for b in (self.prev_button, self.next_button, self.close_button):
            layout.addWidget(b)

    def _button(self, icon: QStyle.StandardPixmap, tip: str, slot: object) -> QToolButton:
        b = QToolButton(self)
        b.setIcon(self.style().standardIcon(icon))
        b.setToolTip(tip)
        b.setAccessibleName(tip.split(" (")[0])
        b.setAutoRaise(True)
        b.clicked.connect(slot)
        return b

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def set_count(self, index: int, total: int) -> None:
        text = self.field.text().strip()
        self.count.setText("" if not text else "no match" if not total
                           else f"{index + 1} of {total}")
