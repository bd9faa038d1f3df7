"""PERSON: names in any case and with ASR errors, by given-name knowledge and by context.

A word that is only ever a name ("Oluwaseun") is flagged wherever it appears; a name that is
also a word ("Hope", "Grace", "Will") only where the context says it is a name: a capital
inside a sentence, a title before it, "my name is", "called", a surname after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..core.model import Span
from . import similar
from .config import DetectionConfig
from .dates import CALENDAR_WORDS
from .lexicon import CONTRACTIONS, STOP, Lexicon
from .numbers import NUMBER_WORDS
from .text import FILLERS, Chunk, Tok, tokenize

_SPELLED = re.compile(r"^(?:[A-Za-z]-){3,}[A-Za-z]$")
_NOT_AFTER = {"the", "a", "an", "of", "by", "no", "with", "this", "that", "any", "some",
              "your", "my", "our", "their", "his", "her", "its", "god's", "for", "in", "to"}
_WEAK_CUES = {"i'm", "i am", "im", "this is", "it 's", "it's", "hi", "hello", "bye", "thanks",
              "thank you", "cheers", "guy", "mate"}
_CALENDAR = CALENDAR_WORDS
_NAME_POS = {"PROPN", "NOUN"}
_UNKNOWN_WORD_POS = _NAME_POS | {"ADJ", "VERB", "X", ""}
_QUOTES = {'"', "“", "‘", "'"}
# Words right after a name that show a person is meant ("joy said", "precious she's ...").
_AFTER_STRONG = {"said", "says", "told", "tells", "asked", "asks", "goes", "who", "she's",
                 "he's", "she", "he", "was like", "is like", "rang", "rings", "phoned", "emailed",
                 "texted", "messaged", "replied", "explained", "mentioned", "suggested",
                 "encouraged", "nominated", "recommended", "shouted", "laughed", "insisted"}
# Of those, the verbs only a person does: enough on their own after a lower-case word-name.
_SPEECH_VERBS = {"said", "says", "told", "tells", "asked", "asks", "rang", "phoned", "emailed",
                 "texted", "messaged", "replied", "explained", "mentioned", "suggested",
                 "encouraged", "nominated", "recommended", "shouted", "laughed", "insisted"}
# Words before a name that only count with more evidence ("this guy will and he said").
_BEFORE_WEAK = {"guy", "lady", "woman", "man", "mate", "and", "or", "with", "without", "to",
                "like", "me", "called", "matron", "manager", "time"}
# Three letters that spell a word more often than a name.
_NOT_SPELLED = frozenset({"abc", "bbc", "itv", "nhs", "gcs", "ocd", "ptsd", "dna", "gmc", "nmc",
                          "icu", "itu", "hdu", "ppe", "dbs", "edi", "bme", "hca", "mdt"})
# After a post and a word-name, words that make it the post-holder's name ("the professional
# lead hope is great", "our ward clerk sunday was off").
_AFTER_POST_NAME = {"is", "was", "has", "had", "who", "she", "he", "she's", "he's", "and",
                    "said", "says", "told", "asked", "rang", "phoned", "came", "left", "moved",
                    "started", "retired", "helped", "got", "gave", "took", "did", "does",
                    "were", "knows", "knew", "runs", "ran", "covers", "sorted", "organised"}
# Before a weekday or month, words that make it the day or month ("on Sunday", "last June").
_CALENDAR_BEFORE = {"on", "last", "next", "this", "every", "each", "by", "since", "until",
                    "till", "of", "in", "from", "a", "the", "that", "early", "late", "mid",
                    "before", "after", "during", "through", "to", "or", "and", "sundays",
                    "saturday", "friday", "til", "'til", "between"}
_DAY_PARTS = {"morning", "mornings", "afternoon", "evening", "night", "nights", "lunch",
              "lunchtime", "service", "school", "roast", "shift", "shifts", "rota", "clinic",
              "times", "paper", "papers", "best", "league", "trading", "opening", "hours"}


def said_as_day(prev: str, nxt: str) -> bool:
    """Do the words around a weekday, month or word-name make it that, not a name ("on
    sunday", "last june", "sunday morning", "two trust")? Lower-case words."""
    return prev in _CALENDAR_BEFORE or prev in NUMBER_WORDS or prev[:1].isdigit() \
        or nxt in _DAY_PARTS


# Titles written short, said only before a surname ("dr price", "mrs white"), unlike
# "doctor" or "miss", which are words too ("the doctor said", "i miss home").
_SHORT_TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof"}
_NAMED_AS = {("name", "is"), ("name", "was"), ("name", "'s"), ("known", "as"), ("call", "her"),
             ("call", "him"), ("calls", "her"), ("calls", "him"), ("called", "her"),
             ("called", "him")}
# Ranks before a name, not given names there ("Princess Beatrice visited").
_RANKS = {"princess", "prince", "queen", "king", "lady", "lord", "duke", "duchess", "saint",
          "major", "general", "captain", "colonel", "sergeant", "bishop", "canon"}
# Between a post and "is <name>": when, which grade ("the nurse most days is", "cnm two is").
_POST_IS_FILLERS = {"most", "days", "shifts", "nights", "now", "usually", "normally", "often",
                    "there", "here", "today", "tonight", "one", "two", "three", "currently"}
_POST_DETS = {"the", "our", "my", "their", "his", "her", "your"}
_GREETINGS = {"thanks", "cheers", "hi", "hello", "bye", "morning", "evening", "sorry"}
_PLACE_PREPS = {"in", "from", "near", "to", "around", "round", "outside", "via", "towards"}
_NAME_BEFORE = {"was", "is", "called", "named", "with", "and", "to", "me", "colleague",
                "friend", "manager", "boss", "mentor", "mate", "deputy", "sister", "brother"}
# Small words inside surnames: "Iolo ap Dafydd", "Caoimhe Ní Chonaill", "Cathal Ó Fearghail",
# "Ruud van Dijk", "Aisha bin Salleh". A name part only between two name words.
PARTICLES = frozenset({"ap", "ab", "ferch", "ní", "nic", "ó", "ua", "uí", "mac", "van", "von",
                       "der", "den", "de", "da", "di", "del", "della", "dos", "du", "le", "la",
                       "bin", "binti", "bint", "ibn", "al", "el", "o"})
# Words before a name that say the next word is what someone is called ("calls me Mo",
# "I called her Grace", "known as Bliss"): pairs of lower-case words.
_CALLED = {("calls", "me"), ("call", "me"), ("called", "me"), ("known", "as"),
           ("call", "her"), ("call", "him"), ("called", "her"), ("called", "him"),
           ("calls", "her"), ("calls", "him"), ("name", "is"), ("name", "was"),
           ("name", "'s"), ("named", "her"), ("named", "him")}
# Thanks said to one person at the end of a turn ("thank you, May.", "cheers joy").
_THANKS = {"thanks", "cheers", "ta", "thankyou"}  # and "thank you" (``_after_thanks``)
# Before an unknown lower-case word, possessives that make it a thing one has ("my pvg");
# around it, words that make it a language ("we speak hindko", "saraiki speakers").
_HAVERS = {"my", "his", "your", "their"}
_POSSESSED = {"my", "his", "her", "your", "their", "our"}
_SHIFTS_SAID = {"nights", "days", "call", "duty", "lates", "earlies", "weekends"}
_POST_PLACE_PREPS = {"at", "from", "in", "for"}  # "the practice manager at Mill Brae, Shona"
_NOW = {"today", "tonight", "now", "currently"}  # "the nic today is shona"
# Words that open a new clause after a name called out ("thank you shona how can we ...").
_CLAUSE_NEXT = {"how", "what", "when", "where", "why", "can", "could", "would", "will", "and",
                "so", "that's", "thats", "for", "i", "we", "you", "it's", "its", "very", "that"}
# Before 'a'/'an': words that say the next is said of a person ("shes a", "as an", "i were a").
_SAID_OF_A_PERSON = {"as", "is", "was", "wis", "were", "'s", "hes", "shes", "i'm", "im", "he's",
                     "she's", "whos", "who's", "they're", "we're", "you're", "be", "been",
                     "became", "has", "had", "have", "then", "to"}
_SPEAK = {"speak", "speaks", "spoke", "speaking"}
_SPEAKERS = {"speakers", "speaker", "speaking", "language", "languages"}  # "nobiin language"
# Before a word-name and "the <post>", words that make the name a verb ("i hope the nurse
# is", "to trust the doctor"); given names that are verbs first ("mark the nurse's work").
_NOT_BEFORE_HOLDER = {"on", "at", "every", "each", "other", "same", "whole",
                      "i", "we", "you", "they", "he", "she", "to", "will", "would", "can",
                      "could", "should", "might", "must", "don't", "dont", "didn't", "didnt",
                      "not", "never", "always", "really", "just", "please", "also"}
_VERB_NAMES = {"will", "may", "mark", "pat", "bill", "rose", "sue", "grant", "chase", "hope",
               "trust", "rob", "drew", "skip"}
# Between the fields of a row or a log ("Row 4 | My deputy", "Porter — Ward/site: ..."):
# after one, a capital starts the field and says nothing of a name that is also a word.
_FIELD_SEPARATORS = {"|", "—", "–", "•", "·", ">", "/", "~"}
# After "call me", words that are no nickname ("call me back", "they call me sir"), and
# the terms of endearment patients use ("they call me duck", "pet", "hen", "quine").
_NOT_NICKNAMES = {"back", "later", "sir", "madam", "whatever", "anything", "tomorrow",
                  "today", "tonight", "now", "again", "up", "out", "nurse", "doctor", "sister",
                  "mum", "mam", "love", "darling", "dear", "duck", "duckie", "pet", "petal",
                  "hen", "sweetheart", "sweetie", "honey", "hun", "babe", "baby", "bab", "chuck",
                  "flower", "sunshine", "boy", "girl", "lad", "lass", "lassie", "quine", "loon",
                  "mate", "pal", "son", "darlin", "treasure", "angel", "princess", "queen",
                  "buddy", "bro", "sis", "auntie", "aunty", "uncle", "granny", "nan"}
# Before a nickname: "big Davy", "wee Jiru" (part of what the person is called).
_NICK = {"big", "wee"}
# Before a name split into syllables, besides the name cues: a post, "is", "was".
_SPLIT_BEFORE = {"is", "was", "me", "and"}
# Sounds that are function words or fillers elsewhere but a syllable of a split name here.
_SYLLABLES = {"nah", "na", "ah", "oh", "ee", "ya", "er"}
_IRISH = re.compile(r"^[OD]['’][A-Z][a-z]+$|^[od]['’][a-z]{3,}$")
_ENGLISH_ENDINGS = ("tion", "sion", "ness", "ment", "ship", "ity", "ism", "ly", "able", "ible",
                    "ful", "less", "ous", "ive", "ise", "ize", "ised", "ized", "tor", "ers", "ies",
                    "down", "wise", "work", "ical", "ics")

# Stems of medicines' international non-proprietary names (WHO INN stems and common
# classes): "pregabalin", "zopiclone", "bisoprolol", "midazolam" are drugs, not names.
_DRUG_ENDINGS = ("azepam", "azolam", "apine", "oxetine", "pramine", "triptyline", "olol",
                 "pril", "sartan", "statin", "mab", "tinib", "cillin", "mycin", "floxacin",
                 "prazole", "azole", "tidine", "gabalin", "pentin", "teplase", "parin",
                 "xaban", "gatran", "semide", "thiazide", "iclone", "promazine", "profen",
                 "codone", "orphine", "adone", "caine", "dronate", "lukast", "setron",
                 "gliflozin", "gliptin", "formin", "cycline", "clidine", "conazole", "vudine",
                 "ciclovir", "icline", "azosin", "dipine", "lutamide", "platin", "taxel",
                 "rubicin", "coxib", "flurane", "curonium", "ofen", "uzole", "idone")


class PersonRecognizer:
    def __init__(self, cfg: DetectionConfig, lex: Lexicon) -> None:
        self.lex = lex
        self.titles = cfg.words("person", "titles")
        cues = cfg.section("person").get("cues_before", [])
        self.cues = sorted({tuple(t.lower for t in tokenize(c.casefold())) for c in cues},
                           key=len, reverse=True)
        self.cues_by_last: dict[str, list[tuple[str, ...]]] = {}
        for cue in self.cues:  # longest first, as in self.cues
            self.cues_by_last.setdefault(cue[-1], []).append(cue)
        self.role_heads = cfg.words("role", "heads")
        self.occupations = frozenset(w.casefold() for w in cfg.list_lines("occupations")
                                     if " " not in w)
        self.relations = {c[0] for c in self.cues if len(c) == 1 and c[0].isalpha()
                          and " ".join(c) not in _WEAK_CUES and c[0] not in self.titles} \
            | set(cfg.words("role", "relationship"))
        self.org_heads = cfg.words("organisation", "heads")
        self.streets = cfg.words("location", "street_words")
        self.never = lex.never
        self.name_sounds = {k for name in lex.first_names if len(name) >= 4 and name.isalpha()
                            and not lex.is_word(name) for k in similar.sound_keys(name)}

    # -- helpers -----------------------------------------------------------------------
    def ordinary(self, lw: str) -> bool:
        """A form of an ordinary word no list has as such, so not a name: a contraction
        without its apostrophe ("theres", "im"), a plural or possessive of a word or a
        never-flagged term ("locums", "italians", "childrens"), a dropped g ("waitin"), a
        medicine ("pregabalin"). Listed names keep their name reading ("miles", "burns")."""
        lex = self.lex
        if lw in CONTRACTIONS:
            return True  # "theres", "whos", "im", "didnt", "wasnt"
        if lw in lex.first_names or lw in lex.surnames or len(lw) < 4:
            return False
        if lw.endswith("s") and (lex.is_word(lw[:-1]) or lw[:-1] in self.never
                                 or lw[:-1] in self.role_heads or lw[:-1] in self.occupations
                                 or lw.endswith("es") and lex.is_word(lw[:-2])):
            return True  # ("carers", "locums": posts said of many)
        if lw.endswith("in") and lex.is_word(lw + "g") and len(lw) >= 5:
            return True  # "waitin", "phonin"
        return lw.endswith(_DRUG_ENDINGS) and len(lw) >= 7

    def name_like(self, t: Tok, cased: bool, loose: bool = False) -> bool:
        """Could this token be (part of) a name, whatever the context?"""
        lw = t.lower
        if not t.is_word or not t.is_alpha or lw in FILLERS or len(lw) < 2:
            return False
        if lw in _CALENDAR or lw in self.role_heads:
            return False
        if ("'" in lw or "’" in lw) and not _IRISH.match(t.text):
            return False  # I'm, that's, she'd
        if lw in STOP and not (cased and t.is_cap and not t.sent_start
                               and (lw in self.lex.first_names or loose)):
            return False
        if lw in NUMBER_WORDS or lw in self.never or lw in self.lex.acronyms \
                or self.ordinary(lw):
            return False
        if cased and not t.is_cap:
            return False
        return lw not in self.titles

    def _cue_before(self, toks: list[Tok], i: int) -> tuple[str, ...] | None:
        for cue in self.cues_by_last.get(toks[i - 1].lower if i else "", ()):
            n = len(cue)
            if i - n < 0:
                continue
            words = tuple(toks[k].lower for k in range(i - n, i))
            if words == cue:
                return cue
        prev = toks[i - 1].lower if i else ""
        if prev == "," and i >= 2:
            prev = toks[i - 2].lower
        if prev in ("was", "is") and i >= 2:  # "my sponsor was patience"
            rel = toks[i - 2].lower
            if rel in self.relations:
                return (rel,)
            k = i - 2  # "the triage nurse most days is honour", "our cnm two is gift"
            while k > 0 and i - k <= 3 and toks[k].lower in _POST_IS_FILLERS:
                k -= 1
            post = toks[k].lower in self.role_heads or toks[k].lower in self.occupations
            if k > 0 and post and (
                    toks[k - 1].lower in _POST_DETS or toks[k - 1].is_word
                    and toks[k - 1].lower not in STOP and toks[k - 1].lower not in _NOT_AFTER):
                return ("post-is",)  # a post said of one person, then who holds it
        if prev in self.role_heads or prev in self.occupations:
            return ("role",)
        if prev == "there" and i >= 3 and (toks[i - 2].lower in self.role_heads or toks[
                i - 2].lower in self.occupations) and any(
                toks[k].lower in _POST_DETS for k in range(max(0, i - 6), i - 2)):
            return ("role", "there")  # "the rota coordinator there jade is brilliant"
        return None

    @staticmethod
    def _holder_named(chunk: Chunk, i: int) -> bool:
        """After a post, is the word-name at ``i`` its holder's name? The next words say
        so: a verb only a person's name takes ('is', 'said'), a present-tense verb in
        lower-case speech ('hope refers everyone'), or the name said again at once, a
        speaker's restart ('rosemary rosemary writes')."""
        toks = chunk.toks
        nxt = toks[i + 1]
        if nxt.lower in _AFTER_POST_NAME:
            return True
        if chunk.cased or len(toks[i].lower) < 3 \
                or chunk.text[toks[i].end:nxt.start] != " ":
            return False
        after = toks[i + 2].pos if i + 2 < len(toks) else ""
        return nxt.lower == toks[i].lower or nxt.pos == "VERB" and nxt.lower.endswith("s") \
            and not nxt.lower.endswith("ss") and nxt.lower not in STOP \
            and after not in ("AUX", "VERB")  # not "the porter dawn shifts were long"

    def _extend(self, chunk: Chunk, i: int) -> int:
        """Index after the last token of the name that starts at ``i`` (surnames, 2 more)."""
        toks, lex = chunk.toks, self.lex
        j = i + 1
        last = i + 2
        while j < len(toks) and j <= last:
            t = toks[j]
            if chunk.text[toks[j - 1].end:t.start] not in (" ", "-"):
                break
            if self._particle_before_name(chunk, j):
                j += 2
                last += 1
                continue
            group_surname = t.lower in self.never and t.lower in lex.surnames and \
                t.is_alpha and (t.is_cap or not chunk.cased)  # "Sarah White", "Ann English"
            if not (self.name_like(t, chunk.cased, loose=True) or group_surname) \
                    or t.lower in self.role_heads:
                break
            if chunk.cased:
                if t.sent_start or t.lower in _CALENDAR or t.lower in self.org_heads \
                        or t.text.isupper() or t.lower in self.streets:
                    break  # "Penwinnick Road" is the address rule's
            else:
                known = (t.lower in lex.surnames or t.lower in lex.first_names)
                if lex.is_word(t.lower) and not self._word_surname(chunk, i, j):
                    break
                if not (known or len(t.lower) >= 3):
                    break
            j += 1
        return j

    def _particle_before_name(self, chunk: Chunk, j: int) -> bool:
        """Is toks[j] a surname particle ("ap", "Ní", "o") followed by a surname?"""
        toks, lex = chunk.toks, self.lex
        t = toks[j]
        if t.lower not in PARTICLES or j + 1 >= len(toks) or \
                chunk.text[t.end:toks[j + 1].start] != " ":
            return False
        nxt = toks[j + 1]
        if not nxt.is_alpha or nxt.lower in STOP or len(nxt.lower) < 3:
            return False
        if chunk.cased:
            return nxt.is_cap and not nxt.text.isupper()
        return nxt.lower in lex.surnames or not lex.is_word(nxt.lower)

    def _word_surname(self, chunk: Chunk, i: int, j: int) -> bool:
        """'sarah white and ...', 'tom green.': a surname that is also a word, right after a
        sure given name and before a pause or a function word (not 'sarah white coat')."""
        toks, lex = chunk.toks, self.lex
        first, t = toks[i], toks[j]
        if j != i + 1 or t.lower not in lex.surnames or t.lower in STOP or \
                t.lower in self.org_heads or first.lower in STOP or \
                first.lower not in lex.first_names:
            return False
        if lex.is_word(first.lower) and (i == 0 or toks[i - 1].lower not in _NAME_BEFORE):
            return False  # "an acute male ward": a word, not a name, before the word
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        return nxt is None or not nxt.is_word or nxt.lower in STOP or \
            nxt.lower in _AFTER_STRONG or chunk.text[t.end:nxt.start].count("\n") > 0

    # -- recognition ---------------------------------------------------------------------
    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        toks, _lex, cased = chunk.toks, self.lex, chunk.cased
        i = 0
        while i < len(toks):
            t = toks[i]
            score = self._score_start(chunk, i)
            if score <= 0:
                if _SPELLED.match(t.text):
                    out.append(Span(t.start, t.end, "PERSON", t.text, 0.6, "spelled-name"))
                i += 1
                continue
            j = self._extend(chunk, i)
            if j > i + 1:
                score = max(score, 0.75 if cased else 0.6)
            s, e = t.start, toks[j - 1].end
            if i and toks[i - 1].lower in _NICK and chunk.text[toks[i - 1].end:s] == " " \
                    and (toks[i - 1].is_cap or not cased or not t.sent_start):
                s = toks[i - 1].start  # "big dougie", "Wee Jiru": the nickname is the name
            out.append(Span(s, e, "PERSON", chunk.text[s:e], score, "person-rules"))
            if score >= 0.5:
                out.extend(self._listed_after(chunk, j))
            i = j
        out.extend(self._letter_runs(chunk))
        out.extend(self._initials(chunk))
        out.extend(self._o_surnames(chunk))
        out.extend(self._syllables(chunk))
        out.extend(self._said_twice(chunk))
        out.extend(self._blocked_word_names(chunk))
        for s, e, label in chunk.ents:
            if label != "PERSON":
                continue
            span = self._from_spacy(chunk, s, e)
            if span:
                out.append(span)
        return [sp for sp in out if sp.text.casefold() not in self.never
                or sp.source == "word-name-context"]

    def _blocked_word_names(self, chunk: Chunk) -> list[Span]:
        """'Sunday Okonkwo', 'April said', 'the occupational health nurse sunday was good':
        a given name that is also a weekday, month or never-flagged word is a name where a
        surname, a speech verb or a post right before it says so (not 'on Sunday')."""
        out: list[Span] = []
        toks, lex, cased = chunk.toks, self.lex, chunk.cased
        end_tok = Tok(".", len(chunk.text), len(chunk.text), ".")  # after the last word
        for i, t in enumerate(toks):
            lw = t.lower
            if lw not in lex.first_names or not (lw in _CALENDAR or lw in self.never) \
                    or (cased and not t.is_cap) or lw in STOP and not (cased and not t.sent_start):
                continue
            prev = toks[i - 1].lower if i else ""
            nxt = toks[i + 1] if i + 1 < len(toks) else end_tok
            who = nxt.text == "," and i + 2 < len(toks) and toks[i + 2].lower in (
                "she's", "he's", "who's")  # "and Sunday, he's a carer"
            listed = lw not in _CALENDAR and prev in ("and", "or") and i >= 2 and (
                toks[i - 2].lower == "me" or self._plain_name(toks[i - 2])) \
                and nxt.pos != "NOUN"  # "claire and shona", not "fijian and nepali families"
            if (prev in _CALENDAR_BEFORE and not (who and prev in ("and", "or")) and not listed) \
                    or prev in NUMBER_WORDS or prev[:1].isdigit():
                continue
            glued = chunk.text[t.end:nxt.start] == " "
            surname = glued and nxt.is_alpha and not lex.is_word(nxt.lower) \
                and nxt.lower not in self.never and nxt.lower not in STOP and (
                    nxt.is_cap and not nxt.sent_start and not nxt.text.isupper() if cased
                    else nxt.lower in lex.surnames)  # "Sunday Adeyemi-Cole"
            spoke = nxt.lower in _SPEECH_VERBS or who
            post = prev in self.role_heads and nxt.lower in _AFTER_POST_NAME or (
                prev in ("is", "was") and i >= 3 and toks[i - 2].lower in self.role_heads
                and not t.text.isupper()
                and any(toks[k].lower in _POST_DETS for k in range(max(0, i - 5), i - 2))
            ) or (  # "the wellbeing lead is Shona"
                prev in self.relations and i >= 2 and toks[i - 2].lower in (
                    "my", "our", "his", "her", "their", "your"))  # "my friend sunday"
            post = post or self._post_comma_before(toks, i) and (
                not nxt.is_word or nxt.lower in _AFTER_POST_NAME)  # "the physio, Shona,"
            held = toks[i - 3].lower if i >= 4 else ""  # "the nic today is shona"
            post = post or prev in ("is", "was") and toks[i - 2].lower in _NOW \
                and (held in self.role_heads or held in self.occupations)
            thanked = _after_thanks(toks, i, _GREETINGS)  # "Thank you, May."
            called = thanked and (not nxt.is_word or nxt.lower in _CLAUSE_NEXT or chunk.text[
                t.end:nxt.start].count("\n") > 0) or self._named_as(toks, i)
            if not (surname or spoke or post or called or listed):
                continue
            e = nxt.end if surname else t.end
            out.append(Span(t.start, e, "PERSON", chunk.text[t.start:e],
                            0.65 if surname else 0.5, "word-name-context"))
            if surname and cased:
                out.extend(self._again(chunk, t))
        return out

    def _post_comma_before(self, toks: list[Tok], i: int) -> bool:
        """'the physio, Shona', 'the physio on nights, Sunday', 'the practice manager at
        Mill Brae, Shona': a post (and where or when it is held), a comma, then the word:
        an apposition naming the post's holder."""
        if i < 3 or toks[i - 1].text != ",":
            return False
        k = i - 2
        if k >= 2 and toks[k].lower in _SHIFTS_SAID and toks[k - 1].lower == "on":
            k -= 2
        for j in range(k - 1, max(0, k - 4), -1):  # "at mill brae", "from sacro"
            if toks[j].lower in _POST_PLACE_PREPS and toks[j - 1].lower in self.role_heads:
                if all(toks[m].is_word and (toks[m].lower not in STOP or toks[m].lower == "the")
                       for m in range(j + 1, k + 1)):
                    k = j - 1
                break
        d = k - 1  # past up to two words of the post: "the practice manager"
        while d > max(0, k - 3) and toks[d].is_word and toks[d].lower not in STOP:
            d -= 1
        return toks[k].lower in self.role_heads and toks[d].lower in _POST_DETS

    def _plain_name(self, t: Tok) -> bool:
        """A given name that is no word and no never-flagged term ('claire', not 'will')."""
        return t.lower in self.lex.first_names and not self.lex.is_word(t.lower) \
            and t.lower not in self.never and t.lower not in STOP

    @staticmethod
    def _named_as(toks: list[Tok], i: int) -> bool:
        """'her name was Sunday', 'known as Tamil', 'we call her Friday': said as a name."""
        before = tuple(t.lower for t in toks[max(0, i - 2):i])
        return before[-1:] == ("named",) or before in _NAMED_AS

    def _again(self, chunk: Chunk, first: Tok) -> list[Span]:
        """'Sunday Okonkwo ... Sunday moved to Derriford': once a weekday or month name came
        with a surname, its later capitalised mentions that are not the day are the name."""
        out: list[Span] = []
        toks = chunk.toks
        for k in range(first.i + 2, len(toks)):
            t = toks[k]
            if t.text != first.text:
                continue
            prev = toks[k - 1].lower
            nxt = toks[k + 1].lower if k + 1 < len(toks) else ""
            if prev in _CALENDAR_BEFORE or nxt in _DAY_PARTS or prev in NUMBER_WORDS:
                continue
            out.append(Span(t.start, t.end, "PERSON", t.text, 0.45, "word-name-context"))
        return out

    def _o_surnames(self, chunk: Chunk) -> list[Span]:
        """'doctor o sullivan', 'miss o hare', 'Dr O Donnell': an Irish surname that speech
        recognition split at its apostrophe, after a title (the surname may be a word)."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        for i in range(1, len(toks) - 1):
            t, nxt = toks[i], toks[i + 1]
            if t.lower != "o" or toks[i - 1].lower not in self.titles or \
                    text[t.end:nxt.start] != " " or not nxt.is_alpha or len(nxt.lower) < 3 \
                    or nxt.lower in STOP or (chunk.cased and not nxt.is_cap):
                continue
            if nxt.lower in self.lex.surnames or not self.lex.is_word(nxt.lower):
                out.append(Span(t.start, nxt.end, "PERSON", text[t.start:nxt.end], 0.7,
                                "person-rules"))
        return out

    def _said_twice(self, chunk: Chunk) -> list[Span]:
        """'our rep is trust trust moyo', 'the ward manager will will ogunleye': a given name
        said, then said again with a surname no dictionary has (a speaker's restart), is a
        name both times, even where the given name is a word."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for i in range(len(toks) - 2):
            a, b, c = toks[i], toks[i + 1], toks[i + 2]
            if a.lower != b.lower or not a.is_alpha or len(a.lower) < 2 or not c.is_alpha \
                    or text[a.end:b.start] != " " or text[b.end:c.start] != " ":
                continue
            if a.lower in STOP and a.lower not in lex.first_names or a.lower in self.titles \
                    or a.lower in FILLERS or a.lower in NUMBER_WORDS:
                continue
            surname = len(c.lower) >= 3 and c.lower not in STOP and not lex.is_word(c.lower) \
                and c.lower not in self.never and c.lower not in lex.place_words \
                and (not chunk.cased or c.is_cap and a.is_cap)
            if surname:
                out.append(Span(a.start, a.end, "PERSON", a.text, 0.5, "word-name-context"))
                out.append(Span(b.start, c.end, "PERSON", text[b.start:c.end], 0.6,
                                "word-name-context"))
        return out

    def _syllables(self, chunk: Chunk) -> list[Span]:
        """'my clinical lead is shaw nah', 'the reg kee ron': a name speech recognition split
        into short syllables, at least one no English word, that joined sound like a given
        name (vowels may differ by one), right after a name cue or a post."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        i = 1
        while i < len(toks) - 1:
            prev = toks[i - 1].lower
            if not (prev in self.role_heads or prev in self.titles or prev in _SPLIT_BEFORE
                    or prev in self.relations or self._cue_before(toks, i)):
                i += 1
                continue
            found = 0
            for n in (3, 2):
                parts = toks[i:i + n]
                if len(parts) < n or any(not p.is_alpha or len(p.lower) > 4 or p.lower in
                                         self.titles or p.lower in self.role_heads
                                         or p.lower in STOP and p.lower not in _SYLLABLES
                                         for p in parts) \
                        or not similar.said_together(text, parts):
                    continue
                joined = "".join(p.lower for p in parts)
                words = all(lex.is_word(p.lower) for p in parts)
                if len(joined) >= 4 and not lex.is_word(joined) and (
                        joined in lex.first_names and (not words or all(
                            len(p.lower) <= 3 for p in parts))
                        or not words and len(joined) >= 5 and any(
                            k in self.name_sounds for k in similar.sound_keys(joined))):
                    found = n
                    break
            if found:
                s, e = toks[i].start, toks[i + found - 1].end
                out.append(Span(s, e, "PERSON", text[s:e], 0.5, "split-name"))
            i += max(found, 1)
        return out

    def _said_name(self, chunk: Chunk, i: int) -> float:
        """'everyone calls me Mo', 'I called her Grace', 'thank you, May.': what a person
        is called or addressed by, whatever the word (a low score for a thanked word)."""
        toks, lex = chunk.toks, self.lex
        t = toks[i]
        lw = t.lower
        if not t.is_alpha or lw in STOP or lw in FILLERS or lw in _CALENDAR or lw in self.never \
                or lw in self.titles or (chunk.cased and not t.is_cap) or len(lw) < 2:
            return 0.0
        known, word = lw in lex.first_names, lex.is_word(lw)
        before = tuple(x.lower for x in toks[max(0, i - 2):i])
        if before in _CALLED and (known or not word or chunk.cased):
            return 0.6
        if before in _CALLED and before[-1] == "me" and self._nickname(chunk, i):
            return 0.5  # "everyone calls me mo", "a few call me tee": a word as a nickname
        if not known:
            return 0.0
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        end = nxt is None or nxt.text in (",", ".", "!", "?") or "\n" in chunk.text[
            t.end:nxt.start]
        if end and _after_thanks(toks, i, _THANKS):
            return 0.5
        return 0.0

    @staticmethod
    def _nickname(chunk: Chunk, i: int) -> bool:
        """After 'call(s) me' in lower-case speech, is the word at ``i`` what the speaker is
        called? A noun the tagger knows as one, not plural ('call me names'), and the mention
        ends there (not 'calls me back', 'called me stupid', 'call me mo later' is fine)."""
        t = chunk.toks[i]
        nxt = chunk.toks[i + 1] if i + 1 < len(chunk.toks) else None
        return t.pos in ("PROPN", "NOUN", "X") and not t.lower.endswith("s") \
            and t.lower not in _NOT_NICKNAMES \
            and (nxt is None or not nxt.is_word or nxt.lower in STOP)

    def _letter_runs(self, chunk: Chunk) -> list[Span]:
        """'d e c l a n', 'S A R A H': a name spelled letter by letter with spaces."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        i = 0
        while i < len(toks):
            j = i
            while j < len(toks) and len(toks[j].text) == 1 and toks[j].text.isalpha() and (
                    j == i or text[toks[j - 1].end:toks[j].start] in (" ", ", ", "-", ". ")):
                j += 1
            letters = "".join(t.lower for t in toks[i:j])
            if 2 <= j - i <= 6 and letters.upper() in self.lex.initialisms and (
                    j - i >= 3 or not chunk.cased):
                s, e = toks[i].start, toks[j - 1].end  # "r v i": a hospital's initials said
                out.append(Span(s, e, "ORGANISATION", text[s:e], 0.7, "spoken-initialism"))
            elif j - i >= 3 and not (j - i == 3 and letters in _NOT_SPELLED):
                spell = "spell" in text[max(0, toks[i].start - 80):toks[i].start].casefold()
                s, e = toks[i].start, toks[j - 1].end
                out.append(Span(s, e, "PERSON", text[s:e], 0.75 if spell or j - i >= 4 else
                                0.5, "spelled-name"))
            i = max(j, i + 1)
        return out

    def _initials(self, chunk: Chunk) -> list[Span]:
        """'Mr T', 'mr t', 'Dr K.', 'A K' said for a person: a title or a pair of capitals."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        for i, t in enumerate(toks):
            if len(t.text) != 1 or not t.text.isalpha():
                continue
            prev = toks[i - 1] if i else None
            if prev is not None and prev.lower in self.titles and (
                    t.text.isupper() or not chunk.cased) and prev.lower not in (
                    "sister", "nurse", "doctor", "lady", "father"):
                out.append(Span(t.start, t.end, "PERSON", t.text, 0.7, "initial"))
                continue
            if i >= 2 and (toks[i - 2].lower, prev.lower) in _CALLED and (
                    t.text.isupper() or not chunk.cased) and t.lower not in ("i", "a"):
                out.append(Span(t.start, t.end, "PERSON", t.text, 0.6, "initial"))
                continue  # "I'll call him J"
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if chunk.cased and t.text.isupper() and nxt is not None and len(nxt.text) == 1 \
                    and nxt.text.isupper() and nxt.text.isalpha() and t.text not in "I" \
                    and text[t.end:nxt.start] in (" ", ". ", ".") \
                    and (i == 0 or len(toks[i - 1].text) != 1 or not toks[i - 1].text.isalpha()) \
                    and (i + 2 >= len(toks) or len(toks[i + 2].text) != 1
                         or not toks[i + 2].text.isalpha()):
                if t.text == "A" and i + 2 < len(toks) and toks[i + 2].is_word:
                    continue  # "a K shaped", article
                out.append(Span(t.start, nxt.end, "PERSON", text[t.start:nxt.end], 0.5,
                                "initials"))
            elif not chunk.cased and nxt is not None and self._lower_initials(toks, i):
                out.append(Span(t.start, nxt.end, "PERSON", text[t.start:nxt.end], 0.45,
                                "initials"))
        return out

    @staticmethod
    def _lower_initials(toks: list[Tok], i: int) -> bool:
        """'it was a k who told me', 'j p said no': two lone letters that act as a person
        (a speech verb or 'who' right after them), not part of a longer spelled run."""
        if i + 2 >= len(toks) or toks[i].lower == "i":
            return False
        a, b, after = toks[i], toks[i + 1], toks[i + 2]
        if len(b.text) != 1 or not b.text.isalpha() or b.lower == "i":
            return False
        if i and len(toks[i - 1].text) == 1 and toks[i - 1].text.isalpha():
            return False
        if len(after.text) == 1 and after.text.isalpha():
            return False
        return a.is_word and after.lower in _SPEECH_VERBS | {"who", "was", "is", "and"} \
            and (after.lower not in ("was", "is", "and") or i and toks[i - 1].lower in (
                "called", "named", "me", "with", "colleague", "manager", "friend"))

    def _score_start(self, chunk: Chunk, i: int) -> float:
        toks, lex, cased = chunk.toks, self.lex, chunk.cased
        t = toks[i]
        lw = t.lower
        prev = toks[i - 1].lower if i else ""
        said = self._said_name(chunk, i)
        if said:
            return said
        if cased and prev in _POSSESSED and t.text.isupper() and len(lw) >= 2:
            return 0.0  # "my GOC number", "your BP": a thing of hers, a name is not in capitals
        if cased and not t.is_cap and t.is_alpha and lw in lex.first_names \
                and not lex.is_word(lw) and len(lw) >= 3 and lw not in self.never \
                and lw not in lex.place_words and (
                    prev in self.titles or prev in self.role_heads or prev in self.relations
                    or prev in self.occupations or self.after_cue(toks, i)):
            return 0.5  # "ward sister aileen found it" typed in lower case in cased text
        if cased and t.is_cap and lw in lex.first_names and lex.is_word(lw) \
                and lw not in STOP and lw not in _CALENDAR and self.after_cue(toks, i) \
                and prev not in _NOT_AFTER and not (
                    t.sent_start and i + 1 < len(toks) and toks[i + 1].lower == "who"):
            return 0.55  # "Grace said", "Grace, she's our head of midwifery" (not "Many who")
        if not cased and lw in STOP and lw in lex.first_names and prev in _BEFORE_WEAK \
                and prev not in STOP and self.after_cue(toks, i):
            return 0.5  # "the facilitator was this guy will and he said"
        if cased and t.is_cap and t.sent_start and i and toks[i - 1].text in _QUOTES \
                and lw in lex.first_names and i + 1 < len(toks) and toks[i + 1].text == ",":
            return 0.5  # She said, "Blessing, you ..." - a name called out
        if lw in lex.place_words and prev in _PLACE_PREPS and not self.after_cue(toks, i):
            return 0.0  # "the clinic in Bradford": the place rules name it
        after_title = i > 0 and toks[i - 1].lower in self.titles
        if not self.name_like(t, cased, loose=after_title):
            return 0.0
        known = lw in lex.first_names
        word = lex.is_word(lw)
        if prev in self.titles and i and (toks[i - 1].is_cap or not cased) and (
                not word or known or (cased and t.is_cap)):
            return 0.85
        if prev in _SHORT_TITLES and not cased and lw in lex.surnames and lw not in STOP:
            return 0.6  # "the gp dr price came": a surname that is a word, after "dr"/"mrs"
        cue = self._cue_before(toks, i)
        if cue and known and word and t.pos == "ADJ" and lw.endswith(_ENGLISH_ENDINGS):
            cue = None  # "my manager is lovely": said of the post-holder ("is bonnie": a name)
        if cue:
            weak = " ".join(cue) in _WEAK_CUES
            if known and not word:
                return 0.85
            if not word and (not weak or self._looks_foreign(lw)):
                return 0.7
            if known and word and cased and not weak:
                return 0.6
            if known and word and not cased and not weak and cue[0] != "role":
                return 0.5
            if known and word and cue[0] == "role" and i + 1 < len(toks) and lw not in STOP \
                    and self._holder_named(chunk, i):
                return 0.5  # "the professional lead hope is great", "the coordinator rosemary
                # rosemary writes", "the receptionist there hope refers everyone"
            if known and word and not cased and t.pos in _NAME_POS and prev not in _NOT_AFTER \
                    and cue != ("role", "there"):
                return 0.5
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if known and word and not cased and prev not in _NOT_AFTER and nxt is not None \
                and nxt.lower in _SPEECH_VERBS and lw not in STOP:
            return 0.5  # "then precious told me off", "and frank rang"
        if known and word and not cased and prev not in _NOT_AFTER and self.after_cue(toks, i) \
                and (prev in _BEFORE_WEAK or cue is not None or t.sent_start):
            return 0.5  # "this guy will and he said", "at the time precious she's ..."
        if known and word and not cased and nxt is not None and prev not in _NOT_AFTER \
                and chunk.text[t.end:nxt.start] == " " and self.name_like(nxt, cased) \
                and not lex.is_word(nxt.lower) and len(nxt.lower) >= 3:
            return 0.6  # "joy okonkwo": a word-name followed by a surname
        if known and word and not cased and lw not in STOP and prev not in _NOT_AFTER \
                and prev not in _NOT_BEFORE_HOLDER and prev not in NUMBER_WORDS \
                and lw not in self.org_heads and self._the_post_after(chunk, i):
            return 0.5  # "and comfort the hca said", "precious the new hca": the holder
        if known and not word:
            if cased:
                if prev == "the":
                    return 0.0
                return 0.8 if not t.sent_start or i + 1 < len(toks) else 0.6
            return 0.65
        if cased and known and word and t.sent_start and t.is_cap and lw not in STOP \
                and lw not in _CALENDAR and lw not in _RANKS and nxt is not None \
                and self._named_here(chunk, i):
            return 0.55  # "Hope McCusker." / "Hope, the practice educator at ..."
        if cased and known and word and not t.sent_start and prev not in _NOT_AFTER:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.is_cap and not lex.is_word(nxt.lower):
                return 0.75
            return 0.0 if prev in _FIELD_SEPARATORS else 0.5  # "| My deputy", "/ Hope so"
        if cased and not word and (not t.sent_start or prev in _FIELD_SEPARATORS) \
                and not t.text.isupper() and lw not in lex.place_words and t.pos == "PROPN":
            return 0.35  # also a field's value ("| Lakeview |"): a capital unknown word
        if cased and not word and t.sent_start and nxt is not None and nxt.is_cap \
                and not nxt.sent_start and not lex.is_word(nxt.lower) and not t.text.isupper() \
                and chunk.text[t.end:nxt.start] == " ":
            return 0.5  # "Funmilayo Oyelaran." at a sentence start: two unknown capitals
        if not cased and not word and len(lw) >= 3 and lw not in lex.place_words \
                and not lw.endswith(_ENGLISH_ENDINGS) and not _a_thing(toks, i) \
                and t.pos in _UNKNOWN_WORD_POS and not _owned_or_spoken(chunk, i, lex.is_word):
            return 0.4  # lower-case ASR text: a word no dictionary knows is likely a name
        return 0.0

    def _named_here(self, chunk: Chunk, i: int) -> bool:
        """After a word-name at a sentence start: a surname no dictionary has ('Hope
        McCusker'), or ', the/our <post>' ('Hope, the practice educator')."""
        toks, lex = chunk.toks, self.lex
        nxt = toks[i + 1]
        if nxt.is_cap and not nxt.sent_start and nxt.is_alpha and chunk.text[
                toks[i].end:nxt.start] == " " and nxt.lower in lex.surnames \
                and not lex.is_word(nxt.lower) and nxt.lower not in self.never:
            return True
        if nxt.lower in ("is", "was") and i + 2 < len(toks) \
                and toks[i + 2].lower in ("the", "our", "a", "an", "my"):
            k = i + 3  # "Faith is our ward clerk", "Hope was a lovely nurse"
        elif nxt.lower == "the":
            return self._the_post_after(chunk, i)  # "Sunny the OT covers it"
        elif nxt.text == "(" and i + 3 < len(toks) and toks[i + 2].lower in ("the", "our"):
            k = i + 3  # "Memory (our HCA) is worth two": a post in brackets after the name
        elif nxt.text != "," or i + 3 >= len(toks) or toks[i + 2].lower not in ("the", "our"):
            return False
        else:
            k = i + 3
        while k < len(toks) and k < i + 7 and toks[k].is_word and (
                not toks[k].is_cap or toks[k].text.isupper()):  # "our HCA"
            if toks[k].lower in self.role_heads:
                return True
            k += 1
        return False

    def _the_post_after(self, chunk: Chunk, i: int) -> bool:
        """'comfort the hca', 'Frank the new HCA.', 'sunny the ot said': right after the word
        at ``i``, 'the', at most two plain words and a post, and there the mention ends (a
        pause, a function word, a speech verb): the post names who the word is, not what is
        done to it ('help the nurse with', 'hope the gp practice')."""
        toks = chunk.toks
        if i + 2 >= len(toks) or toks[i + 1].lower != "the" \
                or chunk.text[toks[i].end:toks[i + 1].start] != " " \
                or toks[i].lower in _VERB_NAMES:
            return False
        for k in range(i + 2, min(i + 5, len(toks))):
            t = toks[k]
            if not t.is_alpha or chunk.cased and t.is_cap and not t.text.isupper():
                return False
            if t.lower in self.role_heads:
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                return nxt is None or not nxt.is_word or nxt.lower in STOP \
                    or nxt.lower in _AFTER_STRONG
            if t.lower in STOP:
                return False
        return False

    def _listed_after(self, chunk: Chunk, j: int) -> list[Span]:
        """'maricel or joy', 'priya and sam': a given name listed right after a name."""
        toks = chunk.toks
        if j + 1 >= len(toks) or toks[j].lower not in ("and", "or", "&"):
            return []
        t = toks[j + 1]
        if t.lower not in self.lex.first_names or t.lower in STOP or t.lower in self.titles \
                or (chunk.cased and not t.is_cap):
            return []  # ("... and Miss O'Hare": a title, the name after it is its own)
        if j + 2 < len(toks) and toks[j + 2].is_word and toks[j + 2].pos in ("NOUN", "VERB") \
                and self.lex.is_word(t.lower) and toks[j + 2].lower not in _AFTER_STRONG:
            return []  # "sam and grace period"
        return [Span(t.start, t.end, "PERSON", t.text, 0.5, "person-list")]

    @staticmethod
    def after_cue(toks: list[Tok], i: int) -> bool:
        """Do the words after toks[i] say it is a person ("said", "and she", "she's")?"""
        k = i + 1
        if k < len(toks) and toks[k].lower == ",":
            k += 1
        if k >= len(toks):
            return False
        w = toks[k].lower
        if w in ("and", "so", "but") and k + 1 < len(toks):
            w = toks[k + 1].lower
            return w in ("she", "he", "she's", "he's", "said", "told", "asked")
        if k + 1 < len(toks) and f"{w} {toks[k + 1].lower}" in _AFTER_STRONG:
            return True
        return w in _AFTER_STRONG

    def _looks_foreign(self, lw: str) -> bool:
        return lw not in self.lex.english and len(lw) >= 3

    def _from_spacy(self, chunk: Chunk, s: int, e: int) -> Span | None:
        toks = chunk.toks
        i = chunk.tok_at(s)
        if i is None:
            return None
        ts = [t for t in toks[i:] if t.start < e]
        while ts and (ts[0].lower in self.titles or ts[0].lower in STOP):
            ts.pop(0)
        while ts and (ts[-1].lower == "'s" or not ts[-1].is_word):
            ts.pop()
        if not ts or "\n" in chunk.text[ts[0].start:ts[-1].end]:
            return None  # across a line break: spaCy joined a line's end to a label
        if any(not self.name_like(t, chunk.cased) for t in ts):
            return None
        if all(self.lex.is_word(t.lower) for t in ts):
            return None
        known = any(t.lower in self.lex.first_names for t in ts)
        start, end = ts[0].start, ts[-1].end
        return Span(start, end, "PERSON", chunk.text[start:end], 0.7 if known else 0.55,
                    "spacy-person")


def _owned_or_spoken(chunk: Chunk, i: int, is_word: Callable[[str], bool]) -> bool:
    """Is the unknown lower-case word at ``i`` a thing someone has ("my dosette", "his pvg")
    or a language ("we speak kurmanji", "hindko speakers"), not a person? A person after
    "my" comes with a relation word first ("my friend aoife"), and nobody speaks a person."""
    toks = chunk.toks
    prev = toks[i - 1].lower if i else ""
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    alone = i + 1 >= len(toks) or not toks[i + 1].is_word or is_word(nxt)  # not a surname
    said = i >= 2 and toks[i - 2].lower in ("language", "languages", "spoke", "speaks",
                                            "speak") and prev in ("is", "was", "only", "mostly")
    return prev in _HAVERS and alone or prev in _SPEAK or nxt in _SPEAKERS or said


def _a_thing(toks: list[Tok], i: int) -> bool:
    """Is the unknown word at ``i`` said with 'a'/'an' as a thing ('worked in a chippy', 'from
    a cellmate', 'we did a langar')? A person is not 'a <name>'; but after a copula or 'as'
    the word is said of a person, most likely an unlisted post ('shes an emt', 'as an ect'),
    and a short one may be an initialism of anything ('we share a tvn')."""
    if i < 1 or toks[i - 1].lower not in ("a", "an") or len(toks[i].lower) < 5:
        return False
    return i < 2 or toks[i - 2].lower not in _SAID_OF_A_PERSON


def _after_thanks(toks: list[Tok], i: int, words: set[str]) -> bool:
    """Whether toks[i] follows "thank you" or one of ``words``, a comma allowed between
    ("Thank you, May.", "cheers joy")."""
    k = i - 1 if i and toks[i - 1].text == "," else i
    return (k >= 2 and toks[k - 2].lower == "thank" and toks[k - 1].lower == "you"
            or k >= 1 and toks[k - 1].lower in words)
