"""Dates that identify: a day, a month with its year, a year - not "today" or "six years"."""

from __future__ import annotations

import re

from ..core.model import Span
from .text import Chunk

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
          "december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_UNIT = "one|two|three|four|five|six|seven|eight|nine"
_TEEN = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ORD = ("first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
        "thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
        "twentieth|thirtieth")
DAY_W = rf"(?:(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|" \
        rf"eighth|ninth)|{_ORD})"
DAY_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR_D = r"(?:19[3-9]\d|20[0-4]\d)"
YEAR_W = (rf"(?:(?:nineteen|twenty)[\s-](?:(?:oh|o)[\s-](?:{_UNIT})|{_TEEN}|"
          rf"(?:{_TENS})(?:[\s-](?:{_UNIT}))?)|two thousand(?:\s+and)?(?:\s+(?:{_TEEN}|{_UNIT}"
          rf"|twenty(?:[\s-](?:{_UNIT}))?))?)")
YEAR = rf"(?:{YEAR_D}|{YEAR_W})"
DAY = rf"(?:{DAY_D}|{DAY_W})"

WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_WEEKDAY = (rf"(?:(?:{WEEKDAYS}|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?(?:,\s*|\s+)"
            r"(?:the\s+)?)")
# Said after a year or an ordinal that ends a phrase ("in ninety eight and", "the twelfth so"):
# a word that starts the next clause, not a noun the number counts ("ninety eight percent").
_CLAUSE = (r"(?=\s*(?:[.,;:?!)\]]|$|\s(?:and|but|so|when|because|then|i|we|he|she|they|it|"
           r"you|my|our|his|her|their|no|yeah|aye|um|uh|er|erm|ah|or|till|until|before|after|"
           r"was|that's|there|what|under|with|as|at|for|from|where|is|had|that)\b))")
_SHORT_YEAR = rf"(?:(?:{_TENS})[\s-](?:{_UNIT})|(?:oh|o)[\s-](?:{_UNIT}))"
# Words before "day"/"night" that make it any day ("the other day", "every single day").
_NOT_NAMED = (r"(?!(?:the|a|an|every|one|that|this|same|next|last|other|each|some|any|whole|all|"
              r"single|long|busy|good|bad|hard|first|second|third|half|full|night|day|working|"
              r"school|open|training|study|sick|rest|late|early|in|on|at|of|for|by|to|and|or|"
              r"per|a|my|our|his|her|their|your|twelve|two|three|four|five|six|seven)\b)")
# A number followed by what it counts is a count, not a year ("2000 staff", "two thousand
# and twenty people", "twenty twenty vision").
_NOT_COUNTED = (r"(?!\s+(?:people|patients|staff|nurses|doctors|beds|members|words|pounds|quid|"
                r"miles|calls|students|residents|clients|referrals|cases|jobs|posts|hours|"
                r"minutes|mins|days|weeks|months|years|times|percent|per\s+cent|vision|"
                r"of\s+(?:us|them|whom|those|these)|odd|or\s+so)\b)")
# A month said as its ordinal ("the ninth"), in dates of birth.
_MONTH_ORD = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
              r"(?:0?[1-9]|1[0-2])(?:st|nd|rd|th)")
# Festivals and named days, said with a year ("Ramadan 2022", "st andrew's day twenty twenty
# two", "eleventh night twenty twenty two"): the named-day grammar, not a list of every day.
_FESTIVAL = (r"(?:ramadan|eid(?:\s+al[\s-](?:fitr|adha))?|diwali|vaisakhi|baisakhi|holi|navratri|"
             r"hanukkah|chanukah|passover|rosh\s+hashanah|yom\s+kippur|thanksgiving|pride|"
             r"(?:chinese|lunar)\s+new\s+year|hogmanay|christmas|easter|carnival|"
             r"dashain|tihar|onam|pongal|lohri|bihu|ugadi|songkran|nowruz|navroz|kwanzaa|purim|"
             r"sukkot|shavuot|lent|advent|whitsun|pentecost|epiphany|mardi\s+gras|samhain|"
             r"vesak|wesak|obon|t[eế]t|qingming|ashura|muharram|mawlid|raksha\s+bandhan|"
             r"janmashtami|durga\s+puja|ganesh\s+chaturthi|chhath|karva\s+chauth|gurpurab|"
             r"(?:[a-z]+\s+)?(?:festival|puja|mela|fest)|"
             r"the\s+twelfth|(?:the\s+)?(?:st\.?|saint)\s+\w+['’]?s)")
