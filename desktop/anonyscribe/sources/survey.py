"""Survey free text as a transcript: each answer one turn, its respondent as the speaker and
its question as the turn's heading, so the review, register and pseudonyms are the ones
interviews use.

The researcher chooses which columns are free text (``propose`` suggests long, varied text)
and which to drop from the anonymised sheet (``propose`` suggests names, e-mail and IP
addresses, response ids and time stamps). The choice and where each answer came from are
saved beside the transcript (``survey.json``), so the export can rewrite the same sheet.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..core.files import read_json, write_json
from ..core.model import RecordingInfo, Segment, Speaker, Transcript
from ..core.study import file_sha256
from ..speakers.teams import TeamsCue, TeamsTranscript, names_for_always_list
from . import SourceError, SourceResult
from .sheet import Cell, SheetLayout, column_letter, data_rows, read_layout

OPTIONS_FILE = "survey.json"
SAMPLE_ROWS = 2000
PER_CHOICES = ("respondent", "question")
# Column names that identify a respondent or say when they answered: proposed for dropping.
_IDENTIFYING = re.compile(
    r"^(?:name|full ?name|first ?name|last ?name|surname|given ?name|family ?name|respondent"
    r" ?name|e-?mail(?: ?address)?|phone|telephone|mobile|ip ?address|location ?(?:latitude|"
    r"longitude)|recipient ?(?:first ?name|last ?name|e-?mail)|external ?(?:data ?)?reference"
    r"|address|post ?code|zip|date of birth|dob|nhs ?number|user ?name|redcap_survey_"
    r"identifier|survey identifier|id|response ?id|record[_ ]?id|start ?time|completion ?time|"
    r"last modified time|start ?date|end ?date|recorded ?date|started(?: on)?|completed(?: on)?"
    r"|submitted(?: on)?|timestamp|.*_timestamp|survey timestamp)$", re.IGNORECASE)
_NAME_COLUMN = re.compile(r"^(?:name|full ?name|respondent ?name|first ?name|last ?name|surname"
                          r"|recipient ?(?:first|last) ?name)$", re.IGNORECASE)
_NOT_A_NAME = {"anonymous", "anon", "n/a", "na", "none", "-", "prefer not to say"}
MIN_TEXT_CHARS = 25
# Respondents' names (a Name column) put on always-redact: the detector matches that list as
# one pattern, which slows past a few thousand names; beyond, names are left to detection.
MAX_NAMES = 2000
MIN_DISTINCT = 0.3  # a choice list repeats a handful of values; real answers repeat "N/A", "No"
# ... or this many different answers, whatever the share: no choice list has that many, and
# a column wrongly proposed as free text costs a review, one wrongly left out a breach.
MANY_DISTINCT = 50


@dataclass
class SurveyOptions:
    """The researcher's choice for one sheet (column indexes from 0)."""

    text_columns: list[int] = field(default_factory=list)
    drop_columns: list[int] = field(default_factory=list)
    per: str = "respondent"  # the coding-app project: one document per respondent or question

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SurveyPlan:
    """What is saved beside the transcript: layout, choice, and each segment's cell."""

    layout: SheetLayout
    options: SurveyOptions
    cells: list[tuple[int, int]] = field(default_factory=list)  # segment id -> (row, column)
    proposed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": 1, "layout": self.layout.to_dict(),
                "options": self.options.to_dict(), "cells": [list(c) for c in self.cells],
                "proposed": self.proposed}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SurveyPlan:
        return cls(SheetLayout.from_dict(data["layout"]), SurveyOptions(**data["options"]),
                   [(int(r), int(c)) for r, c in data.get("cells", [])],
                   bool(data.get("proposed", False)))


def load_plan(folder: Path) -> SurveyPlan | None:
    path = Path(folder) / OPTIONS_FILE
    return SurveyPlan.from_dict(read_json(path)) if path.exists() else None


def save_plan(folder: Path, plan: SurveyPlan) -> None:
    write_json(Path(folder) / OPTIONS_FILE, plan.to_dict())


# -- proposing columns -----------------------------------------------------------------------

@dataclass
class ColumnStats:
    filled: int = 0
    texts: int = 0
    chars: list[int] = field(default_factory=list)
    distinct: set[str] = field(default_factory=set)

    def add(self, value: Cell) -> None:
        if value is None:
            return
        self.filled += 1
        if isinstance(value, str):
            self.texts += 1
            self.chars.append(len(value.strip()))
            self.distinct.add(value.strip().casefold())

    def is_free_text(self) -> bool:
        """Long, varied text: most answers are words (not numbers or dates), long on average,
        and mostly different from each other (a choice list repeats a few values)."""
        if self.texts < 2 or self.texts < 0.8 * self.filled:
            return False
        return (statistics.mean(self.chars) >= MIN_TEXT_CHARS
                and len(self.distinct) >= min(MIN_DISTINCT * self.texts, MANY_DISTINCT))


def propose(path: Path, layout: SheetLayout | None = None) -> SurveyOptions:
    """Suggested free-text and drop columns, from the first ``SAMPLE_ROWS`` answers."""
    layout = layout or read_layout(path)
    stats = [ColumnStats() for _ in layout.names]
    for k, row in data_rows(path, layout):
        if k >= SAMPLE_ROWS:
            break
        for i, value in enumerate(row[: len(stats)]):
            stats[i].add(value)
    drop = [i for i, n in enumerate(layout.names) if _IDENTIFYING.match(n.strip())]
    text = [i for i, s in enumerate(stats) if i not in drop and s.is_free_text()]
    return SurveyOptions(text, drop)


