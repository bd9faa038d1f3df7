"""ORGANISATION: NHS bodies from the ODS gazetteer, their spoken short forms and initialisms,
named wards, units, teams, practices, universities and staff networks."""

from __future__ import annotations

import re

from ..core.model import Span
from .config import DetectionConfig
from .dates import CALENDAR_WORDS
from .gazetteer import Gazetteer
from .lexicon import STOP, Lexicon
from .numbers import NUMBER_WORDS
from .places import accept_phrase
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
_PREPOSITIONS = {"onto", "into", "upon", "towards", "toward", "across", "around", "within",
                 "beyond", "near", "per", "off", "via", "like", "alongside", "inside", "outside"}
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
# Words that end a lower-case guess after a strong cue, or make it no name at all.
_NOT_A_NAME = {"home", "work", "nights", "night", "days", "day", "weekends", "free", "money",
               "years", "ages", "people", "patients", "nhs", "council", "government", "cash",
               "nothing", "everyone", "everybody", "someone", "somebody", "anyone", "nobody",
               "while", "long", "less", "more", "much", "many", "most", "few", "several",
               "hours", "weeks", "months", "minimum", "wage", "agency", "bank", "trust",
               "private", "locum", "myself", "ourselves", "themselves", "yourself", "miles",
               "kids", "children", "family", "fun", "pleasure", "peanuts",
               "pennies", "mates", "friends", "himself", "herself", "us", "them", "hire"}
# Platforms and products named as a means, not a place of work ("via WhatsApp").
_MEANS = {"whatsapp", "facebook", "google", "youtube", "instagram", "twitter", "linkedin",
          "tiktok", "zoom", "skype", "email", "e-mail", "text", "phone", "post", "internet",
          "excel", "word", "outlook", "teams"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# Royal titles that name a hospital with a given name after "the" ("the Princess Elizabeth").
_ROYAL_TITLES = {"princess", "prince", "queen", "king", "duchess", "duke", "countess"}
# Heads said in lower case after a town in cased text: "Stoke council", "Newark hospital".
_TOWN_HEADS = {"council", "hospital", "infirmary", "station", "hub", "surgery", "hospice",
               "college", "uni", "university", "barracks", "garrison", "prison"}
_CAPS = re.compile(r"^[A-Z]{3,6}$")
_ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)?$")
_UNIT_ACRONYMS = {"icu", "itu", "hdu", "ccu", "nicu", "picu", "scbu", "amu", "mau", "sau",
                  "cdu", "eau", "ed", "opd"}
# Words before a place of work: "at the SWAH", "with ABUHB", "joined NIAS".
_AT_WORDS = {"the", "at", "with", "from", "to", "joined", "for", "in", "left"}
_NATIONS = {"wales", "scotland", "england", "ireland"}
# "the western trust", "the south eastern trust", "north board": one region's body.
_REGION_HEADS = {"trust", "board"}
_COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
            "central", "mid", "north-east", "north-west", "south-east", "south-west"}
# "School of Nursing", "Faculty of Health": a part of a university named by its field.
_FACULTY_HEADS = {"school", "faculty", "department", "institute", "centre", "division",
                  "college"}
# Last words of care agencies, companies and charities said in lower case ("bluebird care").
_COMPANY_TAILS = {"care", "agency", "homes", "healthcare", "ltd", "limited", "recruitment",
                  "bank", "staffing", "nursing", "solutions", "group", "services", "trust",
                  "charity", "pharmacy", "chemist", "chemists", "pcn", "hscp", "partnership",
                  "practice"}
# often named after a person, bird, tree or place ("Penderi cluster": a Welsh GP cluster)
_NAMED_PLACES = {"ward", "wing", "unit", "suite", "block", "cluster"}
# Titles in the names of sites named after a person ("over to Dr Jenner's").
_SITE_TITLES = {"dr", "doctor", "sir", "lady", "dame"}
# Words that go on a body's name after it in lower case ("... hospital nhs foundation trust").
_BODY_TAILS = {"nhs", "foundation", "trust", "hospital", "hospitals", "infirmary", "health",
               "board", "teaching", "healthcare", "university", "uni", "partnership", "pcn",
               "hscp", "ccg", "icb", "hospice", "council", "college", "surgery"}
_NETWORK_HEADS = {"network", "forum", "assembly"}  # a staff network said after its initials
_WARD_CODE = re.compile(r"^\d{1,2}[A-Za-z]?$")
# Capitalised words said "on <word> <number>" that are no ward: grades, floors, pages, routes.
_NOT_WARD_NAMES = {"band", "level", "floor", "page", "step", "stage", "grade", "year", "day",
                   "week", "module", "section", "channel", "line", "platform", "route", "bus",
                   "table", "bay", "bed", "room", "chapter", "question", "part", "phase",
                   "tier", "key", "form", "series", "season", "episode", "list", "slide", "item",
                   "number", "no", "version", "block", "zone", "pod", "gate", "junction", "exit",
                   "the", "ward", "call", "shift", "rota", "nights", "days", "covid", "radio",
                   "bbc", "itv", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                   "oct", "nov", "dec", "f", "st", "ct", "fy", "ms", "mrs", "mr", "dr"}
