"""The one labelling step: accepted decisions of every recording -> a label per identity.

``plan(register, appearances)`` is pure: it reads the register (custom labels, merged
identities, labels already exported) and the accepted identities of each recording in study
order, and returns which label each identity gets. Numbers go to accepted identities only,
densely, in order of first appearance across the study; a frozen (exported) label keeps its
number and new identities take the lowest number still free. Nothing else assigns a label: the
review screen, the preview, every export, the log and the file names all read a plan, so what
the researcher sees is what is written.

``render(plan, transcript, findings)`` is pure too: accepted findings (and every other
occurrence of their text) become their labels; findings still pending become a searchable
marker ("[Person ?]") unless the researcher explicitly chose to write them as spoken.

``commit(register, plan, identities)`` is the one step that writes: after an export it
freezes the labels that export wrote, so they never change.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .core.files import CorruptFileError
from .core.model import Decision, Finding, Segment, Transcript
from .core.register import (
    IdentityKey,
    Register,
    label_number,
    normalise,
    numbered_label,
    type_stem,
)
from .core.study import Study
from .core.timeline import PIECE_PAUSE_S, WordSpan, word_spans
from .redact import LogEntry, non_overlapping, propagate

Appearance = tuple[str, str]  # (type, surface) of one accepted mention


class Pending(str, enum.Enum):
    """What an export does with findings nobody has decided yet."""

    MARK = "mark"  # replaced by "[Person ?]": hidden, and easy to search for later
    ORIGINAL = "original"  # written as spoken: only on the researcher's explicit choice


def pending_marker(type_: str) -> str:
    """ "[Person ?]": what an undecided finding becomes (search for "?]" to find them)."""
    return f"[{type_stem(type_)} ?]"


@dataclass(frozen=True)
class LabelPlan:
    """Identity -> label for a whole study, plus how a surface resolves to its identity."""

    labels: Mapping[IdentityKey, str]
    order: tuple[IdentityKey, ...]
    surfaces: Mapping[IdentityKey, tuple[str, ...]]
    aliases: Mapping[tuple[str, str], IdentityKey] = field(default_factory=dict)

    def identity(self, type_: str, surface: str) -> IdentityKey:
        key = (type_, normalise(surface))
        return self.aliases.get(key, key)

    def label(self, type_: str, surface: str) -> str | None:
        """The label of an accepted identity; None for one no recording has accepted."""
        return self.labels.get(self.identity(type_, surface))

    def label_of_key(self, key: tuple[str, str]) -> str | None:
        """``label`` for an already normalised (type, key)."""
        return self.labels.get(self.aliases.get(key, key))

    def surface_table(self) -> dict[str, tuple[IdentityKey, str]]:
        """Every accepted surface -> (its identity, its label): what file names compare."""
        return {s: (i, self.labels[i]) for i in self.order for s in self.surfaces.get(i, ())}


def plan(register: Register, recordings: Iterable[Sequence[Appearance]]) -> LabelPlan:
    """Labels for every identity accepted in ``recordings`` (each a list of appearances in
    reading order, the recordings in study order). Pure: the register is only read."""
    aliases = {(e.type, k): e.identity for e in register.entries.values() for k in e.all_keys()}
    fixed = {e.identity: e.label for e in register.entries.values()
             if e.label and (e.custom or e.frozen)}
    taken: dict[str, set[int]] = {}
    for (type_, _), label in fixed.items():
        n = label_number(type_, label)
        if n is not None:
            taken.setdefault(type_, set()).add(n)
    order: list[IdentityKey] = []
    surfaces: dict[IdentityKey, list[str]] = {}
    for appearances in recordings:
        for type_, surface in appearances:
            key = (type_, normalise(surface))
            ident = aliases.get(key, key)
            if ident not in surfaces:
                order.append(ident)
                surfaces[ident] = []
            if surface not in surfaces[ident]:
                surfaces[ident].append(surface)
    labels: dict[IdentityKey, str] = {}
    for ident in order:
        if ident in fixed:
            labels[ident] = fixed[ident]
            continue
        used = taken.setdefault(ident[0], set())
        n = 1
        while n in used:
            n += 1
        used.add(n)
        labels[ident] = numbered_label(ident[0], n)
    return LabelPlan(labels, tuple(order), {i: tuple(s) for i, s in surfaces.items()}, aliases)


# -- what a recording accepted ------------------------------------------------------------------
def replaced(transcript: Transcript, findings: list[Finding]) -> dict[int, list[Finding]]:
    """Per turn, the accepted findings an export replaces, left to right: the reviewer's
    (overlaps: the longer wins) and every other occurrence of an accepted text."""
    by_segment: dict[int, list[Finding]] = {}
    for f in [*findings, *propagate(transcript, findings)]:
        if f.decision is Decision.ACCEPTED:
            by_segment.setdefault(f.segment_id, []).append(f)
    return {sid: non_overlapping(fs) for sid, fs in by_segment.items()}


def person_names(always: Iterable[Mapping[str, str]]) -> frozenset[str]:
    """Normalised PERSON terms of the study's always-flag list (Teams and file-name names):
    a speaker label spelling one is a name, replaced like one."""
    return frozenset(normalise(t["text"]) for t in always if t.get("type") == "PERSON")


def _speaker_is_name(label: str, accepted_people: set[str], names: frozenset[str]) -> bool:
    key = normalise(label)
    return bool(key) and (key in accepted_people or key in names)


def appearances(transcript: Transcript, findings: list[Finding],
                names: frozenset[str] = frozenset(),
                winners: Mapping[int, list[Finding]] | None = None) -> list[Appearance]:
    """The accepted identities of one recording in reading order: each turn's speaker label
    when it is a name, then the turn's replaced findings."""
    winners = replaced(transcript, findings) if winners is None else winners
    people = {normalise(f.text) for f in findings
              if f.decision is Decision.ACCEPTED and f.type == "PERSON"}
    out: list[Appearance] = []
    seen_speakers: set[str] = set()
    for seg in transcript.segments:
        if seg.speaker not in seen_speakers:
            seen_speakers.add(seg.speaker)
            label = transcript.speaker_label(seg.speaker)
            if _speaker_is_name(label, people, names):
                out.append(("PERSON", label))
        out += [(f.type, f.text) for f in winners.get(seg.id, ())]
    return out


