"""The study-wide pseudonym register: one stable replacement per identifier, across recordings.

"Sarah Thompson" becomes "[Person 1]" in the first interview and in the fortieth, because the
register is kept in the study's private folder and reused by every later run. Keys are the
normalised surface form per type, so "Sarah's", "sarah" and "SARAH" share a pseudonym.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .model import ENTITY_TYPES

_POSSESSIVE = re.compile(r"(?:'|’)s?$")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+")


def normalise(surface: str) -> str:
    """Fold case, spacing, a possessive 's and a leading 'the' so variants share a key."""
    s = _SPACES.sub(" ", surface.strip().casefold())
    s = _LEADING_THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    s = _EDGE_PUNCT.sub("", s)
    return s


def numbered_label(type_: str, n: int) -> str:
    """The ``n``-th pseudonym of a type: ``numbered_label("PERSON", 3)`` is "[Person 3]"."""
    return f"[{ENTITY_TYPES.get(type_, type_.title())} {n}]"


@dataclass
class Pseudonym:
    """The replacement for one identifier, with every surface form seen for it (private)."""

    type: str
    key: str
    label: str
    originals: list[str] = field(default_factory=list)


@dataclass
class Register:
    """All pseudonyms of a study, with a counter per type for the next new label."""

    entries: dict[str, Pseudonym] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _id(type_: str, key: str) -> str:
        return f"{type_}\x1f{key}"

    def find(self, type_: str, surface: str) -> Pseudonym | None:
        return self.entries.get(self._id(type_, normalise(surface)))

    def label_for(self, type_: str, surface: str) -> str:
        """The pseudonym for ``surface``, created on first use ("[Person 3]")."""
        key = normalise(surface)
        pid = self._id(type_, key)
        entry = self.entries.get(pid)
        if entry is None:
            n = self.counters.get(type_, 0) + 1
            self.counters[type_] = n
            entry = Pseudonym(type=type_, key=key, label=numbered_label(type_, n))
            self.entries[pid] = entry
        if surface not in entry.originals:
            entry.originals.append(surface)
        return entry.label

    def set_label(self, type_: str, surface: str, label: str) -> None:
        """Let the researcher choose the replacement ("[Person 1]" -> "[Participant]")."""
        self.label_for(type_, surface)
        self.entries[self._id(type_, normalise(surface))].label = label

    def to_dict(self) -> dict[str, Any]:
        return {
            "counters": dict(self.counters),
            "entries": [
                {"type": e.type, "key": e.key, "label": e.label, "originals": list(e.originals)}
                for e in self.entries.values()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Register:
        reg = cls(counters={k: int(v) for k, v in data.get("counters", {}).items()})
        for e in data.get("entries", []):
            p = Pseudonym(type=e["type"], key=e["key"], label=e["label"],
                          originals=list(e.get("originals", [])))
            reg.entries[cls._id(p.type, p.key)] = p
        return reg
