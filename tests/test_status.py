"""Statuses as enums, failures classified by type, one cancellable wait (issue 17 items 1-3)."""

from __future__ import annotations

import errno
import json
import threading
import time
from pathlib import Path

import pytest

from anonyscribe.core.cancel import Cancelled, CancelToken, wait_cancellable
from anonyscribe.core.files import CorruptFileError
from anonyscribe.core.status import READY, WAITING, RecordingStatus
from anonyscribe.core.study import STUDY_FILE, RecordingEntry, Study
from anonyscribe.failures import classify
from anonyscribe.media import MediaError

OLD_WORDS = ["queued", "transcribed", "review", "exported", "failed", "cancelled"]


def test_a_study_written_with_plain_words_loads_and_saves_the_same_bytes(tmp_path: Path) -> None:
    with Study.open(tmp_path / "s") as study:
        for i, word in enumerate(OLD_WORDS):
            study.recordings[f"rec-{i}"] = RecordingEntry(f"rec-{i}", f"{word}.m4a", "",
                                                          status=word)  # type: ignore[arg-type]
        study.save()
    before = (tmp_path / "s" / STUDY_FILE).read_bytes()
    assert [r["status"] for r in json.loads(before)["recordings"]] == OLD_WORDS
    with Study.open(tmp_path / "s") as again:
        statuses = [e.status for e in again.recordings.values()]
        assert all(isinstance(s, RecordingStatus) for s in statuses)
        assert [s for s in statuses if s in WAITING] == ["queued", "transcribed"]
        assert [s for s in statuses if s in READY] == ["review", "exported"]
        again.save()
    assert (tmp_path / "s" / STUDY_FILE).read_bytes() == before


def test_a_status_never_written_is_refused_as_a_damaged_study(tmp_path: Path) -> None:
    with Study.open(tmp_path / "s") as study:
        study.save()
    path = tmp_path / "s" / STUDY_FILE
    data = json.loads(path.read_text())
    data["recordings"] = [{"id": "rec-1", "name": "a.m4a", "path": "", "status": "done"}]
    path.write_text(json.dumps(data))
    with pytest.raises(CorruptFileError, match="study.json"):
        Study.open(tmp_path / "s")


REPORT = "please report this with the message."


def test_failures_are_classified_by_type_never_by_their_words(tmp_path: Path) -> None:
    recording = tmp_path / "Interview 3.m4a"
    bad_file = classify(MediaError(recording, f"it says {REPORT}", "convert it"), recording)
    assert not bad_file.is_bug  # its words look like ours, its type says a bad file
    assert bad_file.message == str(MediaError(recording, f"it says {REPORT}", "convert it"))
    assert str(recording) not in bad_file.detail and bad_file.detail.startswith("it says")

    bug = classify(KeyError("segment"), recording)
    assert bug.is_bug and bug.message.startswith("Interview 3.m4a: unexpected problem")
    assert bug.detail == bug.message.removeprefix("Interview 3.m4a: ")

    full = classify(OSError(errno.ENOSPC, "No space left", str(tmp_path / "out.docx")),
                    recording)
    assert not full.is_bug and "the disk is full" in full.message
    assert full.message == f"Interview 3.m4a: {full.detail}"


def test_the_wait_returns_the_value_or_the_error_of_the_work() -> None:
    assert wait_cancellable(lambda: 42, CancelToken()) == 42

    def broken() -> None:
        raise ValueError("inside the helper")

    with pytest.raises(ValueError, match="inside the helper"):
        wait_cancellable(broken, CancelToken())


def test_stop_answers_while_the_work_never_looks_at_the_token() -> None:
    token = CancelToken()
    release = threading.Event()
    threading.Timer(0.2, token.cancel).start()
    t0 = time.monotonic()
    with pytest.raises(Cancelled):
        wait_cancellable(lambda: release.wait(10), token)
    assert time.monotonic() - t0 < 2.0
    release.set()  # the abandoned helper ends; its result is dropped
