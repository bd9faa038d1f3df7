"""Long-lived objects kept out of garbage collections (``core.heap``): what is loaded is
frozen, nothing is collected while it loads, and a failed load freezes nothing."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from anonyscribe.core import heap
from anonyscribe.processing import Engines

DESKTOP = Path(__file__).resolve().parents[1] / "desktop"


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen and collections on."""
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


class _Node:
    """A container the collector tracks."""

    def __init__(self) -> None:
        self.items: list[int] = [1, 2]


def test_loaded_objects_are_frozen() -> None:
    loaded = [_Node() for _ in range(5000)]
    with heap.loading():
        assert not gc.isenabled()  # no collection walks the heap while it grows
        more = [_Node() for _ in range(5000)]
    assert gc.isenabled()
    assert heap.frozen() >= len(loaded) + len(more)
    tracked = {id(o) for o in gc.get_objects()}
    assert id(loaded[0]) not in tracked and id(more[-1]) not in tracked


def test_objects_made_after_loading_are_collected_as_usual() -> None:
    with heap.loading():
        pass
    later = _Node()
    assert id(later) in {id(o) for o in gc.get_objects()}
    cycle = _Node()
    cycle.items.append(cycle)  # type: ignore[arg-type]
    del cycle
    assert gc.collect() >= 1


def test_a_failed_load_freezes_nothing_and_collections_resume() -> None:
    before = heap.frozen()
    with pytest.raises(RuntimeError), heap.loading():
        _kept = [_Node() for _ in range(1000)]  # noqa: F841 - alive during the load
        raise RuntimeError("the model is broken")
    assert heap.frozen() == before
    assert gc.isenabled()


def test_collections_stay_off_where_they_were_off() -> None:
    gc.disable()
    with heap.loading():
        pass
    assert not gc.isenabled()


def test_preloaded_engines_are_frozen_and_empty_ones_are_not() -> None:
    Engines()
    assert heap.frozen() == 0
    detector = [_Node() for _ in range(2000)]  # stands for a loaded detector's tables
    Engines(_detector=detector)
    assert heap.frozen() >= len(detector)


# a process that holds a large loaded heap, then loads the diarizer's models (scikit-learn's
# import): the collections set off meanwhile, and how long the longest took
_DIARIZER_LOAD = """
import gc, json, time
from anonyscribe.processing import Engines
heap = [[i, str(i)] for i in range(400_000)]  # stands for the loaded speech model and detector
Engines(_detector=heap)
runs, began = [], []
gc.callbacks.append(lambda phase, info: began.append(time.perf_counter()) if phase == "start"
                    else runs.append((info["generation"], time.perf_counter() - began[-1])))
from anonyscribe.speakers import diarize
try:
    diarize._load_models()
except diarize.DiarizationUnavailable:
    print(json.dumps(None))
else:
    print(json.dumps({"runs": runs, "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.slow
def test_the_diarizers_first_load_walks_no_loaded_heap() -> None:
    """Importing scikit-learn in the worker set off full collections of the app's whole heap
    (1-6 s of a frozen window under load): now none runs during the load, and the heap the
    engines loaded is out of every collection's walk."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(DESKTOP),
                                                        os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", _DIARIZER_LOAD], env=env, capture_output=True,
                         text=True, timeout=300, check=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    if found is None:
        pytest.skip("the diarization parts are not installed")
    assert found["enabled"]
    assert found["frozen"] > 400_000
    assert not [run for run in found["runs"] if run[0] == 2], found["runs"]
