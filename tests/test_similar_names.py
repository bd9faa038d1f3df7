"""Near-miss names: one rule shared by detection (flag) and review (same-person proposals)."""

import pytest

from anonyscribe.detect.similar import phonetic_key, same_name


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
