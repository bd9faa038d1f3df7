"""The anonymised recording: every accepted identifier covered by a tone or silence (.m4a).

Coders play the audio beside the transcript, so a name replaced in the text must not be heard
either. Each accepted finding (detected, propagated or manual) and each replaced speaker name
said aloud is found in time through the recogniser's word times, padded a little (word times
are approximate) and merged with its neighbours when close; that stretch is replaced by a tone
or by silence. The copy is written as AAC in .m4a, mono; video is dropped (a face identifies)
and the original file is only ever read.

An identifier whose words have no reliable time (the text was edited, the turn has no words)
"could not be located in the audio": where its neighbours have times, the whole gap between
them is covered as well, and every such identifier is reported, before the export and in the
ethics report, never silently left audible.

Verification, not trust: after writing, the file is decoded again; each covered stretch must
be silent or the tone, the length must match, and the recogniser listens to each stretch with
its neighbourhood. An accepted original heard there refuses the file like the text leak check.
Everything streams in blocks (bounded memory for a 2-hour recording, progress, cancel).
"""

from __future__ import annotations

import enum
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from .. import media
from ..core.cancel import CancelToken
from ..core.model import ENTITY_TYPES, AudioMark, Decision, Finding, Segment, Transcript
from ..core.progress import StepProgress
from ..core.timeline import word_spans
from .common import hms
from .leakcheck import Leak, LeakError, compile_terms, count_text

# What the recogniser heard (text) in 16 kHz mono audio made of parts (the neighbourhoods)
# beginning at the given seconds: it may start again at a part it did not hear. One that also
# has ``hear_many(windows) -> texts`` (``transcribe/listening.py``) is given several windows at
# once, which it decodes together.
Recogniser = Callable[[np.ndarray, Sequence[float]], str]
# Full windows gathered before they are heard together (their audio held: 8 x 30 s, 15 MB).
WINDOWS_AT_ONCE = 8

VERIFY_RATE = media.SAMPLE_RATE
BLOCK_S = 10.0  # decode/encode this much at a time: memory stays flat for any length
EDGE_S = 0.04  # the cross-fade and the AAC transition at each end, left out of the level check
WINDOW_S = 29.0  # neighbourhoods are heard in batches that fill one recogniser window (30 s)
# The listener's settings, chosen so that the recogniser really transcribes what it is given
# (bench/audio.py ``heard_words``; tests/test_export_audio.py, a name left audible beside its
# stretch). With 0.4 s of context, 0.4 s gaps and 0.2 s kept, 18 neighbourhoods packed in a
# window came back as one word (an hour, 112 stretches: 21 words in all): too little speech
# around each stretch for the model to take it as speech, a check that could hardly fail.
# 0.8 s each side holds most names whole (0.3-0.9 s) beside a stretch that missed them, and a
# few words for the model to lock on to; 0.3 s of silence still parts the neighbourhoods
# (1.0 s: fewer words heard). The planted test (tiny.en, one name's stretch shifted past it,
# three names): 0.4 s heard 1 of 3, 0.8 s all 3, 1.0 s 2 of 3 (more context is not always more
# heard). On the bench hour (base, 112 stretches; each neighbourhood heard alone gives ~3.6
# words, so ~400 in all): 0.8 s, tone ends of 0.1 s heard, no times: 136 words; tone ends left
# out (``KEEP_S``): 176; and with times (``recogniser_for``): 293, for twice the CPU.
# (The listener now hears each window with one encoder pass: ``transcribe/listening.py``.)
CLIP_GAP_S = 0.3  # silence between whole neighbourhoods, so words do not run together
TAIL_S = 1.0  # decoded at the end of the file, to check its length
TRIM_S = 0.05  # decoded beyond the container's stated end: codec padding (48 kHz AAC: 21 ms)
# Of each covered stretch the recogniser hears only the ends the level check leaves out (the
# cross-fade): the rest was proved to be the tone or silence, and a tone heard in a packed
# window sets the model writing "oh, oh, ..." or a bleeped word instead of the speech around it.
KEEP_S = EDGE_S
NO_TERM = -1  # ``Leak.term`` of a level or length problem: no identifier to point at
# Dense windows (``AudioOptions.dense_listening``): silence holds nothing to hear, so the
# recogniser is not given it. Of each neighbourhood (``_Clip.audible``) the quiet at its ends
# is left out but ``QUIET_KEEP_S`` next to the sound (a soft onset, a fade), a pause inside it
# is shortened to ``QUIET_PAUSE_S``, and one with no sound at all is not listened to. Quiet is
# a 10 ms frame below the neighbourhood's own noise floor (``quiet_level``: its 10th-percentile
# frame, ``QUIET_MARGIN_DB`` above it), never above ``QUIET_BELOW_DB`` under its loud frames
# (90th percentile: a neighbourhood of speech without a pause has no floor to go by) nor above
# ``QUIET_CAP`` (-35 dBFS), and never below
# ``QUIET`` (-60 dBFS: digital silence and a near-silent floor are quiet whatever the rest).
# A recording's pauses are rarely digital silence (a room, a call: -50 to -40 dBFS); with a
# fixed -60 they were all kept and the gain lost (bench hour with a -45 dBFS floor: README).
# A frame is left out only within 4 dB of the floor, and then only in a run longer than the
# kept pause: the bench's speech is quiet (its loud frames about -31 dBFS), where 20 dB under
# them kept every -45 dBFS pause; 12 dB leaves 20-30 % of a neighbourhood out, as silence did.
# Neighbourhoods are then parted by ``DENSE_GAP_S`` (with their own
# quiet edges, 0.1-0.3 s of silence between sounds, as the 0.3 s gap gave before), and each
# window ends in ``TAIL_GAP_S`` of silence: the model then closes its last segment on heard
# silence, not on the window's padding (with the last neighbourhood's pause left out and no
# such tail, tiny.en wrote "My name is" twice for a planted window and missed its name).
# Bench hour (base; ``bench/audio.py``, and the share of the words each neighbourhood heard
# alone gives that the windows hold): whole neighbourhoods 217 s, 8 windows, 0.47; dense
# 170 s, 6 windows, 0.52. The planted tests hear exactly the names they heard before
# (tests/test_export_audio.py compares both packings); a 0.2 s gap, or no tail, changed
# which planted names tiny.en and base heard (one more for one, one fewer for the other).
QUIET = 10 ** (-60 / 20)
QUIET_CAP = 10 ** (-35 / 20)
QUIET_MARGIN_DB = 4.0
QUIET_BELOW_DB = 12.0
QUIET_KEEP_S = 0.1
QUIET_PAUSE_S = 0.3
DENSE_GAP_S = 0.1
TAIL_GAP_S = 1.0  # (WINDOW_S + TAIL_GAP_S - DENSE_GAP_S <= 30 s, the model's window)


