"""ROLE: job titles by their grammar (modifiers + band + specialty + head noun + "of/for X"),
not bare professions used generically ("nurses like me", "as a doctor")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.model import Span
from .config import DetectionConfig
from .lexicon import STOP, Lexicon
from .numbers import NUMBER_WORDS, TEENS, TENS, UNITS
from .text import FILLERS, Chunk, Tok, tokenize

_OWNERS = {"my", "our", "the", "his", "her", "their", "your"}
_PLAIN_ADJ_TEXT = """
good great hard new old little big nice lovely brilliant amazing fantastic excellent supportive
poor bad young best first only other same different real proper actual current previous former
last next main whole own better worse busy fab awful decent white black asian brown female male
"""
_PLAIN_ADJ = frozenset(_PLAIN_ADJ_TEXT.split())
_CONTENT_POS = {"NOUN", "PROPN", "ADJ"}
_BAND_NUMBERS = NUMBER_WORDS | {"8", "eight"}  # before a band letter: "band eight a", "8 a"
_ACRONYM = re.compile(r"^[A-Z]{2,5}$|^[A-Z]{2}[a-z][A-Z]{1,2}$")  # "AHP", "TRiM"
_BAND_DIGIT = re.compile(r"^[2-9][a-d]?$")
# "I was a porter", "as a registrar", "she's our matron": words that say a post follows.
_CUES = (("i'm",), ("im",), ("i", "am"), ("i", "was"), ("as",), ("she's",), ("he's",),
         ("was",), ("is",), ("became",), ("used", "to", "be"),
         ("they're",), ("you're",), ("we", "were"), ("we're",),
         ("worked", "as"), ("working", "as"), ("trained", "as"), ("qualified", "as"),
         ("started", "as"), ("job", "as"), ("post", "as"), ("role", "as"), ("work", "as"),
         ("who's",), ("who", "is"), ("who", "was"), ("there's",), ("then",),
         ("one", "of"), ("'s",), ("been",),  # "Kelechi's a porter", "my mum's a carer"
         ("shes",), ("hes",), ("whos",))  # the same, typed or transcribed without apostrophe
# Cues said of a person: after these an unknown acronym is a post ("he's a CNM2").
_PERSON_CUES = {("i'm",), ("im",), ("i", "am"), ("i", "was"), ("she's",), ("he's",),
                ("who's",), ("who", "is"), ("who", "was"), ("as",), ("worked", "as"),
                ("working", "as"), ("became",), ("shes",), ("hes",), ("whos",)}
# Words right before a bare office ("he's head of nursing", "I'm lead for dementia").
_SAID_OF = {"i'm", "im", "he's", "she's", "was", "is", "as", "became", "now", "am", "hes",
            "shes"}
_POST_ACRONYM = re.compile(r"^[A-Z]{2,5}\d?$")
# Words before "to be a" that make the title an aspiration, not a post held.
_WISH = {"like", "want", "wanted", "wants", "wanna", "'d", "would", "hope", "hoping", "hoped",
         "love", "aspire", "aspired", "aspiring", "dream", "dreamed", "planning", "plan",
         "aim", "aiming", "going", "gonna", "trying", "try", "could", "might", "should",
         "ambition", "someday", "one", "never", "wish", "keen", "interested"}
_CUE_ENDS: dict[str, list[tuple[str, ...]]] = {}
for _cue in _CUES:
    _CUE_ENDS.setdefault(_cue[-1], []).append(_cue)
# Adverbs between a cue and the title ("I'm also the minister", "she's now our matron").
_CUE_ADVERBS = FILLERS | {"also", "now", "still", "currently", "actually", "just", "already",
                          "technically", "officially", "basically"}
# Relationship words that are posts all the same when "the" and a name go with them.
_POSTS_WITH_THE = {"consultant", "doctor", "nurse", "carer", "governor"}
_NAME_TITLES = {"dr", "doctor", "mr", "mrs", "ms", "miss", "prof", "professor"}
# Bare posts that, with "the"/"our" and a verb only a person does, are said of one holder.
_SAID_POSTS = {"sister", "consultant", "registrar", "manager", "matron", "doctor", "nurse",
               "midwife", "clerk", "tutor", "supervisor", "director", "gp", "coordinator",
               "co-ordinator", "receptionist", "pharmacist", "physio", "therapist", "surgeon",
               "anaesthetist", "physician", "chaplain", "governor", "inspector", "teacher",
               "head", "housekeeper", "porter", "superintendent", "educator", "facilitator",
               "reg", "ot", "slt", "cpn", "hca", "trainer"}
# Words that are one holder's post beside a name ("the owner mrs kang", "shes the owner,
# Bev"), but too often said of anyone's, alone ("asked to speak to the owner").
_HELD_BESIDE = {"owner", "proprietor", "landlord", "landlady"}
_SAID_VERBS = {"said", "says", "told", "tells", "asked", "asks", "rang", "rings", "phoned",
               "emailed", "texted", "came", "comes", "sent", "wrote", "replied", "explained",
               "shouted", "decided", "covers", "covered", "called", "goes", "insisted",
               "refused", "agreed", "laughed", "apologised"}
_ASK_VERBS = {"ask", "asked", "tell", "told", "rang", "ring", "phoned", "phone", "call",
              "called", "email", "emailed", "page", "paged", "bleep", "bleeped", "fetch",
              "fetched", "get", "got"}
_SHIFTS = {"nights", "days", "call", "duty", "shift", "earlies", "lates", "weekends"}
# Prepositions that open a phrase between a post and its clause ("the counsellor at the old
# infirmary was so gentle", "the optometrist from the mobile team who visited").
_PHRASE_PREPS = {"on", "at", "in", "from", "for", "with", "over", "up", "down", "out"}
# Words that end such a phrase without a clause about the post's holder.
_PHRASE_BREAK = {"and", "but", "so", "because", "cos", "i", "we", "you", "they", "he", "she",
                 "it", "is", "are", "which", "when", "if", "then", "or", "that"}
# Relationship words that stay who-not-which even with "the"/"our" and a name beside them.
_NEVER_BESIDE = {"manager", "line manager", "boss", "mentor", "sponsor", "supervisor",
                 "colleague", "partner", "associate", "worker", "visitor", "friend"}
# With "my": family, or whom the speaker learns from ("my sister Jo", "my tutor is Dr X").
_FAMILY = {"brother", "sister", "minister", "tutor", "teacher", "trainer", "coach", "educator",
           "assessor"}
POSSESSIVE_DETS = {"my", "his", "her", "your"}
_FIELD_ABBR = {"oh"}  # occupational health, said as a word in ASR ("the oh nurse")
# Past-tense words after "the <post>" that tell of one person ("the anaesthetist was great").
_PAST_CLAUSE = {"was", "wasn't", "had", "hadn't", "did", "didn't", "went", "wanted", "needed",
                "knew", "gave", "got", "took", "made", "kept", "seemed", "looked", "thought",
                "refused", "wouldn't", "couldn't", "never", "walked", "turned", "arrived",
                "left", "stayed", "helped", "saw", "listened", "ignored", "shouted", "laughed"}
# Nouns after a bare post that make it an attribute of the post ("the registrar rota").
_POST_ATTRIBUTES = {"rota", "rotas", "meeting", "meetings", "office", "training", "pay",
                    "grade", "level", "salary", "scheme", "rotation", "rotations", "rooms",
                    "room", "station", "bleep", "phone", "list", "lists", "shortage", "shortages",
                    "numbers", "workforce", "cover", "gap", "gaps", "clinic", "clinics"}
# Posts that belong to a ward or unit ("sister on the critical care unit").
_WARD_POSTS = {"sister", "nurse", "manager", "matron", "hca", "clerk", "housekeeper",
               "coordinator", "co-ordinator", "practitioner", "assistant", "worker", "lead"}
# Words after which a bare post opens a clause in unpunctuated speech ("and matron said").
_CLAUSE_OPENERS = FILLERS | {"and", "then", "so", "but", "cos", "because", "when", "until",
                             "till"}
# Between posts listed one after another: "a porter, HCA, and then a nurse".
_LIST_GLUE = {",", "and", "or", "/", "then", "now", "later", "eventually", "finally", "also"}
# Posts said as often of a place or of anyone in the trade as of one holder ("the GP").
_NOT_ONE_HOLDER = {"gp", "gps", "specialist", "facilitator", "practitioner", "coastguard",
                   "professor", "transcriber", "locum", "tech", "concentrator", "head"}
# After such a post, words that end its mention (not a present-tense generic statement, "the
# anaesthetist is responsible", nor a phrase, "the tutor on a course like that").
_AFTER_ONE_HOLDER = {"and", "or", "but", "then", "so", "too", "again", "there", "though",
                     "herself", "himself", "yesterday", "today", "that", "because", "cos"}
# Words that may follow a title in apposition to a name: where, since when, and whom else.
_APPOSITION_ENDS = {"at", "in", "for", "from", "on", "with", "and", "since", "based", "here",
                    "there"}
_POSSESSIVES = {"'s", "’s", "'", "’"}
_IRREGULAR_PLURALS = {"children", "women", "men", "people"}
# After a post, words that open where its holder works or a clause about them.
_PHRASE_OPENERS = {"in", "at", "from", "up", "for", "who", "that", "we", "i"}
# Heads that after a hyphen end a modifier, not a post ("follow-up lead", "top-up head").
_NOT_AFTER_HYPHEN = {"lead", "head", "chair", "partner", "associate", "assistant", "student"}
_NEW_ADJ = {"new"}  # "there's a new ACP": a newcomer, still the post
_NOT_BEFORE_AS = {"well", "such", "same", "good", "just", "so", "much", "long", "soon", "far",
                  "act", "acts", "acting", "acted", "treated", "seen", "see", "sees", "like"}
_DETS = {"a", "an", "the", "our", "my", "their", "his", "her", "your"}
# Words spaCy may tag as adjectives or nouns that never modify a post: a speaker correcting
# themself ("dr a sorry doctor adebayo"), "by name sister x", "saying nurse", Scots "nae".
_NOT_MODIFIERS = {"sorry", "name", "names", "saying", "nae", "outside", "months", "weeks",
                  "years", "pardon", "mean", "yeah", "yes", "okay", "ok", "no"}
# Bare words said of anyone in the trade, not a post ("as a nurse", "I'm a doctor").
_GENERIC_ALONE = {"nurse", "doctor", "student", "worker", "manager", "professional", "leader",
                  "member", "clinician", "nurses", "doctors", "trainee", "volunteer",
                  "chair", "head", "lead", "reader"}
# Of those, the ones that are a post when their field follows ("a reader in nursing").
_FIELD_POSTS = {"reader", "student", "trainee", "fellow"}
# Training grades of doctors: FY1, F2, CT2, ST5, IMT1, GPST3, StR, SpR, SHO.
# And the Irish health service's nurse and midwife manager grades: CNM1-3, CMM1-3.
_GRADE = re.compile(r"^(?:FY|F|CT|ST|IMT|GPST|CMT|ACCS|KF|SFP)[1-8]$|^(?:SHO|SpR|StR|FY|IMT|"
                    r"GPST|CT|ST)$|^(?:CNM|CMM)[1-3]$", re.IGNORECASE)
_GRADE_BASE = {"fy", "f", "ct", "st", "imt", "gpst", "cmt", "accs", "cnm", "cmm"}
# Last words of an employer's name: "a carer for kestrel care" names whom, not a field.
_EMPLOYER_TAILS = {"care", "homecare", "healthcare", "agency", "ltd", "limited", "group",
                   "services", "recruitment", "staffing", "homes"}
# A field of a table or survey export that holds a post and nothing else: a quoted CSV cell,
# a cell between bars or tabs ('"Speech and language therapist"', '| Paramedic |').
_FIELD = re.compile(r'(?:(?<=^")|(?<=,")|(?<=\|)|(?<=\t))[ ]*([A-Za-z][A-Za-z\'&/ -]{1,60}?)[ ]*'
                    r'(?="(?:,|$)|\||\t|$)', re.MULTILINE)
# ... or a survey answer that is a post and nothing else ("[R07] Q1: Optometrist.").
_ANSWER = re.compile(r"^[^\n:]{0,30}\bQ\d{1,2}[a-z]?:[ \t]*([A-Za-z][A-Za-z'&/ -]{1,60}?)[ \t]*"
                     r"(?=[.,;!|(]|$)", re.MULTILINE)
# ... or a field between middle dots ("#5116 · Student · UDH"), or the first of a quoted
# comment's attribution in brackets ('"..." (Housekeeper, Ty Hafan, 15 yrs)').
_DOTTED = re.compile(r"(?<=[·•])[ \t]*([A-Za-z][A-Za-z'&/ -]{1,60}?)[ \t]*(?=[·•]|$)",
                     re.MULTILINE)
_ATTRIBUTION = re.compile(r"(?<=\()[ \t]*([A-Za-z][A-Za-z'&/ -]{1,60}?)[ \t]*"
                          r"(?=[,;][^()\n]{1,60}\)|\)[ \t]*:)")  # or "R-007 (Porter): ..."
_HEADER_AFTER = re.compile(r"[ \t]*:")  # "R-005 (Carer, Oak View): answer"
_FIELD_JOINERS = {"and", "&", "of", "for", "in", "at", "/"}  # "Care at Home Organiser"
# ... or a form's labelled field for the post ("Role: Associate", "Job title: DN"): the label
# says what the value is, so any value is the respondent's post but an empty answer.
# The label opens a line or follows a field separator ("Row 6 — Role: Ward Clerk (nights)",
# "Resp. 034 ▸ 2025-02-19 ▸ Post: ...", "submitted 08:05 / job title: ... / base: ...");
# the value runs to the next separator, a note in brackets and a comma inside it. "=" is a
# label's colon too ("[S-12] Role = Porter ; Where = ..."), "I work as:" a form's label.
_LABELLED = re.compile(r"(?:^|(?<=[—–▸|·;\]])|(?<= / )|(?<= ~ ))[ \t]*"
                       r"(?:role|job title|job role|job|post|"
                       r"position|occupation|profession|designation|i work as|working as)"
                       r"[ \t]*[:=][ \t]*"
                       r"([A-Za-z][^\n|;\t▸—–·~]{0,59}?)[ \t.]*(?=[\n|;\t▸—–·]| / | :: | ~ |$)",
                       re.MULTILINE | re.IGNORECASE)
# A row of a survey export: an id, then fields between one separator ("0413 :: CNM2 :: UHG
# :: answer", "K-2227 / Speech and Language Therapist / KCHFT / ...", "#5103 · year 4 BDS · ...").
_ROW_ID = re.compile(r"^[ \t]*(?:#?[A-Za-z]{0,3}[-_]?\d{1,6}|row \d{1,4})[ \t]*(?=\S)",
                     re.MULTILINE | re.IGNORECASE)
_ROW_SEPS = (" :: ", " · ", " | ", " ; ", " / ", " — ", " – ", " ~ ")
_NO_ANSWER = {"n/a", "na", "none", "blank", "unknown", "other", "not stated", "not given",
              "prefer not to say", "same", "as above", "tbc", "various"}
_NOT_A_POST_START = {"i", "it", "it's", "its", "we", "they", "he", "she", "you", "that",
                     "this", "was", "is", "yes", "no", "not", "what", "which"}  # a sentence
# Counts of posts held in a team ("two HCSWs", "twenty-four carers"): two and up.
_COUNTS = (frozenset(UNITS) - {"zero", "oh", "o", "nought", "nil", "one"}) | frozenset(TEENS) \
    | frozenset(TENS) | {"couple"}
# Words before a number that make it a grade, a place or an age, not a count.
_NOT_COUNTING = {"band", "level", "ward", "bay", "room", "floor", "year", "years", "aged",
                 "page", "number", "no", "step", "stage", "f", "st", "ct", "fy", "imt"}
_SPECIALTY_STOP = {"at", "and", "but", "so", "with", "for", "from", "on", "in", "to", "when",
                   "which", "who", "where", "um", "uh", "er", "erm", "like", "now", "then",
                   "years", "months", "weeks", "days", "ages", "decades", "year", "month",
                   "week", "day", "while", "time", "life", "ever", "nights"}


# Before a post, words that make it one nobody holds: wished for ("I'd like to be a",
# "maybe become a"), wanted or asked for ("we need a second HCA", "a dad asked for a local
# nurse"), asked about ("what does a link worker do"), one the speaker was taken for
# ("they thought I was the cleaner"), one there is none of ("there's no ward clerk"), one
# the speaker is not ("I'm not the branch secretary").
_NOT_HELD = re.compile(
    r"(?:\b(?:like|love|want|wants|hope|hoping|aim|aiming|plan|planning|aspire|wish)"
    r"\s+to\s+(?:be|become)\s+(?:a|an|the)"
    r"|\bbecome\s+(?:a|an)"
    r"|\b(?:want|wants|need|needs)\s+(?:a|an)(?:\s+(?:second|third|another|extra|new))?"
    r"|\b(?:asked|asking|fought|fighting|vacancy|vacancies)\s+for\s+(?:a|an)"
    r"|\b(?:what|how)\s+does\s+(?:a|an)"
    # taken for one ("patients thought I was the porter", "asked if I'm the cleaner")
    r"|\b(?:thought|think|thinks|assumed|assume|assumes|wondered\s+if"
    r"|(?:asked|asking|asks|ask)\s+(?:me\s+)?(?:if|whether))\s+(?:i|you)"
    r"(?:\s+was|\s+were|\s+am|\s+are|['’]?m|['’]?re)?\s+(?:really\s+)?\"?(?:the|a|an)"
    r"|\b(?:am\s+i\s+really|mistaken\s+for|taken\s+for|mistook\s+\w+\s+for)\s+(?:the|a|an)"
    # none there ("there's no ward clerk"), or the one who stands out ("the most senior nurse")
    r"|\b(?:there(?:['’]?s|\s+is|\s+was|\s+are)|have|has|had|got)\s+no(?:\s+band\s+\w+)?"
    r"|\bthe\s+most"
    r"|\bnot\s+(?:the|a|an))\s+$", re.IGNORECASE)  # one nobody here is: "I'm not the rep"


# "chair" as a seat, not a post: a person's own chair, one sat in, or a kind of seat.
_SEAT_BEFORE = re.compile(
    r"(?:\b(?:in|into|on|onto|from|of|out\s+of|for|did|made)\s+(?:a|an|the|his|her|their|my"
    r"|your|its|our)|\b(?:his|her|their|its)|\b(?:power|electric|riser|recliner|rocking|arm|"
    r"high|push|shower|commode|dental|dentist's|wheel|sitting|comfy|second)"
    r")\s+$", re.IGNORECASE)
_SEAT_WORDS = {"chair", "chairs"}


def not_held(text: str, start: int, end: int | None = None) -> bool:
    """Is the post at ``start`` one nobody holds, only wished for, wanted or asked about?
    Such a post names no one ("we need a second pharmacist", "I'd like to be a nurse
    consultant one day"); a post applied for or held is left ("I applied for a band 7 post").
    With ``end``, a bare "chair" that is a seat ("sat in his chair", "a power chair") too."""
    before = text[max(0, start - 40):start]
    if end is not None and text[start:end].casefold().startswith("most "):
        before += "most "  # a span that took the superlative in: "the [most senior nurse]"
    if end is not None and text[start:end].casefold() in _SEAT_WORDS \
            and _SEAT_BEFORE.search(before):
        return True
    return _NOT_HELD.search(before) is not None


def _singular(word: str) -> str:
    """'midwives' -> 'midwife', 'secretaries' -> 'secretary', 'partners' -> 'partner'."""
    if word.endswith("ves"):
        return word[:-3] + "fe"
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class RoleRecognizer:
    def __init__(self, cfg: DetectionConfig, lex: Lexicon) -> None:
        self.lex = lex
        self.heads = cfg.words("role", "heads") | {"professional", "leader"}
        self.suffixes = tuple(cfg.section("role").get("head_suffixes", []))
        self.mods = cfg.words("role", "modifiers")
        self.relationship = cfg.words("role", "relationship")
        self.posts_alone = cfg.words("role", "posts_alone")
        self.post_cues = cfg.words("role", "post_cues")
        self.courses = cfg.words("role", "course_words")
        self.followers = cfg.words("role", "followers")
        self.not_alone = cfg.words("role", "not_alone")
        self.occupations = frozenset(w.casefold() for w in cfg.list_lines("occupations"))
        self.place_heads = cfg.words("organisation", "heads") - self.heads
        self._occ_max = 3
        phrases = sorted(cfg.words("role", "phrases"), key=len, reverse=True)
        self._phrases = re.compile(r"(?<!\w)(?:" + "|".join(
            r"\s+".join(re.escape(w) for w in p.split()) for p in phrases) + r")(?!\w)",
            re.IGNORECASE) if phrases else None

    def is_head(self, t: Tok) -> bool:
        w = t.lower
        if w in self.heads:
            return True
        if "-" in w:  # "sub-dean", "pre-reg", "co-director": a prefix before a head
            pre, _, last = w.rpartition("-")
            return pre.isalpha() and last in self.heads and last not in _NOT_AFTER_HYPHEN
        return len(w) >= 7 and w.endswith(self.suffixes) and w.isalpha()

    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            if not t.is_word or not self.is_head(t):
                continue
            span = self._phrase(chunk, i)
            if span:
                out.append(span)
        if self._phrases is not None:
            for m in self._phrases.finditer(chunk.text):
                out.append(Span(m.start(), m.end(), "ROLE", m.group(), 0.75, "role-phrase"))
        out.extend(self._grades(chunk))
        out.extend(self._cued(chunk))
        out.extend(self._appositive(chunk))
        out.extend(self._said_by(chunk))
        out.extend(self._counted(chunk))
        out.extend(self._fields(chunk))
        return out

    # -- a post alone in a field of a table or survey ---------------------------------------
    def _fields(self, chunk: Chunk) -> list[Span]:
        """'"Speech and language therapist"', '| Paramedic |': in a survey export or a table
        the post has its own column, written without any cue; a field whose words are a title
        (head last, the rest modifiers, occupation words, joiners or lower-case ordinary
        words) is that respondent's post."""
        out: list[Span] = []
        attributions = list(_ATTRIBUTION.finditer(chunk.text))
        attributed = {m.start(1) for m in attributions
                      if _HEADER_AFTER.match(chunk.text, chunk.text.find(")", m.end(1)) + 1)}
        for m in [*_FIELD.finditer(chunk.text), *_ANSWER.finditer(chunk.text),
                  *_DOTTED.finditer(chunk.text), *attributions]:
            words = tokenize(m.group(1))
            if not words or len(words) > 7 or not all(w.is_word or w.text in "&/-"
                                                      for w in words):
                continue
            last = words[-1]
            if not (self.is_head(last) or _singular(last.lower) in self.heads
                    or last.lower in self.occupations) \
                    or len(words) == 1 and last.lower in self.relationship \
                    and m.start(1) not in attributed:
                continue  # a lone "Carer" column: most often a family carer, not a post
                # (but "R-005 (Carer, Oak View): ..." heads a respondent's answer)
            if all(self._field_part(w, k) for k, w in enumerate(words[:-1])) \
                    and words[0].lower not in _FIELD_JOINERS:
                s, e = m.start(1), m.end(1)
                out.append(Span(s, e, "ROLE", chunk.text[s:e], 0.5, "role-field"))
        for m in _LABELLED.finditer(chunk.text):
            value = m.group(1)
            first = value.split()[0].lower()
            if value.lower() not in _NO_ANSWER and len(value.split()) <= 7 \
                    and first not in _NOT_A_POST_START:
                out.append(Span(m.start(1), m.end(1), "ROLE", value, 0.5, "role-field"))
        return out

    def title_columns(self, text: str) -> list[Span]:
        """'0413 :: CNM2 :: Merlin Park :: ...': in a survey export whose rows hold a job-title
        column, every value of that column is the respondent's post, the ones no title list
        knows ('CNM2', 'year 4 BDS', 'Household Services') too. A column is a job title's
        where three rows or more, and three in ten, hold a title the grammar knows; the last
        field (the free answer) is never such a column. A spaced hyphen is not taken for a
        separator: prose has it too ("2019 - I moved - ...")."""
        rows: dict[str, list[list[tuple[int, int]]]] = {}
        for m in _ROW_ID.finditer(text):
            end = text.find("\n", m.end())
            line = text[m.start():end if end >= 0 else len(text)]
            rest = line[m.end() - m.start():]
            sep = next((x for x in _ROW_SEPS if rest.startswith(x.lstrip())), None)
            if sep is None or sep not in line:
                continue
            cells, pos = [], m.start()
            for part in line.split(sep):
                s0 = pos + len(part) - len(part.lstrip())
                cells.append((s0, s0 + len(part.strip())))
                pos += len(part) + len(sep)
            if len(cells) >= 3:
                rows.setdefault(sep, []).append(cells)
        out: list[Span] = []
        for found in rows.values():
            for col in (1, 2, 3):
                values = [r[col] for r in found if col < len(r) - 1]
                posts = sum(self._title_value(text[a:b]) for a, b in values)
                if posts < 3 or posts < 0.3 * len(values):
                    continue
                for a, b in values:
                    value = text[a:b]
                    words = value.split()
                    if b > a and 0 < len(words) <= 7 and value.lower() not in _NO_ANSWER \
                            and words[0].lower() not in _NOT_A_POST_START \
                            and any(c.isalpha() for c in value):
                        out.append(Span(a, b, "ROLE", value, 0.5, "role-field"))
        return out

    def _title_value(self, value: str) -> bool:
        """Is this field a job title the grammar knows ('Staff Nurse', 'Porter')?"""
        words = tokenize(value)
        if not words or len(words) > 7 or not all(w.is_word or w.text in "&/-,()"
                                                  for w in words):
            return False
        words = [w for w in words if w.is_word]
        return bool(words) and (_singular(words[-1].lower) in self.heads or any(
            self.is_head(w) or w.lower in self.occupations for w in words))

    def _field_part(self, w: Tok, k: int) -> bool:
        lw = w.lower
        if lw in self.mods or lw in self.occupations or lw in self.heads \
                or lw in _FIELD_JOINERS or not w.is_word:
            return True
        if "-" in lw:  # "pre-reg", "out-of-hours"
            return all(self.lex.is_word(x) or x in self.mods for x in lw.split("-") if x)
        return lw not in STOP and self.lex.is_word(lw) and (k == 0 or not w.is_cap) \
            and lw not in self.lex.place_words

    # -- posts counted in a team -----------------------------------------------------------
    def _counted(self, chunk: Chunk) -> list[Span]:
        """'we've two dental nurses', 'three optoms and two dispensing opticians', 'eight
        HCSWs': a post counted says how a named team is staffed, and with the team known the
        few who hold it are too. A low score: the same words are often said of nobody in
        particular. Bare generic words ('two nurses') and posts that modify a place or a
        thing ('two porter lodges', 'two registrar rotas') are left."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks[:-1]):
            lw = t.lower
            count = lw in _COUNTS or lw.isdigit() and 2 <= int(lw) <= 99 or (
                "-" in lw and lw.split("-", 1)[0] in TENS)
            if not count or i and toks[i - 1].lower in _NOT_COUNTING | _OWNERS - {"the"}:
                continue  # "band two", "my two managers": a grade, or who-not-which
            k = i + 2 if lw == "couple" and toks[i + 1].lower == "of" else i + 1
            end, head = self._occupation(toks, k, plural=True)
            if end is None or toks[end - 1].lower == head or _singular(toks[end - 1].lower) \
                    != head or head in _GENERIC_ALONE and end == k + 1 or head in _NEVER_BESIDE:
                continue  # singular ("two porter shifts"), generic, or who-not-which
            if end < len(toks) and (toks[end].lower in _POST_ATTRIBUTES
                                    or self._names_a_place(toks, end)):
                continue
            s, e = toks[k].start, toks[end - 1].end
            out.append(Span(s, e, "ROLE", chunk.text[s:e], 0.35, "role-count"))
        return out

    # -- a post said next to a name --------------------------------------------------------
    def _appositive(self, chunk: Chunk) -> list[Span]:
        """'a physio from X, Tomos' no; 'our postdoc, Anwen', 'two dispensers, Wei and Sade',
        'Dr Lamont the consultant', 'a j the gp': one occupation word right beside a name
        is that person's post, even a word that is generic on its own."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            if not t.is_word or i == 0 or toks[i - 1].lower not in _DETS | {"two", "three"}:
                continue
            lw = t.lower
            single = lw[:-1] if lw.endswith("s") and toks[i - 1].lower in ("two", "three") \
                else lw
            det = toks[i - 1].lower
            framed = det in ("the", "our", "their") and i >= 3 and toks[i - 2].text == "," \
                and i + 1 < len(toks) and toks[i + 1].text == ","  # "Ewan, the locksmith,"
            post = self.is_head(t) or single in self.heads or single in self.occupations and (
                framed or not self.lex.is_word(single))
            if not post or lw in STOP or single in self.relationship and not (
                    det == "the" and single in _POSTS_WITH_THE):
                continue  # "my manager, Sam", "my partner, Alex": who, not which post
            after = i + 2 < len(toks) and toks[i + 1].text == "," \
                and self._name_word(toks[i + 2], chunk.cased)
            n = i - 3 if i >= 3 and toks[i - 2].text == "," else i - 2  # "Ama, our porter"
            before = n >= 0 and det in ("the", "our", "their") \
                and self._name_word(toks[n], chunk.cased) and (
                    not toks[n].sent_start or self._sure_given_name(toks[n]))
            if after or before or det in ("the", "our", "their") and (
                    self._named_next(chunk, i + 1)):
                out.append(Span(t.start, t.end, "ROLE", t.text, 0.45, "role-beside-name"))
        return out

    def beside_names(self, text: str, toks: list[Tok], cands: Sequence[Span],
                     cased: bool) -> list[Span]:
        """'the ot is branwen', 'the deputy is tegwen', 'Tamsin, the trainer.', 'The PEF
        there, Rhiannon', 'the reg on nights, Hallgrim': a post word right beside a name that
        the person rules found is that person's post (a low score). Runs after detection,
        as the names (lower-case, of any origin) are what the person rules know best."""
        people = [c for c in cands if c.type == "PERSON" and c.score >= 0.4
                  and c.source != "speaker-label"]
        sites = [c for c in cands if c.type == "ORGANISATION" and c.score >= 0.5]
        if not people and not sites:
            return []
        first = {t.start: t.i for t in toks}
        last = {t.end: t.i for t in toks}
        out: list[Span] = []
        seen: set[int] = set()
        for c in sites:
            k = self._post_at(toks, first.get(c.start), cased)
            if k is not None and k not in seen:
                seen.add(k)
                t = toks[k]
                out.append(Span(t.start, t.end, "ROLE", t.text, 0.4, "role-beside-name"))
        for p in people:
            counted = self._count_naming(toks, first.get(p.start))
            if counted is not None and counted[0] not in seen:
                seen.add(counted[0])
                a, b = toks[counted[0]].start, toks[counted[1]].end
                out.append(Span(a, b, "ROLE", text[a:b], 0.5, "role-count-named"))
            titled = self._titled_after(text, toks, last.get(p.end), cased)
            if titled is not None and titled[0] not in seen:
                seen.add(titled[0])
                a, b = toks[titled[0]].start, toks[titled[1] - 1].end
                out.append(Span(a, b, "ROLE", text[a:b], 0.45, "role-beside-name"))
            for k in (self._post_before(toks, first.get(p.start), cased),
                      self._post_after(toks, last.get(p.end), cased),
                      self._post_listed(toks, last.get(p.end), cased, first)):
                if k is None or k in seen:
                    continue
                seen.add(k)
                t = toks[k]
                out.append(Span(t.start, t.end, "ROLE", t.text, 0.48, "role-beside-name"))
        return out

    def _post_before(self, toks: list[Tok], a: int | None, cased: bool) -> int | None:
        """'<det> <post> [there | on nights] [,] [is | was] [Dr] <name>': the post's index."""
        if a is None:
            return None
        j = a - 1
        if j >= 0 and toks[j].lower in _NAME_TITLES:
            j -= 1
        linked = j >= 0 and toks[j].lower in ("is", "was", "called", "named")
        if linked:
            j -= 1
        if j >= 0 and toks[j].text == ",":
            linked = True
            j -= 1
        if j >= 0 and toks[j].lower in ("there", "here"):
            j -= 1
        elif j >= 1 and toks[j].lower in _SHIFTS and toks[j - 1].lower == "on":
            j -= 2
        if j < 1:
            return None
        if self._post_word(toks[j], toks[j - 1].lower, cased):
            return j
        return self._post_then_phrase(toks, j, cased) if linked else None

    def _post_then_phrase(self, toks: list[Tok], j: int, cased: bool) -> int | None:
        """'the GP in Lochinver, Dr Fraser', 'the gp up the street, dr moriarty', 'the gp who
        does the round is dr okoro', 'the gp we work with is dr lewis': 'the' and a post, then
        where its holder works or a clause about them (a few words ending at ``j``), then the
        name: the post is that person's, even one said of a surgery elsewhere ('the GP')."""
        for n in range(j, max(1, j - 6), -1):
            t = toks[n]
            if not t.is_word or "\n" in t.text:
                return None
            opens = t.lower in _PHRASE_OPENERS or t.lower == "of" and n >= 1 \
                and toks[n - 1].lower in _HELD_BESIDE  # "the owner of Ardmore House, Mrs X"
            if opens and n >= 2 and toks[n - 2].lower in ("the", "our") \
                    and toks[n - 1].lower == _singular(toks[n - 1].lower) \
                    and self._post_word(toks[n - 1], toks[n - 2].lower, cased):
                return n - 1
        return None

    def _count_naming(self, toks: list[Tok], a: int | None) -> tuple[int, int] | None:
        """'two ltc nurses me and asif', 'three nurses, ama, bola and chidi': a count of one
        post followed by the names of those who hold it says who holds which post, even a
        post word said of anyone elsewhere ('nurses'): the first and last index of the post
        (the count left out), or None."""
        if a is None:
            return None
        j = a - 1
        if j >= 0 and toks[j].lower in _NAME_TITLES:
            j -= 1  # "two gps, dr rahman and dr cole"
        if j >= 0 and toks[j].text in (",", ":", "-"):
            j -= 1
        if j >= 1 and toks[j].lower == "and" and toks[j - 1].lower == "me":
            j -= 2  # "me and asif": the speaker is one of them
            if j >= 0 and toks[j].text == ",":
                j -= 1
        if j < 1 or not toks[j].is_alpha:
            return None
        lw = toks[j].lower
        single = _singular(lw)
        if single == lw or not (single in self.heads or single in self.occupations
                                or lw in self.occupations) or single in _NEVER_BESIDE:
            return None  # not a plural post ("my manager, sam"), or who-not-which
        for n in range(j - 1, max(-1, j - 4), -1):
            w = toks[n].lower
            if w in _COUNTS or w.isdigit() and 2 <= int(w) <= 99:
                return (n + 1, j) if n == 0 or toks[n - 1].lower not in _NOT_COUNTING \
                    else None
            if not toks[n].is_word or w in STOP:
                return None
        return None

    def _titled_after(self, text: str, toks: list[Tok], b: int | None,
                      cased: bool) -> tuple[int, int] | None:
        """'Donal Kavanagh, GP principal, senior partner', 'myself, Lorna Pitcairn,
        administrator.', 'Chidi Eze, lecturer in mental health nursing.': a title right after
        a name and a comma, with no determiner, that ends there (a pause or where she works)
        is in apposition, the post of that one person: its first index and the index after
        it. Not a plural ('Sam, nurses and doctors'), nor a title that runs on into more
        words ('Sam, nurse training is...')."""
        if b is None or b + 2 >= len(toks) or toks[b + 1].text != ",":
            return None
        k = b + 2
        end, head = self._occupation(toks, k)
        if end is None or _singular(head) != head or toks[end - 1].lower != head:
            return None
        end = self._specialty(Chunk(text, toks, cased=cased), end)
        if end < len(toks) and toks[end].is_word and toks[end].lower not in _APPOSITION_ENDS:
            return None
        return k, end

    def _post_at(self, toks: list[Tok], a: int | None, cased: bool) -> int | None:
        """'the gp at oakfield surgery', 'The GP from Charlestown Medical', 'our pharmacist at
        Boots': one post word with 'the'/'our' and the named site where its holder works is
        that one holder's post (a low score). Not a plural ('the GPs at'), nor a post ended
        by a noun ('the gp practice at')."""
        if a is None:
            return None
        j = a - 1
        if j >= 0 and toks[j].lower == "the":
            j -= 1
        if j < 2 or toks[j].lower not in ("at", "from"):
            return None
        k = j - 1
        det = toks[k - 1].lower
        if det not in ("the", "our", "their") or toks[k].lower != _singular(toks[k].lower):
            return None
        return k if self._post_word(toks[k], det, cased) else None

    def _post_after(self, toks: list[Tok], b: int | None, cased: bool) -> int | None:
        """'<name>, the <post>.' / 'Dr Lamont the consultant said' / '<name>, a <post>,'
        (an apposition: the comma says the post is hers): the post's index."""
        if b is None:
            return None
        j = b + 1
        comma = j < len(toks) and toks[j].text == ","
        if comma:
            j += 1
        dets = ("the", "our", "their", "a", "an") if comma else ("the", "our", "their")
        if j + 1 >= len(toks) or toks[j].lower not in dets:
            return None
        k = j + 1
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if nxt is not None and nxt.is_word and toks[j].lower in ("a", "an"):
            return None  # "I asked Sam, a nurse would know": only "<name>, a <post>[,.]"
        if nxt is not None and nxt.is_word and nxt.lower not in STOP \
                and nxt.lower not in _SAID_VERBS:
            return None  # "Sam, the nurse practitioner": the title's grammar decides
        return k if self._post_word(toks[k], toks[j].lower, cased) else None

    def _post_listed(self, toks: list[Tok], b: int | None, cased: bool,
                     named: dict[int, int]) -> int | None:
        """'lorna and the gp', 'catriona and the hca major', 'Arnel from Cebu, and the GP':
        one post word listed with the people found, ending its mention (or followed by its
        holder's name) is one holder's post: the post's index. Not a plural ('and the
        carers are'), nor the first word of a longer phrase ('and the gp surgery')."""
        if b is None:
            return None
        j = b + 1
        if j < len(toks) and toks[j].text == ",":
            j += 1
        if j + 2 >= len(toks) or toks[j].lower not in ("and", "or") \
                or toks[j + 1].lower != "the":
            return None  # ("... and our sister home")
        k = j + 2
        t = toks[k]
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.lower != _singular(t.lower) or nxt is not None and nxt.is_word \
                and nxt.lower not in STOP and nxt.lower not in _SAID_VERBS \
                and nxt.start not in named:
            return None
        return k if self._post_word(t, toks[j + 1].lower, cased) else None

    def _post_word(self, t: Tok, det: str, cased: bool) -> bool:
        """One word that names a post, after a determiner said of one holder."""
        lw = t.lower
        if det not in _DETS or not t.is_word or lw in STOP or lw in _NEVER_BESIDE \
                or lw in self.lex.place_words or lw in self.lex.never and lw not in self.heads:
            return False  # ("OT" is on the never list as a word, but a listed post here)
        if det in POSSESSIVE_DETS and (lw in self.relationship or lw in _FAMILY):
            return False  # "my manager Sam", "my sister Jo"
        if cased and _POST_ACRONYM.match(t.text):  # a known acronym only if a post ("GP")
            return lw in _SAID_POSTS or lw not in self.lex.acronyms \
                and t.text.upper() not in self.lex.initialisms
        return self.is_head(t) or lw in self.occupations or lw in _SAID_POSTS \
            or lw in _HELD_BESIDE

    def _sure_given_name(self, t: Tok) -> bool:
        """'Hamish, the electrician': a given name no dictionary has, even at a sentence start."""
        return t.lower in self.lex.first_names and not self.lex.is_word(t.lower)

    def _named_next(self, chunk: Chunk, k: int) -> bool:
        """Is the post at k-1 followed by whose it is: 'the consultant is Dr Nguyen', 'the
        superintendent kwame asante', 'our matron Bola'?"""
        toks = chunk.toks
        if k < len(toks) and toks[k].lower in ("is", "was") and k + 1 < len(toks):
            k += 1  # "the chair is Jerome", "the consultant was doctor nguyen"
        elif k < len(toks) and chunk.text[toks[k - 1].end:toks[k].start] != " ":
            return False
        if k + 1 < len(toks) and toks[k].lower in _NAME_TITLES and (
                toks[k].is_cap or not chunk.cased):
            k += 1
        if k >= len(toks):
            return False
        t = toks[k]
        return self._name_word(t, chunk.cased) and not t.sent_start and (
            not chunk.cased or t.lower in self.lex.first_names or t.lower in self.lex.surnames
            or toks[k - 1].lower in _NAME_TITLES)

    def _said_by(self, chunk: Chunk) -> list[Span]:
        """'the sister said', 'ask the ward clerk', 'Matron rang': a bare post said of the one
        person who holds it here; a low score, as it may be said of anyone in the trade."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            lw = t.lower
            if not t.is_word or not (lw in self.posts_alone or lw in _SAID_POSTS or self.is_head(
                    t) and lw not in _GENERIC_ALONE and lw not in self.relationship
                    or _GRADE.match(t.text) and any(c.isdigit() for c in lw)
                    or lw in self.occupations and not self.lex.is_word(lw)
                    and i and toks[i - 1].lower in ("the", "our")):  # not "the counter"
                continue  # (a grade too: "the F1 was useless")
            prev = toks[i - 1].lower if i else ""
            nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
            if prev in ("the", "our", "their"):
                before = toks[i - 2].lower if i >= 2 else ""
                if nxt in _SAID_VERBS or before in _ASK_VERBS and nxt in (".", ",", "?", "and",
                                                                          "to", "if", "about"):
                    out.append(Span(t.start, t.end, "ROLE", t.text, 0.4, "role-said"))
                elif self._subject(toks, i + 1):
                    out.append(Span(t.start, t.end, "ROLE", t.text, 0.35, "role-said"))
                elif self._one_holder(chunk, i):
                    out.append(Span(t.start, t.end, "ROLE", t.text, 0.3, "role-said"))
            elif prev in ("a", "an") and self._short_form(t) and i >= 2 \
                    and toks[i - 2].lower not in ("like", "than") and self._one_holder(chunk, i):
                out.append(Span(t.start, t.end, "ROLE", t.text, 0.35, "role-said"))
            elif (t.sent_start or not chunk.cased and prev in _CLAUSE_OPENERS) and (
                    not chunk.cased or t.is_cap) and nxt in _SAID_VERBS:
                out.append(Span(t.start, t.end, "ROLE", t.text, 0.4, "role-said"))
        return out

    def _one_holder(self, chunk: Chunk, i: int) -> bool:
        """'I wrote to the governor.', 'the anaesthetist in theatres', 'and the cpn then':
        'the'/'our' and a one-word post with no noun after it names the one person who holds
        it here (four times in five in our annotated sets), unless the word is said of a
        place or a kind as often ('the GP', 'the specialist')."""
        toks = chunk.toks
        t = toks[i]
        lw = t.lower
        short = self._short_form(t)
        if lw in _GENERIC_ALONE or lw in _NOT_ONE_HOLDER or lw in _NEVER_BESIDE \
                or not t.is_alpha or len(lw) < 2 or (chunk.cased and t.text.isupper()
                                                     and lw in self.lex.acronyms and not short):
            return False
        if i + 1 >= len(toks):
            return True
        nxt = toks[i + 1]
        if not nxt.is_word or "\n" in chunk.text[t.end:nxt.start]:
            return nxt.text not in ("'s", "’s")
        nl = nxt.lower  # a clause or a list goes on; not "is responsible", "on a course"
        return nl in _AFTER_ONE_HOLDER or nl in _PAST_CLAUSE or nl in _SAID_VERBS or (
            nxt.pos == "VERB" and len(nl) > 4 and nl.endswith("ed")) or short and (
            nl in _PHRASE_PREPS or nl in ("by", "was", "is", "who", "two", "three"))

    def _short_form(self, t: Tok) -> bool:
        """'HCA', 'OT', 'ODP', 'cpn': a post's initialism, said of a person and of nothing
        else (no trade is called by it), so with 'a'/'the' and its mention ended it is one
        holder's post ('the OT from the council', 'an hca on nights'); not 'the GP', said of
        a surgery as often, nor a word ('rep')."""
        lw = t.lower
        return lw in self.heads and 2 <= len(lw) <= 4 and t.is_alpha \
            and lw not in _NOT_ONE_HOLDER \
            and (lw in self.lex.acronyms or not self.lex.is_word(lw)) \
            and (t.text.isupper() or t.text.islower())

    @staticmethod
    def _subject(toks: list[Tok], k: int) -> bool:
        """Does a past-tense clause about one person follow ('the anaesthetist was great',
        'the hca on nights was rubbish', 'the tutor on my course at the college was fair',
        'the optometrist from the mobile team who visited')? Not 'the consultant is
        responsible'."""
        if k + 1 < len(toks) and toks[k].lower == "on" and toks[k + 1].lower in _SHIFTS:
            k += 2
        elif k < len(toks) and toks[k].lower in _PHRASE_PREPS:
            j = k + 1  # a short phrase saying where the post is, then the clause
            while j < len(toks) and j <= k + 7 and toks[j].is_word \
                    and toks[j].lower not in _PAST_CLAUSE and toks[j].lower != "who" \
                    and toks[j].lower not in _PHRASE_BREAK:
                j += 1
            k = j
        if k + 1 < len(toks) and toks[k].lower == "who":
            nxt = toks[k + 1].lower
            return nxt in _PAST_CLAUSE or nxt in _SAID_VERBS or (
                len(nxt) > 4 and nxt.endswith("ed"))
        return k < len(toks) and toks[k].lower in _PAST_CLAUSE

    def _name_word(self, t: Tok, cased: bool) -> bool:
        """A word the name lists know and the dictionary does not (or a capitalised one)."""
        lw = t.lower
        if not t.is_word or lw in STOP or (cased and not t.is_cap) or lw in self.lex.never \
                or lw in self.lex.place_words:
            return False
        known = lw in self.lex.first_names or lw in self.lex.surnames
        if cased:  # "our postdoc, Anwen": a capital on a word no dictionary has
            return t.is_alpha and (known or not self.lex.is_word(lw))
        return known and not self.lex.is_word(lw)

    # -- posts said after a cue ------------------------------------------------------------
    def _cued(self, chunk: Chunk) -> list[Span]:
        """'I was a porter', 'as a registrar', 'she's our matron', 'I'm an OT': the title an
        occupation list knows, right after words that say a post follows."""
        out: list[Span] = []
        toks = chunk.toks
        for i in range(len(toks)):
            k = self._after_cue(toks, i)
            if k is None:
                continue
            while k < len(toks) and (toks[k].lower in FILLERS or toks[k].lower in _NEW_ADJ):
                k += 1  # "there's a new ACP"
            start = k
            band = self._band_ahead(toks, k)
            if band:
                k = band
            end, head = self._occupation(toks, k, plural=toks[i].lower == "of")
            if end is None:
                acr = self._acronym_post(toks, i, k, chunk)
                if acr:
                    out.append(acr)
                continue  # "I was a band five": a pay band, not a post
            if head in _GENERIC_ALONE and not band and end == k + 1 and not (
                    head in _FIELD_POSTS and self._specialty(chunk, end) > end
                    and self._lower_field(chunk, end)):
                continue
            if self._names_a_place(toks, end):
                continue  # "the specialist dementia care unit": a unit, no post
            if start and toks[start - 1].lower in _OWNERS - {"the"} and \
                    " ".join(t.lower for t in toks[k:end]) in self.relationship:
                continue  # "it was my line manager": who, not which post
            e_tok = self._on_unit(chunk, self._specialty(chunk, end), head)
            s, e = toks[start].start, toks[e_tok - 1].end
            score = 0.6 if toks[i].lower not in ("my", "his", "her") else 0.5
            out.append(Span(s, e, "ROLE", chunk.text[s:e], score, "role-cue"))
            out.extend(self._listed_posts(chunk, e_tok))
        return out

    def _names_a_place(self, toks: list[Tok], end: int) -> bool:
        """Do the words after a title go on to a kind of place ('specialist | dementia
        care unit', 'nurse | led clinic'), so that the title was only their modifier?"""
        j = end
        while j < len(toks) and j < end + 3 and toks[j].is_word and toks[j].lower not in STOP:
            if toks[j].lower in self.place_heads:
                return not (j + 1 < len(toks) and self.is_head(toks[j + 1]))
            j += 1
        return False

    def _listed_posts(self, chunk: Chunk, k: int) -> list[Span]:
        """'I was a porter, HCA, and then a nurse associate': the posts listed after a cued
        one are posts of the same person, each without its own cue."""
        out: list[Span] = []
        toks = chunk.toks
        for _ in range(4):
            j = k
            while j < len(toks) and toks[j].lower in _LIST_GLUE:
                j += 1
            if j == k or toks[k].lower not in (",", "and", "or", "/", "then"):
                break
            if j < len(toks) and toks[j].lower in ("a", "an"):
                j += 1
            end, head = self._occupation(toks, j)
            if end is None or head in _GENERIC_ALONE and end == j + 1:
                break
            end = self._specialty(chunk, end)
            s, e = toks[j].start, toks[end - 1].end
            out.append(Span(s, e, "ROLE", chunk.text[s:e], 0.5, "role-cue"))
            k = end
        return out

    def _lower_field(self, chunk: Chunk, end: int) -> bool:
        """The word after 'in'/'for' is a field, not a town: lower case where text is cased."""
        toks = chunk.toks
        return end + 1 < len(toks) and (not chunk.cased or not toks[end + 1].is_cap)

    def _acronym_post(self, toks: list[Tok], i: int, k: int, chunk: Chunk) -> Span | None:
        """'he's a CNM2', 'I'm the PPIM': an acronym nobody lists, said of a person, is most
        likely their post; a low score, as it may be anything else."""
        if k >= len(toks) or not chunk.cased or not _POST_ACRONYM.match(toks[k].text):
            return None
        if toks[k].lower in self.lex.acronyms or toks[k].text.upper() in self.lex.initialisms:
            return None
        said_of_person = any(
            tuple(toks[n].lower for n in range(i + 1 - len(c), i + 1)) == c
            for c in _PERSON_CUES if i + 1 >= len(c))
        if not said_of_person:
            return None
        t = toks[k]
        return Span(t.start, t.end, "ROLE", t.text, 0.4, "role-acronym")

    def _after_cue(self, toks: list[Tok], i: int) -> int | None:
        """If a cue ends at toks[i] followed by a determiner, the index after it."""
        for cue in _CUE_ENDS.get(toks[i].lower, ()):
            n = len(cue)
            if i + 1 < n or tuple(toks[k].lower for k in range(i + 1 - n, i + 1)) != cue:
                continue
            if cue == ("as",) and i and toks[i - 1].lower in _NOT_BEFORE_AS:
                continue  # "works well as a coordinator", "such as a porter"
            j = i + 1
            while j < len(toks) and toks[j].lower in _CUE_ADVERBS and j < i + 4:
                j += 1
            if j < len(toks) and toks[j].lower in _DETS:
                return j + 1
            if cue[-1] == "as" and j < len(toks):
                return j  # "worked as porter", "started as band five"
            if cue in (("i'm",), ("i", "was"), ("she's",), ("he's",), ("shes",), ("hes",)) \
                    and j < len(toks) \
                    and _GRADE.match(toks[j].text):
                return j  # "I'm CT2"
        return None

    def _band_ahead(self, toks: list[Tok], k: int) -> int:
        """Index after 'band six' / 'band 8a' / 'band eight a' starting at k, else 0."""
        if k + 1 >= len(toks) or toks[k].lower != "band":
            return 0
        j = k + 1
        while j < len(toks) and j <= k + 3 and (toks[j].lower in NUMBER_WORDS
                                                 or toks[j].lower[:1].isdigit()
                                                 or (toks[j].lower in ("a", "b", "c", "d")
                                                     and j > k + 1)):
            j += 1
        return j if j > k + 1 else 0

    def _occupation(self, toks: list[Tok], k: int,
                    plural: bool = False) -> tuple[int | None, str]:
        """Longest occupation title (or role head) starting at k, with modifiers before it;
        with ``plural``, its last word may be plural ("one of the community midwives")."""
        best: int | None = None
        head = ""
        j = k
        words: list[str] = []
        while j < len(toks) and j < k + 5 and toks[j].is_word:
            words.append(toks[j].lower)
            j += 1
            if plural and _singular(words[-1]) != words[-1] and (
                    len(words[-1]) > 3 or _singular(words[-1]) in self.heads):  # "two gps"
                words[-1] = _singular(words[-1])
            phrase = " ".join(words)
            if phrase in self.occupations or (words[-1] in self.heads
                                              or self.is_head(toks[j - 1])) and all(
                    w in self.mods or w in self.occupations or w in self.heads
                    for w in words[:-1]) or (len(words) == 1 and _GRADE.match(toks[j - 1].text)):
                best, head = j, words[-1]
            if words[-1] in STOP and len(words) > 1:
                break
        if best is not None and best < len(toks) and self.is_head(toks[best]) \
                and toks[best].lower not in STOP:
            best, head = best + 1, toks[best].lower  # "porter supervisor"
        return best, head

    def _specialty(self, chunk: Chunk, end: int) -> int:
        """'ST5 in old age psychiatry', 'lecturer in medical education': 'in' and the field."""
        toks = chunk.toks
        if end + 1 >= len(toks) or toks[end].lower not in ("in", "for") or \
                toks[end - 1].lower == "nurse" and toks[end].lower == "in":
            return end
        j = end + 1
        taken = 0
        while j < len(toks) and taken < 4:
            w = toks[j]
            if w.lower in ("and", "&") and taken and self._field_goes_on(chunk, j):
                j += 1  # "lecturer in remote and rural nursing": two fields, one post
                continue
            if not w.is_word or w.lower in STOP or w.lower in _SPECIALTY_STOP \
                    or w.lower in NUMBER_WORDS:
                break
            if w.pos not in _CONTENT_POS and w.pos:
                break
            if w.lower in self.lex.place_words and (
                    w.is_cap if chunk.cased else not self.lex.is_word(w.lower)):
                break  # "a CPN in Hull": where, not which field
            if toks[end].lower == "for" and (chunk.cased and w.is_cap
                                              or w.lower in _EMPLOYER_TAILS):
                return end  # "a carer for Mrs Jones", "a carer for kestrel care": whom for
            taken += 1
            j += 1
        return j if taken else end

    @staticmethod
    def _field_goes_on(chunk: Chunk, j: int) -> bool:
        """After 'and' inside a field: another field word of the same case, no clause ('in
        nursing and midwifery', not 'in psychiatry and loved it', 'in Leeds and I')."""
        toks = chunk.toks
        if j + 1 >= len(toks):
            return False
        nxt, before = toks[j + 1], toks[j - 1]
        return nxt.is_word and nxt.lower not in STOP and nxt.lower not in _SPECIALTY_STOP \
            and (nxt.pos in _CONTENT_POS and nxt.pos != "PROPN" or not nxt.pos) \
            and not (chunk.cased and nxt.is_cap != before.is_cap)

    def _grades(self, chunk: Chunk) -> list[Span]:
        """Doctors' training grades anywhere: 'an FY2', 'CT2', 'IMT one', 'ST5 in psychiatry'."""
        out: list[Span] = []
        toks = chunk.toks
        for i, t in enumerate(toks):
            grade = bool(_GRADE.match(t.text)) and (t.text[:1].isupper() or not chunk.cased)
            e_tok = i + 1
            if t.lower in _GRADE_BASE and i + 1 < len(toks) \
                    and toks[i + 1].lower in ("one", "two", "three", "four", "five", "six",
                                              "seven", "eight") \
                    and (t.text.isupper() or not chunk.cased) \
                    and (t.lower != "f" or toks[i + 1].lower in ("one", "two")) \
                    and (t.lower not in ("st", "ct", "f") or i and toks[i - 1].lower in _DETS) \
                    and not (i + 2 < len(toks) and toks[i + 2].lower in ("day", "days", "of")):
                grade, e_tok = True, i + 2  # "IMT one", "an ST five" (not "a CNM one day")
            if not grade or (t.lower in ("f", "st", "ct") and not any(c.isdigit() for c in
                                                                     t.text)
                             and e_tok == i + 1):
                continue
            prev = toks[i - 1].lower if i else ""
            if t.lower[:1] == "f" and not t.lower.startswith("fy") and prev not in (
                    "a", "an", "i'm", "im", "as", "was", "our", "my", "an"):
                continue  # "the F1 track": F1/F2 only said as a grade after "an", "I'm"
            e_tok = self._specialty(chunk, e_tok)
            s, e = t.start, toks[e_tok - 1].end
            out.append(Span(s, e, "ROLE", chunk.text[s:e], 0.7, "training-grade"))
        return out

    def _named_post(self, toks: list[Tok], i: int) -> bool:
        """'appointed as coordinator', 'starting as sister': a post, said without "a"."""
        return i >= 2 and toks[i - 1].lower == "as" and toks[i - 2].lower in self.post_cues

    def _band(self, toks: list[Tok], j: int) -> int:
        """If toks[j] ends a 'band 7' / 'band eight a' expression, its first index, else -1."""
        k = j
        while k >= 0 and (toks[k].lower in NUMBER_WORDS or toks[k].lower[:1].isdigit()
                          or (toks[k].lower in ("a", "b", "c", "d") and k > 0
                              and toks[k - 1].lower in _BAND_NUMBERS)) \
                and k > j - 3:
            k -= 1
        if k < j and k >= 0 and toks[k].lower == "band":
            return k
        return -1

    def _phrase(self, chunk: Chunk, i: int) -> Span | None:
        toks, cased = chunk.toks, chunk.cased
        head = toks[i]
        if i + 1 < len(toks) and self.is_head(toks[i + 1]) and toks[i + 1].lower not in (
                "lead", "head", "director", "chair", "executive"):
            return None  # a modifier of the next head ("consultant geriatrician")
        left: list[Tok] = []
        has_band = has_mod = False
        j = i - 1
        while j >= 0 and len(left) < 6:
            w = toks[j]
            if "\n" in chunk.text[w.end:(left[0] if left else head).start]:
                break  # a post never runs across a line: "... my job\nhca: ..."
            band_start = self._band(toks, j)
            if band_start >= 0:
                left[:0] = toks[band_start:j + 1]
                has_band = True
                j = band_start - 1
                continue
            if _BAND_DIGIT.match(w.lower) and j > 0 and toks[j - 1].lower in ("a", "an"):
                left.insert(0, w)  # "an 8a clinical lead": the band without the word "band"
                has_band = True
                j -= 1
                continue
            if w.text in _POSSESSIVES and j > 0 and self._whose_post(toks[j - 1], w) \
                    and toks[j - 1].end == w.start:
                left[:0] = toks[j - 1:j + 1]  # "a children's nurse", "the veterans' lead"
                has_mod = True
                j -= 2
                continue
            if not w.is_word:
                if w.text == "-" and left:
                    j -= 1
                    continue
                break
            lw = w.lower
            if lw in _NOT_MODIFIERS or self._plural_post(w):
                break  # "sorry doctor adebayo", "the nurses sister kaur": no part of the post
            if lw in ("and", "&") and left and j > 0 and self._field_word(toks[j - 1], cased,
                                                                         head):
                left.insert(0, w)  # "speech and language therapist": two fields, one post
                j -= 1
                continue
            if lw in _FIELD_ABBR and j > 0 and toks[j - 1].lower in _DETS:
                left.insert(0, w)  # "the oh physician": occupational health, not a filler
                has_mod = True
                j -= 1
                continue
            if lw == "home" and j > 1 and toks[j - 1].lower == "at" \
                    and self._roleish(toks[j - 2], cased, head):
                left[:0] = toks[j - 2:j + 1]  # "a hospice at home nurse"
                has_mod = True
                j -= 3
                continue
            if lw == "call" and j > 0 and toks[j - 1].lower == "on":
                left[:0] = toks[j - 1:j + 1]  # "the on call consultant"
                has_mod = True
                j -= 2
                continue
            if lw in FILLERS and left and j > 0 and self._roleish(toks[j - 1], cased, head):
                left.insert(0, w)
                j -= 1
                continue
            if lw in self.mods:
                has_mod = True
            elif not self._roleish(w, cased, head):
                break
            left.insert(0, w)
            j -= 1
        while left and (left[0].lower in FILLERS or left[0].lower in ("and", "&")):
            left.pop(0)
        right_end = self._complement(chunk, i, bool(left) or head.lower == "consultant",
                                     head.lower in (
            "head", "director", "lead", "chair", "deputy", "officer", "matron", "co-chair",
            "vice-chair", "president", "secretary", "treasurer"))
        if not right_end:
            on_unit = self._on_unit(chunk, i + 1, head.lower)
            if on_unit > i + 1:
                right_end = toks[on_unit - 1].end  # "sister on the critical care unit"
        band_end = self._band_after(toks, i, right_end)
        if band_end:
            right_end, has_band = band_end, True
        first = left[0] if left else head
        last_end = right_end if right_end else head.end
        words = [x.lower for x in left if x.lower not in FILLERS] + [head.lower]
        phrase = " ".join(words)
        prev = self._det_before(toks, first.i)
        plural = head.lower.endswith("s") and head.lower[:-1] in self.heads
        if plural and not (cased and head.is_cap and (left or right_end)):
            return None
        if not left and not right_end:
            nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
            if nxt in self.followers or nxt in self.courses or nxt in _POST_ATTRIBUTES:
                return None  # "the matron role", "the registrar rota": the post, no holder
            if phrase in self.posts_alone and prev in _OWNERS:
                score = 0.5
            elif self._named_post(toks, i):
                score = 0.55
            elif cased and head.is_cap and not head.sent_start and phrase not in (
                    "doctor", "nurse", "sister", "head", "lead") and not (
                    phrase in _NAME_TITLES and i + 1 < len(toks) and toks[i + 1].is_cap
                    and chunk.text[head.end:toks[i + 1].start] == " "):
                score = 0.45  # but "Professor Ainsworth": a title, the name's
            else:
                return None
        else:
            if phrase in self.relationship and not right_end:
                return None
            if not left and right_end and head.lower in ("lead", "head", "chair") and (
                    not (cased and head.is_cap) and prev not in _OWNERS | _SAID_OF
                    or first.i >= 2 and toks[first.i - 2].lower == "at"):
                return None  # "at the head of the queue"; but "he's head of nursing"
            if has_band:
                score = 0.9
            elif has_mod or right_end or (cased and head.is_cap):
                score = 0.8
            else:
                score = 0.6
        if prev in ("a", "an") and first.i >= 2 and toks[first.i - 2].lower in (
                "be", "become", "becoming") and self._wished(toks, first.i - 2):
            return None  # "I'd like to be a service manager": aspiration, not a post
        after = chunk.tok_at(last_end + 1)
        if after is not None and toks[after].lower in self.courses:
            return None  # "the nursing associate course": a course, nobody's post
        s = first.start
        return Span(s, last_end, "ROLE", chunk.text[s:last_end], score, "role-grammar")

    def _plural_post(self, w: Tok) -> bool:
        """'nurses', 'doctors': a plural post before a head is a list of people ("the nurses
        sister kaur"), never a modifier of the head (that takes the singular or "'")."""
        lw = w.lower
        return w.is_alpha and len(lw) > 3 and lw.endswith("s") and not lw.endswith("ss") \
            and _singular(lw) != lw and _singular(lw) in self.heads

    @staticmethod
    def _whose_post(owner: Tok, mark: Tok) -> bool:
        """'children's', 'women's', 'veterans'': a plural owner before a post says whom the
        post serves (a field of its own), not whose it is ('Sam's nurse' is not one)."""
        lw = owner.lower
        if lw in _IRREGULAR_PLURALS:
            return mark.text in ("'s", "’s")
        return mark.text in ("'", "’") and owner.is_alpha and len(lw) > 3 \
            and _singular(lw) != lw

    @staticmethod
    def _det_before(toks: list[Tok], i: int) -> str:
        """The word before a title, past plain adjectives: 'the new head of therapies'."""
        k = i - 1
        while k > 0 and toks[k].lower in _PLAIN_ADJ and k > i - 3:
            k -= 1
        return toks[k].lower if k >= 0 else ""

    def _field_word(self, w: Tok, cased: bool, head: Tok) -> bool:
        """A field before 'and' inside a title ('speech' in 'speech and language therapist'):
        a common noun or adjective, not a person's name nor a post of its own."""
        lw = w.lower
        if not w.is_word or lw in STOP or lw in self.lex.first_names or self.is_head(w) \
                or _singular(lw) in self.heads:
            return False
        if cased and w.is_cap != head.is_cap:
            return False
        return lw in self.mods or w.pos in ("NOUN", "ADJ") or (
            w.pos == "VERB" and lw.endswith("ing"))  # "moving and handling adviser"

    @staticmethod
    def _wished(toks: list[Tok], be: int) -> bool:
        """Do wishing words come just before 'be' ("I'd like to be", "want to become")?
        "She moved on to be a tissue viability nurse" is a post held."""
        return any(toks[n].lower in _WISH for n in range(max(0, be - 4), be))

    def _roleish(self, w: Tok, cased: bool, head: Tok) -> bool:
        lw = w.lower
        if lw in STOP or lw in _PLAIN_ADJ or lw in NUMBER_WORDS or lw[:1].isdigit():
            return False
        if not cased and (lw in self.lex.first_names or lw in self.lex.surnames) \
                and not self.lex.is_word(lw) and lw not in self.mods:
            return False  # "doctor ferreira consultant": a name ends the title
        if cased and head.is_cap and not head.text.isupper():
            return w.is_cap
        if cased and w.is_cap and not head.is_cap:
            if w.sent_start and w.text[1:].islower() and lw not in self.lex.first_names:
                return lw in self.mods or w.pos in ("NOUN", "ADJ") or (
                    w.pos == "VERB" and lw.endswith("ing"))  # "Reporting radiographer."
            return _ACRONYM.match(w.text) is not None  # "AHP lead", "EDI lead", "IT lead"
        if w.pos == "VERB" and lw.endswith("ing") and not (cased and w.is_cap):
            return True  # "accuracy checking technician", "visiting nurse"
        return w.pos in _CONTENT_POS and not (w.pos == "PROPN" and cased and w.is_cap)

    def _band_after(self, toks: list[Tok], i: int, right_end: int) -> int:
        """'staff nurse band five': a band said after the title."""
        j = i + 1
        while j < len(toks) and toks[j].start < right_end:
            j += 1
        if j + 2 < len(toks) and toks[j].text == "," and toks[j + 1].lower == "band":
            j += 1  # "a district nurse, band six"
        if j + 1 < len(toks) and toks[j].lower == "band":
            k = j + 1
            while k < len(toks) and k <= j + 2 and (toks[k].lower in NUMBER_WORDS
                                                   or toks[k].lower[:1].isdigit()):
                k += 1
            if k > j + 1:
                return toks[k - 1].end
        return 0

    @staticmethod
    def _on_unit(chunk: Chunk, k: int, head: str) -> int:
        """'sister on the critical care unit': the unit a ward post belongs to, as the dev
        set's annotators include it; the index after it, or k."""
        toks = chunk.toks
        if head not in _WARD_POSTS or k + 3 >= len(toks) or toks[k].lower != "on" \
                or toks[k + 1].lower != "the":
            return k
        j = k + 2
        while j < len(toks) and j < k + 6 and toks[j].is_word and toks[j].lower not in STOP:
            if toks[j].lower in ("unit", "ward", "wards", "department"):
                return j + 1 if j > k + 2 else k
            j += 1
        return k

    def _complement(self, chunk: Chunk, i: int, has_left: bool, takes_of: bool) -> int:
        """End of 'of Nursing for Surgery' / 'for children's services' / 'in charge'."""
        toks = chunk.toks
        if i + 2 >= len(toks):
            return 0
        if toks[i + 1].lower == "in" and toks[i + 2].lower == "charge":
            return toks[i + 2].end
        if not (has_left or takes_of):
            return 0
        preps = ("of", "for", "in") if has_left else ("of", "for")
        end, j = 0, i + 1
        for _ in range(2):  # up to two: "Director of Nursing for Theatres"
            if j >= len(toks) or toks[j].lower not in preps:
                break
            got, j = self._one_complement(chunk, j + 1)
            if not got:
                break
            end = got
        return end

    def _one_complement(self, chunk: Chunk, j: int) -> tuple[int, int]:
        toks, cased = chunk.toks, chunk.cased
        end, taken = 0, 0
        caps = cased and j < len(toks) and toks[j].is_cap
        while j < len(toks) and taken < 4:
            w = toks[j]
            if w.lower in FILLERS or (w.lower == "for" and taken == 0) or (
                    w.lower == "the" and taken == 0 and toks[j - 1].lower != "in"):
                j += 1
                continue
            if w.lower == "'s" and taken:
                end = w.end
                j += 1
                continue
            if w.lower in ("and", "&") and taken and j + 1 < len(toks) and (
                    toks[j + 1].is_cap if caps else toks[j + 1].pos in _CONTENT_POS):
                j += 1
                continue
            if not w.is_word or w.lower in STOP or w.lower in NUMBER_WORDS:
                break
            if caps and not (w.is_cap or w.text.isupper()):
                break
            if not caps and (w.pos not in _CONTENT_POS or (cased and w.is_cap)
                             or taken >= 3):
                break
            end = w.end
            taken += 1
            j += 1
        return end, j
