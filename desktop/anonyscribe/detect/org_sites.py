"""ORGANISATION as sites, homes and local bodies: named wards and units, homes and sites
named with ordinary words ("the Beeches", "mulberry house"), hospitals said short
("royal harrogate", "Leeds uni"), faculties, regional boards, ambulance services,
branches and bodies named by their place."""

from __future__ import annotations

import re

from ..core.model import Span
from .dates import CALENDAR_WORDS
from .lexicon import BARE_CONTRACTIONS, STOP
from .numbers import NUMBER_WORDS
from .org_base import OrgBase
from .org_words import (
    AT_WORDS,
    CARE_GENERIC,
    COMPASS,
    PREPOSITIONS,
    TRADE_HEADS,
    UNIT_KIND_HEADS,
    UNIT_KINDS,
    function_word,
)
from .text import FILLERS, Chunk, Tok

# Royal titles that name a hospital with a given name after "the" ("the Princess Elizabeth").
_ROYAL_TITLES = {"princess", "prince", "queen", "king", "duchess", "duke", "countess"}
# Heads said in lower case after a town in cased text: "Stoke council", "Newark hospital".
_TOWN_HEADS = {"council", "hospital", "infirmary", "station", "hub", "surgery", "hospice",
               "college", "uni", "university", "barracks", "garrison", "prison"}
_ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)?$")
# "the western trust", "the south eastern trust", "north board": one region's body.
_REGION_HEADS = {"trust", "board"}
# Bodies named by the area before them ("north central london icb", "Argyll and Bute HSCP").
_AREA_BODY_TAILS = {"icb", "ccg", "hscp", "pcn", "hsct", "ics"}
# "NHS England" alone is the national body, not an identifier.
_NATIONS_ALONE = {"england", "scotland", "wales", "ireland", "uk", "britain"}
# "School of Nursing", "Faculty of Health": a part of a university named by its field.
_FACULTY_HEADS = {"school", "faculty", "department", "institute", "centre", "division",
                  "college"}
# often named after a person, bird, tree or place ("Penderi cluster": a Welsh GP cluster)
_NAMED_PLACES = {"ward", "wing", "unit", "suite", "block", "cluster"}
# Titles in the names of sites named after a person ("over to Dr Jenner's").
_SITE_TITLES = {"dr", "doctor", "sir", "lady", "dame"}
_NETWORK_HEADS = {"network", "forum", "assembly"}  # a staff network said after its initials
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "weekend", "night", "day"}
_COMPANY_ENDS = {"ltd", "limited", "plc", "llp", "cic"}
# Homes, hospices and units named after trees in the plural ("the Beeches", "the elms").
_TREE_PLURALS = {"beeches", "elms", "limes", "cedars", "hollies", "firs", "laurels",
                 "chestnuts", "willows", "oaks", "pines", "poplars", "maples", "larches",
                 "rowans", "hawthorns", "sycamores", "birches", "yews", "alders", "hazels",
                 "magnolias", "acacias", "laburnums", "lindens", "cypresses", "junipers",
                 "myrtles", "spinneys", "copses", "hornbeams", "aspens"}
# One word naming a local site when said as a place of work ("at the grange", "from the
# general"): the words are ordinary, so only after a cue and where the phrase ends.
_SITE_WORDS = {"grange", "priory", "lodge", "manor", "mount", "general", "county", "abbey",
               "knoll", "vale", "jubilee", "mercy", "memorial", "regional", "woodlands",
               "anchor", "infirmary", "hermitage", "retreat"}
_SITE_CUES = {"at", "to", "from", "joined", "left", "into"}
# Words after a one-word site that end its name as a clause goes on ("at the general since").
_SITE_END = {"since", "until", "till", "before", "after", "now", "then", "when", "for", "last",
             "years", "nowadays", "anymore", "too", "as", "where", "which", "who"}
# Nations' adjectives before "Ambulance" that name one service ("the Welsh Ambulance").
_NATION_ADJ = {"welsh", "scottish", "irish", "english", "british", "national"}
# What a body named after its place is ("durham mind", "brick lane mosque", "Newark branch"):
# local branches of national charities, places of worship, clubs, local projects.
_PLACE_NAMED_HEADS = {"mind", "mosque", "masjid", "church", "gurdwara", "temple", "synagogue",
                      "chapel", "cathedral", "foodbank", "branch", "welfare", "foundation",
                      "project", "housing", "mencap", "carers", "samaritans"}
# What a local group is called after its name ("<name> foodbank", "<name> staff network").
_GROUP_HEADS = {("foodbank",), ("food", "bank"), ("women", "'s", "aid"), ("womens", "aid"),
                ("supporters", "club"), ("supporters", "'", "club"), ("network",),
                ("association",)}
# Heads that need the members' word before them ("chinese nurses network").
_MEMBER_HEADS = {"network", "association"}
_MEMBER_WORDS = {"staff", "nurses", "nurses'", "nurse", "pharmacists", "doctors", "midwives",
                 "carers", "workers", "women", "fishermen", "fishermen's", "parents",
                 "providers", "gp", "gps", "pa", "pas", "physios", "therapists", "dentists",
                 "paramedics", "students", "employees", "members", "residents", "families"}
# Words that say what kind of group, not whose ("the international nurse network").
_NOT_GROUP_NAMES = {"international", "overseas", "student", "new", "local", "national",
                    "regional", "research", "junior", "senior", "our", "their", "your", "my",
                    "staff", "the", "whole", "big", "small", "same", "other", "all", "trust",
                    "nhs", "hospital", "community", "online", "support", "peer", "wider"}
_GROUP_CUES = {"the", "at", "with", "from", "to", "for", "by", "via", "through", "and", "or",
               "called", "joined", ","}


