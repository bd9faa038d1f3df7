"""The whole path on real parts: recordings -> tiny.en -> detection -> pseudonyms -> files."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from anonyscribe import cli
from anonyscribe.batch import BatchOptions, collect_inputs, run_batch
from anonyscribe.core.layout import default_private
from anonyscribe.core.study import Study


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def docx_text(p: Path) -> str:
    d = docx.Document(str(p))
    return "\n".join(par.text for par in d.paragraphs)


@pytest.fixture
def folder(tmp_path: Path, speech_dir: Path) -> Path:
    """Two recordings naming the same person, a corrupt one and a stray note."""
    src = tmp_path / "Recordings from Ward 5"
    src.mkdir()
    shutil.copy(speech_dir / "batch_1.m4a", src / "Interview with Hannah Price-20240101.m4a")
    (src / "sub").mkdir()
    shutil.copy(speech_dir / "batch_2.mp3", src / "sub" / "second.mp3")
    (src / "broken.mp4").write_text("this is not a video")
    (src / "notes.pdf").write_bytes(b"%PDF-1.4")
    return src


def test_collect_inputs_recurses_and_notes_non_media(folder: Path):
    files, notes = collect_inputs([folder])
    assert sorted(f.name for f in files) == ["Interview with Hannah Price-20240101.m4a",
                                             "broken.mp4", "second.mp3"]
    assert any("notes.pdf" in n for n in notes)


def test_auto_batch_end_to_end(folder: Path, tmp_path: Path, tiny_engines):
    before = {p: sha(p) for p in folder.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    result = run_batch([folder], out,
                       options=BatchOptions(auto=True, formats=["docx", "txt"]),
                       engines=tiny_engines)

    by_name = {i.path.name: i for i in result.items}
    assert by_name["broken.mp4"].status == "failed"
    assert "broken.mp4" in by_name["broken.mp4"].message
    assert by_name["second.mp3"].status == "done"
    assert by_name["Interview with Hannah Price-20240101.m4a"].status == "done"

    # one .docx and one .txt per good recording; nothing else but the private folder
    shared = sorted(p.name for p in out.iterdir())
    assert len([n for n in shared if n.endswith(".docx")]) == 2
    assert len([n for n in shared if n.endswith(".txt")]) == 2
    assert not any(re.search(r"hannah|price|2024", n, re.I) for n in shared)

    texts = {p.name: (docx_text(p) if p.suffix == ".docx" else p.read_text("utf-8-sig"))
             for p in out.iterdir() if p.is_file()}
    for name, text in texts.items():
        assert not re.search(r"hannah|price|bradford|york", text, re.I), (name, text)
    # pseudonyms are consistent across the two recordings
    labels = [set(re.findall(r"\[Person \d+\]", t)) for t in texts.values()]
    assert all(labels) and set.intersection(*labels)
    # most other words survive
    joined = " ".join(texts.values()).lower()
    # (not "stroke": tiny.en, fed exactly the samples faster-whisper decodes, hears the second
    # clip as "our leader's most wrote team", raw faster-whisper alike)
    for word in ("diabetes", "clinic", "team"):
        assert word in joined

    # originals untouched; private material only under private/
    assert {p: sha(p) for p in folder.rglob("*") if p.is_file()} == before
    with Study.open(default_private(out)) as study:
        statuses = sorted(e.status for e in study.recordings.values())
        assert statuses == ["exported", "exported", "failed"]
        assert study.register.find("PERSON", "Hannah Price") is not None
    for p in out.iterdir():
        if p.suffix == ".docx":
            props = docx.Document(str(p)).core_properties
            assert (props.author, props.last_modified_by, props.title) == ("", "", "")
            with zipfile.ZipFile(p) as z:
                assert all(b"Hannah" not in z.read(n) for n in z.namelist())


def test_rerun_skips_finished_recordings(folder: Path, tmp_path: Path, tiny_engines):
    out = tmp_path / "out"
    run_batch([folder], out, options=BatchOptions(auto=True), engines=tiny_engines)
    transcript = next((default_private(out) / "recordings").glob("*/transcript.json"))
    stamp = transcript.stat().st_mtime_ns
    again = run_batch([folder], out, options=BatchOptions(auto=True), engines=tiny_engines)
    assert transcript.stat().st_mtime_ns == stamp
    assert "Already exported" in {i.path.name: i for i in again.items}["second.mp3"].message


def test_review_mode_saves_state_for_the_app(folder: Path, tmp_path: Path, tiny_engines):
    out, private = tmp_path / "out", tmp_path / "study"
    result = run_batch([folder / "sub"], out, private, engines=tiny_engines)
    assert [i.status for i in result.items] == ["review"]
    assert not out.exists() or not any(out.iterdir())  # nothing exported before review
    with Study.open(private) as study:
        (entry,) = study.recordings.values()
        findings = study.load_findings(entry.id)
        assert any(f.type == "PERSON" and "Price" in f.text for f in findings)
        assert all(f.decision.value == "pending" for f in findings)


def test_cli_batch_exit_code_and_summary(folder: Path, tmp_path: Path, capsys, monkeypatch,
                                         tiny_engines):
    import anonyscribe.batch as batch_mod

    real = batch_mod.run_batch
    monkeypatch.setattr(batch_mod, "run_batch",
                        lambda *a, **k: real(*a, **{**k, "engines": tiny_engines}))
    code = cli.main(["batch", str(folder), "--out", str(tmp_path / "o"), "--auto",
                     "--format", "txt"])
    err = capsys.readouterr().err
    assert code == 1  # one recording failed
    assert "FAILED" in err and "broken.mp4" in err
    assert "2 done" in err


def test_cli_detect_json(tmp_path: Path, capsys):
    f = tmp_path / "t.txt"
    f.write_text("Interviewer: Thanks.\nParticipant: I'm Grace Okafor, a ward manager at "
                 "Leeds Teaching Hospitals. Call me on 07700 900123.\n", encoding="utf-8")
    assert cli.main(["detect", str(f), "--json"]) == 0
    spans = json.loads(capsys.readouterr().out)
    text = f.read_text(encoding="utf-8")
    found = {s["type"]: s["text"] for s in spans}
    assert "Grace Okafor" in found.get("PERSON", "")
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert "PHONE" in found


def test_cli_models_lists_bundled(capsys):
    assert cli.main(["models"]) == 0
    out = capsys.readouterr().out
    assert "tiny.en" in out and "base" in out


def test_unknown_format_is_refused(capsys):
    with pytest.raises(SystemExit):
        cli.main(["batch", "x", "--out", "y", "--format", "pdf"])
    assert "unknown format pdf" in capsys.readouterr().err


def test_cli_export_after_review_writes_every_format(folder: Path, tmp_path: Path, capsys,
                                                     tiny_engines):
    private, out = tmp_path / "study", tmp_path / "shared"
    run_batch([folder / "sub"], tmp_path / "unused", private, engines=tiny_engines)
    assert cli.main(["export", "--private", str(private), "--out", str(out),
                     "--format", "txt"]) == 0
    assert "replaced by markers such as [Person ?]" in capsys.readouterr().err
    (draft,) = out.glob("*.txt")
    assert "[Person ?]" in draft.read_text("utf-8")
    assert "Hannah" not in draft.read_text("utf-8")  # pending: never in the clear by default
    clear = tmp_path / "clear"
    assert cli.main(["export", "--private", str(private), "--out", str(clear), "--format",
                     "txt", "--write-pending-originals"]) == 0
    assert "NOT anonymised" in capsys.readouterr().err
    assert "Hannah" in next(clear.glob("*.txt")).read_text("utf-8")  # the explicit choice
    report = next((private / "log").rglob("anonymisation-report.txt")).read_text("utf-8")
    assert "written AS SPOKEN" in report
    with Study.open(private) as study:
        (entry,) = study.recordings.values()
        findings = study.load_findings(entry.id)
        for f in findings:
            f.decision = f.decision.ACCEPTED
        study.save_findings(entry.id, findings)
    code = cli.main(["export", "--private", str(private), "--out", str(out),
                     "--format", "txt,docx,nvivo,srt,vtt,qdpx"])
    assert code == 0
    names = sorted(p.name for p in out.iterdir())
    assert {Path(n).suffix for n in names} >= {".txt", ".docx", ".srt", ".vtt", ".qdpx"}
    with zipfile.ZipFile(out / "study.qdpx") as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    assert b"Price" not in blob and b"Hannah" not in blob
    assert (private / "log" / entry.id / "anonymisation-log.csv").exists()


def test_naming_formats_without_auto_writes_drafts_and_keeps_review(
        folder: Path, tmp_path: Path, capsys, monkeypatch, tiny_engines):
    """`anonyscribe batch <recordings> --format vtt` gives files now (every flagged identifier
    hidden) and leaves every decision for review; the default still exports nothing."""
    import anonyscribe.batch as batch_mod

    real = batch_mod.run_batch
    monkeypatch.setattr(batch_mod, "run_batch",
                        lambda *a, **k: real(*a, **{**k, "engines": tiny_engines}))
    monkeypatch.chdir(tmp_path)
    code = cli.main(["batch", str(folder / "sub"), "--format", "vtt,txt,qdpx"])
    err = capsys.readouterr().err
    assert code == 0 and "Draft anonymised files" in err and ".qdpx project is written" in err
    out = tmp_path / "anonymised"  # the default output folder
    written = sorted(p.name for p in out.iterdir() if p.is_file())
    assert written == ["second.txt", "second.vtt"]
    for name in written:
        text = (out / name).read_text("utf-8")
        assert "Price" not in text and "Hannah" not in text and "[Person ?]" in text
    with Study.open(default_private(out)) as study:
        (entry,) = study.recordings.values()
        assert entry.status == "review"
        findings = study.load_findings(entry.id)
        assert findings and all(f.decision.value == "pending" for f in findings)

    plain = tmp_path / "plain"
    assert cli.main(["batch", str(folder / "sub"), "--out", str(plain)]) == 0
    assert "Ready for review in the app" in capsys.readouterr().err
    assert not plain.exists() or list(plain.iterdir()) == []
    assert (default_private(plain) / "study.json").is_file()
