"""The desktop app (PySide6): a thin driver of the Qt-free core.

Start it with ``anonyscribe-app`` or ``python -m anonyscribe.gui [study folder]``.
"""
