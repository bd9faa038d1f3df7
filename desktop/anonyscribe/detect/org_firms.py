"""ORGANISATION as firms, shops, employers, agencies and charities: names after words
that say someone works there, companies by their tails, names said of a kind of
organisation, given as examples, in apposition, as a possessive, in a form's field."""

from __future__ import annotations

import re

from ..core.model import Span
from .dates import CALENDAR_WORDS
from .lexicon import STOP
from .numbers import NUMBER_WORDS
from .org_base import OrgBase
from .org_words import (
    CARE_GENERIC,
    MONTHS,
    NOT_A_NAME,
    PREPOSITIONS,
    TRADE_HEADS,
    UNIT_ACRONYMS,
    function_word,
)
from .text import FILLERS, Chunk, Tok, tokenize

# Words after which a place of work is named: "worked for X", "a dispenser at X".
_EMPLOYER_CUES = {("worked", "for"), ("work", "for"), ("working", "for"), ("works", "for"),
                  ("worked", "at"), ("work", "at"), ("working", "at"), ("works", "at"),
                  ("employed", "by"), ("job", "at"), ("job", "with"), ("placement", "at"),
                  ("placement", "with"), ("shifts", "at"), ("shifts", "for"), ("agency", "called"),
                  ("company", "called"), ("home", "called"), ("joined",), ("worked", "with"),
                  ("contract", "with"), ("bank", "at"), ("volunteered", "at"), ("started", "at"),
                  ("trained", "at"), ("studied", "at"), ("qualified", "at"),
                  ("drives", "for"), ("drove", "for"), ("driving", "for"), ("run", "by"),
                  ("drive", "for"), ("driver", "for"), ("delivers", "for"),
                  ("delivering", "for"), ("delivered", "for"), ("cleans", "for"),
                  ("cleaning", "for"), ("cleaned", "for"),
                  ("owned", "by"), ("managed", "by"), ("runs", "for"), ("worked", "under"),
                  ("held", "by"), ("provided", "by"), ("hosted", "by"), ("commissioned", "from"),
                  ("volunteer", "at"), ("volunteer", "for"), ("volunteer", "with"),
                  ("volunteers", "at"), ("volunteering", "at"), ("volunteering", "for"),
                  ("charity", "called"), ("organisation", "called"), ("provider", "called"),
                  ("group", "called"), ("service", "called"), ("project", "called"),
                  ("firm", "called"), ("business", "called"), ("shop", "called"),
                  ("centre", "called"), ("clinic", "called"), ("practice", "called"),
                  ("place", "called"), ("hostel", "called"), ("scheme", "called"),
                  ("outfit", "called"), ("contractor", "called"), ("factory", "called")}
# Cues so sure of a workplace that one unknown lower-case word after them is its name
# ("i work for medacs"); "at" is not among them ("at night", "at weekends").
_STRONG_EMPLOYER = {("worked", "for"), ("work", "for"), ("working", "for"), ("works", "for"),
                    ("employed", "by"), ("agency", "called"), ("company", "called"),
                    ("shifts", "for"), ("owned", "by"), ("run", "by"), ("held", "by"),
                    ("provided", "by"), ("hosted", "by"), ("commissioned", "from"),
                    ("contract", "with"), ("charity", "called"), ("organisation", "called"),
                    ("provider", "called"), ("volunteer", "for"), ("volunteering", "for"),
                    ("drives", "for"), ("drove", "for"), ("driving", "for"), ("drive", "for"),
                    ("driver", "for"), ("delivers", "for"), ("delivering", "for"),
                    ("delivered", "for"), ("cleans", "for"), ("cleaning", "for"),
                    ("cleaned", "for"),
                    ("firm", "called"), ("business", "called"), ("shop", "called"),
                    ("outfit", "called"), ("contractor", "called"), ("factory", "called")}