# Any other named day with a year ("Windrush Day 2020", "eleventh night twenty twenty two"):
# found from its cheap tail ("day 2020"), then the one or two words of its name before it.
_NAMED_TAIL = re.compile(rf"\b(?:day|eve|night|sunday|monday|friday)\s+(?:of\s+)?{YEAR}\b"
                         rf"{_NOT_COUNTED}", re.I)
_NAME_BEFORE = re.compile(rf"\b(?:{_NOT_NAMED}[a-z]+['’]?s?\s+)?{_NOT_NAMED}[a-z]+['’]?s?\s+$",
                          re.I)
# A named day on its own: one day of one year even without the year ("on Boxing Day").
_NAMED_DAY = re.compile(
    r"\b(?:(?:christmas|new\s+year['’]?s?)\s+(?:eve|day)|boxing\s+day|bonfire\s+night|"
    r"guy\s+fawkes(?:\s+night)?|hogmanay|burns\s+night|eleventh\s+night|halloween|"
    r"valentine['’]?s\s+day|(?:mother|father)['’]?s\s+day|(?:st\.?|saint)\s+[a-z]+['’]?s\s+day|"
    r"paddy['’]?s\s+day|good\s+friday|easter\s+(?:sunday|monday)|shrove\s+tuesday|"
    r"pancake\s+day|remembrance\s+(?:sunday|day)|armistice\s+day|windrush\s+day|"
    r"(?:chinese|lunar)\s+new\s+year|eid(?:\s+al[\s-](?:fitr|adha))?|diwali|vaisakhi|"
    r"whit\s+(?:sunday|monday)|(?:may|whitsun|whit|easter|spring|summer|august)\s+bank\s+"
    r"holiday(?:\s+monday)?)\b",
    re.I)