_GROUP_HEAD_ENDS = frozenset(h[-1] for h in _GROUP_HEADS)  # a cheap test before the loop


def _group_head(toks: list[Tok], i: int) -> int:
    """How many tokens a group's head ending at toks[i] has ("food bank": 2), else 0."""
    if toks[i].lower not in _GROUP_HEAD_ENDS:
        return 0
    for head in _GROUP_HEADS:
        n = len(head)
        if i - n + 1 >= 1 and tuple(t.lower for t in toks[i - n + 1:i + 1]) == head:
            return n
    return 0


# Street words that make two words a street ("brick lane mosque").
# "based at the pavilion in ...": words before the one-word name of a site and its place.
_SITE_IN_CUES = {"at", "to", "from", "into"}
# Kinds of building, place or event said "at the <kind> in <town>": no site's name.
_BUILDING_KINDS = {"flat", "office", "offices", "shop", "college", "campus", "library",
                   "factory", "quarry", "branch", "station", "airport", "hotel", "pub", "gym",
                   "school", "market", "warehouse", "depot", "site", "plant", "mill", "yard",
                   "port", "docks", "prison", "barracks", "base", "hub", "agency", "company",
                   "vendor", "firm", "business", "council", "government", "course",
                   "conference", "awards", "meeting", "funeral", "wedding", "party", "match",
                   "game", "beach", "coast", "seaside", "border", "city", "area", "estate",
                   "hospital", "hospitals", "clinic", "centre", "ward", "wards", "unit",
                   "practice", "surgery", "pharmacy", "home", "homes", "house", "ambulances",
                   "ambulance", "police", "army", "navy", "interview", "job", "jobs",
                   "placement", "training", "university", "uni", "museum", "cinema", "theatre",
                   "stadium", "ground", "front", "back", "side", "bottom", "middle", "end",
                   "start", "moment", "time", "weekend", "weekends", "night", "morning",
                   "evening", "afternoon", "minute", "phone", "door", "desk", "table",
                   "hall", "church", "chapel", "mosque", "temple", "club", "bank", "post"}
_STREET_HEADS = {"lane", "road", "street", "avenue", "hill", "green", "square", "park", "row"}
# National charities said with their local branch's place after them ("age uk south lakeland").
_BRANCHED = (("age", "uk"), ("age", "concern"), ("citizens", "advice"), ("healthwatch",),
             ("home-start",), ("home", "start"), ("mencap",), ("samaritans",))
_BRANCHED_FIRST = frozenset(b[0] for b in _BRANCHED)  # a cheap test before the loop
_SAINTS = {"st", "saint", "sts"}
# What follows a saint's name in a church's name ("st john the baptist").
_SAINT_EPITHETS = {"baptist", "evangelist", "apostle", "divine", "great", "martyr", "confessor",
                   "less", "elder", "younger", "theologian"}
_SHORT_FORM_WORDS = {"uni", "royal", "uk", "lady"} | _SAINTS
_TRAILING_NATION = {"UK", "Scotland", "Wales", "England", "Ireland", "NI", "GB"}
# Lower-case companies and agencies "<name> care" ("bluebird care", "cariad homecare"): the
# kinds of care (and words about care) that are no company's name.
_CARE_KINDS = {"wound", "stroke", "cancer", "diabetes", "mouth", "oral", "foot", "skin", "eye",
               "stoma", "catheter", "pressure", "continence", "trach", "pin", "baby", "child",
               "family", "kinship", "hospice", "hospital", "ward", "bedside", "nail", "hair",
               "district", "school", "field", "extra", "ambulance", "disability", "practice",
               "senior", "prison", "continuing", "special", "anticipatory", "surgical", "post",
               "pre", "holistic", "basic", "total", "direct", "routine", "usual", "joint",
               "long", "short", "term", "reablement", "crisis", "trauma", "burns", "renal",
               "cardiac", "coronary", "spinal", "perinatal", "antenatal", "postnatal", "infant",
               "newborn", "night", "hour", "live", "funded", "intermediate", "rehab", "step",
               "proper", "good", "bad", "better", "best", "more", "less", "much", "enough",
               "safe", "unsafe", "compassionate", "kind", "loving", "quality", "after",
               "aftercare", "foster", "kangaroo", "rural", "psych", "psychiatric", "elderly",
               "older", "adult", "student", "hands", "round", "transitional", "virtual",
               "remote", "digital", "online", "cheap", "expensive", "poor", "standard",
               "decent", "same", "different", "other", "whole", "social", "residential",
               "dementia", "learning", "disabilities", "brain", "injury", "bone", "heart",
               "lung", "liver", "kidney", "neuro", "ortho", "gynae", "womens", "mens",
               "sexual", "reproductive", "gender", "trans", "veteran", "veterans", "carers",
               "needs", "what", "who", "any", "no", "takes", "take", "taking", "took", "to",
               "don't", "didn't", "doesn't", "couldn't", "cant", "dont", "didnt", "i", "we"}
_CARE_FIRM_HEADS = {"care", "cares", "homecare", "healthcare"}
# Lower-case homes, units and sites "<name> house" ("mulberry house", "at forest bank").
_SITE_HEADS = {"house", "court", "view", "lodge", "manor", "hall", "park", "bank", "gardens",
               "mews"}
_SITE_NAME_CUES = {"at", "from", "to", "in", "into", "on", "called", "and", "or", "joined",
                   "left"}
_FIRM_CUES = _SITE_NAME_CUES | {"with", "for", "by", "via", "through", "provider", "providers",
                                "agency", "agencies", "company", "like", "use", "used", "uses",
                                "using"}
