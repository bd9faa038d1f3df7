"""A learned second opinion: low-score suggestions for words the rules left alone.

Rules are precise but each one was written from a miss; on text they were never tuned on
they miss what nobody wrote a rule for. This step runs after the rules and reads every word
they did not flag with a small linear model (multiclass logistic regression, one dot product
per word) over features that describe the word without naming it: its shape, which word lists
hold it, its last letters, spaCy's tag and entity label, what the rules found next to it, and
the frequent function or cue words around it. A word scored likely enough becomes a
suggestion between 0.30 and 0.45 (the review sorts them last); a suggestion next to a rule's
span extends that span, so every word of an identifier is covered.

Identifiers are spans whose words inform each other ("lecturer in X", "X ward", a name after
"my colleague"), so an optional second pass (``stack`` in the weights) scores each word again
with its own features plus what the first pass said of the words one and two either side and
of the same word elsewhere in the document (a word flagged once is a candidate everywhere).
It is trained on first-pass scores from models that had not seen the text (out of fold), as
they are at run time. Still linear: two dot products per word and one dictionary per document.

The weights are our own table (``resources/terms/second_opinion.json``), rebuilt by
``scripts/train_second_opinion.py`` from the annotated sets.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core.model import Span
from .dates import CALENDAR_WORDS
from .lexicon import STOP, Lexicon
from .roles import POSSESSIVE_DETS
from .text import Tok, tokenize

_LABEL_LINE = re.compile(r"^[ \t]*[^:\n]{1,40}:[ \t]", re.MULTILINE)
_PUNCT_CONTEXT = frozenset(",.:;?!'\"()-")
# the rules' possessives ("my supervisor": whom someone reports to, not a post)
_POSSESSED = re.compile(r"(?<!\w)(?:" + "|".join(sorted(POSSESSIVE_DETS)) + r")\s+$",
                        re.IGNORECASE)
# Words that may sit inside a suggested name but never begin or end one.
_JOINERS = frozenset({"of", "and", "&", "de", "van", "von", "der", "la", "le", "st", "upon"})
LO_SCORE, HI_SCORE = 0.30, 0.45
# What it suggests: the identifiers said in words. Numbers, dates and codes have grammars,
# and the rules for them are surer than a guess from the words around.
SUGGESTED = ("PERSON", "ORGANISATION", "ROLE", "LOCATION")


@dataclass(frozen=True)
class WordSets:
    """The word lists the features ask about (the detector's own, shared, not copied)."""

    lex: Lexicon
    titles: frozenset[str]
    role_heads: frozenset[str]
    org_heads: frozenset[str]
    occupations: frozenset[str]
    relationship: frozenset[str] = frozenset()  # "my manager": who, not which post


@dataclass
class Context:
    """What the rule pass knows besides its spans: spaCy's tags and entities, the casing,
    the whole text's tokens (made once; empty where the caller made none)."""

    cased: bool
    pos: dict[int, str] = field(default_factory=dict)  # token start char -> coarse tag
    ents: list[tuple[int, int, str]] = field(default_factory=list)  # sorted char ranges
    tokens: list[Tok] = field(default_factory=list)


@dataclass
class Word:
    """One word token with its features and the rule span (if any) over it."""

    tok: Tok
    feats: list[str]
    rule: int = -1  # index into the sorted rule spans, -1 if none covers it


def _shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if any(c.isdigit() for c in w):
        return "m"
    if w.isupper() and len(w) > 1:
        return "A"
    if w[0].isupper():
        return "C"
    return "l"


def _length(n: int) -> str:
    return "1" if n == 1 else "2" if n == 2 else "3" if n == 3 else "5" if n <= 5 else \
        "8" if n <= 8 else "9"


class Featuriser:
    """Turns text plus the rules' spans into per-word feature lists (no identity of a word
    except closed-class ones: function words and titles).

    What depends on a word's form alone (its list signature, shape, suffixes, whether it is
    a context word) is worked out once per form and kept: a document repeats its words, and
    the same detector reads many documents, so most features are looked up, not built."""

    def __init__(self, sets: WordSets) -> None:
        self.s = sets
        self._sigs: dict[str, str] = {}
        self._shapes: dict[str, str] = {}
        self._base: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._lexical: dict[str, tuple[str, ...]] = {}
        self._near: dict[tuple[str, str], tuple[str, str]] = {}
        self._context: dict[str, tuple[str, ...] | None] = {}

    def signature(self, lw: str) -> str:
        """Which lists hold the word, as a short code (e.g. 'E.F.S': word, given, surname)."""
        sig = self._sigs.get(lw)
        if sig is None:
            sig = self._sigs[lw] = self._signature(lw)
        return sig

    def _signature(self, lw: str) -> str:
        s, lex = self.s, self.s.lex
        bits = []
        if lw in STOP:
            bits.append("T")
        elif lex.is_word(lw):
            bits.append("E")
        if lw in lex.first_names:
            bits.append("F")
        if lw in lex.surnames:
            bits.append("S")
        if lw in lex.place_words:
            bits.append("P")
        if lw in s.occupations or lw in s.role_heads:
            bits.append("O")
        if lw in s.org_heads:
            bits.append("H")
        if lw in lex.never or lw in lex.acronyms:
            bits.append("N")
        if lw in s.titles:
            bits.append("R")
        return ".".join(bits) or "-"

    def _shape(self, w: str) -> str:
        sh = self._shapes.get(w)
        if sh is None:
            sh = self._shapes[w] = _shape(w)
        return sh

    def _base_feats(self, lw: str, sh: str, sig: str, cased: str) -> tuple[str, ...]:
        """A scored word's first four features: shape, signature, both, length."""
        key = (lw, sh, cased)
        f = self._base.get(key)
        if f is None:
            f = self._base[key] = (f"sh={sh}|{cased}", f"sig={sig}", f"sig={sig}|sh={sh}|{cased}",
                                   f"len={_length(len(lw))}|sh={sh}")
        return f

    def _lexical_feats(self, lw: str) -> tuple[str, ...]:
        """The word itself if closed-class (a function word, a title), else its last letters."""
        f = self._lexical.get(lw)
        if f is None:
            if lw in STOP or lw in self.s.titles:
                f = (f"w={lw}",)
            elif len(lw) >= 5 and lw.isalpha():
                f = (f"s3={lw[-3:]}", f"s2={lw[-2:]}")
            else:
                f = ()
            self._lexical[lw] = f
        return f

    def _near_feats(self, sig: str, sh: str) -> tuple[str, str]:
        """A token as the word before and as the word after a scored one."""
        key = (sig, sh)
        f = self._near.get(key)
        if f is None:
            f = self._near[key] = (f"sig-1={sig}|sh={sh}", f"sig+1={sig}|sh={sh}")
        return f

    def _context_feats(self, lw: str) -> tuple[str, ...] | None:
        """A frequent function, cue or punctuation word as context 1 before, 1 after, 2-3
        before, 2-3 after; None for any other word (a name says nothing as context)."""
        if lw in self._context:
            return self._context[lw]
        f = None
        if lw in STOP or lw in _PUNCT_CONTEXT or self.s.lex.is_word(lw) \
                and lw not in self.s.lex.first_names:
            f = (f"c-1={lw}", f"c+1={lw}", f"cL={lw}", f"cR={lw}")
        self._context[lw] = f
        return f

    def words(self, text: str, rules: list[Span], ctx: Context) -> list[Word]:
        toks = ctx.tokens or tokenize(text)
        starts = [sp.start for sp in rules]
        label_ends = {m.start(): m.end() for m in _LABEL_LINE.finditer(text)}
        line_starts = sorted(label_ends)
        ent_starts = [e[0] for e in ctx.ents]
        n = len(toks)
        lows: list[str] = []
        shapes: list[str] = []
        sigs: list[str] = []
        ruled: list[int] = []
        near: list[tuple[str, str]] = []
        around: list[tuple[str, ...] | None] = []
        for t in toks:
            k = bisect_right(starts, t.start) - 1
            ruled.append(k if k >= 0 and rules[k].end > t.start else -1)
            lw = t.lower
            if t.text[0].isalnum():
                sh, sig = self._shape(t.text), self.signature(lw)
            else:
                sh = sig = "p"
            lows.append(lw)
            shapes.append(sh)
            sigs.append(sig)
            near.append(self._near_feats(sig, sh))
            around.append(self._context_feats(lw))
        out: list[Word] = []
        cased = "c" if ctx.cased else "u"
        pos_of = ctx.pos.get
        for i, t in enumerate(toks):
            if not t.text[0].isalnum():
                continue
            rule = ruled[i]
            if rule >= 0:  # a rule's word is never scored: only its place is needed
                out.append(Word(t, [], rule))
                continue
            lw, sh, sig = lows[i], shapes[i], sigs[i]
            f = list(self._base_feats(lw, sh, sig, cased))
            if t.sent_start:
                f.append(f"start|sh={sh}")
            k = bisect_right(line_starts, t.start) - 1
            if k >= 0 and t.start < label_ends[line_starts[k]] \
                    and "\n" not in text[line_starts[k]:t.start]:
                f.append(f"label|sh={sh}")
            if lw not in STOP and (i > 0 and lows[i - 1] == lw
                                   or i + 1 < n and lows[i + 1] == lw):
                f.append(f"rep|sig={sig}")  # said twice at once: a restart on a name
            f.extend(self._lexical_feats(lw))
            pos = pos_of(t.start)
            if pos:
                f.append(f"pos={pos}")
                f.append(f"pos={pos}|sh={sh}")
            k = bisect_right(ent_starts, t.start) - 1
            if k >= 0 and ctx.ents[k][1] > t.start:
                f.append(f"ent={ctx.ents[k][2]}|{cased}")
            for d, side in ((-1, 0), (1, 1)):
                j = i + d
                if 0 <= j < n:
                    f.append(near[j][side])
                    nrule = ruled[j]
                    if nrule >= 0 and nrule != rule:
                        gap = text[min(t.end, toks[j].end):max(t.start, toks[j].start)]
                        tight = "t" if gap.strip() == "" and "\n" not in gap else "g"
                        f.append(f"rule{d:+d}={rules[nrule].type}|{tight}")
                    npos = pos_of(toks[j].start)
                    if npos:
                        f.append(f"pos{d:+d}={npos}")
                else:
                    f.append(f"edge{d:+d}")
            for j, slot in ((i - 3, 2), (i - 2, 2), (i - 1, 0), (i + 1, 1), (i + 2, 3),
                            (i + 3, 3)):
                if 0 <= j < n:
                    c = around[j]
                    if c is not None:
                        f.append(c[slot])
            out.append(Word(t, f, rule))
        return out


@dataclass
class Model:
    """Weights per feature and class, read from the JSON resource."""

    classes: list[str]
    bias: list[float]
    weights: dict[str, list[float]]
    threshold: float  # a word is suggested from this probability on (if its type has none)
    cont: float = 1.0  # a word next to a suggested one joins it from this probability on
    extend: float = 1.0  # a word next to a rule's span joins it from this probability on
    meta: dict[str, object] = field(default_factory=dict)
    # per likeliest type: where a miss costs more than a flag, or the model is surer
    thresholds: dict[str, float] = field(default_factory=dict)
    # a second pass (stacking): the same word's features plus what the first pass said of the
    # words around it and of the same word elsewhere in the document
    stack: Model | None = None

    def threshold_for(self, typ: str) -> float:
        return self.thresholds.get(typ, self.threshold)

    @classmethod
    def load(cls, path: Path) -> Model:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_json(cls, raw: dict) -> Model:
        stack = raw.get("stack")
        return cls(classes=list(raw["classes"]), bias=[float(b) for b in raw["bias"]],
                   weights={k: [float(x) for x in v] for k, v in raw["weights"].items()},
                   threshold=float(raw.get("threshold", 0.5)), cont=float(raw.get("cont", 1.0)),
                   extend=float(raw.get("extend", raw.get("threshold", 0.5))),
                   meta=dict(raw.get("meta", {})),
                   thresholds={k: float(v) for k, v in raw.get("thresholds", {}).items()},
                   stack=cls.from_json(stack) if stack else None)

    def to_json(self) -> dict:
        raw: dict[str, object] = {"classes": self.classes, "bias": self.bias}
        if self.thresholds or self.meta:
            raw.update(threshold=self.threshold, thresholds=self.thresholds, cont=self.cont,
                       extend=self.extend, meta=self.meta)
        raw["weights"] = dict(sorted(self.weights.items()))
        if self.stack is not None:
            raw["stack"] = self.stack.to_json()
        return raw

    _table: tuple[dict[str, int], np.ndarray] | None = field(default=None, repr=False,
                                                            compare=False)

    def scores(self, feats: list[list[str]], suggested: list[int]
               ) -> list[tuple[float, str]]:
        """Per feature list: (probability of the ``suggested`` classes together, likeliest
        of them). One matrix sum per document instead of a loop per word and class."""
        if not feats:
            return []
        if self._table is None:
            names = list(self.weights)
            rows = np.array([self.bias, *(self.weights[f] for f in names)], dtype=np.float64)
            self._table = ({f: k + 1 for k, f in enumerate(names)}, rows)
        index, rows = self._table
        idx: list[int] = []
        starts: list[int] = []
        get = index.get
        for fs in feats:
            starts.append(len(idx))
            idx.append(0)  # the bias row: no word's sum is empty
            idx += [k for k in map(get, fs) if k is not None]
        z = np.add.reduceat(rows[idx], starts, axis=0)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        p = z / z.sum(axis=1, keepdims=True)
        sub = p[:, suggested]
        best = sub.argmax(axis=1)
        return [(float(t), self.classes[suggested[b]])
                for t, b in zip(sub.sum(axis=1), best, strict=True)]


class SecondOpinion:
    """Adds the model's suggestions to the rules' resolved spans."""

    def __init__(self, model: Model, sets: WordSets, min_score: float = LO_SCORE) -> None:
        self.model = model
        self.feats = Featuriser(sets)
        self.lo = max(LO_SCORE, min_score)
        self.suggested = [k for k, c in enumerate(model.classes) if c in SUGGESTED]

    def _relation(self, text: str, sp: Span) -> bool:
        """A lone relationship word after a possessive ("my supervisor", "her mentor") names
        whom someone reports to, not a post: the rules leave it, and so does the guess."""
        return sp.type == "ROLE" and sp.text.lower() in self.feats.s.relationship \
            and _possessed(text, sp.start)

    def guesses(self, text: str, rules: list[Span], ctx: Context
                ) -> list[tuple[Tok, float, str, int]]:
        """(token, probability of a name, place, workplace or role, likeliest of those,
        rule index) per word; a word a rule flagged is not scored."""
        words = self.feats.words(text, rules, ctx)
        scored = self.first_pass(words)
        if self.model.stack is not None:
            extra = context_features(text, words, scored, rules)
            scored = _fill(scored, self.model.stack.scores(
                [w.feats + x for w, x in zip(words, extra, strict=True) if w.rule < 0],
                self.suggested))
        return [(w.tok, 0.0, "", w.rule) if s is None else (w.tok, s[0], s[1], w.rule)
                for w, s in zip(words, scored, strict=True)]

    def first_pass(self, words: list[Word]) -> list[tuple[float, str] | None]:
        """(probability of a suggested type, likeliest of them) per word; None for a rule's."""
        return _fill([w.rule < 0 for w in words], self.model.scores(
            [w.feats for w in words if w.rule < 0], self.suggested))

    def add(self, text: str, rules: list[Span], ctx: Context,
            allowed: Callable[[Span], bool]) -> list[Span]:
        """The rules' spans, extended where the model says the next word belongs too, and
        new low-score spans for runs of likely words no rule touched."""
        return self.place(text, rules, self.guesses(text, rules, ctx), allowed)

    def place(self, text: str, rules: list[Span], every: list[tuple[Tok, float, str, int]],
              allowed: Callable[[Span], bool]) -> list[Span]:
        """``add`` from the scored words (apart so that thresholds can be tried on the same
        scores)."""
        model, cont = self.model, self.model.cont
        touching = _touching_rules(text, every, rules)
        titled = _titles_before_names(text, every, rules, self.feats.s.titles)
        words = [(tok, p_id, typ) for tok, p_id, typ, rule in every
                 if rule < 0 and _suggestible(tok.text) and tok.start not in titled]
        # a word right beside a rule's name, place, workplace or post needs less to join it;
        # a word the never lists hold, or inside a label, is never part of a guess
        keep = [p_id >= (model.extend if tok.start in touching else model.threshold_for(typ))
                and _allowed_word(tok, allowed) for tok, p_id, typ in words]
        # A run, once begun by a likely word, takes in the likely-enough words either side
        # ("Kind Hands": the second word is surer than the first), so all of a name is covered.
        for order in (range(1, len(words)), range(len(words) - 2, -1, -1)):
            for k in order:
                j = k - 1 if order.step == 1 else k + 1
                a, b = (words[j][0], words[k][0]) if j < k else (words[k][0], words[j][0])
                if keep[j] and not keep[k] and words[k][1] >= cont \
                        and _tight(text, a.end, b.start) \
                        and _allowed_word(words[k][0], allowed):
                    keep[k] = True
        runs: list[list[tuple[Tok, float, str]]] = []
        for k, word in enumerate(words):
            if not keep[k]:
                continue
            if runs and keep[k - 1] and _tight(text, words[k - 1][0].end, word[0].start):
                runs[-1].append(word)
            else:
                runs.append([word])
        new: list[Span] = []
        for run in runs:
            while run and _loose(run[0][0]):
                run.pop(0)
            while run and _loose(run[-1][0]):
                run.pop()
            if not run:
                continue
            s, e = run[0][0].start, run[-1][0].end
            p = max(x[1] for x in run)
            votes: dict[str, float] = {}
            for _, q, t in run:
                votes[t] = votes.get(t, 0.0) + q
            typ = max(votes, key=votes.__getitem__)
            thr = min(model.threshold_for(typ), p)
            score = round(self.lo + (HI_SCORE - self.lo) * min(1.0, (p - thr) / (1 - thr)), 3)
            sp = Span(s, e, typ, text[s:e], score, "learned")
            if allowed(sp) and not self._relation(text, sp):
                new.append(sp)
        return _merge(text, rules, new)


_BUCKETS = (0.05, 0.15, 0.3, 0.5, 0.7)


def _tag(w: Word, s: tuple[float, str] | None, rules: list[Span]) -> str:
    """What the first pass (or a rule) said of one word, coarsely: 'R:PER', 'ORG3', '0'."""
    if s is None:
        return "R:" + rules[w.rule].type[:3]
    b = sum(s[0] >= x for x in _BUCKETS)
    return f"{s[1][:3]}{b}" if b else "0"


def context_features(text: str, words: list[Word], scored: list[tuple[float, str] | None],
                     rules: list[Span]) -> list[list[str]]:
    """The second pass's extra features per word: the first pass's verdict on the word itself,
    on the words one and two either side ("lecturer in X", "X ward", "my colleague X"), and on
    the other occurrences of the same word in the document (a word flagged once is a candidate
    everywhere; one capitalised inside a sentence elsewhere is a name written lower case
    here). Linear: one pass to collect each word's best other occurrence, one to read it."""
    tags = [_tag(w, s, rules) for w, s in zip(words, scored, strict=True)]
    # per word form: the two likeliest scored occurrences, the rules' types, capitalised count
    best: dict[str, list[tuple[float, int]]] = {}
    ruled: dict[str, set[str]] = {}
    capped: dict[str, int] = {}
    for k, (w, s) in enumerate(zip(words, scored, strict=True)):
        lw = w.tok.lower
        if lw in STOP or len(lw) < 2 or not w.tok.text.isalpha():
            continue
        if s is None:
            ruled.setdefault(lw, set()).add(rules[w.rule].type[:3])
        else:
            top = best.setdefault(lw, [])
            top.append((s[0], k))
            top.sort(reverse=True)
            del top[2:]
        if w.tok.text[0].isupper() and not w.tok.sent_start:
            capped[lw] = capped.get(lw, 0) + 1
    out: list[list[str]] = []
    n = len(words)
    for k, (w, s) in enumerate(zip(words, scored, strict=True)):
        if s is None:
            out.append([])
            continue
        f = [f"self={tags[k]}"]
        for d in (-2, -1, 1, 2):
            j = k + d
            if 0 <= j < n:
                a, b = (words[j].tok, w.tok) if d < 0 else (w.tok, words[j].tok)
                tight = "t" if abs(d) == 1 and _tight(text, a.end, b.start) else ""
                f.append(f"n{d:+d}={tags[j]}{tight}")
        if 0 < k < n - 1:
            f.append(f"n-1={tags[k - 1]}|n+1={tags[k + 1]}")
        lw = w.tok.lower
        for _, j in best.get(lw, ()):
            if j != k:  # the likeliest other occurrence
                f.append(f"doc={tags[j]}")
                break
        for t in sorted(ruled.get(lw, ())):
            f.append(f"docR={t}")
        self_cap = w.tok.text[0].isupper() and not w.tok.sent_start
        if capped.get(lw, 0) - self_cap > 0 and not w.tok.text[0].isupper():
            f.append("docC")
        out.append(f)
    return out


def _fill(slots: list, scores: list[tuple[float, str]]) -> list[tuple[float, str] | None]:
    """The scores of the scored words in order, None where a slot is empty (a rule's word)."""
    it = iter(scores)
    return [next(it) if slot else None for slot in slots]


def _possessed(text: str, start: int) -> bool:
    """Is the word at ``start`` said after my/his/her/your ("my supervisor")?"""
    return _POSSESSED.search(text, max(0, start - 8), start) is not None


def _titles_before_names(text: str, every: list[tuple[Tok, float, str, int]],
                         rules: list[Span], titles: frozenset[str]) -> set[int]:
    """Starts of title words right before a rule's name ("Doctor Hannah Price"): a title
    stays outside the name's span, so the same person gets the same pseudonym with or without
    it."""
    out = set()
    for k in range(len(every) - 1):
        tok, _, _, rule = every[k]
        nxt = every[k + 1]
        if rule < 0 and tok.lower in titles and nxt[3] >= 0 \
                and rules[nxt[3]].type == "PERSON" and _tight(text, tok.end, nxt[0].start):
            out.add(tok.start)
    return out


def _touching_rules(text: str, every: list[tuple[Tok, float, str, int]],
                    rules: list[Span]) -> set[int]:
    """Starts of the unflagged words right beside a rule's span of a suggested type."""
    out = set()
    for k, (tok, _, _, rule) in enumerate(every):
        if rule >= 0:
            continue
        for j in (k - 1, k + 1):
            if 0 <= j < len(every) and every[j][3] >= 0 \
                    and rules[every[j][3]].type in SUGGESTED:
                a, b = (every[j][0], tok) if j < k else (tok, every[j][0])
                if _tight(text, a.end, b.start):
                    out.add(tok.start)
    return out


def _allowed_word(tok: Tok, allowed: Callable[[Span], bool]) -> bool:
    return allowed(Span(tok.start, tok.end, "", tok.text, LO_SCORE, "learned"))


def _loose(tok: Tok) -> bool:
    """A word that does not begin or end a name: a joiner, or a function word unless it is
    capitalised inside a sentence ("At Kind Hands")."""
    if tok.lower in _JOINERS:
        return True
    return tok.lower in STOP and (tok.sent_start or not tok.text[0].isupper())


def _suggestible(word: str) -> bool:
    """Not a number or a code with digits ("8a", "Band 5s": grades, not posts), not a month or
    weekday (the date rules decide), and one letter only as a capital initial ("speaker b" is
    a label)."""
    if any(c.isdigit() for c in word) or word.lower() in CALENDAR_WORDS:
        return False
    return len(word) > 1 or word.isupper()


def _tight(text: str, end: int, start: int) -> bool:
    """Only spaces (or a hyphen) between two words on one line."""
    gap = text[end:start]
    return len(gap) <= 3 and gap.strip(" -") == ""


def _merge(text: str, rules: list[Span], new: list[Span]) -> list[Span]:
    """A suggestion that touches a rule's span joins it (the rule's type and score, its
    source marked '+learned'); the others stand alone. The result stays sorted and disjoint."""
    if not new:
        return rules
    out = sorted(rules + new, key=lambda sp: sp.start)
    merged: list[Span] = []
    for sp in out:
        last = merged[-1] if merged else None
        if last is not None and _tight(text, last.end, sp.start) and \
                (last.source == "learned") != (sp.source == "learned"):
            rule = sp if last.source == "learned" else last
            if rule.type in SUGGESTED:
                s, e = last.start, sp.end
                merged[-1] = Span(s, e, rule.type, text[s:e], rule.score,
                                  rule.source.removesuffix("+learned") + "+learned")
                continue
        merged.append(sp)
    return merged
