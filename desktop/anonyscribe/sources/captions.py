"""WebVTT and SubRip captions (Teams' .vtt, Zoom's, a service's .srt, our own exports).

The cue parser is Teams' (``speakers.teams.parse_vtt``): voice tags, "Name: text" cues, NOTE
blocks, cue ids, un-padded and negative times. Consecutive cues of one speaker become one turn.
"""

from __future__ import annotations

from pathlib import Path

from ..speakers.teams import TeamsFormatError, parse_vtt
from . import SourceError, SourceResult
from .common import RawTurn, build_transcript, read_text, speaker_line


def read(path: Path) -> SourceResult:
    text = read_text(path)
    try:
        cues = parse_vtt(text, str(path))
    except TeamsFormatError as exc:
        raise SourceError(path, "a caption time line cannot be read",
                          "export the captions again, or save them as .docx or .txt") from exc
    if not cues:
        raise SourceError(path, "no captions with times were found in it",
                          "check that it is a .vtt or .srt caption file")
    turns = []
    for c in cues:
        # "[Person 1]: text" (a pseudonym, as our .srt writes it) is a speaker too
        named = None if c.speaker else speaker_line(c.text)
        speaker, text = (named.speaker, named.text) if named else (c.speaker, c.text)
        turns.append(RawTurn(speaker, text, max(0.0, c.start), max(0.0, c.end)))
    return build_transcript(path, turns)
