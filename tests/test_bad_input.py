"""Bad input never stops a batch, never half-writes a file, and always says what to do.

One real batch (real tiny.en, real detector, real exports, through the real CLI entry point)
runs over the whole corpus of ``tests/data/bad/`` plus the files too big or too trivial to
commit, made here: ten minutes of silence, synthetic music, 5.1 audio, a recording deleted
while the batch runs, all under a folder name with spaces and accents. Faults that cannot be
produced for real in a test (a full disk; a read-only folder when running as root) are
simulated by making one system call fail, nothing else.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
import pytest

from anonyscribe import cli
from anonyscribe.batch import BatchOptions, Reporter, run_batch
from anonyscribe.core.files import TEMP_PREFIX
from anonyscribe.core.layout import default_private
from anonyscribe.core.study import Study

BAD = Path(__file__).resolve().parent / "data" / "bad"
SPEECH = Path(__file__).resolve().parent / "data" / "speech"
SHARED_51 = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "speech"
             / "lhotse_big_buck_bunny_small_5.1ch.mp4")
sys.path.insert(0, str(BAD))
import make_bad  # noqa: E402

# What each broken file must fail with (a phrase of the problem) - the advice is checked apart.
FAILS = {
    "empty.m4a": "empty (0 bytes)",
    "meeting notes.mp4": "not an audio or video file",
    "truncated.m4a": "damaged or incomplete",
    "screen recording no audio.mp4": "no audio track",
    "zz deleted while running.m4a": "disappeared",
}
ADVICE = re.compile(r"\b(export|copy|put it back|choose|check|free some space|delete it)\b",
                    re.IGNORECASE)
NON_ASCII = "Entretien avec Zoë Ørsted – été 2024.m4a"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(*folders: Path) -> list[Path]:
    return [p for f in folders if f.exists() for p in f.rglob(f"{TEMP_PREFIX}*")]


class DeleteLater(Reporter):
    """Wraps the CLI's reporter; deletes ``victim`` as soon as the first recording starts."""

    def __init__(self, inner: Reporter, victim: Path) -> None:
        self.inner, self.victim = inner, victim

    def start(self, index: int, total: int, path: Path) -> None:
        if index == 0 and self.victim.exists():
            self.victim.unlink()
        self.inner.start(index, total, path)

    def progress(self, stage: str, fraction: float) -> None:
        self.inner.progress(stage, fraction)

    def finish(self, item) -> None:  # noqa: ANN001
        self.inner.finish(item)

    def note(self, message: str) -> None:
        self.inner.note(message)