# -- rendering ------------------------------------------------------------------------------------
@dataclass
class Rendered:
    """One recording as an export writes it, with its log lines and what was left pending."""

    transcript: Transcript
    log: list[LogEntry]
    pending: list[Finding]  # undecided findings (marked, or written as spoken)
    speakers_replaced: list[str]  # original speaker labels that were names


def segment_text(plan_: LabelPlan, text: str, winners: Sequence[Finding],
                 pending: Sequence[Finding], policy: Pending = Pending.MARK
                 ) -> tuple[str, list[tuple[Finding, str]]]:
    """One turn's text with its replacements; returns the text and (finding, replacement)."""
    todo: list[tuple[Finding, str]] = []
    for f in winners:
        label = plan_.label(f.type, f.text)
        if label is None:
            raise KeyError(f"the labelling plan has no label for an accepted {f.type}: "
                           "the plan was made from other decisions than these")
        todo.append((f, label))
    if policy is Pending.MARK:
        chosen = [f for f, _ in todo]
        for f in non_overlapping(list(pending)):
            if not any(f.start < c.end and c.start < f.end for c in chosen):
                todo.append((f, pending_marker(f.type)))
    todo.sort(key=lambda fr: fr[0].start)
    parts: list[str] = []
    cursor = 0
    for f, label in todo:
        parts += [text[cursor:f.start], label]
        cursor = f.end
    parts.append(text[cursor:])
    return "".join(parts), todo


def speaker_text(plan_: LabelPlan, label: str) -> str:
    """A speaker label as exports print it: a name that is an accepted identity is replaced."""
    if not normalise(label):
        return label
    return plan_.label("PERSON", label) or label


def timed_pieces(seg: Segment, spans: Sequence[WordSpan], replaced: Sequence[Finding],
                 labels: Sequence[str], pause_s: float = PIECE_PAUSE_S) -> list[Segment]:
    """An anonymised turn (``seg``, its text already rendered) as pieces timed by its words,
    cut where the words pause at least ``pause_s``: timed exports place a piece's text
    within its own times, not spread over the pauses of the whole turn (the recogniser's
    segments run on over pauses, and text laid over them was voice where there was none).
    The pieces keep the turn's id and speaker, the first its start and the last its end;
    documents join them back into one paragraph (``export.common.export_turns``).

    ``spans``: the raw turn's words in its raw text (``core.timeline.word_spans``), None
    of them edited away (else the turn stays whole). A cut at a word's raw start is moved
    past the replacements before it (``replaced``, sorted, with their ``labels``); a cut
    inside a replaced span is not made (a pseudonym is never split). No word and no raw
    text goes with the pieces."""
    bounds: list[tuple[int, int]] = []  # (first word of a piece, its start in seg.text)
    for i in range(1, len(spans)):
        o = spans[i][0]
        if spans[i][2] - spans[i - 1][3] < pause_s or any(
                f.start < o < f.end for f in replaced):
            continue
        shift = sum(len(label) - (f.end - f.start)
                    for f, label in zip(replaced, labels, strict=True) if f.end <= o)
        bounds.append((i, o + shift))
    if not bounds:
        return [seg]
    out: list[Segment] = []
    edges = [(0, 0), *bounds, (len(spans), len(seg.text))]
    for (w0, c0), (w1, c1) in zip(edges, edges[1:], strict=False):
        text = seg.text[c0:c1].strip()
        if text:
            start = seg.start if not out else spans[w0][2]
            out.append(replace(seg, start=start, end=max(start, spans[w1 - 1][3]), text=text,
                               words=[]))
    out[-1].end = max(out[-1].end, seg.end)
    return out


