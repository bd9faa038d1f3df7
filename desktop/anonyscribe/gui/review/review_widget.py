"""The review screen: transcript, findings panel, preview and player, driven from the keyboard.

All the logic lives in ``review.session.ReviewSession`` (Qt-free, saved at every step); this
widget draws it, turns keys and clicks into undoable commands, and redraws only the
turns a command touched.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.model import ENTITY_TYPES, Decision, Finding
from ...core.register import normalise
from ...core.study import Study
from ...review.session import GroupKey, ReviewSession, group_key, turn_detector
from ...review.text import word_around
from .commands import (
    AddFindingCommand,
    AudioMarkCommand,
    DecideCommand,
    EditTextCommand,
    RemoveFindingsCommand,
    RenameSpeakerCommand,
    ReplacementCommand,
    ReviewCommand,
    SamePersonCommand,
    SpeakerChangeCommand,
    SplitTurnCommand,
)
from .findings_panel import FindingsPanel
from .overview import OverviewBar
from .player import PlayerBar
from .search_bar import SearchBar
from .shortcuts import BINDINGS, ShortcutsDialog
from .transcript_view import TYPE_COLOURS, PreviewView, TranscriptView, clock, speaker_colour

T = TypeVar("T")
TypeGuesser = Callable[[str, int, int], "str | None"]  # turn text, start, end -> entity type
LEAD_IN = 0.4  # seconds of audio before a finding, so the reviewer hears it in context


def _quote(text: str, limit: int = 40) -> str:
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


class AddFindingDialog(QDialog):
    """Type chooser for a selection, with "every occurrence" and "across the study"."""

    def __init__(self, text: str, type_: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Flag as identifier")
        self.type_box = QComboBox()
        for key, stem in ENTITY_TYPES.items():
            self.type_box.addItem(stem, key)
        self.type_box.setCurrentIndex(max(self.type_box.findData(type_), 0))
        self.all_box = QCheckBox("Every occurrence in this transcript")
        self.all_box.setChecked(True)
        self.study_box = QCheckBox("Across the study: always flag it, here and in the other "
                                   "recordings already processed")
        self.study_box.toggled.connect(lambda on: on and self.all_box.setChecked(True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Text:", QLabel(html.escape(_quote(text, 80))))
        form.addRow("Type:", self.type_box)
        form.addRow(self.all_box)
        form.addRow(self.study_box)
        form.addRow(buttons)

    def choice(self) -> tuple[str, bool, bool]:
        return self.type_box.currentData(), self.all_box.isChecked(), self.study_box.isChecked()


class EditTurnDialog(QDialog):
    """Fix what the transcriber misheard; flagged words follow the edit."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit turn — {title}")
        self.editor = QPlainTextEdit(text)
        note = QLabel("Flagged words follow your edit; a flag whose words you delete goes "
                      "with them. Undo (Ctrl+Z) restores the turn exactly.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 260)

    def text(self) -> str:
        return self.editor.toPlainText()


class ReviewWidget(QWidget):
    """Review one recording. ``undo_stack`` holds every action; wire Edit>Undo/Redo to it."""

    progress_changed = Signal(int, int)  # decided, total

    def __init__(self, study: Study, rec_id: str, media_path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.study = study
        self.session = ReviewSession(study, rec_id, detect=turn_detector(study))
        self.undo_stack = QUndoStack(self)
        self._current_id: str | None = None
        self._current_segment: int | None = None
        self._order_list: list[Finding] | None = None
        self._order_pos: dict[str, int] = {}
        self._last_type = "PERSON"
        self._playing_at: tuple[int, int, int] | None = None
        self._shortcuts: dict[str, list[QShortcut]] = {}
        # What the detector would call a selection (the window sets it once a detector runs).
        self.type_guesser: TypeGuesser | None = None
        self._hits: list[tuple[int, int, int]] = []
        self._hit = -1

        self._build()
        self.view.load(self.session)
        self.panel.load(self.session)
        self.splitter.setSizes([640, 0, max(420, self.panel.preferred_width())])
        self.overview.load(self.session)
        self.speaker_legend.setText(self._speaker_legend_html())
        self._update_progress()
        pending = self.session.pending()
        if pending:
            self.set_current(pending[0], scroll=False)
        if media_path is None:
            entry = study.recordings.get(rec_id)
            media_path = Path(entry.path) if entry is not None and entry.path else None
        # The player starts after the first paint: opening must not wait for the decoder.
        QTimer.singleShot(0, self.player, lambda: self.player.load(media_path))

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        self.progress_label = QLabel()
        self.legend = QLabel(self._legend_html())
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.preview_button = QToolButton(text="Preview")
        self.preview_button.setCheckable(True)
        self.preview_button.setToolTip("Show the anonymised text beside the transcript (V)")
        self.preview_button.toggled.connect(self.show_preview)
        flag_button = QToolButton(text="Flag selection…")
        flag_button.setToolTip("Select words in the transcript, then flag them as an "
                               "identifier (F)")
        flag_button.clicked.connect(self.flag_selection)
        help_button = QToolButton(text="?")
        help_button.setToolTip("Keyboard shortcuts (? or F1)")
        help_button.clicked.connect(self.show_shortcuts)
        find_button = QToolButton(text="Find…")
        find_button.setToolTip("Find in the transcript (Ctrl+F)")
        find_button.clicked.connect(self.open_search)
        for button, name in ((self.preview_button, "Preview"), (flag_button, "Flag selection"),
                             (help_button, "Keyboard shortcuts"), (find_button, "Find")):
            button.setAccessibleName(name)
        top = QHBoxLayout()
        top.addWidget(self.progress_label)
        top.addSpacing(16)
        top.addWidget(self.legend, 1)
        top.addWidget(find_button)
        top.addWidget(flag_button)
        top.addWidget(self.preview_button)
        top.addWidget(help_button)
        self.speaker_legend = QLabel()
        self.speaker_legend.setTextFormat(Qt.TextFormat.RichText)
        self.speaker_legend.setToolTip("Double-click a speaker's name in the transcript to "
                                       "rename the voice (F2)")
        self.overview = OverviewBar()
        self.search = SearchBar()
        self.search.hide()
        self.search.search_changed.connect(self._search)
        self.search.step.connect(self._search_step)
        self.search.closed.connect(self._search_closed)

        self.view = TranscriptView()
        self.preview = PreviewView()
        self.preview.hide()
        self.panel = FindingsPanel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for w in (self.view, self.preview, self.panel):
            splitter.addWidget(w)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([640, 0, 420])
        self.splitter = splitter

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("color: #a40000;")
        self.banner.hide()
        self.player = PlayerBar()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.speaker_legend)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.overview)
        layout.addWidget(self.player)

        self.view.finding_clicked.connect(self._on_finding_clicked)
        self.view.header_clicked.connect(self._on_header_clicked)
        self.view.header_double_clicked.connect(self._on_header_double_clicked)
        self.view.context_menu_requested.connect(self._context_menu)
        self.view.time_clicked.connect(self.go_to_time)
        self.overview.seek_requested.connect(self.go_to_time)
        self.overview.mark_requested.connect(self.mark_audio)
        self.overview.unmark_requested.connect(self.unmark_audio)
        self.view.cursorPositionChanged.connect(self._on_cursor_moved)
        self.panel.group_selected.connect(self._on_group_selected)
        self.panel.group_decided.connect(self.decide_group)
        self.panel.replacement_edited.connect(self.set_replacement)
        self.panel.same_person.connect(self.same_person)
        self.player.position_changed.connect(self._on_position)
        self._bind_keys()

    def _legend_html(self) -> str:
        present = {f.type for f in self.session.findings} or {"PERSON"}
        chips = [f'<span style="background:{TYPE_COLOURS.get(t, "#e6e6e6")}">&nbsp;'
                 f'{html.escape(ENTITY_TYPES.get(t, t))}&nbsp;</span>'
                 for t in ENTITY_TYPES if t in present]
        return (" ".join(chips) + "&nbsp;&nbsp;<s>struck</s> = replaced, "
                '<span style="color:#a0a0a0">grey</span> = kept')

    def _speaker_legend_html(self) -> str:
        # One chip per label: two voices merged into "Speaker 1" are one person to the reader.
        by_label: dict[str, list[str]] = {}
        for sp in self.session.transcript.speakers:
            by_label.setdefault(sp.label, []).append(sp.id)
        chips = ["".join(f'<span style="color:{speaker_colour(self.session, sid).name()}">'
                         '&#9632;</span>' for sid in ids) + f"&nbsp;{html.escape(label)}"
                 for label, ids in by_label.items()]
        return "Speakers: " + "&nbsp;&nbsp;&nbsp;".join(chips) if chips else ""

    def _bind_keys(self) -> None:
        handlers: dict[str, Callable[[], object]] = {
            "next": self.next_finding, "previous": self.previous_finding,
            "next_pending": self.next_pending, "accept": self.accept_current,
            "reject": self.reject_current, "accept_group": self.accept_group,
            "reject_group": self.reject_group, "flag": self.flag_selection,
            "remove": self.remove_current, "edit": self.edit_current_turn,
            "rename": self.rename_current_speaker, "play_here": self.play_here,
            "play_pause": self.player.toggle, "back": lambda: self.player.skip(-5.0),
            "slower": lambda: self.player.step_speed(-1),
            "faster": lambda: self.player.step_speed(1),
            "preview": self.preview_button.toggle, "undo": self.undo_stack.undo,
            "redo": self.undo_stack.redo, "help": self.show_shortcuts,
            "find": self.open_search,
            "split": self.split_here, "mark_audio": self.mark_audio_here,
        }
        for b in BINDINGS:
            for key in b.keys:
                sc = QShortcut(QKeySequence(key), self)
                sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                sc.activated.connect(handlers[b.action])
                self._shortcuts.setdefault(b.action, []).append(sc)

    def set_undo_shortcuts(self, enabled: bool) -> None:
        """Turn this widget's own Ctrl+Z / Ctrl+Y off when the window's Edit menu owns them."""
        for action in ("undo", "redo"):
            for sc in self._shortcuts[action]:
                sc.setEnabled(enabled)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        window = self.window()
        if window is not self:  # an Edit menu with the same keys would make both ambiguous
            mine = {sc.key().toString() for a in ("undo", "redo") for sc in self._shortcuts[a]}
            theirs = {seq.toString() for act in window.findChildren(QAction)
                      for seq in act.shortcuts()}
            if mine & theirs:
                self.set_undo_shortcuts(False)
        self.view.setFocus()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.player.pause()
        super().hideEvent(event)

    # -- redraw -------------------------------------------------------------------------
    def apply_change(self, op: Callable[[], T], *, segments: Iterable[int] = (),
                     groups: Iterable[GroupKey] = (), structure: bool = False,
                     speakers: bool = False) -> T:
        """Run a session operation, then redraw only the turns and rows it touched."""
        before = self.session.relabel_snapshot()
        result = op()
        relabelled = self.session.relabelled(before)
        touched = set(segments) | self.session.segments_of(relabelled)
        if structure:
            self.panel.load(self.session)
        else:
            self.panel.update_groups(set(groups) | relabelled)
        for seg_id in touched:
            self.view.refresh_segment(seg_id)
            self.preview.refresh_segment(seg_id)
        if speakers:
            for seg in self.session.transcript.segments:
                self.view.refresh_header(seg.id)
            self.preview.refresh_headers()
        current = self.current_finding
        if current is None:
            self._current_id = None
        self.view.set_current(current)
        self.overview.refresh()
        if speakers:
            self.speaker_legend.setText(self._speaker_legend_html())
        self._update_progress()
        return result

    def report_error(self, action: str, exc: BaseException) -> None:
        """Show a failed step in the banner; the review goes on."""
        what = action[:1].lower() + action[1:] if action else "do that"
        self.banner.setText(f"Could not {what}: {exc}")
        self.banner.show()

    def _info(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet("color: #444444;")
        self.banner.show()
        QTimer.singleShot(4000, self._clear_info)

    def _clear_info(self) -> None:
        if self.banner.styleSheet() == "color: #444444;":
            self.banner.hide()
            self.banner.setStyleSheet("color: #a40000;")

    def _update_progress(self) -> None:
        decided, total = self.session.counts()
        text = f"{decided} of {total} decided"
        if total and decided == total:
            text += " — ready to export"
        self.progress_label.setText(text)
        self.progress_changed.emit(decided, total)

    def _run(self, command: ReviewCommand) -> bool:
        self.banner.hide()
        try:
            command.do()
        except (OSError, ValueError, KeyError) as exc:
            self.report_error(command.text(), exc)
            return False
        command.mark_done()
        self.undo_stack.push(command)
        return True

    # -- current finding --------------------------------------------------------------------
    @property
    def current_finding(self) -> Finding | None:
        if self._current_id is None:
            return None
        try:
            return self.session.finding(self._current_id)
        except KeyError:
            return None

    def set_current(self, f: Finding | None, scroll: bool = True) -> None:
        """Make ``f`` the finding the keys act on (and select its group in the panel)."""
        self._current_id = f.id if f is not None else None
        if f is None:
            self.view.set_current(None)
            return
        self._current_segment = f.segment_id
        self.view.set_current(f)
        self.overview.set_current(self.session.time_at(f.segment_id, f.start))
        if not scroll:
            self.view.verticalScrollBar().setValue(0)
        self.panel.select(group_key(f))

    def _position(self, order: list[Finding]) -> int | None:
        if order is not self._order_list:
            self._order_list = order
            self._order_pos = {f.id: i for i, f in enumerate(order)}
        return self._order_pos.get(self._current_id) if self._current_id else None

    def _step(self, delta: int) -> None:
        order = self.session.ordered()
        if not order:
            return
        i = self._position(order)
        if i is None:
            i = -1 if delta > 0 else len(order)
        j = min(max(i + delta, 0), len(order) - 1)
        self.set_current(order[j])

    def next_finding(self) -> None:
        self._step(1)

    def previous_finding(self) -> None:
        self._step(-1)

    def next_pending(self) -> None:
        order = self.session.ordered()
        start = self._position(order)
        start = -1 if start is None else start
        n = len(order)
        for k in range(1, n + 1):
            f = order[(start + k) % n]
            if f.decision is Decision.PENDING:
                self.set_current(f)
                return
        self._info("Every finding is decided.")

    # -- decisions ---------------------------------------------------------------------------
    def _decide_current(self, decision: Decision) -> None:
        f = self.current_finding
        if f is None:
            self.next_pending()
            return
        verb = "Accept" if decision is Decision.ACCEPTED else "Reject"
        if self._run(DecideCommand(self, [f.id], decision, f"{verb} {_quote(f.text)}")):
            self.next_pending()  # the next undecided one, wrapping to the first

    def accept_current(self) -> None:
        self._decide_current(Decision.ACCEPTED)

    def reject_current(self) -> None:
        self._decide_current(Decision.REJECTED)

    def decide_group(self, key: GroupKey, decision: Decision) -> None:
        g = self.session.group(key)
        if g is None:
            return
        verb = "Accept" if decision is Decision.ACCEPTED else "Reject"
        self._run(DecideCommand(self, g.ids, decision, f"{verb} all {_quote(g.title)}"))

    def accept_group(self) -> None:
        f = self.current_finding
        if f is not None:
            self.decide_group(group_key(f), Decision.ACCEPTED)

    def reject_group(self) -> None:
        f = self.current_finding
        if f is not None:
            self.decide_group(group_key(f), Decision.REJECTED)

    # -- adding and removing findings ------------------------------------------------------
    def flag_selection(self) -> None:
        """Ask for a type and flag the selected words (F, or the context menu)."""
        sel = self.view.selection()
        if sel is None:
            self._info("Select the words to flag first (within one turn), then press F.")
            return
        seg_id, start, end = sel
        dialog = AddFindingDialog(self.session.segment(seg_id).text[start:end],
                                  self.guess_type(seg_id, start, end), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        type_, every, study_wide = dialog.choice()
        dialog.deleteLater()
        self.focus_transcript()
        if accepted:
            self.add_finding(seg_id, start, end, type_, every, study_wide)

    def guess_type(self, segment_id: int, start: int, end: int) -> str:
        """The type to propose for a selection: what the same words are already flagged as,
        else what the detector would call them in their sentence, else the last type used."""
        text = self.session.segment(segment_id).text
        said = normalise(text[start:end])
        same = [f.type for f in self.session.findings if normalise(f.text) == said]
        if same:
            return max(set(same), key=same.count)
        if self.type_guesser is not None:
            try:
                found = self.type_guesser(text, start, end)
            except (OSError, RuntimeError, ValueError):
                found = None  # a guess only: the reviewer chooses anyway
            if found in ENTITY_TYPES:
                return found
        return self._last_type

    def add_finding(self, segment_id: int, start: int, end: int, type_: str,
                    apply_to_all: bool = False, study_wide: bool = False) -> list[Finding]:
        """Flag text as ``type_`` (undoable); returns the new findings."""
        self._last_type = type_
        text = self.session.segment(segment_id).text[start:end].strip()
        where = " across the study" if study_wide else (" everywhere" if apply_to_all else "")
        command = AddFindingCommand(self, segment_id, start, end, type_, apply_to_all,
                                    study_wide, f"Flag {_quote(text)}{where}")
        if not self._run(command):
            return []
        added = command.added
        first = added[0] if added else (
            self.session.finding(next(iter(added.decided))) if added.decided else None)
        if first is not None:
            self.set_current(first)
        elsewhere = sum(len(v) for v in added.elsewhere.values())
        if not added and not added.decided:
            self._info(f"{_quote(text)} is already flagged as {ENTITY_TYPES[type_]}.")
        elif elsewhere:
            self._info(f"Also flagged {elsewhere}× in {len(added.elsewhere)} other "
                       "recording(s), waiting for review there.")
        return list(added)

    def remove_current(self) -> None:
        f = self.current_finding
        if f is None:
            return
        order = self.session.ordered()
        i = self._position(order) or 0
        following = order[i + 1] if i + 1 < len(order) else None
        if self._run(RemoveFindingsCommand(self, [f.id], f"Remove flag {_quote(f.text)}")):
            self.set_current(following)

    # -- text, speakers, labels -----------------------------------------------------------------
    def _turn(self) -> int | None:
        f = self.current_finding
        if f is not None:
            return f.segment_id
        return self._current_segment

    def edit_current_turn(self) -> None:
        seg_id = self._turn()
        if seg_id is None:
            self._info("Click in a turn first, then press E to edit it.")
            return
        seg = self.session.segment(seg_id)
        title = f"{self.session.transcript.speaker_label(seg.speaker)} {clock(seg.start)}"
        dialog = EditTurnDialog(title, seg.text, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        text = dialog.text()
        dialog.deleteLater()
        self.focus_transcript()
        if accepted:
            self.edit_turn(seg_id, text)

    def edit_turn(self, segment_id: int, new_text: str) -> bool:
        """Replace a turn's text (undoable); its findings stay anchored to their words."""
        if new_text == self.session.segment(segment_id).text:
            return False
        return self._run(EditTextCommand(self, segment_id, new_text, "Edit turn text"))

    def rename_current_speaker(self) -> None:
        seg_id = self._turn()
        if seg_id is not None:
            self._on_header_double_clicked(seg_id)

    def rename_speaker(self, speaker_id: str, label: str) -> bool:
        old = self.session.transcript.speaker_label(speaker_id)
        if " ".join(label.split()) == old:
            return False
        return self._run(RenameSpeakerCommand(self, speaker_id, label,
                                              f"Rename {_quote(old)} to {_quote(label)}"))

    def move_turn(self, segment_id: int, speaker_id: str | None = None) -> bool:
        """Give one turn to another voice (undoable); ``None`` makes a new speaker."""
        seg = self.session.segment(segment_id)
        if speaker_id == seg.speaker:
            return False
        sid = speaker_id or self.session.new_speaker_id()
        label = (self.session.transcript.speaker_label(sid) if speaker_id
                 else f"Speaker {len(self.session.transcript.speakers) + 1}")
        return self._run(SpeakerChangeCommand(
            self, lambda: self.session.move_turn(segment_id, sid, label),
            f"Give the turn at {clock(seg.start)} to {_quote(label)}"))

    def merge_speaker(self, drop_id: str, keep_id: str) -> bool:
        """Every turn of ``drop_id`` goes to ``keep_id`` (undoable)."""
        if drop_id == keep_id:
            return False
        t = self.session.transcript
        return self._run(SpeakerChangeCommand(
            self, lambda: self.session.merge_speakers(keep_id, drop_id),
            f"Merge {_quote(t.speaker_label(drop_id))} into {_quote(t.speaker_label(keep_id))}"))

    def _speaker_menus(self, menu: QMenu) -> None:
        """"Give this turn to" and "Merge this speaker into": one entry per other voice."""
        seg_id = self._turn()
        if seg_id is None:
            return
        here = self.session.segment(seg_id).speaker
        others = [sp for sp in self.session.transcript.speakers if sp.id != here]
        give = menu.addMenu("Give this turn to")
        for sp in others:
            give.addAction(sp.label).triggered.connect(
                lambda _=False, sid=sp.id: self.move_turn(seg_id, sid))
        give.addAction("A new speaker").triggered.connect(lambda: self.move_turn(seg_id, None))
        merge = menu.addMenu("Merge this speaker into")
        merge.setEnabled(bool(others))
        for sp in others:
            merge.addAction(sp.label).triggered.connect(
                lambda _=False, sid=sp.id: self.merge_speaker(here, sid))

    # -- splitting turns, swapping voices, naming roles ------------------------------------------
    def reload_turns(self) -> None:
        """Lay every turn out again (a split adds a turn, its undo removes it)."""
        self.view.load(self.session)
        if self.preview.loaded:
            self.preview.load(self.session)

    def _other_voice(self, speaker_id: str) -> str | None:
        """The one other voice of a two-voice recording (None: several, or none, to pick)."""
        others = [sp.id for sp in self.session.transcript.speakers if sp.id != speaker_id]
        return others[0] if len(others) == 1 else None

    def split_turn(self, segment_id: int, offset: int, speaker_id: str | None = None) -> bool:
        """Split a turn at the word holding ``offset``; the rest goes to ``speaker_id`` (None:
        a new speaker). Undoable, saved at once."""
        seg = self.session.segment(segment_id)
        if speaker_id == seg.speaker:
            return False
        sid = speaker_id or self.session.new_speaker_id()
        t = self.session.transcript
        label = (t.speaker_label(sid) if speaker_id
                 else f"Speaker {len(t.speakers) + 1}")
        return self._run(SplitTurnCommand(
            self, segment_id, offset, sid, label,
            f"Split the turn at {clock(seg.start)} and give the rest to {_quote(label)}"))

    def _cursor_point(self, pos: QPoint | None = None) -> tuple[int, int] | None:
        """(turn, text offset) under the mouse (``pos``, global) or at the text cursor."""
        cursor = (self.view.cursorForPosition(self.view.viewport().mapFromGlobal(pos))
                  if pos is not None else self.view.textCursor())
        seg_id, offset = self.view.text_position(cursor.position())
        if seg_id < 0 or offset is None:
            return None
        return seg_id, offset

    def split_here(self) -> None:
        """S: split the turn at the word under the text cursor; in a two-voice recording the
        rest goes to the other voice, else to a new speaker (move it on with the menu)."""
        point = self._cursor_point()
        if point is None:
            self._info("Click on the word where the other voice begins, then press S.")
            return
        seg_id, offset = point
        self.split_turn(seg_id, offset, self._other_voice(self.session.segment(seg_id).speaker))

    # -- covering stretches of the anonymised audio by hand ------------------------------
    def mark_audio(self, start: float, end: float) -> bool:
        """Cover ``start``–``end`` in the anonymised audio (undoable); the text is unchanged.
        For what the recogniser missed or timed badly: the export's last check names it."""
        a, b = sorted((start, end))
        return self._run(AudioMarkCommand(
            self, f"Cover {clock(a)}–{clock(b)} in the anonymised audio", span=(a, b)))

    def unmark_audio(self, mark_id: str) -> bool:
        mark = next((m for m in self.session.audio_marks if m.id == mark_id), None)
        if mark is None:
            return False
        return self._run(AudioMarkCommand(
            self, f"Remove the audio mark {clock(mark.start)}–{clock(mark.end)}",
            remove=mark_id))

    def mark_audio_here(self) -> None:
        """M: cover the selected words, else the word at the text cursor, in the audio."""
        sel = self.view.selection()
        if sel is None:
            point = self._cursor_point()
            where = None if point is None else word_around(
                self.session.segment(point[0]).text, point[1])
            if where is None or point is None:
                self._info("Select the words to cover in the anonymised audio (or click on "
                           "one), then press M; or Shift+drag on the bar below.")
                return
            sel = (point[0], *where)
        a, b = self.session.selection_times(*sel)
        if self.mark_audio(a, b):
            self._info(f"{clock(a)}–{clock(b)} will be covered in the anonymised audio "
                       "(Ctrl+Z undoes).")

    def swap_speakers(self, a: str, b: str) -> bool:
        """Every turn of ``a`` goes to ``b`` and back, for the whole recording (undoable)."""
        if a == b:
            return False
        t = self.session.transcript
        return self._run(SpeakerChangeCommand(
            self, lambda: self.session.swap_speakers(a, b),
            f"Swap {_quote(t.speaker_label(a))} and {_quote(t.speaker_label(b))}"))

    def name_roles(self) -> bool:
        """Name the voice asking the questions "Interviewer" and the other "Participant"
        (one undo step)."""
        roles = self.session.suggested_roles()
        if not roles:
            return False
        self.undo_stack.beginMacro("Name the interviewer and the participant")
        try:
            done = [self.rename_speaker(sid, label) for sid, label in roles.items()]
        finally:
            self.undo_stack.endMacro()
        return any(done)

    def _split_menus(self, menu: QMenu, pos: QPoint) -> None:
        """"Split here, give the rest to", "Swap speakers with" and the role suggestion."""
        point = self._cursor_point(pos)
        t = self.session.transcript
        if point is not None:
            seg_id, offset = point
            here = self.session.segment(seg_id).speaker
            split = menu.addMenu("Split here, give the rest to")
            for sp in t.speakers:
                if sp.id != here:
                    split.addAction(sp.label).triggered.connect(
                        lambda _=False, sid=sp.id: self.split_turn(seg_id, offset, sid))
            split.addAction("A new speaker").triggered.connect(
                lambda: self.split_turn(seg_id, offset, None))
            swap = menu.addMenu("Swap speakers with")
            others = [sp for sp in t.speakers if sp.id != here]
            swap.setEnabled(bool(others))
            for sp in others:
                swap.addAction(sp.label).triggered.connect(
                    lambda _=False, sid=sp.id: self.swap_speakers(here, sid))
        roles = self.session.suggested_roles()
        if roles and any(t.speaker_label(sid) != label for sid, label in roles.items()):
            who = next(sid for sid, label in roles.items() if label == "Interviewer")
            act = menu.addAction(f"Name {_quote(t.speaker_label(who))} Interviewer, the other "
                                 "Participant (asks the questions)")
            act.triggered.connect(self.name_roles)

    def set_replacement(self, key: GroupKey, label: str) -> bool:
        """Change what an identifier becomes, study-wide ("[Person 1]" -> "[Participant]")."""
        g = self.session.group(key)
        if g is None:
            return False
        label = " ".join(label.split())
        if not label or label == self.session.known_label(g.type, g.text):
            self.panel.update_groups({key})  # put the shown label back
            return False
        command = ReplacementCommand(self, g.type, g.text, label,
                                     f"Replace {_quote(g.text)} with {_quote(label)}")
        ok = self._run(command)
        self.panel.update_groups({(g.type, normalise(g.text))})
        return ok

    def same_person(self, key: GroupKey, surface: str) -> bool:
        """The group is the same identity as ``surface``: one pseudonym, study-wide (undoable)."""
        g = self.session.group(key)
        if g is None:
            return False
        return self._run(SamePersonCommand(self, g.type, surface, g.text,
                                           f"Same as {_quote(surface)}: {_quote(g.text)}"))

    # -- preview, help ---------------------------------------------------------------------
    def show_preview(self, on: bool) -> None:
        if on and not self.preview.loaded:
            self.preview.load(self.session)
        self.preview.setVisible(on)
        total = sum(self.splitter.sizes()) or self.width()
        # The findings keep room for what they say; the texts share the rest.
        panel = max(total * 3 // 10, min(self.panel.preferred_width(), total // 2),
                    self.panel.minimumWidth())
        self.splitter.setSizes([(total - panel) // 2, (total - panel) // 2, panel] if on
                               else [total - panel, 0, panel])
        if self.preview_button.isChecked() != on:
            self.preview_button.setChecked(on)

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self.focus_transcript)
        dialog.open()
        return dialog

    def focus_transcript(self, *_: object) -> None:
        """Keys act on the transcript again once a dialog closes (no click needed)."""
        window = self.window()
        if not window.isActiveWindow():  # some window managers leave no window active
            window.activateWindow()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- search ------------------------------------------------------------------------
    def open_search(self) -> None:
        sel = self.view.textCursor().selectedText()
        if sel and "\u2029" not in sel and len(sel) < 80:
            self.search.field.setText(sel.replace("\u2028", " ").strip())
        self.search.open_bar()

    def _search(self, needle: str) -> None:
        self._hits = self.view.find_all(needle)
        self.view.set_found(self._hits)
        here = self.view.textCursor().selectionStart()
        self._hit = next((i for i, h in enumerate(self._hits)
                          if self.view.text_range(*h)[0] >= here), 0) - 1
        self._search_step(1)

    def _search_step(self, delta: int) -> None:
        if not self._hits:
            self.search.set_count(0, 0)
            return
        self._hit = (self._hit + delta) % len(self._hits)
        self.view.select_text(*self._hits[self._hit])
        self._current_segment = self._hits[self._hit][0]
        self.search.set_count(self._hit, len(self._hits))

    def _search_closed(self) -> None:
        self._hits = []
        self.view.set_found([])
        self.focus_transcript()

    # -- audio ---------------------------------------------------------------------------------
    def play_here(self) -> None:
        f = self.current_finding
        if f is not None:
            self.player.play_from(self.session.time_at(f.segment_id, f.start) - LEAD_IN)
        elif self._current_segment is not None:
            self.player.play_from(self.session.segment(self._current_segment).start)

    def go_to_time(self, seconds: float) -> None:
        """Show and play the recording from ``seconds`` (overview bar, paragraph times)."""
        self.overview.set_position(seconds)
        where = self.session.word_spoken_at(seconds)
        if where is not None:
            self._current_segment = where[0]
            self.view.set_playing(where, follow=True)
        if self.player.is_playing():
            self.player.seek(seconds)
        else:
            self.player.play_from(seconds)

    def _on_position(self, seconds: float) -> None:
        self.overview.set_position(seconds)
        where = self.session.word_spoken_at(seconds)
        if where != self._playing_at:
            self._playing_at = where
            self.view.set_playing(where, follow=self.player.is_playing())

    # -- mouse and panel ------------------------------------------------------------------------
    def _on_finding_clicked(self, fid: str) -> None:
        self.set_current(self.session.finding(fid))
        self.play_here()

    def _on_header_clicked(self, seg_id: int) -> None:
        self._current_id = None
        self.view.set_current(None)
        self._current_segment = seg_id
        self.player.play_from(self.session.segment(seg_id).start)

    def _on_header_double_clicked(self, seg_id: int) -> None:
        speaker = self.session.segment(seg_id).speaker
        old = self.session.transcript.speaker_label(speaker)
        # An unnamed voice is offered its role: the one asking the questions is the interviewer.
        offer = (self.session.suggested_roles().get(speaker, old)
                 if old.startswith("Speaker ") else old)
        label, ok = QInputDialog.getText(self, "Rename speaker",
                                         f"New name for {old} (every turn of this voice):",
                                         text=offer)
        self.focus_transcript()
        if ok:
            self.rename_speaker(speaker, label)

    def _on_cursor_moved(self) -> None:
        if self.view.session is not None:
            seg_id = self.view.text_position(self.view.textCursor().position())[0]
            self._current_segment = seg_id if seg_id >= 0 else None

    def _on_group_selected(self, key: GroupKey) -> None:
        g = self.session.group(key)
        if g is None:
            return
        members = [self.session.finding(i) for i in g.ids]
        first = next((f for f in members if f.decision is Decision.PENDING), members[0])
        self.set_current(first)

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        has_sel = self.view.selection() is not None
        f = self.current_finding
        entries = [
            ("Flag selection as identifier…\tF", self.flag_selection, has_sel),
            ("Accept finding\tA", self.accept_current, f is not None),
            ("Reject finding\tR", self.reject_current, f is not None),
            ("Remove finding\tDel", self.remove_current, f is not None),
            ("Edit this turn's text…\tE", self.edit_current_turn, self._turn() is not None),
            ("Rename speaker…\tF2", self.rename_current_speaker, self._turn() is not None),
            ("Play from here\tP", self.play_here, self.player.ready),
            ("Cover in the anonymised audio\tM", self.mark_audio_here,
             has_sel or self._turn() is not None),
        ]
        for text, slot, enabled in entries:
            act = menu.addAction(text)
            act.setEnabled(enabled)
            act.triggered.connect(slot)
        self._speaker_menus(menu)
        self._split_menus(menu, pos)
        menu.exec(pos)
        menu.deleteLater()
