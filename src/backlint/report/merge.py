"""Combine several JSON v1 reports into one: the report of an audit sharded across jobs.

An organisation-wide audit is often split (one GitHub Actions matrix job per repository), each
job saving ``backlint audit --format json``. :func:`merge_reports` puts them back together:
tickets add up, findings concatenate, and the summary and health score are recomputed over every
ticket (never an average of the inputs' scores, which would weigh a 3-ticket repository like a
3,000-ticket one). A ticket key listed by several inputs (the same shard uploaded twice) counts
once: the later input's ticket, findings and write-back plan replace the earlier ones, and a
warning says so.

The merged report keeps the version-1 keys and adds one: ``sources``, a row per input (its
source, file, tickets, findings and own score), which the human formats show as "By source".
An input that has rows of its own (a shard that audited several repositories) contributes
those rows instead, each naming the input's file, unless a later input replaced some of its
tickets (then its one row says how many).
:func:`with_source_rows` gives a several-source audit (``backlint audit SOURCE SOURCE ...``,
``github:ORG``) the same rows, one per source (file left empty). Nothing here reads files or
prints: the caller does (``backlint merge``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from backlint.model import Finding
from backlint.report.report import Report, TicketSummary
from backlint.report.score import band_of, compute_score

#: The report key the per-input rows are stored under (beside the version-1 keys).
SOURCES_KEY = "sources"
#: How many distinct sources a merged report names in its title before it just counts them.
SOURCES_NAMED = 3


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One input of a merged report, as the "By source" breakdown shows it."""

    source: str
    file: str
    tickets: int
    findings: int
    score: int
    #: Tickets of this input that a later input listed too (the later one's were kept).
    superseded: int = 0

    @property
    def band(self) -> str:
        return band_of(self.score)

    def to_dict(self) -> dict[str, Any]:
        """The row as the ``sources`` key of the JSON report stores it."""
        return {
            "source": self.source,
            "file": self.file,
            "tickets": self.tickets,
            "findings": self.findings,
            "score": self.score,
            "band": self.band,
            "superseded": self.superseded,
        }


@dataclass(frozen=True)
class Merged:
    """The merged report and the warnings to show (one line each)."""

    report: Report
    warnings: Sequence[str]


def merge_reports(inputs: Sequence[tuple[str, Report]]) -> Merged:
    """Merge ``(file, report)`` pairs, in order; a later report wins a duplicate ticket key.

    Raises ValueError when ``inputs`` is empty.
    """
    if not inputs:
        raise ValueError("nothing to merge")
    owner: dict[str, int] = {}  # ticket key -> index of the last input listing it
    tickets: dict[str, TicketSummary] = {}
    repeats: dict[tuple[int, int], list[str]] = {}  # (earlier, later) -> keys both list
    for index, (_, report) in enumerate(inputs):
        for ticket in report.tickets:
            earlier = owner.get(ticket.key)
            if earlier is not None and earlier != index:
                repeats.setdefault((earlier, index), []).append(ticket.key)
            owner[ticket.key] = index
            # The first position is kept (shards stay in order), with the later content.
            tickets[ticket.key] = ticket
    findings = _findings(inputs, owner)
    rules: dict[str, Mapping[str, str]] = {}
    for _, report in inputs:
        rules.update(report.rules)
    rows: list[SourceRow] = []
    for index, (file, report) in enumerate(inputs):
        superseded = sum(owner[t.key] != index for t in report.tickets)
        own = sources_of(report)
        if own and not superseded:
            # A shard of several sources (github:ORG's repositories) keeps its own rows.
            rows.extend(replace(row, file=file) for row in own)
            continue
        rows.append(
            SourceRow(
                source=report.source,
                file=file,
                tickets=len(report.tickets),
                findings=len(report.findings),
                score=report.score.overall,
                superseded=superseded,
            )
        )
    merged = Report(
        source=merged_source_name([report.source for _, report in inputs]),
        generated_at=max(_aware(report.generated_at) for _, report in inputs),
        tickets=list(tickets.values()),
        findings=sorted(findings),
        rules=dict(sorted(rules.items())),
        plans=_plans(inputs, owner),
        extra={SOURCES_KEY: [row.to_dict() for row in rows]},
    )
    warnings = [
        f"warning: {inputs[later][0]} repeats {_count(keys)} of {inputs[earlier][0]} "
        f"(first {keys[0]}); the later report's are kept"
        for (earlier, later), keys in repeats.items()
    ]
    return Merged(report=merged, warnings=warnings)


