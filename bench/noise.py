"""How often backlint would comment on real tickets, and whether the comments are worth it.

    PYTHONPATH=src python bench/noise.py                # the table in docs/quality.md
    PYTHONPATH=src python bench/noise.py --policy all   # every finding commented (the old policy)

Event mode, as the Action runs on ``issues: opened``: each ticket is checked alone (no backlog
rules) with the default config and planned against a ticket that has no backlint comment yet.
"commented" is the share of tickets that would get a comment; "findings/ticket" counts every
finding (reports show them all), "in comments" only those a comment states.

On the judged tickets (tests/judgement/verdicts) a comment is "worth it" when every finding it
states is right by the hand verdict, and "helps" when at least one is. Only findings of rules
judged on that corpus count (the one-line story sets judge the story rules only).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "judgement"))
from corpora import LOADERS, available  # noqa: E402
from measure import JUDGED, load_verdicts  # noqa: E402

from backlint.config.config import Config  # noqa: E402
from backlint.engine.run import run_rules  # noqa: E402
from backlint.model import Severity  # noqa: E402
from backlint.plugins import load_plugins  # noqa: E402
from backlint.selection import select_rules  # noqa: E402
from backlint.testing import TEST_NOW  # noqa: E402
from backlint.writeback.contract import TicketState  # noqa: E402
from backlint.writeback.planner import for_comment, plan_ticket  # noqa: E402

CORPORA = ("nlbse", "tawosi", "dalpiaz", "ustai")
VERDICT_FILE = {"nlbse": "nlbse", "tawosi": "tawosi", "dalpiaz": "stories", "ustai": "stories"}


def measure(policy: str) -> list[dict]:
    registry = load_plugins((), environ={**os.environ, "BACKLINT_LOAD_PLUGINS": ""})
    config = Config()
    settings = config.writeback
    if policy == "all":
        settings = dataclasses.replace(settings, comment_for="everyone", min_severity=Severity.INFO)
    rules = [r for r in select_rules(config, registry.rules) if r.scope == "ticket"]
    verdicts = {v.id: v for v in load_verdicts()}
    rows = []
    for name in CORPORA:
        if not available(name):
            continue
        tickets = [t for t, _ in LOADERS[name]()]
        by_ticket: dict[str, list] = {}
        for finding in run_rules(tickets, rules, TEST_NOW).findings:
            by_ticket.setdefault(finding.ticket, []).append(finding)
        commented = stated = worth = helps = judged = 0
        for ticket in tickets:
            found = by_ticket.get(ticket.key, [])
            plan = plan_ticket(ticket, found, TicketState(), settings)
            if plan.comment_action != "create":
                continue
            commented += 1
            said = for_comment(found, settings)
            stated += len(said)
            verdict = verdicts.get(ticket.key)
            codes = JUDGED[VERDICT_FILE[name]]
            said_judged = [f.rule for f in said if f.rule in codes]
            if verdict is None or not said_judged:
                continue  # no verdict on this ticket, or none on the rules its comment states
            judged += 1
            right = [code in verdict.flag for code in said_judged]
            worth += all(right)
            helps += any(right)
        total = sum(len(v) for v in by_ticket.values())
        rows.append(
            {
                "corpus": name,
                "tickets": len(tickets),
                "findings": total / len(tickets),
                "commented": commented / len(tickets),
                "stated": stated / max(1, commented),
                "judged": judged,
                "worth": worth / judged if judged else None,
                "helps": helps / judged if judged else None,
            }
        )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| corpus | tickets | findings/ticket | commented | findings per comment | "
        "judged comments | worth it | helps |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        worth = "-" if r["worth"] is None else f"{r['worth']:.0%}"
        helps = "-" if r["helps"] is None else f"{r['helps']:.0%}"
        lines.append(
            f"| {r['corpus']} | {r['tickets']} | {r['findings']:.2f} | {r['commented']:.0%} | "
            f"{r['stated']:.2f} | {r['judged']} | {worth} | {helps} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", choices=("default", "all"), default="default")
    args = parser.parse_args(argv)
    print(table(measure(args.policy)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
