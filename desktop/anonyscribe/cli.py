"""The command line: ``anonyscribe batch | detect | models | export | app``.

A thin driver over the core; everything it does, the app does through the same functions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__, offline  # noqa: F401 - offline switches first

ALL_FORMATS = ("txt", "docx", "nvivo", "qdpx", "srt", "vtt", "log", "audio")


def _formats(value: str) -> list[str]:
    fmts = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in fmts if f not in ALL_FORMATS]
    if bad:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(bad)}; choose from {', '.join(ALL_FORMATS)}")
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
                   help="study folder for everything that still identifies anyone "
                   "(default: OUT/private)")
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
    b.add_argument("--num-speakers", type=int, default=None,
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

    sub.add_parser("app", help="open the desktop app")
    return p


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

    def progress(self, stage: str, fraction: float) -> None:
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
    from .batch import read_list, run_batch
    from .transcribe.models import ModelError

    language = None if args.language in ("auto", "") else args.language
    try:
        vocabulary = read_list(args.vocabulary)
        always = read_list(args.always)
        never = read_list(args.never)
    except OSError as exc:
        print(f"error: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        result = run_batch(args.inputs, args.out, args.private, model=args.model,
                           language=language, vocabulary=vocabulary, always=always, never=never,
                           auto=args.auto, draft=args.format is not None,
                           formats=args.format or ["docx", "txt"], speakers=args.speakers,
                           num_speakers=args.num_speakers,
                           recording_kind=_recording_kind(args.recordings),
                           group_size=args.group_size, reporter=ConsoleReporter())
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # StudyLockedError and the like: one clear line
        from .batch import FolderError
        from .core.files import CorruptFileError
        from .core.study import StudyLockedError

        if isinstance(exc, StudyLockedError):
            print(f"error: {exc}", file=sys.stderr)
            return 3
        if isinstance(exc, (FolderError, CorruptFileError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise
    return _summary(result, args)


def _summary(result, args: argparse.Namespace) -> int:
    counts: dict[str, int] = {}
    for item in result.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no recordings found"
    print(f"\nSummary: {len(result.items)} recording(s): {parts}.", file=sys.stderr)
    for item in result.failed:
        print(f"  FAILED {item.path}: {item.message}", file=sys.stderr)
    private = args.private or args.out / "private"
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
    from .detect.engine import Detector

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.file} as UTF-8 text ({exc})", file=sys.stderr)
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
    from .transcribe.models import DEFAULT_MODEL, list_models

    for m in list_models():
        mark = "ok " if m.verified else ("?? " if m.available else "-- ")
        default = " (default)" if m.name == DEFAULT_MODEL else ""
        print(f"{mark}{m.name:<10}{default:<10} {m.detail}")
    print("\nAny local faster-whisper model folder also works: --model /path/to/folder")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .core.model import Decision
    from .core.study import Study, StudyLockedError
    from .labels import Pending, pending_marker
    from .pipeline import Engines, export_recording, export_study_project, study_terms

    try:
        study = Study.open(args.private)
    except StudyLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    policy = Pending.ORIGINAL if args.write_pending_originals else Pending.MARK
    with study:
        formats = args.format or study.settings.formats
        if args.audio_cover:
            study.settings.audio_cover = args.audio_cover
            study.save()
        ready = [e for e in study.recordings.values() if e.status in ("review", "exported")]
        # The same detector as the batch: identifiers in a file name are found the same way,
        # so a re-export gives the same names and never leaks what the batch hid.
        detector = Engines(terms=study_terms(study)).detector if ready else None
        for entry in ready:
            pending = sum(1 for f in study.load_findings(entry.id)
                          if f.decision is Decision.PENDING)
            if "audio" in formats:
                _audio_last_check(study, entry, policy)
            paths = export_recording(study, entry.id, args.out, formats, detector,
                                     pending=policy)
            print(f"{entry.name}: exported {len(paths)} file(s)", file=sys.stderr)
            if pending and policy is Pending.ORIGINAL:
                print(f"  WARNING: {pending} finding(s) not yet reviewed were written as "
                      "spoken (--write-pending-originals): these files are NOT anonymised.",
                      file=sys.stderr)
            elif pending:
                print(f"  {pending} finding(s) not yet reviewed were replaced by markers such "
                      f"as {pending_marker('PERSON')}; review them in the app and export "
                      "again.", file=sys.stderr)
        if "qdpx" in formats:
            for p in export_study_project(study, args.out, include_media=args.qdpx_media,
                                          detector=detector, pending=policy):
                print(f"study project: {p}", file=sys.stderr)
    return 0


def _audio_last_check(study, entry, pending) -> None:  # noqa: ANN001 - Study, entry, Pending
    """Say, before the audio is written, which identifiers cannot be placed in time."""
    from .pipeline import audio_coverage

    message = audio_coverage(study, entry.id, pending).unlocated_message()
    if message:
        print(f"{entry.name}: {message}", file=sys.stderr)


def cmd_app(args: argparse.Namespace) -> int:
    from .gui.app import main as app_main

    return app_main([])


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"batch": cmd_batch, "detect": cmd_detect, "models": cmd_models,
               "export": cmd_export, "app": cmd_app}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("\nStopped. Finished recordings are saved; run again to resume.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
