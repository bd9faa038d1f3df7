"""A real ``kill -9`` at the worst moments loses nothing: transcription, review, export.

Each scenario runs the real code in a child process and sends it a real SIGKILL from here (no
cleanup handler can run), then checks what a researcher would find afterwards: originals
byte-identical, the study opens, every decision the child reported is on disk, no temporary
file left once the study (and the next batch) opened, and work resumes without redoing what
was finished. Plus two writers on one study: refused with a clear message.
"""

from __future__ import annotations

import hashlib
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from anonyscribe.batch import BatchOptions, run_batch
from anonyscribe.core.files import TEMP_PREFIX
from anonyscribe.core.model import (
    Decision,
    Finding,
    RecordingInfo,
    Segment,
    Speaker,
    Transcript,
    Word,
)
from anonyscribe.core.study import Study
from anonyscribe.exporting import export_recording, export_study_project

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")

SPEECH = Path(__file__).resolve().parent / "data" / "speech"
SENTENCE = "Rachel Morgan met Daniel Hughes at Leeds General Infirmary last spring."
ENTITIES = [("Rachel Morgan", "PERSON"), ("Daniel Hughes", "PERSON"),
            ("Leeds General Infirmary", "ORGANISATION")]
FORMATS = ["docx", "txt", "nvivo", "srt", "vtt"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(folder: Path) -> list[Path]:
    return list(folder.rglob(f"{TEMP_PREFIX}*")) if folder.exists() else []


def child(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def kill_when(cmd: list[str], ready: Callable[[list[str]], bool], timeout: float = 120,
              env: dict[str, str] | None = None, delay: float = 0.0) -> list[str]:
    """Start ``cmd``; SIGKILL it ``delay`` seconds after ``ready(lines so far)``; return every
    line it printed (including those still in the pipe when it died)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    killed = False
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            proc.kill()
            pytest.fail(f"child did not reach the kill point in {timeout} s: {seen[-5:]}")
        if line is None:
            break
        seen.append(line)
        if not killed and ready(seen):
            time.sleep(delay)
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
    err = proc.stderr.read()  # type: ignore[union-attr]
    proc.wait()
    assert killed, f"child finished before the kill point: {seen[-5:]} {err[-2000:]}"
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, err[-2000:])
    return seen


def synthetic_study(root: Path, recording: Path, segments: int) -> str:
    """A study with one recording under review: many turns, three findings in each."""
    with Study.open(root) as study:
        entry = study.add_recording(recording)
        segs, findings = [], []
        for i in range(segments):
            start = i * 5.0
            words = [Word(w, start + j * 0.3, start + j * 0.3 + 0.25)
                     for j, w in enumerate(SENTENCE.split())]
            segs.append(Segment(i, start, start + 4.5, SENTENCE, "S1" if i % 2 else "S2", words))
            for text, type_ in ENTITIES:
                at = SENTENCE.index(text)
                findings.append(Finding(i, at, at + len(text), type_, text, 0.9, "test"))
        transcript = Transcript(RecordingInfo(entry.name, segments * 5.0, entry.sha256,
                                              entry.path), segs,
                                [Speaker("S1", "Speaker 1"), Speaker("S2", "Speaker 2")])
        study.save_transcript(entry.id, transcript)
        study.save_findings(entry.id, findings)
        entry.status = "review"
        study.save()
        return entry.id


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    src = tmp_path / "recordings"
    src.mkdir()
    path = src / "Interview 1.wav"
    shutil.copyfile(SPEECH / "interview.wav", path)
    return path


# --- during transcription, then resume ----------------------------------------------------------

TRANSCRIBE = r"""
import sys
from pathlib import Path
from anonyscribe.batch import BatchOptions, Reporter, run_batch

class Say(Reporter):
    def start(self, index, total, path): print("START", index, flush=True)
    def progress(self, stage, fraction): print("PROGRESS", stage, fraction, flush=True)
    def finish(self, item): print("FINISH", item.status, item.message, flush=True)

run_batch([Path(p) for p in sys.argv[3:]], Path(sys.argv[1]), Path(sys.argv[2]),
          BatchOptions(model="tiny.en", speakers="none", auto=True), reporter=Say())
print("END", flush=True)
"""


def _transcribing_second(lines: list[str]) -> bool:
    if "START 1" not in lines:
        return False
    after = lines[lines.index("START 1"):]
    return any(ln.startswith("PROGRESS transcribe") and float(ln.split()[2]) > 0 for ln in after)


@pytest.mark.slow
def test_kill_during_transcription_then_resume_without_redoing(
        tmp_path: Path, long_speech: Path, tiny_engines, isolated_cache: Path) -> None:
    src = tmp_path / "recordings"
    src.mkdir()
    first, second = src / "a short.m4a", src / "b long.wav"
    shutil.copyfile(SPEECH / "batch_1.m4a", first)
    shutil.copyfile(long_speech, second)
    originals = {p: sha(p) for p in (first, second)}
    out, private = tmp_path / "out", tmp_path / "study"

    lines = kill_when(child(TRANSCRIBE, str(out), str(private), str(first), str(second)),
                      _transcribing_second, env={"ANONYSCRIBE_CACHE_DIR": str(isolated_cache)})
    assert "FINISH done Exported 2 file(s)." in lines and "END" not in lines

    assert {p: sha(p) for p in originals} == originals
    with Study.open(private) as study:  # opens: the OS dropped the dead child's lock
        assert temporaries(private) == []
        entries = {e.name: e for e in study.recordings.values()}
        assert entries["a short.m4a"].status == "exported"
        assert entries["b long.wav"].status not in ("review", "exported")
        assert not study.has_transcript(entries["b long.wav"].id)
        done = study.folder(entries["a short.m4a"].id) / "transcript.json"
    stamp = done.stat().st_mtime_ns

    again = run_batch([first, second], out, private, BatchOptions(auto=True), engines=tiny_engines)
    assert [i.status for i in again.items] == ["done", "done"]
    assert "Already exported" in again.items[0].message
    assert done.stat().st_mtime_ns == stamp, "the finished recording was transcribed again"
    assert temporaries(out) == [] and temporaries(private) == []
    assert {p: sha(p) for p in originals} == originals


# --- during review ------------------------------------------------------------------------------

REVIEW = r"""
import sys
from pathlib import Path
from anonyscribe.core.model import Decision
from anonyscribe.core.study import Study
from anonyscribe.review.session import ReviewSession

study = Study.open(Path(sys.argv[1]))
session = ReviewSession(study, sys.argv[2])
pending = [f for f in session.ordered() if f.decision is Decision.PENDING]
for i, f in enumerate(pending):
    decision = Decision.REJECTED if i % 3 == 0 else Decision.ACCEPTED
    session.set_decision([f.id], decision)
    print(f.id, decision.value, flush=True)  # only after it returned
print("END", flush=True)
"""


@pytest.mark.slow
def test_kill_during_review_keeps_every_reported_decision(tmp_path: Path,
                                                          recording: Path) -> None:
    private = tmp_path / "study"
    rec_id = synthetic_study(private, recording, segments=400)
    original = sha(recording)
    reported: dict[str, str] = {}
    for round_, after in enumerate((40, 25 + random.randrange(40))):
        lines = kill_when(child(REVIEW, str(private), rec_id),
                          lambda seen, n=after: len(seen) >= n)
        assert "END" not in lines
        for line in lines:
            fid, decision = line.split()
            reported[fid] = decision
        with Study.open(private) as study:
            assert temporaries(private) == [], f"round {round_}"
            on_disk = {f.id: f.decision.value for f in study.load_findings(rec_id)}
        missing = {f: d for f, d in reported.items() if on_disk[f] != d}
        assert missing == {}, f"decisions reported but lost in round {round_}: {missing}"
        decided = sum(1 for d in on_disk.values() if d != "pending")
        assert len(reported) <= decided <= len(reported) + 1  # at most the one in flight
    assert sha(recording) == original


# --- during export ------------------------------------------------------------------------------

EXPORT = r"""
import sys
from pathlib import Path
from anonyscribe.core.study import Study
from anonyscribe.exporting import export_recording, export_study_project

study = Study.open(Path(sys.argv[1]))
n = 0
while True:
    export_recording(study, sys.argv[2], Path(sys.argv[3]), sys.argv[4].split(","))
    export_study_project(study, Path(sys.argv[3]))
    n += 1
    print("EXPORTED", n, flush=True)
"""


_EXPORT_DAY = re.compile(r"Exported \d{4}-\d{2}-\d{2}")


def _texts(folder: Path) -> dict[str, str]:
    """What each exported file says: text files as text, .docx as their paragraphs (the
    export day left out: a run that passes midnight writes the next day's date)."""
    out = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith(TEMP_PREFIX):
            if p.suffix == ".qdpx":
                with zipfile.ZipFile(p) as z:  # a torn .qdpx would not open
                    out[p.name] = str("project.qde" in z.namelist())
            elif p.suffix == ".docx":
                d = docx.Document(str(p))  # a torn .docx would not open
                cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
                out[p.name] = "\n".join([par.text for par in d.paragraphs] + cells)
            else:
                out[p.name] = p.read_text(encoding="utf-8-sig")
    return {name: _EXPORT_DAY.sub("Exported <day>", text) for name, text in out.items()}


@pytest.mark.slow
def test_kill_during_export_leaves_only_whole_files(tmp_path: Path, recording: Path) -> None:
    """Killed at random moments while exporting (.docx/.txt/NVivo/.srt/.vtt and the study's
    .qdpx): every final file is whole, and nothing that has not passed the leak check is ever
    in the output folder, not even a temporary: unchecked files are written in the study."""
    private, out, reference = tmp_path / "study", tmp_path / "out", tmp_path / "reference"
    rec_id = synthetic_study(private, recording, segments=300)
    with Study.open(private) as study:
        findings = study.load_findings(rec_id)
        for f in findings:
            f.decision = Decision.ACCEPTED
        study.save_findings(rec_id, findings)
        export_recording(study, rec_id, reference, FORMATS)
        export_study_project(study, reference)
    expected = _texts(reference)
    assert len(expected) == 7

    staged = 0
    for attempt in range(8):  # kill at random moments until one lands mid-write
        lines = kill_when(child(EXPORT, str(private), rec_id, str(out), ",".join(FORMATS)),
                          lambda seen: len(seen) >= 1, delay=random.uniform(0.05, 0.8))
        assert lines and all(ln.startswith("EXPORTED") for ln in lines)
        assert temporaries(out) == [], f"an unchecked temporary in OUT (attempt {attempt})"
        staged += len(temporaries(private))
        assert _texts(out) == expected, f"a final file is incomplete (attempt {attempt})"
        if staged:
            break
    print(f"kills that left a temporary in the study folder: {staged}")
    with Study.open(private) as study:  # opening the study sweeps its own temporaries
        assert temporaries(private) == []
        assert study.recordings[rec_id].status in ("review", "exported")
    assert sha(recording) == sha(SPEECH / "interview.wav")


def test_a_fresh_temporary_of_another_export_in_out_survives_every_sweep(
        tmp_path: Path, recording: Path) -> None:
    """Two studies may export into one shared folder: neither the app's export, nor
    ``anonyscribe export``, nor a batch deletes the other's temporary while it is being
    written (that crashed 33 of 129 concurrent exports); stale ones (an hour old) go."""
    private, out = tmp_path / "study", tmp_path / "out"
    rec_id = synthetic_study(private, recording, segments=3)
    out.mkdir()
    fresh = out / f"{TEMP_PREFIX}another-export-still-writing.txt"
    stale = out / f"{TEMP_PREFIX}killed-long-ago.docx"
    for sweep in ("export", "batch", "cli"):
        fresh.write_text("...")
        stale.write_text("...")
        hour_ago = time.time() - 3600
        os.utime(stale, (hour_ago, hour_ago))
        if sweep == "export":
            with Study.open(private) as study:
                export_recording(study, rec_id, out, ["txt"])
        elif sweep == "batch":
            run_batch([], out, private, BatchOptions(auto=True))
        else:
            from anonyscribe import cli

            assert cli.main(["export", "--private", str(private), "--out", str(out),
                             "--format", "txt", "--include-pending"]) == 0
        assert temporaries(out) == [fresh], sweep


# --- two writers --------------------------------------------------------------------------------

def test_cli_batch_refuses_a_study_open_elsewhere(tmp_path: Path, recording: Path) -> None:
    private = tmp_path / "study"
    with Study.open(private):  # as the app holds it while a window shows the study
        proc = subprocess.run([sys.executable, "-m", "anonyscribe", "batch", str(recording),
                               "--out", str(tmp_path / "out"), "--private", str(private)],
                              capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert f"process {os.getpid()}" in proc.stderr
    assert "Close that window or wait for the batch to finish" in proc.stderr
    assert "Traceback" not in proc.stderr
    with Study.open(private) as study:  # released: the next writer gets in, nothing was added
        assert study.recordings == {}

