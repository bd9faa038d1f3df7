"""The export dialog's anonymised-audio choice: off by default, a plain warning that a voice
identifies, tone or silence remembered, and the .m4a written through the worker."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from anonyscribe import media  # noqa: E402
from anonyscribe.core.model import Decision  # noqa: E402
from anonyscribe.gui.main_window import MainWindow  # noqa: E402

from .test_app_flow import _add_and_wait, clip, engines, settings, window  # noqa: E402, F401

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_audio_export_from_the_dialog(window: MainWindow, qtbot, clip: Path,  # noqa: F811
                                      tmp_path: Path) -> None:
    [rid] = _add_and_wait(window, qtbot, [clip])
    shared = window.shared
    findings = shared.load_findings(rid)
    for f in findings:
        f.decision = Decision.ACCEPTED if f.type == "PERSON" else Decision.REJECTED
    assert any(f.decision is Decision.ACCEPTED for f in findings)
    shared.save_findings(rid, findings)
    shared.settings.model = "tiny.en"  # the listener for the check (the default is bigger)
    shared.save()

    dialog = window.show_export_dialog()
    audio = dialog.format_boxes["audio"]
    assert not audio.isChecked() and dialog.audio_warning.isHidden()  # off by default
    for key, box in dialog.format_boxes.items():
        if box.isEnabled():
            box.setChecked(key == "audio")
    assert not dialog.audio_warning.isHidden() and "voice" in dialog.audio_warning.text()
    dialog.audio_cover.setCurrentIndex(dialog.audio_cover.findData("silence"))
    out = tmp_path / "anonymised"
    dialog.destination.setText(str(out))
    qtbot.waitUntil(dialog.names_settled, timeout=60000)
    with qtbot.waitSignal(window.worker.export_finished, timeout=180000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    written, problems = done.args
    assert problems == []
    (m4a,) = [Path(p) for p in written if p.endswith(".m4a")]
    assert "rachel" not in m4a.name.lower()
    saved = json.loads((shared.root / "study.json").read_text())
    assert saved["settings"]["audio_cover"] == "silence"
    report = next((shared.root / "log").rglob("anonymisation-report.txt")).read_text("utf-8")
    assert "Identifiers covered (silence)" in report
    assert len(media.decode(m4a)) == pytest.approx(len(media.decode(clip)), abs=0.1 * 16000)
    assert np.any(media.decode(m4a) != 0)
    dialog.close_button.click()
