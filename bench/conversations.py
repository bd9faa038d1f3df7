"""Two-person conversations with known turns, for measuring "who said what" on unseen voices.

Built from real single voices (the four AMI ES2004a headsets in shared/data/speech, each kept
only inside its own speaker's reference turns, so the others' crosstalk is gone) and from
espeak-ng voices of similar pitch. An interviewer asks short questions, the participant gives
long answers; the interviewer's back-channels ("mm-hmm") fall inside answers, some turns start
before the last one ends (overlap). The mix gets mild noise and is encoded as Teams records
(AAC, 48 kHz mono, 64-96 kb/s, .m4a) via PyAV. Each clip gets an .rttm with its true turns.

Parts, never mixed: ``dev`` (espeak voice set A, and interview-shaped clips with lines A;
tune on these) and ``heldout`` (all real-voice pairs, espeak voice set B, interview-shaped clips
with their own voices and lines B, other seeds; measured, never tuned on), then later rounds'
parts in pairs (``heldout2``; ``dev3`` and ``heldout3``: one voice in both roles and near
same-gender pairs from voices no other part uses, held-out lines D; ``dev4``, dev only:
more interview-shaped near pairs and one voice in both roles, lines A; ``dev5`` and
``dev6``, dev only: near male pairs, lines A; ``dev7`` (tune on) and ``heldout4``
(built before any tuning on ``dev7``, measured only): near male and female interview pairs
from voices no other part uses, ``heldout4`` with its own lines E, one real voice answering an
espeak asker, and longer clips with more overlap and back-channels (``STYLES``)). In the
interview-shaped clips the asker only asks and the answerer only answers (``SHAPED_*``); in the
others both voices read lines from both lists.

    python bench/conversations.py [--out DIR]     # writes DIR/<part>/*.m4a + .rttm

The AMI audio is CC BY 4.0 (AMI Meeting Corpus, via pyannote-audio's tutorial assets).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "speech"
CACHE = ROOT / ".cache" / "conversations"
SR = 16000
AMI = "ami_ES2004a_750-810s"
HEADSETS = {"MEO015": 0, "FEE013": 1, "FEE016": 3}  # MEE014 only says "Mm. Yeah."

QUESTIONS = [
    "Could you tell me a little about your work?",
    "How long have you been doing that?",
    "What does a normal day look like?",
    "And how did that make you feel?",
    "Can you give me an example?",
    "What would you change, if you could?",
    "Who do you turn to when things get difficult?",
    "Did anything surprise you about it?",
    "How do the other staff see it?",
    "Is there anything else you would like to add?",
    "What happened after that?",
    "Why do you think that was?",
]
ANSWERS = [
    "Well, I started on the ward about six years ago, straight after my training.",
    "Most mornings begin with the handover, and then it is medication rounds until lunch.",
    "To be honest it was hard at first, because nobody really explained the new system.",
    "We had one patient last winter who waited nearly four hours for a bed.",
    "I think the paperwork has doubled since I began, and the staffing has not.",
    "My manager is good, but she is stretched across three different teams.",
    "I would give the night staff more support, they carry a lot on their own.",
    "It surprised me how quickly the families adapted once things were explained.",
    "Some colleagues are very positive about it, others are tired of the changes.",
    "After that we set up a weekly meeting, which helped a great deal actually.",
    "Probably because there was no time set aside for training at all.",
    "I suppose the main thing is that people want to be listened to.",
    "We tried a new rota in the spring, and it made the weekends much calmer.",
    "There is a lot of goodwill, but goodwill only goes so far in the end.",
]
BACKCHANNELS = ["mm hmm", "yeah", "right", "okay", "I see"]
# For the interview-shaped clips (``SHAPED_*``): the asker only asks and the answerer only
# answers, as in a real interview (above, both voices read lines from both lists, so the
# words say nothing about who speaks). The held-out clips use their own lines (set B), so
# no cue is tuned on the sentences it is measured on.
QUESTIONS_B = [
    "So where did you grow up?",
    "Would you say the service has improved over the years?",
    "Tell me about the first week in the new job.",
    "Which part of the day do you find the hardest?",
    "Have you ever thought about leaving?",
    "When did you first notice the problem?",
    "Are there things the managers could do better?",
    "How would you describe the atmosphere on a busy shift?",
    "Do you remember what you said to her?",
    "What kept you going through that time?",
]
ANSWERS_B = [
    "I grew up on the coast, in a small town where everybody knew your business.",
    "In some ways yes, the equipment is better, but there are fewer hands on the floor.",
    "The first week was a blur, I barely remember anything except the long corridors.",
    "Early afternoon, when the visitors arrive and the phones never stop ringing.",
    "Once or twice, usually in February, when everything feels grey and endless.",
    "It was a Tuesday, I think, one of the porters mentioned it in passing.",
    "They could spend an hour on the ward now and then, just to see what it is like.",
    "Loud, a bit chaotic, but people look after each other when it matters.",
    "I told her we would sort it out together, and in the end we did.",
    "My sister, mostly, and the thought that the next day might be easier.",
    "We started a small garden behind the clinic, which the patients loved.",
]

# (voice, pitch, speed): pairs of similar pitch; set A for dev, set B held out.
ESPEAK_DEV = {
    "espeak_mm_a": (("en-gb+m3", 45, 155), ("en-us+m2", 40, 150)),
    "espeak_ff_a": (("en-us+f2", 55, 150), ("en-gb+f3", 60, 155)),
    "espeak_mf_a": (("en-gb-x-rp+m1", 50, 150), ("en-us+f4", 55, 150)),
    # the hardest: one voice variant, two accents, pitch a few steps apart
    "espeak_near_m_a": (("en-gb+m3", 45, 150), ("en-us+m3", 53, 160)),
    "espeak_near_f_a": (("en-us+f2", 60, 150), ("en-gb+f2", 68, 145)),
    # added after the first held-out run failed on a near male pair (espeak_near_m_b):
    # more near male pairs to find out why, on dev only
    "espeak_near_m_c": (("en-gb+m6", 42, 150), ("en-us+m6", 52, 155)),
    "espeak_near_m_d": (("en-029+m7", 45, 150), ("en-gb-scotland+m7", 55, 150)),
    "espeak_near_m_e": (("en-us+m1", 38, 150), ("en-gb-x-rp+m1", 48, 150)),
    # added in the second round (the held-out near male pair still failed): more pairs of
    # one variant or two neighbouring variants, pitch a few steps apart; none uses m5/f1/f5
    "espeak_near_m_f": (("en-gb+m3", 45, 150), ("en-gb+m4", 50, 150)),
    "espeak_near_m_g": (("en-us+m7", 42, 150), ("en-gb+m7", 50, 155)),
    "espeak_near_m_h": (("en-gb-x-rp+m2", 40, 150), ("en-us+m2", 47, 150)),
    "espeak_near_m_i": (("en-us+m1", 44, 155), ("en-us+m1", 52, 145)),
    "espeak_near_f_c": (("en-us+f3", 58, 150), ("en-gb+f3", 64, 150)),
    # third round: one voice in both roles (must stay one voice: no split by content or
    # intonation), to set how far apart two voices' cues must be before a split is believed
    "espeak_one_m_a": (("en-gb+m3", 45, 155), ("en-gb+m3", 45, 155)),
    "espeak_one_m_b": (("en-us+m1", 44, 150), ("en-us+m1", 44, 150)),
    "espeak_one_f_a": (("en-us+f2", 60, 150), ("en-us+f2", 60, 150)),
}
ESPEAK_HELDOUT = {
    "espeak_mm_b": (("en-gb-scotland+m4", 45, 150), ("en-029+m5", 50, 155)),
    "espeak_ff_b": (("en-us+f1", 60, 150), ("en-gb-x-gbclan+f5", 55, 145)),
    "espeak_mf_b": (("en-us-nyc+m6", 40, 150), ("en-gb+f2", 50, 150)),
    "espeak_near_m_b": (("en-us+m5", 40, 155), ("en-gb-x-rp+m5", 50, 145)),
    "espeak_near_f_b": (("en-gb+f4", 55, 150), ("en-us+f4", 63, 160)),
}
# Interview-shaped (asker asks, answerer answers): near pairs whose voices the prints cannot
# tell apart, one voice in both roles (must not be split by what is said), a distinct pair.
SHAPED_DEV = {
    "espeak_iv_near_m_f": (("en-gb+m3", 45, 150), ("en-gb+m4", 50, 150)),
    "espeak_iv_near_m_h": (("en-gb-x-rp+m2", 40, 150), ("en-us+m2", 47, 150)),
    "espeak_iv_near_m_i": (("en-us+m1", 44, 155), ("en-us+m1", 52, 145)),
    "espeak_iv_one_m_a": (("en-gb+m3", 45, 155), ("en-gb+m3", 45, 155)),
    "espeak_iv_mm_a": (("en-gb+m3", 45, 155), ("en-us+m2", 40, 150)),
}
SHAPED_HELDOUT = {
    "espeak_iv_near_m_j": (("en-gb-scotland+m2", 42, 150), ("en-gb+m2", 48, 150)),
    "espeak_iv_near_m_k": (("en-us+m4", 45, 150), ("en-us+m4", 52, 155)),
    "espeak_iv_near_f_d": (("en-gb+f1", 58, 150), ("en-us+f1", 64, 150)),
    "espeak_iv_one_m_c": (("en-gb+m5", 46, 150), ("en-gb+m5", 46, 150)),
    "espeak_iv_mf_c": (("en-gb+m1", 45, 150), ("en-us+f3", 60, 150)),
}
# A second held-out part, built after the first held-out run of the words cue (issue 15)
# showed two false splits: fresh voices, fresh lines (C), fresh seeds; measured once.
QUESTIONS_C = [
    "How did you first hear about the clinic?",
    "What do you remember about your first appointment?",
    "Could you describe a typical morning at home?",
    "Who else in the family helps out?",
    "Was there a moment when things started to improve?",
    "Why did you decide to stop the treatment?",
    "Do you feel the staff listened to you?",
    "What would you tell someone in the same position?",
    "Have the side effects changed over time?",
    "Where do you go when you need a break?",
]
ANSWERS_C = [
    "A friend from church mentioned it, she had been going for about a year.",
    "Mostly the waiting room, it was cold and the chairs were far too low.",
    "I get up early, feed the dog, and then it takes an hour to get going.",
    "My son comes on Sundays, and my neighbour does the shopping on Thursdays.",
    "Around the spring, when the new tablets finally started to work.",
    "The tiredness was too much, I could not even read a newspaper.",
    "Some of them did, the younger doctor especially, she always sat down.",
    "Ask questions, write them down before you go, or you forget them all.",
    "They come and go, the headaches are better but my hands still shake.",
    "Down to the allotment, there is a bench there where nobody bothers me.",
    "It took a long time before anyone explained what the results meant.",
]
SHAPED_HELDOUT2 = {
    "espeak_iv_near_m_l": (("en-us+m2", 43, 150), ("en-gb+m1", 48, 150)),
    "espeak_iv_near_m_n": (("en-gb-scotland+m3", 44, 150), ("en-gb+m3", 51, 155)),
    "espeak_iv_near_f_e": (("en-gb+f3", 57, 150), ("en-gb+f4", 62, 150)),
    "espeak_iv_one_m_d": (("en-us+m6", 47, 150), ("en-us+m6", 47, 150)),
    "espeak_iv_mf_d": (("en-us+m4", 42, 150), ("en-gb+f4", 60, 150)),
}
ESPEAK_HELDOUT2 = {  # not interview-shaped: the words must not undo a working voice split
    "espeak_near_m_o": (("en-gb-x-rp+m4", 44, 150), ("en-us+m4", 50, 150)),
}
# Third round (issue 15, session 7): one voice in both roles and near same-gender pairs,
# built from voices no earlier part uses. Note: espeak-ng 1.51 ignores a variant after plain
# "en-gb" ("en-gb+f3" is the default male voice at that pitch; "en+f3", "en-us+f3",
# "en-gb-x-rp+f3" work), so several pairs above named as female or as two variants are one
# voice at two pitches (e.g. espeak_iv_near_f_e, espeak_near_m_f). The parts below use
# only names that change the voice, and say which pairs are one voice at two pitches.
# ``dev3`` is tuned on; ``heldout3`` was written before any tuning and is measured only.
SHAPED_DEV3 = {
    "espeak_iv_one_m_g": (("en-us+Andy", 45, 150), ("en-us+Andy", 45, 150)),
    "espeak_iv_one_f_b": (("en-us+Annie", 58, 150), ("en-us+Annie", 58, 150)),
    "espeak_iv_one_f_c": (("en-gb-x-rp+f2", 60, 150), ("en-gb-x-rp+f2", 60, 150)),
    "espeak_iv_near_f_f": (("en-us+linda", 58, 150), ("en-us+belinda", 62, 150)),
    "espeak_iv_pitch_f_a": (("en+f3", 57, 150), ("en+f3", 62, 150)),  # one voice, 2 pitches
    "espeak_iv_pitch_m_a": (("en-us+m3", 45, 150), ("en-us+m3", 50, 150)),
}
ESPEAK_DEV3 = {  # not interview-shaped
    "espeak_one_m_g": (("en-gb-x-gbcwmd+m2", 45, 150), ("en-gb-x-gbcwmd+m2", 45, 150)),
    "espeak_near_f_g": (("en+f4", 58, 150), ("en-us+f4", 62, 150)),
}
REAL_DEV3 = {  # one real voice in both roles
    "real_one_MEO015": ("MEO015", "MEO015"),
    "real_one_FEE013": ("FEE013", "FEE013"),
}
QUESTIONS_D = [
    "When did you start working nights?",
    "What was the hardest part of moving house?",
    "Could you walk me through what happened that evening?",
    "Who was the first person you called?",
    "How do you usually spend your weekends now?",
    "Did the new manager change much on the team?",
    "Why was the appointment cancelled?",
    "What did your family think about it?",
    "Is there a moment you would do differently?",
    "How long did the whole process take?",
]
ANSWERS_D = [
    "About three years ago, after the second baby was born and money got tight.",
    "Packing, definitely, we found boxes from the last move that we never opened.",
    "We had just sat down to eat when the alarm went off in the flat upstairs.",
    "My brother, because he lives ten minutes away and always answers his phone.",
    "Gardening mostly, and long walks along the canal if the weather holds.",
    "Not at first, but after a few months the meetings became much shorter.",
    "Nobody told us why, we just got a letter saying it had been moved again.",
    "My mother was worried, but my father said it was about time I did it.",
    "I would have asked for help sooner instead of trying to manage it alone.",
    "Nearly eight months from the first form to the final decision in the post.",
    "The library became a sort of second home during that winter.",
]
SHAPED_HELDOUT3 = {
    "espeak_iv_one_m_h": (("en-gb-x-rp+Mike", 46, 150), ("en-gb-x-rp+Mike", 46, 150)),
    "espeak_iv_one_f_d": (("en-us+Alicia", 60, 150), ("en-us+Alicia", 60, 150)),
    "espeak_iv_near_f_h": (("en-us+Andrea", 58, 150), ("en-gb-x-rp+steph", 63, 150)),
    "espeak_iv_pitch_f_b": (("en-gb-scotland+f4", 57, 150), ("en-gb-scotland+f4", 62, 150)),
    "espeak_iv_near_m_p": (("en-us+Michael", 44, 150), ("en-029+Andy", 50, 150)),
    "espeak_iv_mf_e": (("en-gb-x-gbclan+m6", 45, 150), ("en-us+f5", 60, 150)),
}
ESPEAK_HELDOUT3 = {
    "espeak_one_m_q": (("en-029+m2", 44, 150), ("en-029+m2", 44, 150)),
}
REAL_HELDOUT3 = {
    "real_one_FEE016": ("FEE016", "FEE016"),
}
# Fourth round (issue 15, session 10), dev only: more interview-shaped near pairs, one voice
# at two pitches and one voice in both roles, from voices no other part uses (lines A), to
# weigh the sentences' pitch beside their prints when the words' split is judged.
# (Variant names are file names: "en-us+paul", not the listed "Paul", which espeak-ng ignores.)
SHAPED_DEV4 = {
    "espeak_iv_pitch_m_b": (("en-us+paul", 44, 150), ("en-us+paul", 50, 150)),
    "espeak_iv_near_m_q": (("en-us+edward", 45, 150), ("en-gb-x-rp+edward", 50, 150)),
    "espeak_iv_near_m_r": (("en-us+john", 44, 150), ("en-us+Lee", 49, 150)),
    "espeak_iv_near_f_i": (("en-us+shelby", 58, 150), ("en-gb-x-rp+shelby", 63, 150)),
    "espeak_iv_pitch_f_c": (("en-us+steph2", 58, 150), ("en-us+steph2", 64, 150)),
    "espeak_iv_one_m_i": (("en-us+rob", 45, 150), ("en-us+rob", 45, 150)),
    "espeak_iv_one_f_e": (("en-gb-x-rp+anika", 60, 150), ("en-gb-x-rp+anika", 60, 150)),
}
# Fifth round (issue 15, session 11), dev only: near *male* pairs, the kind still failing
# held-out, from voices no other part uses (lines A): one variant at two pitches, one
# variant in two accents, two neighbouring variants, one voice in both roles (must stay
# one), and a real voice against itself made a little higher (``real_voice``'s ``shift``:
# resampled, so its timbre moves with its pitch, as a second, smaller speaker's would).
SHAPED_DEV5 = {
    "espeak_iv_near_m_s": (("en-us+david", 44, 150), ("en-us+david", 51, 150)),
    "espeak_iv_near_m_t": (("en-gb-x-rp+m8", 43, 150), ("en-us+m8", 49, 150)),
    "espeak_iv_near_m_u": (("en-us+adam", 45, 150), ("en-us+benjamin", 50, 150)),
    "espeak_iv_near_m_v": (("en-gb-x-rp+travis", 44, 150), ("en-us+travis", 48, 150)),
    "espeak_iv_near_m_w": (("en-us+norbert", 42, 150), ("en-us+norbert", 47, 150)),
    "espeak_iv_near_m_x": (("en-us+iven", 45, 150), ("en-us+iven2", 48, 150)),
    "espeak_iv_one_m_j": (("en-us+victor", 45, 150), ("en-us+victor", 45, 150)),
}
REAL_DEV5 = {  # one real voice's utterances shared out, one half 1.5 semitones higher
    "real_near_MEO015": ("MEO015/0", "MEO015/1+150"),
}
# Sixth round (issue 15, session 12), dev only: interview-shaped near male pairs from
# voices no other part uses (lines A), to tune the diarizer's own split of such pairs (its
# stretch-level candidates) rather than the words' rescue: two neighbouring variants, one
# variant in two accents, one variant at two pitches, and one voice in both roles.
SHAPED_DEV6 = {
    "espeak_iv_near_m_y": (("en-us+Gene", 44, 150), ("en-us+Gene2", 49, 150)),
    "espeak_iv_near_m_z": (("en-us+robert", 45, 150), ("en-gb-x-rp+robert", 50, 150)),
    "espeak_iv_near_m_aa": (("en-us+caleb", 44, 150), ("en-us+caleb", 50, 150)),
    "espeak_iv_near_m_ab": (("en-us+iven3", 45, 150), ("en-us+iven4", 48, 150)),
    "espeak_iv_near_m_ac": (("en-us+max", 43, 150), ("en-us+quincy", 48, 150)),
    "espeak_iv_one_m_k": (("en-us+ed", 45, 150), ("en-us+ed", 45, 150)),
}
# Seventh round (issue 15, session 14): near male interview pairs still fail held-out (one
# clip as one speaker, one at 35 % DER), and one female pair. ``dev7`` (tune on, lines A) and
# ``heldout4`` (measured only, lines E), both from variants no other part uses, and the
# heldout4 variants none in dev7 either. Females are scarce among the variants: dev7's second
# female pair is f2 (elsewhere only in dev parts: "en-gb+f2" is not f2) under two accents and
# pitches no part uses.
# Among the males, Diogo/michel and Henrique/Hugo share their formants (only the tone and the
# pitch range differ): the nearest pairs espeak-ng has. Pitch, median F0 of one sentence:
# Diogo 44 / michel 49 101 / 106 Hz, steph3 185 / 199 Hz, Henrique 44 / Hugo 49 107 / 111 Hz,
# aunty 187 / 202 Hz, grandma 193 / 200 Hz; FEE016 (real) 180 Hz.
SHAPED_DEV7 = {
    "espeak_iv_near_m_ad": (("en-us+Diogo", 44, 150), ("en-us+michel", 49, 150)),
    "espeak_iv_near_m_ae": (("en-us+antonio", 45, 150), ("en-us+pedro", 50, 150)),
    "espeak_iv_near_m_af": (("en-us+gustave", 43, 150), ("en-us+Mario", 48, 150)),
    "espeak_iv_near_m_ag": (("en-us+grandpa", 44, 150), ("en-gb-x-rp+grandpa", 50, 150)),
    "espeak_iv_near_m_ah": (("en-us+Denis", 45, 150), ("en-us+Denis", 51, 150)),
    "espeak_iv_near_f_j": (("en-us+steph3", 50, 150), ("en-gb-x-rp+steph3", 56, 150)),
    "espeak_iv_near_f_k": (("en-us-nyc+f2", 56, 150), ("en-029+f2", 61, 150)),
    "espeak_iv_one_m_l": (("en-us+boris", 46, 150), ("en-us+boris", 46, 150)),
}
SHAPED_HELDOUT4 = {
    "espeak_iv_near_m_ai": (("en-us+Henrique", 44, 150), ("en-us+Hugo", 49, 150)),
    "espeak_iv_near_m_aj": (("en-us+miguel", 45, 150), ("en-gb-x-rp+miguel", 50, 150)),
    "espeak_iv_near_m_ak": (("en-us+sandro", 44, 150), ("en-us+marcelo", 48, 150)),
    "espeak_iv_near_m_al": (("en-us+kaukovalta", 45, 150), ("en-us+kaukovalta", 51, 150)),
    "espeak_iv_near_f_l": (("en-us+aunty", 55, 150), ("en-gb-x-rp+aunty", 60, 150)),
    "espeak_iv_near_f_m": (("en-us+grandma", 40, 150), ("en-gb-scotland+grandma", 46, 150)),
    "espeak_iv_mf_f": (("en-us-nyc+Alex", 45, 150), ("en-us+anikaRobot", 25, 150)),
}
REAL_HELDOUT4 = {  # an espeak asker (lines E's questions), a real voice answering (its own talk)
    "mixed_iv_ff_FEE016": (("en-gb-x-gbclan+aunty", 50, 150), "FEE016"),
}
QUESTIONS_E = [
    "How easy was it to get an appointment with your GP?",
    "Who first suggested the referral to the specialist?",
    "What was the waiting time like before you were seen?",
    "How were you told about the plan for going home?",
    "Did anyone check your medication after you came home?",
    "How did you find the video consultations?",
    "Were you ever asked for feedback about the service?",
    "What support did your carer get from the team?",
    "How often did you see the same nurse twice?",
    "If you ran the service, what would you do first?",
]
ANSWERS_E = [
    "It took three weeks of phoning at eight in the morning before I got through.",
    "The practice nurse noticed my blood pressure and wrote to the hospital herself.",
    "Almost five months, and nobody rang to say where I was on the list.",
    "A leaflet was left on the bed, and the pharmacist went through it at the door.",
    "Not for ages, the district nurse only spotted the double dose in the autumn.",
    "Handy for short things, but the picture froze whenever the doctor examined me.",
    "Once, a text message with a survey, but it never asked about the waiting.",
    "My wife was given a number to call, though nobody answered at the weekends.",
    "Hardly ever, a different face nearly every visit, so I kept repeating my story.",
    "I would hire more receptionists, because the front desk is where it all starts.",
    "The community team were brilliant once we finally found out they existed.",
]
REAL_HELDOUT = {
    "real_ff_FEE013_FEE016": ("FEE013", "FEE016"),
    "real_mf_MEO015_FEE013": ("MEO015", "FEE013"),
    "real_fm_FEE016_MEO015": ("FEE016", "MEO015"),
}


@dataclass
class Voice:
    """A speaker's material: question/answer utterances and back-channels (16 kHz float32)."""

    name: str
    long: list[np.ndarray]
    short: list[np.ndarray]
    asks: list[np.ndarray] | None = None  # questions only (interview-shaped clips)
    tells: list[np.ndarray] | None = None  # answers only


