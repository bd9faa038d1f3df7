"""Speaker tags that are codes, not names: 'res:', 'iv>', 'pn |', 'hca –' at line starts.

Transcribers tag turns with short codes for the interviewer ("int", "iv", "res", "mod",
"spkA") and for the participant's post or study code ("hca", "pn", "cmhn", "sa"). Such
codes are often in the world's given-name lists ("pn", "sa", "res") and were flagged as
names at every turn. A tag is a code when it abbreviates a generic label word (its letters
in order, the first the same: "ivr" for interviewer, "rsp" for respondent), or when it is a
short tag in a transcript whose other speaker carries such a code - unless it is a given
name itself ("int: ... / dawn: ...") or initials in capitals ("INT: ... / MK: ..."). Tags
count only when they recur: one line start that looks like a tag is not a layout.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection

# A turn's time at a line's start ("00:01:39", "[0:42.5]", "(12:03)"): shared with the
# engine's speaker labels.
TURN_TIME = r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\)?\]?"
# A turn's tag: optional time and bar, then a short word and ':', '>', '>>', '|', a dash
# (or three), '_' or '~' ("int ---", "tw_", "cnm ~"), or a word in angle or square brackets
# ("<ph> yes", "[b] aphasia"); a numbered tag may end in a full stop ("R1. so what do you
# do"; "Yes. I do" is no tag).
_TAG = re.compile(
    r"^[ \t]*(?:" + TURN_TIME + r"[ \t]*\|?[ \t]*)?"
    r"(?:(?P<tag>[^\W\d_][^\W_]{0,7})[ \t]*(?::|>{1,2}|\||–|—|-{1,3}|_|~|(?<=\d)\.)"
    r"|<(?P<angled>[^\W\d_][^\W_]{0,7})>|\[(?P<squared>[^\W\d_][^\W_]{0,7})\])(?=[ \t])",
    re.MULTILINE)
_TAG_GROUPS = ("tag", "angled", "squared")
_NUMBERED = re.compile(r"^(?P<stem>[^\W\d_]{1,5}?)[ _]?(?:\d{1,2}|[a-dA-D])$")
_VOWELS = re.compile(r"[aeiouyàáâäãåèéêëìíîïòóôöõùúûüý]")
_MIN_TURNS = 2
_MAX_CODE = 4  # a participant's code is short: "hca", "cmhn"; longer tags may be names


def abbreviates(tag: str, word: str) -> bool:
    """Is ``tag`` a shortening of ``word`` (same first letter, its letters in order)?
    'ivr' -> interviewer, 'rsp' -> respondent, 'pt' -> participant; not 'kofi'."""
    if len(tag) < 2 or tag[0] != word[0] or len(tag) >= len(word):
        return False
    k = 1
    for ch in word[1:]:
        if k < len(tag) and ch == tag[k]:
            k += 1
    return k == len(tag)


def is_generic(tag: str, generic: Collection[str]) -> bool:
    """An interviewer's or a speaker's tag: listed, numbered ("p03", "spkB") or a
    shortening of a listed label word."""
    low = tag.casefold()
    m = _NUMBERED.match(low)
    if m and (low[-1].isdigit() or m.group("stem") in generic):
        low = m.group("stem")  # "p03", "spkB"; but "rob" is not "ro" + "b"
    return low in generic or any(len(w) > 3 and abbreviates(low, w) for w in generic)


def code_tags(text: str, generic: Collection[str], given_name: Callable[[str], bool],
              posts: Collection[str] = (), is_word: Callable[[str], bool] | None = None
              ) -> list[tuple[int, int]]:
    """Spans of the recurring speaker tags in ``text`` that are codes, not names.

    ``given_name`` says whether a lower-case tag is a person's given name (kept as a name
    even beside an interviewer's code), unless it shortens one of ``posts`` ("nur" for
    nurse); capital initials are a name's unless they spell a post said in the text
    ("PM" beside "the practice manager"; words that ``is_word`` knows, none a given name)."""
    found = [(m.group(g), m.span(g)) for m in _TAG.finditer(text) for g in _TAG_GROUPS
             if m.group(g)]
    turns = Counter(t.casefold() for t, _ in found)
    tags = {t for t, n in turns.items() if n >= _MIN_TURNS}
    generic_tags = {t for t in tags if is_generic(t, generic)}
    if not generic_tags:
        return []
    written = {t.casefold(): t for t, _ in found}
    codes = set(generic_tags)
    for t in tags - generic_tags:
        if len(t) > _MAX_CODE:
            continue
        if not _names_speaker(written[t], given_name) or _shortens_post(written[t], text, posts) \
                or is_word is not None and _spells_post(written[t], text, posts, is_word,
                                                        given_name):
            codes.add(t)
    return [span for t, span in found if t.casefold() in codes]


def _names_speaker(tag: str, given_name: Callable[[str], bool]) -> bool:
    """A tag that is a person's: initials ("MK", "JLR"), a capitalised word ("Rob", "Jo") or
    a given name ("dawn"); never a numbered code ("E1", "P2": initials have no digits)."""
    if any(c.isdigit() for c in tag):
        return False
    if tag.isupper() and 2 <= len(tag) <= 3 or tag[:1].isupper() and not tag.isupper():
        return True  # "MK", and "Rob" as a cased name (codes are lower case or capitals)
    low = tag.casefold()
    return len(low) >= 3 and _VOWELS.search(low) is not None and given_name(low)


def _shortens_post(tag: str, text: str, posts: Collection[str]) -> bool:
    """'nur' beside "i'm the lead nurse": a lower-case tag of three letters or more that
    begins a post word said in the same text (its first letters, not scattered ones)."""
    if not (tag.islower() and tag.isalpha() and len(tag) >= 3):
        return False
    rx = re.compile(r"\b" + re.escape(tag) + r"\w+", re.IGNORECASE)
    return any(m.group().casefold() in posts for m in rx.finditer(text))


def _spells_post(tag: str, text: str, posts: Collection[str], is_word: Callable[[str], bool],
                 given_name: Callable[[str], bool]) -> bool:
    """Capital initials that are the first letters of a post said in the text ("PHN" and
    "public health nurse"): the words all known words, none a given name, the last a post."""
    if not (tag.isupper() and 2 <= len(tag) <= 3 and tag.isalpha()):
        return False
    rx = re.compile(r"\b" + r"[\w'’-]*\s+".join(re.escape(c) for c in tag) + r"[\w'’-]*",
                    re.IGNORECASE)
    for m in rx.finditer(text):
        words = m.group().casefold().split()
        if words[-1] in posts and all(is_word(w) and not given_name(w) for w in words):
            return True
    return False
