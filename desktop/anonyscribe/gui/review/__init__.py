"""The review screen: see every flagged identifier, decide, fix, listen, preview, undo."""

from .review_widget import ReviewWidget

__all__ = ["ReviewWidget"]