# Single words before a place of work in cased text ("a clinic with Umbrella", "help from
# Combat Stress", "a charity called Open Door"): what follows, capitalised, is a guess.
_SLOT_CUES = {"at", "with", "for", "through", "to", "from", "by", "called", "joined", "via",
              "into", "alongside", "partner", "partners", "and", "plus", "including"}
# "the agency was Pulse", "my employer is Hartwell": a name said of a kind of organisation.
_ORG_NOUNS = {"agency", "company", "charity", "provider", "employer", "practice", "trust",
              "hospice", "home", "organisation", "organization", "firm", "contractor", "group",
              "network", "school", "college", "university", "uni", "surgery", "pharmacy"}
# Kinds of organisation said after a name to say what it is ("crisis, the homeless charity").
_APPOSITION_HEADS = {"charity", "agency", "company", "hospice", "provider", "practice",
                     "association", "organisation", "organization", "enterprise", "cic",
                     "franchise", "chain", "firm"}
_APPOSITION_CUES = {"to", "at", "with", "from", "for", "by", "and", "then", "called", "joined",
                    "through", "via", ","}
# What is said of an organisation rather than its name ("the agency was fine").
_JUDGEMENTS = {"fine", "good", "great", "ok", "okay", "awful", "terrible", "brilliant",
               "rubbish", "lovely", "nice", "bad", "better", "worse", "busy", "short", "closed",
               "open", "shut", "full", "empty", "new", "old", "big", "small", "different",
               "same", "useless", "helpful", "supportive", "expensive", "cheap", "amazing",
               "horrible", "dreadful", "fantastic", "excellent", "poor", "there", "here",
               "gone", "fab", "grand", "alright", "decent", "strict", "private", "local",
               "brill", "mint", "dire", "chaos", "chaotic", "fair", "slow", "quick",
               "fast", "late", "early", "right", "wrong", "true", "hard", "easy", "quiet"}
# Verbs of working before "in" ("I worked in the Co-op"); "in" alone is a place's word.
_WORK_IN = {"worked", "work", "working", "works", "job", "shifts", "placement", "volunteered"}
# "from" names a place of work only after help or people given by it ("help from X",
# "a caseworker from X"); "a letter from Boots" names no one's workplace.
_FROM_AFTER = {"help", "support", "referral", "referrals", "funding", "grant", "volunteers",
               "volunteer", "caseworker", "worker", "workers", "team", "staff", "someone",
               "somebody", "people", "colleague", "colleagues", "advice", "input", "outreach"}
# Platforms and products named as a means, not a place of work ("via WhatsApp").
_MEANS = {"whatsapp", "facebook", "google", "youtube", "instagram", "twitter", "linkedin",
          "tiktok", "zoom", "skype", "email", "e-mail", "text", "phone", "post", "internet",
          "excel", "word", "outlook", "teams"}
# Last words of care agencies, companies and charities said in lower case ("bluebird care").
_COMPANY_TAILS = {"care", "agency", "homes", "healthcare", "ltd", "limited", "recruitment",
                  "bank", "staffing", "nursing", "solutions", "group", "services", "trust",
                  "charity", "pharmacy", "chemist", "chemists", "pcn", "hscp", "partnership",
                  "practice"}
# Last words of companies, agencies and care homes ("Bluebird Care", "Rosebank Lodge").
_COMPANY_HEADS = {"care", "cares", "homecare", "healthcare", "recruitment", "staffing", "nursing",
                  "ltd", "limited", "plc", "llp", "cic", "homes", "housing", "solutions",
                  "agency", "lodge", "manor", "house", "court", "medical", "pharmacy",
                  "chemists", "carers", "support", "living", "dental", "dentistry",
                  "opticians", "direct"}