@pytest.fixture(scope="module")
def engines(tiny_transcriber, detector):  # noqa: ANN001, ANN201
    from anonyscribe.processing import Engines

    return Engines(model="tiny.en", _transcriber=tiny_transcriber, _detector=detector)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every bad input in one folder whose name has spaces and accents."""
    root = tmp_path_factory.mktemp("corpus") / "Enregistrements équipe 5 (copie)"
    root.mkdir()
    for name in make_bad.COMMITTED:
        if name.endswith((".m4a", ".mp4", ".wav")):
            shutil.copyfile(BAD / name, root / name)
    make_bad.write_silence_wav(root / "silence 10 min.wav", 600)
    make_bad.write_audio(root / "music only.m4a", make_bad.music(), fmt="ipod", codec="aac",
                         rate=48000, bit_rate=64000)
    speech = make_bad.read_audio(SPEECH / "interview.wav")
    make_bad.write_audio(root / "six channels.m4a", make_bad.six_channels(speech), fmt="ipod",
                         codec="aac", rate=48000, layout="5.1", bit_rate=96000)
    if SHARED_51.is_file():
        shutil.copyfile(SHARED_51, root / "film 5.1.mp4")
    shutil.copyfile(SPEECH / "interview.m4a", root / NON_ASCII)
    shutil.copyfile(SPEECH / "batch_1.m4a", root / "zz deleted while running.m4a")
    return root


@pytest.fixture(scope="module")
def run(corpus: Path, engines, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    """The corpus through ``anonyscribe batch --auto``: exit code, stderr, results, files."""
    import anonyscribe.batch as batch_mod

    out = tmp_path_factory.mktemp("out") / "Anonymisé – équipe 5"
    before = {p.name: sha(p) for p in corpus.iterdir()}
    captured = {}
    real = batch_mod.run_batch

    def with_engines(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - reuse loaded models
        kwargs["engines"] = engines
        kwargs["reporter"] = DeleteLater(kwargs["reporter"], victim)
        captured["result"] = real(*args, **kwargs)
        return captured["result"]

    victim = corpus / "zz deleted while running.m4a"
    err = io.StringIO()
    batch_mod.run_batch = with_engines
    try:
        with contextlib.redirect_stderr(err):
            code = cli.main(["batch", str(corpus), "--out", str(out), "--auto",
                             "--format", "docx,txt"])
    finally:
        batch_mod.run_batch = real
    items = {i.path.name: i for i in captured["result"].items}
    return {"code": code, "stderr": err.getvalue(), "items": items, "out": out,
            "corpus": corpus, "before": before}


def _transcript(out: Path, name: str):  # noqa: ANN202
    with Study.open(default_private(out)) as study:
        (entry,) = [e for e in study.recordings.values() if e.name == name]
        return entry, study.load_transcript(entry.id) if study.has_transcript(entry.id) else None


@pytest.mark.slow
def test_every_file_got_an_answer_and_the_exit_code_says_some_failed(run) -> None:
    names = {p.name for p in run["corpus"].iterdir()} | {"zz deleted while running.m4a"}
    assert set(run["items"]) == names
    assert run["code"] == 1
    for name in FAILS:
        assert f"FAILED {run['corpus'] / name}" in run["stderr"], run["stderr"]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FAILS))
def test_broken_file_fails_with_a_clear_message(run, name: str) -> None:
    item = run["items"][name]
    assert item.status == "failed", (item.status, item.message)
    assert name in item.message, item.message
    assert FAILS[name] in item.message, item.message
    assert ADVICE.search(item.message), f"no advice in: {item.message}"
    assert item.outputs == []


@pytest.mark.slow
def test_the_rest_of_the_batch_is_done(run) -> None:
    done = {n for n, i in run["items"].items() if i.status == "done"}
    assert done == set(run["items"]) - set(FAILS), {n: i.message for n, i in run["items"].items()}
    written = set()
    for name in done:
        outputs = run["items"][name].outputs
        assert sorted(p.suffix for p in outputs) == [".docx", ".txt"], (name, outputs)
        for p in outputs:
            assert p.parent == run["out"] and p.is_file()
            written.add(p.name)
            if p.suffix == ".docx":
                docx.Document(str(p))  # opens: complete
            else:
                p.read_text(encoding="utf-8-sig")
    on_disk = {p.name for p in run["out"].iterdir() if p.is_file()}
    assert on_disk == written, "files in the output folder that no finished recording wrote"


@pytest.mark.slow
def test_nothing_half_written_and_originals_untouched(run) -> None:
    assert temporaries(run["out"], run["corpus"]) == []
    after = {p.name: sha(p) for p in run["corpus"].iterdir()}
    expected = {k: v for k, v in run["before"].items() if k != "zz deleted while running.m4a"}
    assert after == expected
    with Study.open(default_private(run["out"])) as study:
        failed = {e.name: e.error for e in study.recordings.values() if e.status == "failed"}
        for name in set(FAILS) - {"zz deleted while running.m4a"}:
            assert name in failed and name in failed[name]
        for rid in study.recordings:
            if study.has_findings(rid):
                study.load_findings(rid)  # every saved review file reads back


@pytest.mark.slow
@pytest.mark.parametrize("name", ["silence 10 min.wav", "music only.m4a", "short 0.3s.wav"])
def test_no_speech_gives_an_empty_transcript(run, name: str) -> None:
    """Voice detection keeps Whisper from inventing words over silence and music."""
    entry, transcript = _transcript(run["out"], name)
    assert entry.status == "exported"
    words = " ".join(s.text for s in transcript.segments).split()
    assert len(words) <= 3, words
    if name.startswith("silence"):
        assert abs(entry.duration - 600) < 1


@pytest.mark.slow
@pytest.mark.parametrize("name", ["six channels.m4a", "phone 8k.wav", NON_ASCII])
def test_unusual_but_valid_audio_is_transcribed(run, name: str) -> None:
    """5.1 (voice on the centre channel), 8 kHz mu-law and a non-ASCII path all give words."""
    _entry, transcript = _transcript(run["out"], name)
    text = " ".join(s.text for s in transcript.segments).lower()
    assert "rachel" in text or "morgan" in text, text


@pytest.mark.slow
def test_other_language_does_not_crash(run) -> None:
    """French fed to the English model: garbage words at worst, never a crash (see
    docs/privacy.md: choose a multilingual model and the language for such interviews)."""
    assert run["items"]["french.m4a"].status == "done"


@pytest.mark.slow
def test_english_only_model_refuses_another_language(tmp_path: Path, capsys) -> None:
    rec = tmp_path / "entretien.m4a"
    shutil.copyfile(BAD / "french.m4a", rec)
    code = cli.main(["batch", str(rec), "--out", str(tmp_path / "o"), "--model", "tiny.en",
                     "--language", "fr", "--speakers", "none"])
    err = capsys.readouterr().err
    assert code == 2
    assert "English only" in err and "multilingual" in err


# --- faults -------------------------------------------------------------------------------------

@pytest.fixture
def three(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["1 first.m4a", "2 second.mp3", "3 third.wav"]
    for src, name in zip(("batch_1.m4a", "batch_2.mp3", "interview.wav"), names, strict=True):
        shutil.copyfile(SPEECH / src, folder / name)
    return [folder / n for n in names]


class FullDiskWhile(Reporter):
    """The disk fills up when recording ``index`` starts and is freed when the next starts."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.full = False

    def start(self, index: int, total: int, path: Path) -> None:
        self.full = index == self.index


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name the file")
def test_full_disk_fails_one_recording_cleanly_and_resumes(tmp_path: Path, three, engines,
                                                           monkeypatch) -> None:
    """ENOSPC on every flush under the work folder while recording 2 is being processed."""
    out = tmp_path / "out"
    disk = FullDiskWhile(index=1)
    real_fsync = os.fsync
    hits = []

    def fsync(fd: int) -> None:
        target = os.readlink(f"/proc/self/fd/{fd}")
        if disk.full and target.startswith(str(tmp_path)):
            hits.append(target)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = run_batch(three, out, options=BatchOptions(auto=True), engines=engines, reporter=disk)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert hits, "the simulated fault never fired"
    status = [i.status for i in result.items]
    assert status == ["done", "failed", "done"], [i.message for i in result.items]
    message = result.items[1].message
    assert "2 second.mp3" in message and "disk is full" in message
    assert "Free some space" in message
    written = re.search(r"\(writing (?:in )?(.+?)\)", message)
    assert written and Path(written.group(1)).resolve() != three[1].resolve(), message
    assert written.group(1) in hits or Path(written.group(1)).exists(), (message, hits)
    assert temporaries(tmp_path) == []
    assert not [p for p in out.iterdir() if p.name.startswith("2")], "output of the failed one"
    # The study's own files are whole (each save is all-or-nothing) and it resumes.
    with Study.open(default_private(out)) as study:
        assert [e.status for e in study.recordings.values()].count("exported") == 2
    again = run_batch(three, out, options=BatchOptions(auto=True), engines=engines)
    assert [i.status for i in again.items] == ["done"] * 3
    assert [("Already exported" in i.message) for i in again.items] == [True, False, True]