_TIMES = {"pm", "am", "o'clock", "hours", "minutes", "mins", "days", "weeks", "years", "percent"}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "weekend", "night", "day"}
# Last words of companies, agencies and care homes ("Bluebird Care", "Rosebank Lodge").
_COMPANY_HEADS = {"care", "homecare", "healthcare", "recruitment", "staffing", "nursing",
                  "ltd", "limited", "plc", "llp", "cic", "homes", "housing", "solutions",
                  "agency", "lodge", "manor", "house", "court", "medical", "pharmacy",
                  "chemists", "carers", "support", "living", "dental", "dentistry",
                  "opticians", "direct"}
# Words before "Care" (and the like) that name a kind of care, not a company.
_CARE_GENERIC = {"social", "primary", "secondary", "tertiary", "intensive", "critical",
                 "palliative", "end", "urgent", "emergency", "community", "personal", "home",
                 "health", "adult", "adults", "child", "children", "residential", "respite",
                 "day", "acute", "continuing", "managed", "integrated", "specialist", "mental",
                 "elderly", "dementia", "patient", "person", "self", "foster", "shared",
                 "outpatient", "inpatient", "general", "private", "public", "national", "nhs",
                 "royal", "old", "new", "my", "our", "the", "domiciliary", "maternity",
                 "neonatal", "paediatric", "high", "low", "quality", "clinical", "nursing",
                 "medical", "dental", "eye", "spiritual", "pastoral", "sheltered", "supported",
                 "independent", "assisted", "extra", "white", "opera", "council", "parliament",
                 "commons", "lords", "care", "full", "free", "out", "big", "first", "next"}
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
# Nations' adjectives before "Ambulance" that name one service ("the Welsh Ambulance").
_NATION_ADJ = {"welsh", "scottish", "irish", "english", "british", "national"}
# Labels of a form's field that holds a place of work ("Where: ...", "Placement: ...").
_WORKPLACE_FIELD = re.compile(
    r"^[ \t]*(?:where|placement|workplace|employer|work\s?place|place\s+of\s+work|site|base)"
    r"[ \t]*:[ \t]*(?P<v>[^\n]+)$", re.IGNORECASE | re.MULTILINE)
# What a body named after its place is ("durham mind", "brick lane mosque", "Newark branch"):
# local branches of national charities, places of worship, clubs, local projects.
_PLACE_NAMED_HEADS = {"mind", "mosque", "masjid", "church", "gurdwara", "temple", "synagogue",
                      "chapel", "cathedral", "foodbank", "branch", "welfare", "foundation",
                      "project", "housing", "mencap", "carers", "samaritans"}
# Street words that make two words a street ("brick lane mosque").
_STREET_HEADS = {"lane", "road", "street", "avenue", "hill", "green", "square", "park", "row"}
# National charities said with their local branch's place after them ("age uk south lakeland").
_BRANCHED = (("age", "uk"), ("age", "concern"), ("citizens", "advice"), ("healthwatch",),
             ("home-start",), ("home", "start"), ("mencap",), ("samaritans",))
# Parts of a hospital said beside a ward that are no ward's name ("ward nine and recovery").
_HOSPITAL_AREAS = {"recovery", "resus", "majors", "minors", "triage", "outpatients",
                   "reception", "admin", "pharmacy", "radiology", "xray", "x-ray", "endoscopy",
                   "dialysis", "labour", "delivery", "community", "clinic", "clinics", "rehab",
                   "discharge", "discharges", "admissions", "theatre", "theatres", "paeds",
                   "maternity", "bank", "agency", "home", "lunch", "breaks", "handover",
                   "transfers", "beds", "bays", "corridors", "stores", "wards", "units"}
# Halls, wings and blocks named by a letter: prison halls, hospital blocks ("d hall", "C wing").
_LETTER_SITES = {"hall", "wing", "block", "division", "landing", "spur", "house"}
_SHORT_FORM_WORDS = {"uni", "royal", "st", "saint", "uk"}
_TRAILING_NATION = {"UK", "Scotland", "Wales", "England", "Ireland", "NI", "GB"}
# "Ward 23", "Ward 7B", "ward b", "Ward C21", "Ward A604": a ward's number or code.
_WARD_NUMBER = re.compile(r"^(?:\d{1,3}[a-z]?|[a-z]\d?|[A-Z]{1,2}\d{0,4}[A-Z]?)$", re.I)

