"""The command line: ``anonyscribe batch | survey | detect | models | export | app``.

A thin driver over the core; everything it does, the app does through the same functions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import (
    __version__,
    batch,  # run_batch is called through its module: a test may replace it there
    offline,  # noqa: F401 - offline switches first (batch imports it first too)
)
from .batch import MAX_SPEAKERS, BatchOptions, FolderError, OptionError
from .core.files import CorruptFileError
from .core.layout import LayoutError, check_apart, default_private, study_folders
from .core.status import READY, RecordingStatus, Stage
from .core.study import Study, StudyLockedError, study_terms
from .core.textfile import TextFileError, read_terms, read_text
from .detect.engine import Detector
from .exporting import audio_coverage, export_recordings
from .failures import classify
from .labels import Pending, pending_marker
from .processing import Engines
from .sources import SourceError, survey
from .transcribe.models import DEFAULT_MODEL, ModelError, list_models

ALL_FORMATS = ("txt", "docx", "nvivo", "qdpx", "srt", "vtt", "log", "audio")


def _formats(value: str) -> list[str]:
    fmts = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in fmts if f not in ALL_FORMATS]
    if bad:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(bad)}; choose from {', '.join(ALL_FORMATS)}")
    if not fmts:
        raise argparse.ArgumentTypeError(
            f"no format given; choose one or more of {', '.join(ALL_FORMATS)}, e.g. docx,txt")
    return fmts


RECORDING_CHOICES = ("interview", "focus-group", "other")


def _count(text: str) -> int:
    """A whole number >= 0 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of speakers (0 or more)")
    return value


def _recording_kind(choice: str | None) -> str | None:
    """The CLI's spelling ("focus-group") as the study's ``RecordingKind`` value."""
    return None if choice is None else choice.replace("-", "_")


def _speaker_count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_SPEAKERS:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number of speakers; give a whole number from 1 to "
            f"{MAX_SPEAKERS} (an interview is usually 2), or leave the option out")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="anonyscribe",
        description="Transcribe interview recordings and anonymise them, entirely offline.")
    p.add_argument("--version", action="version", version=f"anonyscribe {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("batch", help="transcribe and flag (or, with --auto, anonymise) "
                       "recordings and folders")
    b.add_argument("inputs", nargs="+", type=Path, help="recordings or folders (recursive)")
    b.add_argument("--out", type=Path, default=Path("anonymised"),
                   help="folder for anonymised files only (default: ./anonymised)")
    b.add_argument("--private", type=Path, default=None,
                   help="study folder for everything that still identifies anyone; never "
                   "inside OUT (default: OUT-private, beside OUT)")
    b.add_argument("--model", default=None,
                   help="model name (see 'anonyscribe models') or a faster-whisper model folder")
    b.add_argument("--language", default="en",
                   help="language code, or 'auto' to detect (default: en)")
    b.add_argument("--vocabulary", type=Path, default=None,
                   help="text file, one term per line: names and places the recogniser "
                   "should spell right")
    b.add_argument("--always", type=Path, default=None,
                   help="text file of terms always redacted (optionally 'PERSON: name')")
    b.add_argument("--never", type=Path, default=None,
                   help="text file of terms never redacted")
    b.add_argument("--auto", action="store_true",
                   help="accept every finding and export straight away (no review)")
    b.add_argument("--format", type=_formats, default=None,
                   help=f"comma-separated, from: {','.join(ALL_FORMATS)} (default: docx,txt). "
                   "Without --auto, naming formats writes drafts now (every flagged "
                   "identifier hidden) and leaves the decisions for review")
    b.add_argument("--speakers", default="auto",
                   choices=["auto", "teams", "channels", "diarize", "none"],
                   help="how to find who spoke when (default: auto)")
    b.add_argument("--num-speakers", type=_speaker_count, default=None,
                   help="number of speakers in every recording of this run (overrides "
                   "--recordings for this run only)")
    b.add_argument("--recordings", default=None, choices=RECORDING_CHOICES,
                   help="what the study's recordings are, saved in the study: interview (one "
                   "interviewer, one participant: 2 speakers, the default), focus-group "
                   "(--group-size speakers) or other (speaker count found from the audio)")
    b.add_argument("--group-size", type=_count, default=None,
                   help="speakers in a focus group, saved in the study (0: find out)")

    d = sub.add_parser("detect", help="find identifiers in a plain-text file")
    d.add_argument("file", type=Path)
    d.add_argument("--json", action="store_true", help="print a JSON list of findings")

    sub.add_parser("models", help="list speech models and whether they verify")

    e = sub.add_parser("export", help="export reviewed recordings of a study")
    e.add_argument("--private", required=True, type=Path, help="the study folder")
    e.add_argument("--out", required=True, type=Path, help="folder for anonymised files")
    e.add_argument("--format", type=_formats, default=None,
                   help="formats (default: the study's remembered choice)")
    e.add_argument("--qdpx-media", action="store_true",
                   help="put the recordings themselves into the .qdpx project (off by default: "
                   "a voice identifies its speaker)")
    e.add_argument("--include-pending", action="store_true",
                   help="kept for old scripts: findings still undecided are always exported "
                   "as searchable markers such as [Person ?], never as spoken")
    e.add_argument("--write-pending-originals", action="store_true",
                   help="NOT ANONYMISED: write findings nobody has reviewed yet as spoken "
                   "(the ethics report records this choice)")
    e.add_argument("--audio-cover", choices=["tone", "silence"], default=None,
                   help="with --format audio (the recording, identifiers covered: a voice "
                   "itself can still identify): cover each identifier with a tone or silence "
                   "(default: the study's choice, tone)")

    _survey_parser(sub)
    sub.add_parser("app", help="open the desktop app")
    return p


