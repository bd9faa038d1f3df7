"""The words for how far a recording has got, which stage it is in, and how a run ended.

One vocabulary for the study file, the batch, the CLI and the app. The enums are ``str``
valued, so ``study.json`` holds the same strings as before and a plain string still compares
equal to its member.
"""

from __future__ import annotations

from enum import StrEnum


class RecordingStatus(StrEnum):
    """How far a recording has got (saved in ``study.json``, except ``RUNNING``)."""

    QUEUED = "queued"  # waiting to be processed (also: stopped, resumes from the last step)
    TRANSCRIBED = "transcribed"  # transcript saved, identifiers not yet looked for
    REVIEW = "review"  # ready for the researcher's review
    EXPORTED = "exported"
    FAILED = "failed"  # ``RecordingEntry.error`` says why
    CANCELLED = "cancelled"  # the researcher cancelled it in the app; Retry continues
    RUNNING = "running"  # the app's queue only, while a worker holds it; never saved


WAITING = frozenset({RecordingStatus.QUEUED, RecordingStatus.TRANSCRIBED})  # to be processed
READY = frozenset({RecordingStatus.REVIEW, RecordingStatus.EXPORTED})  # reviewable, exportable
RETRYABLE = frozenset({RecordingStatus.FAILED, RecordingStatus.CANCELLED})


class Stage(StrEnum):
    """A step of processing one recording, as progress reports name it."""

    LOAD = "load"  # the speech model loading (once per session)
    READ = "read"  # a text transcript or survey sheet read instead of audio
    PROBE = "probe"
    TRANSCRIBE = "transcribe"
    SPEAKERS = "speakers"
    DETECT = "detect"
    SAVE = "save"


# The stages of a recording's audio path, in order (what a progress bar spans).
AUDIO_STAGES = (Stage.PROBE, Stage.TRANSCRIBE, Stage.SPEAKERS, Stage.DETECT, Stage.SAVE)


class Outcome(StrEnum):
    """How one recording of a batch ended (the CLI prints it; the summary counts it)."""

    DONE = "done"  # exported (or exported earlier and kept)
    REVIEW = "review"  # processed (or exported as a draft): waiting for review
    FAILED = "failed"
    CANCELLED = "cancelled"
