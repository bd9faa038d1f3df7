"""Recordings in, 16 kHz float32 audio out, via PyAV (FFmpeg bundled, nothing to install).

Researchers bring whatever Teams, Zoom or a dictaphone produced: MP4 with a video track, M4A,
WAV, MP3, FLAC, OGG, WebM, 5.1 audio, 8 kHz phone audio. Every failure becomes a
``MediaError`` whose message names the file and says what to do, because in a batch of forty
interviews "Invalid data found when processing input" helps nobody.

Memory stays bounded: audio is decoded and resampled a block at a time straight into one
float32 buffer (an hour of 16 kHz mono is 230 MB; a float64 copy would double it).

The samples are faster-whisper's own, bit for bit (``faster_whisper.audio.decode_audio``):
FFmpeg resamples to 16-bit integers, which are then scaled to [-1, 1). Float output differs by
up to half a 16-bit step, and on noisy speech that alone changed the recogniser's decoding
passes and cost 10-21 % more recognition CPU (``bench/pipeline.py --recording interview``).
Integer output also makes FFmpeg normalise its mixdown (stereo: the average, never louder).
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from .core.intervals import joined

SAMPLE_RATE = 16000

# File types offered when scanning a folder of recordings (lower case, with the dot).
MEDIA_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".mp4", ".m4a", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".wmv", ".3gp",
        ".wav", ".mp3", ".flac", ".ogg", ".oga", ".opus", ".aac", ".wma", ".amr", ".aif", ".aiff",
    }
)

# A decoded stream this much shorter than its container says is cut off, not just imprecise.
_TRUNCATION_TOLERANCE_S = 1.0
_TRUNCATION_TOLERANCE_SHARE = 0.05
# Containers whose header states the exact length (MP4/MOV index, WAV data size, FLAC
# STREAMINFO). MP3, Ogg, WebM and raw AAC durations are estimates: never call those "cut short".
_EXACT_LENGTH_FORMATS = frozenset({"mov", "mp4", "m4a", "wav", "flac"})


class MediaError(Exception):
    """A recording that cannot be used; ``str()`` is one sentence naming the file."""

    def __init__(self, path: Path | str, problem: str, advice: str) -> None:
        super().__init__(path, problem, advice)
        self.path = Path(path)
        self.problem = problem
        self.advice = advice

    def __str__(self) -> str:
        return f'Cannot use "{self.path}": {self.problem}; {self.advice}.'

    @property
    def detail(self) -> str:
        """The problem and what to do, without the file (for a place that names it already)."""
        return f"{self.problem}; {self.advice}."


@dataclass(frozen=True)
class MediaInfo:
    """What a recording holds, read from the container without decoding the audio."""

    path: Path
    duration: float
    channels: int
    sample_rate: int
    has_video: bool
    codec: str


def is_media_file(path: Path) -> bool:
    """True for names a folder scan should pick up (hidden and temporary files excluded)."""
    return path.suffix.lower() in MEDIA_EXTENSIONS and not path.name.startswith((".", "~$"))


def _check_file(path: Path) -> None:
    """Turn the reasons a file cannot even be opened into plain words, before FFmpeg does."""
    if not path.exists():
        raise MediaError(path, "the file does not exist", "check the name and folder")
    if path.is_dir():
        raise MediaError(path, "this is a folder, not a recording", "choose a file inside it")
    if path.stat().st_size == 0:
        raise MediaError(
            path, "the file is empty (0 bytes)",
            "copy or export the recording again; the download or copy did not finish",
        )
    if not os.access(path, os.R_OK):
        raise MediaError(
            path, "you do not have permission to read this file",
            "copy it to a folder of your own or ask the owner for access",
        )


@contextlib.contextmanager
def _open(path: Path) -> Iterator[Any]:
    """Open a container, mapping FFmpeg's errors onto ``MediaError``."""
    _check_file(path)
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except PermissionError as exc:
        raise MediaError(
            path, "you do not have permission to read this file",
            "copy it to a folder of your own or ask the owner for access",
        ) from exc
    except (av.error.InvalidDataError, av.error.EOFError) as exc:
        raise MediaError(
            path, "this is not an audio or video file, or it is damaged or incomplete",
            "open it in a media player to check it, then export or copy the recording again",
        ) from exc
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise MediaError(
            path, f"the file could not be opened ({exc})",
            "open it in a media player to check it, then export or copy the recording again",
        ) from exc
    try:
        if not container.streams.audio and not container.streams.video:
            raise MediaError(
                path, "the file is damaged or incomplete (no sound or picture was found in it)",
                "copy or export the recording again; the copy or upload may not have finished",
            )
        if not container.streams.audio:
            raise MediaError(
                path, "the file has no audio track",
                "export the recording again with its sound, or choose the audio file",
            )
        yield container
    finally:
        container.close()


