"""The arithmetic ``bench/speaker_models.py`` reports its numbers with: prints compared by
angle, calls split into batches without changing what each row gets, least CPU per item."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parents[1] / "bench" / "speaker_models.py"


def _bench():  # noqa: ANN202 - a module loaded from its file
    spec = importlib.util.spec_from_file_location("bench_speaker_models", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cosines_compare_prints_by_angle_not_length() -> None:
    bench = _bench()
    a = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])
    b = np.array([[5.0, 0.0], [2.0, 0.0], [-3.0, -4.0]])
    np.testing.assert_allclose(bench.cosines(a, b), [1.0, 0.0, -1.0])
    near = np.array([[1.0, 0.1]])
    assert 0.99 < bench.cosines(near, np.array([[1.0, 0.0]]))[0] < 1.0


def test_batched_calls_give_each_row_what_one_call_gives_it() -> None:
    bench = _bench()
    x = np.arange(20.0).reshape(10, 2)
    sizes: list[int] = []

    def run(part: np.ndarray) -> np.ndarray:
        sizes.append(len(part))
        return part * 2

    np.testing.assert_array_equal(bench.batched(run, x, 4), x * 2)
    assert sizes == [4, 4, 2]


def test_cpu_ms_is_the_least_run_per_item() -> None:
    bench = _bench()
    spins = iter([200_000, 20_000, 2_000_000])

    def work() -> None:
        total = 0
        for i in range(next(spins)):
            total += i

    least = bench.cpu_ms(work, items=10, repeat=3)
    assert 0 < least < bench.cpu_ms(lambda: sum(range(2_000_000)), items=10, repeat=1)
