"""The review of one recording, without Qt: decisions, manual findings, text fixes, speakers.

Every operation saves at once, atomically, so a crash (or a pulled plug) loses at most the
click in progress; each returns what its inverse needs, so the GUI's undo stack is a thin
wrapper. Only the files an operation touches are written: a decision rewrites findings.json
(~300 KB for 1,500 findings), never the much larger transcript. A failed save puts memory back
(``_transaction``), so the screen never shows what the disk does not hold.

What an action changes beyond this recording (flags in other recordings, the register) is
``StudyReview``'s; labels come from ``labels.plan``/``render``; word timing from
``core/timeline.py``.
"""

from __future__ import annotations

import contextlib
import copy
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core.model import (
    ENTITY_TYPES,
    AudioMark,
    Decision,
    Finding,
    Segment,
    Span,
    Speaker,
    SpeakerTime,
    Transcript,
)
from ..core.register import Register, normalise
from ..core.study import Study
from ..core.timeline import TurnStarts, WordSpan, time_at, turn_at, turn_starts, word_at, word_spans
from ..exporting import default_detector
from ..labels import (
    LabelPlan,
    Pending,
    appearances,
    pending_marker,
    person_names,
    plan,
    render,
    replaced,
    segment_text,
    speaker_text,
    study_appearances,
)
from ..speakers import turns
from .study_wide import MergeCandidate, StudyFlag, StudyReview, merge_candidates, merge_proposal
from .text import occurrences, reanchor, trim_selection

GroupKey = tuple[str, str]  # (type, normalised text)
MANUAL = "manual"
EDITED = "edited text"  # found again in a turn the reviewer edited
_NEWLINES = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def group_key(finding: Finding) -> GroupKey:
    return (finding.type, normalise(finding.text))


@dataclass
class FindingGroup:
    """Findings that say the same thing ("Sarah Thompson ×7"), decided together if wished."""

    type: str
    key: str
    text: str
    ids: list[str]
    accepted: int = 0
    rejected: int = 0

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def pending(self) -> int:
        return self.count - self.accepted - self.rejected

    @property
    def title(self) -> str:
        return f"{self.text} ×{self.count}"

    @property
    def state(self) -> str:
        """One word for the panel: pending, accepted, rejected or mixed."""
        if self.accepted == self.count:
            return Decision.ACCEPTED.value
        if self.rejected == self.count:
            return Decision.REJECTED.value
        if self.pending == self.count:
            return Decision.PENDING.value
        return "mixed"


class AddedFindings(list):  # list[Finding], plus what a study-wide add did elsewhere
    """The findings one ``add_finding`` created here, and what it changed elsewhere.

    Carries everything ``retract``/``reinstate`` need, so undo and redo restore the very same
    findings (same ids) and later undo steps that name them still work.
    """

    def __init__(self, items: Iterable[Finding] = ()) -> None:
        super().__init__(items)
        self.decided: dict[str, Decision] = {}  # existing findings it accepted: old decisions
        self.study = StudyFlag()  # the study term and the findings in other recordings

    @property
    def elsewhere(self) -> dict[str, list[Finding]]:
        """Recording -> the pending findings this add put there."""
        return self.study.elsewhere


@dataclass
class SpeakerState:
    """Who speaks each turn, the speaker list and the voice timeline: what moving a turn or
    merging two speakers changes, kept so undo puts it back exactly."""

    speakers: list[Speaker]
    turn_speakers: dict[int, str]
    speaker_times: list[SpeakerTime]


@dataclass
class SplitState:
    """What splitting a turn changed (the turn, its findings, the speakers), so undo puts it
    back exactly and redo makes the same new turn id again."""

    segment_id: int
    new_id: int
    cut: int
    speaker_id: str
    label: str | None
    turn: Segment
    findings: list[Finding]
    speakers: SpeakerState


@dataclass
class SegmentState:
    """A snapshot of one turn (text + its findings) so a text edit can be undone exactly."""

    segment_id: int
    text: str
    findings: list[Finding] = field(default_factory=list)


