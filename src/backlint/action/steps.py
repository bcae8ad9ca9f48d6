"""The steps behind ``backlint action``: check one issue, audit a repository, report the outcome.

Both paths go through the one pipeline (:func:`backlint.audit.run`): the same rules, the same
planner, the same tracker write-back and the same exit status as ``backlint audit --apply``.
The check path hands the pipeline its one ticket, built from the event payload
(:class:`~backlint.trackers.base.GivenTickets`), so the only requests it makes are the
tracker's ``current_state`` read (when it needs one) and the writes the plan calls for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from backlint.action.runner import Runner, token_of
from backlint.audit import (
    Audit,
    apply_plans,
    exit_status,
    open_source,
    plan_writeback,
    run,
    stop_line,
)
from backlint.config.config import Config
from backlint.config.conventions import normalise
from backlint.errors import SourceError
from backlint.model import Finding, Severity, Ticket
from backlint.reporters.github import finding_annotation
from backlint.trackers.base import FetchOptions, GivenTickets
from backlint.writeback.contract import RESOLVED, Plan, TicketState
from backlint.writeback.planner import plan_ticket

#: Seconds between the few writes of one event (see :func:`event_config`).
EVENT_WRITE_DELAY = 0.0


@dataclass
class Outcome:
    """What one run of the action did: the audit result and whether it wrote back."""

    mode: str
    result: Audit
    writing: bool
    limit: int | None = None
    dry_run: bool = False


def _writing(config: Config) -> bool:
    return config.writeback.comment or config.writeback.labels


def check_issue(
    decision: Any,
    config: Config,
    registry: Any,
    runner: Runner,
    environ: Mapping[str, str],
    now: datetime,
    dry_run: bool = False,
) -> Outcome:
    """Judge the payload's issue and bring its comment and labels up to date (with
    ``dry_run``, plan the writes and make none)."""
    # A skipped event imports this module too: the GitHub mapping only when an issue is checked.
    from backlint.trackers.github.mapping import ticket_from_rest

    issue = decision.issue
    try:
        # The key, and so every write, names the decided repository, whatever the issue's
        # own URLs say.
        ticket = ticket_from_rest(issue, decision.repo)
        normalise(ticket, config)  # an issue the conventions cannot read is bad input here
    except Exception as err:  # any odd payload: one line, never a traceback
        reason = (str(err).splitlines() or [""])[0] or type(err).__name__
        raise SourceError(f"event payload: issue cannot be read: {reason}") from None
    if not ticket.key.startswith(f"{decision.repo}#"):  # defence in depth: see the mapping
        raise SourceError(f"event payload: issue key {ticket.key!r} names another repository")
    writing = _writing(config)
    if writing and not token_of(environ):
        runner.warning("no token (input token / GITHUB_TOKEN): findings reported, nothing written")
        writing = False
    connection = GivenTickets(
        [ticket],
        lambda: open_source(f"github:{decision.repo}", event_config(config), registry),
    )
    source = f"github:{ticket.key}"
    with run(source, config, registry, now=now, connection=connection) as result:
        if writing:
            [judged] = result.tickets
            plan = plan_event(connection, judged, result.findings, config, decision.action)
            result.plans = [] if plan.is_empty else [plan]
            if not dry_run:
                apply_plans(result)
    return Outcome("check", result, writing, dry_run=dry_run)


def event_config(config: Config) -> Config:
    """The config for one event's writes: no pause between them unless configured.

    GitHub asks for a second between writes when making many; one event makes at most a few
    (labels, then the comment), and a pause there would only keep the author waiting.
    """
    github = dict(config.section("github"))
    if "write-delay" in github:
        return config
    github["write-delay"] = EVENT_WRITE_DELAY
    return config.with_overrides(settings=MappingProxyType({**config.settings, "github": github}))


def plan_event(
    connection: Any, ticket: Ticket, findings: list[Finding], config: Config, action: str
) -> Plan:
    """The writes the event's issue needs, trusting the payload unless it is proven stale.

    The payload is a snapshot taken when the event fired. Two quick edits queue two runs, and
    the second run's payload may predate the first run's writes: it can lack backlint's labels.
    So, except on ``opened``, a clean ticket still has its comments read (one request), and when
    backlint's comment shows findings while the payload carries none of backlint's labels, the
    issue's labels are read once more before planning.
    """
    findings = [f for f in findings if f.family != "run"]
    state = connection.current_state(ticket, bool(findings) or action != "opened")
    managed = config.writeback.managed_labels()
    if (
        config.writeback.labels
        and state.comment is not None
        and state.comment.digest != RESOLVED
        and not any(label.lower() in managed for label in state.labels)
    ):
        fresh = connection.fetch_one(ticket.key)
        state = TicketState(labels=fresh.labels, comment=state.comment)
    return plan_ticket(ticket, findings, state, config.writeback)


def audit_repository(
    decision: Any,
    config: Config,
    registry: Any,
    limit: int | None,
    now: datetime,
    dry_run: bool = False,
    exempt_labels: tuple[str, ...] = (),
) -> Outcome:
    """Audit every open issue of the repository; write back at most ``limit`` tickets, none on
    an issue with an exempt label (with ``dry_run``, plan the writes and make none)."""
    writing = _writing(config)
    with run(f"github:{decision.repo}", config, registry, FetchOptions(), now=now) as result:
        if writing:
            plan_writeback(result, config, limit)
            if exempt_labels:
                exempt = {
                    t.key
                    for t in result.tickets
                    if {label.lower() for label in t.labels} & set(exempt_labels)
                }
                result.plans = [p for p in result.plans if p.ticket not in exempt]
            if not dry_run:
                apply_plans(result)
    return Outcome("audit", result, writing, limit, dry_run)


def skip_event(decision: Any, runner: Runner) -> int:
    """Say why nothing was done, in the log, the outputs and the summary; exit 0."""
    from backlint.action.summary import skip_summary

    runner.notice(f"skipped: {decision.reason}")
    runner.set_outputs({"mode": "skip", "skipped": decision.reason, **_counts(None)})
    runner.write_summary(skip_summary(decision.reason))
    return 0


def _counts(outcome: Outcome | None) -> dict[str, str]:
    if outcome is None:
        summary: dict[str, Any] = {"findings": 0, "tickets_with_findings": 0, "by_severity": {}}
        tickets = writes = held = 0
        passed = ""
    else:
        result = outcome.result
        summary = result.report.summary
        tickets = len(result.tickets)
        writes = sum(r.writes for r in result.results)
        held = result.held_back
        passed = "false" if result.findings else "true"
    by_severity = summary["by_severity"]
    return {
        "findings": str(summary["findings"]),
        "errors": str(by_severity.get("error", 0)),
        "warnings": str(by_severity.get("warning", 0)),
        "infos": str(by_severity.get("info", 0)),
        "tickets": str(tickets),
        "tickets-with-findings": str(summary["tickets_with_findings"]),
        "passed": passed,
        "writes": str(writes),
        "held-back": str(held),
    }


def report_outcome(outcome: Outcome, inputs: Any, runner: Runner) -> int:
    """Annotations, outputs and the job summary; returns the exit status."""
    from backlint.action.summary import audit_summary, check_summary

    result = outcome.result
    if outcome.mode == "check":
        url = result.tickets[0].url if result.tickets else ""
        for finding in result.findings:
            runner.command(finding_annotation(finding, url))
        runner.write_summary(check_summary(result, outcome.writing, outcome.dry_run))
    else:
        runner.write_summary(audit_summary(result, outcome.writing, outcome.limit, outcome.dry_run))
    for failed in (r for r in result.results if r.error):
        runner.error(f"{failed.ticket}: write failed: {failed.error} ({_write_hint(result)})")
    if result.stopped:
        runner.error(stop_line(result))
    counts = _counts(outcome)
    runner.notice(_status_line(outcome, counts))
    runner.set_outputs({"mode": outcome.mode, "skipped": "", **counts})
    fail_on = None if inputs.fail_on == "never" else Severity.parse(inputs.fail_on)
    return exit_status(outcome.result, fail_on)


def _write_hint(result: Audit) -> str:
    """What to check when a write failed: the workflow's permissions on GitHub, the account's
    on Jira (a ``jira-issue`` dispatch writes there)."""
    if result.source.startswith("jira:"):
        return "may the Jira account behind JIRA_EMAIL / JIRA_PAT comment on and edit the issue?"
    return "does the workflow grant `permissions: issues: write`?"


def _status_line(outcome: Outcome, counts: Mapping[str, str]) -> str:
    subject = outcome.result.source.removeprefix("github:")
    line = (
        f"{subject}: {counts['tickets']} checked, {counts['findings']} findings "
        f"({counts['errors']} error, {counts['warnings']} warning, {counts['infos']} info)"
    )
    if outcome.writing:
        line += f"; {counts['writes']} writes"
        if outcome.result.held_back:
            line += f", {counts['held-back']} tickets held back by the limit"
    else:
        line += "; write-back off"
    return line