# Wards and units named by a code, said where someone works: "on D6", "on s eleven", "on 3
# South", "h four and h five". Not: a/i (words), m (motorways), q (questions), f (foundation
# years), vitamins (B12, D3), phone networks (4G).
_UNIT_CODE = re.compile(r"^[A-Za-z]\d{1,3}[A-Za-z]?$")
_DIGIT_LETTER = re.compile(r"^\d{1,2}[A-FH-Za-fh-z]$")
_CODE_CUES = {"on", "onto", "to", "from", "at"}
_NOT_CODE_LETTERS = {"a", "i", "m", "q", "f"}
_NOT_CODES = {"b12", "b6", "d3", "a4", "a5", "e4", "covid19", "c19", "g7", "p45", "p60"}
_COUNTS = NUMBER_WORDS - {"oh", "o", "zero", "nought", "nil", "double", "triple", "treble"}
_COMPASS_WINGS = {"north", "south", "east", "west"}
# Letter pairs said for what is no organisation: A&E, R&D, Q&A, B&B, T&Cs, P&L.
_NOT_LETTER_PAIRS = {"ae", "rd", "qa", "bb", "tc", "pl", "sm", "bw"}
# Two letters after "the"/"at" that name no organisation: the GP, the IT, the PE, the TV.
_NOT_TWO_LETTERS = {"gp", "it", "pe", "tv", "pc", "ot", "pt", "hr", "iv", "ed", "ae", "ni", "uk",
                    "us", "eu", "dj", "mp", "ok", "ct", "mr", "er", "ms", "dr", "fy", "st",
                    "id", "cv", "pa", "md", "dn", "hv", "qa", "am", "pm", "ep", "bp", "mg", "ml",
                    "ib", "gb", "ad", "bc", "ps", "xl", "vr", "ai", "ie", "eg", "op", "nb", "xy"}
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
_CARE_FIRM_HEADS = {"care", "homecare", "healthcare"}
# Lower-case homes, units and sites "<name> house" ("mulberry house", "at forest bank").
_SITE_HEADS = {"house", "court", "view", "lodge", "manor", "hall", "park", "bank", "gardens",
               "mews"}
_SITE_NAME_CUES = {"at", "from", "to", "in", "into", "on", "called", "and", "or", "joined",
                   "left"}
_FIRM_CUES = _SITE_NAME_CUES | {"with", "for", "by", "via", "through", "provider", "providers",
                                "agency", "agencies", "company", "like"}
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
_TWO_LETTER_CUES = {"the", "at", "from", "to"}
# Words after which a listed name made of ordinary words is said as a name ("in forth valley").
# Not "in" ("we live in good hope that ..."), "with" or "for".
_NAME_SLOTS = {"the", "of", "and", "or", "at", "to", "from", "into", "by", "via"}
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


def _small(w: Tok) -> bool:
    """A function word or a contraction of one ("I've", "who's"): never a name's start."""
    return w.lower in STOP or re.split(r"['’]", w.lower)[0] in STOP


def _ward_letter(toks: list[Tok], k: int) -> bool:
    """A ward's letter said after its number: b-h always, 'a' only before a pause."""
    w = toks[k].lower
    if len(w) != 1 or w not in "abcdefgh":
        return False
    return w != "a" or k + 1 >= len(toks) or not toks[k + 1].is_word


# Words after "ward five a" that make the "a" an article ("on ward five a lot").
_A_NOUNS = {"lot", "bit", "few", "couple", "day", "week", "month", "year", "night", "while",
            "little", "long", "good", "number", "shift", "time", "fortnight"}


def _ward_a(toks: list[Tok], k: int) -> bool:
    """'ward five a since june': the letter a of a ward's code, not an article before a noun."""
    if toks[k].lower != "a" or k + 1 >= len(toks):
        return False
    nxt = toks[k + 1]
    return nxt.is_word and nxt.lower not in _A_NOUNS and nxt.lower not in NUMBER_WORDS \
        and nxt.pos not in ("NOUN", "ADJ", "PROPN", "NUM", "ADV", "X", "")


def _number_compound(word: str) -> bool:
    """'twenty-three', 'forty-one': a number written with a hyphen."""
    parts = word.split("-")
    return len(parts) == 2 and all(p in NUMBER_WORDS for p in parts)


