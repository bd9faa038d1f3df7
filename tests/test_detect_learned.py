"""The learned second opinion (detect/learned.py): low-score suggestions after the rules.

Examples are made up here (no string from an annotated set): a capitalised unknown name in a
workplace slot, a name cut short by a rule, ordinary sentences that must stay silent.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from anonyscribe.core.model import Span
from anonyscribe.core.study import Terms
from anonyscribe.detect.config import DEFAULT_CONFIG
from anonyscribe.detect.engine import Detector
from anonyscribe.detect.learned import (
    HI_SCORE,
    LO_SCORE,
    SUGGESTED,
    Context,
    Featuriser,
    Model,
    SecondOpinion,
    context_features,
)
from anonyscribe.detect.lexicon import STOP

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "resources" / "terms" / "second_opinion.json"


def _module(name: str, path: Path):  # noqa: ANN202 - a loaded script module
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = sys.modules.get(name) or importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # its dataclasses look their module up by name
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def full() -> Detector:
    return Detector()


@pytest.fixture(scope="module")
def rules(rules_only_config: Path) -> Detector:
    return Detector(config=rules_only_config)


def learned_spans(det: Detector, text: str) -> list[Span]:
    return [s for s in det.detect_text(text) if s.source.endswith("learned")]


# -- the resource ----------------------------------------------------------------------------
def test_weights_resource_loads_and_is_small() -> None:
    assert DEFAULT_CONFIG.read_text(encoding="utf-8").count("learned = true") == 1
    # Our own small table (two passes): 1.51 MB trained on sixteen sets (session 12); the bound
    # catches a table that balloons (features no longer pruned by --min-files), not growth by a set.
    assert WEIGHTS.stat().st_size < 2_000_000
    model = Model.load(WEIGHTS)
    assert "O" in model.classes and set(SUGGESTED) <= set(model.classes)
    assert len(model.bias) == len(model.classes)
    assert all(len(w) == len(model.classes) for w in model.weights.values())
    assert 0 < model.cont <= model.threshold < 1 and 0 < model.extend <= model.threshold
    assert set(model.thresholds) <= set(SUGGESTED)  # per likeliest type; the least is the
    assert all(model.threshold <= t < 1 for t in model.thresholds.values())  # default
    assert len(model.weights) > 500  # a real table, not a stub


def test_no_feature_names_an_open_class_word(full: Detector) -> None:
    """Generalise, don't memorise: a word's own identity is a feature only for function
    words and titles; context words are dictionary words; nothing else names a word."""
    model = Model.load(WEIGHTS)
    lex, titles = full.lex, full.people.titles
    prefixes = set()
    for feat in model.weights:
        head, _, value = feat.partition("=")
        prefixes.add(head)
        if head == "w":
            assert value in STOP or value in titles, feat
        elif head in ("c-1", "c+1", "cL", "cR"):
            assert value in STOP or not value.isalnum() or (
                lex.is_word(value) and value not in lex.first_names), feat
        elif head in ("s3", "s2"):
            assert len(value) == int(head[1]), feat
    known = {"sh", "sig", "len", "start|sh", "label|sh", "w", "s3", "s2", "pos", "ent",
             "sig-1", "sig+1", "rule-1", "rule+1", "pos-1", "pos+1", "edge-1", "edge+1",
             "c-1", "c+1", "cL", "cR", "rep|sig"}
    assert prefixes <= known, prefixes - known
    if model.stack is not None:  # the second pass: the same, plus the first pass's verdicts
        second = {f.partition("=")[0] for f in model.stack.weights}
        verdicts = {"self", "n-2", "n-1", "n+1", "n+2", "doc", "docR", "docC"}
        assert second <= known | verdicts, second - known - verdicts
        assert second & verdicts


def test_a_word_said_twice_at_once_is_a_feature(rules: Detector) -> None:
    """'the coordinator rosemary rosemary writes': a restart on a name is a feature of both
    mentions (by the word's lists, never its identity); a word said once has none."""
    text = "and the coordinator rosemary rosemary writes to us and rosemary came"
    spans, ctx, _ = rules.rule_pass(text)
    feats = {w.tok.start: w.feats for w in Featuriser(rules.word_sets()).words(text, [], ctx)}
    first, second = text.index("rosemary"), text.index("rosemary", text.index("rosemary") + 1)
    for start in (first, second):
        assert any(f.startswith("rep|sig=") for f in feats[start])
    assert not any(f.startswith("rep|") for f in feats[text.rindex("rosemary")])
    assert not any(f.startswith("rep|") for f in feats[text.index("coordinator")])


def test_features_kept_per_word_form_match_a_fresh_featuriser(rules: Detector) -> None:
    """The per-form features are kept between documents: a featuriser that has read other
    text (cased and not, the same words in other shapes) gives the same lists as a new one."""
    text = "Then Marlowe rang. marlowe said THE rota was fine, the rota, and Marlowe left."
    ctx = Context(cased=True, tokens=[])
    fresh = Featuriser(rules.word_sets()).words(text, [], ctx)
    used = Featuriser(rules.word_sets())
    used.words(text.lower(), [], Context(cased=False))
    used.words(text.upper(), [], Context(cased=True))
    again = used.words(text, [], ctx)
    assert [w.feats for w in again] == [w.feats for w in fresh]
    shapes = {w.tok.text: next(f for f in w.feats if f.startswith("sh=")) for w in fresh}
    assert shapes["Marlowe"] == "sh=C|c" and shapes["marlowe"] == "sh=l|c"
    assert shapes["THE"] == "sh=A|c"


# -- the second pass (stacking) ----------------------------------------------------------------
def test_context_features_read_neighbours_and_other_occurrences(rules: Detector) -> None:
    """The second pass sees what the first said two words either side and of the same word
    elsewhere: a word a rule flagged once is a candidate everywhere, one capitalised inside a
    sentence elsewhere is a name written in lower case here."""
    text = "I rang Tamsin about it.\nLater tamsin said the rota was fine."
    spans = [Span(7, 13, "PERSON", "Tamsin", 0.8, "person-rules")]
    fz = Featuriser(rules.word_sets())
    words = fz.words(text, spans, Context(cased=True))
    scored = [None if w.rule >= 0 else (0.9 if w.tok.text == "fine" else 0.01, "ROLE")
              for w in words]
    extra = context_features(text, words, scored, spans)
    by_word = {w.tok.text: x for w, x in zip(words, extra, strict=True)}
    assert "docR=PER" in by_word["tamsin"] and "docC" in by_word["tamsin"]
    assert by_word["Tamsin"] == []  # a rule's word is not scored
    assert "self=0" in by_word["was"] and "n+1=ROL5t" in by_word["was"]
    assert "n+2=ROL5" in by_word["rota"] and "self=ROL5" in by_word["fine"]
    assert not any(f.startswith("doc") for f in by_word["rota"])  # said once


def test_a_stacked_model_round_trips_and_scores_with_its_second_pass(full: Detector) -> None:
    """Weights with a second pass are one JSON table; the second pass decides the scores."""
    first = Model(classes=["O", "PERSON"], bias=[0.0, 0.0], weights={}, threshold=0.5,
                  thresholds={"PERSON": 0.5})
    second = Model(classes=["O", "PERSON"], bias=[0.0, -5.0],
                   weights={"docR=PER": [0.0, 9.0]}, threshold=0.5)
    first.stack = second
    model = Model.from_json(first.to_json())
    assert model.stack is not None and model.stack.weights == {"docR=PER": [0.0, 9.0]}
    op = SecondOpinion(model, full.word_sets())
    text = "I rang Tamsin about it. Later tamsin said so."
    spans = [Span(7, 13, "PERSON", "Tamsin", 0.8, "person-rules")]
    every = {tok.text: p for tok, p, _, rule in op.guesses(text, spans, Context(cased=True))
             if rule < 0}
    assert every["tamsin"] > 0.9 and every["said"] < 0.01
    model.stack = None  # the first pass alone gives every word the same even odds
    assert {p for tok, p, _, rule in op.guesses(text, spans, Context(cased=True))
            if rule < 0} == {0.5}


# -- what it suggests --------------------------------------------------------------------------
def test_unknown_capitalised_workplace_gets_a_low_suggestion(full: Detector,
                                                             rules: Detector) -> None:
    text = "At Kind Hands my supervisor was really good."
    assert not [s for s in rules.detect_text(text) if "Hands" in s.text]  # no rule fires
    got = learned_spans(full, text)
    assert [s.text for s in got] == ["Kind Hands"], got
    assert got[0].type == "ORGANISATION" and got[0].source == "learned"
    assert LO_SCORE <= got[0].score <= HI_SCORE


def test_the_study_never_list_silences_a_suggestion(rules_only_config: Path) -> None:
    text = "At Kind Hands my supervisor was really good."
    det = Detector()
    assert [s.text for s in det.detect_text(text)] == ["Kind Hands"]
    det.set_terms(Terms(never=["Kind Hands"]))
    assert det.detect_text(text) == []
    det.set_terms(Terms(never=["Hands"]))  # a never-listed word is not hidden inside a guess
    assert [s.text for s in det.detect_text(text)] == ["Kind"]


@pytest.mark.parametrize("text", [
    "We had a busy morning and the training went well.",
    "I think the night shifts were the hardest part, honestly.",
    "Interviewer: And how did that feel?\nParticipant: It was fine, we got through it.",
    "So I went back to the office and wrote it all up before the meeting.",
])
def test_ordinary_sentences_get_no_suggestion(full: Detector, text: str) -> None:
    assert full.detect_text(text) == []


def test_a_rule_span_that_covers_part_of_a_name_is_extended(full: Detector) -> None:
    """A rule that found only the given name: the unknown capitalised word after it joins
    the span, which keeps the rule's type and score."""
    text = "Back then Sarah Quennell-Obi said it would be fine."
    s = text.index("Sarah")
    _, ctx, allowed = full.rule_pass(text)
    partial = [Span(s, s + 5, "PERSON", "Sarah", 0.8, "person-rules")]
    got = full.learned.add(text, partial, ctx, allowed)
    assert [(x.text, x.type, x.score, x.source) for x in got] == [
        ("Sarah Quennell-Obi", "PERSON", 0.8, "person-rules+learned")]


def test_suggestions_never_override_the_rules(full: Detector, rules: Detector) -> None:
    """With the step on, every rule span is still there (or inside an extension of itself
    with the same type and score) and everything new is a low-score 'learned' span; with it
    off, detection is the rules' output exactly."""
    bench = _module("bench_detection", ROOT / "bench" / "detection.py")
    text = bench.synthetic_text(30_000, seed=3) + "\nAt Kind Hands my supervisor was kind."
    before = rules.detect_text(text)
    assert before == full.rule_pass(text)[0]
    after = full.detect_text(text)
    assert any(s.source == "learned" for s in after)
    for sp in before:
        holder = [a for a in after if a.start <= sp.start and sp.end <= a.end]
        assert len(holder) == 1 and holder[0].type == sp.type and holder[0].score == sp.score
        assert holder[0] == sp or holder[0].source == sp.source + "+learned"
    for a in after:
        if a not in before and not a.source.endswith("+learned"):
            assert a.source == "learned" and LO_SCORE <= a.score <= HI_SCORE, a


# -- determinism ---------------------------------------------------------------------------------
def test_detection_is_deterministic(full: Detector) -> None:
    text = ("Interviewer: Where were you then?\nParticipant: At Kind Hands, with Torvik and "
            "the team at Harrowmere Lodge, before Sarah Quennell-Obi took over.")
    first = full.detect_text(text)
    assert first == full.detect_text(text) == Detector().detect_text(text)


def test_training_is_deterministic(rules: Detector) -> None:
    """The training script twice on the same two sets gives the same weights."""
    pytest.importorskip("sklearn")  # build time only, like the script
    train = _module("train_second_opinion", ROOT / "scripts" / "train_second_opinion.py")
    docs = []
    for folder in (ROOT / "tests" / "data" / "detect_validation",
                   ROOT / "tests" / "data" / "detect_validation2"):
        for d in train.load(folder):
            spans, ctx, allowed = rules.rule_pass(d.text)
            docs.append(train.Prepared(folder.name, d.name, d.text, d.gold, spans, ctx,
                                       allowed))
    fz = Featuriser(rules.word_sets())
    a = train.train(train.examples(docs, fz, 7, 0.5, 0.2), 3, 0.3)
    b = train.train(train.examples(docs, fz, 7, 0.5, 0.2), 3, 0.3)
    assert a.weights and a.weights == b.weights and a.bias == b.bias
    op = SecondOpinion(a, rules.word_sets())
    assert op.add(docs[0].text, docs[0].rules, docs[0].ctx, docs[0].allowed) == \
        op.add(docs[0].text, docs[0].rules, docs[0].ctx, docs[0].allowed)


def test_per_type_threshold_decides_by_the_likeliest_type(full: Detector) -> None:
    """The same scores, placed with the workplace threshold raised above any probability:
    the workplace guess goes, and comes back when only another type's threshold is raised."""
    text = "At Kind Hands my supervisor was really good."
    rules_spans, ctx, allowed = full.rule_pass(text)
    model = Model.load(WEIGHTS)
    op = SecondOpinion(model, full.word_sets())
    every = op.guesses(text, rules_spans, ctx)
    assert [s.text for s in op.place(text, rules_spans, every, allowed)] == ["Kind Hands"]
    model.thresholds = {**model.thresholds, "ORGANISATION": 0.999}
    model.extend = model.cont = 0.999
    assert op.place(text, rules_spans, every, allowed) == []
    model.thresholds = {**model.thresholds, "ORGANISATION": 0.5, "PERSON": 0.999}
    model.cont = 0.5
    assert [s.text for s in op.place(text, rules_spans, every, allowed)] == ["Kind Hands"]


def test_codes_with_digits_and_months_are_never_guessed(full: Detector) -> None:
    """Even with every threshold at zero, a grade code ("8a", "5s") or a month is no
    suggestion: grades are not posts and dates have their own rules; other words are."""
    text = "She went from a 5s post to an 8a post at Kind Hands in March."
    rules_spans, ctx, allowed = full.rule_pass(text)
    model = Model.load(WEIGHTS)
    model.thresholds = dict.fromkeys(SUGGESTED, 0.0)
    model.threshold = model.extend = model.cont = 0.0
    op = SecondOpinion(model, full.word_sets())
    got = [s for s in op.place(text, rules_spans, op.guesses(text, rules_spans, ctx), allowed)
           if s.source.endswith("learned")]
    assert got  # at zero, ordinary words are suggested ...
    for s in got:  # ... but never a code or a month
        assert not any(c.isdigit() for c in s.text) and "March" not in s.text, s


def test_relationship_word_after_a_possessive_is_no_post(full: Detector) -> None:
    text = "At Kind Hands my supervisor was really good, and the supervisor there, Kemi, too."
    spans = full.detect_text(text)
    assert not [s for s in spans if s.text == "supervisor" and s.start == text.index("supervisor")
                and s.source == "learned"], spans


@pytest.mark.parametrize("text", [
    "Speaker 1: Doctor Hannelore Pryce runs the clinic in Bradford.",
    "speaker 1: doctor hannelore pryce runs the clinic in bradford",
])
def test_a_title_stays_outside_the_name(full: Detector, text: str) -> None:
    """Even at a low threshold the title before a name is not guessed into it, so the person
    gets the same pseudonym with or without the title."""
    spans = full.detect_text(text)
    names = [s for s in spans if s.type == "PERSON"]
    assert names and all(not s.text.lower().startswith("doctor") for s in names), spans
