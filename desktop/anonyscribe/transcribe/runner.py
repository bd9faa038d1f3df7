"""Speech to a ``Transcript`` with faster-whisper, on the CPU, with progress and cancel.

The model is loaded once per ``Transcriber`` (seconds, hundreds of MB) and reused for every
recording of a batch. Audio is decoded once by ``media`` and handed over as an array, so the
app adds no work to faster-whisper's own. Segments stream out of the model as they are decoded,
which is where progress is reported. The model works in a worker thread so that a cancel
request is honoured at once, even in the middle of a 30 s window.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import offline
from ..core.cancel import CancelToken, stream_cancellable
from ..core.machine import usable_cores
from ..core.model import RecordingInfo, Segment, Speaker, Transcript, Word
from ..core.progress import FractionProgress
from ..media import SAMPLE_RATE, decode, decode_channels, probe
from .models import ModelError, model_name, resolve_model

offline.enforce_offline()

import ctranslate2  # noqa: E402 - only after the offline switches
from faster_whisper import WhisperModel  # noqa: E402
from faster_whisper.tokenizer import _LANGUAGE_CODES as LANGUAGE_CODES  # noqa: E402

from .listening import WindowListener  # noqa: E402 - imports faster-whisper

# Every model in memory, so that the anonymised audio's listener uses the one that transcribed
# instead of loading it again (``loaded``): hundreds of MB and seconds saved.
_LOADED: weakref.WeakSet[Transcriber] = weakref.WeakSet()

# Where a window decodes poorly, faster-whisper tries again with sampling (temperature > 0).
# CTranslate2 seeds its sampler from the system's entropy unless told a seed, so the same
# recording could come out in different words from one run to the next (one dev clip: 14.0,
# 16.6 and 17.5 % speaker error from three runs). A fixed seed makes a process's runs
# repeatable. The sampler is made per decoding thread on first use, so it holds from the
# first model loaded in a process: a batch gives the same text for the same files in the
# same order.
SAMPLING_SEED = 20241


def loaded(model: str | Path | None, language: str | None) -> Transcriber | None:
    """A ``Transcriber`` already in memory for ``model`` and ``language``, if any."""
    path = resolve_model(model)
    return next((t for t in list(_LOADED)
                 if t.model_path == path and t.language == (language or None)), None)


def default_threads() -> int:
    """CPU threads for the model: the cores this process may use (CTranslate2 assumes 4)."""
    return max(1, min(usable_cores(unknown=4), 16))


def decode_options(
    language: str | None, vocabulary: Sequence[str], beam_size: int
) -> dict[str, Any]:
    """The faster-whisper settings the app uses (the bench passes the same to raw faster-whisper).

    ``condition_on_previous_text=False`` stops one misheard window from derailing the next (the
    classic Whisper repetition loop on long interviews). Vocabulary goes in as ``hotwords``,
    which faster-whisper puts in the prompt of *every* window, unlike ``initial_prompt``.
    """
    terms = [t.strip() for t in vocabulary if t and t.strip()]
    return {
        "language": language,
        "beam_size": beam_size,
        "word_timestamps": True,
        "vad_filter": True,
        "condition_on_previous_text": False,
        "hotwords": ", ".join(dict.fromkeys(terms)) or None,
    }


class Transcriber:
    """A loaded Whisper model that turns recordings into ``Transcript`` documents."""

    def __init__(
        self,
        model: str | Path | None = None,
        language: str | None = "en",
        vocabulary: Sequence[str] = (),
        cpu_threads: int = 0,
        beam_size: int = 5,
        channels_as_speakers: bool = False,
    ) -> None:
        self.model_path = resolve_model(model)
        self.model_name = model_name(model)
        self.language = language or None
        self.vocabulary = list(vocabulary)
        self.beam_size = beam_size
        self.channels_as_speakers = channels_as_speakers
        self.cpu_threads = cpu_threads or default_threads()
        ctranslate2.set_random_seed(SAMPLING_SEED)
        self.whisper = WhisperModel(str(self.model_path), device="cpu", compute_type="int8",
                                    cpu_threads=self.cpu_threads)
        _LOADED.add(self)
        if self.language is not None and self.language not in LANGUAGE_CODES:
            raise ModelError(
                f"Unknown language code '{self.language}'. Use a two-letter code such as "
                "'en', 'fr' or 'cy', or leave the language empty to detect it."
            )
        if self.language not in (None, "en") and not self.whisper.model.is_multilingual:
            raise ModelError(
                f"The model '{self.model_name}' understands English only, so it cannot "
                f"transcribe language '{self.language}'. Choose a multilingual model such as "
                "'base', or set the language to English."
            )

    def options(self) -> dict[str, Any]:
        return decode_options(self.language, self.vocabulary, self.beam_size)

    def listener(self) -> WindowListener:
        """This model as the anonymised audio's listener (one encoder pass a window)."""
        return WindowListener(self.whisper, self.language)

    def transcribe(
        self,
        source: str | Path | np.ndarray,
        progress: FractionProgress | None = None,
        cancel: CancelToken | None = None,
        recording: RecordingInfo | None = None,
        on_audio: Callable[[np.ndarray], None] | None = None,
    ) -> Transcript:
        """Transcribe a file (any format ``media`` reads) or 16 kHz float32 mono samples.

        ``progress`` is called in the caller's thread with the share of audio done.
        ``cancel`` is honoured within ``_POLL_S`` (``Cancelled`` is raised).
        ``on_audio`` receives the decoded 16 kHz mono samples (one track only), so that a
        later stage (speaker separation) need not decode and resample the file again.
        """
        if cancel is not None:
            cancel.check()
        recording = self._recording_info(source, recording)
        segments: list[Segment] = []
        reporter = _Reporter(progress)
        language = self.language or "en"
        tracks, duration = 1, 0.0
        events = stream_cancellable(lambda stop: self._events(source, stop), cancel,
                                    poll_s=_POLL_S, lock=_RUN_LOCK, name="anonyscribe-transcribe")
        for event in events:
            kind = event[0]
            if kind == "audio":
                tracks, duration = event[1], event[2]
                reporter.tracks = tracks
                if on_audio is not None and event[3] is not None:
                    on_audio(event[3])
            elif kind == "segment":
                index, raw = event[1], event[2]
                seg = _convert(raw, f"S{index + 1}", duration)
                if seg is not None:
                    segments.append(seg)
                if duration > 0:
                    reporter(index, min(float(raw.end) / duration, 1.0))
            elif kind == "language":
                language = event[1]
        if recording.duration <= 0:
            recording.duration = duration
        if tracks > 1:
            segments.sort(key=lambda s: (s.start, s.end))
        for i, seg in enumerate(segments):
            seg.id = i
        reporter.done()
        speakers = [Speaker(f"S{i + 1}", f"Speaker {i + 1}") for i in range(tracks)]
        transcript = Transcript(recording=recording, segments=segments, speakers=speakers,
                                language=language, model=self.model_name)
        transcript.ensure_speakers()
        return transcript

    def _recording_info(self, source: Any, given: RecordingInfo | None) -> RecordingInfo:
        if given is not None:
            return given
        if isinstance(source, np.ndarray):
            return RecordingInfo(name="", duration=source.shape[-1] / SAMPLE_RATE)
        path = Path(source)
        return RecordingInfo(name=path.name, path=str(path))

    def _tracks(self, source: str | Path | np.ndarray) -> list[np.ndarray]:
        if isinstance(source, np.ndarray):
            audio = source if source.dtype == np.float32 else source.astype(np.float32)
            return [audio] if audio.ndim == 1 else list(audio)
        if self.channels_as_speakers and probe(source).channels > 1:
            return list(decode_channels(source))
        return [decode(source)]

    def _events(self, source: str | Path | np.ndarray, stop: threading.Event) -> Iterator[tuple]:
        """The slow part, run in the worker thread: decode, then stream model segments."""
        tracks = self._tracks(source)
        yield ("audio", len(tracks), max(len(t) for t in tracks) / SAMPLE_RATE,
               tracks[0] if len(tracks) == 1 else None)
        for index, audio in enumerate(tracks):
            generated, info = self.whisper.transcribe(audio, **self.options())
            for raw in generated:
                if stop.is_set():
                    return
                yield ("segment", index, raw)
            yield ("language", info.language)


