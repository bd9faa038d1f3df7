"""ORGANISATION: NHS bodies from the ODS gazetteer, their spoken short forms and initialisms,
named wards, units, teams, practices, universities and staff networks."""

from __future__ import annotations

from ..core.model import Span
from .gazetteer import Gazetteer
from .lexicon import STOP
from .org_celtic import celtic_names
from .org_codes import OrgCodes
from .org_firms import OrgFirms
from .org_sites import OrgSites
from .org_words import (
    AT_WORDS,
    BODY_TAILS,
    CARE_GENERIC,
    COMPASS,
    MONTHS,
    PREPOSITIONS,
    function_word,
)
from .places import accept_phrase
from .text import FILLERS, Chunk, Tok, tokenize

_NATIONS = {"wales", "scotland", "england", "ireland"}
# Kinds of place that begin a name ("port of tilbury"): never a brand said alone.
_KIND_FIRST = {"port", "harbour", "dock", "docks", "airport", "isle", "our"}
# Who gives a place the name people use for it ("everyone calls it the trump"), the words
# that may stand before the verb ("we still call it"), and what says "it's called" was said.
_CALLERS = {"people", "everyone", "everybody", "we", "they", "folk", "locals", "staff",
            "patients", "you", "all"}
_CALL_ADVERBS = {"still", "all", "just", "now", "always", "usually", "even", "sometimes"}
_IT_IS = {"it's", "its", "it’s", "is", "was"}
# After a name, a preposition says a description goes on ("we call it based at ...").
_GOES_ON = PREPOSITIONS | {"at", "in", "on", "of", "for", "with", "to", "from", "by", "about"}


