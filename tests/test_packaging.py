"""Packaging: what the installers must contain, the licence notices, and the bundled-model lookup.

The cheap checks run in every CI run. The real build (PyInstaller + offline smoke test of the
frozen app, 5-15 minutes) runs only with ANONYSCRIBE_BUILD_BUNDLE=1.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml

from anonyscribe import licences
from anonyscribe.transcribe import models as M

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
sys.path.insert(0, str(PACKAGING))

import bundle_data as bd  # noqa: E402
import launcher  # noqa: E402
import smoke_test  # noqa: E402

SPEC = (PACKAGING / "anonyscribe.spec").read_text(encoding="utf-8")


# --- what the spec ships -------------------------------------------------------------------------

def test_every_resource_folder_is_shipped_or_left_out_on_purpose() -> None:
    folders = {p.name for p in (ROOT / "resources").iterdir() if p.is_dir()}
    decided = set(bd.RESOURCE_DIRS) | set(bd.RESOURCES_LEFT_OUT)
    assert folders <= decided, f"resources/{sorted(folders - decided)}: add to bundle_data.py"
    shipped = dict((Path(src).name, dest) for src, dest in bd.resource_datas())
    for name in bd.RESOURCE_DIRS:
        assert shipped[name] == f"resources/{name}"
        assert f"resources/{name}/" in SPEC, f"the spec's header should list resources/{name}/"
    assert shipped["detection.toml"] == "resources"
    assert "bd.resource_datas()" in SPEC


def test_every_model_and_model_package_is_bundled() -> None:
    manifest = M.load_manifest(ROOT / "models" / "manifest.toml")
    assert set(manifest.names()) == set(bd.BUNDLED_MODELS)
    modules = {p.module for spec in manifest.models.values() for p in spec.packages}
    assert modules == set(bd.MODEL_PACKAGES)
    assert set(bd.MODEL_PACKAGES) <= set(bd.EXCLUDES)  # shipped assembled, not as packages
    assert "bd.verified_models(" in SPEC
    for name in bd.BUNDLED_MODELS:
        assert f"models/{name}/" in SPEC
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for spec in manifest.models.values():
        for pkg in spec.packages:
            assert pkg.pip in [p.replace("_", "-") for p in pins], f"{pkg.pip} not pinned"


def test_spacy_model_and_data_packages_match_the_app() -> None:
    config = tomllib.loads((ROOT / "resources" / "detection.toml").read_text())
    assert config["engine"]["spacy_model"] == bd.SPACY_MODEL
    for pkg in ("faster_whisper", "presidio_analyzer", "tldextract", bd.SPACY_MODEL):
        assert pkg in bd.DATA_PACKAGES
    assert bd.SPACY_MODEL in bd.METADATA_PACKAGES  # spacy.load finds it by distribution
    for never in ("pytest", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore",
                  "PySide6.QtPdf", "PySide6.QtQuick3D", "torchvision", "torch._inductor"):
        assert never in bd.EXCLUDES


def _excluded(module: str) -> bool:
    return any(module == e or module.startswith(e + ".") for e in bd.EXCLUDES)


# diarize.py and the modules of its stages (``speakers.diarize``'s own imports)
DIARIZER_MODULES = ("diarize", "settings", "spans", "features", "pool", "front", "voiceprints",
                    "sparse", "geometry", "timeline", "clustering", "owners")


def _diarizer_imports() -> set[str]:
    """Every module the diarizer (diarize.py and the stage modules split out of it) imports
    (lazily or not), and those speakers/ looks for."""
    speakers = ROOT / "desktop" / "anonyscribe" / "speakers"
    found: set[str] = set()
    for name in DIARIZER_MODULES:
        tree = ast.parse((speakers / f"{name}.py").read_text(encoding="utf-8"))
        found |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        found |= {n.module for n in ast.walk(tree)
                  if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}
    init = (speakers / "__init__.py").read_text(encoding="utf-8")
    looked_for = re.search(r'for mod in \(([^)]*)\):\s*\n\s*if importlib\.util\.find_spec', init)
    assert looked_for, "diarization_available() no longer lists its packages; update this test"
    found |= set(re.findall(r'"(\w+)"', looked_for.group(1)))
    return found - {"numpy", "functools", "threading", "time", "collections.abc", "dataclasses",
                    "__future__", "contextlib", "os", "collections", "concurrent.futures",
                    "typing"}


def test_the_diarizer_is_bundled_not_excluded() -> None:
    """Speaker diarization ships in the installers: nothing it imports is left out."""
    needed = _diarizer_imports()
    assert {"torch", "senko.camplusplus", "kaldi_native_fbank", "silero_vad"} <= needed
    for module in needed | set(bd.DIARIZER_IMPORTS):
        assert not _excluded(module), f"{module} is excluded from the bundle"
    tops = {m.split(".")[0] for m in bd.DIARIZER_IMPORTS}
    assert {m.split(".")[0] for m in needed} <= tops, "add the diarizer's imports to bundle_data"
    for dep in ("sklearn", "scipy", "numba", "llvmlite", "umap", "hdbscan", "einops",
                "asteroid_filterbanks"):  # senko's own imports on the way
        assert dep in tops and not _excluded(dep)
    assert "*bd.DIARIZER_IMPORTS" in SPEC and "bd.SOURCE_PACKAGES" in SPEC
    assert bd.SOURCE_PACKAGES["senko"] == "pyz+py"  # offline.py patches senko.config's source
    # numba's cache locator needs real source paths, or it makes ~/.cache/numba
    assert bd.SOURCE_PACKAGES["umap"] == bd.SOURCE_PACKAGES["pynndescent"] == "py"
    assert 'collect_data_files("senko")' in SPEC and "bd.keep_senko_file(" in SPEC
    assert 'collect_data_files("silero_vad", includes=list(bd.SILERO_FILES))' in SPEC


def test_senko_ships_the_weights_the_diarizer_loads_and_no_others() -> None:
    for needed in ("senko/models/pyannote_segmentation_3.0/senko_vad.pt",
                   "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/"
                   "campplus_cn_en_common.pt",
                   "senko/models/README.md", "senko/cluster/conf/spectral.yaml",
                   "senko/libfbank_extractor.so", "senko/libfbank_extractor.dylib",
                   "senko/fbank_extractor.pyd"):  # senko.config needs it beside models/
        assert bd.keep_senko_file(needed), needed
    for unused in ("senko/models/camplusplus_traced_cuda_optimized.pt",
                   "senko/models/pyannote_segmentation_3.0/pytorch_model.bin",
                   "senko/models/camplusplus_batch16.mlpackage/Manifest.json",
                   r"senko\models\pyannote_segmentation.mlmodelc\weights\weight.bin",
                   "senko/libvad_coreml.dylib"):
        assert not bd.keep_senko_file(unused), unused
    assert set(bd.SILERO_FILES) == {"data/silero_vad.jit", "data/silero_vad.onnx"}


def test_torch_tests_tools_and_headers_are_dropped_and_its_code_kept() -> None:
    for dropped in ("torch/bin/protoc", "torch/test/atest", "torch/include/ATen/ATen.h",
                    "torch/share/cmake/Torch/TorchConfig.cmake", "torch/lib/libtorchbind_test.so",
                    "torch/lib/libjitbackend_test.so", r"torch\lib\aoti_custom_ops.dll",
                    "torch/_inductor/codegen/cpp_prefix.h", "torch/_dynamo/config.py"):
        assert not (bd.keep_binary(dropped) and bd.keep_data(dropped)), dropped
    for kept in ("torch/lib/libtorch_cpu.so", "torch/lib/libgomp.so.1", "torch/lib/c10.dll",
                 "torch/_C.cpython-311-x86_64-linux-gnu.so"):
        assert bd.keep_binary(kept), kept
    for kept in ("torch/nn/modules/conv.py", "torch/utils/data/dataloader.py",
                 "torch/_export/serde/schema.yaml", "senko/config.py"):
        assert bd.keep_data(kept), kept


@pytest.mark.slow
@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("torch", "senko")),
                    reason="the diarizer is not installed here")
def test_excluded_modules_are_not_used_by_the_diarizer(tmp_path: Path) -> None:
    """Run the diarizer on the sample as the frozen app would (numba JIT off) and check that
    nothing the spec leaves out was imported (the smoke test proves it on the real bundle)."""
    sample = next((ROOT / "resources" / "sample").glob("*.mp4"))
    code = (
        "import sys, json\n"
        "import anonyscribe.offline\n"
        "from anonyscribe.media import decode\n"
        "from anonyscribe.speakers import diarization_available\n"
        "from anonyscribe.speakers.diarize import diarize\n"
        "assert diarization_available()\n"
        f"found = diarize(decode({str(sample)!r}), None)\n"
        "print(json.dumps({'speakers': found.speakers, 'modules': sorted(sys.modules)}))\n")
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1", "HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(result["speakers"]) >= 2
    used = [m for m in result["modules"] if _excluded(m)]
    assert not used, f"the diarizer imported modules the bundle leaves out: {used[:10]}"


def test_frozen_app_runs_numba_without_its_jit(tmp_path: Path) -> None:
    hook = PACKAGING / "rthook_frozen.py"
    assert 'runtime_hooks=[str(ROOT / "packaging" / "rthook_frozen.py")]' in SPEC
    code = f"exec(open({str(hook)!r}).read()); import os; print(os.environ['NUMBA_DISABLE_JIT'])"
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_DISABLE_JIT"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "1"


def test_unused_qt_plugins_are_dropped_and_needed_ones_kept() -> None:
    assert not bd.keep_binary("PySide6/Qt/plugins/platforminputcontexts/"
                              "libqtvirtualkeyboardplugin.so")
    assert not bd.keep_binary(r"PySide6\Qt\plugins\networkinformation\qnlm.dll")
    for needed in ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
                   "PySide6/Qt/lib/libQt6Quick.so.6",  # the FFmpeg media plug-in needs it
                   "PySide6/Qt/plugins/platforms/libqxcb.so",
                   "ctranslate2.libs/libctranslate2-a7a60d30.so.4.8.5"):
        assert bd.keep_binary(needed)


def test_sources_and_stubs_are_not_shipped_as_data() -> None:
    assert not bd.keep_data("spacy/pipeline/dep_parser.pyx")
    assert not bd.keep_data("PySide6/QtCore.pyi")
    assert bd.keep_data("presidio_analyzer/conf/default_recognizers.yaml")
    assert bd.keep_data("faster_whisper/assets/silero_vad_v6.onnx")
    assert not bd.keep_data("torch/include/c10/core/Device.h")
    assert not bd.keep_data("torch/share/cmake/Caffe2/Caffe2Config.cmake")


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("strip") is None,
                    reason="debug info is stripped on Linux builds only")
def test_stripped_extension_module_is_smaller_and_still_imports(tmp_path: Path) -> None:
    import cymem

    pkg = Path(cymem.__file__).parent
    ext = next(pkg.glob("cymem.*.so"))
    site = tmp_path / "site"
    shutil.copytree(pkg, site / "cymem", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    toc = [(f"cymem/{ext.name}", str(ext), "EXTENSION"), ("libx.so", str(ext), "BINARY")]
    result, saved = bd.strip_debug(toc, tmp_path / "stripped")
    assert result[1] == toc[1]  # plain libraries are never touched
    stripped = Path(result[0][1])
    assert saved > 0 and stripped.stat().st_size == ext.stat().st_size - saved
    shutil.copy2(stripped, site / "cymem" / ext.name)
    code = "import cymem.cymem as c; print(c.__file__, c.Pool().size)"
    proc = subprocess.run([sys.executable, "-c", code],
                          env={**os.environ, "PYTHONPATH": str(site)}, cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(str(site)) and proc.stdout.split()[-1] == "0"


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("strip") is None,
                    reason="symbol tables are stripped on Linux builds only")
def test_named_big_libraries_lose_their_symbol_table_and_still_load(tmp_path: Path) -> None:
    """``STRIP_SYMBOLS`` (libtorch_cpu, libllvmlite, ...): --strip-unneeded keeps the dynamic
    symbols, so the library still loads; shown on an extension module renamed to one of them."""
    import cymem

    assert {"libtorch_cpu.so", "libllvmlite.so"} <= set(bd.STRIP_SYMBOLS)
    pkg = Path(cymem.__file__).parent
    ext = next(pkg.glob("cymem.*.so"))
    toc = [("torch/lib/libc10.so", str(ext), "BINARY"), ("torch/lib/libx.so", str(ext), "BINARY")]
    result, saved = bd.strip_debug(toc, tmp_path / "stripped")
    assert result[1] == toc[1]  # a library not named is never touched
    stripped = Path(result[0][1])
    assert saved > 0 and stripped.stat().st_size < ext.stat().st_size
    site = tmp_path / "site"
    shutil.copytree(pkg, site / "cymem", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    shutil.copy2(stripped, site / "cymem" / ext.name)
    proc = subprocess.run([sys.executable, "-c", "import cymem.cymem as c; print(c.Pool().size)"],
                          env={**os.environ, "PYTHONPATH": str(site)}, cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "0", proc.stderr


def test_build_scripts_pin_pyinstaller_and_cover_three_platforms() -> None:
    venv_sh = (PACKAGING / "venv.sh").read_text()
    assert 'PYINSTALLER_PIN="pyinstaller==6.22.3"' in venv_sh
    iss = (PACKAGING / "windows" / "anonyscribe.iss").read_text()
    assert "PrivilegesRequired=lowest" in iss and "{autopf}" in iss
    assert "hdiutil create" in (PACKAGING / "macos" / "make_dmg.sh").read_text()
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "build.yml").read_text())
    runners = {job["runs-on"].split("-")[0] for job in workflow["jobs"].values()}
    assert {"ubuntu", "windows", "macos"} <= runners
    for job in workflow["jobs"].values():
        assert any("upload-artifact" in str(step.get("uses", "")) for step in job["steps"])


def test_build_requirements_swap_the_qt_meta_package(tmp_path: Path) -> None:
    """venv.sh's requirement list: pyproject's pins, Qt without WebEngine, and PyInstaller."""
    out = subprocess.run(["bash", "-c", f". packaging/venv.sh && _requirements {sys.executable}"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    qt = next(r for r in project["optional-dependencies"]["gui"] if r.startswith("pyside6=="))
    version = qt.split("==")[1]
    assert f"pyside6-essentials=={version}" in out and f"pyside6-addons=={version}" in out
    assert qt not in out
    assert set(project["dependencies"]) <= set(out)
    assert "pyinstaller==6.22.3" in out


def test_build_requirements_include_the_diarizer_with_cpu_torch() -> None:
    """The installers ship speaker diarization: venv.sh installs the `diarize` extra, with
    torch's CPU build on Linux and a check that no CUDA package came along."""
    out = subprocess.run(["bash", "-c", f". packaging/venv.sh && _requirements {sys.executable}"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    diarize = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["diarize"]
    assert any(r.startswith("torch==") for r in diarize)
    assert set(diarize) <= set(out)
    venv_sh = (PACKAGING / "venv.sh").read_text()
    make_venv = venv_sh[venv_sh.index("make_build_venv() {"):]
    assert make_venv.index("_cpu_torch") < make_venv.index("-r build/requirements.txt") \
        < make_venv.index("_check_torch")
    assert "https://download.pytorch.org/whl/cpu" in venv_sh and "'+cpu\"'" in venv_sh
    assert '"nvidia-"' in venv_sh and 'endswith("+cpu")' in venv_sh


# --- licences ------------------------------------------------------------------------------------

REQUIRED = {  # component -> (licence, a phrase its notice file must contain)
    "Whisper": ("MIT", "Copyright (c) 2022 OpenAI"),
    "faster-whisper": ("MIT", "SYSTRAN"),
    "CTranslate2": ("MIT", "SYSTRAN"),
    "spaCy": ("MIT", "ExplosionAI"),
    "en_core_web_sm": ("MIT", "ExplosionAI"),
    "Presidio": ("MIT", "Permission is hereby granted"),
    "PySide6": ("LGPL v3", "GNU LESSER GENERAL PUBLIC LICENSE"),
    "Organisation Data Service": ("Open Government Licence v3.0",
                                  "Contains public sector information licensed under the Open "
                                  "Government Licence v3.0"),
    "PyAV": ("BSD 3-Clause", "Redistributions"),
    "FFmpeg": ("LGPL v2.1+", "Version 2.1"),
    "PyTorch": ("BSD 3-Clause", "From PyTorch"),
    "senko": ("MIT; Apache 2.0; MIT", "CAM++ Speaker Verification Model"),
    "kaldi-native-fbank": ("Apache 2.0", "Apache License"),
    "ONNX (speaker models": ("Apache 2.0", "Apache License"),
}


def test_licence_list_is_complete_and_every_notice_is_there() -> None:
    assert licences.missing_files() == []
    for component, (licence, phrase) in REQUIRED.items():
        matches = ([n for n in licences.NOTICES if n.component == component]
                   or [n for n in licences.NOTICES if component in n.component])
        assert len(matches) == 1, f"{component}: {matches}"
        notice = matches[0]
        assert notice.licence == licence
        assert phrase in licences.notice_text(notice)
        assert notice.url.startswith(("https://", "http://"))
    named = {f for n in licences.NOTICES for f in n.files}
    present = {p.name for p in licences.licences_dir().glob("*.txt")}
    assert present - {licences.INVENTORY_FILE} == named, "orphan or missing notice files"


def test_qt_notice_ships_the_gpl_it_refers_to() -> None:
    qt = next(n for n in licences.NOTICES if "PySide6" in n.component)
    text = licences.notice_text(qt)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "GNU GENERAL PUBLIC LICENSE" in text


def test_about_rows_are_the_notices(qapp) -> None:
    from anonyscribe.gui.about_dialog import LICENCES, AboutDialog

    assert licences.about_rows() == LICENCES
    dialog = AboutDialog()
    cells = {dialog.licences.item(r, 0).text() for r in range(dialog.licences.rowCount())}
    assert cells == {n.component for n in licences.NOTICES}
    dialog.close()


def test_licences_are_found_in_a_frozen_bundle_and_by_env(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert licences.licences_dir() == tmp_path / "resources" / "licences"
    monkeypatch.setenv("ANONYSCRIBE_RESOURCES", str(tmp_path / "elsewhere"))
    assert licences.licences_dir() == tmp_path / "elsewhere" / "licences"


def test_a_missing_notice_is_named(tmp_path: Path) -> None:
    assert set(licences.missing_files(tmp_path)) == {f for n in licences.NOTICES for f in n.files}
    with pytest.raises(licences.LicenceError, match="openai-whisper-MIT.txt"):
        licences.notice_text(licences.NOTICES[0], tmp_path)


def test_all_notices_text_includes_the_build_inventory(tmp_path: Path) -> None:
    folder = tmp_path / "licences"
    folder.mkdir()
    for n in licences.NOTICES:
        for f in n.files:
            (folder / f).write_bytes((licences.licences_dir() / f).read_bytes())
    without = licences.all_notices_text(folder)
    assert all(n.component in without for n in licences.NOTICES)
    bd.write_inventory(["yaml", "docx"], folder / licences.INVENTORY_FILE)
    inventory = (folder / licences.INVENTORY_FILE).read_text()
    assert re.search(r"python-docx 1\.2\.0 - MIT", inventory)
    assert "PyYAML" in inventory and "Permission is hereby granted" in inventory
    assert licences.all_notices_text(folder) == without + "\n\n" + inventory


# --- models shipped assembled inside a bundle ----------------------------------------------------

def toy_manifest(tmp_path: Path, data: bytes) -> M.Manifest:
    digest = hashlib.sha256(data).hexdigest()
    path = tmp_path / "manifest.toml"
    path.write_text(f"""
[models.toy]
packages = [{{ name = "anonyscribe-toy-weights", version = "1.0", module = "anonyscribe_toy_w" }}]
[[models.toy.files]]
name = "model.bin"
size = {len(data)}
sha256 = "{digest}"
parts = ["anonyscribe-toy-weights:data/model.bin.part1"]
""")
    return M.load_manifest(path)


def test_bundled_model_is_used_without_its_packages_or_assembly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_cache: Path) -> None:
    data = os.urandom(50_000)
    manifest = toy_manifest(tmp_path, data)
    (tmp_path / "bundle" / "toy").mkdir(parents=True)
    (tmp_path / "bundle" / "toy" / "model.bin").write_bytes(data)
    # Without the bundle the (absent) package is asked for ...
    with pytest.raises(M.ModelError, match="pip install anonyscribe-toy-weights==1.0"):
        M.resolve_model("toy", manifest=manifest)
    # ... with it, the folder is used as is: verified, nothing assembled into the cache.
    monkeypatch.setenv(M.BUNDLED_ENV, str(tmp_path / "bundle"))
    assert M.resolve_model("toy", manifest=manifest) == tmp_path / "bundle" / "toy"
    assert not (isolated_cache / "models" / "toy").exists()
    status = M.list_models(manifest=manifest)[0]
    assert status.available and status.verified and status.path == tmp_path / "bundle" / "toy"


def test_damaged_bundled_model_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = os.urandom(50_000)
    manifest = toy_manifest(tmp_path, data)
    (tmp_path / "bundle" / "toy").mkdir(parents=True)
    (tmp_path / "bundle" / "toy" / "model.bin").write_bytes(data[:-1] + b"\0")
    monkeypatch.setenv(M.BUNDLED_ENV, str(tmp_path / "bundle"))
    with pytest.raises(M.ModelError, match="damaged"):
        M.resolve_model("toy", manifest=manifest)


def test_build_verifies_every_model_file_against_the_manifest(tmp_path: Path) -> None:
    tiny = bd.verified_models(tmp_path / "cache", names=["tiny.en"])[0]
    spec = M.default_manifest().models["tiny.en"]
    assert [name for name, _ in tiny.files] == [f.name for f in spec.files]
    assert all(path.is_file() for _, path in tiny.files)


# --- launcher and smoke-test helpers -------------------------------------------------------------

def test_launcher_sends_commands_to_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        launcher.main(["--version"])
    assert info.value.code == 0
    assert "anonyscribe 0.1.0" in capsys.readouterr().out
    assert launcher.main(["licences"]) == 0
    assert "Open Government Licence v3.0" in capsys.readouterr().out


def test_launcher_smoke_test_opens_the_window(qapp, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert launcher.smoke_test(seconds=0.3) == 0
    assert "GUI smoke test ok" in capsys.readouterr().out


def test_smoke_check_catches_a_name_left_in_a_docx(tmp_path: Path) -> None:
    import docx

    sample = Path("Interview with Daniel Hughes-20240312_101500-Meeting Recording.mp4")
    out = tmp_path / "out"
    out.mkdir()
    (out / "t.txt").write_text("Speaker 1: I'm [Person 1], a nurse at [Organisation 1].\n")
    doc = docx.Document()
    doc.add_paragraph("Speaker 1: my manager, [Person 2], started in [Date 1].")
    doc.save(out / "t.docx")
    report = smoke_test.Report("b", "none")
    smoke_test.check_outputs(out, sample, report)  # clean: passes
    doc.add_paragraph("and then PRIYA said hello")
    doc.save(out / "t.docx")
    with pytest.raises(smoke_test.SmokeError, match="PRIYA"):
        smoke_test.check_outputs(out, sample, report)
    (out / "t.txt").rename(out / "Interview_with_Daniel_Hughes.txt")
    doc = docx.Document()
    doc.add_paragraph("Speaker 1: my manager, [Person 2], started in [Date 1].")
    doc.save(out / "t.docx")
    with pytest.raises(smoke_test.SmokeError, match="file name"):
        smoke_test.check_outputs(out, sample, report)


def test_launcher_diarization_check_says_why_not(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import anonyscribe.speakers as speakers
    from anonyscribe.speakers import diarize

    def missing() -> None:
        raise diarize.DiarizationUnavailable("speaker separation needs torch (missing: torch)")

    monkeypatch.setattr(speakers, "diarization_available", lambda: False)
    monkeypatch.setattr(diarize, "_load_models", missing)
    assert launcher.main(["--diarization-check"]) == 1
    assert "diarization unavailable: speaker separation needs torch" in capsys.readouterr().err


def _vtt(path: Path, voices: list[str]) -> None:
    cues = [f"00:00:0{i}.000 --> 00:00:0{i}.900\n<v {v}>Hello [Person 1].\n"
            for i, v in enumerate(voices)]
    path.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")


def test_smoke_check_wants_two_voices_in_the_vtt(tmp_path: Path) -> None:
    report = smoke_test.Report("b", "none")
    _vtt(tmp_path / "a.vtt", ["Speaker 1", "Speaker 1"])
    with pytest.raises(smoke_test.SmokeError, match="1 voice"):
        smoke_test.check_voices(tmp_path, report)
    _vtt(tmp_path / "a.vtt", ["Speaker 1", "Speaker 2", "Speaker 1"])
    assert smoke_test.check_voices(tmp_path, report) == ["Speaker 1", "Speaker 2"]
    assert "<v Speaker 1> x2, <v Speaker 2> x1" in report.checks[-1]


def test_smoke_check_refuses_writes_outside_the_app_cache(tmp_path: Path) -> None:
    report = smoke_test.Report("b", "none")
    home = tmp_path / "home"
    smoke_test.clean_env(home)
    (home / "cache" / "anonyscribe" / "numba").mkdir(parents=True)
    (home / "cache" / "anonyscribe" / "verified.json").write_text("{}")
    smoke_test.check_home(home, report)
    assert "holds: verified.json" in report.checks[-1]
    (home / ".cache" / "senko" / "numba_cache").mkdir(parents=True)
    with pytest.raises(smoke_test.SmokeError, match="cache folder in the home folder"):
        smoke_test.check_home(home, report)
    shutil.rmtree(home / ".cache")
    (home / "tmp" / "audio.wav").write_bytes(b"RIFF")
    with pytest.raises(smoke_test.SmokeError, match="tmp/audio.wav"):
        smoke_test.check_home(home, report)


# --- the real thing (slow, opt-in) ---------------------------------------------------------------

@pytest.mark.skipif(os.environ.get("ANONYSCRIBE_BUILD_BUNDLE") != "1",
                    reason="builds the installer bundle (5-15 min); set ANONYSCRIBE_BUILD_BUNDLE=1")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="build_linux.sh is for Linux")
def test_linux_bundle_builds_and_passes_its_offline_smoke_test() -> None:
    proc = subprocess.run(["bash", "packaging/build_linux.sh"], cwd=ROOT, capture_output=True,
                          text=True, timeout=3600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = json.loads((ROOT / "build" / "smoke-report.json").read_text())
    assert report["isolation"].startswith("unshare")
    assert any(c.startswith("diarization available") for c in report["checks"])
    assert any(c.startswith("diarization: the .vtt has") for c in report["checks"])
    assert (ROOT / "dist" / "Anonyscribe" / "_internal" / "models" / "base" / "model.bin").is_file()
    assert list((ROOT / "dist").glob("Anonyscribe-*-linux-*.tar.gz"))
