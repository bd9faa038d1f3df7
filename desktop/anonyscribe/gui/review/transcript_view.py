"""The transcript as one QTextDocument: two blocks per turn (header, text), findings as formats.

One document (not a widget per turn) keeps a 2-hour interview fast to open; a decision
rewrites only the text block of the turn it touches. Block ``2*i`` is turn ``i``'s header
("Speaker 1  00:01:23"), block ``2*i + 1`` its text, where an accepted finding is struck
through and followed by its replacement label. Labels are extra characters, so each turn
remembers where they were inserted to map document positions back to text offsets.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QMouseEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from ...core.model import Decision, Finding, Segment
from ...core.paragraphs import paragraph_starts
from ...review.session import ReviewSession

TYPE_COLOURS: dict[str, str] = {
    "PERSON": "#ffc9c9",
    "ORGANISATION": "#c9dcff",
    "ROLE": "#e3ccff",
    "LOCATION": "#c8f0c8",
    "DATE": "#fff0b3",
    "EMAIL": "#ffd9b3",
    "PHONE": "#ffd9b3",
    "NHS_NUMBER": "#f7c6e6",
    "POSTCODE": "#c4eef5",
    "ID": "#dedede",
    "URL": "#c4f2e6",
    "OTHER": "#e6e6e6",
}
FINDING_ID = QTextFormat.Property.UserProperty + 1  # char format property: the finding's id
PARAGRAPH_TIME = QTextFormat.Property.UserProperty + 2  # a paragraph's clickable timestamp
# Speaker names: strong colours that read on light and dark backgrounds, in speaking order.
SPEAKER_COLOURS = ("#1f6fb2", "#c2410c", "#2f8a3b", "#8e44ad", "#b0306a", "#0f8a8a",
                   "#8a6d00", "#5b5bd6")
FOUND_COLOUR = "#fff59d"
CURRENT_COLOUR = "#ffae42"
PLAYING_COLOUR = "#8ecbff"
_RANK = {Decision.ACCEPTED: 0, Decision.PENDING: 1, Decision.REJECTED: 2}


def speaker_colour(session: ReviewSession, speaker_id: str) -> QColor:
    """One colour per voice, the same in the transcript, the legend and the overview."""
    ids = [sp.id for sp in session.transcript.speakers]
    i = ids.index(speaker_id) if speaker_id in ids else len(ids)
    return QColor(SPEAKER_COLOURS[i % len(SPEAKER_COLOURS)])


def paragraph_mark(seconds: float) -> str:
    """What stands at the start of a paragraph inside a turn: a line break and its time."""
    return f"\u2028{clock(seconds)}  "


def type_colour(type_: str) -> QColor:
    return QColor(TYPE_COLOURS.get(type_, TYPE_COLOURS["OTHER"]))


def clock(seconds: float) -> str:
    s = max(int(seconds), 0)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def one_line(text: str) -> str:
    """Same length, no line breaks: a newline would split the turn's block in two."""
    return text.replace("\n", " ").replace("\r", " ").replace("\u2029", " ").replace("\u2028", " ")


