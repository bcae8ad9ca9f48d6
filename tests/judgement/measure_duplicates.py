"""Precision and recall of BL601 (near-duplicate) against hand verdicts on pairs of real tickets.

    PYTHONPATH=src python tests/judgement/measure_duplicates.py          # the figures
    PYTHONPATH=src python tests/judgement/measure_duplicates.py --show   # each disagreement

``verdicts_duplicates.toml`` holds the pairs and their verdicts (how they were chosen is in its
header). BL601 runs over the whole corpus each pair comes from (all of tawosi, the bug and feature
rows of nlbse), as it would over a real backlog, with ``max_listed`` raised so that a finding names
every ticket it counts: a pair is reported when either ticket's finding names the other.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpora import LOADERS, available  # type: ignore[import-not-found]
else:
    from .corpora import LOADERS, available

from backlint.model import Ticket
from backlint.rules.duplicates.near_duplicate import near_duplicate
from backlint.testing import run_rule

VERDICTS = Path(__file__).resolve().parent / "verdicts_duplicates.toml"
_NAMED = re.compile(r"(\S+?)(?: <[^>]*>)? \((\d+)% similar[^)]*\)")


@dataclass(frozen=True)
class PairVerdict:
    """Two tickets of one corpus and whether they are duplicates."""

    corpus: str
    a: str
    b: str
    duplicate: bool
    source: str
    note: str = ""


@dataclass
class PairScore:
    """BL601's agreement with the pair verdicts."""

    tp: list[PairVerdict] = field(default_factory=list)
    fp: list[PairVerdict] = field(default_factory=list)
    fn: list[PairVerdict] = field(default_factory=list)
    tn: list[PairVerdict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        fired = len(self.tp) + len(self.fp)
        return len(self.tp) / fired if fired else 1.0

    @property
    def recall(self) -> float:
        positives = len(self.tp) + len(self.fn)
        return len(self.tp) / positives if positives else 1.0


def load_pairs() -> list[PairVerdict]:
    """Every pair verdict."""
    data = tomllib.loads(VERDICTS.read_text(encoding="utf-8"))
    return [
        PairVerdict(p["corpus"], p["a"], p["b"], p["duplicate"], p["source"], p.get("note", ""))
        for p in data["pair"]
    ]


def missing_corpora() -> list[str]:
    """The corpora the pairs need that are not beside the project."""
    return sorted({p.corpus for p in load_pairs() if not available(p.corpus)})


def corpus_tickets(name: str) -> list[Ticket]:
    """Every ticket of one corpus, as the judgement loaders build them."""
    return [ticket for ticket, _ in LOADERS[name]()]


def reported_pairs(tickets: list[Ticket], options: dict | None = None) -> dict[tuple, int]:
    """Each pair of ticket keys BL601 reports (sorted), with the similarity it shows (percent)."""
    found: dict[tuple, int] = {}
    options = {"max_listed": 10**6, **(options or {})}
    for finding in run_rule(near_duplicate, tickets, options=options):
        for key, score in _NAMED.findall(finding.message):
            found[tuple(sorted((finding.ticket, key)))] = int(score)
    return found


def measure(options: dict | None = None) -> tuple[PairScore, dict[tuple, int]]:
    """Run BL601 over each corpus the pairs need and score it against the verdicts."""
    pairs = load_pairs()
    reported: dict[tuple, int] = {}
    for name in sorted({p.corpus for p in pairs}):
        reported.update(reported_pairs(corpus_tickets(name), options))
    score = PairScore()
    for pair in pairs:
        flagged = tuple(sorted((pair.a, pair.b))) in reported
        if pair.duplicate:
            (score.tp if flagged else score.fn).append(pair)
        else:
            (score.fp if flagged else score.tn).append(pair)
    return score, reported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    missing = missing_corpora()
    if missing:
        print(f"skipped: corpora not found: {', '.join(missing)}")
        return 0
    score, reported = measure()
    positives = len(score.tp) + len(score.fn)
    reported_count = len(score.tp) + len(score.fp)
    print(
        f"pairs {len(load_pairs())}, duplicates {positives}; reported {reported_count}"
        f" right {len(score.tp)}; precision {score.precision:.2f} recall {score.recall:.2f}"
    )
    for source in sorted({p.source for p in load_pairs()}):
        part = PairScore(
            *(
                [p for p in items if p.source == source]
                for items in (score.tp, score.fp, score.fn, score.tn)
            )
        )
        print(
            f"  {source}: duplicates {len(part.tp) + len(part.fn)}, found {len(part.tp)}; "
            f"not duplicates {len(part.fp) + len(part.tn)}, reported {len(part.fp)}"
        )
    if args.show:
        for label, items in (("wrongly reported", score.fp), ("missed", score.fn)):
            for pair in items:
                shown = reported.get(tuple(sorted((pair.a, pair.b))))
                print(f"{label}: {pair.a} / {pair.b} ({shown}%) [{pair.source}] {pair.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
