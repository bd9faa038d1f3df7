"""An interview's two voices from the diarizer and the words: the words step with what it
decided (``Interview``: the path and the agreements behind it), so that it can be run
again on other words of the same recording without a model call.

Why apart from ``speakers/__init__``: the decisions (one voice or two, the diarizer's
split or the roles') read details of the transcript nobody can see or control (a "?" the
recogniser left out, two sentences run together): ``bench/perturb_words.py`` reruns this
step on reworded copies (``rewording``) to count how often a decision moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from ..core.model import Transcript
from . import asking, reseed
from .diarize import Diarization
from .turns import Turn

ALIKE_NOTE = ("the voices sound too alike to tell apart: almost all speech is on one speaker; "
              "split the turns in review (S at a word)")
ASKED_NOTE = ("the voices sound alike: turns were given to the interviewer and the participant "
              "by who asks the questions; check them in review (S at a word splits a turn)")


class Outcome(Enum):
    """What an interview's words step decided, as a change of it is counted."""

    ONE = "one voice"
    VOICES = "two voices as the diarizer split them"
    ROLES = "two voices by who asks"


@dataclass
class Interview:
    """Two voices' turns from the diarizer and the words (``interview_turns``): the turns,
    second voices in overlaps, the note for the researcher, how the words step judged the
    roles (``asking.Judgement``) and whether the roles restarted the voices' search."""

    turns: list[Turn]
    overlaps: list[Turn]
    note: str
    judged: asking.Judgement
    reseeded: bool = False

    @property
    def verdict(self) -> asking.Verdict:
        return self.judged.verdict

    @property
    def outcome(self) -> Outcome:
        if len({t.speaker for t in self.turns}) < 2:
            return Outcome.ONE
        if self.reseeded or self.verdict in (asking.Verdict.ROLES, asking.Verdict.SETTLED):
            return Outcome.ROLES
        return Outcome.VOICES


def interview_turns(transcript: Transcript, found: Diarization,
                    audio: np.ndarray | None = None) -> Interview:
    """Two voices' turns from the diarizer's ``found`` and the words, on these words alone:
    the words step (``asking.judge``), with the roles restarting the voices' search
    (``reseed.reseeded``) where the words did not split it."""
    asked = asking.judge(transcript, found, audio)
    again = None
    if asked.turns is None or len({t.speaker for t in asked.turns}) < 2:
        # the words did not split it (the diarizer's turns kept, or undone to one
        # voice): their roles may lead the voices' search to a split it did not
        # reach (``reseed``), judged again by the words step
        again = reseed.reseeded(transcript, found)
        if again is not None:
            found, asked = again, asking.judge(transcript, again, audio)
    if asked.turns is not None:  # one voice: the diarizer's weak split undone
        one = len({t.speaker for t in asked.turns}) == 1
        return Interview(asked.turns, [], ALIKE_NOTE if one else ASKED_NOTE, asked,
                         again is not None)
    return Interview(found.turns, found.overlaps, ALIKE_NOTE if found.alike else "", asked,
                     again is not None)