def finding_format(f: Finding, label: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setProperty(FINDING_ID, f.id)
    colour = type_colour(f.type)
    state = f.decision.value
    fmt.setToolTip(f"{f.type.replace('_', ' ').title()} · {state}"
                   + (f" · {f.source}" if f.source else ""))
    if label:
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setForeground(QColor("#000000"))  # on a pastel chip, also in dark mode
        fmt.setBackground(colour.darker(115))
    elif f.decision is Decision.ACCEPTED:
        fmt.setFontStrikeOut(True)
        fmt.setForeground(QColor("#6b6b6b"))
        fmt.setBackground(colour.lighter(108))
    elif f.decision is Decision.REJECTED:
        fmt.setForeground(QColor("#a0a0a0"))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(colour.darker(130))
    else:
        fmt.setForeground(QColor("#000000"))
        fmt.setBackground(colour)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(colour.darker(160))
    return fmt


def rewrite_block(block: QTextBlock, write: Callable[[QTextCursor], None]) -> None:
    """Replace one block's content with what ``write`` inserts (one edit block)."""
    cursor = QTextCursor(block)
    cursor.beginEditBlock()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    write(cursor)
    cursor.endEditBlock()


def lay_out(view: Any, session: ReviewSession,
            write_body: Callable[[QTextCursor, Segment], None]) -> QTextDocument:
    """One document for the whole transcript: a header block and a body block per turn.

    Built off-screen and handed to the view at once, so Qt lays it out in one pass (the
    QTextEdit deletes the document it made itself when given this one)."""
    doc = QTextDocument(view)
    doc.setUndoRedoEnabled(False)
    doc.setDefaultFont(view.font())
    cursor = QTextCursor(doc)
    header = TranscriptView._header_block_format()
    for i, seg in enumerate(session.transcript.segments):
        if i:
            cursor.insertBlock(header, QTextCharFormat())
        else:
            cursor.setBlockFormat(header)
        view._write_header(cursor, seg)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        write_body(cursor, seg)
    return doc



def turn_note(seg: Segment) -> str:
    """Beside the speaker: the question a survey answer answers, else the turn's time (none
    for a text transcript that had no times)."""
    if seg.heading:
        return one_line(seg.heading)
    return clock(seg.start) if (seg.start or seg.end) else ""

class TranscriptView(QTextEdit):
    """Read-only, selectable transcript; emits what the reviewer clicked."""

    finding_clicked = Signal(str)
    header_clicked = Signal(int)  # segment id
    header_double_clicked = Signal(int)
    context_menu_requested = Signal(QPoint)
    time_clicked = Signal(float)  # a paragraph's timestamp

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.session: ReviewSession | None = None
        self._inserts: dict[int, list[tuple[int, int]]] = {}  # seg id -> [(text offset, len)]
        self._current: QTextEdit.ExtraSelection | None = None
        self._playing: QTextEdit.ExtraSelection | None = None
        self._found: list[QTextEdit.ExtraSelection] = []

    # -- building ----------------------------------------------------------------
    def load(self, session: ReviewSession) -> None:
        """Lay the whole transcript out in a fresh document, then show it (one layout pass)."""
        self.session = session
        self.setDocument(lay_out(self, session, self._write_text))
        self._current = self._playing = None
        self._found = []

    @staticmethod
    def _header_block_format() -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setTopMargin(10)
        return fmt

    def _write_header(self, cursor: QTextCursor, seg: Segment) -> None:
        assert self.session is not None
        name = QTextCharFormat()
        name.setFontWeight(QFont.Weight.Bold)
        name.setForeground(speaker_colour(self.session, seg.speaker))
        name.setToolTip("Double-click to rename this speaker (F2)")
        when = QTextCharFormat()
        when.setForeground(QColor("#777777"))
        when.setToolTip("Click to hear this turn")
        cursor.insertText(one_line(self.session.transcript.speaker_label(seg.speaker)), name)
        cursor.insertText(f"   {turn_note(seg)}", when)

    def _write_text(self, cursor: QTextCursor, seg: Segment) -> None:
        """Write a turn's text with its findings' formats and the labels of accepted ones."""
        assert self.session is not None
        text = one_line(seg.text)
        findings = self.session.findings_in(seg.id)
        inserts: list[tuple[int, int]] = []
        breaks = self._paragraphs(seg)
        plain = QTextCharFormat()
        if not findings:
            for a, b in pairwise(sorted({0, len(text)} | set(breaks))):
                self._write_run(cursor, text[a:b], plain, breaks.get(a), a, inserts)
            self._inserts[seg.id] = inserts
            return
        winners = {f.id for f in self.session.winners(seg.id)}
        bounds = sorted({0, len(text)} | {f.start for f in findings} | {f.end for f in findings}
                        | set(breaks))
        for a, b in pairwise(bounds):
            covering = [f for f in findings if f.start <= a and f.end >= b]
            if covering:
                top = min(covering, key=lambda f: (_RANK[f.decision], f.end - f.start))
                self._write_run(cursor, text[a:b], finding_format(top), breaks.get(a), a,
                                inserts)
            else:
                self._write_run(cursor, text[a:b], plain, breaks.get(a), a, inserts)
            for f in findings:
                if f.end == b and f.id in winners:
                    label = " " + self.session.display_label(f)
                    cursor.insertText(label, finding_format(f, label=True))
                    inserts.append((b, len(label)))
        self._inserts[seg.id] = inserts

    def _paragraphs(self, seg: Segment) -> dict[int, float]:
        """Text offset -> time of each paragraph after a turn's first (pure rule in core)."""
        assert self.session is not None
        starts = paragraph_starts(seg.text, self.session.word_spans(seg.id))
        return {at: t if t is not None else self.session.time_at(seg.id, at)
                for at, t in starts}

    @staticmethod
    def _write_run(cursor: QTextCursor, text: str, fmt: QTextCharFormat,
                   paragraph_at: float | None, offset: int,
                   inserts: list[tuple[int, int]]) -> None:
        """A piece of a turn's text, after its paragraph's line break and time if it opens one."""
        if paragraph_at is not None:
            mark = paragraph_mark(paragraph_at)
            when = QTextCharFormat()
            when.setForeground(QColor("#777777"))
            when.setProperty(PARAGRAPH_TIME, float(paragraph_at))
            when.setToolTip("Click to hear from here")
            cursor.insertText(mark, when)
            inserts.append((offset, len(mark)))
        cursor.insertText(text, fmt)

    # -- updating ------------------------------------------------------------------
    def _block(self, segment_id: int, header: bool = False):
        assert self.session is not None
        i = self.session.segment_position(segment_id)
        return self.document().findBlockByNumber(2 * i + (0 if header else 1))

    def refresh_segment(self, segment_id: int) -> None:
        """Rewrite one turn's text block (a decision, a new finding, an edit)."""
        assert self.session is not None
        seg = self.session.segment(segment_id)

        def write(cursor: QTextCursor) -> None:
            cursor.setCharFormat(QTextCharFormat())
            self._write_text(cursor, seg)

        rewrite_block(self._block(segment_id), write)

    def refresh_header(self, segment_id: int) -> None:
        assert self.session is not None
        seg = self.session.segment(segment_id)
        rewrite_block(self._block(segment_id, header=True),
                      lambda cursor: self._write_header(cursor, seg))

    # -- positions -------------------------------------------------------------------
    def doc_position(self, segment_id: int, offset: int, after_labels: bool = True) -> int:
        """Document position of a text offset; ``after_labels`` puts it past a label there."""
        shift = 0
        for at, length in self._inserts.get(segment_id, ()):
            if at < offset or (after_labels and at == offset):
                shift += length
        return self._block(segment_id).position() + offset + shift

    def text_position(self, pos: int) -> tuple[int, int | None]:
        """(segment id, text offset) at a document position; offset None on a header."""
        assert self.session is not None
        block = self.document().findBlock(pos)
        n = block.blockNumber()
        if not 0 <= n // 2 < len(self.session.transcript.segments):
            return -1, None  # an empty transcript: no turn here
        seg = self.session.transcript.segments[n // 2]
        if n % 2 == 0:
            return seg.id, None
        rel = pos - block.position()
        offset = rel
        doc_at = 0
        for at, length in self._inserts.get(seg.id, ()):
            doc_at = at + (rel - offset)
            if rel >= doc_at + length:
                offset -= length
            elif rel > doc_at:
                return seg.id, at  # inside a label: it stands right after its finding
            else:
                break
        return seg.id, min(offset, len(seg.text))

    def selection(self) -> tuple[int, int, int] | None:
        """(segment id, start, end) of the selected text, if it lies within one turn's text."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        a_seg, a = self.text_position(cursor.selectionStart())
        b_seg, b = self.text_position(cursor.selectionEnd())
        if a_seg != b_seg or a is None or b is None or b <= a:
            return None
        return a_seg, a, b

    def finding_at(self, pos: int) -> str | None:
        """The finding under a document position (the shortest one when they overlap)."""
        assert self.session is not None
        fid = self._format_finding(pos)
        if fid:
            return fid
        seg_id, offset = self.text_position(pos)
        if offset is None:
            return None
        hits = [f for f in self.session.findings_in(seg_id) if f.start <= offset < f.end]
        return min(hits, key=lambda f: f.end - f.start).id if hits else None

    def _paragraph_time(self, pos: int) -> float | None:
        """The time of the paragraph mark under ``pos`` (None: not on a mark)."""
        value = self._char_property(pos, PARAGRAPH_TIME)
        return float(value) if isinstance(value, float) else None

    def _format_finding(self, pos: int) -> str | None:
        value = self._char_property(pos, FINDING_ID)
        return value if isinstance(value, str) and value else None

    def _char_property(self, pos: int, prop: int) -> object:
        """A property of the character after ``pos`` (None at the end of a paragraph)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(pos)
        if cursor.atBlockEnd():
            return None
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter,
                            QTextCursor.MoveMode.KeepAnchor)
        return cursor.charFormat().property(prop)

    # -- highlights ------------------------------------------------------------------
    def _extra(self, a: int, b: int, colour: str, underline: bool) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(colour))
        fmt.setForeground(QColor("#000000"))
        if underline:
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        sel.format = fmt
        return sel

    def _apply_extras(self) -> None:
        self.setExtraSelections(self._found + [s for s in (self._playing, self._current)
                                               if s is not None])

    # -- search ------------------------------------------------------------------------
    def find_all(self, needle: str) -> list[tuple[int, int, int]]:
        """(segment id, start, end) of every case-insensitive match in the turns' text."""
        needle = needle.strip().casefold()
        if not needle or self.session is None:
            return []
        hits = []
        for seg in self.session.transcript.segments:
            low, at = seg.text.casefold(), 0
            while (at := low.find(needle, at)) >= 0:
                hits.append((seg.id, at, at + len(needle)))
                at += len(needle)
        return hits

    def text_range(self, segment_id: int, start: int, end: int) -> tuple[int, int]:
        return (self.doc_position(segment_id, start),
                self.doc_position(segment_id, end, after_labels=False))

    def set_found(self, hits: list[tuple[int, int, int]]) -> None:
        """Tint every search match (the current one is the text selection)."""
        self._found = [self._extra(*self.text_range(*h), FOUND_COLOUR, underline=False)
                       for h in hits]
        self._apply_extras()

    def select_text(self, segment_id: int, start: int, end: int) -> None:
        """Select a piece of a turn (search, or ready to flag) and scroll to it."""
        a, b = self.text_range(segment_id, start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensure_visible(a)

    def finding_range(self, f: Finding) -> tuple[int, int]:
        start = self.doc_position(f.segment_id, f.start)
        return start, self.doc_position(f.segment_id, f.end, after_labels=False)

    def set_current(self, f: Finding | None) -> None:
        """Mark the finding the keyboard acts on, and scroll it into view."""
        if f is None:
            self._current = None
        else:
            a, b = self.finding_range(f)
            self._current = self._extra(a, b, CURRENT_COLOUR, underline=True)
            self.ensure_visible(a)
        self._apply_extras()

    def set_playing(self, where: tuple[int, int, int] | None, follow: bool = True) -> None:
        """Highlight the word being played (segment id, start, end)."""
        if where is None:
            self._playing = None
        else:
            seg, s, e = where
            a = self.doc_position(seg, s)
            self._playing = self._extra(a, self.doc_position(seg, e, after_labels=False),
                                        PLAYING_COLOUR, underline=False)
            if follow:
                self.ensure_visible(a)
        self._apply_extras()

    def ensure_visible(self, pos: int) -> None:
        """Scroll so ``pos`` is in view, without moving the reviewer's selection."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(pos)
        rect: QRect = self.cursorRect(cursor)
        view = self.viewport().rect()
        if view.top() + 20 <= rect.top() and rect.bottom() <= view.bottom() - 20:
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - view.height() // 3)

    # -- mouse -----------------------------------------------------------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        if self.session is None:
            return
        pos = self.cursorForPosition(event.position().toPoint()).position()
        seg_id, offset = self.text_position(pos)
        if seg_id < 0:
            return
        if offset is None:
            self.header_clicked.emit(seg_id)
            return
        when = self._paragraph_time(pos)
        if when is not None:
            self.time_clicked.emit(when)
            return
        fid = self.finding_at(pos) or (self.finding_at(pos - 1) if pos else None)
        if fid is not None:
            self.finding_clicked.emit(fid)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self.session is not None:
            pos = self.cursorForPosition(event.position().toPoint()).position()
            seg_id, offset = self.text_position(pos)
            if offset is None and seg_id >= 0:
                self.header_double_clicked.emit(seg_id)
                return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        self.context_menu_requested.emit(event.globalPos())


class PreviewView(QTextEdit):
    """The anonymised text as the export will write it, updated turn by turn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.session: ReviewSession | None = None
        self.loaded = False

    def load(self, session: ReviewSession) -> None:
        self.session = session

        def body(cursor: QTextCursor, seg: Segment) -> None:
            cursor.insertText(one_line(session.preview_text(seg.id)), QTextCharFormat())

        self.setDocument(lay_out(self, session, body))
        self.loaded = True

    def _write_header(self, cursor: QTextCursor, seg: Segment) -> None:
        assert self.session is not None
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        grey = QTextCharFormat()
        grey.setForeground(QColor("#777777"))
        cursor.insertText(one_line(self.session.preview_speaker(seg.speaker)), bold)
        cursor.insertText(f"   {turn_note(seg)}", grey)

    def _replace_block(self, number: int, write: Callable[[QTextCursor], None]) -> None:
        rewrite_block(self.document().findBlockByNumber(number), write)

    def refresh_segment(self, segment_id: int) -> None:
        if not self.loaded or self.session is None:
            return
        session = self.session
        i = session.segment_position(segment_id)
        self._replace_block(2 * i + 1, lambda c: c.insertText(
            one_line(session.preview_text(segment_id)), QTextCharFormat()))

    def refresh_headers(self) -> None:
        if not self.loaded or self.session is None:
            return
        for i, seg in enumerate(self.session.transcript.segments):
            self._replace_block(2 * i, lambda c, s=seg: self._write_header(c, s))

    def segment_text(self, segment_id: int) -> str:
        """What the pane shows for a turn (tests and accessibility read it)."""
        assert self.session is not None
        i = self.session.segment_position(segment_id)
        return self.document().findBlockByNumber(2 * i + 1).text()

