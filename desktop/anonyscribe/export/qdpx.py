"""REFI-QDA Project Exchange (.qdpx): one project for a whole study, opened by ATLAS.ti,
MAXQDA, NVivo and QualCoder alike.

A .qdpx is a ZIP holding ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and
``Sources/``. Each anonymised transcript becomes a TextSource whose text lives in
``Sources/<guid>.txt``. Only on request (a voice identifies as surely as a name) the
recording goes in as an AudioSource/VideoSource whose Transcript carries SyncPoints,
milliseconds paired with character offsets, at the start and end of every turn; the pipeline
hands over the anonymised audio (``export/audio.py``, same timeline), never the original. Study
variables (recording date, site code...) and speaker roles become Variables and Cases.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from lxml import etree

from ..core.files import atomic_path
from ..core.model import Transcript
from .common import APP_NAME, ExportError, clean_label, export_turns

NS = "urn:QDA-XML:project:1.0"
VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".wmv", ".mpg", ".mpeg"}
AUDIO_SUFFIXES = {".m4a", ".mp3", ".wav", ".aac", ".flac", ".ogg", ".oga", ".opus", ".wma"}

VariableValue = str | int | float | bool | date | datetime


@dataclass
class QdpxItem:
    """One anonymised recording for the project.

    ``name`` is the (already redacted) export name; ``media`` the recording, used only when
    ``QdpxOptions.include_media`` is set; ``variables`` become the recording's Case;
    ``speaker_roles`` maps a speaker label (as printed in the transcript) to a role.
    """

    name: str
    transcript: Transcript
    media: Path | None = None
    variables: dict[str, VariableValue] = field(default_factory=dict)
    speaker_roles: dict[str, str] = field(default_factory=dict)


@dataclass
class QdpxOptions:
    project_name: str = "Anonymised study"
    include_media: bool = False  # off by default: a voice identifies


def new_guid() -> str:
    return str(uuid.uuid4()).upper()


def _el(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v})


def plain_text(transcript: Transcript) -> tuple[str, list[tuple[int, int, float, float]]]:
    """The source text ("Speaker: text" per line) and each turn's (from, to, start, end),
    offsets in characters (Unicode code points), as REFI-QDA positions count them."""
    lines: list[str] = []
    spans: list[tuple[int, int, float, float]] = []
    pos = 0
    for turn in export_turns(transcript):
        line = f"{turn.speaker}: {turn.text}"
        spans.append((pos, pos + len(line), turn.start, turn.end))
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines) + ("\n" if lines else ""), spans


def _variable_type(values: list[VariableValue]) -> str:
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "Float"
    if all(isinstance(v, datetime) for v in values):
        return "DateTime"
    if all(isinstance(v, date) and not isinstance(v, datetime) for v in values):
        return "Date"
    return "Text"


def _value_text(kind: str, value: VariableValue) -> str:
    if kind == "Boolean":
        return "true" if value else "false"
    if kind == "Float":
        return format(Decimal(str(value)), "f")
    if kind in ("Date", "DateTime"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)


def _add_value(case: etree._Element, var_guid: str, kind: str, value: VariableValue) -> None:
    vv = _el(case, "VariableValue")
    _el(vv, "VariableRef", targetGUID=var_guid)
    tag = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue",
           "Float": "FloatValue", "Date": "DateValue", "DateTime": "DateTimeValue"}[kind]
    _el(vv, tag).text = _value_text(kind, value)


@dataclass
class _Planned:
    item: QdpxItem
    source_guid: str
    text_guid: str
    text: str
    spans: list[tuple[int, int, float, float]]
    media_kind: str = ""  # "", "AudioSource" or "VideoSource"
    media_guid: str = ""


def _media_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return "VideoSource"
    if suffix in AUDIO_SUFFIXES:
        return "AudioSource"
    raise ExportError(
        f"{path.name}: not an audio or video file the .qdpx format can carry "
        f"(use one of {', '.join(sorted(AUDIO_SUFFIXES | VIDEO_SUFFIXES))}), "
        "or export without the recording."
    )


def _plan(items: list[QdpxItem], options: QdpxOptions) -> list[_Planned]:
    planned = []
    for item in items:
        text, spans = plain_text(item.transcript)
        p = _Planned(item, new_guid(), new_guid(), text, spans)
        if options.include_media and item.media is not None:
            media = Path(item.media)
            if not media.is_file():
                raise ExportError(f"{media}: the recording was not found; locate it or export "
                                  "the project without recordings.")
            p.media_kind, p.media_guid = _media_kind(media), new_guid()
        planned.append(p)
    return planned


def _sources(project: etree._Element, planned: list[_Planned]) -> None:
    sources = _el(project, "Sources")
    for p in planned:
        name = clean_label(p.item.name)
        if not p.media_kind:
            _el(sources, "TextSource", guid=p.source_guid, name=name,
                plainTextPath=f"internal://{p.text_guid}.txt")
            continue
        suffix = Path(p.item.media).suffix.lower()  # type: ignore[arg-type]
        media = _el(sources, p.media_kind, guid=p.source_guid, name=name,
                    path=f"internal://{p.media_guid}{suffix}")
        transcript = _el(media, "Transcript", guid=new_guid(), name=name,
                         plainTextPath=f"internal://{p.text_guid}.txt")
        for start_pos, end_pos, start, end in p.spans:
            _el(transcript, "SyncPoint", guid=new_guid(), timeStamp=str(round(start * 1000)),
                position=str(start_pos))
            _el(transcript, "SyncPoint", guid=new_guid(), timeStamp=str(round(end * 1000)),
                position=str(end_pos))


def _cases(project: etree._Element, planned: list[_Planned]) -> None:
    """Variables and Cases, only where the caller gave any: one Case per recording with its
    variables, one per speaker label with its role (a label is study-wide, like a pseudonym)."""
    values: dict[str, list[VariableValue]] = {}
    for p in planned:
        for key, value in p.item.variables.items():
            values.setdefault(key, []).append(value)
    roles: dict[str, tuple[str, list[str]]] = {}
    for p in planned:
        for label, role in p.item.speaker_roles.items():
            entry = roles.setdefault(clean_label(label), (role, []))
            entry[1].append(p.source_guid)
    if not values and not roles:
        return
    kinds = {key: _variable_type(vals) for key, vals in values.items()}
    guids = {key: new_guid() for key in kinds}
    role_guid = new_guid() if roles else ""
    variables = _el(project, "Variables")
    for key, kind in kinds.items():
        _el(variables, "Variable", guid=guids[key], name=key, typeOfVariable=kind)
    if roles:
        _el(variables, "Variable", guid=role_guid, name="Role", typeOfVariable="Text")
    cases = _el(project, "Cases")
    for p in planned:
        if p.item.variables:
            case = _el(cases, "Case", guid=new_guid(), name=clean_label(p.item.name))
            for key, value in p.item.variables.items():
                _add_value(case, guids[key], kinds[key], value)
            _el(case, "SourceRef", targetGUID=p.source_guid)
    for label, (role, source_guids) in roles.items():
        case = _el(cases, "Case", guid=new_guid(), name=label)
        _add_value(case, role_guid, "Text", role)
        for guid in dict.fromkeys(source_guids):
            _el(case, "SourceRef", targetGUID=guid)


def project_xml(planned: list[_Planned], options: QdpxOptions) -> bytes:
    project = etree.Element(f"{{{NS}}}Project", nsmap={None: NS},
                            name=clean_label(options.project_name), origin=APP_NAME)
    _cases(project, planned)  # schema order: Variables, Cases, then Sources
    _sources(project, planned)
    return etree.tostring(project, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write_qdpx(items: list[QdpxItem], path: Path, options: QdpxOptions | None = None) -> None:
    """Write the whole study as one .qdpx at ``path`` (atomically)."""
    options = options or QdpxOptions()
    if not items:
        raise ExportError("No transcripts to put in the project: export at least one recording.")
    planned = _plan(items, options)
    xml = project_xml(planned, options)
    with atomic_path(Path(path)) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        for p in planned:
            zf.writestr(f"Sources/{p.text_guid}.txt", p.text.encode("utf-8"))
            if p.media_kind:
                suffix = Path(p.item.media).suffix.lower()  # type: ignore[arg-type]
                zf.write(p.item.media, f"Sources/{p.media_guid}{suffix}",  # type: ignore[arg-type]
                         compress_type=zipfile.ZIP_STORED)