@pytest.fixture
def read_only_folder(tmp_path: Path, monkeypatch) -> Path:
    """A folder nobody may write to: really (chmod) when not root; as root, where chmod does
    not stop writes, by failing file creation in it with EACCES, as the OS would."""
    folder = tmp_path / "read-only share"
    folder.mkdir()
    folder.chmod(0o555)
    probe = folder / "probe"
    try:
        probe.write_text("x")
    except PermissionError:
        yield folder
    else:
        probe.unlink()
        real_mkstemp = tempfile.mkstemp

        def mkstemp(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            where = Path(kwargs.get("dir") or (args[2] if len(args) > 2 else "."))
            if where.resolve() == folder.resolve():
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES),
                                      str(folder / f"{TEMP_PREFIX}x"))
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        yield folder
    folder.chmod(0o755)


def test_read_only_output_folder_is_refused_before_any_work(tmp_path: Path, three,
                                                             read_only_folder: Path,
                                                             capsys) -> None:
    code = cli.main(["batch", str(three[0].parent), "--out", str(read_only_folder),
                     "--private", str(tmp_path / "study"), "--auto"])
    err = capsys.readouterr().err
    assert code == 2
    assert str(read_only_folder) in err and "Choose a folder you can write to" in err
    assert "Traceback" not in err
    with Study.open(tmp_path / "study") as study:
        assert not any(study.has_transcript(r) for r in study.recordings)
    assert list(read_only_folder.iterdir()) == []


# --- damaged saved state --------------------------------------------------------------------------

@pytest.mark.slow
def test_corrupt_review_file_fails_that_recording_and_deleting_it_recovers(
        tmp_path: Path, three, engines) -> None:
    out, private = tmp_path / "out", tmp_path / "study"
    first = run_batch(three[:2], out, private, engines=engines)  # review mode
    assert [i.status for i in first.items] == ["review", "review"]
    with Study.open(private) as study:
        rid = next(e.id for e in study.recordings.values() if e.name == "1 first.m4a")
        findings = study.folder(rid) / "findings.json"
        transcript = study.folder(rid) / "transcript.json"
    shutil.copyfile(BAD / "corrupt findings.json", findings)
    stamp = transcript.stat().st_mtime_ns

    second = run_batch(three[:2], out, private, BatchOptions(auto=True), engines=engines)
    bad, good = second.items
    assert (bad.status, good.status) == ("failed", "done"), good.message
    assert "1 first.m4a" in bad.message and str(findings) in bad.message
    assert "delete it" in bad.message
    assert temporaries(out, private) == []

    findings.unlink()  # follow the advice
    third = run_batch(three[:2], out, private, BatchOptions(auto=True), engines=engines)
    assert [i.status for i in third.items] == ["done", "done"]
    assert transcript.stat().st_mtime_ns == stamp, "the transcript was redone"


def test_corrupt_study_file_is_a_clear_error(tmp_path: Path, three, capsys) -> None:
    private = tmp_path / "study"
    with Study.open(private) as study:
        study.save()
    (private / "study.json").write_text('{"schema_version": 1, "recordings": [{"id": "rec-',
                                        encoding="utf-8")
    code = cli.main(["batch", str(three[0]), "--out", str(tmp_path / "o"), "--private",
                     str(private)])
    err = capsys.readouterr().err
    assert code == 2
    assert str(private / "study.json") in err and "Restore it from a backup" in err
    assert "Traceback" not in err


