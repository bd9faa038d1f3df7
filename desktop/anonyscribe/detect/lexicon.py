"""Everything the recognizers look words up in, loaded once per Detector from the config."""

from __future__ import annotations

from dataclasses import dataclass

from .config import DetectionConfig
from .gazetteer import Gazetteer

# Function words: never names, never the inside of a title.
_STOP_TEXT = """
a an the and or but if so of in on at to for from by with about as into over after before under
between through during without within up down out off than then there here this that these
those it its i me my mine we us our you your he him his she her they them their who whom whose
which what when where why how is am are was were be been being have has had do does did not no
yes yeah yep nope oh ok okay well just really very quite also too all any some each every both
either neither one two three four five six seven eight nine ten would could should will shall
can may might must got get go going gone went come came say said says like know think mean
thing things way lot bit sort kind right sure now still even again back only ever never always
because though although while until unless whether cos cause yes mm um uh er erm hmm ah
actually basically honestly literally obviously upon under innit gonna wanna gotta dunno kinda
sorta yknow cuz ya yous aye nah alright okey
"""
STOP = frozenset(_STOP_TEXT.split())
# Contractions written without their apostrophe (speech recognition, chat): "dont trust",
# "theres another surgery", "mum dont drive", "im", "youd" name nothing. Each ending ("'s",
# "'d", "n't" ...) and the words that take it; "ca", "wo", "ai" for can't, won't, ain't.
_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she", "it", "that", "there", "who",
                       "what"})
_ENDINGS: dict[str, frozenset[str]] = {
    "s": frozenset({"there", "here", "who", "what", "that", "he", "she", "it", "where", "how",
                    "when", "why"}),
    "m": frozenset({"i"}), "d": _PRONOUNS, "ll": _PRONOUNS,
    "re": frozenset({"you", "we", "they", "who", "what", "there"}),
    "ve": frozenset({"i", "you", "we", "they", "who", "what", "could", "would", "should",
                     "might", "must"}),
    "nt": frozenset({"do", "does", "did", "is", "was", "are", "were", "has", "have", "had",
                     "could", "would", "should", "must", "might", "need", "ca", "wo", "ai"}),
}
# Every such form: never a name, whatever the lists say ("shell", "well" included).
CONTRACTIONS = frozenset(head + tail for tail, heads in _ENDINGS.items() for head in heads)
# Of those, the forms that are ordinary words too ("shed", "well", "ill", "were"): inside an
# organisation's or a place's name they are the word ("Men's Shed").
_ALSO_WORDS = frozenset({"hell", "ill", "id", "shed", "shell", "wed", "well", "were", "its",
                         "whore"})
# The forms that are nothing but a contraction: a name never runs across one.
BARE_CONTRACTIONS = CONTRACTIONS - _ALSO_WORDS


@dataclass
class Lexicon:
    """Word lists and gazetteers for one config (built once, shared by all recognizers)."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    english: frozenset[str]
    organisations: Gazetteer
    initialisms: frozenset[str]
    places: Gazetteer
    place_words: frozenset[str]
    never: frozenset[str]
    acronyms: frozenset[str]

    @classmethod
    def load(cls, cfg: DetectionConfig) -> Lexicon:
        first = frozenset(w.casefold() for w in cfg.list_lines("first_names"))
        surnames = frozenset(w.casefold() for w in cfg.list_lines("surnames"))
        english = frozenset(w.casefold() for w in cfg.list_lines("english_words"))
        acronyms = cfg.words("never", "acronyms")
        inits = frozenset(w for w in cfg.list_lines("initialisms")
                          if w.isupper() and w.casefold() not in acronyms)
        places = cfg.list_lines("places")
        return cls(
            first_names=first,
            surnames=surnames,
            english=english,
            organisations=Gazetteer(cfg.list_lines("organisations")),
            initialisms=inits,
            places=Gazetteer(places),
            place_words=frozenset(p.casefold() for p in places if " " not in p),
            never=cfg.words("never", "terms"),
            acronyms=acronyms,
        )

    def is_word(self, lower: str) -> bool:
        """An ordinary English word (or a function word): not a name on its own."""
        if lower in STOP or lower in self.english:
            return True
        return "-" in lower and all(p in self.english or p in STOP for p in lower.split("-") if p)

    def is_name(self, lower: str) -> bool:
        return lower in self.first_names

    def ambiguous_name(self, lower: str) -> bool:
        """A given name that is also a word: Hope, Grace, Will, Joy, Mark."""
        return lower in self.first_names and self.is_word(lower)
