"""A study on disk: the private folder holding everything that still identifies anyone.

Layout (the same folder the CLI's ``--private`` names and the app opens)::

    study.json                      settings + the list of recordings and their state
    register.json                   pseudonyms, study-wide
    terms.json                      always-redact / never-redact lists
    recordings/<id>/transcript.json raw transcript (private)
    recordings/<id>/findings.json   findings with the reviewer's decisions
    log/                            anonymisation log and key

Every save is atomic; one process at a time may write (``StudyLock``).
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from .files import (
    CorruptFileError,
    read_document,
    shape_error,
    sweep_temporaries,
    write_json,
)
from .model import SCHEMA_VERSION, AudioMark, Finding, Transcript
from .register import REGISTER_SCHEMA, Pseudonym, Register, normalise
from .status import RecordingStatus

STUDY_FILE = "study.json"
EXPORT_RECORD = "export.json"
# The file formats this release writes (and the newest it reads).
STUDY_SCHEMA = TERMS_SCHEMA = FINDINGS_SCHEMA = EXPORT_SCHEMA = MARKS_SCHEMA = 1
T = TypeVar("T")
STUDY_REPAIR = ("Restore it from a backup, or move it out of the study folder and run the batch "
                "again on the same recordings: their transcripts and decisions are kept in "
                "the recordings folder and found again.")
REGISTER_REPAIR = ("Restore it from a backup: without it, pseudonyms would be numbered afresh "
                   "and no longer match earlier exports.")
TERMS_REPAIR = "Restore it from a backup, or delete it and give the term lists again."


class MissingFileError(CorruptFileError):
    """A file the study needs is gone (deleted by hand); the message says how to recover."""


class StudyLockedError(RuntimeError):
    """Another window or batch is writing to this study."""


class StudyLock:
    """An OS-level lock on the study folder; the OS drops it if the holder dies."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / "study.lock"
        self._fh: Any = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            if os.name == "nt":
                import msvcrt  # Windows only: not importable elsewhere

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl  # POSIX only: not importable on Windows

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another program"
            fh.close()
            raise StudyLockedError(
                f"The study in {self.path.parent} is open in {holder}. "
                "Close that window or wait for the batch to finish, then try again."
            ) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"Anonyscribe (process {os.getpid()} on {socket.gethostname()})")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class RecordingKind(str, Enum):
    """What a study's recordings are: it tells speaker separation how many voices to expect."""

    INTERVIEW = "interview"  # one interviewer and one participant: two speakers
    FOCUS_GROUP = "focus_group"  # a group: ``StudySettings.group_size`` speakers (0: find out)
    OTHER = "other"  # anything else: the number of speakers is found from the audio


@dataclass
class StudySettings:
    """What a researcher chooses once per study; remembered between runs."""

    model: str = ""
    language: str = "en"
    vocabulary: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=lambda: ["docx", "txt"])
    out_dir: str = ""
    recording_kind: str = RecordingKind.INTERVIEW.value
    group_size: int = 0
    audio_cover: str = "tone"  # anonymised audio: identifiers become "tone" or "silence"

    def expected_speakers(self) -> int | None:
        """How many voices the study's recordings have, or None when it must be found."""
        kind = RecordingKind(self.recording_kind)
        if kind is RecordingKind.INTERVIEW:
            return 2
        if kind is RecordingKind.FOCUS_GROUP and self.group_size > 0:
            return self.group_size
        return None


@dataclass
class Terms:
    """The study's own lists: always flag these, never flag those."""

    always: list[dict[str, str]] = field(default_factory=list)  # {"text":..., "type":...}
    never: list[str] = field(default_factory=list)

    def add_always(self, text: str, type_: str) -> bool:
        text = text.strip()
        if not text or any(t["text"].casefold() == text.casefold() for t in self.always):
            return False
        self.always.append({"text": text, "type": type_})
        return True

    def add_never(self, text: str) -> bool:
        text = text.strip()
        if not text or text.casefold() in (t.casefold() for t in self.never):
            return False
        self.never.append(text)
        return True


@dataclass
class RecordingEntry:
    """One recording in a study and how far it has got."""

    id: str
    name: str
    path: str
    sha256: str = ""
    duration: float = 0.0
    status: RecordingStatus = RecordingStatus.QUEUED
    error: str = ""
    exported: list[str] = field(default_factory=list)
    export_stem: str = ""
    notes: list[str] = field(default_factory=list)  # what processing told the researcher

    def __post_init__(self) -> None:
        self.status = RecordingStatus(self.status)  # ValueError for a word we never wrote


