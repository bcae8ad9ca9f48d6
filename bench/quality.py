"""How the BL1xx-BL4xx rules judge real tickets: flag rates, and precision/recall where labelled.

    PYTHONPATH=src python bench/quality.py                 # the table (docs/quality.md)
    PYTHONPATH=src python bench/quality.py --sample BL104 --corpus tawosi -n 20   # hand check

Reads ``../shared/corpora`` relative to the repository root (never copied into the project) and
skips every corpus that is absent. Corpora and what is measured on them:

* ``dalpiaz`` - 1,670 user stories with annotated role / action / benefit spans: precision and
  recall of BL110 (missing benefit) against "no Benefit span", BL108 against "no Persona span".
* ``ustai`` - 1,260 LLM-written stories with QUS labels: BL111 against ``atomic=conjunctions``,
  BL104 against ``Unambiguous=Vagueness``.
* ``tawosi`` - 3,718 Jira issues (wiki markup); issue types only for COMPASS and FAB. The CSV
  lost the descriptions' line breaks (runs of spaces remain); they are put back before the wiki
  markup is converted, or every list and heading would run into one giant sentence.
* ``nlbse`` - 3,000 GitHub issues (Markdown with templates); the bug reports and feature
  requests are used, support questions and pull requests (opencv's PR template) are not:
  they are not backlog items.

The corpora carry no priorities, parents, links or statuses, so the objective-link and priority
families (and BL205) are measured on the labelled fixtures and the demo backlog only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

from backlint.engine.run import run_rules
from backlint.plugins import load_plugins
from backlint.testing import TEST_NOW

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "judgement"))
from corpora import CORPORA, dalpiaz, nlbse, tawosi, ustai  # noqa: E402

FAMILIES = ("clarity", "acceptance-criteria", "objective-link", "priority")
STORY_RULES = ("BL104", "BL105", "BL107", "BL108", "BL109", "BL110", "BL111")
#: Rules that need fields the corpora do not have (priority, links, status, dates).
NEEDS_TRACKER_FIELDS = ("BL205", "BL3", "BL4")

CORPUS_LOADERS = {
    "dalpiaz": (dalpiaz, "dalpiaz-userstories", STORY_RULES),
    "ustai": (ustai, "ustai-qus-annotated", STORY_RULES),
    "tawosi": (tawosi, "tawosi-jira-storypoints", None),
    "nlbse": (nlbse, "nlbse24-github-issues", None),
}


def corpus_rules(all_rules: dict, only: tuple[str, ...] | None) -> list:
    """The rules of the four families that the corpus has the data for."""
    picked = []
    for code, rule in sorted(all_rules.items()):
        if rule.family not in FAMILIES or code.startswith(NEEDS_TRACKER_FIELDS):
            continue
        if not rule.origin.startswith("backlint.rules."):
            continue  # rule packs are measured by their own authors
        if only is None or code in only:
            picked.append(rule)
    return picked


def evaluate(name: str, all_rules: dict) -> list[dict]:
    """Flag counts (and precision/recall where labelled) of each rule on one corpus."""
    loader, _, only = CORPUS_LOADERS[name]
    items = list(loader())
    rules = corpus_rules(all_rules, only)
    result = run_rules([t for t, _ in items], rules, TEST_NOW)
    flagged: dict[str, set[str]] = {r.code: set() for r in rules}
    for finding in result.findings:
        flagged.setdefault(finding.rule, set()).add(finding.ticket)
    rows = []
    for rule in rules:
        hits = flagged.get(rule.code, set())
        kinds = rule.options.get("kinds")
        seen = [t for t, _ in items if rule.applies_to(t) and (not kinds or t.kind in kinds)]
        row = {"corpus": name, "rule": rule.code, "name": rule.name, "family": rule.family}
        row.update(tickets=len(seen), flagged=len(hits), share=len(hits) / max(1, len(seen)))
        gold = [(t.key, labels[rule.code]) for t, labels in items if rule.code in labels]
        if gold:
            tp = sum(1 for key, bad in gold if bad and key in hits)
            fp = sum(1 for key, bad in gold if not bad and key in hits)
            fn = sum(1 for key, bad in gold if bad and key not in hits)
            if tp + fp:
                row["precision"] = tp / (tp + fp)
            if tp + fn:
                row["recall"] = tp / (tp + fn)
            row["gold"] = len(gold)
        rows.append(row)
    return rows


def _table(rows: list[dict]) -> str:
    lines = [
        "| corpus | rule | name | tickets | flagged | share | precision | recall |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        p = f"{row['precision']:.2f}" if "precision" in row else "-"
        r = f"{row['recall']:.2f}" if "recall" in row else "-"
        lines.append(
            f"| {row['corpus']} | {row['rule']} | {row['name']} | {row['tickets']} | "
            f"{row['flagged']} | {row['share']:.1%} | {p} | {r} |"
        )
    return "\n".join(lines)


def _family_table(rows: list[dict]) -> str:
    lines = ["| corpus | family | rules run | findings |", "|---|---|---:|---:|"]
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        for family in FAMILIES:
            picked = [r for r in rows if r["corpus"] == corpus and r["family"] == family]
            if picked:
                total = sum(r["flagged"] for r in picked)
                lines.append(f"| {corpus} | {family} | {len(picked)} | {total} |")
    return "\n".join(lines)


def sample(name: str, code: str, count: int, all_rules: dict, seed: int = 7) -> None:
    """Print ``count`` random tickets flagged by ``code`` on corpus ``name``, for reading."""
    loader, _, _ = CORPUS_LOADERS[name]
    tickets = [t for t, _ in loader()]
    result = run_rules(tickets, [all_rules[code]], TEST_NOW)
    by_key = {t.key: t for t in tickets}
    findings = result.findings
    random.Random(seed).shuffle(findings)
    print(f"{len(findings)} findings of {code} on {name}; showing {min(count, len(findings))}")
    for finding in findings[:count]:
        ticket = by_key[finding.ticket]
        print("=" * 100)
        print(f"{ticket.key} [{ticket.kind}] {ticket.title}")
        print(f">> {finding.message}")
        print(ticket.body[:900])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPUS_LOADERS))
    parser.add_argument("--sample", metavar="CODE")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    registry = load_plugins((), environ={**os.environ, "BACKLINT_LOAD_PLUGINS": ""})
    if args.sample:
        sample(args.corpus or "tawosi", args.sample.upper(), args.n, registry.rules, args.seed)
        return 0
    rows = []
    for name, (_, folder, _) in CORPUS_LOADERS.items():
        if args.corpus and name != args.corpus:
            continue
        if not (CORPORA / folder).is_dir():
            print(f"skipped {name}: {CORPORA / folder} not found", file=sys.stderr)
            continue
        rows += evaluate(name, registry.rules)
    print(_table(rows))
    print()
    print(_family_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
