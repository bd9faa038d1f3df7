"""The organisation recognizer's shared state (config word lists, the lexicon) and the
helpers every family of organisation rules reads: where a workplace is said, runs of
capitalised words, lower-case name guesses, unknown words."""

from __future__ import annotations

from .config import DetectionConfig
from .lexicon import STOP, Lexicon
from .org_words import MONTHS, NOT_A_NAME, function_word
from .text import FILLERS, Tok

# Words after which a listed name made of ordinary words is said as a name ("in forth valley").
# Not "in" ("we live in good hope that ..."), "with" or "for".
_NAME_SLOTS = {"the", "of", "and", "or", "at", "to", "from", "into", "by", "via"}


class OrgBase:
    """Shared state and helpers of the organisation rules."""

    def __init__(self, cfg: DetectionConfig, lex: Lexicon) -> None:
        self.lex = lex
        self.heads = cfg.words("organisation", "heads")
        self.unit_heads = cfg.words("organisation", "unit_heads")
        self.generic = cfg.words("organisation", "generic_before_unit")
        self.openers = cfg.words("organisation", "name_openers")
        self.cues = cfg.words("organisation", "workplace_cues")
        self.generic_single = cfg.words("organisation", "generic_single")
        self.titles = cfg.words("person", "titles")
        self._place_phrases = frozenset(p.casefold() for p in cfg.list_lines("places")
                                        if " " in p)
        self.role_words = cfg.words("role", "heads") | {"dispenser", "porter", "carer",
                                                        "volunteer", "cleaner", "pharmacist"}

    @staticmethod
    def _named_after(toks: list[Tok], i: int) -> bool:
        """Is toks[i] where a name can be said: after some prepositions, an article or
        'and/or' ("the john radcliffe", "part of forth valley"), not inside a clause ("there
        was good hope that ...", "we live in good hope")."""
        j = i - 1
        while j >= 0 and toks[j].lower in FILLERS:
            j -= 1
        return j >= 0 and toks[j].lower in _NAME_SLOTS

    def _workplace_cue(self, toks: list[Tok], i: int, single: bool,
                       possessive: bool = False) -> bool:
        """Is toks[i] said as a place of work: "at (the) X", "moved to X", "joined the X"?

        Lower-case names made of ordinary words ("good hope", "midland met") are taken only
        here; a single ordinary word ("heartlands") needs the surest cue, "at".
        """
        j = i - 1
        while j >= 0 and (toks[j].lower in FILLERS or toks[j].lower == "the"):
            j -= 1
        if j < 0:
            return False
        prev = toks[j].lower
        if single and not possessive:
            return prev in ("at", "from", "into")
        return prev in self.cues

    def _cap_run(self, toks: list[Tok], k: int) -> list[Tok]:
        """Capitalised words from toks[k] ("Help for Heroes", "Walking With The Wounded",
        "Birmingham and Solihull Women's Aid"): small words and 's only inside."""
        run: list[Tok] = []
        n = len(toks)
        never = self.lex.never
        while k < n and len(run) < 8:
            w = toks[k]
            name = w.is_word and w.is_cap and not (w.sent_start and run) and (
                run or not function_word(w)) and w.lower not in never and w.lower not in MONTHS
            inner = run and (w.lower in ("and", "&", "of", "for", "the", "with", "upon")
                             or w.lower == "'s" or w.text in ("'", "’")) \
                and k + 1 < n and toks[k + 1].is_word and toks[k + 1].is_cap \
                and not toks[k + 1].sent_start and toks[k + 1].lower not in never
            if not (name or inner):
                break
            run.append(w)
            k += 1
        while run and (run[-1].lower in STOP and not (run[-1].text.isupper() and len(
                run[-1].text) > 1) or not run[-1].is_word):
            run.pop()  # "Suddenly I": small words only inside a name
        return run

    def _lower_guess(self, run: list[Tok], toks: list[Tok]) -> int | None:
        """Index of the last word of a lower-case name guessed after a strong cue ("held by
        spectrum community health"): up to four words, none a contraction or an everyday
        word that says no name was given ("worked for years", "run by the council")."""
        n = 0
        while n < len(run) and n < 4 and "'" not in run[n].text and run[n].lower != "'s" \
                and run[n].lower not in NOT_A_NAME \
                and not (n and run[n].lower in self.lex.place_words):  # "banes bath and..."
            n += 1
        if n and run[n - 1].i + 1 < len(toks) and toks[run[n - 1].i + 1].lower == "of":
            return None  # "worked for the good of the patients": a noun phrase goes on
        return n - 1 if n else None

    def _person_before(self, toks: list[Tok], i: int) -> bool:
        """'Raj from ...', 'a social prescriber, Zofia, from ...', 'the physio from ...':
        'from' said of a person names where they work."""
        j = i - 1
        if j >= 0 and toks[j].text == ",":
            j -= 1
        if j < 0:
            return False
        w = toks[j]
        if w.lower in self.role_words:
            return True
        return w.is_cap and not w.sent_start and w.lower in self.lex.first_names \
            and not self.lex.is_word(w.lower)

    def _unknown(self, w: Tok) -> bool:
        lw = w.lower
        return w.is_alpha and len(lw) >= 3 and not self.lex.is_word(lw) \
            and lw not in self.lex.place_words and lw not in self.lex.first_names
