"""The main window's menu bar: File, Edit and Help.

It builds the actions, their keys and tips, and knows when each is enabled; what an action
does is the window's, which connects each action's ``triggered`` to its own slot. The review
widget looks for the window's Ctrl+Z / Ctrl+Y among these actions and leaves them to the
Edit menu (two bindings of one key would be ambiguous and do nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenuBar, QWidget


class MenuBar(QMenuBar):
    """File (studies, recordings, export, settings, quit), Edit (undo, redo), Help."""

    recent_chosen = Signal(Path)

    def __init__(self, recent: Callable[[], list[Path]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recent = recent
        K = QKeySequence.StandardKey
        self.new_action = self._action("&New study…", K.New, "Create a study in an empty folder")
        self.open_action = self._action("&Open study…", K.Open)
        self.close_study_action = self._action("&Close study")
        self.settings_action = self._action("Study &settings…")
        self.add_files_action = self._action("&Add recordings…", "Ctrl+Shift+A")
        self.add_folder_action = self._action("Add a &folder of recordings…")
        self.export_action = self._action("&Export…", "Ctrl+E")
        self.quit_action = self._action("&Quit", K.Quit)
        self.undo_action = self._action("&Undo", K.Undo)
        self.redo_action = self._action("&Redo", K.Redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.shortcuts_action = self._action("&Keyboard shortcuts")
        self.about_action = self._action("&About Anonyscribe")
        self._build()

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str |
                None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        return action

    def _build(self) -> None:
        file_menu = self.addMenu("&File")
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
        edit_menu = self.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        help_menu = self.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self._recent():
            action = self.recent_menu.addAction(str(folder))
            action.triggered.connect(lambda _=False, f=folder: self.recent_chosen.emit(f))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent studies").setEnabled(False)

    def update_state(self, has_study: bool, can_export: bool, stack: QUndoStack | None) -> None:
        """Enable what applies now; Undo and Redo name what they would undo or redo."""
        for action in (self.close_study_action, self.settings_action, self.add_files_action,
                       self.add_folder_action):
            action.setEnabled(has_study)
        self.export_action.setEnabled(can_export)
        self.undo_action.setEnabled(bool(stack and stack.canUndo()))
        self.redo_action.setEnabled(bool(stack and stack.canRedo()))
        self.undo_action.setText(f"&Undo {stack.undoText()}".strip() if stack else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redoText()}".strip() if stack else "&Redo")
