"""A slim bar standing for the whole recording: who speaks when, where the findings are, and
where playback is. Click (or drag) anywhere on it to go there."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.model import Decision
from ...review.session import ReviewSession
from .transcript_view import CURRENT_COLOUR, clock, speaker_colour, type_colour

HEIGHT = 22


class OverviewBar(QWidget):
    """Speaker bands along the bottom, a tick per finding (tall while undecided), a line for
    the play position and a marker for the current finding."""

    seek_requested = Signal(float)  # seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ReviewSession | None = None
        self.duration = 0.0
        self.position = 0.0
        self.current: float | None = None  # time of the current finding
        self._turns: list[tuple[float, float, QColor]] = []
        self._ticks: list[tuple[float, QColor, bool]] = []
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
        if event.button() == Qt.MouseButton.LeftButton and self.session is not None:
            self.seek_requested.emit(self.seconds_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        t = self.seconds_at(event.position().x())
        self.setToolTip(f"{clock(t)} — click to go there")
        if event.buttons() & Qt.MouseButton.LeftButton and self.session is not None:
            self.seek_requested.emit(t)
