"""The spaCy model's coarse tags (``pos_``) from its own attribute rules, without its Matcher.

The model's ``attribute_ruler`` turns the tagger's fine tags into coarse ones with about 180
token patterns (lemmas and morphology too, which detection never reads). Run through spaCy's
general Matcher they cost about a fifth of the model's time; the patterns that set the
coarse tag are single tokens or short fixed sequences tested on the tag, the lower-case form,
the dependency label and whether the token is white space, so a direct test per token gives
the same tags. The rules are read from the loaded model (not copied), applied in the ruler's
order (a later rule wins, as in spaCy), and a model whose rules use anything else keeps its
ruler (``CoarseTags.from_patterns`` returns None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# Token attributes the rules may test: their place in the tuple read once per token.
_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_AT = {name: k for k, name in enumerate(_FIELDS)}

Fields = tuple[str, str, str, bool]
Test = Callable[[Fields], bool]


class UnsupportedRule(ValueError):
    """A pattern this module cannot test the way spaCy's Matcher does."""


def _value_test(value: object) -> Callable[[object], bool]:
    """One attribute's condition: a plain value, or {"IN": [...]} / {"NOT_IN": [...]}."""
    if isinstance(value, (str, bool)):
        return lambda v: v == value
    if isinstance(value, dict) and len(value) == 1:
        (op, items), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(items, list) \
                and all(isinstance(x, str) for x in items):
            allowed = frozenset(items)
            return (lambda v: v in allowed) if op == "IN" else (lambda v: v not in allowed)
    raise UnsupportedRule(f"condition {value!r}")


def _token_test(spec: dict[str, object]) -> tuple[Test, str | None]:
    """All of one token's conditions ({"TAG": "IN", "LOWER": {"IN": [...]}}), and the tag it
    requires if it names one (the index that keeps the per-token search short)."""
    if not spec:
        raise UnsupportedRule("an empty token pattern")
    checks = []
    for key, value in spec.items():
        if key not in _AT:
            raise UnsupportedRule(f"attribute {key}")
        checks.append((_AT[key], _value_test(value)))
    tag = spec.get("TAG")

    def test(f: Fields) -> bool:
        return all(ok(f[k]) for k, ok in checks)

    return test, tag if isinstance(tag, str) else None


@dataclass(frozen=True)
class _Rule:
    """One fixed sequence of token tests; the coarse tag goes to the token at ``index``.
    ``order`` is the ruler's entry number (a later entry wins)."""

    order: int
    tests: tuple[Test, ...]
    index: int
    pos: str
    tag: str | None = None  # the one token's required tag (single-token rules)


class CoarseTags:
    """The coarse tag of every token of a spaCy Doc, as the model's attribute ruler sets it."""

    def __init__(self, rules: Sequence[_Rule]) -> None:
        self.rules = tuple(rules)
        single = [r for r in self.rules if len(r.tests) == 1]
        self._any_tag = [r for r in single if r.tag is None]
        self._by_tag: dict[str, list[_Rule]] = {}
        for r in single:
            if r.tag is not None:
                self._by_tag.setdefault(r.tag, []).append(r)
        self._cands: dict[str, tuple[_Rule, ...]] = {}
        self._multi = [r for r in self.rules if len(r.tests) > 1]
        # per distinct (tag, lower, dep, space) ids: the fields, the tag and its entry number
        self._seen: dict[tuple[int, ...], tuple[Fields, str, int]] = {}

    @classmethod
    def from_patterns(cls, entries: Iterable[dict]) -> CoarseTags | None:
        """From ``AttributeRuler.patterns`` (in order); None if one rule cannot be followed."""
        rules: list[_Rule] = []
        try:
            for order, entry in enumerate(entries):
                pos = entry.get("attrs", {}).get("POS")
                if pos is None:
                    continue  # lemma, morphology or tag only: no coarse tag is set
                for pattern in entry["patterns"]:
                    if not pattern or any("OP" in spec for spec in pattern):
                        raise UnsupportedRule("an operator")
                    index = int(entry.get("index", 0))
                    if not -len(pattern) <= index < len(pattern):
                        raise UnsupportedRule("an index outside the pattern")
                    made = [_token_test(spec) for spec in pattern]
                    rules.append(_Rule(order, tuple(t for t, _ in made), index % len(pattern),
                                       str(pos), made[0][1] if len(made) == 1 else None))
        except (UnsupportedRule, AttributeError, TypeError, KeyError, ValueError):
            return None
        return cls(rules)

    def _candidates(self, tag: str) -> tuple[_Rule, ...]:
        """The single-token rules a token with this tag may meet, last entry first."""
        got = self._cands.get(tag)
        if got is None:
            got = self._cands[tag] = tuple(sorted(
                self._by_tag.get(tag, []) + self._any_tag, key=lambda r: r.order, reverse=True))
        return got

    def tags(self, doc: object) -> list[str]:
        """Per token, the coarse tag of the last rule that matches it ("" where none does).

        The four attributes come out of the Doc as one array of string ids; a token's tag
        from the single-token rules depends on those ids alone, so it is worked out once per
        distinct combination and looked up after."""
        strings = doc.vocab.strings  # type: ignore[attr-defined]
        rows = doc.to_array(list(_FIELDS)).tolist()  # type: ignore[attr-defined]
        keys = [tuple(r) for r in rows]
        out: list[str] = []
        order: list[int] = []
        fields: list[Fields] = []
        for key in keys:
            got = self._seen.get(key)
            if got is None:
                f = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
                got = self._seen[key] = (f, *self._single(f))
            fields.append(got[0])
            out.append(got[1])
            order.append(got[2])
        for rule in self._multi:  # fixed sequences: every window, as the Matcher finds them
            n = len(rule.tests)
            for i in range(len(fields) - n + 1):
                j = i + rule.index
                if rule.order > order[j] and all(
                        t(fields[i + k]) for k, t in enumerate(rule.tests)):
                    out[j], order[j] = rule.pos, rule.order
        return out

    def _single(self, f: Fields) -> tuple[str, int]:
        """The coarse tag and entry number of the last single-token rule that matches."""
        for rule in self._candidates(f[0]):
            if rule.tests[0](f):
                return rule.pos, rule.order
        return "", -1