# Conditions named after a person, said with 's and no noun ("he has Parkinson's").
_EPONYMS = {"alzheimer", "parkinson", "crohn", "huntington", "addison", "cushing", "hodgkin",
            "raynaud", "asperger", "tourette", "meniere", "paget", "graves", "bell", "wilson",
            "hashimoto", "sjogren", "sjögren", "lewy", "creutzfeldt", "korsakoff", "guillain",
            "munchausen", "batten", "gaucher", "kawasaki", "perthes", "osgood", "still",
            "reiter", "bright", "down", "legionnaire", "legionnaires", "alport", "barrett",
            "hartmann", "gilbert", "tourettes", "aspergers", "bell's"}
# Kinds of organisation after which "like" gives examples by name ("an agency like Pulse",
# "providers like Allied or Cera", "independents like ...").
_KIND_PLURALS = {"agency", "agencies", "provider", "providers", "company", "companies",
                 "firm", "firms", "charity", "charities", "chain", "chains", "supermarket",
                 "supermarkets", "shop", "shops", "store", "stores", "employer", "employers",
                 "independent", "independents", "organisation", "organisations", "group",
                 "groups", "contractor", "contractors", "outfit", "outfits", "brand", "brands"}
# What "like" is followed by when it names no one ("agencies like that", "a firm like yours").
_NOT_EXAMPLES = {"that", "this", "those", "these", "them", "us", "ours", "yours", "theirs",
                 "it", "one", "ones", "mine", "him", "her", "you", "me", "everyone", "anyone",
                 "others", "other", "any", "some", "most", "many", "such", "what", "how",
                 "when", "where", "who"}
# Labels of a form's field that holds a place of work ("Where: ...", "Placement: ...").
_WORKPLACE_FIELD = re.compile(
    r"^[ \t]*(?:where|placement|workplace|employer|work\s?place|place\s+of\s+work|site|base)"
    r"[ \t]*:[ \t]*(?P<v>[^\n]+)$", re.IGNORECASE | re.MULTILINE)


# Indefinite pronouns: said where a workplace goes ("to Everyone"), never one's name.
_INDEFINITE = {"everyone", "everybody", "anyone", "anybody", "someone", "somebody", "nobody",
               "no-one", "noone", "everything", "anything", "something", "nothing", "all"}