# Who holds a firm, said before "of" ("the owner of kindly care", "directors of ..."): the
# firm's name follows, not a kind of care ("a lot of good care").
_HOLDERS = {"owner", "owners", "director", "directors", "boss", "bosses", "founder",
            "founders", "manager", "managers", "md", "ceo", "head"}
_NOT_SITE_NAMES = {"car", "food", "blood", "milk", "boiler", "council", "care", "nursing",
                   "health", "business", "retail", "industrial", "country", "theme", "safari",
                   "trailer", "caravan", "skate", "play", "water", "town", "village", "church",
                   "sports", "dance", "concert", "bingo", "dining", "exam", "lecture", "student",
                   "residence", "main", "tennis", "squash", "basketball", "netball", "crown",
                   "sheriff", "magistrates", "family", "high", "supreme", "youth", "coroner",
                   "district", "farm", "public", "halfway", "open", "full", "safe", "big",
                   "small", "guest", "coffee", "ware", "dog", "bake", "wash", "mad", "light",
                   "club", "glass", "summer", "whole", "shared", "new", "old", "empty",
                   "next", "same", "other", "own", "first", "last", "nice", "lovely", "good",
                   "point", "eye", "sea", "birds", "bird's", "mum", "mam", "nan", "gran", "dad",
                   "auntie", "grandma", "granny", "mums", "mates", "friends", "porters",
                   "hunting", "ski", "gate", "green", "white", "art", "science", "technology",
                   "holiday", "leisure", "nature", "national", "local", "private",
                   "supported", "living", "foster", "care's", "doll", "wendy", "tiny",
                   "sperm", "egg", "tissue", "bone", "data", "question", "job", "time", "piggy",
                   "river", "left", "right", "far", "near", "grass", "this", "that", "every",
                   "each", "whose", "his", "her", "their", "our", "my", "your", "its"}
# Lower-case practices "<name> surgery / dental / pharmacy / health centre"; not the kinds of
# practice, dentistry, pharmacy and surgery ("community dental", "day surgery").
_PRACTICE_HEADS = {"surgery", "pharmacy", "dental", "chemist", "chemists", "opticians"}
_PRACTICE_KINDS = {"senior", "public", "community", "day", "oral", "clinical", "hospital",
                   "urgent", "only", "another", "scottish", "welsh", "english", "irish",
                   "teaching", "rural", "general", "minor", "major", "cosmetic", "emergency",
                   "dispensing", "trainee", "paediatric", "cardiac", "keyhole", "plastic",
                   "weight", "heart", "knee", "hip", "back", "brain", "spinal", "bowel", "eye",
                   "cataract", "bypass", "bariatric", "vascular", "dental", "mental", "retail",
                   "online", "high", "street", "corner", "practice", "recruitment", "medical",
                   "health", "doctors", "doctor's", "gp", "gps", "nhs", "independent", "chain",
                   "superstore", "supermarket", "hospice", "prison", "student", "special",
                   "specialist", "restorative", "orthodontic", "orthopaedic", "foot", "nose",
                   "breast", "cancer", "bladder", "thyroid", "laser", "robotic", "open",
                   "elective", "routine", "planned", "after", "post", "pre", "simple", "big",
                   "small", "whole", "same"}


