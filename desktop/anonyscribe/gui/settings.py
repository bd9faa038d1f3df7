"""App-wide preferences (recent studies, last study, window shape) kept in QSettings.

Study settings live in the study folder, not here: these are only what one user's desktop
remembers between runs. Tests point ``AppSettings`` at a temporary INI file so they never touch
the real user's preferences.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8
ENV_SETTINGS_FILE = "ANONYSCRIBE_SETTINGS_FILE"


class AppSettings:
    """Recent studies and the study to reopen after a restart or a crash."""

    def __init__(self, path: Path | str | None = None) -> None:
        path = path or os.environ.get(ENV_SETTINGS_FILE)
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                 "Anonyscribe", "Anonyscribe")

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    # -- recent studies ------------------------------------------------------------
    def recent_studies(self) -> list[Path]:
        """Recent study folders that still exist, newest first."""
        raw = self._qs.value("recent", [])
        if isinstance(raw, str):  # QSettings gives a bare string for a one-item list
            raw = [raw]
        return [Path(p) for p in raw or [] if p and Path(p).is_dir()]

    def add_recent(self, folder: Path) -> None:
        folder = Path(folder).resolve()
        items = [p for p in self.recent_studies() if p.resolve() != folder]
        self._qs.setValue("recent", [str(p) for p in [folder, *items][:MAX_RECENT]])
        self._qs.sync()

    def opened_times(self) -> dict[str, float]:
        """Resolved study folder -> when it was last opened (seconds since the epoch)."""
        try:
            data = json.loads(str(self._qs.value("opened", "{}") or "{}"))
        except ValueError:
            return {}
        return {k: float(v) for k, v in data.items() if isinstance(v, (int, float))} \
            if isinstance(data, dict) else {}

    def mark_opened(self, folder: Path, when: float | None = None) -> None:
        known = {str(p.resolve()) for p in self.recent_studies()}
        times = {k: v for k, v in self.opened_times().items() if k in known}
        times[str(Path(folder).resolve())] = time.time() if when is None else when
        self._qs.setValue("opened", json.dumps(times))
        self._qs.sync()

    # -- where the last recordings came from ---------------------------------------------
    def media_folder(self) -> str:
        raw = self._qs.value("media_folder", "")
        return str(raw) if raw and Path(str(raw)).is_dir() else ""

    def set_media_folder(self, folder: Path) -> None:
        self._qs.setValue("media_folder", str(folder))
        self._qs.sync()

    def clear_recent(self) -> None:
        self._qs.remove("recent")
        self._qs.sync()

    # -- the study open when the app last ran ----------------------------------------
    def last_study(self) -> Path | None:
        raw = self._qs.value("last_study", "")
        return Path(raw) if raw and Path(raw).is_dir() else None

    def set_last_study(self, folder: Path | None) -> None:
        """Written as soon as a study opens, so a crash still reopens it next time."""
        self._qs.setValue("last_study", str(Path(folder).resolve()) if folder else "")
        self._qs.sync()

    # -- window shape ------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        value = self._qs.value("geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, data: QByteArray) -> None:
        self._qs.setValue("geometry", data)
        self._qs.sync()