class Cover(str, enum.Enum):
    """What an identifier's stretch becomes (the researcher's choice)."""

    TONE = "tone"  # a 1 kHz bleep: the listener hears that something was removed
    SILENCE = "silence"


@dataclass(frozen=True)
class AudioOptions:
    cover: Cover = Cover.TONE
    pad_s: float = 0.1  # before and after each identifier's words (word times are approximate)
    merge_gap_s: float = 0.3  # stretches closer than this become one
    tone_hz: float = 1000.0
    tone_level: float = 0.1  # -20 dBFS: audible, not startling
    sample_rate: int = 16000  # of a whole encode (an original whose packets are not kept)
    bit_rate: int = 32000  # AAC-LC, 16 kHz mono speech: clear; half the encoding time of 64k
    silence_level: float = 10 ** (-50 / 20)  # RMS below this counts as silent (-50 dBFS)
    tone_residual: float = 10 ** (-40 / 20)  # RMS of what is not the tone, at most (-40 dBFS)
    context_s: float = 0.8  # heard around each stretch by the recogniser (see CLIP_GAP_S)
    snap_s: float = 0.25  # how far a stretch may widen to the quiet around the word
    check_speech: bool = True
    # A mono AAC-LC original (a Teams or phone .m4a/.mp4) keeps its own packets, rate and bit
    # rate where nothing is covered; only the regions around stretches are encoded again
    # (``render``). Off, or any other original: the whole is encoded at ``sample_rate``.
    keep_aac: bool = True
    # The recogniser is not given quiet (``quiet_level``: the pauses at a neighbourhood's ends and
    # the long ones inside it), so fewer windows hold every neighbourhood. Off: each
    # neighbourhood whole, as before (``bench/audio.py --whole-neighbourhoods``; tests).
    dense_listening: bool = True


@dataclass(frozen=True)
class Stretch:
    """Seconds of the recording to cover."""

    start: float
    end: float


@dataclass(frozen=True)
class Unlocated:
    """An identifier whose words have no reliable time. ``estimate``: the gap between its
    timed neighbours, covered anyway (None: nothing to go by, so nothing was covered)."""

    finding_id: str
    type: str
    segment_id: int
    estimate: Stretch | None


@dataclass
class Coverage:
    """What will be covered, worked out from the transcript alone (no audio needed)."""

    stretches: list[Stretch] = field(default_factory=list)
    located: int = 0
    marked: int = 0  # stretches the researcher marked by hand
    unlocated: list[Unlocated] = field(default_factory=list)
    # What was actually covered, once written: the stretches widened to the quiet around them.
    covered: list[Stretch] | None = None

    def final(self) -> list[Stretch]:
        return self.stretches if self.covered is None else self.covered

    def covered_s(self) -> float:
        return sum(s.end - s.start for s in self.final())

    def unlocated_message(self) -> str:
        """One sentence for the export's last check (no original text in it)."""
        n = len(self.unlocated)
        if not n:
            return ""
        kinds = Counter(ENTITY_TYPES.get(u.type, u.type.title()) for u in self.unlocated)
        what = ", ".join(f"{c} {k}" for k, c in sorted(kinds.items()))
        times = ", ".join(hms(u.estimate.start) for u in self.unlocated if u.estimate)
        near = f" (near {times}; the gap there was covered as well)" if times else ""
        return (f"{n} identifier(s) ({what}) could not be located in the audio{near}: the text "
                "was edited or has no word times. Listen to the anonymised audio there, and "
                "mark by hand in review (Shift+drag on the overview bar) what is still heard.")

    def report_lines(self, cover: Cover) -> list[str]:
        """The anonymised-audio part of the ethics report: counts and times, no text."""
        lines = ["Anonymised audio",
                 f"  Identifiers covered ({cover.value})  {self.located}",
                 f"  Stretches covered  {len(self.final())}, {self.covered_s():.1f} s in all"]
        if self.marked:
            lines.append(f"  Marked by hand  {self.marked}")
        if self.unlocated:
            lines.append(f"  Could not be located in the audio  {len(self.unlocated)}")
            for u in self.unlocated:
                name = ENTITY_TYPES.get(u.type, u.type.title())
                where = (f"gap {hms(u.estimate.start)}-{hms(u.estimate.end)} covered"
                         if u.estimate else "NOT covered: nothing to time it by")
                lines.append(f"    {name:<14} {where}")
        return lines


class AudioCheckError(LeakError):
    """The anonymised audio failed its check after writing; the file was deleted."""

    def __init__(self, leaks: list[Leak]) -> None:
        RuntimeError.__init__(self, (
            "The anonymised audio was not written: the check after writing found "
            f"{'; '.join(sorted({leak.part for leak in leaks}))}. Look at the word times of "
            "the identifiers there (correct the transcript, or mark the identifier again) and "
            "export again."))
        self.fmt = "audio"
        self.leaks = leaks


# -- locate: where the identifiers are said ------------------------------------------------

