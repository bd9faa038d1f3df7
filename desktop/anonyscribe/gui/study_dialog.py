"""Starting work: create or open a study (the start page), and edit a study's settings.

A study is a folder; it is the same folder the command line's ``--private`` names, so a batch
run overnight can be reviewed in the app the next morning, and the other way round.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.study import STUDY_FILE, RecordingKind, StudySettings
from ..transcribe.models import DEFAULT_MODEL, list_models
from .export_dialog import FORMATS

LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("", "Detect automatically"),
    ("cy", "Welsh"),
    ("fr", "French"),
    ("de", "German"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("ur", "Urdu"),
    ("hi", "Hindi"),
    ("pa", "Punjabi"),
    ("bn", "Bengali"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
]
CHOOSE_FOLDER = "Choose a model folder…"
RECORDING_KINDS: list[tuple[RecordingKind, str]] = [
    (RecordingKind.INTERVIEW, "Interviews (one interviewer, one participant: 2 voices)"),
    (RecordingKind.FOCUS_GROUP, "Focus groups (several voices)"),
    (RecordingKind.OTHER, "Something else (find the number of voices)"),
]


def is_study(folder: Path) -> bool:
    return (Path(folder) / STUDY_FILE).is_file()


def available_models() -> list[str]:
    """Model names the app can offer (bundled or assembled from installed packages)."""
    # verify=False: checksumming 75 MB-1.5 GB of weights has no place in opening a dialog;
    # the worker verifies the model when it loads it.
    return [m.name for m in list_models(verify=False) if m.available]


def ask_open_study_folder(parent: QWidget) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, "Open a study folder")
    return Path(folder) if folder else None


class StudySettingsDialog(QDialog):
    """What the recordings are, model, language, vocabulary and export formats of a study."""

    def __init__(self, settings: StudySettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Study settings")
        self.setModal(True)
        self.model_box = QComboBox(self)
        self.model_box.addItem(f"Default ({DEFAULT_MODEL})", "")
        for name in available_models():
            self.model_box.addItem(name, name)
        self.model_box.addItem(CHOOSE_FOLDER, CHOOSE_FOLDER)
        self._select_model(settings.model)
        self.model_box.activated.connect(self._model_activated)

        self.language_box = QComboBox(self)
        for code, name in LANGUAGES:
            self.language_box.addItem(f"{name} ({code})" if code else name, code)
        i = self.language_box.findData(settings.language)
        if i < 0:
            self.language_box.addItem(settings.language, settings.language)
            i = self.language_box.count() - 1
        self.language_box.setCurrentIndex(i)

        self.vocabulary = QPlainTextEdit(self)
        self.vocabulary.setPlaceholderText(
            "Words the transcription should know, one per line\n(e.g. clinic names, "
            "drug names, local terms)")
        self.vocabulary.setPlainText("\n".join(settings.vocabulary))
        self.vocabulary.setMaximumHeight(110)

        self.format_boxes: dict[str, QCheckBox] = {}
        formats = QVBoxLayout()
        for key, label in FORMATS:
            if key == "log":  # always written, to the study folder: nothing to choose
                continue
            box = QCheckBox(label, self)
            box.setChecked(key in settings.formats)
            self.format_boxes[key] = box
            formats.addWidget(box)

        self.kind_box = QComboBox(self)
        for kind, label in RECORDING_KINDS:
            self.kind_box.addItem(label, kind.value)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(settings.recording_kind)))
        self.kind_box.setToolTip("Tells speaker separation how many voices to expect, so the "
                                 "interviewer and the participant are kept apart")
        self.group_size = QSpinBox(self)
        self.group_size.setRange(0, 30)
        self.group_size.setSpecialValueText("find out")
        self.group_size.setSuffix(" voices")
        self.group_size.setValue(settings.group_size)
        self.group_size.setToolTip("How many people speak in each group, moderator included "
                                   "(\"find out\": from the audio)")
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind_box, 1)
        kind_row.addWidget(self.group_size)

        form = QFormLayout()
        form.addRow("What are the recordings?", kind_row)
        form.addRow("Speech model", self.model_box)
        form.addRow("Language spoken", self.language_box)
        form.addRow("Vocabulary", self.vocabulary)
        form.addRow("Export formats", formats)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _kind_changed(self) -> None:
        self.group_size.setVisible(self.kind_box.currentData() == RecordingKind.FOCUS_GROUP.value)

    def _select_model(self, model: str) -> None:
        i = self.model_box.findData(model)
        if i < 0:
            self.model_box.insertItem(self.model_box.count() - 1, model, model)
            i = self.model_box.findData(model)
        self.model_box.setCurrentIndex(i)

    def _model_activated(self, index: int) -> None:
        if self.model_box.itemData(index) != CHOOSE_FOLDER:
            return
        folder = QFileDialog.getExistingDirectory(
            self, "Choose a folder holding a faster-whisper model (model.bin, config.json)")
        self._select_model(folder if folder else "")

    def apply_to(self, settings: StudySettings) -> bool:
        """Copy the choices into ``settings``; True if transcription settings changed."""
        model = self.model_box.currentData() or ""
        language = self.language_box.currentData() or ""
        vocabulary = [w.strip() for w in self.vocabulary.toPlainText().splitlines() if w.strip()]
        changed = (model, language, vocabulary) != (settings.model, settings.language,
                                                    settings.vocabulary)
        settings.model, settings.language, settings.vocabulary = model, language, vocabulary
        settings.formats = [k for k, box in self.format_boxes.items() if box.isChecked()]
        settings.formats.append("log")
        settings.recording_kind = self.kind_box.currentData()
        if settings.recording_kind == RecordingKind.FOCUS_GROUP.value:
            settings.group_size = self.group_size.value()
        return changed
