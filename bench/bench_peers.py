"""backlint's text judgement against a peer, on the same real texts, in the same run.

    PYTHONPATH=src python bench/bench_peers.py [--repeat 3] [--sample 400]

The peer is proselint (``pip install proselint``), the best-known open prose linter: it judges
prose with some 100 regular-expression checks, where backlint's four judgement families
(clarity, acceptance-criteria, objective-link, priority) judge a ticket's text and fields. The
two do different work; what is comparable is the cost of reading the same text, so each is
also given as a multiple of a **floor**: one pass that lowercases each text and splits it into
words (``re.findall(r"\\w+", text.lower())``), measured in the same run.

Texts: the title and body of each ticket of the real corpora in ``../shared/corpora`` (dalpiaz
stories, tawosi Jira issues, nlbse GitHub issues; skipped when absent). proselint is measured
on the first ``--sample`` texts of each corpus (it is slow); backlint and the floor on all of
them. Every figure is the best of ``--repeat`` runs by process CPU time, so other jobs on a
shared machine do not count; backlint's memoised text results are cleared before each run.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_rules import clear_caches  # noqa: E402
from judgement.corpora import LOADERS, available  # noqa: E402

from backlint.engine.run import run_rules  # noqa: E402
from backlint.model import Ticket  # noqa: E402
from backlint.plugins import load_plugins  # noqa: E402
from backlint.testing import TEST_NOW  # noqa: E402

FAMILIES = ("clarity", "acceptance-criteria", "objective-link", "priority")
CORPORA = ("dalpiaz", "tawosi", "nlbse")
WORD = re.compile(r"\w+")


def best_cpu(work: Callable[[], object], repeat: int, before: Callable[[], None] | None = None):
    """The least process CPU time of ``repeat`` runs of ``work``."""
    best = float("inf")
    for _ in range(repeat):
        if before:
            before()
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def floor(texts: Sequence[str]) -> None:
    for text in texts:
        WORD.findall(text.lower())


def proselint_run(texts: Sequence[str]) -> None:
    from proselint.tools import LintFile

    for text in texts:
        if text.strip():
            LintFile("<ticket>", text).lint()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args(argv)
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
    except ImportError:
        print("proselint is not installed: pip install proselint", file=sys.stderr)
        return 2
    CheckRegistry().register_many(__register__)  # what proselint's command line does first
    registry = load_plugins((), environ={**os.environ, "BACKLINT_LOAD_PLUGINS": ""})
    rules = [
        r
        for _, r in sorted(registry.rules.items())
        if r.family in FAMILIES and r.origin.startswith("backlint.rules.")
    ]
    rows = []
    for name in CORPORA:
        if not available(name):
            print(f"{name}: corpus absent, skipped", file=sys.stderr)
            continue
        tickets: list[Ticket] = [ticket for ticket, _ in LOADERS[name]()]
        texts = [f"{t.title}\n{t.body}" for t in tickets]
        sample = texts[: args.sample]

        def judge(tickets: list[Ticket] = tickets) -> None:
            run_rules(tickets, rules, TEST_NOW)

        floor_all = best_cpu(lambda texts=texts: floor(texts), args.repeat)
        floor_sample = best_cpu(lambda sample=sample: floor(sample), args.repeat)
        ours = best_cpu(judge, args.repeat, before=clear_caches)
        peer = best_cpu(lambda sample=sample: proselint_run(sample), args.repeat)
        rows.append(
            (
                name,
                len(texts),
                len(texts) / ours,
                ours / floor_all,
                len(sample) / peer,
                peer / floor_sample,
                (len(texts) / ours) / (len(sample) / peer),
            )
        )
    header = (
        f"{'corpus':<9}{'texts':>7}{'backlint t/s':>14}{'floor passes':>14}"
        f"{'proselint t/s':>15}{'floor passes':>14}{'backlint / proselint':>22}"
    )
    print(header)
    for name, count, ours_rate, ours_floor, peer_rate, peer_floor, ratio in rows:
        print(
            f"{name:<9}{count:>7}{ours_rate:>14,.0f}{ours_floor:>14.1f}"
            f"{peer_rate:>15,.0f}{peer_floor:>14.1f}{ratio:>21.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