# --- the independent bad-input corpus (issue 14): every case a clear message ---------------------

TERMS = ["police", "Zoë Ørsted", "PERSON: Siobhán Ní Bhriain", "# a comment", "", "St James's"]
EXPECTED_TERMS = ["police", "Zoë Ørsted", "PERSON: Siobhán Ní Bhriain", "St James's"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
LINE_ENDS = ["\n", "\r\n", "\r"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("newline", LINE_ENDS, ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("trailing", [True, False])
def test_term_files_read_the_same_in_every_encoding(tmp_path: Path, encoding: str,
                                                   newline: str, trailing: bool) -> None:
    """Notepad's UTF-8 with a BOM, its "Unicode" (UTF-16), Mac and Windows line ends: the
    same terms, the first one included (a BOM once made it "\\ufeffpolice", never matched)."""
    from anonyscribe.core.textfile import read_terms

    text = newline.join(TERMS) + (newline if trailing else "")
    path = tmp_path / "always.txt"
    path.write_bytes(text.encode(encoding))
    assert read_terms(path) == EXPECTED_TERMS


def _docx_bytes(tmp_path: Path) -> bytes:
    d = docx.Document()
    d.add_paragraph("police")
    d.save(str(tmp_path / "terms.docx"))
    return (tmp_path / "terms.docx").read_bytes()


BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "random": bytes((i * 7919 + 13) % 256 for i in range(3000)),
    "nul-padded": b"police\x00\x00\x00\x00\x01\x02\x03\x04\x05court",
}


@pytest.mark.parametrize("kind", [*BINARY, "docx"])
@pytest.mark.parametrize("option", ["--vocabulary", "--always", "--never"])
def test_binary_term_file_is_refused_with_a_message(tmp_path: Path, kind: str, option: str,
                                                     capsys) -> None:
    path = tmp_path / f"{kind} terms.txt"
    path.write_bytes(_docx_bytes(tmp_path) if kind == "docx" else BINARY[kind])
    code = cli.main(["batch", str(tmp_path / "none.wav"), "--out", str(tmp_path / "o"),
                     option, str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert str(path) in err and "not a text file" in err and "plain-text file" in err
    assert "Traceback" not in err


def test_term_file_in_an_8_bit_code_page_gets_advice(tmp_path: Path, capsys) -> None:
    path = tmp_path / "never.txt"
    path.write_bytes("Zoë\r\nSiobhán\r\n".encode("cp1252"))
    code = cli.main(["batch", str(tmp_path / "none.wav"), "--out", str(tmp_path / "o"),
                     "--never", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and str(path) in err and "Save it as UTF-8" in err


def test_bom_term_list_reaches_the_study_whole(tmp_path: Path, capsys) -> None:
    always, vocabulary = tmp_path / "always.txt", tmp_path / "vocabulary.txt"
    always.write_bytes("police\r\nPERSON: Zoë Ørsted\r\n".encode("utf-8-sig"))
    vocabulary.write_bytes("Ørsted\r\nSiobhán\r\n".encode("utf-16"))
    out, private = tmp_path / "o", tmp_path / "study"
    code = cli.main(["batch", str(tmp_path / "none.wav"), "--out", str(out), "--private",
                     str(private), "--always", str(always), "--vocabulary", str(vocabulary)])
    assert code == 1  # no recording found, but the lists were read
    with Study.open(private) as study:
        assert study.terms.always == [{"text": "police", "type": "OTHER"},
                                      {"text": "Zoë Ørsted", "type": "PERSON"}]
        assert study.settings.vocabulary == ["Ørsted", "Siobhán"]


def test_detect_on_text_that_is_not_utf8_gives_advice(tmp_path: Path, capsys) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("Interview with Zoë at St James’s".encode("cp1252"))
    assert cli.main(["detect", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Save it as UTF-8" in err and "Notepad" in err


# Valid JSON of the wrong shape, for each study file: exit 2 naming the file, no traceback.
WRONG_SHAPES = {
    "study.json": ["[]", "null", "1", '"x"', '{"recordings": {}}', '{"recordings": [1]}',
                   '{"recordings": [{"id": "rec-1"}]}', '{"settings": []}',
                   '{"settings": {"colour": "red"}}', '{"settings": {"language": 5}}',
                   '{"settings": {"recording_kind": "podcast"}}',
                   '{"recordings": [{"id": "rec-1", "name": "a.wav", "path": "/a.wav", '
                   '"duration": "long"}]}', '{"schema_version": "one"}'],
    "register.json": ["[]", "null", '{"entries": {}}', '{"entries": [{"type": "PERSON"}]}',
                      '{"counters": []}',
                      '{"entries": [{"type": "PERSON", "key": "x", "frozen": "yes"}]}'],
    "terms.json": ["[]", '{"always": ["police"]}', '{"never": [1]}', '{"always": {}}'],
}
CASES = [(f, c) for f, shapes in WRONG_SHAPES.items() for c in shapes]


def _study_with(tmp_path: Path, name: str, content: str) -> Path:
    private = tmp_path / "study"
    with Study.open(private) as study:
        study.save()
        study.save_register()
        study.save_terms()
    (private / name).write_text(content, encoding="utf-8")
    return private


@pytest.mark.parametrize(("name", "content"), CASES, ids=[f"{f}={c}" for f, c in CASES])
@pytest.mark.parametrize("command", ["batch", "export"])
def test_wrong_shape_of_a_study_file_is_a_clear_error(tmp_path: Path, name: str, content: str,
                                                      command: str, capsys) -> None:
    private = _study_with(tmp_path, name, content)
    out = tmp_path / "o"
    argv = (["batch", str(tmp_path / "none.wav"), "--out", str(out), "--private", str(private)]
            if command == "batch" else ["export", "--private", str(private), "--out", str(out)])
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert str(private / name) in err and "Restore it from a backup" in err
    assert "Traceback" not in err
    assert (private / name).read_text(encoding="utf-8") == content  # left as it was


@pytest.mark.parametrize("name", ["study.json", "register.json", "terms.json"])
@pytest.mark.parametrize("ahead", [1, 97])
def test_a_study_from_a_newer_version_is_refused_not_rewritten(tmp_path: Path, name: str,
                                                               ahead: int, capsys) -> None:
    from anonyscribe.core.register import REGISTER_SCHEMA
    from anonyscribe.core.study import STUDY_SCHEMA, TERMS_SCHEMA

    current = {"study.json": STUDY_SCHEMA, "register.json": REGISTER_SCHEMA,
               "terms.json": TERMS_SCHEMA}[name]
    version = current + ahead
    private = _study_with(tmp_path, name, "{}")
    (private / name).write_text(json.dumps({"schema_version": version, "future": True}),
                                encoding="utf-8")
    before = (private / name).read_bytes()
    code = cli.main(["batch", str(tmp_path / "none.wav"), "--out", str(tmp_path / "o"),
                     "--private", str(private)])
    err = capsys.readouterr().err
    assert code == 2 and "made by a newer Anonyscribe" in err and str(private / name) in err
    assert (private / name).read_bytes() == before


@pytest.mark.parametrize("value", ["0", "-1", "1000", "two", "1.5"])
def test_impossible_number_of_speakers_is_refused_up_front(tmp_path: Path, value: str,
                                                           capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["batch", str(SPEECH / "interview.wav"), "--out", str(tmp_path / "o"),
                  "--num-speakers", value])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "number of speakers" in err and "from 1 to" in err
    assert not (tmp_path / "o-private").exists()


def test_impossible_number_of_speakers_is_refused_by_run_batch(tmp_path: Path) -> None:
    from anonyscribe.batch import OptionError

    with pytest.raises(OptionError, match="from 1 to"):
        run_batch([SPEECH / "interview.wav"], tmp_path / "o", options=BatchOptions(num_speakers=0))
    assert not (tmp_path / "o-private").exists()


def test_empty_format_list_is_refused(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["batch", str(SPEECH / "interview.wav"), "--out", str(tmp_path / "o"),
                  "--format", ""])
    assert stop.value.code == 2 and "no format given" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_odd_entries_in_a_folder_are_each_named(tmp_path: Path) -> None:
    """A named pipe (given or in a folder), a folder called x.mp4, hidden recordings: each is
    named in a note saying what it is, rather than "no such file" or nothing at all."""
    from anonyscribe.batch import collect_inputs

    folder = tmp_path / "in"
    (folder / "x.mp4").mkdir(parents=True)
    shutil.copyfile(SPEECH / "interview.wav", folder / "x.mp4" / "inside.wav")
    shutil.copyfile(SPEECH / "interview.wav", folder / ".hidden.wav")
    shutil.copyfile(SPEECH / "interview.wav", folder / "._copy.m4a")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("x")
    os.mkfifo(folder / "pipe.wav")
    os.mkfifo(tmp_path / "given.m4a")
    files, notes = collect_inputs([folder, tmp_path / "given.m4a"])
    assert files == [folder / "x.mp4" / "inside.wav"]
    said = "\n".join(notes)
    for p in (folder / "pipe.wav", tmp_path / "given.m4a"):
        assert f"Skipped {p}: not a regular file" in said
    for p in (folder / ".hidden.wav", folder / "._copy.m4a"):
        assert f"Skipped {p}: a hidden file" in said and "Rename it" in said
    assert f"{folder / 'x.mp4'} is a folder named like a recording" in said
    assert "no such file" not in said and ".git" not in said


def test_unreadable_recording_is_told_it_cannot_be_read(tmp_path: Path, monkeypatch) -> None:
    """Simulated (tests run as root, where chmod 000 does not stop reading): opening the
    recording fails with EACCES, as it would for a file of another user."""
    import anonyscribe.core.study as study_module

    rec = tmp_path / "in" / "locked.wav"
    rec.parent.mkdir()
    shutil.copyfile(SPEECH / "interview.wav", rec)

    def no_read(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if Path(path) == rec:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(study_module, "open", no_read, raising=False)
    result = run_batch([rec], tmp_path / "o", tmp_path / "study")
    (item,) = result.items
    assert item.status == "failed"
    assert "permission to read this recording" in item.message
    assert "Choose a folder you can write to" not in item.message


@pytest.mark.slow
def test_unknown_language_code_is_named_as_such(tmp_path: Path, capsys) -> None:
    code = cli.main(["batch", str(SPEECH / "interview.wav"), "--out", str(tmp_path / "o"),
                     "--model", "tiny.en", "--language", "xx", "--speakers", "none"])
    err = capsys.readouterr().err
    assert code == 2 and "Unknown language code 'xx'" in err and "English only" not in err


@pytest.mark.slow
@pytest.mark.parametrize("bad", [["--model", "nonexistent"], ["--language", "fr"]],
                         ids=["model", "language"])
def test_failed_settings_are_not_saved(tmp_path: Path, bad: list[str], capsys) -> None:
    private = tmp_path / "study"
    with Study.open(private) as study:
        study.settings.model, study.settings.language = "tiny.en", "en"
        study.save()
    code = cli.main(["batch", str(SPEECH / "interview.wav"), "--out", str(tmp_path / "o"),
                     "--private", str(private), "--speakers", "none", "--model", "tiny.en",
                     *bad])
    assert code == 2, capsys.readouterr().err
    with Study.open(private) as study:
        assert (study.settings.model, study.settings.language) == ("tiny.en", "en")


# --- a real full disk (a 2 MB file system of its own) ---------------------------------------------

FULL_DISK = r"""
import contextlib, io, json, os, sys
from pathlib import Path
from anonyscribe import cli

disk, recording, where = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
free_kb = int(sys.argv[4])
out = disk / "out"
private = (disk if where == "both" else Path(sys.argv[5])) / "study"
out.mkdir()
filler = disk / "filler.bin"
st = os.statvfs(disk)
filler.write_bytes(b"\0" * max(0, st.f_bavail * st.f_frsize - free_kb * 1024))

def run():
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["batch", str(recording), "--out", str(out), "--private", str(private),
                         "--auto", "--format", "txt,docx", "--model", "tiny.en",
                         "--speakers", "none"])
    return code, err.getvalue(), sorted(p.name for p in out.iterdir())

first = run()
filler.unlink()
second = run()
print(json.dumps({"first": first, "second": second}))
"""


def _unshare_works() -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || "
                            "mount -t tmpfs -o size=1m tmpfs /tmp"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _unshare_works(), reason="needs unshare to mount a small tmpfs")
@pytest.mark.parametrize(("where", "free_kb"), [("both", 8), ("both", 28), ("both", 48),
                                                ("both", 72), ("out", 16)])
def test_a_really_full_disk(tmp_path: Path, where: str, free_kb: int,
                            isolated_cache: Path) -> None:
    """A 2 MB disk filled to ``free_kb`` (the study on it too, or only the output folder):
    the failure names the file being written, prints no traceback (no ZipFile.__del__), leaves
    no anonymised file of the failed recording in OUT; after freeing space the re-run writes
    each file once, under its own name (no "good-2.txt")."""
    disk = tmp_path / "disk"
    disk.mkdir()
    recording = tmp_path / "good.wav"
    shutil.copyfile(SPEECH / "interview.wav", recording)
    script = ('mount -t tmpfs -o size=2m tmpfs "$1" && exec "$2" -c "$3" "$1" "$4" "$5" "$6" '
              '"$7"')
    env = {**os.environ, "ANONYSCRIBE_CACHE_DIR": str(isolated_cache),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(disk),
                           sys.executable, FULL_DISK, str(recording), where, str(free_kb),
                           str(tmp_path)], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = json.loads(proc.stdout.strip().splitlines()[-1])
    (code1, err1, listing1), (code2, err2, listing2) = runs["first"], runs["second"]
    for text in (err1, err2, proc.stderr):
        assert "Traceback" not in text and "Exception ignored" not in text, text
    if code1 != 0:  # the disk was full somewhere: said clearly, nothing of it in OUT
        assert "disk is full" in err1 and "Free some space" in err1, err1
        named = re.search(r"disk is full \(writing (?:in )?(.+?)\)", err1)
        assert named and named.group(1).startswith(str(disk)), err1
        assert str(recording) not in named.group(1)
        assert listing1 == [], listing1
    print(f"free {free_kb} KB, study on the small disk: {where == 'both'}: {err1}")
    assert code2 == 0, err2
    assert listing2 == ["good.docx", "good.txt"], listing2


# --- a finished study, damaged or asked for more --------------------------------------------

@pytest.fixture(scope="module")
def quiet_engines(tiny_transcriber, detector):  # noqa: ANN001, ANN201
    from anonyscribe.processing import Engines

    return Engines(model="tiny.en", speakers="none", _transcriber=tiny_transcriber,
                   _detector=detector)


@pytest.fixture(scope="module")
def finished_template(tmp_path_factory: pytest.TempPathFactory, quiet_engines) -> Path:
    """Two recordings through ``batch --auto --format docx,txt``, done once for the module."""
    root = tmp_path_factory.mktemp("finished")
    (root / "in").mkdir()
    for src, name in (("batch_1.m4a", "1 first.m4a"), ("batch_2.mp3", "2 second.mp3")):
        shutil.copyfile(SPEECH / src, root / "in" / name)
    result = run_batch(sorted((root / "in").iterdir()), root / "out", root / "study",
                       BatchOptions(auto=True, formats=["docx", "txt"]),
                       engines=quiet_engines)
    assert [i.status for i in result.items] == ["done", "done"]
    return root


@pytest.fixture
def finished(finished_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(finished_template, root)
    return root


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _rerun(root: Path, engines, formats=("docx", "txt")):  # noqa: ANN001, ANN202
    return run_batch(sorted((root / "in").iterdir()), root / "out", root / "study",
                     BatchOptions(auto=True, formats=list(formats)), engines=engines)


@pytest.mark.slow
def test_rerun_after_study_json_was_deleted_writes_no_duplicates(finished: Path,
                                                                 quiet_engines) -> None:
    before = _listing(finished / "out")
    assert len(before) == 4
    (finished / "study" / "study.json").unlink()
    again = _rerun(finished, quiet_engines)
    assert [i.status for i in again.items] == ["done", "done"], [i.message for i in again.items]
    assert _listing(finished / "out") == before  # the same names, no "-2" copies


@pytest.mark.slow
def test_rerun_with_new_formats_writes_them(finished: Path, quiet_engines) -> None:
    before = _listing(finished / "out")
    again = _rerun(finished, quiet_engines, formats=("srt", "vtt"))
    assert [i.status for i in again.items] == ["done", "done"]
    assert not any("Already exported" in i.message for i in again.items)
    after = _listing(finished / "out")
    stems = {Path(n).stem for n in before}
    assert after == sorted(before + [f"{s}{x}" for s in stems for x in (".srt", ".vtt")])
    with Study.open(finished / "study") as study:
        for entry in study.recordings.values():
            assert sorted(Path(p).suffix for p in entry.exported) == [".docx", ".srt", ".txt",
                                                                       ".vtt"]
    same = _rerun(finished, quiet_engines, formats=("vtt",))
    assert all("Already exported" in i.message for i in same.items)


def _drop_transcript(root: Path, name: str) -> tuple[str, str]:
    """Reject one finding of ``name``, then delete its transcript; returns (id, finding id)."""
    from anonyscribe.core.model import Decision

    with Study.open(root / "study") as study:
        entry = next(e for e in study.recordings.values() if e.name == name)
        findings = study.load_findings(entry.id)
        assert findings, "the fixture recording has no finding to decide"
        findings[0].decision = Decision.REJECTED
        study.save_findings(entry.id, findings)
        (study.folder(entry.id) / "transcript.json").unlink()
        return entry.id, findings[0].id


@pytest.mark.slow
def test_export_with_a_lost_transcript_names_it_and_exports_the_others(finished: Path,
                                                                       capsys) -> None:
    _drop_transcript(finished, "1 first.m4a")
    fresh = finished / "fresh out"
    code = cli.main(["export", "--private", str(finished / "study"), "--out", str(fresh),
                     "--format", "txt"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "FAILED 1 first.m4a" in err and "transcript.json is missing" in err
    assert "Run the batch again" in err and "Traceback" not in err
    assert "2 second.mp3: exported 1 file(s)" in err
    assert len(_listing(fresh)) == 1


@pytest.mark.slow
def test_batch_brings_a_lost_transcript_back_and_keeps_the_decisions(finished: Path,
                                                                     quiet_engines) -> None:
    from anonyscribe.core.model import Decision

    before = _listing(finished / "out")
    rec_id, rejected = _drop_transcript(finished, "1 first.m4a")
    again = _rerun(finished, quiet_engines)
    first = again.items[0]
    assert first.status == "done", first.message
    assert "transcribed again" in first.message, first.message
    assert re.search(r"(\d+) of \1 earlier decision\(s\) carried over", first.message)
    with Study.open(finished / "study") as study:
        assert study.has_transcript(rec_id)
        decisions = {f.id: f.decision for f in study.load_findings(rec_id)}
        kept = study.recordings[rec_id].notes  # the note survives the study being closed
    assert decisions[rejected] is Decision.REJECTED
    assert any("transcribed again" in n for n in kept), kept
    assert _listing(finished / "out") == before


# --- speech the recogniser wrote no words for ---------------------------------------------------

def _covered(a: float, b: float, intervals: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(b, e) - max(a, s)) for s, e in intervals)


@pytest.mark.parametrize("seed", range(300))
def test_unheard_stretches_are_exactly_the_long_voiced_ones_without_words(seed: int) -> None:
    """Generated voice and word times: every stretch found is voiced, holds no word, has
    at least the minimum of voice; every long enough voiced piece without words is found."""
    import random

    from anonyscribe.transcribe.coverage import JOIN_S, MIN_UNHEARD_S, WORD_PAD_S, unheard

    rng = random.Random(seed)
    voiced, words, t = [], [], 0.0
    for _ in range(rng.randint(1, 12)):
        t += rng.uniform(0.1, 6.0)
        start, t = t, t + rng.uniform(0.5, 40.0)
        voiced.append((start, t))
        at = start
        while rng.random() < 0.8:  # some words in this voiced run, some long gaps
            at += rng.uniform(0.0, 15.0)
            if at >= t:
                break
            words.append((at, min(t, at + rng.uniform(0.1, 0.8))))
            at = words[-1][1]
    found = unheard(voiced, words)
    padded = [(a - WORD_PAD_S, b + WORD_PAD_S) for a, b in words]
    assert found == sorted(found)
    for i, (s, e) in enumerate(found):
        assert _covered(s, e, padded) == pytest.approx(0.0, abs=1e-9), (s, e)
        assert _covered(s, e, voiced) >= MIN_UNHEARD_S - 1e-9
        assert i + 1 == len(found) or found[i + 1][0] - e >= JOIN_S - 1e-9
    # completeness: a voiced piece of MIN_UNHEARD_S with no padded word is inside a stretch
    for vs, ve in voiced:
        edges = sorted({vs, ve, *[x for w in padded for x in w if vs < x < ve]})
        for a, b in zip(edges, edges[1:], strict=False):
            if b - a >= MIN_UNHEARD_S and _covered(a, b, padded) == 0:
                assert any(s <= a + 1e-9 and b <= e + 1e-9 for s, e in found), (a, b, found)


def test_no_marker_where_words_cover_the_voice() -> None:
    from anonyscribe.transcribe.coverage import clock, marker_text, unheard

    assert unheard([(0, 60)], [(t, t + 0.4) for t in range(0, 60, 3)]) == []
    assert unheard([(0, 7.5)], []) == []  # shorter than the minimum
    assert marker_text(54.2, 84.4) == "[no transcript 00:54–01:24]"
    assert clock(3723) == "1:02:03"


class DropsSpeech:
    """The fault: the recogniser writes nothing for ``window`` (as Whisper did for 90 s of a
    3-minute clip); everything else is the real model's transcript."""

    def __init__(self, inner, window: tuple[float, float]) -> None:  # noqa: ANN001
        self.inner, self.window = inner, window
        self.vocabulary = inner.vocabulary  # the pipeline sets hotwords per recording

    def transcribe(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        before, self.inner.vocabulary = self.inner.vocabulary, self.vocabulary
        try:
            transcript = self.inner.transcribe(*args, **kwargs)
        finally:
            self.inner.vocabulary = before
        a, b = self.window
        transcript.segments = [s for s in transcript.segments
                               if not a <= (s.start + s.end) / 2 <= b]
        for i, seg in enumerate(transcript.segments):
            seg.id = i
        return transcript


@pytest.mark.slow
def test_speech_without_words_is_marked_in_review_and_exports_and_counted(
        tmp_path: Path, long_speech: Path, tiny_transcriber, detector, capsys) -> None:
    import anonyscribe.batch as batch_mod
    from anonyscribe.processing import Engines
    from anonyscribe.review.session import ReviewSession

    rec = tmp_path / "in" / "long interview.wav"
    rec.parent.mkdir()
    shutil.copyfile(long_speech, rec)
    out, private = tmp_path / "out", tmp_path / "study"
    window = (4.0, 26.0)
    engines = Engines(model="tiny.en", speakers="none", _detector=detector,
                      _transcriber=DropsSpeech(tiny_transcriber, window))
    real = batch_mod.run_batch

    def with_engines(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return real(*args, **{**kwargs, "engines": engines})

    batch_mod.run_batch = with_engines
    try:
        code = cli.main(["batch", str(rec), "--out", str(out), "--private", str(private),
                         "--auto", "--format", "txt"])
    finally:
        batch_mod.run_batch = real
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Speech without words: 1 stretch(es) in 1 recording(s)" in err, err
    markers = re.findall(r"\[no transcript (\d\d):(\d\d)–(\d\d):(\d\d)\]",
                         (out / "long_interview.txt").read_text(encoding="utf-8-sig"))
    assert len(markers) == 1, markers
    m1, s1, m2, s2 = map(int, markers[0])
    start, end = m1 * 60 + s1, m2 * 60 + s2
    assert window[0] - 4 <= start and end <= window[1] + 4 and end - start >= 8
    with Study.open(private) as study:
        (entry,) = study.recordings.values()
        session = ReviewSession(study, entry.id)
        shown = [s for s in session.transcript.segments if s.unheard]
        assert len(shown) == 1 and shown[0].text.startswith("[no transcript ")