class OrganisationRecognizer:
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
                    and not all(w in _COMPASS or w in STOP for w in words) \
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
        out.extend(self._appositions(chunk))
        out.extend(self._tree_and_site_names(chunk))
        out.extend(self._unit_codes(chunk))
        out.extend(self._lettered_sites(chunk))
        out.extend(self._ambulance_services(chunk))
        out.extend(self._place_named_bodies(chunk))
        out.extend(self._local_branches(chunk))
        out.extend(self._joined_areas(chunk))
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
        if not chunk.cased:
            out.extend(self._joined_lower(chunk, out))
            out.extend(self._joined_wards(chunk, out))
        return out

    def _joined_wards(self, chunk: Chunk, found: list[Span]) -> list[Span]:
        """Lower case: 'on ward ten and larch and damson': one-word names joined by 'and'/'or'
        to a ward found here are wards too (wards are named after trees, birds, people); not
        a kind of area ('and theatres'), a shift or a count."""
        out: list[Span] = []
        toks = chunk.toks
        for sp in found:
            if sp.type != "ORGANISATION" or sp.score < 0.5 or not sp.text.lower().startswith(
                    "ward") and sp.source not in ("unit-code", "lettered-site"):
                continue
            k = chunk.tok_at(sp.end)
            while k is not None and k + 1 < len(toks) and toks[k].lower in ("and", "or"):
                w = toks[k + 1]
                nxt = toks[k + 2] if k + 2 < len(toks) else None
                if not w.is_alpha or len(w.text) < 3 or _small(w) or w.lower in FILLERS \
                        or w.lower in NUMBER_WORDS or w.lower in CALENDAR_WORDS \
                        or w.lower in _NOT_WARD_NAMES or w.lower in self.generic \
                        or w.lower in self.heads or w.lower in self.unit_heads \
                        or w.lower in self.role_words or w.lower in _UNIT_ACRONYMS \
                        or w.lower in _HOSPITAL_AREAS or w.lower[:-1] in STOP \
                        or w.lower.endswith(("ing", "ly")) or nxt is not None \
                        and nxt.is_word and nxt.lower not in STOP:
                    break
                out.append(Span(w.start, w.end, "ORGANISATION", w.text, 0.4, "ward-joined"))
                k += 2
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

    def mentions(self, text: str, cands: list[Span], cased: bool) -> list[Span]:
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
            if not words:
                continue
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
        toks = tokenize(text)
        out: list[Span] = []
        for m in gaz.find(toks):
            seg = toks[m.start_tok:m.end_tok]
            if cased and seg[0].is_cap != m.entry.surface[:1].isupper():
                continue  # "the Spectrum clinic" vs "the autism spectrum"
            if m.entry.surface in cued and not (
                    m.start_tok and toks[m.start_tok - 1].lower in _AT_WORDS - {"the", "in"}):
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
            and lw not in self.generic and lw not in _CARE_GENERIC \
            and lw not in _COMPASS and lw not in self.titles \
            and any(w.lower in self.heads or w.lower in lex.place_words for w in rest)

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
                        not _small(w) or not w.sent_start and w.text != "I" and not (
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

    def _lower_guess(self, run: list[Tok], toks: list[Tok]) -> int | None:
        """Index of the last word of a lower-case name guessed after a strong cue ("held by
        spectrum community health"): up to four words, none a contraction or an everyday
        word that says no name was given ("worked for years", "run by the council")."""
        n = 0
        while n < len(run) and n < 4 and "'" not in run[n].text and run[n].lower != "'s" \
                and run[n].lower not in _NOT_A_NAME \
                and not (n and run[n].lower in self.lex.place_words):  # "banes bath and..."
            n += 1
        if n and run[n - 1].i + 1 < len(toks) and toks[run[n - 1].i + 1].lower == "of":
            return None  # "worked for the good of the patients": a noun phrase goes on
        return n - 1 if n else None

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
                    and toks[i - 1].lower in _AT_WORDS | {"over", "into"} \
                    and (not chunk.cased or t.is_cap and nxt.is_cap) and (
                        i + 3 >= len(toks) or not toks[i + 3].is_word
                        or toks[i + 3].lower in STOP or toks[i + 3].lower in _PREPOSITIONS):
                e = toks[i + 2].end
                out.append(Span(t.start, e, "ORGANISATION", chunk.text[t.start:e], 0.5,
                                "titled-site"))  # 0.5: it takes the name's place
        return out

    def _cap_run(self, toks: list[Tok], k: int) -> list[Tok]:
        """Capitalised words from toks[k] ("Help for Heroes", "Walking With The Wounded",
        "Birmingham and Solihull Women's Aid"): small words and 's only inside."""
        run: list[Tok] = []
        n = len(toks)
        never = self.lex.never
        while k < n and len(run) < 8:
            w = toks[k]
            name = w.is_word and w.is_cap and not (w.sent_start and run) and (
                run or not _small(w)) and w.lower not in never and w.lower not in _MONTHS
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
            if first in self.titles or first in self.role_words or first in _MONTHS \
                    or first in _MEANS or first in lex.never or first in lex.acronyms:
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
                         or toks[k + 1].lower in _PREPOSITIONS):
                e, score = toks[k].end, 0.5  # "a cashier at Sainsbury's": the shop's name
            if all(w in self.generic or w in _CARE_GENERIC or w in self.heads
                   or w in _UNIT_ACRONYMS or w in lex.acronyms for w in words):
                continue  # "to the Neonatal ICU": a kind of unit, no name
            # two words or more after a workplace cue are sure enough to take over a town's
            # or a part's span ("Hospice Isle of Man", "Quiet Harbour")
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], score, "org-slot"))
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
                if not w.is_word or _small(w) or w.lower in FILLERS or w.lower in _PREPOSITIONS \
                        or chunk.cased and not w.is_cap or w.lower in self.generic \
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
                    and not _small(toks[j]) and toks[j].lower not in FILLERS \
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
            elif not chunk.cased and nxt.lower in _BODY_TAILS:
                j = k
                while j < len(toks) and j < k + 5 and toks[j].lower in _BODY_TAILS:
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
                    or run[0].lower in _MONTHS:
                continue
            s, e = run[0].start, run[-1].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.45, "org-and-org"))
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
                while j > 0 and toks[j - 1].lower in _COMPASS and i - j < 2:
                    j -= 1
                if j == i or j > 0 and toks[j - 1].lower in ("a", "an", "every", "each"):
                    continue
                if chunk.cased and not (toks[j].is_cap or t.is_cap) and toks[j].sent_start:
                    continue
                s = toks[j].start
                out.append(Span(s, t.end, "ORGANISATION", chunk.text[s:t.end], 0.55,
                                "regional-body"))
            elif t.lower in ("royal", "general") and prev.lower in self.lex.place_words \
                    and prev.is_word and not (chunk.cased and not prev.is_cap):
                out.append(Span(prev.start, t.end, "ORGANISATION",
                                chunk.text[prev.start:t.end], 0.55, "town-hospital"))
        return out

    def _unknown_initialisms(self, chunk: Chunk) -> list[Span]:
        """'the nearest ED is the SWAH', 'ABUHB took four months', 'the Brunel ICU': capitals
        no list knows, said where a place of work goes, are a guess worth a look (low
        score); a unit acronym after a name makes the name a unit."""
        out: list[Span] = []
        if not chunk.cased:
            return out
        toks, lex = chunk.toks, self.lex
        for i, t in enumerate(toks):
            if i == 0 or not _CAPS.match(t.text):
                continue
            prev = toks[i - 1]
            lw = t.lower
            if lw in _UNIT_ACRONYMS:
                if prev.is_cap and prev.is_word and not prev.sent_start \
                        and not lex.is_word(prev.lower) and not prev.text.isupper():
                    out.append(Span(prev.start, t.end, "ORGANISATION",
                                    chunk.text[prev.start:t.end], 0.55, "named-unit-acronym"))
                continue
            if lw in lex.acronyms or lw in lex.never or t.text in lex.initialisms \
                    or lex.is_word(lw):
                continue
            # where a workplace goes, or four letters or more opening a sentence or joined by
            # "and" ("ABUHB took four months", "SWAST and ...")
            said = prev.lower in _AT_WORDS or len(lw) >= 4 and (
                t.sent_start or prev.lower in ("and", "or", ","))
            if not said:
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and (nxt.lower in self.role_words or nxt.lower in self.heads):
                continue  # "the EDI lead", "the QI team": the rules for those decide
            out.append(Span(t.start, t.end, "ORGANISATION", t.text, 0.35, "unknown-initialism"))
        return out

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

    def _lettered_sites(self, chunk: Chunk) -> list[Span]:
        """'so a hall c hall d hall', 'on C wing', 'the lift in block b': halls, wings and
        blocks named by one letter. Not the article "a" ("a block of flats") unless another
        lettered site is beside it, nor "i"."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        found: list[tuple[int, int]] = []  # token ranges of sites named by a letter
        for i, t in enumerate(toks[:-1]):
            nxt = toks[i + 1]
            if len(t.text) == 1 and t.is_alpha and t.lower != "i" \
                    and nxt.lower in _LETTER_SITES and text[t.end:nxt.start] == " " \
                    and (not chunk.cased or t.is_cap and not t.sent_start):
                after = toks[i + 2] if i + 2 < len(toks) else None
                if after is not None and after.lower in ("of", "'s"):
                    continue  # "a block of flats", "a hall of residence"
                found.append((i, i + 1))
            elif t.lower in _LETTER_SITES and len(nxt.text) == 1 and nxt.is_alpha \
                    and nxt.lower not in ("a", "i") and text[t.end:nxt.start] == " " \
                    and (not chunk.cased or nxt.is_cap) and (
                        i + 2 >= len(toks) or not toks[i + 2].is_word
                        or toks[i + 2].lower in STOP):
                found.append((i, i + 1))  # "block b", "Wing C"
        near = [a for a, _ in found]
        for a, b in found:
            if toks[a].lower == "a" and not any(0 < abs(x - a) <= 4 for x in near):
                continue  # "a hall", "a block": an article unless in a list of them
            s, e = toks[a].start, toks[b].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], 0.5, "lettered-site"))
        return out

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
                                           or toks[j - 1].lower in _COMPASS
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
            if w.lower in lex.place_words or w.lower in _COMPASS and j < i or joins:
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

    def _local_branches(self, chunk: Chunk) -> list[Span]:
        """'age uk south lakeland', 'Citizens Advice Kirklees': a national charity's local
        branch, named by the place after it."""
        out: list[Span] = []
        toks, lex = chunk.toks, self.lex
        for i in range(len(toks)):
            for name in _BRANCHED:
                n = len(name)
                if tuple(w.lower for w in toks[i:i + n]) != name:
                    continue
                k = i + n
                while k < len(toks) and k < i + n + 3 and (
                        toks[k].lower in lex.place_words or toks[k].lower in _COMPASS
                        or toks[k].lower in ("and", "&") and k + 1 < len(toks)
                        and toks[k + 1].lower in lex.place_words) \
                        and (not chunk.cased or toks[k].is_cap or toks[k].lower == "and"):
                    k += 1
                if k == i + n or toks[k - 1].lower in _COMPASS:
                    continue
                s, e = toks[i].start, toks[k - 1].end
                out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.55, "local-branch"))
        return out

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
                    and after.lower not in _PREPOSITIONS:
                continue  # "the Leeds and Bradford area": a noun goes on
            out.append(Span(a.start, b.end, "ORGANISATION", chunk.text[a.start:b.end], 0.5,
                            "joined-areas"))
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
                if all(w.lower in self.generic or w.lower in _CARE_GENERIC
                       or w.lower in self.heads for w in words):
                    continue
                s = base + part.start() + words[0].start
                e = base + part.start() + words[-1].end
                out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.5, "workplace-field"))
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
                    or w.lower in _NOT_EXAMPLES or w.lower in _NOT_A_NAME \
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
                    or nxt.lower in _PREPOSITIONS):
                e = toks[i + 1].end  # "Hickson's,", "outside Hennigan's on"
            else:
                continue
            out.append(Span(t.start, e, "ORGANISATION", text[t.start:e], 0.5, "possessive-name"))
        return out

    def _unit_codes(self, chunk: Chunk) -> list[Span]:
        """'on D6', 'on s eleven', 'at t5', 'on 6D', 'on 3 South', 'C4 East', and a second code
        joined to one ('h four and h five', 't4? or t5?'): wards and units named by a code,
        said where someone works (low score: the review decides)."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text
        ends: set[int] = set()  # token indices where a code ended
        for i in range(1, len(toks)):
            prev, t = toks[i - 1].lower, toks[i]
            joined = prev in ("and", "or", ",") and (i - 2 in ends or (
                i >= 3 and toks[i - 2].text == "?" and i - 3 in ends)) \
                or i - 1 in ends or self._ward_code_before(toks, i)
            if prev not in _CODE_CUES and not joined or "\n" in text[toks[i - 1].end:t.start]:
                continue  # not "... take people to\ns2 (00:02:08):", a speaker's label
            j = self._code_end(toks, i, prev == "on" or joined, chunk.cased, joined)
            if j is None:
                continue
            nxt = toks[j + 1] if j + 1 < len(toks) else None
            if nxt is not None and (nxt.lower in _TIMES or nxt.text in (":", "/", "(")):
                continue  # "at t5 pm"? "on 3/4", "to s2 (00:02:08)"
            if nxt is not None and nxt.lower in _COMPASS_WINGS and (
                    nxt.is_cap or not chunk.cased):
                j += 1  # "C4 East"
            ends.add(j)
            s, e = t.start, toks[j].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], 0.5, "unit-code"))
        return out

    @staticmethod
    def _ward_code_before(toks: list[Tok], i: int) -> bool:
        """'ward f1 f2 and g4': toks[i] follows (or is joined to) a code said after 'ward'."""
        j = i - 2 if i >= 2 and toks[i - 1].lower in ("and", "or", ",") else i - 1
        return j >= 1 and _UNIT_CODE.match(toks[j].text) is not None \
            and toks[j - 1].lower in ("ward", "wards")

    @staticmethod
    def _code_end(toks: list[Tok], i: int, on: bool, cased: bool,
                  listed: bool = False) -> int | None:
        """Where a unit's code starting at toks[i] ends, or None if it is no code. A code
        listed after another may start with any letter ("f1 f2 and g4"); alone, "f1"/"f2"
        are foundation years, "f7" a unit."""
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        letter_ok = t.lower[:1] not in _NOT_CODE_LETTERS or listed and t.lower[:1] != "a" \
            or t.lower[:1] == "f" and t.lower[1:] not in ("1", "2")
        if _UNIT_CODE.match(t.text) and letter_ok \
                and t.lower not in _NOT_CODES and (t.text[0].isupper() or not cased):
            return i  # "D6", "t5", "C21"
        if len(t.text) == 1 and t.is_alpha and t.lower not in _NOT_CODE_LETTERS \
                and nxt is not None and nxt.lower in _COUNTS and (t.is_cap or not cased):
            j = i + 1  # "s eleven", "h four", "d twenty one"
            while j + 1 < len(toks) and toks[j + 1].lower in _COUNTS - {"hundred"} and j < i + 2:
                j += 1
            return None if (t.lower, toks[i + 1].lower) in {("b", "twelve"), ("b", "six"),
                                                            ("d", "three")} else j
        if not on:
            return None
        if _DIGIT_LETTER.match(t.text) and (t.text[-1].isupper() or not cased):
            return i  # "on 6D"
        if cased and t.text.isdigit() and len(t.text) <= 2 and nxt is not None \
                and nxt.lower in _COMPASS_WINGS and nxt.is_cap:
            return i + 1  # "on 3 South"
        if not cased and t.lower in _COUNTS and t.lower != "one" and _ward_letter(toks, i + 1) \
                if i + 1 < len(toks) else False:
            return i + 1  # "on nine a", "on twelve b"
        return None

    def _spoken_letters(self, chunk: Chunk) -> list[Span]:
        """Lower case: initialisms said letter by letter, 'the n and n', 'r d and e', 'p and k
        council', and two letters after 'the'/'at' ('the j p'); not A&E, R&D, the GP, a
        spelled word, or a code with a number after it."""
        out: list[Span] = []
        toks, text = chunk.toks, chunk.text

        def letter(k: int) -> bool:
            return 0 <= k < len(toks) and len(toks[k].text) == 1 and toks[k].is_alpha

        for i, t in enumerate(toks):
            if t.lower == "and" and letter(i - 1) and letter(i + 1) \
                    and toks[i + 1].lower not in ("a", "i"):
                s = i - 1
                while s > 0 and letter(s - 1) and s > i - 3 and toks[s - 1].lower not in "ai":
                    s -= 1  # not "a b and c options"
                if letter(s - 1) or letter(i + 2) or (
                        s == i - 1 and toks[s].lower + toks[i + 1].lower in _NOT_LETTER_PAIRS):
                    continue
                e = i + 1
                if e + 1 < len(toks) and toks[e + 1].lower in _BODY_TAILS:
                    e += 1  # "p and k council"
                if e + 1 < len(toks) and (toks[e + 1].lower in _COUNTS
                                          or toks[e + 1].text.isdigit()):
                    continue
                out.append(Span(toks[s].start, toks[e].end, "ORGANISATION",
                                text[toks[s].start:toks[e].end], 0.5, "spoken-letters"))
            elif t.lower in _TWO_LETTER_CUES and letter(i + 1) and letter(i + 2) \
                    and "\n" not in text[t.end:toks[i + 2].start] \
                    and not letter(i + 3) and not letter(i - 1) \
                    and toks[i + 1].lower + toks[i + 2].lower not in _NOT_TWO_LETTERS \
                    and "a" not in (toks[i + 1].lower, toks[i + 2].lower) \
                    and (toks[i + 1].lower + toks[i + 2].lower).upper() not in self.lex.acronyms:
                nxt = toks[i + 3] if i + 3 < len(toks) else None
                if nxt is not None and (nxt.lower in NUMBER_WORDS or nxt.text.isdigit()):
                    continue  # "the f y one", "in b b six"
                s, e = toks[i + 1].start, toks[i + 2].end
                out.append(Span(s, e, "ORGANISATION", text[s:e], 0.4, "spoken-letters"))
        return out

    def _lower_firms_and_sites(self, chunk: Chunk) -> list[Span]:
        """Lower case: care agencies and firms ('bluebird care', 'from willow care',
        'cariad homecare'), homes, units and sites ('at mulberry house', 'at forest bank',
        'from ferry view') and practices ('at rookery dental', 'at ashgrove surgery', 'in
        strabane health centre'), named with ordinary words before what they are; not kinds of
        care ('wound care', 'social care'), 'the car park', 'my house', 'the food bank', 'the
        community dental', 'for knee surgery'."""
        out: list[Span] = []
        toks, text, lex = chunk.toks, chunk.text, self.lex
        for i in range(1, len(toks)):
            head = toks[i].lower
            kind = "firm" if head in _CARE_FIRM_HEADS else "site" if head in _SITE_HEADS \
                else "practice" if head in _PRACTICE_HEADS or (
                    head in ("centre", "practice") and toks[i - 1].lower in ("health", "medical")
                    and toks[i - 1].end + 1 == toks[i].start) else ""
            if not kind:
                continue
            last = i - 2 if head in ("centre", "practice") else i - 1
            names: list[Tok] = []
            j = last
            while j >= 0 and len(names) < 2 and self._name_word(toks[j], kind):
                names.insert(0, toks[j])
                j -= 1
            if kind == "firm" and not names and i >= 3 and toks[i - 1].lower in _CARE_GENERIC \
                    and not _small(toks[i - 1]) and self._name_word(toks[i - 2], kind):
                names = [toks[i - 2], toks[i - 1]]  # "evergreen community care"
                j = i - 3
            if not names:
                continue
            k = j  # the cue, before "the" and fillers: "at um the avenue surgery"
            while k >= 0 and (toks[k].lower == "the" or toks[k].lower in FILLERS):
                k -= 1
            cues = _FIRM_CUES if kind != "site" else _SITE_NAME_CUES
            if head == "surgery":
                cues = {"at"}  # "recovering from knee surgery"
            cue = k >= 0 and (toks[k].lower in cues or toks[k].text == ",") \
                and "\n" not in text[toks[k].end:names[0].start]
            known = any(not lex.is_word(n.lower) or n.lower in lex.place_words for n in names)
            if not cue and not (kind != "site" and known):
                continue
            score = 0.55 if known else (0.4 if kind == "site" and k != j else 0.45)
            s, e = names[0].start, toks[i].end
            out.append(Span(s, e, "ORGANISATION", text[s:e], score, "lower-firm-site"))
        return out

    def _name_word(self, w: Tok, kind: str) -> bool:
        """Can ``w`` be (part of) the name before 'care', 'house' or 'surgery'?"""
        lw = w.lower
        if not w.is_word or not w.is_alpha or len(lw) < 3 or _small(w) or lw in FILLERS \
                or lw in NUMBER_WORDS or lw in CALENDAR_WORDS or lw in self.role_words \
                or lw in _FIRM_CUES or w.pos not in ("NOUN", "PROPN", "ADJ", "X", "") \
                or lw in self.generic:
            return False  # "joined pennine care": the verb is no part of the name
        if kind == "firm":
            return lw not in _CARE_GENERIC and lw not in _CARE_KINDS
        if kind == "practice":
            return lw not in _PRACTICE_KINDS and lw not in _NOT_SITE_NAMES \
                and lw not in _PRACTICE_HEADS
        return lw not in _NOT_SITE_NAMES and lw not in _SITE_HEADS

    def _companies(self, chunk: Chunk) -> list[Span]:
        """'Bluebird Care', 'Rosebank Lodge', 'Medacs Healthcare', 'Swift Care at Home Ltd':
        capitalised words ending in what companies, agencies and care homes are called."""
        out: list[Span] = []
        if not chunk.cased:
            return out
        toks, text = chunk.toks, chunk.text
        for i, t in enumerate(toks):
            if t.lower not in _COMPANY_HEADS or not t.is_cap or i == 0:
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
            if not names or names[0].lower in _CARE_GENERIC or (
                    names[-1].lower in _CARE_GENERIC and len(names) < 2):
                continue  # "Primary Care"; but "Trentside Home Care" is a company
            if len(names) == 1 and names[0].sent_start and self.lex.is_word(names[0].lower):
                continue
            k = i + 1 if end == t.end else i + 3
            if k < len(toks) and toks[k].lower in ("ltd", "limited", "plc", "llp", "cic"):
                end = toks[k].end
            s = names[0].start
            out.append(Span(s, end, "ORGANISATION", text[s:end], 0.55, "company"))
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
            elif t.lower in ("st", "saint") and nxt is not None and nxt.is_word and (
                    nxt.is_cap or not chunk.cased) and nxt.lower not in STOP and (
                    t.is_cap or not chunk.cased):
                e = nxt.end
                if i + 2 < len(toks) and toks[i + 2].lower == "'s":
                    e = toks[i + 2].end
                out.append(Span(t.start, e, "ORGANISATION", text[t.start:e], 0.5, "saint"))
        return out

    def _wards(self, chunk: Chunk) -> list[Span]:
        """'Ward 23', 'ward twenty three', 'Ward 7B'."""
        out = []
        toks = chunk.toks
        for i, t in enumerate(toks[:-1]):
            if t.lower != "ward":
                continue
            j = i + 1
            nxt = toks[j]
            if nxt.lower in NUMBER_WORDS or _number_compound(nxt.lower):
                while j + 1 < len(toks) and (toks[j + 1].lower in NUMBER_WORDS
                                             or _number_compound(toks[j + 1].lower)):
                    j += 1
                if j + 1 < len(toks) and (_ward_letter(toks, j + 1) or _ward_a(toks, j + 1)):
                    j += 1  # "ward seven c", "ward twelve b", "ward five a since june"
            elif len(nxt.text) == 1 and nxt.text.isalpha() and nxt.lower != "i" \
                    and j + 1 < len(toks) and (toks[j + 1].lower in NUMBER_WORDS
                                               or toks[j + 1].text.isdigit()) \
                    and (nxt.lower != "a" or toks[j + 1].lower in _COUNTS - {"one"}):
                j += 1  # "ward b two", "Ward C 3", "ward a four"
            elif not _WARD_NUMBER.match(nxt.text) or nxt.lower in {"a", "i"} or (
                    nxt.text.isalpha() and len(nxt.text) > 1 and not nxt.text.isupper()):
                continue
            if nxt.lower in {"one", "a"} and chunk.text[nxt.end:nxt.end + 1] not in " .,":
                continue
            if j + 1 < len(toks) and toks[j + 1].lower in _COMPASS_WINGS and (
                    toks[j + 1].is_cap or not chunk.cased):
                j += 1  # "ward c four west", "Ward 2 East"
            s, e = t.start, toks[j].end
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], 0.9, "ward-number"))
        return out

    def _coded_wards(self, chunk: Chunk) -> list[Span]:
        """'on Huntsman 5', 'a staff nurse on Inpatient 1': a ward is often a name with a
        number, said after "on" (worked on, bank on); not a band, level, date or page."""
        out = []
        toks = chunk.toks
        for i in range(1, len(toks) - 1):
            t, num = toks[i], toks[i + 1]
            if toks[i - 1].lower != "on" or not t.is_cap or not t.is_alpha or t.text.isupper() \
                    or t.lower in STOP or t.lower in _NOT_WARD_NAMES or t.lower in CALENDAR_WORDS \
                    or not _WARD_CODE.match(num.text) or chunk.text[t.end:num.start] != " ":
                continue
            after = toks[i + 2] if i + 2 < len(toks) else None
            if after is not None and (after.text in (":", "/", ".") and i + 3 < len(toks)
                                      and toks[i + 3].text.isdigit() or after.lower in _TIMES):
                continue  # "on Level 3.5", "on Friday 5 pm"
            out.append(Span(t.start, num.end, "ORGANISATION", chunk.text[t.start:num.end], 0.5,
                            "coded-ward"))
        return out

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
                if not w.is_word or w.lower in STOP or (not chunk.cased and w.lower in FILLERS):
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
            s, e = names[0].start, t.end
            if i + 1 < len(toks) and toks[i + 1].text in _TRAILING_NATION:
                e = toks[i + 1].end  # "Filipino Nurses Association UK"
            out.append(Span(s, e, "ORGANISATION", chunk.text[s:e], score, "named-unit"))
        return out

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