def resolve_columns(layout: SheetLayout, specs: Sequence[str], path: Path) -> list[int]:
    """Column indexes from what a researcher typed: a heading (exact or unique start,
    any case), a letter ("C") or a number from 1; several separated by commas."""
    out: list[int] = []
    for spec in specs:
        parts = [spec] if _match(layout, spec) else [p for p in spec.split(",") if p.strip()]
        for part in parts:
            index = _match(layout, part.strip())
            if index is None:
                raise SourceError(path, f'no column matches "{part.strip()}"',
                                  "use the heading as in the first row, a column letter or a "
                                  "number (see --list-columns)")
            if index not in out:
                out.append(index)
    return out


def _match(layout: SheetLayout, spec: str) -> int | None:
    want = " ".join(spec.split()).casefold()
    if not want:
        return None
    for names in (layout.names, layout.questions):
        exact = [i for i, n in enumerate(names) if n.casefold() == want]
        if len(exact) == 1:
            return exact[0]
    letters = [column_letter(i) for i in range(len(layout.names))]
    if spec.strip().upper() in letters and spec.strip().isalpha() and len(spec.strip()) <= 3:
        return letters.index(spec.strip().upper())
    if spec.strip().isdigit() and 1 <= int(spec) <= len(layout.names):
        return int(spec) - 1
    starts = {i for names in (layout.names, layout.questions)
              for i, n in enumerate(names) if n.casefold().startswith(want)}
    return starts.pop() if len(starts) == 1 else None


# -- the transcript ----------------------------------------------------------------------------

def respondent_label(row: int) -> str:
    """"Respondent #12": the "#" keeps the number from reading as an accepted year or number
    ("1931") to the leak check, in a survey of thousands."""
    return f"Respondent #{row + 1}"


def build(path: Path, layout: SheetLayout, options: SurveyOptions,
          progress: Callable[[float], None] | None = None) -> tuple[SourceResult, SurveyPlan]:
    """One segment per non-empty free-text answer; respondents as speakers."""
    if not options.text_columns:
        raise SourceError(path, "no column was chosen as free text (none looks like long, "
                          "varied answers)", "name the free-text columns (anonyscribe survey "
                          "--text-columns, or the app's survey settings)")
    plan = SurveyPlan(layout, options)
    segments: list[Segment] = []
    speakers: list[Speaker] = []
    names: list[str] = []
    name_cols = [i for i, n in enumerate(layout.names) if _NAME_COLUMN.match(n.strip())]
    for row, cells in data_rows(path, layout, progress):
        sid = ""
        for col in options.text_columns:
            value = cells[col] if col < len(cells) else None
            text = " ".join(str(value).split()) if value is not None else ""
            if not text:
                continue
            if not sid:
                sid = f"R{row + 1}"
                speakers.append(Speaker(sid, respondent_label(row)))
            segments.append(Segment(len(segments), 0.0, 0.0, text, sid,
                                    heading=layout.questions[col]))
            plan.cells.append((row, col))
        for col in name_cols:
            value = cells[col]
            if isinstance(value, str) and value.strip().casefold() not in _NOT_A_NAME:
                names.append(" ".join(value.split()))
    if not segments:
        raise SourceError(path, "the chosen free-text columns are empty in every row",
                          "check the column choice, or that this is the full export")
    info = RecordingInfo(name=path.name, sha256=file_sha256(path), path=str(path))
    transcript = Transcript(recording=info, segments=segments, speakers=speakers,
                            model="survey")
    people = [TeamsCue(0.0, 0.0, n, "") for n in list(dict.fromkeys(names))[:MAX_NAMES]]
    # A sheet's file name names the survey, not a person ("Leadership survey.xlsx").
    return SourceResult(transcript, [], names_for_always_list(TeamsTranscript(path, people),
                                                              "")), plan


def read(path: Path, folder: Path | None,
         progress: Callable[[float], None] | None = None) -> SourceResult:
    """The sheet's answers as a transcript, with the saved column choice or a proposed one."""
    plan = load_plan(folder) if folder is not None else None
    layout = read_layout(path)
    options = plan.options if plan is not None else propose(path, layout)
    result, new_plan = build(path, layout, options, progress)
    new_plan.proposed = plan is None or plan.proposed
    if folder is not None:
        save_plan(folder, new_plan)
    return result


class ChoiceLockedError(SourceError):
    """A new column choice would throw away review decisions already made on this sheet."""


def choose(folder: Path, path: Path, options: SurveyOptions, decided: int) -> bool:
    """Save the researcher's column choice for the sheet whose study folder is ``folder``.

    Returns True when the choice differs from what was read before, so the sheet must be read
    (and flagged) again; that is refused while ``decided`` findings would be lost.
    """
    plan = load_plan(folder)
    layout = plan.layout if plan is not None else read_layout(path)
    if plan is not None and (plan.options.text_columns, plan.options.drop_columns) == (
            options.text_columns, options.drop_columns):
        if plan.options.per != options.per or plan.proposed:
            plan.options.per, plan.proposed = options.per, False
            save_plan(folder, plan)
        return False
    if plan is not None and decided:
        raise ChoiceLockedError(path, f"{decided} review decision(s) were made with another "
                                "column choice", "export with the choice made then, or add a "
                                "copy of the sheet to choose again")
    save_plan(folder, SurveyPlan(layout, options))
    return plan is not None


def describe(path: Path) -> list[tuple[str, str, str]]:
    """(letter, heading, proposal) per column, for ``anonyscribe survey --list-columns``."""
    layout = read_layout(path)
    options = propose(path, layout)
    out = []
    for i, q in enumerate(layout.questions):
        role = ("free text" if i in options.text_columns else
                "drop" if i in options.drop_columns else "keep")
        out.append((column_letter(i), q, role))
    return out