def _survey_parser(sub) -> None:
    s = sub.add_parser("survey", help="anonymise the free-text answers of a survey export "
                       "(.xlsx, .csv: Microsoft Forms, Qualtrics, JISC Online Surveys, REDCap)")
    s.add_argument("file", type=Path, help="the survey export (.xlsx, .csv or .tsv)")
    s.add_argument("--out", type=Path, default=Path("anonymised"),
                   help="folder for anonymised files only (default: ./anonymised)")
    s.add_argument("--private", type=Path, default=None,
                   help="study folder (default: OUT-private, beside OUT); use the interviews' "
                   "study to share their pseudonyms")
    s.add_argument("--text-columns", action="append", default=None, metavar="COLUMNS",
                   help="free-text columns: headings, letters (C) or numbers (3), comma-"
                   "separated or the option repeated (default: the proposed ones)")
    s.add_argument("--drop-columns", action="append", default=None, metavar="COLUMNS",
                   help="columns left out of the anonymised sheet, e.g. Name,Email "
                   "(default: the proposed identifying ones)")
    s.add_argument("--per", choices=["respondent", "question"], default="respondent",
                   help="coding-app project: one document per respondent or per question")
    s.add_argument("--list-columns", action="store_true",
                   help="show the columns and what is proposed for each, and stop")
    s.add_argument("--auto", action="store_true",
                   help="accept every finding and export straight away (no review)")
    s.set_defaults(format=None)