_PATTERNS: list[tuple[re.Pattern[str], float, str]] = [
    (re.compile(rf"\b{_WEEKDAY}?(?:the\s+)?{DAY}(?:\s+of)?\s+(?:{MONTHS})\b"
                rf"(?:,?\s+(?:{YEAR}\b|['’]\d\d\b|{_SHORT_YEAR}\b{_NOT_COUNTED}))?", re.I), 0.9,
     "day-month"),
    # "the fourth of the ninth (nineteen) forty eight": day and month both as ordinals
    (re.compile(rf"\b(?:the\s+)?{DAY}\s+of\s+the\s+(?:{_MONTH_ORD})\b"
                rf"(?:,?\s+(?:{YEAR}\b|{_SHORT_YEAR}\b{_NOT_COUNTED}))?", re.I), 0.85,
     "day-of-the-month"),
    # "early 2015", "mid-2021", "the end of 2019": the part of the year is said with it
    (re.compile(rf"\b(?:early|late|mid|the\s+(?:end|start|beginning|middle)\s+of)[\s-]+{YEAR}\b"
                rf"{_NOT_COUNTED}", re.I), 0.8, "part-of-year"),
    (re.compile(rf"\b(?:the\s+)?{DAY}\s*(?:to|-|–|till|until|and|or)\s*(?:the\s+)?{DAY}"
                rf"(?:\s+of)?\s+(?:{MONTHS})\b(?:,?\s+{YEAR}\b)?", re.I), 0.9, "day-range"),
    (re.compile(rf"\b(?:{MONTHS})\s*(?:to|-|–|till|until|and|or|through)\s*(?:{MONTHS})"
                rf",?\s+{YEAR}\b", re.I), 0.85, "month-range"),
    (re.compile(r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:\b|(?=T\d))"), 0.9,
     "iso-date"),
    (re.compile(rf"\b(?:0?[1-9]|[12]\d|3[01])[-/ ](?:{MONTHS})[-/ ](?:(?:19|20)\d\d|\d\d)\b", re.I),
     0.9, "day-mon-year"),
    (re.compile(r"(?<![\d/])(?:0?[1-9]|1[0-2])/(?:19|20)\d\d\b"), 0.85, "month-year-digits"),
    (re.compile(r"(?<![\d-])(?:0?[1-9]|[12]\d|3[01])-(?:0?[1-9]|1[0-2])-(?:(?:19|20)\d\d|\d\d)\b"
                r"(?!-)"), 0.9, "dashed-date"),
    (re.compile(r"(?<![\d/.])(?:19|20)\d\d([/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])\b"),
     0.9, "year-first-date"),
    (re.compile(rf"\b(?:q[1-4]|(?:the\s+)?(?:first|second|third|fourth|last)\s+quarter\s+of)"
                rf"\s+{YEAR}\b", re.I), 0.8, "quarter-year"),
    (re.compile(r"\b(?:in|since|from|until|till|by|of|back\s+in)\s+(?P<d>['’](?:[0-9]{2}))\b"),
     0.6, "apostrophe-year"),
    # "Sept '21", "summer of '19": a year cut to two digits after an apostrophe
    (re.compile(rf"\b(?:{MONTHS}|spring|summer|autumn|winter)(?:\s+of)?\s+['’]\d\d\b", re.I),
     0.8, "apostrophe-year"),
    (re.compile(rf"\b(?:{MONTHS})\s+(?:(?:{_TENS})(?:[\s-](?:{_UNIT}))?|{_TEEN})\b"
                rf"(?!\s*(?:%|percent|per cent|years?|days?|weeks?|months?|people|patients|"
                rf"staff|of\b|hours?|minutes?|pounds|quid|miles|beds|nurses))", re.I), 0.6,
     "month-number"),
    (re.compile(rf"\b{_WEEKDAY}?(?:{MONTHS})\s+(?:the\s+)?{DAY}\b(?:,?\s+{YEAR}\b)?", re.I), 0.85,
     "month-day"),
    (re.compile(rf"\b(?:{MONTHS})(?:\s+of)?,?\s+{YEAR}\b", re.I), 0.9, "month-year"),
    (re.compile(rf"\b(?:{MONTHS})\s+(?:this|last|next)\s+year\b", re.I), 0.7, "month-rel"),
    (re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b"), 0.9, "numeric-date"),
    # "07/03 09:44" (a chat's message header), "on 14/2": a day and month without the year,
    # sure only beside a time of day or after a word that dates it (not "7/10", "3/4 of it")
    (re.compile(r"(?<![\d/.:])(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?![/\d])"
                r"(?=,?\s+(?:at\s+)?(?:[01]?\d|2[0-3])[:.][0-5]\d\b)"), 0.8, "day-month-time"),
    (re.compile(r"(?<=\b(?:on|by)\s)(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?![/\d])(?![.,]\d)"
                r"(?!\s*(?:of|ths?|rds?|nds?|sts?)\b)"), 0.6, "on-day-month"),
    (re.compile(rf"\b(?:the\s+)?(?:spring|summer|autumn|fall|winter|christmas|easter|end|"
                rf"beginning|start|middle)\s+of\s+{YEAR}\b", re.I), 0.85, "season-year"),
    (re.compile(rf"\b(?:spring|summer|autumn|winter)\s+{YEAR}\b", re.I), 0.8, "season-year"),
    (re.compile(rf"\b(?:spring|summer|autumn|winter|michaelmas|lent|hilary|trinity|easter)\s+"
                rf"(?:term|semester)\s+(?:of\s+)?{YEAR}\b", re.I), 0.8, "term-year"),
    (re.compile(rf"\b{_FESTIVAL}\s+(?:of\s+)?{YEAR}\b{_NOT_COUNTED}", re.I), 0.8,
     "festival-year"),
    (re.compile(rf"\b(?:new\s+year['’]?s(?:\s+(?:eve|day))?|christmas(?:\s+(?:eve|day))?|"
                rf"boxing\s+day|easter(?:\s+(?:sunday|monday|weekend))?|bonfire\s+night|"
                rf"hogmanay|burns\s+night|st\.?\s+patrick['’]?s\s+day|st\.?\s+david['’]?s\s+day|"
                rf"halloween|valentine['’]?s\s+day|eid|diwali)\s+(?:of\s+)?{YEAR}\b", re.I), 0.85,
     "holiday-year"),
    (re.compile(rf"\b(?:the\s+)?(?:spring|summer|autumn|winter)\s+of\s+"
                rf"(?:{_TENS})(?:[\s-](?:{_UNIT}))?\b(?!\s*(?:%|percent|per cent|years))",
                re.I), 0.6, "season-short-year"),
    (re.compile(rf"\b(?:born|married|qualified|graduated|came over|died|started|joined|left|"
                rf"retired|emigrated|arrived|moved here|moved over|trained|back|way back) in\s+"
                rf"(?P<d>(?:{_TENS})(?:[\s-](?:{_UNIT}))?|['’]?\d\d|oh[\s-](?:{_UNIT}))"
                rf"(?!\s*(?:%|percent|per cent|years|year|days|weeks|months|minutes|mins|"
                rf"hours|hrs|seconds|secs|min|pounds|quid|p\b|pence|miles))\b(?![.,]\d)",
                re.I), 0.6,
     "short-year"),
    (re.compile(rf"\b(?:born|married|died)\s+"
                rf"(?P<d>(?:{_TENS})(?:[\s-](?:{_UNIT}))?|['’]?\d\d|oh[\s-](?:{_UNIT}))"
                rf"(?!\s*(?:%|percent|per cent|years|year|days|weeks|months|minutes|mins|"
                rf"hours|hrs|seconds|secs|min|pounds|quid|p\b|pence|miles))\b(?![.,]\d)",
                re.I), 0.6,
     "short-year"),
    (re.compile(rf"\b(?:in|since),?\s+(?:(?:what|like|um|uh|er|erm|about|around),?\s+)*"
                rf"(?P<d>{_SHORT_YEAR}){_CLAUSE}", re.I), 0.5, "in-short-year"),
    (re.compile(rf"\b(?:last|next|this\s+past)\s+(?:{WEEKDAYS})\b", re.I), 0.45,
     "last-weekday"),
    (re.compile(rf"(?<![\d:£$.,])\b{YEAR_D}(?:/\d\d|[-–](?:{YEAR_D}|\d\d))?\b"
                rf"(?![\d:]|,\d|\.\d|%){_NOT_COUNTED}"), 0.8, "year"),
    (re.compile(rf"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+the\s+"
                rf"(?:{DAY_W}|(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b", re.I), 0.8,
     "weekday-nth"),
    (re.compile(rf"\b(?:{WEEKDAYS})\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b", re.I), 0.75,
     "weekday-nth"),
    (re.compile(rf"\b{YEAR_W}\b{_NOT_COUNTED}", re.I), 0.7, "spoken-year"),
    (re.compile(r"\bthe\s(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b", re.I), 0.6, "the-nth"),
    # "the nineteenth and ...", "the twenty seventh so": a day said as a word that ends its
    # phrase ("the fourth floor", "the nineteenth century" go on with a noun); "first" to
    # "third" are too often a rank, so those only after "on the" (below).
    (re.compile(rf"\bthe\s+(?!(?:first|second|third)\b){DAY_W}\b{_CLAUSE}", re.I), 0.45,
     "the-nth-word"),
    (re.compile(rf"(?<=\bon\s)the\s+{DAY_W}\b(?=\s*(?:[.,;?!]|$|and\b))", re.I), 0.5,
     "on-the-nth"),
    # "on the nineteenth she rang", "until the twenty third": a day after a word that dates
    # (not "on the fourth floor", "on the first of them", "by the third time")
    (re.compile(rf"\b(?:on|until|till|since|by)\s+(?P<d>the\s+{DAY_W})\b(?!\s+(?:{WEEKDAYS}|"
                rf"weekend|morning|evening|night|shift|of|floor|century|"
                rf"time|times|day|days|hole|page|line|step|stage|attempt|round|go|try|one|ones|"
                rf"person|patient|year|week|month|place|visit|cycle|dose|grade|level|"
                rf"generation|anniversary|birthday|of)\b)(?!['’-])", re.I), 0.45,
     "on-the-nth"),
]
_CALENDAR_TEXT = """
january february march april may june july august september october november december monday
tuesday wednesday thursday friday saturday sunday
"""
CALENDAR_WORDS = frozenset(_CALENDAR_TEXT.split())  # months and weekdays, lower case
_MAY_VERB = re.compile(r"^may\b", re.I)
_FULL_MONTHS = ("january|february|march|april|june|july|august|september|october|november|"
                "december")
# A bare month is vague ("usually in January") unless a one-off event happened in it.
_EVENT_MONTH = re.compile(
    r"\b(?:started|starts|begun|began|finished|finishes|ended|qualified|graduated|joined|left|"
    r"moved|applied|interviewed|promoted|retired|appointed|launched|happened|died|born|"
    r"married|starting|finishing|start|begin|finish|join|leave|qualify|graduate)"
    r"(?:\s+(?:in|on))?\s+(?:(?:like|um|uh|er|erm|the|about|around)\s+)*"
    rf"(?P<m>{_FULL_MONTHS})\b(?!\s+(?:and|or|to)\s+(?:{_FULL_MONTHS}))", re.I)

# A bare month after a word that pins it to one year ("since September", "last march", "I
# did, in May"); not a habit ("usually in January", "every March") nor a range of months.
_PINNED_MONTH = re.compile(
    r"\b(?P<cue>since|until|till|til|last|next|this|that|by|from|for|in|early|late|mid|"
    r"(?:end|beginning|start|middle) of)[\s-]+"
    r"(?:(?:like|um|uh|er|erm|about|around|the|last|this)\s+)*"
    rf"(?P<m>{_FULL_MONTHS}|may)\b(?!\s+(?:and|or|to|through|till|until|-)\s+(?:{_FULL_MONTHS}|may)\b)"
    r"(?!\s*(?:\d|of\b|this\b|last\b|next\b))", re.I)
# A stretch of months said from one to the other ("advertised from September to January"): the
# two ends of one period; not a year said after them (month-range takes that), nor a habit.
_MONTH_SPAN = re.compile(
    rf"\bfrom\s+(?P<a>{_FULL_MONTHS}|may)\s+(?:to|till|until|til|through)\s+"
    rf"(?P<b>{_FULL_MONTHS}|may)\b(?!,?\s+(?:\d|nineteen|twenty|two\s+thousand))", re.I)
_HABIT_AFTER = re.compile(r"\s+(?:every|each|most|all)\s+(?:year|years|winter|summer)\b", re.I)
# Cues that pin a month to one year whatever is said before them ("every week since june").
_SURE_CUES = frozenset({"since", "until", "till", "til", "last", "next", "by"})
# What follows "may" the verb ("the last may be", "since may not"), not the month.
_MAY_VERB_NEXT = re.compile(
    r"\s+(?:be|have|not|well|also|just|get|need|want|take|come|go|seem|feel|find|sound|look|"
    r"prove|help|make|mean|cause|lead|happen|depend|vary|even|still|never|already|only|"
    r"always|often|or)\b", re.I)
# A person said to be "the fourth" is a rank ("I'm the fourth"); "the funeral was the
# fourteenth" is a date.
_RANK_BEFORE = re.compile(r"\b(?:i['’]m|im|i\s+am|i\s+was|(?:s?he|you|they|we)['’](?:s|re)|"
                          r"(?:s?he)\s+(?:is|was)|(?:you|they|we)\s+(?:are|were)|came|come|"
                          r"finished|placed|ranked)\s+$", re.I)
# A date of birth read out in any order of words, ordinals and digits ("d o b four nine forty
# eight", "date of birth is the fourth of the ninth forty eight"): the cue makes it a date.
_DATE_WORD = (rf"(?:{_UNIT}|{_TEEN}|{_TENS}|{_ORD}|oh|nought|zero|hundred|thousand|and|of|the|"
              rf"{MONTHS}|\d{{1,4}}(?:st|nd|rd|th)?)")
_DOB = re.compile(rf"\b(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\b\.?|born\s+on|birthday)(?:['’]s)?"
                  rf"(?:\s*(?:is|was|:|,|-))*\s*(?P<d>{_DATE_WORD}(?:[\s,/.-]+{_DATE_WORD}){{1,9}})\b",
                  re.I)
_DOB_TAIL = re.compile(r"(?:[\s,/.-]+(?:and|of|the))+$", re.I)
# "on a Sunday in January": a kind of day in a month, not one date.
_A_DAY_IN = re.compile(rf"\ba\s+(?:{WEEKDAYS}|day|week|weekend|morning|night|shift)\s+$", re.I)
# A named day as a rough point in the year ("after Christmas" is vague in the dev set's rules).
_AROUND = re.compile(r"\b(?:after|before|over|around|since|till|until|til)\s+$", re.I)
_LAST_NEXT = re.compile(r"\b(?:last|next|this|that|early|late|mid)[\s-]+$", re.I)
_HABIT = re.compile(r"\b(?:usually|normally|always|every|each|often|typically|generally|"
                    r"annual|annually|yearly|sometimes)\b", re.I)


class DateRecognizer:
    """Regular patterns over the chunk text; "May" needs a capital or a day/year with it."""

    def __call__(self, chunk: Chunk) -> list[Span]:
        out: list[Span] = []
        text = chunk.text
        for rx, score, name in _PATTERNS:
            for m in rx.finditer(text):
                if "d" in rx.groupindex:  # only the date part of a matched phrase
                    out.append(Span(m.start("d"), m.end("d"), "DATE", m.group("d"), score,
                                    f"date-{name}"))
                    continue
                s = m.group()
                if name == "spoken-year" and re.fullmatch(r"two thousand(?:\s+and)?", s, re.I):
                    continue
                if name == "the-nth-word" and _RANK_BEFORE.search(text, max(0, m.start() - 20),
                                                                  m.start()):
                    continue  # "I'm the fourth", "she came the fifth": a rank
                if _MAY_VERB.match(s) and chunk.cased and s[0] == "m":
                    continue
                if name in ("month-day", "month-year") and s[:3].lower() in ("mar", "may") \
                        and chunk.cased and not s[0].isupper() \
                        and not (name == "month-year" and s[:6].lower() == "march "):
                    continue  # "may 12": the verb; but "until march 2026" is a date
                out.append(Span(m.start(), m.end(), "DATE", s, score, f"date-{name}"))
        for m in _EVENT_MONTH.finditer(text):
            s, e = m.span("m")
            out.append(Span(s, e, "DATE", text[s:e], 0.5, "date-event-month"))
        for m in _PINNED_MONTH.finditer(text):
            s, e = m.span("m")
            word, cue = text[s:e], m.group("cue").lower()
            if chunk.cased and not word[0].isupper():
                continue
            if word.lower() == "may" and not chunk.cased and (
                    cue not in _SURE_CUES or _MAY_VERB_NEXT.match(text, e)):
                continue  # "in may" is too often the verb in lower-case speech
            line = text.rfind("\n", 0, m.start()) + 1
            if cue not in _SURE_CUES and _HABIT.search(text, max(line, m.start() - 40),
                                                       m.start()):
                continue
            if cue == "in" and _A_DAY_IN.search(text, max(0, m.start() - 20), m.start()):
                continue
            said = _LAST_NEXT.search(text, m.start(), s)
            if said:  # "last March", "mid-January": one month of one year, said whole
                s = said.start()
            out.append(Span(s, e, "DATE", text[s:e], 0.45, "date-pinned-month"))
        for m in _MONTH_SPAN.finditer(text):
            line = text.rfind("\n", 0, m.start()) + 1
            if chunk.cased and not (m.group("a")[0].isupper() and m.group("b")[0].isupper()) \
                    or _HABIT.search(text, max(line, m.start() - 40), m.start()) \
                    or _HABIT_AFTER.match(text, m.end()):
                continue  # "usually from May to September", "from june to august every year"
            for g in ("a", "b"):
                s, e = m.span(g)
                out.append(Span(s, e, "DATE", text[s:e], 0.45, "date-month-span"))
        for m in _DOB.finditer(text):
            s, e = m.span("d")
            e = s + len(_DOB_TAIL.sub("", text[s:e]))
            if any(c.isdigit() for c in text[s:e]) or len(text[s:e].split()) >= 2:
                out.append(Span(s, e, "DATE", text[s:e], 0.7, "date-of-birth"))
        for m in _NAMED_TAIL.finditer(text):
            name = _NAME_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if name:
                out.append(Span(name.start(), m.end(), "DATE", text[name.start():m.end()], 0.8,
                                "date-festival-year"))
        for m in _NAMED_DAY.finditer(text):  # "on Boxing Day": one day, year understood
            line = text.rfind("\n", 0, m.start()) + 1
            if _HABIT.search(text, max(line, m.start() - 25), m.start()) \
                    or _AROUND.search(text, max(0, m.start() - 12), m.start()):
                continue  # "every Christmas Day", "usually on Eid", "the week after Eid"
            out.append(Span(m.start(), m.end(), "DATE", m.group(), 0.55, "date-named-day"))
        return out