def render(plan_: LabelPlan, transcript: Transcript, findings: list[Finding],
           policy: Pending = Pending.MARK) -> Rendered:
    """The anonymised copy of a transcript (no words list, no path), and its log lines.
    A turn whose words pause is cut into pieces timed by its words (``timed_pieces``)."""
    out = copy.deepcopy(transcript)
    out.recording.path = ""
    out.recording.sha256 = ""
    winners = replaced(transcript, findings)
    pending_by: dict[int, list[Finding]] = {}
    pending = [f for f in findings if f.decision is Decision.PENDING]
    for f in pending:
        pending_by.setdefault(f.segment_id, []).append(f)
    log: dict[tuple[str, str], LogEntry] = {}
    pieces: list[Segment] = []
    for seg in out.segments:
        spans = word_spans(seg)
        whole = len(spans) < sum(1 for w in seg.words if w.text.strip())  # text edited
        seg.words = []
        seg.text, done = segment_text(plan_, seg.text, winners.get(seg.id, ()),
                                      pending_by.get(seg.id, ()), policy)
        pieces += [seg] if whole else timed_pieces(seg, spans, [f for f, _ in done],
                                                   [label for _, label in done])
        for f, label in done:
            if f.decision is not Decision.ACCEPTED:
                continue
            entry = log.get((f.type, f.text))
            if entry is None:
                log[(f.type, f.text)] = LogEntry(transcript.recording.name, f.type, f.text,
                                                 label, 1, seg.start, f.source)
            else:
                entry.count += 1
    out.segments = pieces
    replaced_speakers = []
    for sp in out.speakers:
        new = speaker_text(plan_, sp.label)
        if new != sp.label:
            replaced_speakers.append(sp.label)
            sp.label = new
    return Rendered(out, list(log.values()), pending, replaced_speakers)


def commit(register: Register, plan_: LabelPlan, identities: Iterable[IdentityKey]) -> None:
    """Freeze the labels an export wrote (the explicit step after publishing)."""
    for ident in dict.fromkeys(identities):
        if ident in plan_.labels:
            register.freeze(ident, plan_.labels[ident], list(plan_.surfaces.get(ident, ())))


# -- a whole study ------------------------------------------------------------------------------
_Stamp = tuple[tuple[int, int, int], tuple[int, int, int], frozenset[str]]
_CACHE: dict[tuple[str, str], tuple[_Stamp, list[Appearance]]] = {}


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()  # every save is a new file (atomic rename): a new inode and time
    return st.st_ino, st.st_mtime_ns, st.st_size


def recording_appearances(study: Study, rec_id: str, names: frozenset[str]) -> list[Appearance]:
    """Appearances of a saved recording, cached until its files change (for the other
    recordings of a plan; the recording being exported or reviewed is read afresh)."""
    folder = study.folder(rec_id)
    stamp = (_stamp(folder / "transcript.json"), _stamp(folder / "findings.json"), names)
    cached = _CACHE.get((str(study.root), rec_id))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    found = appearances(study.load_transcript(rec_id), study.load_findings(rec_id), names)
    _CACHE[(str(study.root), rec_id)] = (stamp, found)
    return found


def study_appearances(study: Study, current: tuple[str, list[Appearance]] | None = None
                      ) -> list[list[Appearance]]:
    """Every processed recording's appearances in study order (``current`` given in memory)."""
    names = person_names(study.terms.always)
    out: list[list[Appearance]] = []
    for rid in list(study.recordings):
        if current is not None and rid == current[0]:
            out.append(current[1])
        elif (found := readable_appearances(study, rid, names)) is not None:
            out.append(found)
    return out


def readable_appearances(study: Study, rec_id: str, names: frozenset[str]
                         ) -> list[Appearance] | None:
    """A processed recording's appearances; None when it has none yet or its files cannot
    be read (that recording fails on its own; the others still get their labels)."""
    if not (study.has_transcript(rec_id) and study.has_findings(rec_id)):
        return None
    try:
        return recording_appearances(study, rec_id, names)
    except (OSError, CorruptFileError):
        return None


def study_plan(study: Study, fresh: str | None = None) -> LabelPlan:
    """The study's plan from what is saved; ``fresh``: a recording read without the cache."""
    current = None
    if fresh is not None and study.has_findings(fresh):
        current = (fresh, appearances(study.load_transcript(fresh), study.load_findings(fresh),
                                      person_names(study.terms.always)))
    return plan(study.register, study_appearances(study, current))
