"""Issue 12 (session 8): dates as people say them in interviews and surveys.

Positives and decoys of our own (none taken from an annotated set), through the real rules-only
Detector. Recall needs every word of a date covered (``covered``); a decoy must carry no DATE
span at all - a count, an age, a time, a dose or a rank is not a date. What the dev set's README
leaves out ("the sixties", "after Christmas", "usually in January") stays out.
"""

from __future__ import annotations

import pytest

from anonyscribe.detect.engine import Detector
from test_detect_generic import covered


def dated(det: Detector, text: str, part: str) -> bool:
    """Does any DATE span overlap ``part``?"""
    start = text.index(part)
    end = start + len(part)
    return any(s.type == "DATE" and s.start < end and start < s.end
               for s in det.detect_text(text))


@pytest.mark.parametrize("text, date", [
    # named days and festivals with a year, in any case
    ("We opened the new unit on Bonfire Night 2017, of all nights.", "Bonfire Night 2017"),
    ("it flooded on st patrick's day twenty eighteen and we lost the files",
     "st patrick's day twenty eighteen"),
    ("The outbreak started around Diwali 2021 on the ward.", "Diwali 2021"),
    ("the walk-out was on armistice day twenty nineteen", "armistice day twenty nineteen"),
    ("She was admitted over Lunar New Year 2023.", "Lunar New Year 2023"),
    ("we had the fire on guy fawkes night twenty sixteen", "guy fawkes night twenty sixteen"),
    # a named day on its own is one day
    ("He collapsed on Boxing Day, in the car park.", "Boxing Day"),
    ("my mum died on new year's eve and nobody rang", "new year's eve"),
    # short years said after "in"
    ("my dad came over from lagos in seventy three and he drove buses", "seventy three"),
    ("The mill shut in, um, eighty four, and that was that.", "eighty four"),
    ("she qualified in oh six so she's senior to me", "oh six"),
    # ordinal days in words that end their phrase
    ("the funeral was the fourteenth so I took the week off", "the fourteenth"),
    ("we moved wards on the twenty second and nobody told the family", "the twenty second"),
    ("the twenty sixth of october twenty twenty", "the twenty sixth of october twenty twenty"),
    ("they rang me october the ninth", "october the ninth"),
    # months pinned to one year
    ("I've been on nights since last November.", "last November"),
    ("i started february and by the summer i was band six", "february"),
    ("we'll hear in the june whether it's funded", "june"),
    ("I applied for the post for April but heard nothing.", "April"),
    ("the audit was february twenty two and we failed it", "february twenty two"),
    # ranges, written forms, weekdays with a date
    ("The inquiry sat from 9th to 13th March 2020 in Leeds.", "9th to 13th March 2020"),
    ("I was off sick from August to November 2019.", "August to November 2019"),
    ("Submitted 2023-11-07 14:02", "2023-11-07"),
    ("The panel is Wednesday 5th February, at ten.", "Wednesday 5th February"),
    ("I was a staff nurse there 2008-13 and then left.", "2008-13"),
    ("He rang me last Friday about the rota.", "last Friday"),
    ("I did my top-up in michaelmas term 2018.", "michaelmas term 2018"),
    ("Chat: on leave since Oct '22, back in the autumn of '23", "Oct '22"),
    ("Chat: on leave since Oct '22, back in the autumn of '23", "autumn of '23"),
    ("Form: qualified 07/2015, revalidated since.", "07/2015"),
    ("i've lived on the estate since seventy nine and it's changed", "seventy nine"),
    ("we got married back in '04 in Kingston", "'04"),
    ("Rota from 14-10-2024, see the board.", "14-10-2024"),
    ("The merger went through in Q2 2019.", "Q2 2019"),
    ("The board meets Thursday 9th, so send it before.", "Thursday 9th"),
    ("I qualified in late 2016 and moved in mid-2018.", "late 2016"),
    ("I qualified in late 2016 and moved in mid-2018.", "mid-2018"),
    ("Palm Sunday 2022 was my first shift back.", "Palm Sunday 2022"),
    ("Rota started 6 Feb '23 for the new starters.", "6 Feb '23"),
    # dates of birth read out, festivals beyond the UK calendar, chat stamps
    ("p: her date of birth is the ninth of the fourth fifty three",
     "the ninth of the fourth fifty three"),
    ("p: his d o b is seven two thirty nine and he lives alone", "seven two thirty nine"),
    ("p: my gran was born sixty one in kumasi", "sixty one"),
    ("p: the second of june seventy seven was her wedding", "the second of june seventy seven"),
    ("p: it was tihar twenty twenty one and everyone was home", "tihar twenty twenty one"),
    ("P: We ran a stall at the Mela 2019 in the park.", "Mela 2019"),
    ("Chat: Wed, 6 Nov at 18:40 - Ama: on my way", "Wed, 6 Nov"),
    ("Form submitted 2024-06-03T10:22:05Z by the ward", "2024-06-03"),
    ("Incident date 07-Aug-2023, reviewed later.", "07-Aug-2023"),
    ("Export row: 2023/11/30 08:15, Ward staff", "2023/11/30"),
    ("Logged 30-11-23 by the night team.", "30-11-23"),
    ("p: on the seventeenth she rang to say he'd gone", "the seventeenth"),
])
def test_spoken_dates_are_found(det: Detector, text: str, date: str) -> None:
    assert covered(det, text, date)


@pytest.mark.parametrize("text, part", [
    ("Give her 40mg twice a day for seven days.", "40mg"),
    ("We had two thousand patients through that winter.", "two thousand"),
    ("about two thousand and twenty people signed it", "two thousand and twenty"),
    ("It was ten past two when the crash bell went.", "ten past two"),
    ("He's sixty eight years old and still working.", "sixty eight"),
    ("She was in her sixties when she retired.", "sixties"),
    ("we worked in the nineties with no computers", "nineties"),
    ("Over 2000 staff answered the survey.", "2000"),
    ("it went up in ninety eight percent of the audits", "ninety eight"),
    ("the fourth floor has the discharge lounge", "fourth"),
    ("that was the nineteenth century way of doing it", "nineteenth"),
    ("she was the first and she wasn't the last", "the first"),
    ("it was a twenty four seven service", "twenty four seven"),
    ("we did forty eight hour shifts in those days", "forty eight"),
    ("we always have a party every Christmas Day", "Christmas Day"),
    ("I usually go home in January.", "January"),
    ("Things calmed down after Christmas.", "Christmas"),
    ("we had an inspection the week after St David's Day", "St David's Day"),
    ("my brother lent 2000 pounds to the church", "lent 2000"),
    ("the other day 2019 came up in a meeting", "the other day"),
    ("it may be fine, the last may not", "may"),
    ("she scored twenty one out of thirty on the test", "twenty one"),
    ("it was a 3-0 win for the home side", "3-0"),
    ("my mum had nine children and i'm the fourth", "the fourth"),
    ("she came the fifth and still got the post", "the fifth"),
    ("We always did the quiz on a Sunday in March.", "March"),
    ("the group meets on the first Monday at the library", "the first"),
    ("the lift was broken so we stayed on the fourth floor", "the fourth"),
    ("the 4th of May twenty two people came to the vigil", "twenty two"),
    ("we've been short since eighty percent of the bank left", "eighty"),
])
def test_date_decoys_are_left(det: Detector, text: str, part: str) -> None:
    assert not dated(det, text, part)
