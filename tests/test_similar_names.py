"""Near-miss names: one rule shared by detection (flag) and review (same-person proposals)."""

import pytest

from anonyscribe.detect.similar import (
    joined_sounds_like,
    phonetic_key,
    pieces,
    said_together,
    same_name,
    sound_keys,
)


@pytest.mark.parametrize(("a", "b"), [
    ("Kowalczyk", "Cowalknik"), ("Wozniak", "Vozniack"), ("Smith", "Smyth"),
    ("Mohammed", "Muhammad"), ("Thompson", "Thomson"), ("Ann", "Anne"),
    ("Bernadette Cowalknik", "Bernadette Kowalczyk"), ("Kowalczyk", "Bernadette Kowalczyk"),
    ("Siobhán", "siobhan"),
])
def test_misheard_spellings_are_the_same_name(a: str, b: str) -> None:
    assert same_name(a, b) and same_name(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("John", "Joan"), ("Ann", "Ian"), ("Sarah", "Susan"), ("Jones", "James"),
    ("Richard", "Roberts"), ("Emma", "Emily"), ("Bernadette Kowalczyk", "Grace Kowalczyk"),
    ("", "x"),
])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert not same_name(a, b)


def test_phonetic_key_folds_sounds() -> None:
    assert phonetic_key("Philips") == phonetic_key("Filips")
    assert phonetic_key("Wozniak") == phonetic_key("Vozniack")


def test_pieces_said_in_one_breath() -> None:
    text = "the reg kee ron, then mo\nhan"
    run = pieces(text)
    assert [p.word for p in run] == ["the", "reg", "kee", "ron", "then", "mo", "han"]
    assert said_together(text, run[2:4])  # "kee ron"
    assert not said_together(text, run[3:5])  # "ron, then": a comma between
    assert not said_together(text, run[5:7])  # a line between


def test_joined_pieces_sound_like_a_listed_name() -> None:
    by_key = {phonetic_key(n): [n] for n in ("teagan", "eva", "siobhan")}
    assert joined_sounds_like("teegan", by_key)
    assert joined_sounds_like("eefa", by_key)
    assert not joined_sounds_like("teabag", by_key)
    assert not joined_sounds_like("shivering", by_key)


def test_sound_keys_leave_one_vowel_open() -> None:
    assert set(sound_keys("keeron")) & set(sound_keys("kieran"))
    assert set(sound_keys("shawnah")) & set(sound_keys("shona"))
    assert not set(sound_keys("karen")) & set(sound_keys("kieran"))
