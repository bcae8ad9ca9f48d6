"""Throughput of the four rule families (BL1xx-BL4xx) together, on one core.

    PYTHONPATH=src python bench/bench_rules.py [--tickets 20000] [--repeat 3] [--all]

Backlogs measured:

* ``demo x N`` - the 64 demo tickets (examples/) copied to N tickets, each copy's body and
  title made unique (a sentence with its number), so no memoised result is reused across
  copies: every ticket costs what a new ticket costs.
* ``tawosi`` / ``nlbse`` - the real Jira and GitHub corpora from ``../shared/corpora`` when
  present (bodies with pasted logs and templates; nlbse's mean body is 2 KB).

Each run starts with cold caches (``cache_clear``) and times ``engine.run_rules`` for every
rule of the four families, ticket rules and backlog rules (with ``--all``: also every built-in
rule, as a default audit runs them, and every one but BL601 near-duplicates). Prints a table;
the figures go in docs/benchmarks.md.

The floor is measured in the same run on the same tickets: one pass that lower-cases and
tokenises each ticket's title and body once (the least any text rule must do). "floor passes"
is the rules' time over the floor's, a figure that other load on a shared machine moves far
less than tickets per second.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib
import os
import pkgutil
import re
import sys
import time
from pathlib import Path

import backlint.rules
from backlint.config.config import Config
from backlint.engine.run import run_rules
from backlint.model import Ticket
from backlint.plugins import load_plugins
from backlint.testing import TEST_NOW
from backlint.trackers.files import read_file

ROOT = Path(__file__).resolve().parents[1]
#: The floor's tokens: lower-case words and numbers ("and/or", "don't" whole).
FLOOR_TOKEN = re.compile(r"[a-z0-9]+(?:['/-][a-z0-9]+)*")
FAMILIES = ("clarity", "acceptance-criteria", "objective-link", "priority")


def demo_backlog(count: int) -> list[Ticket]:
    """``count`` tickets cycled from the demo files, each with a unique key, title and body."""
    config = Config()
    base: list[Ticket] = []
    for name in ("github-issues.json", "jira-search.json", "jira-dc-search.json"):
        base += list(read_file(ROOT / "examples" / name, config))
    from backlint.config.conventions import normalise

    base = [normalise(t, config) for t in base]
    tickets = []
    for index in range(count):
        ticket = base[index % len(base)]
        copy = index // len(base)
        tickets.append(
            dataclasses.replace(
                ticket,
                key=f"{ticket.key}-{copy}",
                title=f"{ticket.title} {copy}",
                body=f"{ticket.body}\n\nCopy {copy} of the demo ticket.",
                parent=f"{ticket.parent}-{copy}" if ticket.parent else None,
            )
        )
    return tickets


def clear_caches() -> None:
    """Forget every memoised text result, so the next run pays for all of it."""
    for info in pkgutil.walk_packages(backlint.rules.__path__, "backlint.rules."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def measure(tickets: list[Ticket], rules: list, repeat: int) -> tuple[float, float, int]:
    """Best tickets/second over ``repeat`` cold runs (by process CPU time and by wall time;
    CPU time does not count the time other jobs on a shared machine take), and the findings."""
    best_cpu = best_wall = 0.0
    findings = 0
    for _ in range(repeat):
        clear_caches()
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        result = run_rules(tickets, rules, TEST_NOW)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        best_cpu = max(best_cpu, len(tickets) / max(cpu, 1e-9))
        best_wall = max(best_wall, len(tickets) / wall)
        findings = len(result.findings)
    return best_cpu, best_wall, findings


def floor(tickets: list[Ticket], repeat: int) -> float:
    """Best CPU seconds of one pass that lower-cases and tokenises every title and body."""
    best = float("inf")
    findall = FLOOR_TOKEN.findall
    for _ in range(repeat):
        cpu = time.process_time()
        for ticket in tickets:
            findall(ticket.title.lower())
            findall(ticket.body.lower())
        best = min(best, time.process_time() - cpu)
    return max(best, 1e-9)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--all", action="store_true", help="also every built-in rule (hygiene, duplicates too)"
    )
    args = parser.parse_args(argv)
    registry = load_plugins((), environ={**os.environ, "BACKLINT_LOAD_PLUGINS": ""})
    built_in = [r for _, r in sorted(registry.rules.items()) if r.origin.startswith("backlint.")]
    rules = [r for r in built_in if r.family in FAMILIES and r.origin.startswith("backlint.rules.")]
    backlogs = [(f"demo x {args.tickets}", demo_backlog(args.tickets))]
    sys.path.insert(0, str(ROOT / "bench"))
    import quality

    for name in ("tawosi", "nlbse"):
        loader, folder, _ = quality.CORPUS_LOADERS[name]
        if (quality.CORPORA / folder).is_dir():
            backlogs.append((name, [t for t, _ in loader()]))
        else:
            print(f"skipped {name}: corpus not found", file=sys.stderr)
    sets = [(f"4 families ({len(rules)} rules)", rules)]
    if args.all:
        sets.append((f"all built-in ({len(built_in)} rules)", built_in))
        others = [r for r in built_in if r.code != "BL601"]
        sets.append((f"all but BL601 ({len(others)} rules)", others))
    floors = {name: floor(tickets, max(3, args.repeat)) for name, tickets in backlogs}
    print(f"best of {args.repeat} cold runs, one process; CPU time and wall time")
    print(
        "| rules | backlog | tickets | mean body | findings | tickets/s CPU | tickets/s wall |"
        " floor tickets/s | floor passes |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, chosen in sets:
        for name, tickets in backlogs:
            cpu, wall, findings = measure(tickets, chosen, args.repeat)
            mean = sum(len(t.body) for t in tickets) // max(1, len(tickets))
            floor_rate = len(tickets) / floors[name]
            cells = [label, name, len(tickets), mean, findings, f"{cpu:,.0f}", f"{wall:,.0f}"]
            cells += [f"{floor_rate:,.0f}", f"{floor_rate / cpu:.1f}"]
            print("| " + " | ".join(map(str, cells)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
