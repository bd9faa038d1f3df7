"""Review beyond the recording on screen: what one reviewer's action changes study-wide.

Flagging a text across the study adds it to the always-flag list and puts pending findings
in every other processed recording (an export that now misses a name goes back to review);
the register (custom replacements, same-person merges) is the study's, read by every
recording's labels. Each operation saves at once and returns what its undo needs; the
open recording's own findings stay with ``ReviewSession``, which calls this.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..core.model import Decision, Finding
from ..core.register import Register
from ..core.status import RecordingStatus
from ..core.study import Study
from ..detect.similar import fold, phonetic_key, same_name, words
from ..labels import LabelPlan
from .text import occurrences

STUDY_TERM = "study term"  # ``Finding.source`` of a finding flagged from another recording

# (label, a surface, looks similar): an identity a group could be merged into
MergeCandidate = tuple[str, str, bool]


@dataclass
class StudyFlag:
    """What flagging a text across the study changed outside the open recording, so undo
    and redo restore the very same findings (same ids)."""

    term: tuple[str, str] | None = None  # (text, type) this flag added to terms.always
    elsewhere: dict[str, list[Finding]] = field(default_factory=dict)  # recording -> added
    # Recordings sent back to review, and the status each had.
    old_status: dict[str, RecordingStatus] = field(default_factory=dict)


class StudyReview:
    """The study-level half of review: flags across recordings and the register.

    ``labels_changed`` is told after every register change (saved or rolled back), so the
    open recording redraws its labels from a fresh plan.
    """

    def __init__(self, study: Study, labels_changed: Callable[[], None]) -> None:
        self.study = study
        self.labels_changed = labels_changed

    # -- flagging across the study -----------------------------------------------------
    def flag_everywhere(self, text: str, type_: str, here: str) -> StudyFlag:
        """Always flag ``text`` from now on, and flag it (pending) in every processed
        recording but ``here``."""
        flag = StudyFlag()
        if self.study.terms.add_always(text, type_):
            flag.term = (text, type_)  # undo removes only a term this call added
            self.study.save_terms()
        for rid in self._other_processed(here):
            new = self._flag_in(rid, text, type_)
            if new:
                flag.elsewhere[rid] = new
                entry = self.study.recordings[rid]
                # Its export now misses a name: review it again.
                if entry.status == RecordingStatus.EXPORTED:
                    flag.old_status[rid] = entry.status
                    entry.status = RecordingStatus.REVIEW
        if flag.old_status:
            self.study.save()
        return flag

    def reflag_everywhere(self, flag: StudyFlag) -> None:
        """Redo ``flag_everywhere``: the same term, findings (same ids) and statuses."""
        if flag.term is not None:
            self.study.terms.add_always(*flag.term)
            self.study.save_terms()
        for rid, new in flag.elsewhere.items():
            findings = self.study.load_findings(rid)
            have = {f.id for f in findings}
            self.study.save_findings(rid, findings + [f for f in new if f.id not in have])
        for rid in flag.old_status:
            self.study.recordings[rid].status = RecordingStatus.REVIEW
        if flag.old_status:
            self.study.save()

    def unflag_everywhere(self, flag: StudyFlag) -> None:
        """Undo ``flag_everywhere``: its term, its findings elsewhere, the old statuses."""
        if flag.term is not None:
            text, _ = flag.term
            self.study.terms.always = [t for t in self.study.terms.always
                                       if t["text"].casefold() != text.casefold()]
            self.study.save_terms()
        for rid, new in flag.elsewhere.items():
            gone = {f.id for f in new}
            self.study.save_findings(
                rid, [f for f in self.study.load_findings(rid) if f.id not in gone])
        for rid, status in flag.old_status.items():
            self.study.recordings[rid].status = status
        if flag.old_status:
            self.study.save()

    def _other_processed(self, here: str) -> list[str]:
        return [rid for rid in self.study.recordings
                if rid != here and self.study.has_transcript(rid)
                and self.study.has_findings(rid)]

    def _flag_in(self, rec_id: str, text: str, type_: str) -> list[Finding]:
        """Add pending findings for ``text`` to a saved recording; returns the new ones."""
        transcript = self.study.load_transcript(rec_id)
        findings = self.study.load_findings(rec_id)
        taken = {(f.segment_id, f.start, f.end, f.type) for f in findings}
        new = [Finding(segment_id=seg.id, start=s, end=e, type=type_, text=seg.text[s:e],
                       score=1.0, source=STUDY_TERM, decision=Decision.PENDING)
               for seg in transcript.segments for s, e in occurrences(seg.text, text)
               if (seg.id, s, e, type_) not in taken]
        if new:
            self.study.save_findings(rec_id, findings + new)
        return new

    # -- the register: replacements and same-person merges ----------------------------
    def set_replacement(self, type_: str, surface: str, label: str) -> str:
        """Choose the study-wide replacement for an identifier; returns the custom label it
        had ("" = numbered by the plan; setting "" goes back to numbering: the undo).
        An exported label never changes: ``RegisterError`` says so."""
        with self._register_change() as register:
            entry = register.find(type_, surface)
            old = entry.label if entry is not None and entry.custom else ""
            register.set_label(type_, surface, label)
        return old

    def register_state(self) -> Register:
        """A copy of the register, for undoing a merge exactly."""
        return self.study.register.copy()

    def restore_register(self, state: Register) -> None:
        """Undo a merge; labels an export froze meanwhile stay frozen."""
        with self._register_change() as register:
            frozen = [e for e in register.entries.values() if e.frozen]
            register.entries = state.copy().entries
            for e in frozen:  # exported as one identity: stays one, with its label
                register.put(e)

    def merge_identities(self, type_: str, keep: str, drop: str) -> Register:
        """"Same person": ``drop`` takes ``keep``'s label, in every recording of the study,
        from now on; returns the register before (``restore_register`` undoes it)."""
        before = self.register_state()
        with self._register_change() as register:
            register.merge(type_, keep, drop)
        return before

    @contextlib.contextmanager
    def _register_change(self) -> Iterator[Register]:
        """Change the register inside the block, then save it; if either fails, the register
        goes back to what it was. The open recording's labels are redrawn either way."""
        register = self.study.register
        before = register.copy()
        try:
            yield register
            self.study.save_register()
        except BaseException:
            register.entries = before.entries
            raise
        finally:
            self.labels_changed()


