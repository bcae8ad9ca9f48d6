"""Precision and recall of the built-in rules against hand verdicts on real tickets.

    PYTHONPATH=src python tests/judgement/measure.py            # the table
    PYTHONPATH=src python tests/judgement/measure.py --show BL201   # each disagreement, with text

``verdicts/*.toml`` holds, per real ticket, the judged rules that SHOULD fire on it (``flag``);
every other judged rule of that corpus should stay silent. The ticket texts are read from
``../shared/corpora`` at run time (see ``corpora.py``): only ids, verdicts and short notes live in
the project. How the verdicts were made is in ``README.md`` beside this file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpora import LOADERS, available  # type: ignore[import-not-found]
else:
    from .corpora import LOADERS, available

from backlint.engine.run import run_rules
from backlint.model import Ticket
from backlint.plugins import load_plugins
from backlint.testing import TEST_NOW

VERDICTS = Path(__file__).resolve().parent / "verdicts"

TEXT_RULES = (
    *("BL101", "BL102", "BL103", "BL104", "BL105", "BL106", "BL107", "BL110", "BL111"),
    *("BL112", "BL113", "BL201", "BL202", "BL203", "BL304", "BL305"),
)
#: Which rules each verdict file judges; a rule not listed was not judged on that file.
JUDGED = {
    "nlbse": TEXT_RULES,
    "tawosi": (*TEXT_RULES, "BL108", "BL109"),
    "stories": ("BL104", "BL105", "BL107", "BL108", "BL109", "BL110", "BL111"),
}
#: Where the tickets of each verdict file come from.
SOURCES = {"nlbse": ("nlbse",), "tawosi": ("tawosi",), "stories": ("dalpiaz", "ustai")}


@dataclass
class Verdict:
    """One ticket's hand verdict: which judged rules should fire."""

    corpus: str
    id: str
    kind: str
    flag: frozenset[str]
    note: str = ""
    #: "tuning": the rules were tuned while reading these; "holdout": judged later, blind, and
    #: never read by whoever tuned the rules, so its figures say how the rules generalise.
    part: str = "tuning"


@dataclass
class Score:
    """Agreement of one rule with the verdicts."""

    rule: str
    tp: list[str] = field(default_factory=list)
    fp: list[str] = field(default_factory=list)
    fn: list[str] = field(default_factory=list)
    judged: int = 0

    @property
    def fired(self) -> int:
        return len(self.tp) + len(self.fp)

    @property
    def positives(self) -> int:
        return len(self.tp) + len(self.fn)

    @property
    def precision(self) -> float | None:
        return len(self.tp) / self.fired if self.fired else None

    @property
    def recall(self) -> float | None:
        return len(self.tp) / self.positives if self.positives else None


def load_verdicts(part: str | None = None) -> list[Verdict]:
    """Every verdict under ``verdicts/`` (``nlbse.toml``, ``nlbse-holdout.toml``, ...), or those
    of one ``part`` ("tuning" or "holdout")."""
    verdicts = []
    for path in sorted(VERDICTS.glob("*.toml")):
        corpus, _, suffix = path.stem.partition("-")
        kind_of_set = "holdout" if suffix == "holdout" else "tuning"
        if part is not None and part != kind_of_set:
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for item in data["ticket"]:
            verdicts.append(
                Verdict(
                    corpus,
                    item["id"],
                    item.get("kind", ""),
                    frozenset(item["flag"]),
                    item.get("note", ""),
                    kind_of_set,
                )
            )
    return verdicts


def missing_corpora() -> list[str]:
    """The corpora a verdict file needs that are not beside the project."""
    return sorted({c for cs in SOURCES.values() for c in cs if not available(c)})


def tickets_for(verdicts: list[Verdict]) -> dict[str, Ticket]:
    """The real tickets the verdicts are about, by id."""
    wanted = {v.id for v in verdicts}
    found: dict[str, Ticket] = {}
    for name in sorted({c for v in verdicts for c in SOURCES[v.corpus]}):
        for ticket, _ in LOADERS[name]():
            if ticket.key in wanted:
                found[ticket.key] = ticket
    return found


def measure(
    rules: dict | None = None, part: str | None = None
) -> tuple[dict[str, Score], dict[str, Ticket], list]:
    """Run the built-in rules over the judged tickets and score every judged rule (on one
    ``part`` of the set, or all of it)."""
    if rules is None:
        rules = load_plugins((), environ={**os.environ, "BACKLINT_LOAD_PLUGINS": ""}).rules
    verdicts = load_verdicts(part)
    tickets = tickets_for(verdicts)
    judged_codes = sorted({c for codes in JUDGED.values() for c in codes})
    picked = [rules[c] for c in judged_codes if c in rules]
    result = run_rules(list(tickets.values()), picked, TEST_NOW)
    fired: dict[str, set[str]] = {}
    for finding in result.findings:
        fired.setdefault(finding.ticket, set()).add(finding.rule)
    scores = {c: Score(c) for c in judged_codes}
    for verdict in verdicts:
        if verdict.id not in tickets:
            raise LookupError(f"{verdict.corpus}: no ticket {verdict.id!r} in the corpora")
        got = fired.get(verdict.id, set())
        for code in JUDGED[verdict.corpus]:
            score = scores[code]
            score.judged += 1
            want, has = code in verdict.flag, code in got
            if want and has:
                score.tp.append(verdict.id)
            elif has:
                score.fp.append(verdict.id)
            elif want:
                score.fn.append(verdict.id)
    return scores, tickets, result.findings


def table(scores: dict[str, Score]) -> str:
    """The Markdown table docs/quality.md shows."""
    lines = [
        "| rule | judged | should fire | fired | right | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for code, s in sorted(scores.items()):
        p = "-" if s.precision is None else f"{s.precision:.2f}"
        r = "-" if s.recall is None else f"{s.recall:.2f}"
        lines.append(
            f"| {code} | {s.judged} | {s.positives} | {s.fired} | {len(s.tp)} | {p} | {r} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", metavar="CODE", help="print each disagreement of one rule")
    parser.add_argument("--part", choices=("tuning", "holdout"), help="one part of the set")
    args = parser.parse_args(argv)
    if missing := missing_corpora():
        print(f"corpora missing beside the project: {', '.join(missing)}", file=sys.stderr)
        return 2
    scores, tickets, findings = measure(part=args.part)
    if args.show:
        code = args.show.upper()
        notes = {v.id: v.note for v in load_verdicts(args.part)}
        messages = {(f.ticket, f.rule): f.message for f in findings}
        for label, ids in (
            ("fired, should not", scores[code].fp),
            ("silent, should fire", scores[code].fn),
        ):
            for key in ids:
                t = tickets[key]
                print("=" * 100)
                print(f"{label}: {key} [{t.kind}] {t.title}")
                print(f"   verdict note: {notes.get(key, '')}")
                if (key, code) in messages:
                    print(f"   message: {messages[key, code]}")
                print(t.body[:1500])
        return 0
    print(table(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
