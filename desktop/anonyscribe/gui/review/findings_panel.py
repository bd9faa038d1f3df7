"""The side panel: findings grouped by what they say, decided and relabelled a group at a time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.model import ENTITY_TYPES, Decision
from ...labels import pending_marker
from ...review.session import FindingGroup, GroupKey, ReviewSession
from ...review.study_wide import MergeCandidate
from .transcript_view import type_colour

COL_TEXT, COL_TYPE, COL_LABEL, COL_STATE = range(4)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
# What "Says" must show in full at the panel's narrowest: a typical hospital or full name.
TYPICAL_SAYS = "Wakefield General Hospital ×12"
_STATE_TEXT = {"pending": "pending", "accepted": "✓ accepted", "rejected": "✗ rejected",
               "mixed": "mixed"}


class _LabelOnlyDelegate(QStyledItemDelegate):
    """Only the replacement column opens an editor; the rest of a row is read-only."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        if index.column() != COL_LABEL:
            return None
        return super().createEditor(parent, option, index)


class FindingsPanel(QWidget):
    """A list of groups ("Sarah Thompson ×7") with accept/reject and an editable replacement."""

    group_selected = Signal(object)  # GroupKey
    group_decided = Signal(object, object)  # GroupKey, Decision
    replacement_edited = Signal(object, str)  # GroupKey, new label
    same_person = Signal(object, str)  # GroupKey, a surface of the identity it is the same as

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ReviewSession | None = None
        self._items: dict[GroupKey, QTreeWidgetItem] = {}
        self._updating = False
        self._preferred_width = 0

        self.filter = QLineEdit(placeholderText="Filter findings…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Says", "Type", "Replacement", "State"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QTreeWidget.EditTrigger.DoubleClicked
                                  | QTreeWidget.EditTrigger.EditKeyPressed)
        self.tree.setItemDelegate(_LabelOnlyDelegate(self.tree))
        header = self.tree.header()
        # Sized once per load, not per edit: ResizeToContents re-measures every row on each
        # setText, which made one accept on a 1,500-finding transcript several ms slower.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the "×7" in view
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemChanged.connect(self._on_item_changed)

        self.accept_button = QPushButton("Accept group")
        self.accept_button.setToolTip("Replace every finding in this group (Shift+A)")
        self.reject_button = QPushButton("Reject group")
        self.reject_button.setToolTip("Keep every finding in this group as it is (Shift+R)")
        self.label_button = QPushButton("Replacement…")
        self.label_button.setToolTip("Change what this identifier becomes, study-wide")
        self.same_button = QPushButton("Same as…")
        self.same_button.setToolTip("This is the same person (or place…) as another identifier: "
                                    "one pseudonym for both, study-wide")
        self.accept_button.clicked.connect(lambda: self._decide(Decision.ACCEPTED))
        self.reject_button.clicked.connect(lambda: self._decide(Decision.REJECTED))
        self.label_button.clicked.connect(self._edit_label)
        self.same_button.clicked.connect(self._same_menu)

        buttons = QHBoxLayout()
        for b in (self.accept_button, self.reject_button, self.label_button, self.same_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)

    # -- content -------------------------------------------------------------------
    def load(self, session: ReviewSession) -> None:
        """(Re)build every row: on open and when findings come or go."""
        self.session = session
        current = self.current_key()
        self._updating = True
        self.tree.setUpdatesEnabled(False)
        try:
            self.tree.clear()
            self._items = {}
            items = []
            for g in session.groups():
                item = QTreeWidgetItem()
                item.setData(COL_TEXT, KEY_ROLE, (g.type, g.key))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self._fill(item, g)
                self._items[(g.type, g.key)] = item
                items.append(item)
            self.tree.addTopLevelItems(items)
            for col in (COL_TYPE, COL_LABEL, COL_STATE):
                self.tree.resizeColumnToContents(col)
            widest = self.tree.fontMetrics().horizontalAdvance("99✓ 99✗ 99?  ") + 8
            if self.tree.columnWidth(COL_STATE) < widest:  # room for a mixed group later
                self.tree.setColumnWidth(COL_STATE, widest)
            self._fit_width(items)
        finally:
            self.tree.setUpdatesEnabled(True)
            self._updating = False
        self._apply_filter(self.filter.text())
        if current in self._items:
            self.select(current)

    def _fill(self, item: QTreeWidgetItem, g: FindingGroup) -> None:
        assert self.session is not None
        label = self.session.known_label(g.type, g.text)
        stem = ENTITY_TYPES.get(g.type, g.type)
        proposal = (self.session.proposal((g.type, g.key))
                    if g.type == "PERSON" and label is None else None)
        shown = label if label is not None else pending_marker(g.type)
        if proposal is not None and label is None:
            shown += f"  same as {proposal[0]}?"
        texts = {
            COL_TEXT: g.title,
            COL_TYPE: stem,
            COL_LABEL: shown,
            COL_STATE: _STATE_TEXT[g.state] if g.state != "mixed" else
            f"{g.accepted}✓ {g.rejected}✗ {g.pending}?",
        }
        for col, text in texts.items():
            if item.text(col) != text:  # each change costs a repaint of the row
                item.setText(col, text)
        says_tip = f"{g.text}\n{g.count} × {stem}"
        if item.toolTip(COL_TEXT) != says_tip:
            item.setToolTip(COL_TEXT, says_tip)
        if item.data(COL_TYPE, Qt.ItemDataRole.BackgroundRole) is None:
            item.setBackground(COL_TYPE, QBrush(type_colour(g.type)))
        tip = ("Double-click to change the replacement (study-wide)" if label is not None else
               "Not decided yet: exports write this marker. Numbered when accepted; "
               "double-click to choose your own label")
        if proposal is not None:
            tip += (f"\nSpelled like {proposal[1]!r} ({proposal[0]}): if it is the same "
                    "person, press \u201cSame as\u2026\u201d")
        item.setToolTip(COL_LABEL, tip)

    def _width_for(self, says: int) -> int:
        """The panel width at which "Says" gets ``says`` pixels beside the other columns."""
        others = sum(self.tree.columnWidth(c) for c in (COL_TYPE, COL_LABEL, COL_STATE))
        chrome = (2 * self.tree.frameWidth() + self.tree.verticalScrollBar().sizeHint().width()
                  + 2 * self.tree.style().pixelMetric(
                      self.tree.style().PixelMetric.PM_FocusFrameHMargin) + 12)
        return others + says + chrome

    def _fit_width(self, items: list[QTreeWidgetItem]) -> None:
        """Never so narrow that a typical name or organisation is cut; wide enough for all
        when the screen allows (the splitter asks ``preferred_width``)."""
        fm = self.tree.fontMetrics()
        widest = max((fm.horizontalAdvance(i.text(COL_TEXT)) for i in items), default=0)
        typical = fm.horizontalAdvance(TYPICAL_SAYS)
        self.setMinimumWidth(self._width_for(min(widest, typical)))
        self._preferred_width = self._width_for(min(widest, 2 * typical))

    def preferred_width(self) -> int:
        """Room for every "Says" up to twice a typical one, and the other columns in full."""
        return max(self._preferred_width, self.minimumWidth())

    def update_groups(self, keys: set[GroupKey]) -> None:
        """Refresh only these rows (a decision or a relabel touches a few groups)."""
        if self.session is None:
            return
        self._updating = True
        try:
            for key in keys:
                item = self._items.get(key)
                g = self.session.group(key)
                if item is not None and g is not None:
                    self._fill(item, g)
        finally:
            self._updating = False

    def item(self, key: GroupKey) -> QTreeWidgetItem | None:
        return self._items.get(key)

    def current_key(self) -> GroupKey | None:
        item = self.tree.currentItem()
        return item.data(COL_TEXT, KEY_ROLE) if item is not None else None

    def select(self, key: GroupKey | None) -> None:
        """Follow the transcript's current finding without re-emitting ``group_selected``."""
        item = self._items.get(key) if key is not None else None
        if item is None or item is self.tree.currentItem():
            return
        self.tree.blockSignals(True)
        try:
            self.tree.setCurrentItem(item)
        finally:
            self.tree.blockSignals(False)
        self.tree.scrollToItem(item)

    # -- reactions -----------------------------------------------------------------
    def _on_current(self, item: QTreeWidgetItem | None, _prev: object) -> None:
        if item is not None:
            self.group_selected.emit(item.data(COL_TEXT, KEY_ROLE))

    def _decide(self, decision: Decision) -> None:
        key = self.current_key()
        if key is not None:
            self.group_decided.emit(key, decision)

    def _edit_label(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.tree.editItem(item, COL_LABEL)

    def same_candidates(self) -> list[MergeCandidate]:
        key = self.current_key()
        if key is None or self.session is None:
            return []
        return self.session.same_person_candidates(key)

    def _same_menu(self) -> None:
        """Identifiers the current group could be the same as, likely spellings first."""
        key = self.current_key()
        candidates = self.same_candidates()
        if key is None or not candidates:
            return
        menu = QMenu(self)
        for label, surface, similar in candidates:
            text = f"{label}  ({surface}){'  — similar spelling' if similar else ''}"
            menu.addAction(text).triggered.connect(
                lambda _=False, s=surface: self.same_person.emit(key, s))
        menu.exec(self.same_button.mapToGlobal(self.same_button.rect().bottomLeft()))
        menu.deleteLater()

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or self.session is None:
            return
        key = item.data(COL_TEXT, KEY_ROLE)
        if column != COL_LABEL:  # only the replacement is editable: put the rest back
            g = self.session.group(key)
            if g is not None:
                self._updating = True
                self._fill(item, g)
                self._updating = False
            return
        self.replacement_edited.emit(key, item.text(COL_LABEL))

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for item in self._items.values():
            hit = not needle or needle in item.text(COL_TEXT).casefold() \
                or needle in item.text(COL_TYPE).casefold() \
                or needle in item.text(COL_LABEL).casefold()
            item.setHidden(not hit)
