"""The anonymisation log (the key: original -> replacement) and the report for the ethics file.

The log holds every original, so it is only ever written into the private folder, and never
into (or under) the anonymised export folder. The report says what kinds of identifiers were
replaced, how often, and what the reviewer decided, with no original text and no recording
name in it, so it can go to an ethics committee; it is checked for leaks like any export.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ..core.files import atomic_path, write_text
from ..core.model import ENTITY_TYPES
from ..redact import LogEntry
from .common import APP_NAME, hms

COLUMNS = ("original", "replacement", "type", "recording", "count", "first time")


class PrivateFolderError(ValueError):
    """The key was about to be written where anonymised files are shared."""


def check_private(private_dir: Path, anonymised_dir: Path | None) -> None:
    """Refuse a private folder that is, or sits inside, the anonymised export folder (or the
    other way round): the key would travel with the transcripts it unlocks."""
    if anonymised_dir is None:
        return
    priv, anon = Path(private_dir).resolve(), Path(anonymised_dir).resolve()
    if priv == anon or anon in priv.parents or priv in anon.parents:
        raise PrivateFolderError(
            f"{private_dir} is inside (or holds) the anonymised folder {anonymised_dir}. The "
            "anonymisation log is the key to every pseudonym: choose a private folder apart "
            "from the one you share."
        )


def _rows(entries: list[LogEntry]) -> list[tuple[str, str, str, str, int, str]]:
    ordered = sorted(entries, key=lambda e: (e.recording, e.first_time, e.type, e.original))
    return [(e.original, e.replacement, e.type, e.recording, e.count, hms(e.first_time))
            for e in ordered]


def render_csv(entries: list[LogEntry]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_rows(entries))
    return buf.getvalue()


def write_csv(entries: list[LogEntry], path: Path) -> None:
    # BOM so Excel opens UTF-8 names (Siobhán, Zoë) as written.
    write_text(path, "\ufeff" + render_csv(entries))


def write_xlsx(entries: list[LogEntry], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Anonymisation log"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in _rows(entries):
        ws.append(list(row))
    for row in ws.iter_rows(min_row=2, max_col=4):
        for cell in row:  # text, never a formula: an original "=..." must stay text
            cell.data_type = "s"
    for col, width in zip("ABCDEF", (30, 18, 14, 40, 8, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = ""
    wb.properties.lastModifiedBy = ""
    with atomic_path(Path(path)) as tmp:
        wb.save(str(tmp))


def render_report(entries: list[LogEntry], decisions: Mapping[str, int] | None = None,
                  generated: date | None = None, pending: str = "mark",
                  audio: list[str] | None = None) -> str:
    """The ethics-file report: counts by type and reviewer decisions, no original text."""
    by_type: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for e in entries:
        by_type[e.type].add(e.replacement)
        counts[e.type] += e.count
    recordings = len({e.recording for e in entries})
    lines = [
        "Anonymisation report",
        f"Generated {(generated or date.today()).isoformat()} by {APP_NAME}.",
        "This report lists kinds and numbers of replacements only; it holds no original text.",
        "",
        f"Recordings with replacements  {recordings}",
        f"Distinct identifiers replaced  {sum(len(v) for v in by_type.values())}",
        f"Replacements made  {sum(counts.values())}",
        "",
        "Replaced, by type",
    ]
    width = max((len(ENTITY_TYPES.get(t, t)) for t in by_type), default=0)
    for type_ in sorted(by_type, key=lambda t: (-counts[t], t)):
        name = ENTITY_TYPES.get(type_, type_.title())
        noun = "replacement" if counts[type_] == 1 else "replacements"
        lines.append(f"  {name:<{width}}  {len(by_type[type_]):>4} distinct  "
                     f"{counts[type_]:>6} {noun}")
    if not by_type:
        lines.append("  (nothing was replaced)")
    if decisions is not None:
        lines += ["", "Reviewer decisions on flagged text"]
        for key in ("accepted", "rejected", "pending"):
            lines.append(f"  {key.capitalize():<9} {int(decisions.get(key, 0)):>6}")
        for key in sorted(set(decisions) - {"accepted", "rejected", "pending"}):
            lines.append(f"  {key.capitalize():<9} {int(decisions[key]):>6}")
        waiting = int(decisions.get("pending", 0))
        if waiting and pending == "original":
            lines += ["", f"WARNING  {waiting} flagged item(s) were still awaiting review and "
                          "were written AS SPOKEN, by the researcher's explicit choice: these "
                          "exports are not fully anonymised."]
        elif waiting:
            lines += ["", f"Note  {waiting} flagged item(s) were still awaiting review; each "
                          "was replaced by a marker such as [Person ?] (not reviewed)."]
    if audio:
        lines += ["", *audio]
    return "\n".join(lines) + "\n"


def write_report(entries: list[LogEntry], path: Path,
                 decisions: Mapping[str, int] | None = None, pending: str = "mark",
                 audio: list[str] | None = None) -> None:
    write_text(path, render_report(entries, decisions, pending=pending, audio=audio))