@dataclass
class _Term:
    text: str
    type: str


_SCALARS: dict[str, type | tuple[type, ...]] = {"str": str, "int": int, "float": (int, float),
                                               "bool": bool, "list": list}


def record(cls: type, data: Any) -> Any:
    """``cls(**data)`` for a flat dataclass, refusing a non-record, an unknown or missing
    field and a value of the wrong type (``TypeError`` saying which) rather than failing
    later, far from the file."""
    if not isinstance(data, dict):
        raise TypeError(f"a {cls.__name__.strip('_')} entry is {data!r}, not a record")
    for f in fields(cls):
        if f.name not in data:
            continue
        want = _SCALARS.get(str(f.type).split("[")[0])
        value = data[f.name]
        if want is not None and (not isinstance(value, want) or (
                isinstance(value, bool) and want is not bool)):
            raise TypeError(f"field {f.name!r} is {value!r}")
    return cls(**data)


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TypeError(f"{key!r} is {value!r}, not a list")
    return value


def _bad(value: Any) -> bool:
    raise TypeError(f"a term is {value!r}, not a text")


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def recording_id(sha256: str) -> str:
    """An opaque id from the content: re-adding the same file resumes, and names never leak."""
    return "rec-" + sha256[:12]


class Study:
    """Open with ``Study.open(folder)``; close (or use ``with``) to release the lock."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.settings = StudySettings()
        self.recordings: dict[str, RecordingEntry] = {}
        self.register = Register()
        self.terms = Terms()
        self._lock = StudyLock(self.root)

    # -- opening and closing -------------------------------------------------
    @classmethod
    def open(cls, root: Path, lock: bool = True) -> Study:
        study = cls(root)
        study.root.mkdir(parents=True, exist_ok=True)
        if lock:
            study._lock.acquire()
            sweep_temporaries(study.root)
        try:
            study._load()
        except BaseException:
            study.close()
            raise
        return study

    def close(self) -> None:
        self._lock.release()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _load(self) -> None:
        """Read the study's files, each checked for shape and version before use."""
        f = self.root / STUDY_FILE
        if f.exists():
            data = read_document(f, STUDY_SCHEMA, STUDY_REPAIR)
            try:
                self.settings = record(StudySettings, data.get("settings", {}))
                RecordingKind(self.settings.recording_kind)
                entries = [record(RecordingEntry, r) for r in _list(data, "recordings")]
            except (TypeError, ValueError) as exc:
                raise shape_error(f, exc, STUDY_REPAIR) from exc
            self.recordings = {e.id: e for e in entries}
        reg = self.root / "register.json"
        if reg.exists():
            data = read_document(reg, REGISTER_SCHEMA, REGISTER_REPAIR)
            try:
                for e in _list(data, "entries"):
                    record(Pseudonym, e)
                if not isinstance(data.get("counters", {}), dict):
                    raise TypeError(f"'counters' is {data['counters']!r}, not a record")
                self.register = Register.from_dict(data)
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                raise shape_error(reg, exc, REGISTER_REPAIR) from exc
        terms = self.root / "terms.json"
        if terms.exists():
            data = read_document(terms, TERMS_SCHEMA, TERMS_REPAIR)
            try:
                always = [record(_Term, t) for t in _list(data, "always")]
                never = [t for t in _list(data, "never") if isinstance(t, str) or _bad(t)]
            except (TypeError, ValueError) as exc:
                raise shape_error(terms, exc, TERMS_REPAIR) from exc
            self.terms = Terms(always=[asdict(t) for t in always], never=never)

    # -- saving ----------------------------------------------------------------
    def save(self) -> None:
        write_json(self.root / STUDY_FILE, {
            "schema_version": STUDY_SCHEMA,
            "settings": asdict(self.settings),
            "recordings": [asdict(r) for r in self.recordings.values()],
        })

    def save_register(self) -> None:
        write_json(self.root / "register.json", self.register.to_dict())  # has its version

    def save_terms(self) -> None:
        write_json(self.root / "terms.json", {"schema_version": TERMS_SCHEMA,
                                              **asdict(self.terms)})

    # -- recordings ------------------------------------------------------------
    def add_recording(self, path: Path, sha256: str | None = None) -> RecordingEntry:
        """Register a recording (idempotent by content); returns its entry.

        ``sha256`` lets a caller hash a large file off the GUI thread beforehand.
        """
        path = Path(path)
        sha = sha256 or file_sha256(path)
        rid = recording_id(sha)
        entry = self.recordings.get(rid)
        if entry is None:
            entry = RecordingEntry(id=rid, name=path.name, path=str(path.resolve()), sha256=sha)
            self._restore_export_record(entry)
            self.recordings[rid] = entry
        else:
            entry.path = str(path.resolve())
        return entry

    def folder(self, rec_id: str) -> Path:
        return self.root / "recordings" / rec_id

    def has_transcript(self, rec_id: str) -> bool:
        return (self.folder(rec_id) / "transcript.json").exists()

    def load_transcript(self, rec_id: str) -> Transcript:
        path = self.folder(rec_id) / "transcript.json"
        repair = "Restore it from a backup, or delete it to transcribe again."
        if not path.exists():
            raise MissingFileError(
                f"{path} is missing. Run the batch again on this recording: it is transcribed "
                "again and the decisions already made are kept.")
        data = read_document(path, SCHEMA_VERSION, repair)
        try:
            return Transcript.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise shape_error(path, exc, repair) from exc

    def save_transcript(self, rec_id: str, transcript: Transcript) -> None:
        write_json(self.folder(rec_id) / "transcript.json", transcript.to_dict())

    def has_findings(self, rec_id: str) -> bool:
        return (self.folder(rec_id) / "findings.json").exists()

    def load_findings(self, rec_id: str) -> list[Finding]:
        return self._load_records(rec_id, "findings.json", FINDINGS_SCHEMA, "findings",
                                  Finding.from_dict,
                                  "Restore it from a backup, or delete it to detect again.")

    def save_findings(self, rec_id: str, findings: list[Finding]) -> None:
        write_json(self.folder(rec_id) / "findings.json",
                   {"schema_version": FINDINGS_SCHEMA,
                    "findings": [f.to_dict() for f in findings]})

    def load_audio_marks(self, rec_id: str) -> list[AudioMark]:
        """The stretches marked by hand for the anonymised audio, in time order."""
        marks = self._load_records(
            rec_id, "audio-marks.json", MARKS_SCHEMA, "marks", AudioMark.from_dict,
            "Restore it from a backup, or delete it and mark those stretches again.")
        return sorted(marks, key=lambda m: (m.start, m.end))

    def save_audio_marks(self, rec_id: str, marks: list[AudioMark]) -> None:
        write_json(self.folder(rec_id) / "audio-marks.json",
                   {"schema_version": MARKS_SCHEMA, "marks": [m.to_dict() for m in marks]})

    def _load_records(self, rec_id: str, name: str, schema: int, key: str,
                      make: Callable[[dict[str, Any]], T], repair: str) -> list[T]:
        """A recording's list file (none yet: empty), each record checked as it is made."""
        path = self.folder(rec_id) / name
        if not path.exists():
            return []
        data = read_document(path, schema, repair)
        try:
            return [make(item) for item in data[key]]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise shape_error(path, exc, repair) from exc

    # -- what was exported, kept with the recording too ----------------------------------------
    def save_export_record(self, entry: RecordingEntry) -> None:
        """Keep the recording's export name and files beside its transcript as well, so a
        study whose list was lost (``study.json`` deleted) exports under the same names
        again rather than beside its own earlier files as "-2" copies."""
        write_json(self.folder(entry.id) / EXPORT_RECORD,
                   {"schema_version": EXPORT_SCHEMA, "export_stem": entry.export_stem,
                    "exported": list(entry.exported)})

    def _restore_export_record(self, entry: RecordingEntry) -> None:
        path = self.folder(entry.id) / EXPORT_RECORD
        if not path.exists():
            return
        data = read_document(path, EXPORT_SCHEMA)
        stem, exported = data.get("export_stem"), data.get("exported")
        if isinstance(stem, str) and isinstance(exported, list):
            entry.export_stem = stem
            entry.exported = [str(p) for p in exported]


def study_terms(study: Study) -> Terms:
    """The study's lists plus every name already confirmed anywhere in the study."""
    always = [dict(t) for t in study.terms.always]
    seen = {normalise(t["text"]) for t in always}
    for entry in study.register.entries.values():
        if entry.type != "PERSON":
            continue
        for original in entry.originals:
            key = normalise(original)
            if key and key not in seen and len(key) > 2:
                always.append({"text": original, "type": "PERSON"})
                seen.add(key)
    return Terms(always=always, never=list(study.terms.never))