class OrgFirms(OrgBase):
    """Firms, shops, employers, agencies and charities."""

    def _employers(self, chunk: Chunk) -> list[Span]:
        """'worked for Helping Hands', 'a dispenser at Boots', 'i worked for bluebird care':
        the name after words that say someone worked there, even made of ordinary words."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for i, t in enumerate(toks):
            b = i - 2 if i > 1 and toks[i - 1].lower == "'s" else i - 1  # "contract's with"
            pair = (toks[b].lower, t.lower) if b >= 0 else ("", t.lower)
            cue = (t.lower,) in _EMPLOYER_CUES or pair in _EMPLOYER_CUES or (
                t.lower in ("at", "for") and i and toks[i - 1].lower in self.role_words) or (
                t.lower == "from" and chunk.cased and self._person_before(toks, i))
            if not cue:
                continue
            j = i + 1
            while j < len(toks) and (toks[j].lower in FILLERS or toks[j].lower == "the"):
                j += 1
            run: list[Tok] = []
            k = j
            while k < len(toks) and len(run) < 5:
                w = toks[k]
                if chunk.cased:
                    ok = w.is_word and (w.is_cap or w.text.isupper()) and (
                        not function_word(w) or not w.sent_start and w.text != "I" and not (
                            "'" in w.text or "’" in w.text)) \
                        or (w.lower in ("and", "&", "of", "'s") and run)  # "One Barnet"
                else:
                    ok = w.is_word and w.lower not in STOP and w.lower not in FILLERS \
                        and w.lower not in NUMBER_WORDS or (w.lower == "'s" and run)
                if not ok:
                    break
                run.append(w)
                k += 1
            while run and run[-1].lower in ("and", "&", "of", "'s"):
                run.pop()
            if not run or (chunk.cased and run[0].sent_start) or run[0].lower in self.titles:
                continue  # "worked for Mr Khan": a person
            if run[0].lower in CALENDAR_WORDS:
                continue  # "a receptionist from October": a time, not an employer
            words = [w.lower for w in run if w.is_word]
            if chunk.cased:
                if len(run) == 1 and (run[0].lower in lex.place_words or run[0].lower
                                      in lex.first_names and not lex.is_word(run[0].lower)):
                    continue  # "worked at Leeds" is a place, "worked with Sam" a person
                score = 0.55
            else:
                tail = next((n for n in range(len(run)) if run[n].lower in _COMPANY_TAILS
                             and n > 0), None)
                score = 0.5
                if tail is None and pair in _STRONG_EMPLOYER and self._unknown(run[0]):
                    tail = 0  # "i work for medacs": a word no list knows, after "work for"
                elif tail is None and pair in _STRONG_EMPLOYER:
                    tail = self._lower_guess(run, toks)  # "run by the good shepherd": a guess
                    score = 0.35
                elif tail is None and t.lower == "for" and toks[i - 1].lower in self.role_words:
                    tail = self._lower_guess(run, toks)  # "a care coordinator for silver
                    score = 0.35  # linnet": two words or more, none that says whom for
                    if tail is not None and (tail < 1 or tail + 1 < len(run)):
                        tail = None
                if tail is None or t.lower == "at" and (pair not in _EMPLOYER_CUES or tail == 0):
                    continue
                run = run[:tail + 1]
            if all(w in self.generic or w in _COMPANY_TAILS for w in words[:len(run)]):
                continue
            s, e = run[0].start, run[-1].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], score, "employer"))
        return out

    def _companies(self, chunk: Chunk) -> list[Span]:
        """'Bluebird Care', 'Rosebank Lodge', 'Medacs Healthcare', 'Swift Care at Home Ltd':
        capitalised words ending in what companies, agencies and care homes are called."""
        out: list[Span] = []
        if not chunk.cased:
            return out
        toks, text = chunk.toks, chunk.text
        for i, t in enumerate(toks):
            if t.lower not in _COMPANY_HEADS and t.lower not in TRADE_HEADS or not t.is_cap \
                    or i == 0:
                continue
            end = t.end
            if t.lower == "care" and i + 2 < len(toks) and toks[i + 1].lower == "at" \
                    and toks[i + 2].lower == "home":
                end = toks[i + 2].end  # "... Care at Home"
            j = i - 1
            names: list[Tok] = []
            while j >= 0 and len(names) < 4 and toks[j].is_word and toks[j].is_cap \
                    and toks[j].lower not in STOP:
                names.insert(0, toks[j])
                if toks[j].sent_start:
                    break
                j -= 1
            if not names or names[0].lower in CARE_GENERIC or (
                    names[-1].lower in CARE_GENERIC and len(names) < 2):
                continue  # "Primary Care"; but "Trentside Home Care" is a company
            if len(names) == 1 and names[0].sent_start and self.lex.is_word(names[0].lower):
                continue
            k = i + 1 if end == t.end else i + 3
            if k < len(toks) and toks[k].lower in ("ltd", "limited", "plc", "llp", "cic"):
                end = toks[k].end
            s = names[0].start
            score = 0.8 if t.lower in TRADE_HEADS else 0.55  # "Torridon Haulage": no person
            out.append(Span(s, end, "ORGANISATION", text[s:end], score, "company"))
        return out

    def _said_of_lower(self, chunk: Chunk) -> list[Span]:
        """'the agency was pulse', "my employer's hartwell": lower-case words said to be a
        kind of organisation are a guess."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks[1:-1], 1):
            if t.lower not in ("was", "is", "'s") or toks[i - 1].lower not in _ORG_NOUNS:
                continue
            j = i + 1
            run: list[Tok] = []
            while j < len(toks) and len(run) < 4 and toks[j].is_word \
                    and not function_word(toks[j]) and toks[j].lower not in FILLERS \
                    and toks[j].lower not in NUMBER_WORDS:
                run.append(toks[j])
                j += 1
            tail = self._lower_guess(run, toks) if run else None
            w0 = run[0].lower if run else ""
            if tail is None or w0 in self.generic or w0 in _JUDGEMENTS \
                    or w0.endswith(("ed", "ing", "ly")):
                continue
            s, e = run[0].start, run[tail].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.35, "org-said-of"))
        return out

    def _appositions(self, chunk: Chunk) -> list[Span]:
        """'he went to crisis, the homeless charity', 'hartwell nursing the agency': words
        just before 'the/a <kind of organisation>' are its name (nouns and adjectives only:
        'i rang the agency' names none)."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            if t.lower not in ("the", "a", "an") or i == 0:
                continue
            k = i + 1
            while k < len(toks) and k < i + 4 and toks[k].is_word \
                    and toks[k].lower not in _APPOSITION_HEADS and toks[k].lower not in STOP:
                k += 1
            if k >= len(toks) or toks[k].lower not in _APPOSITION_HEADS \
                    or k + 1 < len(toks) and toks[k + 1].is_word and toks[k + 1].lower in (
                        "called", "named", "of"):
                continue  # "a charity called X": the name comes after
            j = i - 1
            if toks[j].text == ",":
                j -= 1
            run: list[Tok] = []
            while j >= 0 and len(run) < 3:
                w = toks[j]
                if not w.is_word or function_word(w) or w.lower in FILLERS \
                        or w.lower in PREPOSITIONS or chunk.cased and not w.is_cap \
                        or w.lower in self.generic \
                        or w.lower in NUMBER_WORDS:
                    break
                run.insert(0, w)
                if w.sent_start:
                    break
                j -= 1
            if not run or chunk.cased and run[0].sent_start and len(run) == 1 \
                    and self.lex.is_word(run[0].lower):
                continue
            if not chunk.cased and not (j >= 0 and toks[j].lower in _APPOSITION_CUES):
                continue  # lower case: "went to crisis the charity", not "i rang the agency"
            s, e = run[0].start, run[-1].end
            score = 0.5 if len(run) > 1 else 0.45  # two words take a part's span over
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], score, "org-apposition"))
        return out

    def _examples_of_kind(self, chunk: Chunk) -> list[Span]:
        """'an agency like lilac or trinity', 'providers like Allied': names given as
        examples of a kind of organisation. Lower case: up to two words each, none a function
        word; cased: capitalised words."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        for i, t in enumerate(toks[1:-1], 1):
            if t.lower != "like" or toks[i - 1].lower not in _KIND_PLURALS:
                continue
            k = i + 1
            while k < len(toks):
                run = self._example(toks, k, chunk.cased)
                if not run:
                    break
                s, e = run[0].start, run[-1].end
                out.append(Span(s, e, "ORGANISATION", text[s:e],
                                0.5 if chunk.cased else 0.4, "kind-example"))
                k = run[-1].i + 1
                if k + 1 >= len(toks) or toks[k].lower not in ("or", "and", ","):
                    break
                k += 1
        return out

    def _example(self, toks: list[Tok], k: int, cased: bool) -> list[Tok]:
        """The name given as an example at toks[k] (see _examples_of_kind), or []."""
        if cased:
            run = self._cap_run(toks, k)
            return [] if not run or run[0].lower in _NOT_EXAMPLES \
                or run[0].lower in self.lex.never else run
        run: list[Tok] = []
        while k < len(toks) and len(run) < 2:
            w = toks[k]
            if not w.is_word or w.lower in STOP or w.lower in FILLERS \
                    or w.lower in _NOT_EXAMPLES or w.lower in NOT_A_NAME \
                    or w.lower in _JUDGEMENTS or w.lower in NUMBER_WORDS \
                    or "'" in w.text or w.lower in self.lex.never:
                break
            run.append(w)
            k += 1
        return run

    def _possessive_names(self, chunk: Chunk) -> list[Span]:
        """Cased text: "outside Hennigan's", "Technician ; McKenna's", "from Feeney's
        Hardware": a surname (or a word no dictionary knows) with 's and no noun of its own
        after it names a shop, pub or firm; with capitalised words after it, they are its
        name. Not a condition named after a person ("Parkinson's"), a place or a word."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for i, t in enumerate(toks[:-1]):
            if toks[i + 1].lower != "'s" or not t.is_cap or not t.is_alpha \
                    or t.text.isupper() or t.lower in _EPONYMS or t.lower in lex.never \
                    or t.lower in lex.place_words or t.lower in self.role_words \
                    or (i and toks[i - 1].lower in self.titles):
                continue
            nxt = toks[i + 2] if i + 2 < len(toks) else None
            tail = self._cap_run(toks, i + 2) if nxt is not None and nxt.is_cap \
                and not nxt.sent_start and nxt.lower not in STOP else []
            word = lex.is_word(t.lower)
            known = t.lower in lex.surnames and not word or not word
            if tail and (known or t.lower in lex.first_names):
                e = tail[-1].end  # "Feeney's Hardware", "Mark's Bread"
            elif known and t.lower not in lex.first_names and (
                    nxt is None or not nxt.is_word or nxt.lower in STOP
                    or nxt.lower in PREPOSITIONS):
                e = toks[i + 1].end  # "Hickson's,", "outside Hennigan's on"
            else:
                continue
            out.append(Span(t.start, e, "ORGANISATION", text[t.start:e], 0.5, "possessive-name"))
        return out

    def _slot_guesses(self, chunk: Chunk) -> list[Span]:
        """Cased text: capitalised words where a place of work is said ("a clinic with
        Umbrella", "help from Combat Stress", "a charity called Open Door") are a low guess
        unless a list says they are a place, a month, a platform or a national body."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks[:-1]):
            if not self._slot_cue(toks, i):
                continue
            j = i + 1
            if toks[j].lower == "the" and j + 1 < len(toks):
                j += 1
            w = toks[j]
            if not w.is_cap and t.lower in ("at", "with", "joined") and j == i + 1 \
                    and self._unknown(w) and len(w.text) >= 5 and w.text.isalpha() \
                    and w.lower not in lex.never and w.lower not in _MEANS:
                out.append(Span(w.start, w.end, "ORGANISATION", w.text, 0.35, "org-slot"))
                continue  # "a dental nurse at mydentist": a brand no list knows
            run = self._cap_run(toks, j)
            if not run or run[0].sent_start:
                continue
            words = [w.lower for w in run if w.is_word]
            first = words[0]
            if len(words) == 1 and first in _INDEFINITE:
                continue  # a chat's "From Ann to Everyone:", "help from Anyone"
            if first in self.titles or first in self.role_words or first in MONTHS \
                    or first in _EPONYMS or first in _MEANS or first in lex.never \
                    or first in lex.acronyms:
                continue
            if len(words) == 1 and (first in lex.place_words or run[0].text.isupper()):
                continue  # a town: the place rules decide; capitals: the initialism rules
            if t.lower == "and" and len(words) == 1:
                continue  # "Leeds and Bradford": coordination only after a surer name
            k = run[-1].i + 1
            s, e = run[0].start, run[-1].end
            score = 0.5 if len([w for w in words if w not in STOP]) >= 2 else 0.4
            if k < len(toks) and (toks[k].text[0].isdigit() or toks[k].lower in NUMBER_WORDS):
                if not (run[-1].text.isupper() and len(run) > 1 and toks[k].text.isdigit()):
                    continue  # "for Bands 8a", "to Level 3": a grade
                e = toks[k].end  # "through Wales REC 5": a numbered committee or unit
            elif k + 1 < len(toks) and toks[k].lower == "'s" and first not in lex.place_words \
                    and (not toks[k + 1].is_word or toks[k + 1].lower in STOP
                         or toks[k + 1].lower in PREPOSITIONS):
                e, score = toks[k].end, 0.5  # "a cashier at Sainsbury's": the shop's name
            if all(w in self.generic or w in CARE_GENERIC or w in self.heads
                   or w in UNIT_ACRONYMS or w in lex.acronyms for w in words):
                continue  # "to the Neonatal ICU": a kind of unit, no name
            # two words or more after a workplace cue are sure enough to take over a town's
            # or a part's span ("Hospice Isle of Man", "Quiet Harbour")
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], score, "org-slot"))
        return out

    def _slot_cue(self, toks: list[Tok], i: int) -> bool:
        """Is toks[i] a word after which a place of work is named (cased text)?"""
        t = toks[i]
        prev = toks[i - 1] if i else None
        pl = prev.lower if prev else ""
        if t.lower in ("was", "is"):
            return pl in _ORG_NOUNS  # "the agency was Pulse"
        if t.lower == "in":
            return pl in _WORK_IN  # "I worked in the Co-op"
        if t.lower not in _SLOT_CUES or t.is_cap and not t.sent_start:
            return False
        if t.lower == "from":
            return pl in _FROM_AFTER or pl in self.role_words
        if t.lower == "and":
            return prev is not None and prev.is_word and prev.is_cap
        return True

    def _proper_runs(self, chunk: Chunk) -> list[Span]:
        """Cased text: a run of capitalised words that holds a town and words that are not
        ("Voluntary Action Leeds", "Birmingham LGBT"), or capitalised small words inside
        ("Walking With The Wounded"), is the name of something - a guess worth a look."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            if not (t.is_word and t.is_cap) or i and toks[i - 1].is_word and toks[i - 1].is_cap:
                i += 1
                continue
            run = self._cap_run(toks, i)
            if len(run) < 2:
                i += 1
                continue
            i += len(run)
            words = [w for w in run if w.is_word]
            lows = [w.lower for w in words]
            places = [w for w in lows if w in lex.place_words]
            small = any(w.is_cap and w.lower in STOP for w in words[1:])
            other = [w.lower for w in words if w.lower not in lex.place_words and (
                w.lower not in STOP or w.text.isupper() and len(w.text) > 1)]  # "Carlow IT"
            if not (places and other or small) or any(w in self.titles for w in lows):
                continue
            if len(lows) == 3 and lows[1] in ("and", "or") and places:
                continue  # "Keswick and Threlkeld": two places, for the place rules
            if run[0].sent_start and not (lows[0] in lex.place_words or small):
                continue
            if any(m.start_tok == run[0].i and m.end_tok == run[-1].i + 1
                   for m in lex.places.find(run)):
                continue  # "Sutton Coldfield": one place
            s, e = run[0].start, run[-1].end
            score = 0.5 if places and other else 0.4  # 0.5: it takes the town's span over
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], score, "proper-run"))
        return out

    def _workplace_fields(self, chunk: Chunk) -> list[Span]:
        """'Where: Castleford smiles', 'Placement: Mater, ED': a form's field for the place
        of work holds its names, one per comma; a part that starts lower case ('community')
        or is only kinds of unit names none."""
        out: list[Span] = []
        for m in _WORKPLACE_FIELD.finditer(chunk.text):
            base = m.start("v")
            for part in re.finditer(r"[^,;|]+", m.group("v")):
                words = tokenize(part.group())
                words = [w for w in words if w.is_word]
                if not words or not words[0].is_cap or words[0].lower in STOP:
                    continue
                if len(words) > 3:
                    words = self._cap_run(words, 0) or words[:1]
                if all(w.lower in self.generic or w.lower in CARE_GENERIC
                       or w.lower in self.heads for w in words):
                    continue
                s = base + part.start() + words[0].start
                e = base + part.start() + words[-1].end
                out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.5, "workplace-field"))
        return out
