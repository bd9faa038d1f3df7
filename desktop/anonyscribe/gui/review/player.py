"""The player bar: hear a turn while reviewing it. Never a reason for the review to stop.

QtMultimedia is imported lazily and every failure (no multimedia library, no sound device,
a file the decoder rejects) becomes a message in the bar: the researcher keeps reviewing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStyle,
    QWidget,
)

from ...sources import is_text_source
from . import media_backend
from .transcript_view import clock

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
BACK_SECONDS = 5.0


class PlayerBar(QWidget):
    """Play/pause, back 5 s, seek, speed; emits the playing time for word highlighting."""

    position_changed = Signal(float)  # seconds
    playing_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player: Any = None
        self._output: Any = None
        self._name = ""
        self._pending_seek: int | None = None
        self.broken = False
        # Qt's standard media icons, not text glyphs: ▶/⏸ are missing from many system fonts.
        icon = self.style().standardIcon
        self._play_icon = icon(QStyle.StandardPixmap.SP_MediaPlay)
        self._pause_icon = icon(QStyle.StandardPixmap.SP_MediaPause)
        self.play_button = QPushButton(self._play_icon, "Play")
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.setAccessibleName("Play or pause")
        self.back_button = QPushButton(icon(QStyle.StandardPixmap.SP_MediaSeekBackward), "5 s")
        self.back_button.setToolTip("Back 5 seconds (B)")
        self.back_button.setAccessibleName("Back 5 seconds")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Position in the recording")
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.time_label = QLabel("--:--:--")
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(f"{s:g}×", s)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setToolTip("Playback speed ([ slower, ] faster)")
        self.speed.setAccessibleName("Playback speed")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8a4b00;")

        self.play_button.clicked.connect(self.toggle)
        self.back_button.clicked.connect(lambda: self.skip(-BACK_SECONDS))
        self.slider.sliderMoved.connect(lambda ms: self.seek(ms / 1000.0))
        self.speed.currentIndexChanged.connect(self._apply_speed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.play_button, self.back_button, self.slider, self.time_label, self.speed):
            layout.addWidget(w)
        layout.addWidget(self.message, 1)
        self._set_enabled(False)

    # -- loading -------------------------------------------------------------------
    def load(self, path: Path | None) -> bool:
        """Open a recording; False (with a message in the bar) when it cannot be played."""
        if path is None:
            return self._fail("No recording file linked: reviewing works without audio.")
        path = Path(path)
        self._name = path.name
        if is_text_source(path):
            return self._fail("A text transcript or survey has no audio to play: review the "
                              "text; everything else works as for a recording.")
        if not path.is_file():
            return self._fail(f"Recording not found: {path}. Reconnect the drive or move the "
                              "file back to hear it; reviewing works without audio.")
        media_backend.wait()  # the warm-up's loads finish before Qt's own start
        try:  # here, not at the top: a missing multimedia library must not stop the review
            from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
        except Exception as exc:  # noqa: BLE001 - missing system library (libpulse, ffmpeg)
            return self._fail(f"Audio playback is not available on this computer ({exc}); "
                              "reviewing works without it.")
        try:
            self._player = QMediaPlayer(self)
            self._output = QAudioOutput(self)
            self._player.setAudioOutput(self._output)
            self._player.errorOccurred.connect(self._on_error)
            self._player.mediaStatusChanged.connect(self._on_status)
            self._player.positionChanged.connect(self._on_position)
            self._player.durationChanged.connect(lambda ms: self.slider.setRange(0, int(ms)))
            self._player.playbackStateChanged.connect(self._on_state)
            self._player.setSource(QUrl.fromLocalFile(str(path.resolve())))
        except Exception as exc:  # noqa: BLE001 - a backend that fails to start
            return self._fail(f"Cannot play {self._name} ({exc}); reviewing works without it.")
        self.broken = False
        self._set_enabled(True)
        if QMediaDevices.defaultAudioOutput().isNull():
            self.message.setText("No sound output found: playback moves through the words, "
                                 "but you will not hear them.")
        else:
            self.message.setText("")
        self._apply_speed()
        return True

    def _fail(self, text: str) -> bool:
        self.broken = True
        self.message.setText(text)
        self._set_enabled(False)
        return False

    def _set_enabled(self, on: bool) -> None:
        for w in (self.play_button, self.back_button, self.slider, self.speed):
            w.setEnabled(on)

    @property
    def ready(self) -> bool:
        return self._player is not None and not self.broken

    # -- control -------------------------------------------------------------------
    def play_from(self, seconds: float) -> None:
        if not self.ready:
            return
        self._set_position(int(max(seconds, 0.0) * 1000))
        self._player.play()

    def _set_position(self, ms: int) -> None:
        """Seek now, or as soon as the file is open (a seek while loading is dropped)."""
        status = self._player.MediaStatus  # QtMultimedia's enum, reached through the player
        if self._player.mediaStatus() in (status.LoadingMedia, status.NoMedia):
            self._pending_seek = ms
        self._player.setPosition(ms)

    def toggle(self) -> None:
        if not self.ready:
            return
        if self.is_playing():
            self._player.pause()
        else:
            self._player.play()

    def pause(self) -> None:
        if self._player is not None:
            self._player.pause()

    def stop(self) -> None:
        """Pause and rewind rather than QMediaPlayer.stop(): on PySide6 6.11 stop() joins
        FFmpeg's audio thread while holding the GIL, which can deadlock the window."""
        if self._player is not None:
            self._player.pause()
            self._player.setPosition(0)

    def is_playing(self) -> bool:
        if self._player is None:
            return False
        return self._player.playbackState() == self._player.PlaybackState.PlayingState

    def seek(self, seconds: float) -> None:
        if self.ready:
            self._set_position(int(max(seconds, 0.0) * 1000))

    def skip(self, seconds: float) -> None:
        if self.ready:
            self.seek(self._player.position() / 1000.0 + seconds)

    def position(self) -> float:
        return self._player.position() / 1000.0 if self._player is not None else 0.0

    def step_speed(self, step: int) -> None:
        i = min(max(self.speed.currentIndex() + step, 0), self.speed.count() - 1)
        self.speed.setCurrentIndex(i)

    def rate(self) -> float:
        return float(self.speed.currentData())

    def _apply_speed(self, *_: object) -> None:
        if self._player is not None:
            self._player.setPlaybackRate(self.rate())

    # -- player events ---------------------------------------------------------------
    def _on_error(self, _error: object, text: str) -> None:
        if _error is not None and int(getattr(_error, "value", _error) or 0) == 0:
            return  # NoError
        self.stop()
        self._fail(f"Cannot play {self._name}: {text or 'unsupported file'}. "
                   "You can keep reviewing without audio.")

    def _on_status(self, status: object) -> None:
        media = self._player.MediaStatus  # QtMultimedia's enum, reached through the player
        if status in (media.LoadedMedia, media.BufferedMedia) and self._pending_seek is not None:
            ms, self._pending_seek = self._pending_seek, None
            self._player.setPosition(ms)  # a seek asked for while the file was still opening
        if status == media.InvalidMedia and not self.broken:
            self._fail(f"Cannot play {self._name}: the file could not be decoded. "
                       "You can keep reviewing without audio.")

    def _on_position(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(int(ms))
            self.slider.blockSignals(False)
        total = self._player.duration() if self._player is not None else 0
        self.time_label.setText(f"{clock(ms / 1000)} / {clock(total / 1000)}")
        self.position_changed.emit(ms / 1000.0)

    def _on_state(self, _state: object) -> None:
        playing = self.is_playing()
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setIcon(self._pause_icon if playing else self._play_icon)
        self.playing_changed.emit(playing)
