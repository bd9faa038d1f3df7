"""A missing part of the app is a bug, never a quieter screen: no import of the app's own
modules may sit in a ``try`` that catches ``ImportError``.

Such fallbacks (a placeholder review screen, a stand-in exception type, "no speakers") once
hid real failures; this keeps them from coming back. Optional third-party parts (the
diarizer's torch) may still be caught: only relative imports (``from .x``, ``from ..x``)
count here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import anonyscribe

PACKAGE = Path(anonyscribe.__file__).parent
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in IMPORT_ERRORS for n in names)


def internal_import_fallbacks(source: str) -> list[int]:
    """Line numbers of relative imports inside a ``try`` whose handler catches ImportError."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            for stmt in node.body:
                for sub in ast.walk(stmt):
                    if isinstance(sub, ast.ImportFrom) and sub.level > 0:
                        lines.append(sub.lineno)
    return lines


def test_the_check_finds_a_fallback() -> None:
    fallback = ("def review_widget_class():\n    try:\n        from .review import ReviewWidget\n"
                "    except ImportError:\n        return None\n    return ReviewWidget\n")
    assert internal_import_fallbacks(fallback) == [3]
    optional = "try:\n    import torch\nexcept ImportError:\n    torch = None\n"
    assert internal_import_fallbacks(optional) == []


def test_no_module_falls_back_when_one_of_ours_is_missing() -> None:
    found = {str(path.relative_to(PACKAGE)): lines
             for path in sorted(PACKAGE.rglob("*.py"))
             if (lines := internal_import_fallbacks(path.read_text(encoding="utf-8")))}
    assert len(list(PACKAGE.rglob("*.py"))) > 50  # the walk reads the real package
    assert found == {}, f"imports of the app's own modules guarded by except ImportError: {found}"
