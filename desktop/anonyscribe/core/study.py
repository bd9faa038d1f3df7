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
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from .files import CorruptFileError, read_json, sweep_temporaries, write_json
from .model import Finding, Transcript
from .register import Register

STUDY_FILE = "study.json"


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
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

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
    status: str = "queued"  # queued, transcribed, review, exported, failed
    error: str = ""
    exported: list[str] = field(default_factory=list)
    export_stem: str = ""


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
        f = self.root / STUDY_FILE
        if f.exists():
            data = read_json(f)
            self.settings = StudySettings(**data.get("settings", {}))
            self.recordings = {r["id"]: RecordingEntry(**r) for r in data.get("recordings", [])}
        reg = self.root / "register.json"
        if reg.exists():
            self.register = Register.from_dict(read_json(reg))
        terms = self.root / "terms.json"
        if terms.exists():
            self.terms = Terms(**read_json(terms))

    # -- saving ----------------------------------------------------------------
    def save(self) -> None:
        write_json(self.root / STUDY_FILE, {
            "schema_version": 1,
            "settings": asdict(self.settings),
            "recordings": [asdict(r) for r in self.recordings.values()],
        })

    def save_register(self) -> None:
        write_json(self.root / "register.json", self.register.to_dict())

    def save_terms(self) -> None:
        write_json(self.root / "terms.json", asdict(self.terms))

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
        try:
            return Transcript.from_dict(read_json(path))
        except (KeyError, TypeError) as exc:
            raise CorruptFileError(
                f"{path} is not a valid transcript ({exc}). Delete it to transcribe again."
            ) from exc

    def save_transcript(self, rec_id: str, transcript: Transcript) -> None:
        write_json(self.folder(rec_id) / "transcript.json", transcript.to_dict())

    def has_findings(self, rec_id: str) -> bool:
        return (self.folder(rec_id) / "findings.json").exists()

    def load_findings(self, rec_id: str) -> list[Finding]:
        path = self.folder(rec_id) / "findings.json"
        if not path.exists():
            return []
        try:
            return [Finding.from_dict(f) for f in read_json(path)["findings"]]
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CorruptFileError):
                raise
            raise CorruptFileError(
                f"{path} is not a valid review file ({exc}). Delete it to detect again."
            ) from exc

    def save_findings(self, rec_id: str, findings: list[Finding]) -> None:
        write_json(self.folder(rec_id) / "findings.json",
                   {"schema_version": 1, "findings": [f.to_dict() for f in findings]})
