"""The study-wide pseudonym register: what the researcher fixed about identities, study-wide.

The register no longer hands out numbers (``labels.plan`` does, from the accepted decisions of
every recording). It keeps only what a plan cannot work out by itself:

* a custom label the researcher chose ("[Participant]"),
* identities merged as the same person ("Bernadette Kowalczyk" = "Bernadette Cowalknik"),
* labels already exported (frozen by ``labels.commit``): a label once written never changes.

Keys are the normalised surface form per type, so "Sarah's", "sarah" and "SARAH" are one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .model import ENTITY_TYPES

REGISTER_SCHEMA = 2
_POSSESSIVE = re.compile(r"(?:'|’)s?$")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+")

IdentityKey = tuple[str, str]  # (type, normalised key of the identity's first surface)


def normalise(surface: str) -> str:
    """Fold case, spacing, a possessive 's and a leading 'the' so variants share a key."""
    s = _SPACES.sub(" ", surface.strip().casefold())
    s = _LEADING_THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    s = _EDGE_PUNCT.sub("", s)
    return s


def type_stem(type_: str) -> str:
    return ENTITY_TYPES.get(type_, type_.title())


def numbered_label(type_: str, n: int) -> str:
    """The ``n``-th pseudonym of a type: ``numbered_label("PERSON", 3)`` is "[Person 3]"."""
    return f"[{type_stem(type_)} {n}]"


_NUMBERED = re.compile(r"^\[(?P<stem>.+) (?P<n>\d+)\]$")


def label_number(type_: str, label: str) -> int | None:
    """3 for "[Person 3]" of type PERSON; None for a custom label."""
    m = _NUMBERED.match(label)
    if m is None or m.group("stem") != type_stem(type_):
        return None
    return int(m.group("n"))


@dataclass
class Pseudonym:
    """One identity of the study (private): its label if fixed, its merged keys, its originals.

    ``label`` is "" while the plan numbers it; ``custom`` when the researcher chose it;
    ``frozen`` once exported (then it never changes)."""

    type: str
    key: str
    label: str = ""
    originals: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    custom: bool = False
    frozen: bool = False

    @property
    def identity(self) -> IdentityKey:
        return (self.type, self.key)

    def all_keys(self) -> list[str]:
        return [self.key, *self.aliases]

    def add_original(self, surface: str) -> None:
        if surface and surface not in self.originals:
            self.originals.append(surface)


class RegisterError(ValueError):
    """A register change that would alter what an exported file already says."""


@dataclass
class Register:
    """All identities of a study the researcher or an export has fixed something about."""

    entries: dict[str, Pseudonym] = field(default_factory=dict)

    @staticmethod
    def _id(type_: str, key: str) -> str:
        return f"{type_}\x1f{key}"

    def find(self, type_: str, surface: str) -> Pseudonym | None:
        """The entry for a surface, by its own key or a merged one."""
        key = normalise(surface)
        entry = self.entries.get(self._id(type_, key))
        if entry is not None:
            return entry
        for e in self.entries.values():
            if e.type == type_ and key in e.aliases:
                return e
        return None

    def identity(self, type_: str, surface: str) -> IdentityKey:
        entry = self.find(type_, surface)
        return entry.identity if entry is not None else (type_, normalise(surface))

    def aliases(self) -> dict[tuple[str, str], IdentityKey]:
        """(type, key) -> identity for every merged key (the plan resolves surfaces with it)."""
        return {(e.type, k): e.identity for e in self.entries.values() for k in e.aliases}

    def entry(self, type_: str, surface: str) -> Pseudonym:
        """The entry for a surface, created (unlabelled) if there is none."""
        found = self.find(type_, surface)
        if found is None:
            found = Pseudonym(type=type_, key=normalise(surface))
            self.entries[self._id(type_, found.key)] = found
        found.add_original(surface)
        return found

    def _drop_if_empty(self, entry: Pseudonym) -> None:
        if not (entry.label or entry.aliases or entry.frozen):
            self.entries.pop(self._id(entry.type, entry.key), None)

    def set_label(self, type_: str, surface: str, label: str) -> None:
        """The researcher's own replacement ("[Participant]"); "" goes back to numbering."""
        label = " ".join(label.split())
        entry = self.find(type_, surface)
        if entry is not None and entry.frozen and label != entry.label:
            raise RegisterError(
                f"{entry.label} has been exported already; an exported label never changes, "
                "so later exports stay consistent with the files you have.")
        if not label:
            if entry is not None:
                entry.label, entry.custom = "", False
                self._drop_if_empty(entry)
            return
        entry = self.entry(type_, surface)
        entry.label, entry.custom = label, True

    def merge(self, type_: str, keep: str, drop: str) -> None:
        """``drop`` is the same identity as ``keep`` from now on, study-wide."""
        a, b = self.entry(type_, keep), self.entry(type_, drop)
        if a is b:
            return
        if a.frozen and b.frozen and a.label != b.label:
            raise RegisterError(
                f"{a.label} and {b.label} have both been exported already; merging them would "
                "change an exported file. Give one of them a note in your memo instead.")
        if b.frozen or (b.custom and not a.frozen and not a.custom):
            a.label, a.custom, a.frozen = b.label, b.custom, b.frozen
        for k in b.all_keys():
            if k != a.key and k not in a.aliases:
                a.aliases.append(k)
        for o in b.originals:
            a.add_original(o)
        self.entries.pop(self._id(b.type, b.key), None)

    def put(self, entry: Pseudonym) -> None:
        """Put an entry back as it was, replacing whatever now holds any of its keys."""
        keys = set(entry.all_keys())
        for e in list(self.entries.values()):
            if e.type == entry.type and keys & set(e.all_keys()):
                self.entries.pop(self._id(e.type, e.key))
        self.entries[self._id(entry.type, entry.key)] = entry

    def freeze(self, identity: IdentityKey, label: str, originals: list[str]) -> None:
        """An export wrote ``label`` for this identity: keep it for ever."""
        type_, key = identity
        entry = self.entries.get(self._id(type_, key))
        if entry is None:
            entry = Pseudonym(type=type_, key=key)
            self.entries[self._id(type_, key)] = entry
        entry.label, entry.frozen = label, True
        for o in originals:
            entry.add_original(o)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": REGISTER_SCHEMA,
            "entries": [
                {"type": e.type, "key": e.key, "label": e.label, "originals": list(e.originals),
                 "aliases": list(e.aliases), "custom": e.custom, "frozen": e.frozen}
                for e in self.entries.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Register:
        old = int(data.get("schema_version", 1)) < REGISTER_SCHEMA
        reg = cls()
        for e in data.get("entries", []):
            label = e.get("label", "")
            p = Pseudonym(type=e["type"], key=e["key"], label=label,
                          originals=list(e.get("originals", [])),
                          aliases=list(e.get("aliases", [])))
            if old:  # a version-1 label may have been exported: keep it as it is
                p.frozen = bool(label)
                p.custom = bool(label) and label_number(p.type, label) is None
            else:
                p.custom, p.frozen = bool(e.get("custom")), bool(e.get("frozen"))
            reg.entries[cls._id(p.type, p.key)] = p
        return reg

    def copy(self) -> Register:
        return Register.from_dict(self.to_dict())
