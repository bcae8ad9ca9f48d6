"""One audit from SOURCE to report and write-back plans: the one pipeline ``backlint audit``,
``backlint check`` and ``backlint action`` share.

:func:`run` opens the tracker connection, fetches → normalises (conventions) → judges (engine)
→ builds the report, and closes the connection on leaving, whatever happens. Inside it, for
write-back: current state (tracker) → plan (:func:`plan_writeback`) → apply
(:func:`apply_plans`). :func:`exit_status` is the one exit status of every command.
See docs/architecture.md for the picture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from backlint.config.config import Config
from backlint.config.conventions import normalise
from backlint.engine.rule import Rule
from backlint.engine.run import EngineResult, run_rules
from backlint.errors import SourceError
from backlint.history.incremental import Incremental
from backlint.model import Backlog, Finding, Severity, Ticket
from backlint.plugins import Registry
from backlint.report.merge import merged_source_name, with_source_rows
from backlint.report.report import Report, build_report
from backlint.selection import select_rules
from backlint.trackers.base import Connection, FetchOptions, Progress, reads_whole
from backlint.writeback.contract import Plan, WriteResult
from backlint.writeback.planner import cap_plans, plan_ticket

#: Tickets in a row whose writes may fail before write-back stops (``[writeback]
#: failure-budget``): a tracker that refuses five writes in a row will refuse the sixth.
DEFAULT_FAILURE_BUDGET = 5
#: What a failed write's one-line error says when later writes are unlikely to fare better:
#: the tracker cannot be reached (GitHub: "cannot reach GitHub: ..."; Jira: "connection to ...
#: failed"), refuses the credentials (HTTP 401) or says it is unavailable (HTTP 503). Tests
#: pin these phrases on both fake trackers.
_TRACKER_DOWN = re.compile(r"cannot reach |connection to \S+ failed|\bHTTP (?:401|503)\b")
#: Such failures in a row that make the tracker "plainly down": one can be a blip (a dropped
#: connection on a comment that is never re-sent), two in a row on different tickets are not.
DOWN_AFTER = 2


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
    failure_budget: int = DEFAULT_FAILURE_BUDGET
    #: Why write-back stopped before the last plan, or None when it carried out every plan.
    stopped: str | None = None
    #: The plans a stop held back: planned, never attempted.
    not_written: list[Plan] = field(default_factory=list)
    #: The stored backlog this audit merged into and stores (``--history``), if any.
    previous: Incremental | None = None
    #: Tickets whose plan was empty: the tracker already shows their findings.
    settled: set[str] = field(default_factory=set)

    @property
    def findings(self) -> list[Finding]:
        return self.engine.findings


def open_source(source: str | Sequence[str], config: Config, registry: Registry) -> Connection:
    """The connection of the tracker that claims SOURCE; for several sources, one connection
    over all of them (:class:`~backlint.trackers.multi.MultiConnection`: one backlog, writes
    routed to the source that read each ticket)."""
    sources = [source] if isinstance(source, str) else list(source)
    if len(sources) == 1:
        return _open_one(sources[0], config, registry)
    from backlint.trackers.multi import open_all

    return open_all(sources, lambda one: _open_one(one, config, registry))


def _open_one(source: str, config: Config, registry: Registry) -> Connection:
    tracker = registry.tracker_for(source)
    if tracker is None:
        raise SourceError(
            f"no tracker understands {source!r} (expected github:OWNER/REPO, github:ORG, "
            "jira:PROJECT or a file path)"
        )
    return tracker.open(source, config)


def source_name(source: str | Sequence[str]) -> str:
    """How a report names its SOURCE arguments: the one source as given; several as
    ``backlint merge`` names its inputs (up to three named, else a count)."""
    if isinstance(source, str):
        return source
    return merged_source_name(list(source))


@contextmanager
def run(
    source: str | Sequence[str],
    config: Config,
    registry: Registry,
    options: FetchOptions | None = None,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    single: bool = False,
    connection: Connection | None = None,
    previous: Incremental | None = None,
) -> Iterator[Audit]:
    """Fetch SOURCE's tickets (or the one ticket, with ``single``), judge them, build the report.

    Several sources are audited as one backlog; the report then has a row per source (per
    repository for ``github:ORG``; see :func:`~backlint.report.merge.with_source_rows`).

    The plugins are those of ``registry``, loaded once by the caller. The connection is the one
    SOURCE's tracker opens, or ``connection`` when the caller has one (the Action's event check
    passes the payload's ticket this way, see :class:`~backlint.trackers.base.GivenTickets`);
    either way it is closed when the ``with`` block ends, so plan and apply inside it.
    With ``previous`` (an incremental audit, :mod:`backlint.history.incremental`), only what
    changed is fetched and judged by ticket rules; the stored tickets fill the backlog.
    """
    now = now or datetime.now(UTC)
    rules = select_rules(config, registry.rules)
    connection = connection or open_source(source, config, registry)
    try:
        if single:
            fetched: Iterable[Ticket] = [connection.fetch_one(source)]
        else:
            options = options or FetchOptions()
            if previous is not None:
                options = previous.fetch_options(options, connection)
            fetched = connection.fetch(options, progress)
            if previous is not None:
                fetched = previous.merge(fetched, partial(reads_whole, connection))
        backlog = Backlog(_normalised(fetched, config))
        known = previous.known_findings(rules) if previous is not None else None
        engine = run_rules(backlog, rules, now, config.settings, known)
        name = source_name(source)
        report = build_report(name, backlog.tickets(), engine.findings, rules, now)
        source_of = getattr(connection, "source_of", None)  # several sources, or github:ORG
        if source_of is not None and previous is not None:  # stored tickets read on other runs
            source_of = _either(source_of, previous.source_of)
        if source_of is not None:
            report = with_source_rows(report, getattr(connection, "sources", []), source_of)
        yield Audit(
            name,
            connection,
            list(backlog.tickets()),
            rules,
            engine,
            report,
            failure_budget=failure_budget(config),
            previous=previous,
        )
    finally:
        connection.close()


def _either(
    first: Callable[[str], str | None], second: Callable[[str], str | None]
) -> Callable[[str], str | None]:
    return lambda key: first(key) or second(key)


def exit_status(result: Audit, fail_on: Severity | None) -> int:
    """The exit status of every command that audits: 2 when the run had problems (a rule
    crashed, a ticket was unreadable, a write failed), 1 for a finding at or above ``fail_on``
    (None: findings never fail the run), else 0."""
    if any(f.family == "run" for f in result.findings) or any(r.error for r in result.results):
        return 2
    if fail_on is None:
        return 0
    return 1 if any(fail_on <= f.severity for f in result.findings) else 0


def failure_budget(config: Config) -> int:
    """``[writeback] failure-budget``: failed tickets in a row before write-back stops."""
    value = config.section("writeback").get("failure-budget", DEFAULT_FAILURE_BUDGET)
    return value if isinstance(value, int) and value > 0 else DEFAULT_FAILURE_BUDGET


def _normalised(tickets: Iterable[Ticket], config: Config) -> Iterator[Ticket]:
    """Each ticket with the shared conventions applied; one the conventions cannot read (an
    adapter let an odd value through) becomes an unreadable ticket (BL902), not a failed run."""
    for ticket in tickets:
        if ticket.load_error:
            yield ticket
            continue
        try:
            yield normalise(ticket, config)
        except Exception as err:  # isolation: one odd ticket must not end the audit
            reason = (str(err).splitlines() or [""])[0] or type(err).__name__
            yield Ticket(
                key=ticket.key,
                tracker=ticket.tracker,
                url=ticket.url,
                load_error=f"could not read this ticket: {reason}",
            )


def plan_writeback(
    result: Audit, config: Config, limit: int | None, on_ticket: Callable[[], None] | None = None
) -> None:
    """Compare each ticket's desired comment and labels with the tracker's; keep the writes."""
    by_ticket = result.report.findings_by_ticket()
    plans = []
    tickets = result.tickets
    if result.previous is not None:  # an incremental audit plans only what may need writes
        tickets = result.previous.to_plan(tickets, by_ticket, result.connection, limit)
    for ticket in tickets:
        if ticket.load_error:
            continue
        findings = [f for f in by_ticket.get(ticket.key, ()) if f.family != "run"]
        state = result.connection.current_state(ticket, bool(findings))
        plans.append(plan_ticket(ticket, findings, state, config.writeback))
        if on_ticket:
            on_ticket()
    result.settled = {plan.ticket for plan in plans if plan.is_empty}
    result.plans, result.held_back = cap_plans(plans, limit)


def apply_plans(result: Audit, plans: Sequence[Plan] | None = None) -> list[WriteResult]:
    """Carry out the plans one ticket at a time; failures are recorded per ticket.

    Write-back gives up early instead of failing ticket after ticket for an hour: after
    ``result.failure_budget`` tickets in a row whose writes failed, or after two in a row whose
    failures say the tracker is down (see :func:`stop_reason`). ``result.stopped`` then says
    why, and ``result.not_written`` holds the plans that were never attempted. (Each tracker
    retries a failed write only briefly: the next run converges anyway.)
    """
    pending = list(plans or result.plans)
    results: list[WriteResult] = []
    result.stopped, result.not_written = None, []
    failed: list[str] = []  # the errors of the tickets that failed in a row, latest last
    for index, plan in enumerate(pending):
        outcome = result.connection.apply(plan)
        results.append(outcome)
        failed = [*failed, outcome.error] if outcome.error else []
        reason = stop_reason(failed, result.failure_budget)
        if reason and index + 1 < len(pending):
            result.stopped, result.not_written = reason, pending[index + 1 :]
            break
    result.results = results
    return results


def store_backlog(result: Audit) -> None:
    """With ``--history``: store the merged backlog, its findings and what the tracker was seen
    to show (after write-back), for the next ``--since`` audit."""
    if result.previous is None:
        return
    written = {r.ticket for r in result.results if not r.error}
    result.previous.save(
        result.engine.findings,
        result.engine.context_rules,
        result.rules,
        result.settled | written,
        getattr(result.connection, "source_of", None),
    )


def stop_reason(failed: Sequence[str], budget: int) -> str | None:
    """Why write-back stops, given the errors of the tickets that just failed in a row (latest
    last); None to go on with the next ticket."""
    if len(failed) >= budget:
        return f"{len(failed)} tickets in a row failed to write (failure-budget {budget})"
    recent = failed[-DOWN_AFTER:]
    if len(recent) == DOWN_AFTER and all(_TRACKER_DOWN.search(error) for error in recent):
        return f"the tracker cannot take writes now ({recent[-1]})"
    return None


def stop_line(result: Audit, shown: int = 10) -> str:
    """One line: why write-back stopped and which planned tickets it did not write."""
    keys = [plan.ticket for plan in result.not_written]
    named = ", ".join(keys[:shown])
    if len(keys) > shown:
        named += f" and {len(keys) - shown} more"
    return (
        f"Write-back stopped: {result.stopped}; {len(keys)} planned tickets not written "
        f"({named}). The next run picks them up."
    )