def turn_detector(study: Study) -> Callable[[str], list[Span]]:
    """Detection for an edited turn with the study's lists (the detector loads on first use:
    the review opens at once, and only an edit waits for it)."""
    def detect(text: str) -> list[Span]:
        return default_detector(study).detect_text(text)

    return detect


@dataclass
class _Memory:
    """A recording's in-memory state before a change: the lists, and each object's fields
    (objects are restored in place: undo steps and the views hold them)."""

    findings: list[Finding]
    segments: list[Segment]
    speakers: list[Speaker]
    speaker_times: list[SpeakerTime]
    fields: list[tuple[Any, dict[str, Any]]]


class ReviewSession:
    """One recording under review: its transcript, its findings and the study they belong to."""

    def __init__(self, study: Study, rec_id: str,
                 detect: Callable[[str], list[Span]] | None = None) -> None:
        if not study.has_transcript(rec_id):
            raise FileNotFoundError(
                f"Recording {rec_id} has no transcript in {study.root} yet. "
                "Process it first, then open it for review."
            )
        self.study = study
        self.rec_id = rec_id
        self.study_review = StudyReview(study, labels_changed=self._labels_changed)
        self.transcript: Transcript = study.load_transcript(rec_id)
        self.transcript.ensure_speakers()
        self.findings: list[Finding] = study.load_findings(rec_id)
        self._seg_index = {seg.id: i for i, seg in enumerate(self.transcript.segments)}
        self._by_id: dict[str, Finding] = {}
        self._by_segment: dict[int, list[Finding]] = {}
        self._order: list[Finding] | None = None
        self._groups: dict[GroupKey, list[str]] | None = None
        self._plan: LabelPlan | None = None
        self._replaced: dict[int, list[Finding]] | None = None
        # Runs detection on a turn whose text the reviewer edited (None: no re-detection).
        self.detect = detect
        self._word_spans: dict[int, list[WordSpan]] = {}
        self._turn_starts: TurnStarts | None = None
        # Stretches marked by hand for the anonymised audio (the text never changes by them).
        self.audio_marks: list[AudioMark] = study.load_audio_marks(rec_id)
        for f in self.findings:
            self._index(f)

    # -- indexes -----------------------------------------------------------------
    def _index(self, f: Finding) -> None:
        self._by_id[f.id] = f
        self._by_segment.setdefault(f.segment_id, []).append(f)

    def _unindex(self, f: Finding) -> None:
        del self._by_id[f.id]
        self._by_segment[f.segment_id].remove(f)

    def _add(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self._index(f)
            self.findings.append(f)

    def _structure_changed(self) -> None:
        self._order = None
        self._groups = None
        self._labels_changed()

    def _labels_changed(self) -> None:
        self._plan = None
        self._replaced = None

    def _segments_changed(self, *segment_ids: int) -> None:
        self._seg_index = {seg.id: i for i, seg in enumerate(self.transcript.segments)}
        self._turn_starts = None
        for sid in segment_ids:
            self._text_changed(sid)

    def _text_changed(self, segment_id: int) -> None:
        self._word_spans.pop(segment_id, None)
        self._structure_changed()

    def finding(self, finding_id: str) -> Finding:
        try:
            return self._by_id[finding_id]
        except KeyError:
            raise KeyError(f"no finding {finding_id!r} in recording {self.rec_id}") from None

    def segment(self, segment_id: int) -> Segment:
        return self.transcript.segments[self._seg_index[segment_id]]

    def segment_position(self, segment_id: int) -> int:
        """Where the turn sits in the transcript (0-based), for views that lay turns out."""
        return self._seg_index[segment_id]

    def findings_in(self, segment_id: int) -> list[Finding]:
        return list(self._by_segment.get(segment_id, ()))

    def ordered(self) -> list[Finding]:
        """All findings in reading order: what next/previous walks through."""
        if self._order is None:
            self._order = sorted(
                self.findings,
                key=lambda f: (self._seg_index.get(f.segment_id, 0), f.start, f.end),
            )
        return self._order

    # -- saving: every change is one transaction ------------------------------------
    @contextlib.contextmanager
    def _transaction(self, *, transcript: bool = False, findings: bool = True
                     ) -> Iterator[None]:
        """Change memory inside the block, then save the files named (the transcript first);
        if the block or a save fails, memory goes back to what it was and the error goes on."""
        before = self._memory()
        try:
            yield
            if transcript:
                self._save_transcript()
            if findings:
                self._save_findings()
        except BaseException:
            self._restore_memory(before)
            raise

    def _save_findings(self) -> None:
        self.study.save_findings(self.rec_id, self.findings)

    def _save_transcript(self) -> None:
        self.study.save_transcript(self.rec_id, self.transcript)

    def _memory(self) -> _Memory:
        t = self.transcript
        objects = [*self.findings, *t.segments, *t.speakers]
        return _Memory(list(self.findings), list(t.segments), list(t.speakers),
                       list(t.speaker_times), [(o, dict(vars(o))) for o in objects])

    def _restore_memory(self, m: _Memory) -> None:
        for obj, fields in m.fields:
            vars(obj).clear()
            vars(obj).update(fields)
        t = self.transcript
        self.findings = m.findings
        t.segments, t.speakers, t.speaker_times = m.segments, m.speakers, m.speaker_times
        self._by_id, self._by_segment = {}, {}
        for f in self.findings:
            self._index(f)
        self._word_spans.clear()
        self._segments_changed()

    # -- decisions ---------------------------------------------------------------
    def set_decision(self, finding_ids: Iterable[str], decision: Decision | str
                     ) -> dict[str, Decision]:
        """Decide findings; returns their previous decisions (undo = set them back)."""
        return self._decide(dict.fromkeys(finding_ids, Decision(decision)))

    def restore_decisions(self, old: dict[str, Decision]) -> None:
        """Undo ``set_decision``: put back what it returned."""
        self._decide(old)

    def _decide(self, decisions: dict[str, Decision]) -> dict[str, Decision]:
        """Set each finding's decision with one save, all or nothing; returns the old ones."""
        targets = [self.finding(i) for i in decisions]
        old = {f.id: f.decision for f in targets}
        with self._transaction():
            for f in targets:
                f.decision = decisions[f.id]
        self._labels_changed()
        return old

    def counts(self) -> tuple[int, int]:
        """(decided, total) for "41 of 57 decided"."""
        pending = sum(1 for f in self.findings if f.decision is Decision.PENDING)
        return len(self.findings) - pending, len(self.findings)

    def pending(self) -> list[Finding]:
        """Findings nobody has decided yet, in reading order (export warns while any remain)."""
        return [f for f in self.ordered() if f.decision is Decision.PENDING]

    # -- groups ------------------------------------------------------------------
    def _group_index(self) -> dict[GroupKey, list[str]]:
        if self._groups is None:
            groups: dict[GroupKey, list[str]] = {}
            for f in self.ordered():
                groups.setdefault(group_key(f), []).append(f.id)
            self._groups = groups
        return self._groups

    def group(self, key: GroupKey) -> FindingGroup | None:
        ids = self._group_index().get(key)
        if not ids:
            return None
        members = [self._by_id[i] for i in ids]
        text = Counter(f.text for f in members).most_common(1)[0][0]
        return FindingGroup(
            type=key[0], key=key[1], text=text, ids=list(ids),
            accepted=sum(f.decision is Decision.ACCEPTED for f in members),
            rejected=sum(f.decision is Decision.REJECTED for f in members),
        )

    def groups(self) -> list[FindingGroup]:
        """Findings grouped by type + normalised text, the most frequent first."""
        out = [g for k in self._group_index() if (g := self.group(k)) is not None]
        out.sort(key=lambda g: (-g.count, g.type, g.key))
        return out

    # -- manual findings -----------------------------------------------------------
    def add_finding(self, segment_id: int, start: int, end: int, type: str,
                    apply_to_all: bool = False, study_wide: bool = False) -> AddedFindings:
        """Flag ``segment.text[start:end]`` (accepted: the reviewer chose it).

        ``apply_to_all`` flags every whole-word occurrence in this transcript too.
        ``study_wide`` (implies ``apply_to_all``) adds the text to the study's always-flag list
        and adds pending findings to the other recordings already processed.
        """
        if type not in ENTITY_TYPES:
            raise ValueError(f"unknown identifier type {type!r}; choose one of "
                             f"{', '.join(ENTITY_TYPES)}")
        seg = self.segment(segment_id)
        if not 0 <= start < end <= len(seg.text):
            raise ValueError(f"selection {start}-{end} is outside turn {segment_id}")
        start, end = trim_selection(seg.text, start, end)
        surface = seg.text[start:end]
        if not surface:
            raise ValueError("the selection is only spaces or punctuation; "
                             "select the words to flag")
        spans = [(segment_id, start, end)]
        if apply_to_all or study_wide:
            for other in self.transcript.segments:
                spans += [(other.id, s, e) for s, e in occurrences(other.text, surface)
                          if (other.id, s, e) != (segment_id, start, end)]
        added = AddedFindings()
        for sid, s, e in spans:
            same = self._same_span(sid, s, e, type)
            if same is None:
                added.append(Finding(segment_id=sid, start=s, end=e, type=type,
                                     text=self.segment(sid).text[s:e], score=1.0,
                                     source=MANUAL, decision=Decision.ACCEPTED))
            elif same.decision is not Decision.ACCEPTED:  # flagged already: flagging = accept
                added.decided[same.id] = same.decision
        self._insert(added, added.decided)
        if study_wide:
            added.study = self.study_review.flag_everywhere(surface, type, here=self.rec_id)
        return added

    def _same_span(self, segment_id: int, start: int, end: int, type_: str) -> Finding | None:
        for f in self._by_segment.get(segment_id, ()):
            if f.start == start and f.end == end and f.type == type_:
                return f
        return None

    def _insert(self, findings: list[Finding],
                decide: dict[str, Decision] | None = None) -> None:
        """Add findings (and accept the ``decide`` ones) with one save, all or nothing."""
        decide = {i: d for i, d in (decide or {}).items() if i in self._by_id}
        with self._transaction():
            self._add(findings)
            for fid in decide:
                self._by_id[fid].decision = Decision.ACCEPTED
            self._structure_changed()

    def reinstate(self, added: AddedFindings) -> None:
        """Redo an ``add_finding``: the same findings (same ids), here and elsewhere."""
        self._insert([f for f in added if f.id not in self._by_id], added.decided)
        self.study_review.reflag_everywhere(added.study)

    def retract(self, added: AddedFindings) -> None:
        """Undo an ``add_finding``: remove its findings here and elsewhere, and its study term."""
        self.remove_findings([f.id for f in added if f.id in self._by_id])
        if added.decided:
            self.restore_decisions({i: d for i, d in added.decided.items() if i in self._by_id})
        self.study_review.unflag_everywhere(added.study)

    def remove_findings(self, ids: Iterable[str]) -> list[Finding]:
        """Delete findings (a wrong manual flag); returns them for ``restore_findings``."""
        removed = [self.finding(i) for i in dict.fromkeys(ids)]
        gone = {f.id for f in removed}
        with self._transaction():
            self.findings = [f for f in self.findings if f.id not in gone]
            for f in removed:
                self._unindex(f)
            self._structure_changed()
        return removed

    def restore_findings(self, findings: Iterable[Finding]) -> None:
        """Undo ``remove_findings``."""
        self._insert([f for f in findings if f.id not in self._by_id])

    # -- text ---------------------------------------------------------------------
    def segment_state(self, segment_id: int) -> SegmentState:
        return SegmentState(segment_id, self.segment(segment_id).text,
                            copy.deepcopy(self.findings_in(segment_id)))

    def restore_segment(self, state: SegmentState) -> None:
        """Undo ``edit_segment_text`` exactly: the old text and the old findings, same ids."""
        state = copy.deepcopy(state)
        with self._transaction(transcript=True):
            seg = self.segment(state.segment_id)
            for f in self.findings_in(seg.id):
                self._unindex(f)
            self.findings = [f for f in self.findings if f.segment_id != seg.id]
            seg.text = state.text
            self._add(state.findings)
            self._text_changed(seg.id)

    def edit_segment_text(self, segment_id: int, new_text: str) -> str:
        """Fix a transcription error; the turn's findings follow their words (or go with them)
        and detection runs on the new text: what it finds anew is added, pending."""
        seg = self.segment(segment_id)
        old_text = seg.text
        new_text = _NEWLINES.sub(" ", new_text)
        if new_text == old_text:
            return old_text
        with self._transaction(transcript=True):
            for f in self.findings_in(segment_id):
                span = reanchor(old_text, new_text, f.start, f.end)
                if span is None:
                    self._unindex(f)
                    self.findings.remove(f)
                else:
                    f.start, f.end = span
                    f.text = new_text[f.start:f.end]
            seg.text = new_text
            self._add(self._detect_again(seg))
            self._text_changed(segment_id)
        return old_text

    def _detect_again(self, seg: Segment) -> list[Finding]:
        """Detection over an edited turn: what it finds beyond the existing findings, pending
        (a corrected name must not slip through because the transcriber misheard it first)."""
        if self.detect is None or not seg.text.strip():
            return []
        have = [(f.start, f.end) for f in self._by_segment.get(seg.id, ())]
        return [Finding(segment_id=seg.id, start=sp.start, end=sp.end, type=sp.type,
                        text=seg.text[sp.start:sp.end], score=sp.score, source=EDITED)
                for sp in self.detect(seg.text)
                if not any(sp.start < e and s < sp.end for s, e in have)]

    # -- speakers -------------------------------------------------------------------
    def rename_speaker(self, speaker_id: str, label: str) -> str:
        """Give a voice a readable label ("Speaker 1" -> "Interviewer"); returns the old one."""
        label = " ".join(label.split())
        if not label:
            raise ValueError("a speaker label cannot be empty")
        for sp in self.transcript.speakers:
            if sp.id == speaker_id:
                old = sp.label
                with self._transaction(transcript=True, findings=False):
                    sp.label = label
                self._labels_changed()
                return old
        raise KeyError(f"no speaker {speaker_id!r} in recording {self.rec_id}")

    def speaker_state(self) -> SpeakerState:
        t = self.transcript
        return SpeakerState(copy.deepcopy(t.speakers), {seg.id: seg.speaker for seg in t.segments},
                            copy.deepcopy(t.speaker_times))

    def restore_speakers(self, state: SpeakerState) -> None:
        """Undo ``move_turn`` or ``merge_speakers`` exactly."""
        with self._transaction(transcript=True, findings=False):
            self._put_speakers(copy.deepcopy(state))

    def _put_speakers(self, state: SpeakerState) -> None:
        t = self.transcript
        t.speakers, t.speaker_times = state.speakers, state.speaker_times
        for seg in t.segments:
            seg.speaker = state.turn_speakers.get(seg.id, seg.speaker)
        self._labels_changed()  # a speaker label may be a name the plan replaces

    def _take(self, changed: Transcript) -> SpeakerState:
        """Adopt the speakers of ``changed`` (a changed copy of this transcript)."""
        before = self.speaker_state()
        with self._transaction(transcript=True, findings=False):
            self._put_speakers(SpeakerState(changed.speakers,
                                            {seg.id: seg.speaker for seg in changed.segments},
                                            changed.speaker_times))
        return before

    def move_turn(self, segment_id: int, speaker_id: str, label: str | None = None
                  ) -> SpeakerState:
        """Give one turn to another voice (``speaker_id`` may be new, shown as ``label``);
        returns the state before, for undo. Findings stay anchored: the turn keeps its id."""
        self.segment(segment_id)  # KeyError names a missing turn before anything changes
        return self._take(turns.move_segment(self.transcript, segment_id, speaker_id, label))

    def merge_speakers(self, keep_id: str, drop_id: str) -> SpeakerState:
        """Every turn of ``drop_id`` goes to ``keep_id`` (the diarizer split one voice in two);
        returns the state before, for undo."""
        return self._take(turns.merge_speakers(self.transcript, keep_id, drop_id))

    def new_speaker_id(self) -> str:
        return turns.new_speaker_id(self.transcript)

    def swap_speakers(self, a: str, b: str) -> SpeakerState:
        """Every turn of ``a`` becomes ``b``'s and the other way round (whole recording);
        returns the state before, for undo."""
        return self._take(turns.swap_speakers(self.transcript, a, b))

    def suggested_roles(self) -> dict[str, str]:
        """{speaker id: "Interviewer" / "Participant"} from who asks the questions; empty
        when not two voices or not clear."""
        return turns.suggest_roles(self.transcript)

    def split_turn(self, segment_id: int, offset: int, speaker_id: str,
                   label: str | None = None) -> SplitState:
        """Cut a turn at the word holding character ``offset``; the rest becomes a new turn
        of ``speaker_id`` (new if unknown, shown as ``label``). Findings after the cut move
        with their words; one straddling it moves the cut to its start. Returns the state
        before, for ``restore_split``."""
        seg = self.segment(segment_id)
        cut = turns.split_point(seg.text, offset)
        for f in self.findings_in(segment_id):
            if f.start < cut < f.end:
                cut = f.start
        state = SplitState(segment_id, max(s.id for s in self.transcript.segments) + 1, cut,
                           speaker_id, label, copy.deepcopy(seg),
                           copy.deepcopy(self.findings_in(segment_id)), self.speaker_state())
        self._apply_split(state)
        return state

    def redo_split(self, state: SplitState) -> None:
        """Split again exactly as ``state`` says (after an undo)."""
        self._apply_split(state)

    def _apply_split(self, state: SplitState) -> None:
        changed = turns.split_segment(self.transcript, state.segment_id, state.cut,
                                      state.new_id, state.speaker_id, state.label)
        with self._transaction(transcript=True):
            self.transcript.segments = changed.segments
            self.transcript.speakers = changed.speakers
            self.transcript.speaker_times = changed.speaker_times
            for f in self.findings_in(state.segment_id):
                if f.start >= state.cut:  # the new turn's text starts at the cut (a word start)
                    self._unindex(f)
                    f.segment_id = state.new_id
                    f.start -= state.cut
                    f.end -= state.cut
                    self._index(f)
            self._segments_changed(state.segment_id, state.new_id)

    def restore_split(self, state: SplitState) -> None:
        """Undo ``split_turn`` exactly: one turn again, its findings where they were."""
        t = self.transcript
        with self._transaction(transcript=True):
            for f in self.findings_in(state.new_id) + self.findings_in(state.segment_id):
                self._unindex(f)
            self.findings = [f for f in self.findings
                             if f.segment_id not in (state.segment_id, state.new_id)]
            t.segments = [s for s in t.segments if s.id != state.new_id]
            t.segments[self._seg_index[state.segment_id]] = copy.deepcopy(state.turn)
            self._add(copy.deepcopy(state.findings))
            self._segments_changed(state.segment_id, state.new_id)
            self._put_speakers(copy.deepcopy(state.speakers))

    # -- the study's register (``StudyReview``), as seen from this recording -------------
    def set_replacement(self, type: str, surface: str, label: str) -> str:
        """``StudyReview.set_replacement``: returns the custom label it had, for undo."""
        return self.study_review.set_replacement(type, surface, label)

    def register_state(self) -> Register:
        return self.study_review.register_state()

    def restore_register(self, state: Register) -> None:
        """Undo a merge (``StudyReview.restore_register``)."""
        self.study_review.restore_register(state)

    def merge_identities(self, type_: str, keep: str, drop: str) -> Register:
        """"Same person", study-wide (``StudyReview.merge_identities``); returns the register
        before, for ``restore_register``."""
        return self.study_review.merge_identities(type_, keep, drop)

    def same_person_candidates(self, key: GroupKey) -> list[MergeCandidate]:
        """Accepted identities this group could be merged into, near-miss spellings first."""
        g = self.group(key)
        return [] if g is None else merge_candidates(self.plan(), g.type, g.text)

    def proposal(self, key: GroupKey) -> tuple[str, str] | None:
        """(label, surface) of the one known person this name is probably a misspelling of."""
        return merge_proposal(self.same_person_candidates(key))

    # -- labels: one plan for the screen, the preview and the export ----------------------
    def plan(self) -> LabelPlan:
        """The study's labelling plan with this recording's decisions as they are now (the
        others as saved, read through ``labels``' cache)."""
        if self._plan is None:
            names = person_names(self.study.terms.always)
            mine = appearances(self.transcript, self.findings, names, self.replaced())
            recordings = study_appearances(self.study, (self.rec_id, mine))
            if self.rec_id not in self.study.recordings:
                recordings.append(mine)
            self._plan = plan(self.study.register, recordings)
        return self._plan

    def replaced(self) -> dict[int, list[Finding]]:
        """Per turn, the accepted findings the export replaces, other occurrences of an
        accepted text included (``redact.propagate``: within this transcript only)."""
        if self._replaced is None:
            self._replaced = replaced(self.transcript, self.findings)
        return self._replaced

    def known_label(self, type_: str, surface: str) -> str | None:
        """The label if an accepted finding (anywhere in the study) gives it one, else None."""
        return self.plan().label(type_, surface)

    def winners(self, segment_id: int) -> list[Finding]:
        """The accepted findings the export replaces in a turn (overlaps: the longer wins)."""
        return list(self.replaced().get(segment_id, ()))

    def relabel_snapshot(self) -> dict[GroupKey, str]:
        """The label each group shows now; compare two snapshots with ``relabelled``."""
        p = self.plan()
        out = {k: p.label_of_key(k) or "" for k in self._group_index()}
        for fs in self.replaced().values():
            for f in fs:
                if f.id not in self._by_id:  # another occurrence (redact.propagate): no group
                    out.setdefault(group_key(f), p.label(f.type, f.text) or "")
        return out

    def relabelled(self, before: dict[GroupKey, str]) -> set[GroupKey]:
        """Identifiers whose shown replacement differs from ``before`` (a label renumbered)."""
        now = self.relabel_snapshot()
        return {k for k in set(before) | set(now) if before.get(k) != now.get(k)}

    def segments_of(self, keys: set[GroupKey]) -> set[int]:
        """Turns where one of these identifiers is replaced (pending findings show the
        marker whatever their identity's label, so their turns need no redraw)."""
        if not keys:
            return set()
        return {sid for sid, fs in self.replaced().items()
                if any(group_key(f) in keys for f in fs)}

    def relabelled_segments(self, before: dict[GroupKey, str]) -> set[int]:
        """Turns whose shown replacements differ from ``before``."""
        return self.segments_of(self.relabelled(before))

    # -- preview -------------------------------------------------------------------
    def preview(self, policy: Pending = Pending.MARK) -> Transcript:
        """The anonymised transcript exactly as the export writes it now (nothing saved)."""
        return render(self.plan(), self.transcript, self.findings, policy).transcript

    def preview_text(self, segment_id: int) -> str:
        """One turn of ``preview()``, cheaply, for a live pane that updates turn by turn."""
        seg = self.segment(segment_id)
        pending = [f for f in self._by_segment.get(segment_id, ())
                   if f.decision is Decision.PENDING]
        return segment_text(self.plan(), seg.text, self.winners(segment_id), pending)[0]

    def preview_speaker(self, speaker_id: str) -> str:
        """A speaker label as the export prints it (a label that is an accepted name is hidden)."""
        return speaker_text(self.plan(), self.transcript.speaker_label(speaker_id))

    def display_label(self, finding: Finding) -> str:
        """The replacement shown beside a finding, as the export prints it: its identity's
        label once accepted, the pending marker while undecided, "" when rejected."""
        if finding.decision is Decision.REJECTED:
            return ""
        if finding.decision is Decision.PENDING:  # written as the marker until decided
            return pending_marker(finding.type)
        return self.plan().label(finding.type, finding.text) or pending_marker(finding.type)

    # -- stretches marked by hand for the anonymised audio -------------------------------
    MIN_MARK_S = 0.1  # shorter is a slip of the mouse, not a word

    def add_audio_mark(self, start: float, end: float) -> AudioMark:
        """Mark seconds of the recording to cover in the anonymised audio (clipped to it);
        saved at once. ``ValueError`` for a stretch too short to hold a word."""
        duration = self.transcript.recording.duration or max(
            [s.end for s in self.transcript.segments] + [0.0])
        start, end = sorted((start, end))
        start = max(0.0, start)
        if duration > 0:
            end = min(end, duration)
        if end - start < self.MIN_MARK_S:
            raise ValueError(f"a marked stretch must last at least {self.MIN_MARK_S} s")
        mark = AudioMark(round(start, 3), round(end, 3))
        self.restore_audio_mark(mark)
        return mark

    def restore_audio_mark(self, mark: AudioMark) -> None:
        """Put a mark (back): redo of an add, undo of a removal."""
        self._save_marks(sorted([*self.audio_marks, mark], key=lambda m: (m.start, m.end)))

    def remove_audio_mark(self, mark_id: str) -> AudioMark:
        mark = next(m for m in self.audio_marks if m.id == mark_id)
        self._save_marks([m for m in self.audio_marks if m.id != mark_id])
        return mark

    def audio_mark_at(self, seconds: float, slack: float = 0.0) -> AudioMark | None:
        return next((m for m in self.audio_marks
                     if m.start - slack <= seconds <= m.end + slack), None)

    def selection_times(self, segment_id: int, start: int, end: int) -> tuple[float, float]:
        """The seconds of the words a selection of a turn's text covers (the whole turn's
        time when it has no timed words there)."""
        seg = self.segment(segment_id)
        timed = [(t0, t1) for a, b, t0, t1 in self.word_spans(segment_id) if a < end and start < b]
        if not timed:
            return seg.start, seg.end
        return min(t0 for t0, _ in timed), max(t1 for _, t1 in timed)

    def _save_marks(self, marks: list[AudioMark]) -> None:
        self.study.save_audio_marks(self.rec_id, marks)  # memory changes only once saved
        self.audio_marks = marks

    # -- time (``core/timeline.py``, cached per turn) ----------------------------------
    def word_spans(self, segment_id: int) -> list[WordSpan]:
        """(char start, char end, t0, t1) of each timed word found in the turn's text."""
        spans = self._word_spans.get(segment_id)
        if spans is None:
            spans = word_spans(self.segment(segment_id))
            self._word_spans[segment_id] = spans
        return spans

    def time_at(self, segment_id: int, offset: int) -> float:
        """When the character at ``offset`` of a turn is spoken."""
        return time_at(self.segment(segment_id), self.word_spans(segment_id), offset)

    def word_spoken_at(self, seconds: float) -> tuple[int, int, int] | None:
        """(segment id, char start, char end) of the word spoken at ``seconds``, if any."""
        if self._turn_starts is None:
            self._turn_starts = turn_starts(self.transcript.segments)
        sid = turn_at(self._turn_starts, seconds)
        if sid is None:
            return None
        where = word_at(self.segment(sid), self.word_spans(sid), seconds)
        return None if where is None else (sid, *where)