# How often the caller looks at the cancel token while the model works in the worker thread.
_POLL_S = 0.1
# One model run at a time per process: an abandoned (cancelled) run finishes its current
# 30 s window in the background before the next run starts, rather than competing for the CPU.
_RUN_LOCK = threading.Lock()


class _Reporter:
    """Monotonic overall progress across tracks (a stereo file's left then right channel)."""

    def __init__(self, callback: FractionProgress | None, tracks: int = 1) -> None:
        self.callback = callback
        self.tracks = tracks
        self.last = 0.0

    def __call__(self, track: int, fraction: float) -> None:
        value = (track + float(fraction)) / self.tracks
        if self.callback is not None and value > self.last:
            self.last = value
            self.callback(value)

    def done(self) -> None:
        if self.callback is not None and self.last < 1.0:
            self.last = 1.0
            self.callback(1.0)


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _convert(raw: Any, speaker: str, duration: float) -> Segment | None:
    """A faster-whisper segment as ours: stripped text, words with tidy, ordered times."""
    text = raw.text.strip()
    if not text:
        return None
    limit = duration if duration > 0 else max(float(raw.end), 0.0)
    words: list[Word] = []
    previous = 0.0
    for w in raw.words or []:
        token = w.word.strip()
        if not token:
            continue
        start = _clamp(float(w.start), previous, limit)
        end = _clamp(float(w.end), start, limit)
        words.append(Word(text=token, start=round(start, 3), end=round(end, 3),
                          probability=round(float(w.probability), 4)))
        previous = start
    start = words[0].start if words else _clamp(float(raw.start), 0.0, limit)
    end = max(words[-1].end if words else 0.0, _clamp(float(raw.end), start, limit))
    return Segment(id=0, start=round(start, 3), end=round(end, 3), text=text, speaker=speaker,
                   words=words)
