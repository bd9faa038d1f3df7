"""A slim bar standing for the whole recording: who speaks when, where the findings are, which
stretches are marked by hand for the anonymised audio, and where playback is. Click (or drag)
anywhere on it to go there; Shift+drag marks a stretch; right-click a mark to remove it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QWidget

from ...core.model import Decision
from ...review.session import ReviewSession
from .transcript_view import CURRENT_COLOUR, clock, speaker_colour, type_colour

HEIGHT = 22


class OverviewBar(QWidget):
    """Speaker bands along the bottom, a tick per finding (tall while undecided), a line for
    the play position and a marker for the current finding."""

    seek_requested = Signal(float)  # seconds
    mark_requested = Signal(float, float)  # a stretch to cover in the anonymised audio
    unmark_requested = Signal(str)  # the id of a mark to take away

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ReviewSession | None = None
        self.duration = 0.0
        self.position = 0.0
        self.current: float | None = None  # time of the current finding
        self._turns: list[tuple[float, float, QColor]] = []
        self._ticks: list[tuple[float, QColor, bool]] = []
        self._marks: list[tuple[float, float]] = []
        self._drag_from: float | None = None  # where a Shift+drag began (seconds)
        self._drag_to = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(HEIGHT)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName("Recording overview")
        self.setAccessibleDescription("Where the findings are in the recording; click to go "
                                      "there")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(400, HEIGHT)

    # -- content ---------------------------------------------------------------------
    def load(self, session: ReviewSession) -> None:
        self.session = session
        segs = session.transcript.segments
        self.duration = max([session.transcript.recording.duration]
                            + [s.end for s in segs] + [1.0])
        self._turns = [(s.start, s.end, speaker_colour(session, s.speaker)) for s in segs]
        self.refresh()

    def refresh(self) -> None:
        """Re-read the findings (a decision changes a tick from tall to short)."""
        if self.session is None:
            return
        s = self.session
        self._ticks = [(s.time_at(f.segment_id, f.start), type_colour(f.type).darker(140),
                        f.decision is Decision.PENDING) for f in s.findings]
        self._marks = [(m.start, m.end) for m in s.audio_marks]
        self.update()

    def set_position(self, seconds: float) -> None:
        self.position = seconds
        self.update()

    def set_current(self, seconds: float | None) -> None:
        self.current = seconds
        self.update()

    # -- geometry --------------------------------------------------------------------
    def x_of(self, seconds: float) -> float:
        return 2 + (self.width() - 4) * min(max(seconds / self.duration, 0.0), 1.0)

    def seconds_at(self, x: float) -> float:
        """The recording time under pixel column ``x`` (the inverse of ``x_of``)."""
        return min(max((x - 2) / max(self.width() - 4, 1), 0.0), 1.0) * self.duration

    # -- painting and mouse ------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        h = self.height()
        p.fillRect(self.rect(), self.palette().base())
        for a, b, colour in self._turns:
            x0, x1 = self.x_of(a), self.x_of(b)
            p.fillRect(QRectF(x0, h - 5, max(x1 - x0, 1.0), 4), colour)
        hatch = QBrush(self.palette().text().color(), Qt.BrushStyle.BDiagPattern)
        spans = list(self._marks)
        if self._drag_from is not None:
            spans.append(tuple(sorted((self._drag_from, self._drag_to))))
        for a, b in spans:  # covered in the anonymised audio: hatched, over the full height
            x0, x1 = self.x_of(a), self.x_of(b)
            p.fillRect(QRectF(x0, 1, max(x1 - x0, 2.0), h - 7), hatch)
        for t, colour, pending in self._ticks:
            x = self.x_of(t)
            p.setPen(QPen(colour, 2 if pending else 1))
            p.drawLine(QPointF(x, 3 if pending else h * 0.45), QPointF(x, h - 7))
        if self.current is not None:
            x = self.x_of(self.current)
            p.setPen(QPen(QColor(CURRENT_COLOUR), 3))
            p.drawLine(QPointF(x, 1), QPointF(x, h - 6))
        x = self.x_of(self.position)
        p.setPen(QPen(self.palette().text().color(), 1))
        p.drawLine(QPointF(x, 0), QPointF(x, h))
        p.setPen(QPen(self.palette().mid().color(), 1))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.button() != Qt.MouseButton.LeftButton or self.session is None:
            return
        t = self.seconds_at(event.position().x())
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._drag_from = self._drag_to = t
            self.update()
        else:
            self.seek_requested.emit(t)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._drag_from is None or event.button() != Qt.MouseButton.LeftButton:
            return
        a, b = sorted((self._drag_from, self.seconds_at(event.position().x())))
        self._drag_from = None
        self.update()
        self.mark_requested.emit(a, b)

    def mark_at(self, x: float) -> str | None:
        """The id of the mark under ``x`` (a few pixels of slack: marks can be thin)."""
        if self.session is None:
            return None
        slack = 3 * self.duration / max(self.width() - 4, 1)
        mark = self.session.audio_mark_at(self.seconds_at(x), slack)
        return None if mark is None else mark.id

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        mark_id = self.mark_at(event.pos().x())
        if mark_id is None or self.session is None:
            return
        mark = next(m for m in self.session.audio_marks if m.id == mark_id)
        menu = QMenu(self)
        menu.addAction(f"Remove the audio mark {clock(mark.start)}–{clock(mark.end)}"
                       ).triggered.connect(lambda: self.unmark_requested.emit(mark_id))
        menu.exec(event.globalPos())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        t = self.seconds_at(event.position().x())
        if self._drag_from is not None:
            self._drag_to = t
            self.update()
            return
        marked = self.mark_at(event.position().x()) is not None
        self.setToolTip(f"{clock(t)} — click to go there" + (
            "; covered in the anonymised audio (marked by hand): right-click to remove"
            if marked else "; Shift+drag to cover a stretch in the anonymised audio"))
        if event.buttons() & Qt.MouseButton.LeftButton and self.session is not None:
            self.seek_requested.emit(t)