# -- which identities could be the same person ----------------------------------------------
@functools.lru_cache(maxsize=1 << 14)
def _signs(name: str) -> tuple[frozenset[str], ...]:
    """Per word, what a similar word always shares with it (a cheap test before
    ``same_name``): the first letter, or the sound key within one deletion."""
    out = []
    for w in words(name):
        key = phonetic_key(w)
        out.append(frozenset({"^" + fold(w)[:1], key}
                             | {key[:i] + key[i + 1:] for i in range(len(key))}))
    return tuple(out)


@functools.lru_cache(maxsize=1 << 16)
def similar_names(a: str, b: str) -> bool:
    """``same_name``, answered at once for the many pairs that cannot match: every word of
    the shorter name must share a sign with some word of the longer one."""
    sa, sb = _signs(a), _signs(b)
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    pool = frozenset().union(*long_)
    return bool(short) and all(w & pool for w in short) and same_name(a, b)


def merge_candidates(plan: LabelPlan, type_: str, text: str) -> list[MergeCandidate]:
    """Accepted identities of ``type_`` that ``text`` could be merged into, as (label, a
    surface, looks similar), near-miss spellings (``same_name``) first."""
    own = plan.identity(type_, text)
    out = []
    for ident in plan.order:
        if ident[0] != type_ or ident == own:
            continue
        surfaces = plan.surfaces.get(ident, ())
        similar = type_ == "PERSON" and any(similar_names(text, s) for s in surfaces)
        out.append((plan.labels[ident], surfaces[0], similar))
    out.sort(key=lambda c: not c[2])
    return out


def merge_proposal(candidates: list[MergeCandidate]) -> tuple[str, str] | None:
    """(label, surface) of the one known identity a name is probably a misspelling of."""
    similar = [c for c in candidates if c[2]]
    return (similar[0][0], similar[0][1]) if len(similar) == 1 else None