def _findings(inputs: Sequence[tuple[str, Report]], owner: Mapping[str, int]) -> list[Finding]:
    """Each input's findings on the tickets it owns; findings on keys no input lists (about the
    run rather than a ticket) are kept once each, so a shard uploaded twice does not double
    them."""
    kept: list[Finding] = []
    unlisted: set[tuple[Any, ...]] = set()
    for index, (_, report) in enumerate(inputs):
        for finding in report.findings:
            holder = owner.get(finding.ticket)
            if holder is None:
                identity = (*finding.to_dict().values(),)
                if identity in unlisted:
                    continue
                unlisted.add(identity)
            elif holder != index:
                continue
            kept.append(finding)
    return kept


def _plans(
    inputs: Sequence[tuple[str, Report]], owner: Mapping[str, int]
) -> list[Mapping[str, Any]]:
    """Write-back plans the same way: the owning input's plan for each ticket."""
    plans = []
    for index, (_, report) in enumerate(inputs):
        for plan in report.plans:
            key = plan.get("ticket") if isinstance(plan, Mapping) else None
            if key is None or owner.get(str(key), index) == index:
                plans.append(plan)
    return plans


def with_source_rows(
    report: Report, sources: Sequence[str], source_of: Callable[[str], str | None]
) -> Report:
    """``report`` with a "By source" row per source of a several-source audit, as ``backlint
    merge`` gives one per input: each source's tickets, the findings on them and their own
    score (the report's score stays the one over every ticket). ``source_of`` names the source
    that read a ticket key; findings on no ticket (about the run) belong to no row."""
    tickets: dict[str, list[TicketSummary]] = {name: [] for name in sources}
    for ticket in report.tickets:
        tickets.setdefault(source_of(ticket.key) or "", []).append(ticket)
    by_ticket = report.findings_by_ticket()
    families = {meta.get("family", "") for meta in report.rules.values()} - {""}
    rows = []
    for name, own in tickets.items():
        if not name:
            continue
        findings = [f for t in own for f in by_ticket.get(t.key, ())]
        score = compute_score(own, findings, families).overall
        rows.append(SourceRow(name, "", len(own), len(findings), score))
    extra = {**report.extra, SOURCES_KEY: [row.to_dict() for row in rows]}
    return report.replaced(extra=extra)


def merged_source_name(sources: Sequence[str]) -> str:
    """The merged report's source: the inputs' distinct sources, or how many there are."""
    distinct = list(dict.fromkeys(sources))
    if len(distinct) <= SOURCES_NAMED:
        return ", ".join(distinct)
    return f"{len(distinct)} sources"


def sources_of(report: Report) -> list[SourceRow]:
    """The "By source" rows of a merged report (empty for any other report).

    Read back from ``report.extra`` so a merged JSON report rendered again with ``backlint
    report --from`` shows them too; rows that are not the expected shape are skipped.
    """
    value = report.extra.get(SOURCES_KEY)
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    rows = []
    for item in value:
        try:
            rows.append(
                SourceRow(
                    source=str(item["source"]),
                    file=str(item.get("file") or ""),
                    tickets=int(item["tickets"]),
                    findings=int(item["findings"]),
                    score=int(item["score"]),
                    superseded=int(item.get("superseded") or 0),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return rows


def _count(keys: Sequence[str]) -> str:
    return f"{len(keys)} ticket" if len(keys) == 1 else f"{len(keys)} tickets"


def _aware(moment: datetime) -> datetime:
    """A naive time (an old or hand-made report) read as UTC, so times compare."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
