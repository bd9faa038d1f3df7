"""Coarse tags from the model's attribute rules without spaCy's Matcher: the same tags."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from anonyscribe.detect.config import load_config
from anonyscribe.detect.postags import CoarseTags


def _doc(words: list[str], tags: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, tags=tags)


def _rules(*entries: dict) -> CoarseTags:
    coarse = CoarseTags.from_patterns(entries)
    assert coarse is not None
    return coarse


def test_a_later_rule_wins_as_in_the_ruler() -> None:
    doc = _doc(["we", "are", "here"], ["PRP", "VBP", "RB"])
    by_tag = {"patterns": [[{"TAG": "VBP"}]], "attrs": {"POS": "VERB"}}
    by_word = {"patterns": [[{"TAG": "VBP", "LOWER": {"IN": ["are", "am"]}}]],
               "attrs": {"POS": "AUX", "LEMMA": "be"}}
    assert _rules(by_tag, by_word).tags(doc) == ["", "AUX", ""]
    assert _rules(by_word, by_tag).tags(doc) == ["", "VERB", ""]


def test_rules_without_a_coarse_tag_and_unmet_conditions_set_nothing() -> None:
    doc = _doc(["Nia", "left"], ["NNP", "VBD"])
    lemma_only = {"patterns": [[{"LOWER": "left"}]], "attrs": {"LEMMA": "leave"}}
    not_in = {"patterns": [[{"TAG": {"NOT_IN": ["NNP", ""]}}]], "attrs": {"POS": "X"}}
    needs_parse = {"patterns": [[{"TAG": "NNP", "DEP": "nsubj"}]], "attrs": {"POS": "PROPN"}}
    assert _rules(lemma_only, not_in, needs_parse).tags(doc) == ["", "X"]


def test_a_sequence_tags_the_token_at_its_index() -> None:
    doc = _doc(["there", "is", "is"], ["EX", "VBZ", "VBZ"])
    seq = {"patterns": [[{"TAG": "EX"}, {"LOWER": "is"}]], "attrs": {"POS": "VERB"}, "index": 1}
    assert _rules(seq).tags(doc) == ["", "VERB", ""]
    last = {"patterns": [[{"TAG": "EX"}, {"LOWER": "is"}]], "attrs": {"POS": "VERB"}, "index": -1}
    assert _rules(last).tags(doc) == ["", "VERB", ""]


@pytest.mark.parametrize("pattern", [
    [{"TAG": "NN", "OP": "+"}],  # an operator
    [{"ORTH": "Leeds"}],  # an attribute the direct tests do not read
    [{"LOWER": {"REGEX": "^le"}}],  # a condition they do not follow
])
def test_a_rule_it_cannot_follow_keeps_the_ruler(pattern: list[dict]) -> None:
    assert CoarseTags.from_patterns([{"patterns": [pattern], "attrs": {"POS": "X"}}]) is None


def test_same_tags_as_the_bundled_models_ruler() -> None:
    nlp = spacy.load(load_config(None).spacy_model, exclude=["parser", "lemmatizer"])
    coarse = CoarseTags.from_patterns(nlp.get_pipe("attribute_ruler").patterns)
    assert coarse is not None
    text = ("I'm not sure if she'd have gone, but there is a clinic out past Garforth.\n\n"
            "  um   that's it, we weren't told   \nDo they? They do. Whether or not it's open "
            "till nine, I'd ask Bilal, he's been there since 2019 and he doesn't mind.")
    want = [t.pos_ for t in nlp(text)]
    with nlp.select_pipes(disable="attribute_ruler"):
        got = coarse.tags(nlp(text))
    assert got == want
    assert "AUX" in got and "SPACE" in got and "SCONJ" in got