def cmd_survey(args: argparse.Namespace) -> int:
    try:
        if args.list_columns:
            for letter, heading, role in survey.describe(args.file):
                print(f"{letter:>3}  {role:<9}  {heading}")
            return 0
        layout = survey.read_layout(args.file)
        proposal = survey.propose(args.file, layout)
        text = (survey.resolve_columns(layout, args.text_columns, args.file)
                if args.text_columns else proposal.text_columns)
        drop = (survey.resolve_columns(layout, args.drop_columns, args.file)
                if args.drop_columns else proposal.drop_columns)
        options = survey.SurveyOptions([c for c in text if c not in drop], drop, args.per)
        print("Free text: " + "; ".join(layout.questions[i] for i in options.text_columns)
              + "\nDropped: " + ("; ".join(layout.names[i] for i in drop) or "none"),
              file=sys.stderr)
        private = study_folders(args.out, args.private)
        with Study.open(private) as study:
            entry = study.add_recording(args.file)
            folder = study.folder(entry.id)
            decided = sum(1 for f in study.load_findings(entry.id)
                          if f.decision.value != "pending" and f.source != "propagated")
            if survey.choose(folder, args.file, options, decided):
                for name in ("transcript.json", "findings.json"):
                    (folder / name).unlink(missing_ok=True)
                entry.status = RecordingStatus.QUEUED
            study.save()
            settings = study.settings
    except (SourceError, LayoutError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StudyLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    options = BatchOptions(auto=args.auto, model=settings.model or None,
                           language=settings.language or None, formats=settings.formats)
    result = batch.run_batch([args.file], args.out, private, options, reporter=ConsoleReporter())
    return _summary(result, args)


class ConsoleReporter:
    """Progress bar on a terminal, one status line per recording anywhere."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.label = ""
        self.t0 = time.monotonic()
        self._last = ""

    def start(self, index: int, total: int, path: Path) -> None:
        self.label = f"[{index + 1}/{total}] {path.name}"
        self.t0 = time.monotonic()
        self._write(f"{self.label}: starting")

    def progress(self, stage: Stage, fraction: float) -> None:
        if not self.tty:
            return
        width = 24
        filled = int(width * max(0.0, min(1.0, fraction)))
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r{self.label}: {stage:<10} [{bar}] {fraction * 100:5.1f}%"
        if line != self._last:
            self.stream.write(line)
            self.stream.flush()
            self._last = line

    def finish(self, item) -> None:
        took = time.monotonic() - self.t0
        prefix = "\r" if self.tty else ""
        pad = " " * 20 if self.tty else ""
        self.stream.write(f"{prefix}{self.label}: {item.status.upper()} ({took:.1f} s) "
                          f"{item.message}{pad}\n")
        self.stream.flush()

    def note(self, message: str) -> None:
        self.stream.write(f"note: {message}\n")

    def _write(self, text: str) -> None:
        if not self.tty:
            self.stream.write(text + "\n")
            self.stream.flush()


def cmd_batch(args: argparse.Namespace) -> int:
    language = None if args.language in ("auto", "") else args.language
    try:
        vocabulary = read_terms(args.vocabulary, "vocabulary file")
        always = read_terms(args.always, "always-redact list")
        never = read_terms(args.never, "never-redact list")
        options = BatchOptions(model=args.model, language=language, vocabulary=vocabulary,
                               always=always, never=never, auto=args.auto,
                               draft=args.format is not None,
                               formats=args.format or ["docx", "txt"], speakers=args.speakers,
                               num_speakers=args.num_speakers,
                               recording_kind=_recording_kind(args.recordings),
                               group_size=args.group_size)
        result = batch.run_batch(args.inputs, args.out, args.private, options,
                           reporter=ConsoleReporter())
    except StudyLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (ModelError, FolderError, CorruptFileError, LayoutError, OptionError,
            TextFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _summary(result, args)


def _summary(result, args: argparse.Namespace) -> int:
    counts: dict[str, int] = {}
    for item in result.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no recordings found"
    print(f"\nSummary: {len(result.items)} recording(s): {parts}.", file=sys.stderr)
    for item in result.failed:
        print(f"  FAILED {item.path}: {item.message}", file=sys.stderr)
    if result.unheard:
        stretches = sum(i.unheard for i in result.unheard)
        print(f"Speech without words: {stretches} stretch(es) in {len(result.unheard)} "
              "recording(s), marked [no transcript …]. Listen to them in review and type "
              "what is said:", file=sys.stderr)
        for item in result.unheard:
            print(f"  {item.path.name}: {item.unheard}", file=sys.stderr)
    private = args.private or default_private(args.out)
    if args.auto:
        print(f"Anonymised files: {args.out}\nPrivate files (keep safe, never share): {private}",
              file=sys.stderr)
    elif args.format is not None:
        print(f"Draft anonymised files (every flagged identifier hidden, not yet reviewed): "
              f"{args.out}\nReview in the app, then export again: open the study folder "
              f"{private}", file=sys.stderr)
    else:
        print(f"Ready for review in the app: open the study folder {private}", file=sys.stderr)
    if not result.items:
        return 1
    return 1 if result.failed else 0


def cmd_detect(args: argparse.Namespace) -> int:
    try:
        text = read_text(args.file, "text file")
    except TextFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    spans = Detector().detect_text(text)
    if args.json:
        json.dump([{"start": s.start, "end": s.end, "type": s.type, "text": s.text,
                    "score": round(s.score, 3)} for s in spans], sys.stdout, ensure_ascii=False,
                  indent=1)
        sys.stdout.write("\n")
    else:
        for s in spans:
            print(f"{s.start:>7}-{s.end:<7} {s.type:<13} {s.score:.2f}  {s.text}")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    for m in list_models():
        mark = "ok " if m.verified else ("?? " if m.available else "-- ")
        default = " (default)" if m.name == DEFAULT_MODEL else ""
        print(f"{mark}{m.name:<10}{default:<10} {m.detail}")
    print("\nAny local faster-whisper model folder also works: --model /path/to/folder")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    try:
        check_apart(args.private, args.out)
        study = Study.open(args.private)
    except StudyLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (LayoutError, CorruptFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    policy = Pending.ORIGINAL if args.write_pending_originals else Pending.MARK
    with study:
        formats = args.format or study.settings.formats
        if args.audio_cover:
            study.settings.audio_cover = args.audio_cover
            study.save()
        ready = [e.id for e in study.recordings.values() if e.status in READY]
        # The same detector as the batch: identifiers in a file name are found the same way,
        # so a re-export gives the same names and never leaks what the batch hid.
        detector = Engines(terms=study_terms(study)).detector if ready else None
        run = export_recordings(study, ready, args.out, formats, detector, policy,
                                ConsoleExport(study, policy, "audio" in formats),
                                include_media=args.qdpx_media)
        for p in run.project:
            print(f"study project: {p}", file=sys.stderr)
    return 1 if run.problems else 0


class ConsoleExport:
    """``anonyscribe export``'s words for each recording (``exporting.ExportReporter``)."""

    def __init__(self, study, pending, audio: bool) -> None:  # noqa: ANN001 - Study, Pending
        self.study, self.pending, self.audio = study, pending, audio

    def starting(self, index: int, total: int, entry) -> None:  # noqa: ANN001
        if self.audio:  # say, before the audio is written, what cannot be placed in time
            with contextlib.suppress(Exception):  # its export says what is wrong
                message = audio_coverage(self.study, entry.id, self.pending).unlocated_message()
                if message:
                    print(f"{entry.name}: {message}", file=sys.stderr)

    def exported(self, entry, paths: list[Path], pending: int) -> None:  # noqa: ANN001
        print(f"{entry.name}: exported {len(paths)} file(s)", file=sys.stderr)
        if pending and self.pending is Pending.ORIGINAL:
            print(f"  WARNING: {pending} finding(s) not yet reviewed were written as "
                  "spoken (--write-pending-originals): these files are NOT anonymised.",
                  file=sys.stderr)
        elif pending:
            print(f"  {pending} finding(s) not yet reviewed were replaced by markers such "
                  f"as {pending_marker('PERSON')}; review them in the app and export "
                  "again.", file=sys.stderr)

    def failed(self, entry, failure) -> None:  # noqa: ANN001 - RecordingEntry, Failure
        print(f"FAILED {failure.message}", file=sys.stderr)

    def project_failed(self, exc: Exception) -> None:
        print(f"FAILED the study project (.qdpx): {classify(exc, Path('study')).message}",
              file=sys.stderr)


def cmd_app(args: argparse.Namespace) -> int:
    from .gui.app import main as app_main  # deferred: PySide6 is the optional [gui] extra

    return app_main([])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"batch": cmd_batch, "detect": cmd_detect, "models": cmd_models,
               "export": cmd_export, "app": cmd_app, "survey": cmd_survey}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("\nStopped. Finished recordings are saved; run again to resume.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
