"""Issue 12 (session 12): posts of one holder said without a title cue, and names in speaker
labels as newer exports and lower-case transcripts write them. Names and sentences invented
here."""

from __future__ import annotations

from anonyscribe.detect.engine import Detector
from detect_helpers import type_at as _at


# -- a deputy is a post, not a relationship ----------------------------------------------------
def test_a_deputy_said_with_whose_it_is_is_a_post(det: Detector) -> None:
    text = ("so my deputy is marisol and she does the rota\n"
            "I'm her deputy really, though nobody wrote it down.\n"
            "Our deputy, Tobias, is off this week.\n")
    assert _at(det, text, "deputy") == "ROLE"
    assert _at(det, text, "deputy", 1) == "ROLE"
    assert _at(det, text, "deputy", 2) == "ROLE"


def test_deputy_before_a_post_or_wished_for_is_not_a_post_alone(det: Detector) -> None:
    text = "the home has a deputy manager and I'd like to be deputy one day\n"
    assert _at(det, text, "deputy manager") == "ROLE"  # the title, whole
    assert _at(det, text, "deputy", 1) is None


# -- a post said with the site where its holder works -------------------------------------------
def test_a_post_at_a_named_site_is_its_holders(det: Detector) -> None:
    text = ("i rang the gp at larkfield surgery about it\n"
            "The pharmacist from Cressing Road Pharmacy came round.\n")
    assert _at(det, text, "gp") == "ROLE"
    assert _at(det, text, "pharmacist") == "ROLE"


def test_a_plural_post_or_a_post_with_a_noun_at_a_site_is_not(det: Detector) -> None:
    text = ("the gps at larkfield surgery are fine\n"
            "the gp practice at larkfield surgery is closing\n")
    assert _at(det, text, "gps") is None
    assert _at(det, text, "gp practice") != "ROLE"


def test_a_known_acronym_post_before_a_name_is_a_post(det: Detector) -> None:
    text = "The GP there, Dr Okafor, speaks Igbo.\n"
    assert _at(det, text, "GP") == "ROLE"
    assert _at(det, text, "Okafor") == "PERSON"


def test_an_owner_beside_a_name_is_a_post_but_not_alone(det: Detector) -> None:
    text = ("the owner mrs kowalczyk never comes in\n"
            "the supplier asked to speak to the owner and I laughed\n")
    assert _at(det, text, "owner") == "ROLE"
    assert _at(det, text, "owner", 1) is None


# -- a surname that is a word, after a short title ---------------------------------------------
def test_a_word_surname_after_a_short_title_is_a_name(det: Detector) -> None:
    text = "and the gp dr baker came out to the car and mrs fisher rang\n"
    assert _at(det, text, "baker") == "PERSON"
    assert _at(det, text, "fisher") == "PERSON"


def test_a_word_after_doctor_or_miss_stays_a_word(det: Detector) -> None:
    text = "you'll see the doctor baker said no and i miss fisher season\n"
    assert _at(det, text, "baker") != "PERSON"
    assert _at(det, text, "fisher") != "PERSON"


# -- names in labels -----------------------------------------------------------------------------
def test_a_name_above_the_turns_time_is_a_label(det: Detector) -> None:
    text = ("Pryce, Morwenna\n0:00:03\nright so can you say who you are\n\n"
            "Ngata, Aroha (Guest)\n0:00:09\nyes hello im a technician\n\n"
            "Agenda Items\n0:00:15\nok\n")
    assert _at(det, text, "Pryce, Morwenna") == "PERSON"
    assert _at(det, text, "Ngata, Aroha") == "PERSON"
    assert _at(det, text, "Agenda Items") != "PERSON"


def test_a_lower_case_given_name_label_is_a_name(det: Detector) -> None:
    text = ("facilitator: so go round and say where you work\n"
            "hazel: hazel i work on reception at the practice\n"
            "nan: i do the admin\n")
    assert _at(det, text, "hazel") == "PERSON"
    assert _at(det, text, "facilitator") is None
    assert _at(det, text, "nan") is None  # three letters: too often a word


def test_a_label_with_a_note_is_the_name_before_it(det: Detector) -> None:
    text = "Oksana (physio): I did the ward round.\nInterviewer: thanks\n"
    assert _at(det, text, "Oksana") == "PERSON"
    assert _at(det, text, "physio") != "PERSON"


def test_vietnamese_letters_stay_inside_a_name(det: Detector) -> None:
    text = "Hằng: I came from Huế in 2015.\nInterviewer: thank you Hằng\n"
    assert _at(det, text, "Hằng") == "PERSON"


# -- a survey export's job-title column ---------------------------------------------------------
_EXPORT = ("ref ; job title ; site ; answer\n"
           "Q-201 ; Staff Nurse ; Larkhill ; More staff on nights.\n"
           "Q-202 ; RMN3 ; Larkhill ; Parking.\n"
           "Q-203 ; Porter ; Bramcote ; the lifts\n"
           "Q-204 ; Catering ; Bramcote ; n/a\n"
           "Q-205 ; Physiotherapist ; Larkhill ; the gym is too small\n")