class OrgSites(OrgBase):
    """Named sites, units, homes and local bodies."""

    def _named_units(self, chunk: Chunk) -> list[Span]:
        """'Fitzroy Ward', 'Emergency Assessment Unit', 'croydon home treatment team'."""
        out = []
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks):
            if t.lower not in self.heads or i == 0:
                continue
            lower_head = chunk.cased and not t.is_cap
            prev = toks[i - 1]
            town = prev.is_cap and prev.is_word and prev.lower in lex.place_words \
                and t.lower in _TOWN_HEADS
            network = t.lower in _NETWORK_HEADS and prev.text.isupper() and len(prev.text) > 2 \
                and prev.lower != "nhs"  # "the BAME network", "the REACH forum"
            saint = t.lower in _NAMED_PLACES and prev.lower == "'s" and i >= 3 \
                and toks[i - 2].is_cap and toks[i - 3].lower in ("st", "saint")
            if lower_head and not saint and not (
                    (t.lower in _NAMED_PLACES or town or network) and prev.is_cap
                    and prev.is_word and not prev.sent_start and prev.lower not in STOP):
                continue  # "Ocean ward", "Tower wing", "Stoke council", "St Jude's ward"
            names: list[Tok] = []
            j = i - 1
            while j >= 0 and len(names) < 5:
                w = toks[j]
                if j > 0 and toks[j - 1].is_word and (w.lower == "'s" or w.text in ("'", "’")
                                                      and toks[j - 1].lower.endswith("s")):
                    j -= 1  # "St John's Catholic Primary", "the Veterans' Hub"
                    continue
                if names and chunk.cased and (w.text.isdigit() or _ORDINAL.match(w.lower)):
                    names.insert(0, w)  # "3 Medical Regiment", "16th Battalion"
                    break
                if not w.is_word or w.lower in STOP or w.lower in BARE_CONTRACTIONS \
                        or (not chunk.cased and w.lower in FILLERS):
                    if w.lower in ("and", "of", "&") and names and j > 0 and \
                            (toks[j - 1].is_cap if chunk.cased
                             else toks[j - 1].lower in lex.place_words):  # "bath and north ..."
                        names.insert(0, w)
                        j -= 1
                        continue
                    break
                if chunk.cased and not w.is_cap or w.lower in _COMPANY_ENDS:
                    break  # "... Ltd and Medivale Recruitment": one company ends there
                names.insert(0, w)
                j -= 1
            while names and names[0].lower in ("and", "of", "&"):
                names.pop(0)
            if not names:
                continue
            if chunk.cased:
                if len(names) == 1 and names[0].sent_start and lex.is_word(names[0].lower):
                    continue
                if all(n.lower in self.generic or n.lower in self.heads for n in names) and \
                        t.lower in self.unit_heads and len(names) < 2:
                    continue
                if lower_head and names[-1].lower in _WEEKDAYS:
                    continue  # "Sunday ward round"
                score = 0.6 if lower_head else 0.8
            else:
                # lower case: the run must start with a name-like word (not a dictionary word)
                full = list(names)
                k = 0
                while k < len(names) and lex.is_word(names[k].lower):
                    k += 1
                if k < len(names):
                    while k > 0 and (names[k - 1].lower in self.openers or " ".join(
                            n.lower for n in names[k - 1:]) in self._place_phrases):
                        k -= 1  # "fort william station": the whole town's name
                    if k >= 2 and names[k - 1].lower == "and" \
                            and names[k - 2].lower in lex.place_words:
                        k -= 2  # "bath and north east somerset council"
                    names = names[k:]
                    score = 0.6
                elif t.lower in self.unit_heads and len(full) >= 2 and all(
                        n.pos in ("NOUN", "ADJ", "PROPN") for n in full[-2:]) \
                        and full[-1].lower not in self.generic:
                    names = full[-3:]
                    score = 0.45  # "acute assessment unit": ordinary words naming a unit
                elif t.lower in _NAMED_PLACES and len(full) == 1 \
                        and full[0].pos in ("NOUN", "PROPN", "ADJ") \
                        and full[0].lower not in self.generic and full[0].i > 0 \
                        and toks[full[0].i - 1].lower in ("the", "on", "at", "from", "to"):
                    names = full
                    score = 0.45  # "on osprey ward", "at beech ward": named after birds, trees
                else:
                    continue
            if t.lower in UNIT_KIND_HEADS and len(names) == 1 and names[0].lower in UNIT_KINDS:
                continue  # "the stroke ward", "a gp practice": a kind of unit, not one unit
            s, e = names[0].start, t.end
            if i + 1 < len(toks) and toks[i + 1].text in _TRAILING_NATION:
                e = toks[i + 1].end  # "Filipino Nurses Association UK"
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], score, "named-unit"))
        return out

    def _tree_and_site_names(self, chunk: Chunk) -> list[Span]:
        """'the Beeches', 'at the elms', 'over at the grange', 'from the general': homes and
        sites named with one ordinary word after "the" (low score: the review decides)."""
        out: list[Span] = []
        toks = chunk.toks
        for i in range(1, len(toks)):
            t = toks[i]
            if toks[i - 1].lower != "the" or (chunk.cased and not t.is_cap):
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            ends = nxt is None or not nxt.is_word or nxt.lower in STOP \
                or nxt.lower in FILLERS or nxt.lower in _SITE_END \
                or "\n" in chunk.text[t.end:nxt.start]
            if t.lower in _TREE_PLURALS and (ends or nxt.lower in ("in", "at", "on")):
                out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.5, "tree-name"))
            elif t.lower in _SITE_WORDS and ends and i >= 2 and toks[i - 2].lower in _SITE_CUES \
                    and (nxt is None or nxt.lower not in ("of", "'s")):
                out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.45, "site-word"))
        return out

    def _royal_names(self, chunk: Chunk) -> list[Span]:
        """'the Princess Elizabeth', 'the queen mary's': a hospital named after a royal,
        said with 'the' and without 'Hospital'."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks[1:-1], 1):
            nxt = toks[i + 1]
            if t.lower not in _ROYAL_TITLES or toks[i - 1].lower != "the" \
                    or nxt.lower not in lex.first_names or not nxt.is_word \
                    or chunk.cased and not (t.is_cap and nxt.is_cap):
                continue
            e = nxt.end
            if i + 2 < len(toks) and toks[i + 2].lower == "'s":
                e = toks[i + 2].end
            out.append(Span(t.start, e, "ORGANISATION", chunk.text[t.start:e], 0.5,
                            "royal-name"))
        return out

    def _said_in_passing(self, chunk: Chunk) -> list[Span]:
        """Sites said in passing without their head word: 'royal harrogate' ("Royal" and a
        town, in either case, unless the pair is itself a town), and a site named after a
        person said with a title and 's after a workplace word ('a sister from dr jenner's')."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            if t.lower == "royal" and nxt.lower in lex.place_words and nxt.is_word \
                    and (not chunk.cased or t.is_cap == nxt.is_cap):
                after = toks[i + 2].lower if i + 2 < len(toks) else ""
                if f"royal {nxt.lower}" in self._place_phrases \
                        or f"royal {nxt.lower} {after}" in self._place_phrases:
                    continue  # "Royal Wootton Bassett", "Royal Tunbridge Wells": towns
                out.append(Span(t.start, nxt.end, "ORGANISATION",
                                chunk.text[t.start:nxt.end], 0.8, "royal-town"))
            elif t.lower in _SITE_TITLES and i and i + 2 < len(toks) \
                    and toks[i + 2].lower == "'s" and nxt.is_word and nxt.lower not in STOP \
                    and toks[i - 1].lower in AT_WORDS | {"over", "into"} \
                    and (not chunk.cased or t.is_cap and nxt.is_cap) and (
                        i + 3 >= len(toks) or not toks[i + 3].is_word
                        or toks[i + 3].lower in STOP or toks[i + 3].lower in PREPOSITIONS):
                e = toks[i + 2].end
                out.append(Span(t.start, e, "ORGANISATION", chunk.text[t.start:e], 0.5,
                                "titled-site"))  # 0.5: it takes the name's place
        return out

    def _short_forms(self, chunk: Chunk) -> list[Span]:
        """'Leeds uni', 'the royal', "St Mungo's": how people name a place of work."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for i, t in enumerate(toks):
            if t.lower not in _SHORT_FORM_WORDS:
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if t.lower == "uni" and i and toks[i - 1].is_word and (
                    toks[i - 1].lower in lex.place_words or (chunk.cased and toks[i - 1].is_cap)
                    or not lex.is_word(toks[i - 1].lower)) and toks[i - 1].lower not in STOP:
                s = toks[i - 1].start
                out.append(Span(s, t.end, "ORGANISATION", text[s:t.end], 0.7, "uni"))
            elif t.lower == "royal" and not chunk.cased and i >= 2 and toks[i - 1].lower == "the" \
                    and toks[i - 2].lower in ("at", "to", "from", "in", "on", "joined", "left"):
                out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.45, "the-royal"))
            elif t.text == "UK" and i and toks[i - 1].is_word and toks[i - 1].is_cap \
                    and toks[i - 1].lower not in STOP and not toks[i - 1].text.isupper() \
                    and chunk.cased and not toks[i - 1].sent_start:
                s = toks[i - 1].start  # "Age UK", "Carers UK": a charity or company
                out.append(Span(s, t.end, "ORGANISATION", text[s:t.end], 0.5, "uk-body"))
            elif t.lower == "lady" and i and toks[i - 1].lower == "our" and nxt is not None \
                    and (nxt.lower == "'s" or nxt.lower == "of" and i + 2 < len(toks)
                         and toks[i + 2].is_word and toks[i + 2].lower not in STOP):
                e = nxt.end if nxt.lower == "'s" else self._saints_end(toks, i + 2, chunk.cased)
                s = toks[i - 1].start  # "our lady of lourdes", "Our Lady's": named after Mary
                out.append(Span(s, e, "ORGANISATION", text[s:e], 0.55, "saint"))
            elif t.lower in _SAINTS and nxt is not None and nxt.is_word and (
                    nxt.is_cap or not chunk.cased) and nxt.lower not in STOP and (
                    t.is_cap or not chunk.cased):
                e = self._saints_end(toks, i + 1, chunk.cased)
                out.append(Span(t.start, e, "ORGANISATION", text[t.start:e], 0.5, "saint"))
        return out

    @staticmethod
    def _saints_end(toks: list[Tok], k: int, cased: bool) -> int:
        """End of a church's saints from the name at toks[k]: "st peter and st paul", "sts
        peter and paul", "st john the baptist", "St Mary's" are one name."""
        def name_at(j: int) -> bool:
            return j < len(toks) and toks[j].is_word and toks[j].lower not in STOP \
                and (toks[j].is_cap or not cased)

        def after_name(j: int) -> int:  # the name at j, its "'s" or "the baptist"
            if j + 1 < len(toks) and toks[j + 1].lower == "'s":
                return j + 1
            if j + 2 < len(toks) and toks[j + 1].lower == "the" \
                    and toks[j + 2].lower in _SAINT_EPITHETS:
                return j + 2
            return j

        last = after_name(k)
        j = last + 1
        if j + 1 < len(toks) and toks[j].lower in ("and", "&"):
            n = j + 2 if toks[j + 1].lower in _SAINTS and j + 2 < len(toks) else j + 1
            if name_at(n) and (n == j + 2 or toks[k - 1].lower in ("sts", "saints")):
                last = after_name(n)
        return toks[last].end

    def _universities(self, chunk: Chunk) -> list[Span]:
        out = []
        toks = chunk.toks
        for i, t in enumerate(toks[:-2]):
            if t.lower == "university" and toks[i + 1].lower == "of":
                k = i + 2
                while k < len(toks) and toks[k].is_word and (
                        toks[k].is_cap or (not chunk.cased and not self.lex.is_word(toks[k].lower))
                ) and k < i + 5:
                    k += 1
                if k > i + 2:
                    s, e = t.start, toks[k - 1].end
                    out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.9, "university"))
        return out

    def _faculties(self, chunk: Chunk) -> list[Span]:
        """'the School of Human and Behavioural Sciences', 'Faculty of Health': capitalised
        head, 'of', capitalised field words (and 'and' between them)."""
        out: list[Span] = []
        toks = chunk.toks
        if not chunk.cased:
            return out
        for i, t in enumerate(toks[:-2]):
            if t.lower not in _FACULTY_HEADS or not t.is_cap or toks[i + 1].lower != "of":
                continue
            k, end = i + 2, 0
            while k < len(toks) and k < i + 9:
                w = toks[k]
                if w.is_word and w.is_cap and w.lower not in STOP:
                    end = w.end
                elif not (w.lower in ("and", "&") and end):
                    break
                k += 1
            if end:
                out.append(Span(t.start, end, "ORGANISATION", chunk.text[t.start:end], 0.6,
                                "faculty"))
        return out

    def _regional_bodies(self, chunk: Chunk) -> list[Span]:
        """'the south eastern trust', 'the western board': compass words before 'trust' or
        '(health) board' name one body; 'perth royal', 'leeds general': a town's hospital."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            if i == 0:
                continue
            prev = toks[i - 1]
            if t.lower in _REGION_HEADS:
                j = i
                while j > 0 and toks[j - 1].lower in COMPASS and i - j < 2:
                    j -= 1
                if j == i or j > 0 and toks[j - 1].lower in ("a", "an", "every", "each"):
                    continue
                if chunk.cased and not (toks[j].is_cap or t.is_cap) and toks[j].sent_start:
                    continue
                s = toks[j].start
                out.append(Span(s, t.end, "ORGANISATION", chunk.text[s:t.end], 0.55,
                                "regional-body"))
            elif t.lower in _AREA_BODY_TAILS and not (chunk.cased and not t.text.isupper()):
                j = self._area_words_before(toks, i)
                e = i + 1
                if e + 1 < len(toks) and toks[e].lower == "for":  # "the icb for leicester"
                    e = self._area_words_after(toks, e + 1)
                    e = i + 1 if e == i + 2 else e
                if j < i or e > i + 1:  # "north central london icb", "Argyll and Bute HSCP"
                    s, end = toks[j].start, toks[e - 1].end
                    out.append(Span(s, end, "ORGANISATION", chunk.text[s:end], 0.8,
                                    "regional-body"))  # over the area alone, a LOCATION
            elif t.lower == "port" and i + 2 < len(toks) and toks[i + 1].lower == "of" \
                    and (not chunk.cased or t.is_cap):
                e = self._area_words_after(toks, i + 2)
                if e > i + 2:  # "the port of blyth": the port authority, an employer
                    out.append(Span(t.start, toks[e - 1].end, "ORGANISATION",
                                    chunk.text[t.start:toks[e - 1].end], 0.75, "port-of"))
            elif t.lower == "nhs" and i + 1 < len(toks):
                e = self._area_words_after(toks, i + 1)
                if e > i + 1 and not (e == i + 2 and toks[i + 1].lower in _NATIONS_ALONE):
                    out.append(Span(t.start, toks[e - 1].end, "ORGANISATION",
                                    chunk.text[t.start:toks[e - 1].end], 0.8, "nhs-area"))
            elif t.lower in ("royal", "general") and prev.lower in self.lex.place_words \
                    and prev.is_word and not (chunk.cased and not prev.is_cap):
                out.append(Span(prev.start, t.end, "ORGANISATION",
                                chunk.text[prev.start:t.end], 0.55, "town-hospital"))
        return out

    def _area_word(self, w: Tok) -> bool:
        return w.is_word and (w.lower in self.lex.place_words or w.lower in COMPASS
                              or w.lower == "greater")

    def _area_words_before(self, toks: list[Tok], i: int) -> int:
        """First index of the area named right before toks[i] ("north central london",
        "leicester leicestershire and rutland"); i when none."""
        j = i
        while j > 0 and i - j < 6 and (self._area_word(toks[j - 1]) or toks[j - 1].lower in (
                "and", "&") and j < i and j >= 2 and self._area_word(toks[j - 2])):
            j -= 1
        while j < i and not self._area_word(toks[j]):
            j += 1
        return j if any(toks[k].lower in self.lex.place_words for k in range(j, i)) else i

    def _area_words_after(self, toks: list[Tok], k: int) -> int:
        """Index after the area named from toks[k] ("greater manchester", "england east of
        england"); k when none."""
        j, end = k, k
        while j < len(toks) and j - k < 7:
            w = toks[j]
            if self._area_word(w):
                j += 1
                end = j
            elif w.lower in ("and", "&", "of") and j > k:
                j += 1
            else:
                break
        return end if any(toks[n].lower in self.lex.place_words for n in range(k, end)) else k

    def _ambulance_services(self, chunk: Chunk) -> list[Span]:
        """'the Welsh Ambulance', 'south central ambulance': a region's or nation's ambulance
        service said without "Service" (with it, the gazetteer finds it)."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks):
            if t.lower != "ambulance" or i == 0 or chunk.cased and not t.is_cap:
                continue
            nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
            if nxt in ("service", "services", "trust"):
                continue
            j = i
            while j > 0 and i - j < 3 and (toks[j - 1].lower in _NATION_ADJ
                                           or toks[j - 1].lower in COMPASS
                                           or toks[j - 1].lower in lex.place_words) \
                    and (toks[j - 1].is_cap or not chunk.cased):
                j -= 1
            if j == i:
                continue
            s = toks[j].start
            out.append(Span(s, t.end, "ORGANISATION", chunk.text[s:t.end], 0.6,
                            "ambulance-service"))
        return out

    def _place_words_before(self, toks: list[Tok], i: int, cased: bool) -> int:
        """Index of the first token of a place named just before toks[i] ("durham",
        "norfolk and waveney", "brick lane", "south lakeland"), else i."""
        lex, j = self.lex, i
        while j > 0 and i - j < 4:
            w = toks[j - 1]
            if cased and not w.is_cap and w.lower != "and":
                break
            joins = w.lower in ("and", "&") and j < i and j >= 2 \
                and toks[j - 2].lower in lex.place_words  # "norfolk and waveney"
            if w.lower in lex.place_words or w.lower in COMPASS and j < i or joins:
                j -= 1
            elif w.lower in _STREET_HEADS and j == i and j >= 2 and toks[j - 2].is_word \
                    and toks[j - 2].lower not in STOP and (not cased or toks[j - 2].is_cap):
                j -= 2  # "brick lane", "Station Road"
                break
            else:
                break
        while j < i and toks[j].lower in ("and", "&"):
            j += 1
        return j

    def _place_named_bodies(self, chunk: Chunk) -> list[Span]:
        """'durham mind', 'norfolk and waveney mind', 'brick lane mosque', 'the Newark
        branch', 'shotts miners welfare': a local body named by its place or street and what
        it is (a charity's branch, a place of worship, a club or project)."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            if t.lower not in _PLACE_NAMED_HEADS or i == 0 or chunk.cased and not (
                    t.is_cap or t.lower in ("branch", "mosque", "church", "gurdwara",
                                            "temple", "synagogue", "chapel")):
                continue
            k = i - 1 if t.lower == "welfare" and toks[i - 1].lower == "miners" else i
            j = self._place_words_before(toks, k, chunk.cased)
            if j == k:
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if t.lower in ("mind", "carers") and nxt is not None and nxt.is_word \
                    and nxt.lower not in STOP:
                continue  # "leeds carers centre" is found elsewhere; "mind" needs a pause
            s, e = toks[j].start, t.end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.5, "place-named-body"))
        return out

    def _group_bodies(self, chunk: Chunk) -> list[Span]:
        """'the horden community foodbank', "wear valley women's aid", 'the rangers supporters
        club', 'the black and brown staff network': a local group named by the words before
        what it is. A food bank, women's aid or supporters' club with any name is one; a
        network or association needs its members' word and a name before it ("the staff
        network", "the research network" are no name)."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            head = _group_head(toks, i)
            if not head:
                continue
            start = i - head + 1  # first token of the head ("food bank", "women's aid")
            names = self._group_names(toks, start, chunk.cased)
            if not names:
                continue
            words = [n for n in names if n.is_word]
            if toks[i].lower in _MEMBER_HEADS and (
                    len(words) < 2 or words[-1].lower not in _MEMBER_WORDS
                    or all(n.lower in _NOT_GROUP_NAMES or n.lower in _MEMBER_WORDS
                           or n.lower in ("and", "of") for n in words)):
                continue  # "the staff network", "the international nurse network"
            s, e = names[0].start, t.end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.55, "group-body"))
        return out

    def _partnerships(self, chunk: Chunk) -> list[Span]:
        """'dr sharma and partners', 'Patel and Partners': a GP practice named after its
        doctor (a name, not an ordinary word, before "and partners")."""
        out: list[Span] = []
        toks = chunk.toks
        for i in range(2, len(toks)):
            if toks[i].lower != "partners" or toks[i - 1].lower not in ("and", "&"):
                continue
            j = i - 2
            name = toks[j]
            if not name.is_word or name.lower in STOP or chunk.cased and not name.is_cap \
                    or self.lex.is_word(name.lower) and name.lower not in self.lex.surnames:
                continue
            if j > 0 and toks[j - 1].lower in _SITE_TITLES | {"drs"}:
                j -= 1  # "dr sharma and partners"
            s, e = toks[j].start, toks[i].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.6, "partnership"))
        return out

    def _group_names(self, toks: list[Tok], start: int, cased: bool) -> list[Tok]:
        """The name words before a group's head, after "the" or a cue; [] when none."""
        names: list[Tok] = []
        j = start - 1
        while j >= 0 and len(names) < 6:
            w = toks[j]
            if w.text in ("'", "’") and j > 0 and toks[j - 1].lower.endswith("s"):
                names.insert(0, w)  # "Kerala nurses' association"
                j -= 1
                continue
            joins = w.lower in ("and", "of") and names and j > 0 and toks[j - 1].is_word \
                and toks[j - 1].lower not in STOP
            if not joins and (not w.is_word or w.lower in STOP or w.lower in FILLERS
                              or w.lower in NUMBER_WORDS or w.lower in CALENDAR_WORDS
                              or cased and not w.is_cap and w.lower not in _MEMBER_WORDS):
                break
            names.insert(0, w)
            j -= 1
        while names and (names[0].lower in ("and", "of") or not names[0].is_word):
            names.pop(0)
        if not names or j < 0 or toks[j].lower not in _GROUP_CUES or (
                not cased and all(self.lex.is_word(n.lower) and n.lower in _NOT_GROUP_NAMES
                                  for n in names)):
            return []
        return names

    def _local_branches(self, chunk: Chunk) -> list[Span]:
        """'age uk south lakeland', 'Citizens Advice Kirklees': a national charity's local
        branch, named by the place after it."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for i in range(len(toks)):
            if toks[i].lower not in _BRANCHED_FIRST:
                continue
            for name in _BRANCHED:
                n = len(name)
                if tuple(w.lower for w in toks[i:i + n]) != name:
                    continue
                k = i + n
                while k < len(toks) and k < i + n + 3 and (
                        toks[k].lower in lex.place_words or toks[k].lower in COMPASS
                        or toks[k].lower in ("and", "&") and k + 1 < len(toks)
                        and toks[k + 1].lower in lex.place_words) \
                        and (not chunk.cased or toks[k].is_cap or toks[k].lower == "and"):
                    k += 1
                if k == i + n or toks[k - 1].lower in COMPASS:
                    continue
                s, e = toks[i].start, toks[k - 1].end
                out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.55, "local-branch"))
        return out

    def _sites_in_places(self, chunk: Chunk) -> list[Span]:
        """Lower case: 'based at the pavilion on whitehall street', 'over to the orchard in
        lancaster': one word after "at/to/from/into the" and before "in/on" and a town or a
        street names a site (a home, hospital or unit) there; not a kind of building or place
        ('to the mosque in clonskeagh', 'at the college in deptford') nor a time."""
        out: list[Span] = []
        if chunk.cased:
            return out
        toks = chunk.toks
        for i in range(1, len(toks) - 3):
            w = toks[i + 1]
            if toks[i].lower != "the" or toks[i - 1].lower not in _SITE_IN_CUES \
                    or toks[i + 2].lower not in ("in", "on") or not self._site_word(w) \
                    or not self._place_at(toks, i + 3):
                continue
            out.append(Span(w.start, w.end, "ORGANISATION", w.text, 0.4, "site-in-place"))
        return out

    def _site_word(self, w: Tok) -> bool:
        """Can ``w`` be a site's one-word name ('pavilion', 'orchard'), not a kind of place?"""
        lw = w.lower
        return w.is_alpha and len(lw) >= 4 and not function_word(w) and lw not in FILLERS \
            and lw not in NUMBER_WORDS and lw not in CALENDAR_WORDS and lw not in COMPASS \
            and lw not in _BUILDING_KINDS and lw not in _PLACE_NAMED_HEADS \
            and lw not in _NOT_SITE_NAMES and lw not in _SITE_HEADS and lw not in self.heads \
            and lw not in self.unit_heads and lw not in self.generic \
            and lw not in self.role_words and lw not in self.lex.place_words \
            and w.pos in ("NOUN", "PROPN", "X", "")

    def _place_at(self, toks: list[Tok], k: int) -> bool:
        """Is a town ('lancaster') or a street ('whitehall street') named at toks[k]?"""
        if toks[k].lower in self.lex.place_words:
            return True
        return k + 1 < len(toks) and toks[k].is_alpha and not function_word(toks[k]) \
            and toks[k + 1].lower in _STREET_HEADS

    def _joined_areas(self, chunk: Chunk) -> list[Span]:
        """'sits in the Tyrone and Fermanagh', 'the ICB, Kent and Medway': two areas joined
        by 'and' after 'the' or a body's initialism, with no noun after them, name the body
        (hospital, board, trust) that covers both."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks[:-3]):
            a, conj, b = toks[i + 1], toks[i + 2], toks[i + 3]
            lead = t.lower == "the" or t.text == "," and i and toks[i - 1].text.isupper() \
                and len(toks[i - 1].text) >= 3
            if not lead or conj.lower not in ("and", "&") \
                    or a.lower not in lex.place_words or b.lower not in lex.place_words \
                    or chunk.cased and not (a.is_cap and b.is_cap):
                continue
            after = toks[i + 4] if i + 4 < len(toks) else None
            if after is not None and after.is_word and after.lower not in STOP \
                    and after.lower not in PREPOSITIONS:
                continue  # "the Leeds and Bradford area": a noun goes on
            out.append(Span(a.start, b.end, "ORGANISATION", chunk.text[a.start:b.end], 0.5,
                            "joined-areas"))
        return out

    def _lower_firms_and_sites(self, chunk: Chunk) -> list[Span]:
        """Lower case: care agencies and firms ('bluebird care', 'from willow care',
        'cariad homecare'), homes, units and sites ('at mulberry house', 'at forest bank',
        'from ferry view') and practices ('at rookery dental', 'at ashgrove surgery', 'in
        strabane health centre', 'and the dove practice'), named with ordinary words before
        what they are; not kinds of care ('wound care', 'social care'), 'the car park', 'my
        house', 'the food bank', 'the community dental', 'for knee surgery', 'in reflective
        practice', 'the practice nurse'."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for i in range(1, len(toks)):
            head = toks[i].lower
            paired = head in ("centre", "practice") and toks[i - 1].lower in (
                "health", "medical") and toks[i - 1].end + 1 == toks[i].start
            bare = head == "practice" and not paired  # "the dove practice"
            kind = "firm" if head in _CARE_FIRM_HEADS or head in TRADE_HEADS \
                else "site" if head in _SITE_HEADS \
                else "practice" if head in _PRACTICE_HEADS or paired or bare else ""
            if not kind or bare and i + 1 < len(toks) and toks[i + 1].lower in self.role_words:
                continue  # "the practice nurse": a post
            last = i - 2 if paired else i - 1
            names: list[Tok] = []
            j = last
            while j >= 0 and len(names) < 2 and self._name_word(toks[j], kind) and not (
                    bare and toks[j].pos == "ADJ"):  # "in reflective practice": a kind
                names.insert(0, toks[j])
                j -= 1
            if kind == "firm" and not names and i >= 3 and toks[i - 1].lower in CARE_GENERIC \
                    and not function_word(toks[i - 1]) and self._name_word(toks[i - 2], kind):
                names = [toks[i - 2], toks[i - 1]]  # "evergreen community care"
                j = i - 3
            if not names:
                continue
            k = j  # the cue, before "the" and fillers: "at um the avenue surgery"
            while k >= 0 and (toks[k].lower == "the" or toks[k].lower in FILLERS):
                k -= 1
            cues = _FIRM_CUES if kind != "site" else _SITE_NAME_CUES
            if head == "surgery":  # "recovering from knee surgery"; "and the oak surgery"
                cues = {"at", "and"} if k != j else {"at"}
            cue = k >= 0 and (toks[k].lower in cues or toks[k].text == "," or (
                kind == "firm" and toks[k].lower == "of" and k > 0
                and (toks[k - 1].lower in _HOLDERS or toks[k - 1].lower in self.role_words))) \
                and "\n" not in text[toks[k].end:names[0].start]
            known = any(not lex.is_word(n.lower) or n.lower in lex.place_words for n in names)
            if not cue and not (kind != "site" and known) or head in TRADE_HEADS and not known:
                continue  # "pentland ferries", "rannoch cars"; not "the new cars"
            score = 0.55 if known else (0.4 if kind == "site" and k != j else 0.45)
            s, e = names[0].start, toks[i].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], score, "lower-firm-site"))
        return out

    def _name_word(self, w: Tok, kind: str) -> bool:
        """Can ``w`` be (part of) the name before 'care', 'house' or 'surgery'?"""
        lw = w.lower
        if not w.is_word or not w.is_alpha or len(lw) < 3 or function_word(w) or lw in FILLERS \
                or lw in NUMBER_WORDS or lw in CALENDAR_WORDS or lw in self.role_words \
                or lw in _FIRM_CUES or w.pos not in ("NOUN", "PROPN", "ADJ", "X", "") \
                or lw in self.generic:
            return False  # "joined pennine care": the verb is no part of the name
        if kind == "firm":
            return lw not in CARE_GENERIC and lw not in _CARE_KINDS
        if kind == "practice":
            return lw not in _PRACTICE_KINDS and lw not in _NOT_SITE_NAMES \
                and lw not in _PRACTICE_HEADS
        return lw not in _NOT_SITE_NAMES and lw not in _SITE_HEADS
