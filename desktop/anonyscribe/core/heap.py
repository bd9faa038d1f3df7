"""Long-lived objects kept out of Python's garbage collections, so that no collection stops
the window.

Python's cyclic collector holds the GIL for the whole of a full collection, which walks every
container object the process holds. Once the speech model and the detector are loaded that is
a heavy walk (their word lists and tables: a full collection took 1.4 s on a loaded 2-core
machine), and any thread that allocates a burst of objects (importing scikit-learn, a
detection pass) sets one off, so the window stopped painting for 1-6 s at a time while the
worker ran (GUI flow test beside two busy loops). ``freeze_loaded`` moves what is alive now
(models, tables, modules) into the collector's permanent generation: later collections walk
only what was made since, and the frozen objects are still freed as usual when nothing refers
to them any more. The cost: cyclic garbage that exists at the moment of freezing is kept,
which is why it is called only just after something long-lived has loaded, never per
recording. ``loading`` also holds collections off while such a thing loads: loading makes
objects that all stay (none of them were garbage when measured: the speech model and the
detector left 0 objects to collect), so a collection then only walks the heap for nothing.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


def freeze_loaded() -> None:
    """Keep every object alive now out of later collections (``gc.freeze``): call it once a
    long-lived engine (speech model, detector, speaker models) has been loaded."""
    gc.freeze()


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """No collections while a long-lived engine loads; once it has loaded, what is alive is
    frozen (``freeze_loaded``). A load that fails freezes nothing (its traceback's cycles
    must stay collectable)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def frozen() -> int:
    """How many objects are kept out of collections (``gc.get_freeze_count``)."""
    return gc.get_freeze_count()