def trim(a: np.ndarray, floor_db: float = -40.0) -> np.ndarray:
    """``a`` without leading/trailing sound quieter than ``floor_db`` below its peak."""
    frame = 160
    n = len(a) // frame
    if n == 0:
        return a
    rms = np.sqrt(np.mean(a[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(20 * np.log10(rms / (rms.max() + 1e-12)) > floor_db)
    if len(loud) == 0:
        return a[:0]
    return a[loud[0] * frame: (loud[-1] + 1) * frame]


def split_at_pauses(a: np.ndarray, min_pause_s: float = 0.25,
                    floor_db: float = -35.0) -> list[np.ndarray]:
    """Utterances of ``a`` separated by pauses (quiet 10 ms frames) of at least
    ``min_pause_s``."""
    frame = 160
    n = len(a) // frame
    rms = np.sqrt(np.mean(a[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = 20 * np.log10(rms / (rms.max() + 1e-12)) > floor_db
    out, start, quiet = [], None, 0
    for i, on in enumerate(loud):
        if on:
            if start is None:
                start = i
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet * 0.01 >= min_pause_s:
                out.append(a[start * frame: (i - quiet + 1) * frame])
                start, quiet = None, 0
    if start is not None:
        out.append(a[start * frame:])
    return [u for u in out if len(u) >= 0.2 * SR]


def real_voice(speaker: str) -> Voice:
    """A real AMI voice from its own headset, silenced outside its reference turns.
    ``"MEO015/1+150"``: every other utterance from the second (``/0``: the first), raised by
    150 cents by resampling (pitch and timbre move together, the pace quickens)."""
    from anonyscribe.media import decode
    from anonyscribe.speakers.der import read_rttm

    if "/" in speaker:
        name, rest = speaker.split("/")
        half, _, cents = rest.partition("+")
        whole = real_voice(name)
        factor = 2 ** (int(cents or 0) / 1200)

        def shift(u: np.ndarray) -> np.ndarray:
            at = np.arange(0, len(u) - 1, factor)
            return np.interp(at, np.arange(len(u)), u).astype(np.float32)

        pick = int(half)
        return Voice(speaker, [shift(u) for u in whole.long[pick::2]],
                     [shift(u) for u in whole.short])
    audio = decode(SHARED / f"{AMI}_headset{HEADSETS[speaker]}_{speaker}.wav")
    keep = np.zeros(len(audio), dtype=bool)
    for t in read_rttm(SHARED / f"{AMI}.rttm"):
        if t.speaker == speaker:
            keep[int(t.start * SR): int(t.end * SR)] = True
    utts = split_at_pauses(np.where(keep, audio, 0.0).astype(np.float32))
    long_ = [u for u in utts if len(u) >= 0.9 * SR]
    short = [u for u in utts if len(u) < 0.9 * SR] or [u[: int(0.6 * SR)] for u in long_[:3]]
    peak = max(float(np.abs(u).max()) for u in utts)
    return Voice(speaker, [u / peak * 0.7 for u in long_], [u / peak * 0.7 for u in short])


def espeak_voice(tmp: Path, name: str, voice: str, pitch: int, speed: int,
                 lines: tuple[list[str], list[str]] | None = None) -> Voice:
    from anonyscribe.media import decode

    def say(text: str, i: int) -> np.ndarray:
        wav = tmp / f"{name}_{i}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w",
                        str(wav), text], check=True, capture_output=True)
        a = trim(decode(wav))
        return a / (np.abs(a).max() + 1e-9) * 0.6

    short = [say(t, 100 + i) for i, t in enumerate(BACKCHANNELS)]
    if lines is not None:  # interview-shaped: questions and answers kept apart
        asks = [say(t, 200 + i) for i, t in enumerate(lines[0])]
        tells = [say(t, 300 + i) for i, t in enumerate(lines[1])]
        return Voice(name, asks + tells, short, asks, tells)
    long_ = [say(t, i) for i, t in enumerate(QUESTIONS + ANSWERS)]
    return Voice(name, long_, short)


@dataclass(frozen=True)
class Style:
    """How a part's clips are drawn: length (minutes, drawn in this range) and how often an
    answer holds a back-channel and a turn's gap is drawn from the overlapping range. The
    defaults are the earlier parts' (a change keeps the number of draws, so a part with the
    defaults is rebuilt byte for byte)."""

    minutes: tuple[float, float] = (1.2, 2.0)
    backchannel_p: float = 0.6
    overlap_p: float = 0.3


STYLES = {"heldout4": Style(minutes=(1.5, 3.0), backchannel_p=0.85, overlap_p=0.5)}


def converse(a: Voice, b: Voice, rng: np.random.Generator, minutes: float = 1.5,
             backchannel_p: float = 0.6, overlap_p: float = 0.3,
             ) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """An interview: ``a`` asks (1-2 utterances), ``b`` answers (2-4 utterances, short
    pauses), ``a`` sometimes (``backchannel_p``) says "mm-hmm" inside an answer, a turn
    sometimes starts before the last ends (its gap drawn with ``overlap_p`` from a range 4/10
    of which is negative). A voice with its own
    questions (answers) asks (answers) only with them, one without (a real voice) with all
    its utterances. Returns the mix and the true turns (start, end, speaker)."""
    total = int(minutes * 60 * SR)
    tracks = {a.name: np.zeros(total + 20 * SR, np.float32),
              b.name: np.zeros(total + 20 * SR, np.float32)}
    turns: list[tuple[float, float, str]] = []
    t = int(0.5 * SR)

    def place(v: Voice, u: np.ndarray, at: int) -> int:
        tracks[v.name][at: at + len(u)] += u
        turns.append((at / SR, (at + len(u)) / SR, v.name))
        return at + len(u)

    asker, answerer = a, b
    k = 0
    while t < total:
        who, n_utt = (asker, rng.integers(1, 3)) if k % 2 == 0 else (answerer, rng.integers(2, 5))
        start_turn = t
        role_lines = asker.asks if k % 2 == 0 else answerer.tells  # one voice may be both
        lines = who.long if role_lines is None else role_lines  # None: not interview-shaped
        for _ in range(n_utt):
            u = lines[rng.integers(len(lines))]
            t = place(who, u, t) + int(rng.uniform(0.15, 0.5) * SR)
        if who is answerer and rng.random() < backchannel_p:  # a back-channel inside the answer
            bc = asker.short[rng.integers(len(asker.short))]
            at = int(rng.uniform(start_turn + 0.5 * SR, max(start_turn + 0.6 * SR, t - SR)))
            place(asker, bc, at)
        gap = rng.uniform(-0.5, 0.8) if rng.random() < overlap_p else rng.uniform(0.2, 0.9)
        t = max(start_turn + SR, t + int(gap * SR))  # negative gap: next turn overlaps
        k += 1
    end = max(int(e * SR) for _, e, _ in turns) + int(0.5 * SR)
    gains = {a.name: 10 ** (rng.uniform(-3, 0) / 20), b.name: 10 ** (rng.uniform(-3, 0) / 20)}
    mix = sum(tracks[n][:end] * g for n, g in gains.items())
    return mix.astype(np.float32), sorted(turns)


def add_noise(x: np.ndarray, rng: np.random.Generator, snr_db: float) -> np.ndarray:
    """Mild room noise: low-passed (brownish) plus white noise at ``snr_db`` below speech."""
    white = rng.standard_normal(len(x)).astype(np.float32)
    brown = np.cumsum(white)
    brown -= np.convolve(brown, np.ones(400) / 400, mode="same")
    noise = brown / (brown.std() + 1e-9) + 0.3 * white
    speech_rms = np.sqrt(np.mean(x[np.abs(x) > 0.01] ** 2)) if np.any(np.abs(x) > 0.01) else 0.1
    noise *= speech_rms / 10 ** (snr_db / 20) / (noise.std() + 1e-9)
    return np.clip(x + noise, -1, 1).astype(np.float32)


def encode_aac(x: np.ndarray, path: Path, bitrate: int) -> None:
    """48 kHz mono AAC in an .m4a, as a Teams/Stream download holds it. PyAV refuses to mux
    some lengths (the encoder's last 1024-sample frame nearly empty: "Invalid argument"), so
    such a mix gets 10 ms of silence at its end (its turns are unchanged)."""
    import av

    try:
        _encode_aac(x, path, bitrate)
    except av.error.ArgumentError:
        _encode_aac(np.concatenate([x, np.zeros(SR // 100, np.float32)]), path, bitrate)


def _encode_aac(x: np.ndarray, path: Path, bitrate: int) -> None:
    import av

    tmp = path.with_name(path.name + ".part")
    with av.open(str(tmp), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=48000)
        stream.layout = "mono"
        stream.bit_rate = bitrate
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=48000)
        frame = av.AudioFrame.from_ndarray(x[None, :].astype(np.float32), format="fltp",
                                           layout="mono")
        frame.sample_rate = SR
        for f in resampler.resample(frame) + resampler.resample(None):
            for p in stream.encode(f):
                out.mux(p)
        for p in stream.encode(None):
            out.mux(p)
    tmp.replace(path)


def write_rttm(path: Path, turns: list[tuple[float, float, str]]) -> None:
    lines = [f"SPEAKER {path.stem} 1 {a:.3f} {b - a:.3f} <NA> <NA> {s} <NA> <NA>"
             for a, b, s in turns]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


PARTS = ("dev", "heldout", "heldout2", "dev3", "heldout3", "dev4", "dev5", "dev6", "dev7",
         "heldout4")


def build(out: Path, only: Collection[str] | None = None) -> dict[str, list[Path]]:
    """Write the parts (all, or those in ``only``) under ``out``, each clip skipped when
    already there; the clip paths per part."""
    parts: dict[str, list[Path]] = {p: [] for p in PARTS if only is None or p in only}
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        cache: dict[str, Voice] = {}

        def voice(spec: str | tuple[str, int, int], lines: str = "") -> Voice:
            key = spec if isinstance(spec, str) else f"{spec[0]}_p{spec[1]}"
            key += lines
            if key not in cache:
                texts = {"A": (QUESTIONS, ANSWERS), "B": (QUESTIONS_B, ANSWERS_B),
                         "C": (QUESTIONS_C, ANSWERS_C), "D": (QUESTIONS_D, ANSWERS_D),
                         "E": (QUESTIONS_E, ANSWERS_E)}.get(lines)
                cache[key] = (real_voice(spec) if isinstance(spec, str)
                              else espeak_voice(tmp, key.replace("+", "_"), *spec, texts))
            return cache[key]

        plan: list[tuple[str, str, tuple, int, str]] = []
        for i, (name, pair) in enumerate(ESPEAK_DEV.items()):
            plan.append(("dev", name, pair, 100 + i, ""))
        for i, (name, pair) in enumerate({**REAL_HELDOUT, **ESPEAK_HELDOUT}.items()):
            plan.append(("heldout", name, pair, 200 + i, ""))
        for i, (name, pair) in enumerate(SHAPED_DEV.items()):
            plan.append(("dev", name, pair, 300 + i, "A"))
        for i, (name, pair) in enumerate(SHAPED_HELDOUT.items()):
            plan.append(("heldout", name, pair, 400 + i, "B"))
        for i, (name, pair) in enumerate(SHAPED_HELDOUT2.items()):
            plan.append(("heldout2", name, pair, 500 + i, "C"))
        for i, (name, pair) in enumerate(ESPEAK_HELDOUT2.items()):
            plan.append(("heldout2", name, pair, 600 + i, ""))
        for i, (name, pair) in enumerate(SHAPED_DEV3.items()):
            plan.append(("dev3", name, pair, 700 + i, "A"))
        for i, (name, pair) in enumerate({**ESPEAK_DEV3, **REAL_DEV3}.items()):
            plan.append(("dev3", name, pair, 720 + i, ""))
        for i, (name, pair) in enumerate(SHAPED_HELDOUT3.items()):
            plan.append(("heldout3", name, pair, 800 + i, "D"))
        for i, (name, pair) in enumerate({**ESPEAK_HELDOUT3, **REAL_HELDOUT3}.items()):
            plan.append(("heldout3", name, pair, 820 + i, ""))
        for i, (name, pair) in enumerate(SHAPED_DEV4.items()):
            plan.append(("dev4", name, pair, 900 + i, "A"))
        for i, (name, pair) in enumerate(SHAPED_DEV5.items()):
            plan.append(("dev5", name, pair, 1000 + i, "A"))
        for i, (name, pair) in enumerate(REAL_DEV5.items()):
            plan.append(("dev5", name, pair, 1020 + i, ""))
        for i, (name, pair) in enumerate(SHAPED_DEV6.items()):
            plan.append(("dev6", name, pair, 1100 + i, "A"))
        for i, (name, pair) in enumerate(SHAPED_DEV7.items()):
            plan.append(("dev7", name, pair, 1200 + i, "A"))
        for i, (name, pair) in enumerate(SHAPED_HELDOUT4.items()):
            plan.append(("heldout4", name, pair, 1300 + i, "E"))
        for i, (name, pair) in enumerate(REAL_HELDOUT4.items()):
            plan.append(("heldout4", name, pair, 1320 + i, "E"))
        for part, name, pair, seed, lines in plan:
            if part not in parts:
                continue
            folder = out / part
            folder.mkdir(parents=True, exist_ok=True)
            clip = folder / f"{name}.m4a"
            parts[part].append(clip)
            if clip.exists() and clip.with_suffix(".rttm").exists():
                continue
            rng = np.random.default_rng(seed)
            a, b = voice(pair[0], lines), voice(pair[1], lines)
            style = STYLES.get(part, Style())
            mix, turns = converse(a, b, rng, minutes=rng.uniform(*style.minutes),
                                  backchannel_p=style.backchannel_p, overlap_p=style.overlap_p)
            mix = add_noise(mix, rng, snr_db=rng.uniform(20, 30))
            encode_aac(mix, clip, int(rng.choice([64000, 80000, 96000])))
            write_rttm(clip.with_suffix(".rttm"), turns)
    return parts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=CACHE)
    ap.add_argument("--parts", nargs="*", choices=PARTS, help="only these parts (default: all)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "desktop"))
    if not SHARED.is_dir():
        print(f"shared speech data not found at {SHARED}")
        return 1
    for part, clips in build(args.out, args.parts).items():
        print(part, ", ".join(c.stem for c in clips))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