def _audio_duration(container: Any) -> float:
    """Duration from container metadata (instant); 0.0 when the file does not say."""
    stream = container.streams.audio[0]
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return 0.0


def probe(path: Path | str) -> MediaInfo:
    """Describe a recording quickly; decodes only when the container gives no duration."""
    path = Path(path)
    with _open(path) as container:
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        info = MediaInfo(
            path=path,
            duration=_audio_duration(container),
            channels=int(ctx.channels or 0),
            sample_rate=int(ctx.sample_rate or 0),
            has_video=bool(container.streams.video),
            codec=str(ctx.name),
        )
    if info.duration <= 0:
        samples = _decode(path, SAMPLE_RATE, keep_channels=False)
        info = MediaInfo(info.path, samples.shape[-1] / SAMPLE_RATE, info.channels,
                         info.sample_rate, info.has_video, info.codec)
    return info


def decode(path: Path | str, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The whole recording as float32 mono in [-1, 1] at ``sample_rate`` (channels mixed down)."""
    return _decode(Path(path), sample_rate, keep_channels=False)


def decode_channels(path: Path | str, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Float32 audio with channels kept apart, shape ``(channels, samples)``.

    For recordings where each speaker has their own channel (a stereo call recorder).
    """
    return _decode(Path(path), sample_rate, keep_channels=True)


class _Buffer:
    """A growing float32 (channels, n) array, sized from the container's duration up front."""

    def __init__(self, channels: int, expected: int) -> None:
        self.data = np.empty((channels, max(expected, 1)), dtype=np.float32)
        self.n = 0

    def append(self, block: np.ndarray, scale: float = 1.0) -> None:
        need = self.n + block.shape[1]
        if need > self.data.shape[1]:
            grown = np.empty((self.data.shape[0], max(need, int(self.data.shape[1] * 1.5))),
                             dtype=np.float32)
            grown[:, : self.n] = self.data[:, : self.n]
            self.data = grown
        target = self.data[:, self.n : need]
        target[...] = block
        if scale != 1.0:
            target *= scale
        self.n = need

    def result(self) -> np.ndarray:
        # Return a view unless the estimate overshot a lot (then release the slack).
        if self.data.shape[1] - self.n > max(self.n // 20, SAMPLE_RATE):
            return self.data[:, : self.n].copy()
        return self.data[:, : self.n]


def _layout_name(ctx: Any) -> str:
    """A layout the resampler accepts; WAV files often say only "2 channels"."""
    channels = len(ctx.layout.channels) or 1
    name = ctx.layout.name
    if " channels" in name or not name:
        return {1: "mono", 2: "stereo"}.get(channels, name)
    return name


# FFmpeg resamples to this (faster-whisper's ``decode_audio`` does too), planar so that kept
# channels come out as rows; samples are then scaled by ``_S16`` into float32.
_RESAMPLED = "s16p"
_S16 = 1.0 / 32768.0  # a power of two: the float32 result is exact, as faster-whisper's is


def _decode(path: Path, sample_rate: int, keep_channels: bool) -> np.ndarray:
    with _open(path) as container:
        stream = container.streams.audio[0]
        stream.thread_type = "AUTO"
        ctx = stream.codec_context
        layout = _layout_name(ctx) if keep_channels else "mono"
        channels = int(ctx.channels or 1) if keep_channels else 1
        declared = _audio_duration(container)
        exact_length = bool(_EXACT_LENGTH_FORMATS & set(container.format.name.split(",")))
        buf = _Buffer(channels, int(declared * sample_rate) + sample_rate)
        resampler = av.AudioResampler(format=_RESAMPLED, layout=layout, rate=sample_rate)
        try:
            for block in _gathered(_frames(container, stream), DECODE_BLOCK_S):
                for out in resampler.resample(block):
                    buf.append(out.to_ndarray(), _S16)
            for out in resampler.resample(None):
                buf.append(out.to_ndarray(), _S16)
        except av.error.FFmpegError as exc:
            raise MediaError(
                path, f"the audio could not be decoded ({exc})",
                "the file may be damaged; open it in a media player, then export it again",
            ) from exc
        del resampler
    audio = buf.result()
    decoded = audio.shape[1] / sample_rate
    if audio.shape[1] == 0:
        raise MediaError(
            path, "no sound could be decoded from the file (it may be damaged)",
            "open it in a media player to check it, then export or copy the recording again",
        )
    short = declared - decoded if exact_length else 0.0
    if short > max(_TRUNCATION_TOLERANCE_S, _TRUNCATION_TOLERANCE_SHARE * declared):
        raise MediaError(
            path,
            f"the file is cut short: it should last {declared:.1f} s but only {decoded:.1f} s "
            "could be decoded",
            "copy or export the recording again; the copy or upload did not finish",
        )
    return audio if keep_channels else audio[0]


def stream(path: Path | str, sample_rate: int = SAMPLE_RATE,
           block_s: float = 10.0) -> Iterator[np.ndarray]:
    """The recording as float32 mono blocks of about ``block_s`` seconds, in order.

    For work over a whole 2-hour recording that must not hold it in memory at once (the
    anonymised audio export): same mixdown, level, samples (both resample gathered blocks:
    ``_gathered``) and error messages as ``decode``.
    """
    path = Path(path)
    with _open(path) as container:
        stream_ = container.streams.audio[0]
        stream_.thread_type = "AUTO"
        resampler = av.AudioResampler(format=_RESAMPLED, layout="mono", rate=sample_rate)
        try:
            for block in _gathered(_frames(container, stream_), block_s):
                yield from _resampled(resampler, block)
            yield from _resampled(resampler, None, flush=True)
        except av.error.FFmpegError as exc:
            raise MediaError(
                path, f"the audio could not be decoded ({exc})",
                "the file may be damaged; open it in a media player, then export it again",
            ) from exc


# ``decode`` resamples this much at a time (its source frames, held until then: under 4 MB
# of 48 kHz stereo float).
DECODE_BLOCK_S = 10.0


def _gathered(frames: Iterable[Any], block_s: float) -> Iterator[Any]:
    """``frames`` gathered into frames of about ``block_s`` seconds, each of one kind (format,
    layout, rate). One resampler call a block instead of one a frame (a Teams hour has
    170,000 frames) gives the very same samples at a fraction of the cost."""
    pending = _Pending(block_s)
    for frame in frames:
        if not pending.fits(frame):
            yield pending.take()
        pending.add(frame)
        if pending.full():
            yield pending.take()
    if (last := pending.take()) is not None:
        yield last


class _Pending:
    """Decoded frames of one kind (format, layout, rate) gathered into one block."""

    def __init__(self, block_s: float) -> None:
        self.block_s = block_s
        self.parts: list[np.ndarray] = []
        self.kind: tuple[str, str, int] | None = None  # format, layout, rate
        self.layout: Any = None
        self.samples = 0

    def fits(self, frame: Any) -> bool:
        return self.kind is None or self.kind == (frame.format.name, frame.layout.name,
                                                  frame.sample_rate)

    def add(self, frame: Any) -> None:
        if self.kind is None:
            self.kind = (frame.format.name, frame.layout.name, frame.sample_rate)
            self.layout = frame.layout
        self.parts.append(_samples(frame))
        self.samples += frame.samples

    def full(self) -> bool:
        return self.kind is not None and self.samples >= self.block_s * self.kind[2]

    def take(self) -> Any:
        """The gathered frames as one frame (None when there are none)."""
        if self.kind is None:
            return None
        frame = av.AudioFrame.from_ndarray(np.concatenate(self.parts, axis=1),
                                           format=self.kind[0], layout=self.layout)
        frame.sample_rate = self.kind[2]
        self.parts, self.kind, self.samples = [], None, 0
        return frame


# Sample formats as numpy types: a frame's one plane read in place is cheaper than
# ``to_ndarray`` (which stacks its planes), and a Teams hour has 170,000 frames.
_DTYPES = {"flt": np.float32, "fltp": np.float32, "s16": np.int16, "s16p": np.int16,
           "s32": np.int32, "s32p": np.int32, "dbl": np.float64, "dblp": np.float64,
           "u8": np.uint8, "u8p": np.uint8}


def _samples(frame: Any) -> np.ndarray:
    """The frame's samples as ``to_ndarray`` gives them (planes, or one interleaved row)."""
    dtype = _DTYPES.get(frame.format.name)
    planes = frame.planes
    if dtype is None or len(planes) != 1:
        return frame.to_ndarray()
    count = frame.samples * (1 if frame.format.is_planar else len(frame.layout.channels))
    return np.frombuffer(planes[0], dtype=dtype, count=count)[None, :]


def _resampled(resampler: Any, frame: Any, flush: bool = False) -> Iterator[np.ndarray]:
    """``frame`` (None: nothing) through the resampler as one float32 mono block."""
    outs = resampler.resample(frame) if frame is not None else []
    if flush:
        outs = [*outs, *resampler.resample(None)]
    if outs:
        yield _mono_float(outs)


def _mono_float(outs: Sequence[Any]) -> np.ndarray:
    """The resampler's 16-bit mono frames as one float32 block, scaled as faster-whisper's."""
    block = np.concatenate([out.to_ndarray()[0] for out in outs]).astype(np.float32)
    block *= _S16
    return block


def _quantised(samples: np.ndarray) -> np.ndarray:
    """Float samples as FFmpeg's conversion to 16 bits gives them (round half to even, then
    clip), scaled back: what the resampler makes of a file already at the wanted rate."""
    out = np.rint(samples * np.float32(32768.0))
    np.clip(out, -32768.0, 32767.0, out=out)
    out *= np.float32(_S16)
    return out.astype(np.float32, copy=False)


# Seeking (``stream_ranges``): decoded before a range after a seek, then dropped, because a
# frame of a codec with overlapping frames (AAC) needs the one before it to come out right.
SEEK_PREROLL_S = 0.25
# Ranges closer than this are decoded straight through: skipping so little saves less than a
# seek costs.
SEEK_JOIN_S = 4.0


class _SeekFailed(Exception):
    """A seek did not land where its samples can be counted from (no or late timestamp)."""

    def __init__(self, span: int) -> None:
        super().__init__(span)
        self.span = span


def stream_ranges(path: Path | str, ranges: Sequence[tuple[int, int]],
                  sample_rate: int = SAMPLE_RATE,
                  block_s: float = 10.0) -> Iterator[tuple[int, np.ndarray]]:
    """The samples ``[a, b)`` of each of ``ranges`` (sample indices at ``sample_rate``, counted
    as ``stream`` counts them; ``b`` past the end: up to the end), as ``(first sample,
    float32 block)`` pieces in order, overlapping or close ranges joined.

    A mono file (the anonymised audio this app writes) is read by seeking to each range and
    decoding only around it, so checking a few minutes of a 2-hour recording does not decode
    all of it; at another rate than ``sample_rate`` each range is resampled from a little
    before it (``_seek_resampled``). Any other file, or one whose timestamps do not allow it,
    is streamed whole and cut (the same samples, slower)."""
    path = Path(path)
    spans = joined([(max(0, a), b) for a, b in ranges], round(SEEK_JOIN_S * sample_rate))
    if not spans:
        return
    done = 0
    with _open(path) as container:
        stream_ = container.streams.audio[0]
        ctx = stream_.codec_context
        native = int(ctx.sample_rate or 0)
        if (native > 0 and ctx.channels == 1 and ctx.format is not None
                and ctx.format.name == "fltp" and stream_.time_base == Fraction(1, native)):
            pieces = (((i, n0, _quantised(block)) for i, n0, block in
                       _seek_spans(container, stream_, spans, sample_rate, block_s))
                      if native == sample_rate else
                      _seek_resampled(container, stream_, spans, sample_rate, block_s))
            try:
                for i, n0, block in pieces:
                    done = i
                    yield n0, block
                done = len(spans)
            except _SeekFailed as failed:
                done = failed.span
            except av.error.FFmpegError as exc:
                raise MediaError(
                    path, f"the audio could not be decoded ({exc})",
                    "the file may be damaged; open it in a media player, then export it again",
                ) from exc
    if done < len(spans):
        yield from _cut(stream(path, sample_rate, block_s), spans[done:])


def _seek_spans(container: Any, stream_: Any, spans: list[tuple[int, int]], rate: int,
                block_s: float) -> Iterator[tuple[int, int, np.ndarray]]:
    """(span index, first sample, block) for each span, each reached by its own seek (the
    first one from the start when it begins there). ``_SeekFailed`` before any sample of a
    span whose seek cannot be trusted."""
    preroll = round(SEEK_PREROLL_S * rate)
    block = max(int(block_s * rate), 1)
    for i, (a, b) in enumerate(spans):
        if i == 0 and a <= preroll:
            frames, pos = _frames(container, stream_), 0
        else:
            container.seek(a - preroll, stream=stream_, backward=True)
            frames = _frames(container, stream_)
            first = next(frames, None)  # dropped: decoded without the frame before it
            if first is None or first.pts is None or first.pts + first.samples > a:
                raise _SeekFailed(i)
            pos = first.pts + first.samples
        parts: list[np.ndarray] = []
        start = held = 0
        for frame in frames:
            n0, pos = pos, pos + frame.samples
            lo, hi = max(a, n0), min(b, pos)
            if lo < hi:
                if not parts:
                    start = lo
                parts.append(frame.to_ndarray()[0, lo - n0:hi - n0])
                held += hi - lo
                if held >= block:
                    yield i, start, np.concatenate(parts)
                    parts, held = [], 0
            if pos >= b:
                break
        if parts:
            yield i, start, np.concatenate(parts)


def _seek_resampled(container: Any, stream_: Any, spans: list[tuple[int, int]], rate: int,
                    block_s: float) -> Iterator[tuple[int, int, np.ndarray]]:
    """``_seek_spans`` for a mono file at another rate than ``rate``: each span is decoded at
    the file's own rate from ``SEEK_PREROLL_S`` before it, from a sample where the resampler's
    phase is the whole stream's (a multiple of its step), and ``SEEK_PREROLL_S`` beyond it,
    then resampled by a resampler of its own and cut: past the warm-up, the samples the whole
    stream gives."""
    native = int(stream_.codec_context.sample_rate)
    g = math.gcd(native, rate)
    step_in, step_out = native // g, rate // g
    warm = round(SEEK_PREROLL_S * rate)
    firsts = [max(0, a - warm) // step_out * step_out for a, _b in spans]
    wide = [(s0 // step_out * step_in, -(-(b + warm) * native // rate))
            for s0, (_a, b) in zip(firsts, spans, strict=True)]
    current, resampler, pos = -1, None, 0

    def cut(i: int, outs: list[Any]) -> Iterator[tuple[int, int, np.ndarray]]:
        nonlocal pos
        if not outs:
            return
        block = _mono_float(outs)
        n0, pos = pos, pos + block.shape[0]
        a, b = spans[i]
        lo, hi = max(a, n0), min(b, pos)
        if lo < hi:
            yield i, lo, block[lo - n0:hi - n0]

    for i, _n0, piece in _seek_spans(container, stream_, wide, native, block_s):
        if i != current:
            if resampler is not None:
                yield from cut(current, resampler.resample(None))
            current, pos = i, firsts[i]
            resampler = av.AudioResampler(format=_RESAMPLED, layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray(piece[None, :], format="fltp", layout="mono")
        frame.sample_rate = native
        yield from cut(i, resampler.resample(frame))
    if resampler is not None:
        yield from cut(current, resampler.resample(None))


def _frames(container: Any, stream_: Any) -> Iterator[Any]:
    """Decoded frames from where the container stands (damaged packets skipped)."""
    for packet in container.demux(stream_):
        try:
            yield from packet.decode()
        except av.error.InvalidDataError:
            continue


def _cut(blocks: Iterable[np.ndarray], spans: list[tuple[int, int]]
         ) -> Iterator[tuple[int, np.ndarray]]:
    """The parts of consecutive ``blocks`` (from the first sample) inside ``spans``."""
    n0 = 0
    for block in blocks:
        n1 = n0 + block.shape[0]
        for a, b in spans:
            lo, hi = max(a, n0), min(b, n1)
            if lo < hi:
                yield lo, block[lo - n0:hi - n0]
        n0 = n1
        if spans and n0 >= spans[-1][1]:
            return
