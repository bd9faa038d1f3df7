"""Who said each word: speaker turns (from any source) onto the transcript's words.

Diarizers, channel energy and Teams cues all give time spans per speaker; faster-whisper gives
times per word. Joining them word by word (not segment by segment) is what stops a turn
boundary from cutting a word in two, and a boundary that lands a word or two inside a sentence
is moved to the sentence end, so the last words of a question are not given to the answerer.

Pure Python (no numpy, no torch): the review screen uses the helpers here too.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.model import Segment, Speaker, SpeakerTime, Transcript, Word

# A change of speaker is believable after sentence-ending punctuation or a pause this long.
PLAUSIBLE_PAUSE_S = 0.5
# How far (in words) a boundary inside a sentence may be moved to the nearest believable point.
SNAP_WORDS = 3
# Consecutive turns of one speaker closer than this become one turn (one paragraph in exports).
MERGE_GAP_S = 1.5
_SENTENCE_END = (".", "?", "!", "…", '."', '?"', '!"', ".'", "?'", "!'")


@dataclass(frozen=True)
class Turn:
    """A stretch of time (seconds) during which ``speaker`` (an id such as "S1") talks."""

    start: float
    end: float
    speaker: str


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _distance(a0: float, a1: float, b0: float, b1: float) -> float:
    """Gap between two spans (0 when they touch or overlap)."""
    return max(0.0, b0 - a1, a0 - b1)


class _TurnIndex:
    """Turns sorted by start (long ones cut into pieces), so a word looks only at turns near it."""

    _PIECE_S = 30.0

    def __init__(self, turns: Iterable[Turn]) -> None:
        pieces: list[Turn] = []
        for t in turns:
            if t.end < t.start:
                continue
            s = t.start
            while t.end - s > self._PIECE_S:
                pieces.append(Turn(s, s + self._PIECE_S, t.speaker))
                s += self._PIECE_S
            pieces.append(Turn(s, t.end, t.speaker))
        self.turns = sorted(pieces, key=lambda t: (t.start, t.end))
        self._starts = [t.start for t in self.turns]
        # _reach[i]: the turn reaching furthest right among turns[0..i] (nearest from the left).
        self._reach: list[int] = []
        for i, t in enumerate(self.turns):
            best = self._reach[-1] if self._reach else i
            self._reach.append(i if t.end >= self.turns[best].end else best)

    def speaker_for(self, start: float, end: float) -> tuple[str, float]:
        """The speaker whose turns overlap [start, end] most, and the share of the word they
        cover (0.0 when no turn overlaps and the nearest turn was taken instead)."""
        if end < start:
            start, end = end, start
        lo = bisect.bisect_left(self._starts, start - self._PIECE_S)
        hi = bisect.bisect_right(self._starts, end)
        share: dict[str, float] = {}
        for t in self.turns[lo:hi]:
            ov = _overlap(start, end, t.start, t.end)
            if ov > 0:
                share[t.speaker] = share.get(t.speaker, 0.0) + ov
        if share:
            speaker, ov = max(share.items(), key=lambda kv: kv[1])
            return speaker, min(1.0, ov / max(end - start, 1e-3))
        mid = (start + end) / 2
        i = bisect.bisect_right(self._starts, mid)
        near = [self.turns[self._reach[i - 1]]] if i > 0 else []
        if i < len(self.turns):
            near.append(self.turns[i])
        return min(near, key=lambda t: _distance(mid, mid, t.start, t.end)).speaker, 0.0


def _ends_sentence(word: Word) -> bool:
    return word.text.strip().endswith(_SENTENCE_END)


@dataclass
class _Tok:
    """One word in the flat stream: its segment, the speaker chosen for it, and how sure
    (the share of the word that speaker's turns cover)."""

    seg: int
    word: Word
    speaker: str
    share: float


def _break_strength(tokens: list[_Tok], i: int) -> int:
    """How believable a new speaker is at token ``i``: 2 after a sentence end or at the edges
    of the transcript, 1 after a pause or a segment boundary, 0 inside a sentence."""
    if i <= 0 or i >= len(tokens):
        return 2
    prev, cur = tokens[i - 1], tokens[i]
    if _ends_sentence(prev.word):
        return 2
    if prev.seg != cur.seg or cur.word.start - prev.word.end >= PLAUSIBLE_PAUSE_S:
        return 1
    return 0


def _snap_boundaries(tokens: list[_Tok], snap: int) -> None:
    """Move each speaker change that falls inside a sentence to a believable point at most
    ``snap`` words away, flipping the words the turns were least sure about."""
    i = 1
    while i < len(tokens):
        if tokens[i].speaker == tokens[i - 1].speaker or _break_strength(tokens, i) > 0:
            i += 1
            continue
        before, after = tokens[i - 1].speaker, tokens[i].speaker
        best: tuple[float, int, int] | None = None  # (cost, -strength, -j): lowest wins
        for j in range(max(0, i - snap), min(len(tokens), i + snap) + 1):
            strength = _break_strength(tokens, j)
            if j == i or strength == 0:
                continue
            lo, hi = min(i, j), max(i, j)
            if any(t.speaker not in (before, after) for t in tokens[lo:hi]):
                continue
            cost = sum(t.share for t in tokens[lo:hi])
            key = (round(cost, 6), -strength, -j)
            if best is None or key < best:
                best = key
        if best is None:
            i += 1
            continue
        target = -best[2]
        for t in tokens[min(i, target): max(i, target)]:
            t.speaker = before if target > i else after
        i = max(i, target) + 1


def _text_from_words(words: Sequence[Word]) -> str:
    """Words as text: faster-whisper's raw tokens carry their own leading space, our
    transcriber strips them (then a space goes between words)."""
    spaced = any(w.text[:1].isspace() for w in words[1:])
    text = "".join(w.text for w in words) if spaced else " ".join(w.text.strip() for w in words)
    return " ".join(text.split())


def _split_segment(seg: Segment, speakers: list[str], max_gap: float = MERGE_GAP_S
                   ) -> list[Segment]:
    """One segment per run of same-speaker words, also cut where the words pause longer than
    ``max_gap`` (what ``merge_adjacent`` would not join); text rebuilt only where a split
    happens.

    Why the pause cut: the recogniser's segments can run over several seconds without words
    (its voice detector glues speech across silence and the other speaker's talk), and timed
    exports place a turn's text within its segment's span, so one long segment laid its words
    over the silence and over the other voice's stretch (the other voice then had no cue)."""
    runs: list[tuple[str, list[Word]]] = []
    for word, spk in zip(seg.words, speakers, strict=True):
        if runs and runs[-1][0] == spk and word.start - runs[-1][1][-1].end <= max_gap:
            runs[-1][1].append(word)
        else:
            runs.append((spk, [word]))
    if len(runs) == 1:
        return [Segment(seg.id, seg.start, seg.end, seg.text, runs[0][0], list(seg.words))]
    out = []
    for k, (spk, words) in enumerate(runs):
        start = seg.start if k == 0 else words[0].start
        end = seg.end if k == len(runs) - 1 else words[-1].end
        out.append(Segment(0, start, end, _text_from_words(words), spk, words))
    return out


def _join(a: Segment, b: Segment) -> Segment:
    text = (a.text.rstrip() + " " + b.text.lstrip()).strip()
    return Segment(a.id, a.start, max(a.end, b.end), text, a.speaker, a.words + b.words)


def merge_adjacent(segments: list[Segment], max_gap: float = MERGE_GAP_S) -> list[Segment]:
    """Consecutive segments of one speaker with a short pause between them become one turn."""
    out: list[Segment] = []
    for seg in segments:
        if out and out[-1].speaker == seg.speaker and seg.start - out[-1].end <= max_gap:
            out[-1] = _join(out[-1], seg)
        else:
            out.append(seg)
    return out


_PLACEHOLDER = re.compile(r"Speaker \d+")


def build_speaker_list(transcript: Transcript, segments: list[Segment],
                  labels: dict[str, str] | None) -> list[Speaker]:
    """Speakers in order of first appearance: given label, else the old one, else "Speaker n".

    An old label that is itself a "Speaker n" placeholder (the recogniser's one voice before
    the speakers were found) is numbered afresh, so two voices never share a default label."""
    old = {sp.id: sp.label for sp in transcript.speakers
           if not _PLACEHOLDER.fullmatch(sp.label)}
    seen: list[str] = []
    for seg in segments:
        if seg.speaker not in seen:
            seen.append(seg.speaker)
    named = {sid: (labels or {}).get(sid) or old.get(sid) for sid in seen}
    taken = {label for label in named.values() if label}
    out = []
    for n, sid in enumerate(seen, start=1):
        label = named[sid]
        if not label:
            while f"Speaker {n}" in taken:
                n += 1
            label = f"Speaker {n}"
            taken.add(label)
        out.append(Speaker(id=sid, label=label))
    return out


def assign_speakers(
    transcript: Transcript,
    turns: Sequence[Turn],
    *,
    labels: dict[str, str] | None = None,
    merge_gap: float = MERGE_GAP_S,
    snap_words: int = SNAP_WORDS,
) -> Transcript:
    """A copy of ``transcript`` with every word given to a speaker, split and merged into turns.

    Each word goes to the speaker whose turns overlap it most (the nearest turn if none does);
    segments are split where the speaker changes (never inside a word) or the words pause
    longer than ``merge_gap`` seconds, and consecutive segments of one speaker with a pause of
    at most ``merge_gap`` seconds are joined. Segment ids
    are renumbered 0..n-1, so run this before detection (findings anchor to segment ids).
    ``labels`` maps speaker ids to display names (e.g. from Teams). The input is not changed.
    """
    out = copy.deepcopy(transcript)
    index = _TurnIndex(turns)
    if not index.turns:
        return out
    tokens: list[_Tok] = []
    seg_speaker: dict[int, str] = {}
    for k, seg in enumerate(out.segments):
        if seg.words:
            for w in seg.words:
                tokens.append(_Tok(k, w, *index.speaker_for(w.start, w.end)))
        else:
            seg_speaker[k] = index.speaker_for(seg.start, seg.end)[0]
    _snap_boundaries(tokens, snap_words)
    per_seg: dict[int, list[str]] = {}
    for t in tokens:
        per_seg.setdefault(t.seg, []).append(t.speaker)
    pieces: list[Segment] = []
    for k, seg in enumerate(out.segments):
        if k in seg_speaker:
            seg.speaker = seg_speaker[k]
            pieces.append(seg)
        else:
            pieces.extend(_split_segment(seg, per_seg[k], merge_gap))
    merged = merge_adjacent(pieces, merge_gap)
    for n, seg in enumerate(merged):
        seg.id = n
    out.segments = merged
    out.speakers = build_speaker_list(out, merged, labels)
    return out


def speaker_turns(transcript: Transcript) -> list[Turn]:
    """The transcript's own turns (for scoring a labelled transcript, or re-labelling it)."""
    return [Turn(s.start, s.end, s.speaker) for s in transcript.segments]


# -- helpers for the review screen: they keep segment ids, so findings stay anchored -----------


def rename_speaker(transcript: Transcript, speaker_id: str, label: str) -> Transcript:
    """A copy with ``speaker_id`` shown as ``label`` in review and every export."""
    label = " ".join(label.split())
    if not label:
        raise ValueError("a speaker's name cannot be empty")
    out = copy.deepcopy(transcript)
    out.ensure_speakers()
    for sp in out.speakers:
        if sp.id == speaker_id:
            sp.label = label
            return out
    raise KeyError(f"no speaker {speaker_id!r} in this transcript")


def _copy_with_speakers(transcript: Transcript, *speaker_ids: str) -> Transcript:
    """A deep copy with every voice listed; ``KeyError`` unless each of ``speaker_ids`` is one."""
    out = copy.deepcopy(transcript)
    out.ensure_speakers()
    ids = {sp.id for sp in out.speakers}
    for sid in speaker_ids:
        if sid not in ids:
            raise KeyError(f"no speaker {sid!r} in this transcript")
    return out


def merge_speakers(transcript: Transcript, keep_id: str, drop_id: str) -> Transcript:
    """A copy where every turn of ``drop_id`` belongs to ``keep_id`` (two clusters, one voice).

    Segments are relabelled, not joined: their ids, and so the findings anchored to them, stay.
    """
    if keep_id == drop_id:
        return copy.deepcopy(transcript)
    out = _copy_with_speakers(transcript, keep_id, drop_id)
    for seg in out.segments:
        if seg.speaker == drop_id:
            seg.speaker = keep_id
    for t in out.speaker_times:
        if t.speaker == drop_id:
            t.speaker = keep_id
    out.speakers = [sp for sp in out.speakers if sp.id != drop_id]
    return out


def new_speaker_id(transcript: Transcript) -> str:
    """An unused id ("S<n>") for a speaker the reviewer adds."""
    used = ({sp.id for sp in transcript.speakers} | {s.speaker for s in transcript.segments}
            | {t.speaker for t in transcript.speaker_times})
    n = 1
    while f"S{n}" in used:
        n += 1
    return f"S{n}"


def move_segment(transcript: Transcript, segment_id: int, speaker_id: str,
                 label: str | None = None) -> Transcript:
    """A copy with one segment given to ``speaker_id`` (added, as ``label``, if new).

    Speakers left with no segment are dropped from the list, so exports show no empty voice.
    """
    out = copy.deepcopy(transcript)
    out.ensure_speakers()
    seg = out.segment(segment_id)
    seg.speaker = speaker_id
    if all(sp.id != speaker_id for sp in out.speakers):
        out.speakers.append(Speaker(speaker_id, label or f"Speaker {len(out.speakers) + 1}"))
    used = {s.speaker for s in out.segments} | {t.speaker for t in out.speaker_times}
    out.speakers = [sp for sp in out.speakers if sp.id in used]
    return out


def split_point(text: str, offset: int) -> int:
    """Where a split asked for at ``offset`` falls: the start of the word holding it (or of
    the next word when it is in a space); ``len(text)`` when no word follows."""
    offset = max(0, min(offset, len(text)))
    while 0 < offset < len(text) and not text[offset].isspace() \
            and not text[offset - 1].isspace():
        offset -= 1
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


def _word_positions(seg: Segment) -> list[int]:
    """Character start of each of the turn's words in its text (-1: edited away), found as
    the review finds them (in order, near the last match)."""
    low, cursor, out = seg.text.casefold(), 0, []
    for w in seg.words:
        token = w.text.strip().casefold()
        at = low.find(token, cursor) if token else -1
        if at < 0 or at - cursor > 40:
            out.append(-1)
            continue
        out.append(at)
        cursor = at + len(token)
    return out


def split_segment(transcript: Transcript, segment_id: int, cut: int, new_id: int,
                  speaker_id: str, label: str | None = None) -> Transcript:
    """A copy where turn ``segment_id``'s text from character ``cut`` on (a word start, see
    ``split_point``) is a new turn ``new_id`` of ``speaker_id`` (added as ``label`` if new),
    right after it. Words and times go with their text; the voice timeline of the old
    speaker after the split point goes to the new one, so timed exports show it too."""
    out = copy.deepcopy(transcript)
    out.ensure_speakers()
    seg = out.segment(segment_id)
    if not 0 < cut < len(seg.text.rstrip()):
        raise ValueError("split a turn between two of its words, not at its start or end")
    left_text, right_text = seg.text[:cut].rstrip(), seg.text[cut:].strip()
    positions = _word_positions(seg)
    left_words, right_words = [], []
    for w, at in zip(seg.words, positions, strict=True):
        gone_right = at >= cut or (at < 0 and right_words)
        (right_words if gone_right else left_words).append(w)
    if right_words:
        t = right_words[0].start
    else:  # no timed word (text edited): interpolate by characters
        t = seg.start + (seg.end - seg.start) * cut / max(1, len(seg.text))
    t = min(max(t, seg.start), seg.end)
    right = Segment(new_id, t, seg.end, right_text, speaker_id, right_words)
    seg.text, seg.words = left_text, left_words
    old_speaker, seg.end = seg.speaker, max(seg.start, left_words[-1].end if left_words else t)
    at = out.segments.index(seg)
    out.segments.insert(at + 1, right)
    if all(sp.id != speaker_id for sp in out.speakers):
        out.speakers.append(Speaker(speaker_id, label or f"Speaker {len(out.speakers) + 1}"))
    times = []
    for st in out.speaker_times:
        if st.speaker != old_speaker or st.overlap or st.end <= t or st.start >= right.end:
            times.append(st)
            continue
        if st.start < t:
            times.append(SpeakerTime(st.start, t, st.speaker))
        times.append(SpeakerTime(max(st.start, t), min(st.end, right.end), speaker_id))
        if st.end > right.end:
            times.append(SpeakerTime(right.end, st.end, st.speaker))
    out.speaker_times = sorted(times, key=lambda x: (x.start, x.end, x.overlap))
    return out


def swap_speakers(transcript: Transcript, a: str, b: str) -> Transcript:
    """A copy where every turn (and voice time) of ``a`` is ``b``'s and the other way round:
    the diarizer told the voices apart but the labels went to the wrong people."""
    out = _copy_with_speakers(transcript, a, b)
    swap = {a: b, b: a}
    for seg in out.segments:
        seg.speaker = swap.get(seg.speaker, seg.speaker)
    for st in out.speaker_times:
        st.speaker = swap.get(st.speaker, st.speaker)
    return out


_QUESTION_START = ("what", "how", "why", "when", "where", "who", "which", "could you",
                   "can you", "would you", "do you", "did you", "have you", "are you",
                   "is there", "tell me")


def question_share(transcript: Transcript) -> dict[str, float]:
    """Per speaker, the share of their sentences that are questions (a "?" or a question
    opening), weighted so that a voice with short turns counts as asking."""
    asked: dict[str, float] = {}
    said: dict[str, float] = {}
    for seg in transcript.segments:
        for sentence in re.split(r"(?<=[.?!…])\s+", seg.text.strip()):
            s = sentence.strip().casefold()
            if not s:
                continue
            said[seg.speaker] = said.get(seg.speaker, 0.0) + 1
            if s.endswith("?") or s.startswith(_QUESTION_START):
                asked[seg.speaker] = asked.get(seg.speaker, 0.0) + 1
    return {sid: asked.get(sid, 0.0) / n for sid, n in said.items() if n}


def suggest_roles(transcript: Transcript) -> dict[str, str]:
    """For a two-voice interview: {id: "Interviewer"} for the voice that asks the questions
    and {id: "Participant"} for the other; empty when it is not clear (or not two voices)."""
    share = question_share(transcript)
    voices = sorted({seg.speaker for seg in transcript.segments})
    if len(voices) != 2:
        return {}
    a, b = sorted(voices, key=lambda v: share.get(v, 0.0), reverse=True)
    if share.get(a, 0.0) < 0.2 or share.get(a, 0.0) < 2 * share.get(b, 0.0):
        return {}
    return {a: "Interviewer", b: "Participant"}