class OrganisationRecognizer(OrgCodes, OrgFirms, OrgSites):
    """Every organisation rule over a chunk (the families live in org_codes, org_firms,
    org_sites), then names joined to or repeated from what they found."""

    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for m in lex.organisations.find(toks):
            seg = toks[m.start_tok:m.end_tok]
            single = len([t for t in seg if t.is_word]) == 1
            if single and seg[0].lower in lex.place_words and not m.entry.possessive:
                continue  # a town: the place recognizer decides
            if single and seg[0].lower in lex.first_names and not m.entry.possessive and (
                    m.start_tok == 0 or toks[m.start_tok - 1].lower not in ("the", "at")):
                continue  # a name unless "the Freeman" / "at Freeman"
            score = accept_phrase(seg, lex, chunk.cased)
            if not score and not chunk.cased and len(seg) > 1 and seg[-1].lower in self.heads:
                score = 0.55  # "city hospital": ordinary words, but a named hospital
            said_poss = m.entry.possessive and m.end_tok < len(toks) \
                and toks[m.end_tok].lower == "'s"
            if not score and not chunk.cased \
                    and self._workplace_cue(toks, m.start_tok, single, said_poss) \
                    and not (single and seg[0].lower in self.generic_single):
                score = 0.55  # "over at heartlands", "moving over to the midland met"
            words = [t.lower for t in seg if t.is_word]
            if not score and not chunk.cased and not single \
                    and " ".join(t.lower for t in seg) not in self._place_phrases \
                    and words[0] not in STOP and words[-1] not in STOP \
                    and not all(w in COMPASS or w in STOP for w in words) \
                    and self._named_after(toks, m.start_tok):
                score = 0.42  # "in forth valley", "the john radcliffe": a listed name, no cue
            if not score:
                continue
            end = seg[-1].end
            if said_poss:
                end = toks[m.end_tok].end
            elif m.end_tok < len(toks) and toks[m.end_tok].lower in _NATIONS \
                    and seg[-1].lower in self.heads:
                end = toks[m.end_tok].end  # "university hospital wales"
            s = seg[0].start
            base = 0.95 if not single else 0.85
            sure = base * score / 0.9 * 0.95 if score < 0.9 else base
            if said_poss:  # "at tommy's": the listed possessive name, not a person called Tommy
                sure = max(sure, 0.55)
            out.append(Span(s, end, "ORGANISATION", text[s:end], sure, "nhs-gazetteer"))
        for t in toks:
            if len(t.text) >= 3 and t.text.upper() in lex.initialisms:
                if t.text.isupper():
                    out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.85, "initialism"))
                elif not chunk.cased and len(t.text) >= 4 and not lex.is_word(t.lower):
                    out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.5, "initialism"))
        out.extend(self._wards(chunk))
        if chunk.cased:
            out.extend(self._coded_wards(chunk))
        out.extend(self._named_units(chunk))
        out.extend(self._employers(chunk))
        out.extend(self._companies(chunk))
        out.extend(self._short_forms(chunk))
        out.extend(self._universities(chunk))
        out.extend(self._faculties(chunk))
        out.extend(self._regional_bodies(chunk))
        out.extend(self._unknown_initialisms(chunk))
        out.extend(self._royal_names(chunk))
        out.extend(self._said_in_passing(chunk))
        out.extend(self._called_names(chunk))
        out.extend(self._appositions(chunk))
        out.extend(self._tree_and_site_names(chunk))
        out.extend(self._unit_codes(chunk))
        out.extend(self._lettered_sites(chunk))
        out.extend(self._ambulance_services(chunk))
        out.extend(self._place_named_bodies(chunk))
        out.extend(self._local_branches(chunk))
        out.extend(self._group_bodies(chunk))
        out.extend(self._partnerships(chunk))
        out.extend(celtic_names(chunk, lex))
        out.extend(self._joined_areas(chunk))
        out.extend(self._sites_in_places(chunk))
        if chunk.cased:
            out.extend(self._workplace_fields(chunk))
        out.extend(self._examples_of_kind(chunk))
        if chunk.cased:
            out.extend(self._possessive_names(chunk))
        if not chunk.cased:
            out.extend(self._spoken_letters(chunk))
            out.extend(self._lower_firms_and_sites(chunk))
        if not chunk.cased:
            out.extend(self._said_of_lower(chunk))
        if chunk.cased:
            out.extend(self._slot_guesses(chunk))
            out.extend(self._proper_runs(chunk))
        for i, t in enumerate(toks[1:], 1):  # "the Royal" (the local Royal hospital)
            if t.text == "Royal" and toks[i - 1].lower == "the" and chunk.cased:
                e = t.end
                if i + 1 < len(toks) and toks[i + 1].is_cap and toks[i + 1].is_word \
                        and not toks[i + 1].sent_start:
                    e = toks[i + 1].end
                out.append(Span(t.start, e, "ORGANISATION", text[t.start:e], 0.6, "the-royal"))
        out.extend(self._joined_and_extended(chunk, out))
        out.extend(self._joined_codes(chunk, out))
        if not chunk.cased:
            out.extend(self._joined_lower(chunk, out))
            out.extend(self._joined_wards(chunk, out))
        return out

    def _called_names(self, chunk: Chunk) -> list[Span]:
        """"everyone calls it the trump", "we call it amu", "it's called rise now": the words
        after a naming verb are the name people use for a place. A guess: up to three words,
        no small word or filler, not a noun phrase going on ("it's called part of the job",
        "we call it based at"), capitalised in cased text ("they call it burnout")."""
        out: list[Span] = []
        toks = chunk.toks
        for i in range(len(toks)):
            j = _after_naming(toks, i)
            if j is None:
                continue
            if j < len(toks) and toks[j].lower == "the":
                j += 1
            run: list[Tok] = []
            while j < len(toks) and len(run) < 3 and toks[j].is_word \
                    and not function_word(toks[j]) and toks[j].lower not in FILLERS \
                    and not (run and toks[j].sent_start):
                run.append(toks[j])
                j += 1
            if not run or j < len(toks) and toks[j].lower in _GOES_ON \
                    or chunk.cased and not run[0].is_cap:
                continue
            tail = self._lower_guess(run, toks)
            if tail is None:
                continue
            s, e = run[0].start, run[tail].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.5, "org-called"))
        return out

    def _joined_and_extended(self, chunk: Chunk, found: list[Span]) -> list[Span]:
        """Every word of a name counts: a sure organisation takes the capitalised words or
        the town said right after it ("Birmingham and Solihull Women's Aid", "the Veterans'
        Hub Morecambe"), and capitalised words joined to it by 'and'/'or'/',' are one too
        ("Ashbrook Staffing and Nurses Direct")."""
        out: list[Span] = []
        toks = chunk.toks
        if not toks:
            return out
        for sp in found:
            if sp.type != "ORGANISATION" or sp.score < 0.5:
                continue
            k = chunk.tok_at(sp.end)
            if k is None or k == 0 or toks[k - 1].end != sp.end:
                continue
            nxt = toks[k]
            if chunk.cased and nxt.start == sp.end + 1 and nxt.is_word:
                run = self._cap_run(toks, k) if not nxt.sent_start else []
                if run and not any(w.lower in self.titles for w in run) \
                        and not (run[0].lower in self.lex.first_names
                                 and not self.lex.is_word(run[0].lower)):
                    e = run[-1].end
                    out.append(Span(sp.start, e, "ORGANISATION", chunk.text[sp.start:e],
                                    sp.score, "org-extended"))
            elif not chunk.cased and nxt.lower in self.lex.place_words and k + 1 < len(toks) \
                    and sp.text.split()[-1].lower() in self.heads:
                e = nxt.end  # "nuffield health wolverhampton"
                out.append(Span(sp.start, e, "ORGANISATION", chunk.text[sp.start:e],
                                sp.score, "org-extended"))
            elif not chunk.cased and nxt.lower in BODY_TAILS:
                j = k
                while j < len(toks) and j < k + 5 and toks[j].lower in BODY_TAILS:
                    j += 1  # "the royal berkshire hospital foundation trust"
                e = toks[j - 1].end
                out.append(Span(sp.start, e, "ORGANISATION", chunk.text[sp.start:e],
                                sp.score, "org-extended"))
            if not chunk.cased or nxt.lower not in ("and", "or", ",", "&"):
                continue
            j = k + 1
            if j < len(toks) and toks[j].lower == "the":
                j += 1
            run = self._cap_run(toks, j) if j < len(toks) else []
            if not run or run[0].sent_start or run[0].lower in self.titles \
                    or run[0].lower in self.lex.never or run[0].lower in self.lex.acronyms \
                    or run[0].lower in MONTHS:
                continue
            s, e = run[0].start, run[-1].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.45, "org-and-org"))
        return out

    def _joined_lower(self, chunk: Chunk, found: list[Span]) -> list[Span]:
        """Lower case: a listed workplace or an area's name with no cue of its own is a
        workplace when joined to one already found ("at the lgi and the jimmy's", "nhs
        tayside then fife", "morriston and singleton")."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for sp in found:
            if sp.type != "ORGANISATION" or sp.score < 0.5:
                continue
            k = chunk.tok_at(sp.end)
            if k is None or k + 1 >= len(toks) or toks[k].lower not in ("and", "or", "then"):
                continue
            j = k + 2 if toks[k + 1].lower == "the" else k + 1
            if j >= len(toks) or not toks[j].is_word or toks[j].lower in STOP:
                continue
            m = next(iter(lex.organisations.find(toks[j:j + 10])), None)
            if m is not None and m.start_tok == 0:
                e = toks[j + m.end_tok - 1].end
                if m.entry.possessive and j + m.end_tok < len(toks) \
                        and toks[j + m.end_tok].lower == "'s":
                    e = toks[j + m.end_tok].end
            elif toks[j].lower in lex.place_words:
                e = toks[j].end  # "then fife": a board or trust named by its area
            else:
                continue
            s = toks[j].start
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.5, "org-joined"))
        return out

    def mentions(self, text: str, toks: list[Tok], cands: list[Span], cased: bool
                 ) -> list[Span]:
        """An organisation found once is flagged at its other mentions, where no cue says so
        ("Cygnet were fine", "i rang the banes front door"); so is the first word of a
        longer name whose other words are a head or a town ("Cygnet" of "Cygnet Hospital
        Bierley", "spire" of "spire little aston"). Lower-case guesses made of dictionary
        words are not spread (a wrong guess would be repeated everywhere)."""
        names: dict[str, float] = {}
        cued: set[str] = set()  # lower-case guesses: spread only where a workplace is said
        for c in cands:
            if c.type != "ORGANISATION" or c.score < 0.35:
                continue
            words = [w for w in tokenize(c.text) if w.is_word]
            if not words or len(words) == 1 and function_word(words[0]):
                continue  # "theres", "he": a wrong guess not to repeat everywhere
            names[c.text] = max(names.get(c.text, 0.0), min(c.score, 0.5))
            if c.score < 0.5 and not cased and all(self.lex.is_word(w.lower) for w in words):
                cued.add(c.text)
            first = words[0]
            if len(words) >= 2 and self._brand(first, words[1:]):
                names[first.text] = max(names.get(first.text, 0.0), min(c.score, 0.45))
                if c.text in cued:
                    cued.add(first.text)
        if not names:
            return []
        gaz = Gazetteer(names)
        out: list[Span] = []
        for m in gaz.find(toks):
            seg = toks[m.start_tok:m.end_tok]
            if cased and seg[0].is_cap != m.entry.surface[:1].isupper():
                continue  # "the Spectrum clinic" vs "the autism spectrum"
            if m.entry.surface in cued and not (
                    m.start_tok and toks[m.start_tok - 1].lower in AT_WORDS - {"the", "in"}):
                continue  # "at spectrum" again, but not "the autism spectrum"
            s, e = seg[0].start, seg[-1].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], names[m.entry.surface] * 0.9,
                            "known-org"))
        return out

    def _brand(self, first: Tok, rest: list[Tok]) -> bool:
        """Is the first word of an organisation's name its own name (Cygnet, Spire)?"""
        lw, lex = first.lower, self.lex
        return first.is_alpha and len(lw) >= 4 and lw not in STOP and lw not in self.heads \
            and lw not in self.openers and lw not in lex.place_words \
            and lw not in self.generic and lw not in CARE_GENERIC \
            and lw not in COMPASS and lw not in self.titles and lw not in _KIND_FIRST \
            and any(w.lower in self.heads or w.lower in lex.place_words for w in rest)


def _after_naming(toks: list[Tok], i: int) -> int | None:
    """Where the name starts if toks[i] is the verb of "(everyone) (still) calls it" or "it's
    (now) called"; else None."""
    t = toks[i]
    if t.lower in ("call", "calls") and i + 1 < len(toks) and toks[i + 1].lower == "it":
        j = i - 1
        while j >= 0 and toks[j].lower in _CALL_ADVERBS - {"all"}:
            j -= 1
        return i + 2 if j >= 0 and toks[j].lower in _CALLERS else None
    if t.lower == "called" and i > 0:
        j = i - 1
        while j > 0 and toks[j].lower in _CALL_ADVERBS:
            j -= 1
        if toks[j].lower in ("it's", "its", "it’s"):
            return i + 1
        if toks[j].lower in _IT_IS and j > 0 and toks[j - 1].lower == "it":
            return i + 1
    return None
