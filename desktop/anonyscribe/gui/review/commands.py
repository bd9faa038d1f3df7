"""Every review action as a QUndoCommand: the ReviewSession operation and its inverse.

The widget runs an action once itself (so a failed save is reported, not pushed), then
pushes the command marked as done; later undo/redo call the session again. The session saves
each step at once, so undo and redo are saved too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from PySide6.QtGui import QUndoCommand

from ...core.model import AudioMark, Decision
from ...core.register import Register
from ...review.session import (
    AddedFindings,
    GroupKey,
    ReviewSession,
    SegmentState,
    SpeakerState,
    SplitState,
    group_key,
)

T = TypeVar("T")


class ReviewHost(Protocol):
    """What a command needs from the widget: the session and a way to redraw what changed."""

    session: ReviewSession

    def apply_change(self, op: Callable[[], T], *, segments: Iterable[int] = (),
                     groups: Iterable[GroupKey] = (), structure: bool = False,
                     speakers: bool = False) -> T: ...

    def report_error(self, action: str, exc: BaseException) -> None: ...

    def reload_turns(self) -> None: ...


class ReviewCommand(QUndoCommand):
    """Base: ``do`` the first time (may raise), ``again`` on redo, ``back`` on undo."""

    def __init__(self, host: ReviewHost, text: str) -> None:
        super().__init__(text)
        self.host = host
        self.session = host.session
        self._skip_redo = False

    def do(self) -> None:
        raise NotImplementedError

    def again(self) -> None:
        self.do()

    def back(self) -> None:
        raise NotImplementedError

    def mark_done(self) -> None:
        """Called once ``do`` succeeded: QUndoStack.push's own redo() must not repeat it."""
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guard(self.again)

    def undo(self) -> None:
        self._guard(self.back)

    def _guard(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - a failed save must not crash the app
            self.host.report_error(self.text(), exc)


def _where(session: ReviewSession, ids: Iterable[str]) -> tuple[set[int], set[GroupKey]]:
    found = [session.finding(i) for i in ids]
    return {f.segment_id for f in found}, {group_key(f) for f in found}


class DecideCommand(ReviewCommand):
    def __init__(self, host: ReviewHost, ids: list[str], decision: Decision, text: str) -> None:
        super().__init__(host, text)
        self.ids = list(ids)
        self.decision = decision
        self.old: dict[str, Decision] = {}
        self.segments, self.groups = _where(self.session, self.ids)

    def do(self) -> None:
        self.old = self.host.apply_change(
            lambda: self.session.set_decision(self.ids, self.decision),
            segments=self.segments, groups=self.groups)

    def back(self) -> None:
        self.host.apply_change(lambda: self.session.restore_decisions(self.old),
                               segments=self.segments, groups=self.groups)


class AddFindingCommand(ReviewCommand):
    def __init__(self, host: ReviewHost, segment_id: int, start: int, end: int, type_: str,
                 apply_to_all: bool, study_wide: bool, text: str) -> None:
        super().__init__(host, text)
        self.args = (segment_id, start, end, type_, apply_to_all, study_wide)
        self.added: AddedFindings = AddedFindings()

    def _segments(self) -> set[int]:
        return {f.segment_id for f in self.added} | {
            self.session.finding(i).segment_id for i in self.added.decided}

    def do(self) -> None:
        self.added = self.host.apply_change(lambda: self.session.add_finding(*self.args),
                                            structure=True)
        self.host.apply_change(lambda: None, segments=self._segments())

    def again(self) -> None:
        self.host.apply_change(lambda: self.session.reinstate(self.added),
                               segments=self._segments(), structure=True)

    def back(self) -> None:
        segments = self._segments()
        self.host.apply_change(lambda: self.session.retract(self.added),
                               segments=segments, structure=True)


class RemoveFindingsCommand(ReviewCommand):
    def __init__(self, host: ReviewHost, ids: list[str], text: str) -> None:
        super().__init__(host, text)
        self.ids = list(ids)
        self.removed: list = []
        self.segments, _ = _where(self.session, self.ids)

    def do(self) -> None:
        self.removed = self.host.apply_change(lambda: self.session.remove_findings(self.ids),
                                              segments=self.segments, structure=True)

    def back(self) -> None:
        self.host.apply_change(lambda: self.session.restore_findings(self.removed),
                               segments=self.segments, structure=True)


class EditTextCommand(ReviewCommand):
    def __init__(self, host: ReviewHost, segment_id: int, new_text: str, text: str) -> None:
        super().__init__(host, text)
        self.segment_id = segment_id
        self.new_text = new_text
        self.state: SegmentState = self.session.segment_state(segment_id)

    def do(self) -> None:
        self.host.apply_change(
            lambda: self.session.edit_segment_text(self.segment_id, self.new_text),
            segments={self.segment_id}, structure=True)

    def back(self) -> None:
        self.host.apply_change(lambda: self.session.restore_segment(self.state),
                               segments={self.segment_id}, structure=True)


class RenameSpeakerCommand(ReviewCommand):
    def __init__(self, host: ReviewHost, speaker_id: str, label: str, text: str) -> None:
        super().__init__(host, text)
        self.speaker_id = speaker_id
        self.label = label
        self.old = ""

    def do(self) -> None:
        self.old = self.host.apply_change(
            lambda: self.session.rename_speaker(self.speaker_id, self.label), speakers=True)

    def back(self) -> None:
        self.host.apply_change(lambda: self.session.rename_speaker(self.speaker_id, self.old),
                               speakers=True)


class SpeakerChangeCommand(ReviewCommand):
    """Move a turn to another voice, or merge two voices: ``change`` is the session call (it
    returns the state before); undo restores that state."""

    def __init__(self, host: ReviewHost, change: Callable[[], SpeakerState], text: str) -> None:
        super().__init__(host, text)
        self.change = change
        self.before: SpeakerState | None = None

    def do(self) -> None:
        self.before = self.host.apply_change(self.change, speakers=True)

    def back(self) -> None:
        before = self.before
        assert before is not None
        self.host.apply_change(lambda: self.session.restore_speakers(before), speakers=True)


class ReplacementCommand(ReviewCommand):
    def __init__(self, host: ReviewHost, type_: str, surface: str, label: str,
                 text: str) -> None:
        super().__init__(host, text)
        self.type = type_
        self.surface = surface
        self.label = label
        self.old = ""

    def do(self) -> None:
        self.old = self.host.apply_change(
            lambda: self.session.set_replacement(self.type, self.surface, self.label),
            speakers=True)

    def back(self) -> None:
        self.host.apply_change(
            lambda: self.session.set_replacement(self.type, self.surface, self.old),
            speakers=True)


class SamePersonCommand(ReviewCommand):
    """Two identifiers are one identity (one pseudonym), study-wide; undo restores the
    register as it was."""

    def __init__(self, host: ReviewHost, type_: str, keep: str, drop: str, text: str) -> None:
        super().__init__(host, text)
        self.args = (type_, keep, drop)
        self.before: Register | None = None

    def do(self) -> None:
        self.before = self.host.apply_change(
            lambda: self.session.merge_identities(*self.args), speakers=True)

    def back(self) -> None:
        before = self.before
        assert before is not None
        self.host.apply_change(lambda: self.session.restore_register(before), speakers=True)


class SplitTurnCommand(ReviewCommand):
    """Split a turn at a word and give the rest to another (or a new) voice. The turn list
    itself changes, so the host lays the turns out again (``reload_turns``)."""

    def __init__(self, host: ReviewHost, segment_id: int, offset: int, speaker_id: str,
                 label: str | None, text: str) -> None:
        super().__init__(host, text)
        self.args = (segment_id, offset, speaker_id, label)
        self.state: SplitState | None = None

    def _relaid(self, op: Callable[[], T]) -> Callable[[], T]:
        def run() -> T:
            result = op()
            self.host.reload_turns()
            return result
        return run

    def do(self) -> None:
        self.state = self.host.apply_change(
            self._relaid(lambda: self.session.split_turn(*self.args)),
            structure=True, speakers=True)

    def again(self) -> None:
        state = self.state
        assert state is not None
        self.host.apply_change(self._relaid(lambda: self.session.redo_split(state)),
                               structure=True, speakers=True)

    def back(self) -> None:
        state = self.state
        assert state is not None
        self.host.apply_change(self._relaid(lambda: self.session.restore_split(state)),
                               structure=True, speakers=True)


class AudioMarkCommand(ReviewCommand):
    """Mark seconds of the recording by hand to be covered in the anonymised audio, or
    (``remove``) take such a mark away; the text is never changed by either."""

    def __init__(self, host: ReviewHost, text: str, *, span: tuple[float, float] | None = None,
                 remove: str | None = None) -> None:
        super().__init__(host, text)
        self.span, self.remove_id = span, remove
        self.mark: AudioMark | None = None

    def do(self) -> None:
        if self.remove_id is not None:
            self.mark = self.host.apply_change(
                lambda: self.session.remove_audio_mark(self.remove_id or ""))
        else:
            start, end = self.span or (0.0, 0.0)
            self.mark = self.host.apply_change(lambda: self.session.add_audio_mark(start, end))

    def _put(self) -> None:
        mark = self.mark
        assert mark is not None
        self.host.apply_change(lambda: self.session.restore_audio_mark(mark))

    def _take(self) -> None:
        mark = self.mark
        assert mark is not None
        self.host.apply_change(lambda: self.session.remove_audio_mark(mark.id))

    def again(self) -> None:
        if self.remove_id is not None:
            self._take()
        else:
            self._put()

    def back(self) -> None:
        if self.remove_id is not None:
            self._put()
        else:
            self._take()