def _timed(text: str, spans: list[tuple[int, int, float, float]], start: int,
           end: int) -> tuple[float, float] | None:
    """The time of text[start:end] when every letter and digit of it lies in a timed word."""
    words = [sp for sp in spans if sp[0] < end and start < sp[1]]
    if not words:
        return None
    inside = {i for s, e, _, _ in words for i in range(max(s, start), min(e, end))}
    if any(text[i].isalnum() and i not in inside for i in range(start, end)):
        return None
    return min(w[2] for w in words), max(w[3] for w in words)


def _estimate(seg: Segment, spans: list[tuple[int, int, float, float]], start: int,
              end: int) -> Stretch | None:
    """From the end of the last timed word before to the start of the first one after."""
    if not spans and seg.end <= seg.start:
        return None
    before = [sp for sp in spans if sp[1] <= start]
    after = [sp for sp in spans if sp[0] >= end]
    t0 = before[-1][3] if before else seg.start
    t1 = after[0][2] if after else seg.end
    return Stretch(t0, max(t0, t1))


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Each replaced speaker name whole, and each of its words of three letters or more."""
    parts: set[str] = set()
    for name in names:
        words = re.findall(r"\w+", name)
        if words:
            parts.add(r"\s+".join(re.escape(w) for w in words))
            parts.update(re.escape(w) for w in words if len(w) >= 3 and not w.isdigit())
    if not parts:
        return None
    ordered = sorted(parts, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", re.IGNORECASE)


def locate(raw: Transcript, findings: Sequence[Finding], spoken_names: Iterable[str] = (),
         options: AudioOptions | None = None, duration: float = 0.0,
         marks: Sequence[AudioMark] = ()) -> Coverage:
    """The stretches to cover: ``findings`` (all but rejected ones: the caller passes what
    the text replaces or marks), replaced speaker names said aloud, and ``marks`` (stretches
    the researcher marked by hand).

    ``raw`` is the raw transcript (with word times), never the anonymised one.
    """
    options = options or AudioOptions()
    by_segment: dict[int, list[tuple[int, int, Finding | None]]] = {}
    for f in findings:
        if f.decision is not Decision.REJECTED and f.text.strip():
            by_segment.setdefault(f.segment_id, []).append((f.start, f.end, f))
    names = _name_pattern(spoken_names)
    out = Coverage()
    times: list[tuple[float, float]] = []
    for seg in raw.segments:
        items = by_segment.get(seg.id, [])
        if names is not None:
            items += [(m.start(), m.end(), None) for m in names.finditer(seg.text)
                      if not any(m.start() < e and s < m.end() for s, e, _ in items)]
        if not items:
            continue
        spans = word_spans(seg)
        for start, end, finding in items:
            timed = _timed(seg.text, spans, start, end)
            if timed is not None:
                times.append(timed)
                out.located += finding is not None
            elif finding is not None:
                guess = _estimate(seg, spans, start, end)
                out.unlocated.append(Unlocated(finding.id, finding.type, seg.id, guess))
                if guess is not None:
                    times.append((guess.start, guess.end))
    times += [(m.start, m.end) for m in marks]
    out.marked = len(marks)
    out.stretches = merge(times, options, duration or raw.recording.duration)
    return out


def merge(times: Iterable[tuple[float, float]], options: AudioOptions,
          duration: float = 0.0) -> list[Stretch]:
    """Padded, clipped to the recording, and merged where closer than ``merge_gap_s``."""
    padded = sorted((max(0.0, a - options.pad_s), b + options.pad_s) for a, b in times)
    out: list[list[float]] = []
    for a, b in padded:
        if duration > 0:
            b = min(b, duration)
        if b <= a:
            continue
        if out and a - out[-1][1] < options.merge_gap_s:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [Stretch(round(a, 3), round(b, 3)) for a, b in out]


# -- render: write the covered copy --------------------------------------------------------

def _samples(stretches: Sequence[Stretch], rate: int) -> list[tuple[int, int]]:
    return [(round(s.start * rate), round(s.end * rate)) for s in stretches]


def _cover_block(block: np.ndarray, n0: int, ranges: Sequence[tuple[int, int]],
                 options: AudioOptions, rate: int) -> None:
    """Cover, in place, the parts of ``block`` (first sample ``n0``) inside ``ranges``, with
    a short cross-fade at each end (inside the padding) so the cut does not click."""
    n1 = n0 + block.shape[0]
    ramp = max(1.0, 0.01 * rate)
    for a, b in ranges:
        lo, hi = max(a, n0), min(b, n1)
        if lo >= hi:
            continue
        idx = np.arange(lo, hi, dtype=np.float64)
        weight = np.minimum(1.0, np.minimum(idx - a + 1, b - idx) / ramp).astype(np.float32)
        part = block[lo - n0:hi - n0]
        part *= 1.0 - weight
        if options.cover is Cover.TONE:
            tone = options.tone_level * np.sin(2 * np.pi * options.tone_hz * idx / rate)
            part += weight * tone.astype(np.float32)


FRAME_S = 0.01  # the level envelope used to find where a word really starts and ends


class _Envelope:
    """RMS per ``FRAME_S`` of everything decoded so far (2 h: 720,000 floats)."""

    def __init__(self, rate: int, expected_s: float, offset: int = 0) -> None:
        self.frame = max(1, round(FRAME_S * rate))
        self.values = np.zeros(int(expected_s / FRAME_S) + 100, dtype=np.float32)
        self.n = 0
        self.offset = offset  # the frame (of the whole recording) ``values[0]`` is
        self.rest = np.zeros(0, dtype=np.float32)

    def add(self, block: np.ndarray) -> None:
        x = np.concatenate([self.rest, block]) if self.rest.size else block
        k = x.shape[0] // self.frame
        rms = np.sqrt(np.mean(np.square(x[:k * self.frame]).reshape(k, self.frame), axis=1))
        if self.n + k > self.values.shape[0]:
            self.values = np.concatenate([self.values, np.zeros(max(k, self.n // 2),
                                                                dtype=np.float32)])
        self.values[self.n:self.n + k] = rms
        self.n += k
        self.rest = x[k * self.frame:].copy()

    def snap(self, stretch: Stretch, reach_s: float) -> Stretch:
        """Widen ``stretch`` (never narrow it) to the nearest quiet point within ``reach_s``
        each side, or the deepest dip when there is none: the recogniser's word times are
        often a syllable late or early ("Brad-" still heard before "Bradford")."""
        env = self.values[:self.n]
        off = self.offset
        first, last = int(stretch.start / FRAME_S) - off, math.ceil(stretch.end / FRAME_S) - off
        reach = round(reach_s / FRAME_S)
        lo, hi = max(0, first - reach), min(env.shape[0], last + reach)
        if lo >= hi or first >= env.shape[0]:
            return stretch
        quiet = max(0.15 * float(np.percentile(env[lo:hi], 90)), 1e-3)
        before = env[lo:first + 1]
        at = np.flatnonzero(before <= quiet)
        start = lo + (int(at[-1]) if at.size else int(np.argmin(before)))
        after = env[max(last - 1, lo):hi]
        at = np.flatnonzero(after <= quiet)
        end = max(last - 1, lo) + (int(at[0]) if at.size else int(np.argmin(after))) + 1
        return Stretch(min(stretch.start, round((start + off) * FRAME_S, 3)),
                       max(stretch.end, round((end + off) * FRAME_S, 3)))


class _Snapped:
    """The stretches, each widened once the audio up to ``reach`` beyond it is known."""

    def __init__(self, stretches: Sequence[Stretch], options: AudioOptions) -> None:
        self.todo = list(stretches)
        self.done: list[Stretch] = []
        self.reach = options.snap_s if options.snap_s > 0 else 0.0

    def resolve(self, envelope: _Envelope, known_s: float, final: bool) -> None:
        while self.todo and (final or self.todo[0].end + self.reach + FRAME_S < known_s):
            s = envelope.snap(self.todo.pop(0), self.reach) if self.reach else self.todo.pop(0)
            if self.done and s.start <= self.done[-1].end:
                s = Stretch(self.done[-1].start, max(s.end, self.done[-1].end))
                self.done[-1] = s
            else:
                self.done.append(s)

    def safe_until(self) -> float:
        """Audio before this time can no longer be touched by a stretch still to resolve."""
        return self.todo[0].start - self.reach - FRAME_S if self.todo else math.inf


def render(source: Path, target: Path, stretches: Sequence[Stretch],
           options: AudioOptions | None = None, progress: StepProgress | None = None,
           cancel: CancelToken | None = None) -> tuple[float, list[Stretch]]:
    """Write ``source``'s audio with ``stretches`` covered to ``target`` (AAC .m4a, mono).

    A mono AAC-LC original keeps its own packets where nothing is covered (``_render_kept``:
    a tenth of the CPU of encoding the whole, and the original's quality); any other is
    decoded and encoded whole. Reads the original only; returns the seconds written and the
    stretches as finally covered (snapped to the quiet around them)."""
    options = options or AudioOptions()
    native = _kept_aac(source) if options.keep_aac else None
    if native is not None and all(b - a <= KEEP_MAX_S * native.rate
                                  for a, b in _kept_groups(stretches, options, native)[1]):
        try:
            return _render_kept(source, target, stretches, options, native, progress, cancel)
        except _NotKept:
            pass  # timestamps it cannot follow: encoded whole instead (same target)
    return _render_encoded(source, target, stretches, options, progress, cancel)


def _render_encoded(source: Path, target: Path, stretches: Sequence[Stretch],
                    options: AudioOptions, progress: StepProgress | None,
                    cancel: CancelToken | None) -> tuple[float, list[Stretch]]:
    """The whole recording decoded, covered and encoded at ``options.sample_rate``. Blocks
    are held back only until every stretch that may reach them is settled (snapped), so
    memory stays at a few blocks."""
    rate = options.sample_rate
    total = max(media.probe(source).duration, 1e-6)
    # The decoder hands out the last frame whole, padding and all; the container says where
    # the recording ends. Ending there keeps the copy as long as the original to the
    # millisecond (a longer tail is audio, not padding: kept).
    limit, trim = round(total * rate), round(TRIM_S * rate)
    envelope = _Envelope(rate, total)
    snapped = _Snapped(stretches, options)
    held: list[np.ndarray] = []
    decoded = written = 0
    with av.open(str(target), "w", format="ipod") as out:
        stream = out.add_stream("aac", rate=rate, layout="mono")
        stream.bit_rate = options.bit_rate
        # The fast coder: 2x faster, speech sounds alike. No noise substitution: its noise is
        # drawn at random when decoding, so the check's seek-and-decode of each stretch
        # (``verify``) would hear other samples than a player going through the whole file.
        stream.codec_context.options = {"aac_coder": "fast", "aac_pns": "0"}

        def emit(block: np.ndarray) -> None:
            nonlocal written
            n1 = written + block.shape[0]
            ranges = [r for r in _samples(snapped.done, rate) if r[0] < n1 and written < r[1]]
            _cover_block(block, written, ranges, options, rate)
            frame = av.AudioFrame.from_ndarray(np.clip(block, -1, 1)[None, :], format="fltp",
                                               layout="mono")
            frame.sample_rate = rate
            frame.pts = written
            written = n1
            for packet in stream.encode(frame):
                out.mux(packet)

        for block in media.stream(source, rate, BLOCK_S):
            if cancel is not None:
                cancel.check()
            envelope.add(block)
            held.append(block)
            decoded += block.shape[0]
            snapped.resolve(envelope, decoded / rate, final=False)
            while held and (written + held[0].shape[0]) / rate <= snapped.safe_until() and (
                    written + held[0].shape[0] <= limit):
                emit(held.pop(0))
            if progress is not None:
                progress("audio", min(written / rate / total, 1.0))
        snapped.resolve(envelope, decoded / rate, final=True)
        for block in _trimmed(held, decoded - limit if decoded - limit <= trim else 0):
            emit(block)
        for packet in stream.encode(None):
            out.mux(packet)
    if progress is not None:
        progress("audio", 1.0)
    return written / rate, snapped.done


# -- render by keeping the original's AAC packets -----------------------------------------
#
# Encoding a Teams hour again costs 10 CPU-s (decoding and resampling 48 kHz, then the AAC
# encoder at 16 kHz), most of the anonymised-audio export. An AAC packet holds 1024 samples
# and decodes together with the packet before it, so a stretch can be covered by replacing
# only the packets around it: the original's audio there is decoded (from a few packets
# before, at its own rate), covered, and given to an encoder that starts ``KEEP_PREROLL``
# packets early; those first packets (its own start-up) are dropped, so the first kept one is
# what it writes mid-stream, and it overlaps the original packet before it as closely as a
# re-encoding can (``bench/audio.py`` measures the error at the seams). The packets' times
# and the timeline are the original's; the video track is left out as ever.

AAC_FRAME = 1024  # samples per AAC-LC packet
# A region is decoded and encoded in one piece: one longer than this (a long stretch marked by
# hand, names said one after another) has the whole encoded instead, in blocks (memory).
KEEP_MAX_S = 60.0
KEEP_PAD = 2  # packets encoded again beyond each end of a covered stretch (at 48 kHz: 43 ms)
# Packets of the original the encoder starts with, then dropped. Error at the seams against
# the original (speech either side; tests/test_export_audio.py): 0 packets -20 dB, 1 -23 dB,
# 3 -46 dB; the whole 16 kHz encode -33 dB there (and -27 dB everywhere else).
KEEP_PREROLL = 3
KEEP_POSTROLL = 2  # and ends with: its last kept packets are not its final ones


class _NotKept(Exception):
    """The original's packets cannot be followed (a missing or off-grid timestamp)."""


@dataclass(frozen=True)
class _Native:
    """The original's audio, when its packets can be kept."""

    rate: int
    bit_rate: int


def _kept_aac(source: Path) -> _Native | None:
    """Mono AAC-LC in 1024-sample packets timed in samples from a packet boundary, or None."""
    try:
        with av.open(str(source), metadata_errors="ignore") as container:
            if not container.streams.audio:
                return None
            stream = container.streams.audio[0]
            ctx = stream.codec_context
            rate = int(ctx.sample_rate or 0)
            if (ctx.name != "aac" or ctx.profile != "LC" or ctx.channels != 1 or rate <= 0
                    or ctx.frame_size != AAC_FRAME
                    or stream.time_base != Fraction(1, rate)):
                return None
            first = next((p for p in container.demux(stream) if p.dts is not None), None)
            if first is None or first.pts is None or first.pts % AAC_FRAME:
                return None
            return _Native(rate, int(ctx.bit_rate or stream.bit_rate or 64000))
    except (av.error.FFmpegError, OSError):
        return None


@dataclass
class _Region:
    """Packets ``[start, end)`` (in samples) of the original replaced by ``packets``."""

    start: int
    end: int
    packets: dict[int, Any]  # by time
    covered: list[Stretch]


class _Pieces:
    """Consecutive ``(first sample, block)`` pieces, taken apart into given ranges in order."""

    def __init__(self, pieces: Iterable[tuple[int, np.ndarray]]) -> None:
        self.pieces = iter(pieces)
        self.current: tuple[int, np.ndarray] | None = next(self.pieces, None)

    def take(self, a: int, b: int) -> tuple[int, np.ndarray]:
        """The samples from ``a`` (or the first one after it) to ``b``; where they begin."""
        parts: list[np.ndarray] = []
        first = -1
        while self.current is not None:
            n0, block = self.current
            n1 = n0 + block.shape[0]
            lo, hi = max(a, n0), min(b, n1)
            if lo < hi:
                first = lo if first < 0 else first
                parts.append(block[lo - n0:hi - n0])
            if n1 > b:
                break
            self.current = next(self.pieces, None)
        return first, (np.concatenate(parts) if parts else np.zeros(0, np.float32))


def _kept_groups(stretches: Sequence[Stretch], options: AudioOptions,
                 native: _Native) -> tuple[list[list[Stretch]], list[tuple[int, int]]]:
    """Stretches whose regions (with the snap's reach, padding and the encoder's run-in and
    run-out) touch, grouped; and the samples each group decodes."""
    rate, frame = native.rate, AAC_FRAME
    margin = options.snap_s + (KEEP_PAD + KEEP_PREROLL + 1) * frame / rate
    groups: list[list[Stretch]] = []
    for s in stretches:
        if groups and s.start - margin <= groups[-1][-1].end + margin:
            groups[-1].append(s)
        else:
            groups.append([s])
    spans = [(max(0, math.floor((g[0].start - margin) * rate) // frame * frame),
              math.ceil((g[-1].end + margin) * rate)) for g in groups]
    return groups, spans


def _kept_regions(source: Path, stretches: Sequence[Stretch], options: AudioOptions,
                  native: _Native) -> Iterator[_Region]:
    """The re-encoded regions in order, each made when asked for (one group's audio at a
    time: ``render`` keeps packets only where every group is short)."""
    groups, spans = _kept_groups(stretches, options, native)
    pieces = _Pieces(media.stream_ranges(source, spans, native.rate, BLOCK_S))
    for group, (a, b) in zip(groups, spans, strict=True):
        d0, audio = pieces.take(a, b)
        if d0 < 0 or d0 % AAC_FRAME:
            raise _NotKept
        yield _region(audio, d0, group, options, native)


def _region(audio: np.ndarray, d0: int, group: list[Stretch], options: AudioOptions,
            native: _Native) -> _Region:
    """One region: the stretches snapped to the quiet around them, covered in the decoded
    original, and the packets over them encoded again."""
    rate, frame = native.rate, AAC_FRAME
    hop = max(1, round(FRAME_S * rate))
    e0 = -(-d0 // hop) * hop  # the envelope's frames are the whole recording's
    envelope = _Envelope(rate, audio.shape[0] / rate + 1.0, offset=e0 // hop)
    envelope.add(audio[e0 - d0:])
    snapped = _Snapped(group, options)
    snapped.resolve(envelope, math.inf, final=True)
    covered = snapped.done
    d1 = d0 + audio.shape[0]
    start = max(d0, (math.floor(covered[0].start * rate) // frame - KEEP_PAD) * frame)
    end = (-(-math.ceil(covered[-1].end * rate) // frame) + KEEP_PAD) * frame
    lo = max(d0, start - KEEP_PREROLL * frame)
    hi = min(d1, end + KEEP_POSTROLL * frame)
    block = audio[lo - d0:hi - d0].copy()
    _cover_block(block, lo, _samples(covered, rate), options, rate)
    encoder = av.CodecContext.create("aac", "w")
    encoder.sample_rate, encoder.layout, encoder.format = rate, "mono", "fltp"
    encoder.bit_rate = native.bit_rate
    encoder.time_base = Fraction(1, rate)
    encoder.options = {"aac_coder": "fast", "aac_pns": "0"}  # as ``_render_encoded``
    piece = av.AudioFrame.from_ndarray(np.clip(block, -1, 1)[None, :], format="fltp",
                                       layout="mono")
    piece.sample_rate, piece.pts, piece.time_base = rate, lo, Fraction(1, rate)
    packets = {p.pts: p for p in [*encoder.encode(piece), *encoder.encode(None)]
               if p.pts is not None and start <= p.pts < end}
    return _Region(start, end, packets, covered)


def _render_kept(source: Path, target: Path, stretches: Sequence[Stretch],
                 options: AudioOptions, native: _Native, progress: StepProgress | None,
                 cancel: CancelToken | None) -> tuple[float, list[Stretch]]:
    """The original's packets copied, those around each stretch replaced (see above)."""
    total = max(media.probe(source).duration, 1e-6)
    covered: list[Stretch] = []
    regions = _kept_regions(source, stretches, options, native)
    region = next(regions, None)
    with av.open(str(source), metadata_errors="ignore") as inp, \
            av.open(str(target), "w", format="ipod") as out:
        original = inp.streams.audio[0]
        stream = out.add_stream_from_template(original)
        for n, packet in enumerate(inp.demux(original)):
            if packet.dts is None:
                continue  # the demuxer's empty flush packet
            if packet.pts is None or packet.pts % AAC_FRAME:
                raise _NotKept
            while region is not None and packet.pts >= region.end:
                covered += region.covered
                region = next(regions, None)
            if region is not None and packet.pts >= region.start:
                packet = region.packets.get(packet.pts)
                if packet is None:
                    raise _NotKept
                packet.time_base = original.time_base
                packet.dts = packet.pts
            packet.stream = stream
            out.mux(packet)
            if n % 2000 == 0:
                if cancel is not None:
                    cancel.check()
                if progress is not None:
                    progress("audio", min(max(packet.pts, 0) / native.rate / total, 1.0))
        while region is not None:  # a region past the last packet (nothing left to cover)
            covered += region.covered
            region = next(regions, None)
    if progress is not None:
        progress("audio", 1.0)
    return total, covered


def _trimmed(blocks: list[np.ndarray], extra: int) -> list[np.ndarray]:
    """``blocks`` without their last ``extra`` samples."""
    out = list(blocks)
    while extra > 0 and out:
        cut = min(extra, out[-1].shape[0])
        out[-1] = out[-1][:out[-1].shape[0] - cut]
        extra -= cut
        if not out[-1].shape[0]:
            out.pop()
    return out


# -- verify: listen to what was written ----------------------------------------------------

@dataclass
class _Level:
    """Running sums over one stretch's inside: energy and its projection on the tone."""

    first: int
    last: int
    n: int = 0
    energy: float = 0.0
    sin: float = 0.0
    cos: float = 0.0

    def add(self, block: np.ndarray, n0: int, omega: float) -> None:
        lo, hi = max(self.first, n0), min(self.last, n0 + block.shape[0])
        if lo >= hi:
            return
        x = block[lo - n0:hi - n0].astype(np.float64)
        phase = omega * np.arange(lo, hi, dtype=np.float64)
        self.n += x.shape[0]
        # Sums of products, not np.dot: BLAS wakes its threads for vectors this long, and on a
        # busy machine their hand-over costs 50 times the sum itself.
        self.energy += float(np.sum(x * x))
        self.sin += float(np.sum(x * np.sin(phase)))
        self.cos += float(np.sum(x * np.cos(phase)))

    def problem(self, options: AudioOptions, end: int) -> str:
        """What is wrong with the stretch ("" when nothing): ``end``, the decoded length (a
        stretch past it is the length check's to report)."""
        if self.n < min(self.last, end) - self.first:
            return "audio that could not be decoded"
        if self.n == 0:
            return ""
        rms = math.sqrt(self.energy / self.n)
        if options.cover is Cover.SILENCE:
            return "" if rms <= options.silence_level else "sound where there should be silence"
        amplitude = 2.0 * math.hypot(self.sin, self.cos) / self.n
        residual = math.sqrt(max(0.0, rms ** 2 - amplitude ** 2 / 2))
        if abs(amplitude - options.tone_level) > 0.3 * options.tone_level:
            return "the tone is missing"
        return "" if residual <= options.tone_residual else "sound under the tone"


@dataclass
class _Clip:
    """A neighbourhood of covered stretches, gathered for the recogniser."""

    first: int
    last: int
    skip: list[tuple[int, int]] = field(default_factory=list)  # the middles of long stretches
    parts: list[np.ndarray] = field(default_factory=list)
    n: int = 0

    def add(self, block: np.ndarray, n0: int) -> None:
        lo, hi = max(self.first, n0), min(self.last, n0 + block.shape[0])
        for a, b in self.skip:
            if lo < hi and a < hi and lo < b:
                if lo < a:
                    self._keep(block, n0, lo, a)
                lo = max(lo, b)
        if lo < hi:
            self._keep(block, n0, lo, hi)

    def _keep(self, block: np.ndarray, n0: int, lo: int, hi: int) -> None:
        self.parts.append(block[lo - n0:hi - n0].copy())
        self.n += hi - lo

    def audible(self, rate: int) -> bool:
        """Leave out what holds nothing to hear (``quiet_level``): the quiet at either end beyond
        ``QUIET_KEEP_S`` from the sound, and of a pause inside longer than ``QUIET_PAUSE_S``
        all but ``QUIET_PAUSE_S``. False when no sound is left (nothing for the recogniser)."""
        audio = np.concatenate(self.parts) if self.parts else np.zeros(0, np.float32)
        loud = _loud_frames(audio, rate)
        if not loud.any():
            self.parts, self.n = [], 0
            return False
        frame = round(FRAME_S * rate)
        keep = np.zeros(loud.shape[0], bool)
        edge, pause = round(QUIET_KEEP_S / FRAME_S), round(QUIET_PAUSE_S / FRAME_S)
        at = np.flatnonzero(loud)
        keep[max(0, at[0] - edge):at[-1] + edge + 1] = True
        for a, b in zip(at[:-1] + 1, at[1:], strict=True):  # each pause inside: [a, b)
            if b - a > pause:
                keep[a + pause - pause // 2:b - pause // 2] = False
        self.parts = [audio[np.repeat(keep, frame)[:audio.shape[0]]]]
        self.n = self.parts[0].shape[0]
        return True


def _loud_frames(audio: np.ndarray, rate: int) -> np.ndarray:
    """Which ``FRAME_S`` frames of ``audio`` (the last one maybe shorter) are above its
    ``quiet_level``."""
    frame = round(FRAME_S * rate)
    if not audio.shape[0]:
        return np.zeros(0, bool)
    starts = np.arange(0, audio.shape[0], frame)
    x = audio.astype(np.float64)
    power = np.add.reduceat(x * x, starts) / np.diff(np.append(starts, audio.shape[0]))
    return power > quiet_level(power) ** 2


def quiet_level(power: np.ndarray) -> float:
    """The RMS below which a frame of mean square ``power`` counts as quiet: the frames' own
    floor (10th percentile) plus ``QUIET_MARGIN_DB``, at most ``QUIET_BELOW_DB`` under the
    loud frames (90th percentile) and ``QUIET_CAP``, at least ``QUIET``."""
    floor, loud = np.percentile(power, [10, 90])
    level = min(floor * 10 ** (QUIET_MARGIN_DB / 10), loud * 10 ** (-QUIET_BELOW_DB / 10),
                QUIET_CAP ** 2)
    return math.sqrt(max(float(level), QUIET ** 2))


def _clips(stretches: Sequence[Stretch], context_s: float, duration: float,
           rate: int) -> list[_Clip]:
    """What the recogniser hears: each neighbourhood, with the middle of every covered
    stretch longer than ``2 * KEEP_S`` left out (it was checked to be the tone or silence;
    the ends stay, where a cut-short name would be). Fewer recogniser windows, same words."""
    keep = round(KEEP_S * rate)
    clips = []
    for hood in neighbourhoods(stretches, context_s, duration):
        skip = [(round(s.start * rate) + keep, round(s.end * rate) - keep) for s in stretches
                if hood.start <= s.start and s.end <= hood.end and s.end - s.start > 2 * KEEP_S]
        clips.append(_Clip(round(hood.start * rate), round(hood.end * rate), skip))
    return clips


def neighbourhoods(stretches: Sequence[Stretch], context_s: float,
                   duration: float) -> list[Stretch]:
    """Each stretch widened by ``context_s`` each side, overlapping ones joined."""
    out: list[Stretch] = []
    for s in stretches:
        a, b = max(0.0, s.start - context_s), s.end + context_s
        if duration > 0:
            b = min(b, duration)
        if out and a <= out[-1].end:
            out[-1] = Stretch(out[-1].start, max(out[-1].end, b))
        else:
            out.append(Stretch(a, b))
    return out


class _Listener:
    """Hears neighbourhoods in batches and notes any accepted original it hears."""

    def __init__(self, recogniser: Recogniser, originals: Sequence[str], path: Path,
                 dense: bool = True) -> None:
        self.recogniser = recogniser
        self.dense = dense
        self.terms = compile_terms(originals)
        self.words = [(i, w) for i, o in enumerate(originals)
                      for w in re.findall(r"[^\W\d_]{5,}", o.casefold())]
        self.path = path
        self.batch: list[_Clip] = []
        self.batch_n = 0
        self.full: list[list[_Clip]] = []  # batches waiting to be heard together
        self.gap = np.zeros(int((DENSE_GAP_S if dense else CLIP_GAP_S) * VERIFY_RATE),
                            dtype=np.float32)
        self.leaks: list[Leak] = []

    def add(self, clip: _Clip) -> None:
        if self.dense and not clip.audible(VERIFY_RATE):
            return  # nothing but silence (and the covered stretch's checked ends) to hear
        if self.batch and self.batch_n + clip.n + self.gap.shape[0] > WINDOW_S * VERIFY_RATE:
            self.full.append(self.batch)
            self.batch, self.batch_n = [], 0
            if len(self.full) >= WINDOWS_AT_ONCE:
                self._hear_full()
        self.batch.append(clip)
        self.batch_n += clip.n + self.gap.shape[0]

    def flush(self) -> None:
        """Hear what is left."""
        if self.batch:
            self.full.append(self.batch)
            self.batch, self.batch_n = [], 0
        self._hear_full()

    def _hear_full(self) -> None:
        """Hear each waiting batch as one window (the windows together); only where one holds
        an original, halve it until the clips that carry it are found (rare, so the usual
        cost is one window per batch)."""
        batches, self.full = self.full, []
        if not batches or not self.terms:
            return
        windows = [self._window(batch) for batch in batches]
        many = getattr(self.recogniser, "hear_many", None)
        texts = many(windows) if many is not None else [self.recogniser(*w) for w in windows]
        for batch, text in zip(batches, texts, strict=True):
            for group, hits in self._locate(batch, self._hits(text)):
                first, last = group[0].first / VERIFY_RATE, group[-1].last / VERIFY_RATE
                where = f"near {hms(first)}" if len(group) == 1 else (
                    f"between {hms(first)} and {hms(last)}")
                self.leaks += [Leak(self.path, f"an accepted identifier still heard {where}", t)
                               for t in sorted(hits)]

    def _window(self, clips: list[_Clip]) -> tuple[np.ndarray, list[float]]:
        """The clips one after another with a gap after each, and where each begins (s)."""
        parts = [x for c in clips for x in (*c.parts, self.gap)]
        starts = np.cumsum([0] + [c.n + self.gap.shape[0] for c in clips[:-1]]) / VERIFY_RATE
        tail = TAIL_GAP_S - DENSE_GAP_S if self.dense else 0.0
        end = np.zeros(round(tail * VERIFY_RATE), dtype=np.float32)
        return np.concatenate([*parts, end]), [float(t) for t in starts]

    def _hear(self, clips: list[_Clip]) -> set[int]:
        return self._hits(self.recogniser(*self._window(clips)))

    def _locate(self, clips: list[_Clip], hits: set[int]) -> list[tuple[list[_Clip], set[int]]]:
        """The smallest groups of clips in which the recogniser still hears an original (a
        clip alone is sometimes too short for it to understand: then its group is named, as
        for an original heard in the group but in neither half, whatever the halves hold)."""
        if not hits:
            return []
        if len(clips) == 1:
            return [(clips, hits)]
        half = len(clips) // 2
        found = [g for part in (clips[:half], clips[half:])
                 for g in self._locate(part, self._hear(part))]
        unplaced = hits - {t for _group, placed in found for t in placed}
        return found + ([(clips, unplaced)] if unplaced else [])

    def _hits(self, text: str) -> set[int]:
        return set(count_text(text, self.terms)) | set(self._partial(text))

    def _partial(self, text: str) -> list[int]:
        """Originals whose word was heard cut short ("Brad" of "Bradford"): half a name or
        more, four letters or more, still says whom or where."""
        heard = set(re.findall(r"[^\W\d_]{4,}", text.casefold()))
        return [i for i, word in self.words
                if any(word.startswith(h) and 2 * len(h) >= len(word) for h in heard)]


def verify(path: Path, stretches: Sequence[Stretch], originals: Sequence[str],
           duration: float, options: AudioOptions | None = None,
           recogniser: Recogniser | None = None, progress: StepProgress | None = None,
           cancel: CancelToken | None = None) -> list[Leak]:
    """Decode ``path`` again: each stretch silent or the tone, the length right, and (with a
    recogniser) no accepted original heard in any stretch's neighbourhood.

    Only what is checked is decoded: the file is sought to each neighbourhood (the same
    samples a player going through the whole file would produce) and to its last second."""
    options = options or AudioOptions()
    rate = VERIFY_RATE
    edge = round(EDGE_S * rate)
    levels = [_Level(round(s.start * rate) + edge, round(s.end * rate) - edge)
              for s in stretches]
    listener = _Listener(recogniser, originals, path, options.dense_listening) if (
        recogniser is not None and options.check_speech) else None
    todo = _clips(stretches, options.context_s, duration, rate) if listener else []
    wanted = [(c.first, c.last) for c in todo] or [(lv.first, lv.last) for lv in levels]
    tail = max(0, round((duration - TAIL_S) * rate))
    clips = iter(todo)
    clip = next(clips, None)
    omega = 2 * np.pi * options.tone_hz / rate
    end = 0  # the end of the decoded audio (the last piece reaches it: see ``tail``)
    for n0, block in media.stream_ranges(path, [*wanted, (tail, 1 << 62)], rate, BLOCK_S):
        if cancel is not None:
            cancel.check()
        n1 = n0 + block.shape[0]
        for level in levels:
            if level.first < n1 and n0 < level.last:
                level.add(block, n0, omega)
        while listener is not None and clip is not None and clip.first < n1:
            clip.add(block, n0)
            if clip.last > n1:
                break
            listener.add(clip)
            clip = next(clips, None)
        end = max(end, n1)
        if progress is not None:
            progress("audio check", min(n1 / rate / max(duration, 1e-6), 1.0))
    if progress is not None:
        progress("audio check", 1.0)
    if listener is not None:
        if clip is not None and clip.n:
            listener.add(clip)
        listener.flush()
    leaks = [Leak(path, f"{problem} at {hms(s.start)}", NO_TERM)
             for s, level in zip(stretches, levels, strict=True)
             if (problem := level.problem(options, end))]
    if end < tail:
        leaks.append(Leak(path, f"audio that ends before {tail / rate:.1f} s where the "
                          f"recording lasts {duration:.1f} s", NO_TERM))
    elif abs(end / rate - duration) > 0.5:
        leaks.append(Leak(path, f"audio of {end / rate:.1f} s where the recording lasts "
                          f"{duration:.1f} s", NO_TERM))
    return leaks + (listener.leaks if listener is not None else [])


def write(source: Path, target: Path, audio_coverage: Coverage, originals: Sequence[str],
          options: AudioOptions | None = None, recogniser: Recogniser | None = None,
          progress: StepProgress | None = None, cancel: CancelToken | None = None) -> None:
    """Render, then verify; ``AudioCheckError`` when the written file fails its check (the
    caller deletes it: it is still under its temporary name)."""
    options = options or AudioOptions()
    seconds, covered = render(Path(source), Path(target), audio_coverage.stretches, options,
                              progress, cancel)
    audio_coverage.covered = covered
    leaks = verify(Path(target), covered, originals, seconds, options, recogniser, progress,
                   cancel)
    if leaks:
        raise AudioCheckError(leaks)


def recogniser_for(transcriber: Any) -> Recogniser:
    """What ``Transcriber``'s model hears (``transcribe/listening.py``): each window encoded
    once, decoded with times from its start and again from each part it did not write over,
    greedy, at most 6 tokens a second of audio. Timestamps matter: without them the model
    writes one text for the whole packed window and often ends it at the first gap (176
    words of ~400 on the bench hour)."""
    return transcriber.listener()