def test_every_value_of_a_job_title_column_is_a_post(det: Detector) -> None:
    assert _at(det, _EXPORT, "RMN3") == "ROLE"
    assert _at(det, _EXPORT, "Catering") == "ROLE"
    assert _at(det, _EXPORT, "Parking") != "ROLE"  # the free answer is no such column


def test_a_column_of_sites_or_prose_with_hyphens_is_no_post_column(det: Detector) -> None:
    text = ("Q-301 ; Larkhill ; Parking.\nQ-302 ; Bramcote ; the lifts\n"
            "Q-303 ; Larkhill ; more beds\nQ-304 ; Hollins ; n/a\n"
            "2019 - staff nurse - moved to the ward\n2020 - porter - then nights\n"
            "2021 - physio - then days\n")
    assert _at(det, text, "Hollins") != "ROLE"
    assert _at(det, text, "porter") != "ROLE"


# -- a word-name said to hold a post ------------------------------------------------------------
def test_a_word_name_after_an_occupation_and_was_is_a_name(det: Detector) -> None:
    text = "the building was quiet and the cook was joy, she knew everyone\n"
    assert _at(det, text, "joy") == "PERSON"


def test_a_word_after_a_noun_that_is_no_post_stays_a_word(det: Detector) -> None:
    text = "the answer was grace under pressure and the weather was joy itself\n"
    assert _at(det, text, "grace") != "PERSON"


# -- a labelled post field after a separator; WebVTT voice tags ---------------------------------
def test_a_labelled_post_after_a_field_separator_is_a_post(det: Detector) -> None:
    text = ("Row 4 — Role: Theatre Porter (weekends) — Site: Larkhill — Date: 03/03/2025\n"
            "Resp. 12 ▸ 2025-03-04 ▸ Post: Team Leader, Mid Downs ▸ Workplace: Larkhill\n"
            "[0091] sent 09:10 / job title: Dietitian (Band 6) / base: Bramcote\n")
    assert _at(det, text, "Theatre Porter (weekends)") == "ROLE"
    assert _at(det, text, "Team Leader, Mid Downs") == "ROLE"
    assert _at(det, text, "Dietitian (Band 6)") == "ROLE"


def test_a_post_label_inside_a_sentence_is_not_a_field(det: Detector) -> None:
    text = "I saw the advert and the post: nothing came of it in the end\n"
    assert _at(det, text, "nothing came") is None


def test_a_voice_tag_names_its_speaker(det: Detector) -> None:
    text = ("00:00:01.000 --> 00:00:04.000\n<v Marguerite Oyelaran>so I run the clinic\n"
            "00:00:05.000 --> 00:00:08.000\n<v Speaker 2>right ok\n")
    assert _at(det, text, "Marguerite Oyelaran") == "PERSON"
    assert _at(det, text, "Speaker 2") is None


# -- a count of one post that names its holders ---------------------------------------------------
def test_a_counted_post_naming_its_holders_is_a_post(det: Detector) -> None:
    text = ("and then two ward nurses me and ifeoma cover the clinic\n"
            "we have three pharmacists, dr rahman and dr cole and me\n")
    assert _at(det, text, "ward nurses") == "ROLE"
    assert _at(det, text, "pharmacists") == "ROLE"


def test_a_count_without_names_or_of_managers_is_no_post(det: Detector) -> None:
    text = ("we need two more nurses on nights really\n"
            "my two managers, sakura and jo, are kind\n")
    assert _at(det, text, "nurses") is None
    assert _at(det, text, "managers") is None


# -- Irish nurse and midwife manager grades --------------------------------------------------------
def test_irish_nurse_manager_grades_are_posts(det: Detector) -> None:
    text = ("with orla shes the cnm2 at the clinic and the cnm three on nights\n"
            "Our CMM1, Saoirse, runs the antenatal side.\n")
    assert _at(det, text, "cnm2") == "ROLE"
    assert _at(det, text, "cnm three") == "ROLE"
    assert _at(det, text, "CMM1") == "ROLE"


def test_a_grade_word_before_one_day_is_not_a_grade(det: Detector) -> None:
    text = "I'd love to be a CNM one day, honestly, and cnm4 is not a grade\n"
    assert _at(det, text, "CNM one") is None
    assert _at(det, text, "cnm4") is None


# -- a never-flagged word-name said to hold a post -------------------------------------------------
def test_a_language_word_name_said_to_hold_a_post_is_a_name(det: Detector) -> None:
    text = "The head is Mrs Kirkwood and the wellbeing lead is Shona. She is great.\n"
    assert _at(det, text, "Shona") == "PERSON"


def test_a_language_or_a_reply_after_a_post_and_is_stays_a_word(det: Detector) -> None:
    text = ("the language they speak is Shona and our lead is English\n"
            "My line manager is OK, I suppose.\n")
    assert _at(det, text, "Shona") != "PERSON"
    assert _at(det, text, "English") != "PERSON"
    assert _at(det, text, "OK") != "PERSON"
