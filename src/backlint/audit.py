"""One audit from SOURCE to report and write-back plans: the pipeline the commands share.

fetch (tracker) → normalise (conventions) → judge (engine) → report; then, for write-back,
current state (tracker) → plan (writeback) → apply (tracker, only with ``apply=True``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from backlint.config.config import Config
from backlint.config.conventions import normalise
from backlint.engine.rule import Rule
from backlint.engine.run import EngineResult, run_rules
from backlint.errors import SourceError
from backlint.model import Backlog, Finding, Ticket
from backlint.plugins import Registry
from backlint.report.report import Report, build_report
from backlint.selection import select_rules
from backlint.trackers.base import Connection, FetchOptions, Progress
from backlint.writeback.planner import Plan, WriteResult, cap_plans, plan_ticket


@dataclass
class Audit:
    """Everything one audit produced."""

    source: str
    connection: Connection
    tickets: list[Ticket]
    rules: list[Rule]
    engine: EngineResult
    report: Report
    plans: list[Plan] = field(default_factory=list)
    held_back: int = 0
    results: list[WriteResult] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return self.engine.findings


def open_source(source: str, config: Config, registry: Registry) -> Connection:
    """The connection of the tracker that claims SOURCE."""
    tracker = registry.tracker_for(source)
    if tracker is None:
        raise SourceError(
            f"no tracker understands {source!r} (expected github:OWNER/REPO, jira:PROJECT or a "
            "file path)"
        )
    return tracker.open(source, config)


def audit(
    source: str,
    config: Config,
    registry: Registry,
    options: FetchOptions,
    now: datetime | None = None,
    progress: Progress | None = None,
    single: bool = False,
) -> Audit:
    """Fetch SOURCE's tickets (or the one ticket, with ``single``), judge them, build the report."""
    now = now or datetime.now(UTC)
    rules = select_rules(config, registry.rules)
    connection = open_source(source, config, registry)
    if single:
        tickets = [normalise(connection.fetch_one(source), config)]
    else:
        tickets = [normalise(t, config) for t in connection.fetch(options, progress)]
    backlog = Backlog(tickets)
    engine = run_rules(backlog, rules, now, config.settings)
    report = build_report(source, backlog.tickets(), engine.findings, rules, now)
    return Audit(source, connection, list(backlog.tickets()), rules, engine, report)


def plan_writeback(
    result: Audit, config: Config, limit: int | None, on_ticket: Callable[[], None] | None = None
) -> None:
    """Compare each ticket's desired comment and labels with the tracker's; keep the writes."""
    by_ticket = result.report.findings_by_ticket()
    plans = []
    for ticket in result.tickets:
        if ticket.fields.get("load_error"):
            continue
        findings = [f for f in by_ticket.get(ticket.key, ()) if f.family != "run"]
        state = result.connection.current_state(ticket, bool(findings))
        plans.append(plan_ticket(ticket, findings, state, config.writeback))
        if on_ticket:
            on_ticket()
    result.plans, result.held_back = cap_plans(plans, limit)


def apply_plans(result: Audit, plans: Sequence[Plan] | None = None) -> list[WriteResult]:
    """Carry out the plans one ticket at a time; failures are recorded per ticket."""
    results = [result.connection.apply(plan) for plan in (plans or result.plans)]
    result.results = results
    return results
