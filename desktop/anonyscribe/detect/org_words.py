"""Word lists and small word tests shared by the organisation rules (orgs and its
org_* modules): one place, so a list that changes changes for every rule that reads it."""

from __future__ import annotations

import re

from .lexicon import BARE_CONTRACTIONS, STOP
from .text import Tok

PREPOSITIONS = {"onto", "into", "upon", "towards", "toward", "across", "around", "within",
                "beyond", "near", "per", "off", "via", "like", "alongside", "inside", "outside"}
# Words that end a lower-case guess after a strong cue, or make it no name at all.
NOT_A_NAME = {"home", "work", "nights", "night", "days", "day", "weekends", "free", "money",
              "years", "ages", "people", "patients", "nhs", "council", "government", "cash",
              "nothing", "everyone", "everybody", "someone", "somebody", "anyone", "nobody",
              "while", "long", "less", "more", "much", "many", "most", "few", "several",
              "hours", "weeks", "months", "minimum", "wage", "agency", "bank", "trust",
              "private", "locum", "myself", "ourselves", "themselves", "yourself", "miles",
              "kids", "children", "family", "fun", "pleasure", "peanuts",
              "pennies", "mates", "friends", "himself", "herself", "us", "them", "hire"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
UNIT_ACRONYMS = {"icu", "itu", "hdu", "ccu", "nicu", "picu", "scbu", "amu", "mau", "sau",
                 "cdu", "eau", "ed", "opd"}
# Words before a place of work: "at the SWAH", "with ABUHB", "joined NIAS".
AT_WORDS = {"the", "at", "with", "from", "to", "joined", "for", "in", "left"}
COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
           "central", "mid", "north-east", "north-west", "south-east", "south-west"}
# Last words of firms named by a trade ("Pentland Ferries", "Keystone Roofing").
TRADE_HEADS = frozenset({"ferries", "foods", "roofing", "motors", "coaches", "haulage",
                         "logistics", "fisheries", "seafoods", "bakery", "cars", "taxis",
                         "lifts", "builders", "plumbing", "scaffolding", "joinery"})
# Words that go on a body's name after it in lower case ("... hospital nhs foundation trust").
BODY_TAILS = {"nhs", "foundation", "trust", "hospital", "hospitals", "infirmary", "health",
              "board", "teaching", "healthcare", "university", "uni", "partnership", "pcn",
              "hscp", "ccg", "icb", "hospice", "council", "college", "surgery"}
# Words before "Care" (and the like) that name a kind of care, not a company.
CARE_GENERIC = {"social", "primary", "secondary", "tertiary", "intensive", "critical",
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

# Specialties and kinds of care that, said alone before "ward", "unit", "team" or "clinic",
# say what kind of unit it is, not which ("the stroke ward", "a gp practice", "the perinatal
# team"); a named unit has a name of its own ("Larch ward") or several words ("Acute Frailty
# Unit"). Not "acute", "aseptic", "cancer": "the acute unit" names one hospital's unit.
UNIT_KINDS = frozenset({
    "stroke", "rehab", "rehabilitation", "paeds", "paediatric", "paediatrics", "children",
    "postnatal", "antenatal", "prenatal", "burns", "frailty", "oncology", "renal", "cardiac",
    "cardiology", "respiratory", "orthopaedic", "orthopaedics", "ortho", "trauma", "maternity",
    "labour", "gynae", "gynaecology", "neuro", "neurology", "psych", "psychiatric", "dementia",
    "haematology", "urology", "dermatology", "endoscopy", "dialysis", "surgical", "medical",
    "admissions", "discharge", "perinatal", "neonatal", "geriatric", "elderly", "older",
    "inpatient", "outpatient", "community", "gp", "gps", "chc", "inr", "enp", "hdu", "icu",
    "itu", "ccu", "palliative", "recovery", "resus", "emergency", "urgent", "triage", "diabetes",
    "diabetic", "heart", "fracture", "falls", "memory", "pain", "vascular", "ophthalmology",
    "audiology", "physio", "physiotherapy", "pharmacy", "radiology", "xray", "imaging",
    "addiction", "addictions", "crisis", "liaison", "research", "simulation", "sim", "theatre",
    "theatres", "maxfax", "colorectal", "breast", "bariatric", "spinal", "hepatology",
    "gastro", "gastroenterology", "rheumatology", "infectious", "isolation", "covid"})
UNIT_KIND_HEADS = frozenset({"ward", "unit", "team", "clinic", "practice", "surgery", "suite"})

# Last words of what is named like a body but is a law, a scale, a benefit, a campaign or a
# form ("Mental Health Act", "Glasgow Coma Scale", "Carer's Allowance", "Microsoft Forms"):
# no one works there. Not "fund" or "scheme", which name bodies too ("Student Support Fund").
INSTRUMENT_HEADS = frozenset({
    "act", "acts", "scale", "scales", "score", "scores", "allowance", "allowances",
    "payment", "payments", "campaign", "campaigns", "award", "awards", "bill", "credit",
    "credits", "visa", "visas", "exam", "exams", "questionnaire", "tariff", "form", "forms"})


def names_an_instrument(name: str) -> bool:
    """Is ``name`` (an organisation's surface) a law, scale, benefit, campaign or form?"""
    words = re.findall(r"[^\W\d_]+", name.lower())
    return len(words) > 1 and words[-1] in INSTRUMENT_HEADS


def function_word(w: Tok) -> bool:
    """A function word or a contraction of one ("I've", "who's", "theres"): never a name's
    start."""
    return w.lower in STOP or re.split(r"['’]", w.lower)[0] in STOP \
        or w.lower in BARE_CONTRACTIONS
